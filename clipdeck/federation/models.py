"""ActivityPub state: keys, remote actors and objects, deliveries, domain rules, reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ActorKey(models.Model):
    """The RSA key pair an actor signs with; ``user`` empty means the instance actor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actor_key",
    )
    public_pem = models.TextField()
    private_pem = models.TextField()  # sealed with the account's data key (instance: cell key)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], name="one_instance_key", condition=models.Q(user__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"key of {self.user_id or 'the instance'}"


class RemoteActor(models.Model):
    """An actor of another server, mirrored by a local account that cannot sign in.

    The mirror (``user``) lets follows, blocks, likes, comments and feeds work
    through the same models and visibility rules as local accounts.
    """

    uri = models.URLField(max_length=500, unique=True)
    domain = models.CharField(max_length=255, db_index=True)
    username = models.CharField(max_length=100)
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(max_length=500, blank=True)
    followers_url = models.URLField(max_length=500, blank=True)
    profile_url = models.URLField(max_length=500, blank=True)
    key_id = models.CharField(max_length=500)
    public_pem = models.TextField()
    also_known_as = models.JSONField(default=list, blank=True)
    moved_to = models.URLField(max_length=500, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="remote_actor"
    )
    fetched_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.username}@{self.domain}"

    @property
    def acct(self) -> str:
        return f"{self.username}@{self.domain}"

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


class RemoteVideo(models.Model):
    """A video of a remote actor, stored and served by this cell (never hot-linked)."""

    video = models.OneToOneField(
        "videos.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="remote"
    )
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="videos")
    uri = models.URLField(max_length=500, unique=True)
    url = models.URLField(max_length=500, blank=True)
    media_url = models.URLField(max_length=500)
    caption = models.CharField(max_length=2200, blank=True)
    sensitive = models.BooleanField(default=False)
    error = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.uri


class ObjectLink(models.Model):
    """The URI of a like or comment that crossed the wire, to undo or delete it later."""

    class Kind(models.TextChoices):
        LIKE = "like", "Like"
        COMMENT = "comment", "Comment"

    uri = models.URLField(max_length=500, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    like = models.OneToOneField(
        "videos.Like", null=True, blank=True, on_delete=models.CASCADE, related_name="fed_link"
    )
    comment = models.OneToOneField(
        "videos.Comment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fed_link",
    )

    def __str__(self) -> str:
        return self.uri


class PublishedVideo(models.Model):
    """A local video announced with ``Create``: later edits send ``Update``, removal ``Delete``."""

    video_id = models.UUIDField(unique=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="published_videos"
    )
    published_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return str(self.video_id)


class AccountMove(models.Model):
    """A local account's aliases (``alsoKnownAs``) and where it moved (``movedTo``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_move"
    )
    also_known_as = models.JSONField(default=list, blank=True)
    moved_to = models.URLField(max_length=500, blank=True)
    moved_to_profile = models.URLField(max_length=500, blank=True)
    moved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} → {self.moved_to or '-'}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Delivered"
    FAILED = "failed", "Gave up"


class Delivery(models.Model):
    """One activity to one inbox; retried with backoff, independently per destination."""

    inbox = models.URLField(max_length=500)
    domain = models.CharField(max_length=255)
    activity = models.JSONField()
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "domain", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.domain} ({self.status})"


class Destination(models.Model):
    """How a remote server answered lately: a dead one is skipped until ``retry_after``."""

    domain = models.CharField(max_length=255, unique=True)
    failures = models.PositiveIntegerField(default=0)
    retry_after = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.domain


class DomainPolicy(models.Model):
    """An operator's rule for a remote domain: block (nothing in or out) or limit."""

    class Action(models.TextChoices):
        BLOCK = "block", "Block: refuse everything to and from it"
        LIMIT = "limit", "Limit: its videos stay out of For You; follows need approval"

    domain = models.CharField(max_length=255, unique=True)
    action = models.CharField(max_length=8, choices=Action.choices)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.action} {self.domain}"


class InboundFlag(models.Model):
    """A report (``Flag``) from a remote server, waiting for the moderation queue."""

    activity_uri = models.URLField(max_length=500, unique=True)
    reporter_domain = models.CharField(max_length=255)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    video = models.ForeignKey("videos.Video", null=True, blank=True, on_delete=models.CASCADE)
    content = models.CharField(max_length=1000, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.activity_uri
