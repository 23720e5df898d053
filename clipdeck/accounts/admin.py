from django.contrib import admin

from clipdeck.accounts.models import Block, Follow, User
from clipdeck.kernel.admin import ProtectedFieldsAdmin


@admin.register(User)
class UserAdmin(ProtectedFieldsAdmin):
    list_display = ("handle", "display_name", "is_private", "is_active", "is_staff", "created_at")
    list_filter = ("is_private", "is_active", "is_staff")
    search_fields = ("handle", "display_name")
    # Email and its index are protected: shown only through the access gateway (audited).
    exclude = ("email", "email_index", "password")
    readonly_fields = ("last_login", "created_at")
    protected_fields = ("email",)
    # The privacy app adds its audited erasure action to this list.

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # accounts go only through the erasure action (it shreds the data key)


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("follower", "followee", "state", "created_at")
    list_filter = ("state",)
    raw_id_fields = ("follower", "followee")


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("blocker", "blocked", "created_at")
    raw_id_fields = ("blocker", "blocked")
