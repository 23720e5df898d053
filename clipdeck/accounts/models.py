"""Users, the social graph (follows, follow requests, blocks) and API tokens.

Personal fields (email) are read and written only through
``clipdeck.accounts.services`` so that their storage can change in one place.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from clipdeck.kernel.sealed_fields import SealedTextField


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, viewer: User | None) -> UserQuerySet:
        """Profiles ``viewer`` may open (rules P1–P3 of ``clipdeck.accounts.policies``)."""
        from clipdeck.accounts.policies import profiles_visible_to

        return profiles_visible_to(self, viewer)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)

    def visible_to(self, viewer: User | None) -> UserQuerySet:
        """Profiles ``viewer`` may open (see :meth:`UserQuerySet.visible_to`)."""
        return self.get_queryset().visible_to(viewer)

    def get_by_natural_key(self, handle: str | None) -> User:
        """The account ``handle`` names, in any letter case (sign-in, fixtures)."""
        return self.get(handle__iexact=handle)

    def create_user(self, handle: str, email: str, password: str | None = None, **extra) -> User:
        from clipdeck.accounts.services import user_create

        return user_create(handle=handle, email=email, password=password, **extra)

    def create_superuser(
        self, handle: str, email: str, password: str | None = None, **extra
    ) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(handle, email, password, **extra)


class CommentsFrom(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    FOLLOWERS = "followers", "Followers"
    NOBODY = "nobody", "Nobody"


class User(AbstractBaseUser, PermissionsMixin):
    handle = models.CharField(max_length=24, unique=True)
    display_name = models.CharField(max_length=50, blank=True)
    # Sealed with the account's own data key: reads and writes as text.
    bio = SealedTextField(label="accounts.User.bio")
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    # Protected: only accounts.services reads or writes these two. ``email`` holds
    # the address encrypted with the user's data key (clipdeck.kernel.keys).
    email = models.CharField(max_length=512)
    email_index = models.CharField(max_length=64, unique=True, editable=False)
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_private = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Set by a moderation decision: until then the account and its content are
    # seen by nobody (rule P1), and it cannot post or comment. The owner still
    # signs in, to read the statement of reasons and appeal.
    suspended_until = models.DateTimeField(null=True, blank=True)
    # Creator controls: who may comment on the account's videos, and words
    # whose comments wait for the owner's approval.
    comments_from = models.CharField(
        max_length=10, choices=CommentsFrom.choices, default=CommentsFrom.EVERYONE
    )
    comment_filter_keywords = models.JSONField(default=list, blank=True)
    # Viewing preference: show captions whenever a video plays without sound.
    captions_when_muted = models.BooleanField(default=True)

    objects = UserManager()

    USERNAME_FIELD = "handle"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("handle"), name="accounts_user_handle_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"

    @property
    def name(self) -> str:
        return self.display_name or self.handle

    @property
    def is_suspended(self) -> bool:
        """Whether a moderation suspension is in force now."""
        return self.suspended_until is not None and self.suspended_until > timezone.now()


class FollowState(models.TextChoices):
    FOLLOWING = "following", "Following"
    REQUESTED = "requested", "Requested"


class Follow(models.Model):
    """``follower`` follows ``followee``; ``requested`` awaits a private account's approval."""

    follower = models.ForeignKey(User, on_delete=models.CASCADE, related_name="following_set")
    followee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follower_set")
    state = models.CharField(max_length=10, choices=FollowState.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_once"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")), name="follow_not_self"
            ),
        ]
        indexes = [models.Index(fields=["followee", "state", "created_at"])]

    def __str__(self) -> str:
        return f"Follow #{self.pk}"  # who follows whom is personal: never in a label


class Block(models.Model):
    """``blocker`` blocked ``blocked``: the blocked user sees nothing of the blocker."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"Block #{self.pk}"  # who blocked whom is personal: never in a label


class ApiToken(models.Model):
    """A bearer token for API clients; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Token #{self.pk}"


class TwoFactor(models.Model):
    """TOTP second factor of an account: the secret is sealed with the user's data key.

    ``confirmed_at`` is empty until the user proved their app works; only then
    is the second factor required. Recovery codes are kept as keyed hashes and
    removed when used.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="two_factor")
    secret = models.CharField(max_length=512)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)
    recovery_hashes = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Second factor #{self.pk}"
