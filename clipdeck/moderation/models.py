"""Reports, the cases they are grouped on, decisions with their statements of reasons,
appeals, and fingerprints of removed videos.

The state every read path obeys lives on the subject (``Video.moderation_state``,
``User.suspended_until``, ``Comment.state``, ``Sound.removed``,
``Product.removed``); these models keep the record of who asked, who decided,
why, and what the affected person said back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class TargetType(models.TextChoices):
    VIDEO = "video", "Video"
    COMMENT = "comment", "Comment"
    USER = "user", "Account"
    PRODUCT = "product", "Product"
    SOUND = "sound", "Sound"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    DECIDED = "decided", "Decided"


class CaseSource(models.TextChoices):
    REPORT = "report", "Reports"
    MATCH = "match", "Re-upload matching (automated)"


class Action(models.TextChoices):
    DISMISS = "dismiss", "No action"
    REMOVE = "remove", "Removed"
    RESTRICT = "restrict", "Restricted to you"
    AGE_GATE = "age_gate", "Age-gated"
    SUSPEND = "suspend", "Account suspended"
    WARN = "warn", "Warning"


class Case(models.Model):
    """Every open report about one item, decided together (duplicates grouped)."""

    target_type = models.CharField(max_length=10, choices=TargetType.choices)
    target_id = models.CharField(max_length=64)
    # The reported party: whose content or account it is (None: a library sound).
    target_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_cases",
    )
    status = models.CharField(max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    source = models.CharField(max_length=8, choices=CaseSource.choices, default=CaseSource.REPORT)
    severity = models.PositiveSmallIntegerField(default=1)
    report_count = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id"],
                condition=models.Q(status="open"),
                name="moderation_one_open_case_per_target",
            )
        ]
        indexes = [models.Index(fields=["status", "severity", "opened_at"])]

    def __str__(self) -> str:
        return f"case {self.pk}: {self.target_type} {self.target_id}"


class Report(models.Model):
    """One report (a notice, DSA art. 16): by a signed-in user, or anonymous with an email."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_made",
    )
    reporter_email = models.CharField(max_length=254, blank=True)
    reason = models.CharField(max_length=40)
    details = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"report {self.pk} on case {self.case_id}"


class Decision(models.Model):
    """A moderation decision; for the affected person it is the statement of reasons."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_decisions",
    )
    affected = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moderation_statements",
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    ground = models.CharField(max_length=40)
    explanation = models.TextField(max_length=2000)
    # Whether automated means detected the item (re-upload matching); decisions
    # themselves are always taken by a person.
    automated_detection = models.BooleanField(default=False)
    target_type = models.CharField(max_length=10, choices=TargetType.choices)
    target_id = models.CharField(max_length=64)
    target_summary = models.CharField(max_length=200, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    appealable_until = models.DateTimeField(null=True, blank=True)
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["affected", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return f"decision {self.pk}: {self.action}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    UPHELD = "upheld", "Decision upheld"
    REVERSED = "reversed", "Decision reversed"


class Appeal(models.Model):
    """The affected person's complaint about a decision (DSA art. 20): one per decision."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="appeal")
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_appeals"
    )
    text = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals_decided",
    )
    explanation = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"appeal of decision {self.decision_id}"


class Fingerprint(models.Model):
    """Perceptual frame hashes of a removed video, matched against new uploads."""

    video_id = models.UUIDField(unique=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hashes = models.JSONField(default=list)  # hex strings, one per sampled frame
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"fingerprint of {self.video_id}"
