"""Back office for accounts: nothing personal is shown except through the access gateway.

Follows and blocks are personal through and through (who follows whom, who
blocked whom): their lists show row numbers only, and each side is revealed
through the gateway with a justification. They are read-only here.
"""

from django.contrib import admin

from clipdeck.accounts.models import Block, Follow, User
from clipdeck.kernel.admin import ProtectedFieldsAdmin


@admin.register(User)
class UserAdmin(ProtectedFieldsAdmin):
    list_display = ("handle", "display_name", "is_private", "is_active", "is_staff", "created_at")
    list_filter = ("is_private", "is_active", "is_staff")
    search_fields = ("handle", "display_name")
    readonly_fields = ("last_login", "created_at")
    # The bio of a private account is not public: revealed like the email.
    protected_fields = ("email", "bio")
    hidden_fields = ("password", "email_index")
    # The privacy app adds its audited erasure action to this list.

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # accounts go only through the erasure action (it shreds the data key)


class PersonalRowsAdmin(ProtectedFieldsAdmin):
    """A model that is only personal content: listed by number, read through the gateway."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Follow)
class FollowAdmin(PersonalRowsAdmin):
    list_display = ("follower", "followee", "state", "created_at")
    list_filter = ("state",)


@admin.register(Block)
class BlockAdmin(PersonalRowsAdmin):
    list_display = ("blocker", "blocked", "created_at")
