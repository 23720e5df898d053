"""Back office for videos: captions, edit specs and comments only through the access gateway.

A caption or a comment is public once its video is, but the back office
cannot tell a draft or a private video's caption from a public one at a
glance without showing it, so it shows none: each is revealed through the
gateway with a justification, and anyone can read the public ones on the site.
"""

from django.contrib import admin

from clipdeck.kernel.admin import ProtectedFieldsAdmin
from clipdeck.videos.models import Comment, Hashtag, Sound, Video


@admin.register(Video)
class VideoAdmin(ProtectedFieldsAdmin):
    list_display = (
        "id",
        "author",
        "status",
        "visibility",
        "duration_ms",
        "like_count",
        "created_at",
    )
    list_filter = ("status", "visibility", "remix_kind")
    search_fields = ("author__handle",)  # captions are sealed: not searchable
    raw_id_fields = ("author", "remix_of", "sound", "mentions")
    readonly_fields = ("created_at", "published_at")
    protected_fields = ("caption", "mentions", "hashtags")


@admin.register(Sound)
class SoundAdmin(admin.ModelAdmin):
    list_display = ("title", "artist", "genre", "duration_ms", "is_original")
    list_filter = ("genre", "is_original")
    search_fields = ("title", "artist")
    raw_id_fields = ("created_by",)


@admin.register(Comment)
class CommentAdmin(ProtectedFieldsAdmin):
    list_display = ("video", "author", "text", "created_at")
    raw_id_fields = ("video", "author")
    protected_fields = ("author", "text")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # staff remove a comment; they never rewrite one


admin.site.register(Hashtag)
admin.site.site_header = "Clipdeck back office"
