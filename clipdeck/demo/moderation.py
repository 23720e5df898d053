"""Demo trust and safety: a moderator account and a few open reports, so the queue
is not empty on first run. Filed through the same services as the API."""

from __future__ import annotations

from clipdeck.accounts import services as accounts
from clipdeck.accounts.models import User
from clipdeck.moderation.services import moderator_enrol, report_create
from clipdeck.videos.models import Comment, Video, VideoStatus, Visibility

MODERATOR = "mod.maya"
# (reporter handle or None for an anonymous notice, reason, details)
REPORTS = (
    ("viewer.vic", "spam", "Same caption posted again and again with a link."),
    (None, "intellectual_property", "This uses my song without a licence."),
    ("viewer.vic", "harassment", "The comments pile on one person."),
)


def seed_moderation(*, password: str, email_domain: str) -> dict:
    """Make the moderator (two-factor on) and file the demo reports; what to print."""
    moderator = User.objects.filter(handle__iexact=MODERATOR).first()
    if moderator is not None:
        return {"handle": MODERATOR, "secret": None, "uri": None, "codes": [], "reports": 0}
    moderator = accounts.user_create(
        handle=MODERATOR,
        email=f"{MODERATOR}@{email_domain}",
        password=password,
        display_name="Maya (moderator)",
    )
    secret, uri, codes = moderator_enrol(user=moderator)
    return {
        "handle": MODERATOR,
        "secret": secret,
        "uri": uri,
        "codes": codes,
        "reports": _file_reports(),
    }


def _file_reports() -> int:
    public = Video.objects.filter(
        status=VideoStatus.PUBLISHED, visibility=Visibility.PUBLIC, author__is_private=False
    ).order_by("created_at")
    videos = list(public.exclude(author__handle__iexact="viewer.vic")[:3])
    filed = 0
    for (reporter_handle, reason, details), video in zip(REPORTS, videos, strict=False):
        reporter = User.objects.filter(handle__iexact=reporter_handle).first()
        comment = Comment.objects.filter(video=video).exclude(author=reporter).first()
        kind, target = (
            ("comment", str(comment.pk))
            if reason == "harassment" and comment
            else (
                "video",
                str(video.pk),
            )
        )
        report_create(
            reporter=reporter if reporter_handle else None,
            email=None if reporter_handle else "rights@label.example",
            target_type=kind,
            target_id=target,
            reason=reason,
            details=details,
        )
        filed += 1
    return filed
