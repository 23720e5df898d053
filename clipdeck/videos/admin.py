from django.contrib import admin

from clipdeck.videos.models import Comment, Hashtag, Sound, Video


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
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


@admin.register(Sound)
class SoundAdmin(admin.ModelAdmin):
    list_display = ("title", "artist", "genre", "duration_ms", "is_original")
    list_filter = ("genre", "is_original")
    search_fields = ("title", "artist")
    raw_id_fields = ("created_by",)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("video", "author", "text", "created_at")
    raw_id_fields = ("video", "author")


admin.site.register(Hashtag)
admin.site.site_header = "Clipdeck back office"
