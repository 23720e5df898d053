"""The data inventory told in plain words: grouped by what the data is for.

Each group names the models it covers; a model no group names (a new app's)
lands in "Running the service", so the summary never hides a declaration.
The full technical table stays on the page, behind a disclosure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from clipdeck.kernel.personal_data import DataClass, FieldRecord, records


@dataclass(frozen=True)
class Purpose:
    key: str
    title: str
    summary: str
    models: tuple[str, ...]


@dataclass
class PurposeGroup:
    purpose: Purpose
    rows: list[FieldRecord] = field(default_factory=list)

    def count(self, data_class: str) -> int:
        return sum(1 for row in self.rows if row.data_class == data_class)

    @property
    def private_count(self) -> int:
        return self.count(DataClass.PROTECTED)

    @property
    def public_count(self) -> int:
        return self.count(DataClass.PUBLIC)

    @property
    def kept(self) -> list[str]:
        """How long this group's data is kept, most common rule first (from the inventory)."""
        counts = Counter(row.retention for row in self.rows)
        return [retention for retention, _ in counts.most_common()]


PURPOSES = (
    Purpose(
        "account",
        "Your account and signing in",
        "Your handle, display name, email address and password (stored only as a "
        "one-way hash), the devices you are signed in on, and your two-factor set-up.",
        ("accounts.User", "accounts.ApiToken", "accounts.TwoFactor", "sessions.Session"),
    ),
    Purpose(
        "posts",
        "What you post",
        "Your videos, drafts, captions, comments, likes and shares, and the sounds you "
        "create. Videos you make public are visible to everyone; drafts and private "
        "videos only to you.",
        (
            "videos.Video",
            "videos.Comment",
            "videos.Like",
            "videos.Share",
            "videos.Sound",
            "videos.Hashtag",
            "studio.RenderJob",
        ),
    ),
    Purpose(
        "people",
        "The people you follow and block",
        "Who you follow, who asked to follow you, and who you blocked. A private "
        "account's followers are visible only to it.",
        ("accounts.Follow", "accounts.Block"),
    ),
    Purpose(
        "for-you",
        "What you watch, to shape For You",
        "Which videos you watched, skipped, liked or marked “not interested”, so For You "
        "can suggest more of what you enjoy. You can switch personalisation off on the "
        "feed, or start afresh, at any time.",
        ("feed.Event", "feed.FeedControl", "feed.VideoStats"),
    ),
    Purpose(
        "shopping",
        "Shopping",
        "Your cart, your orders and their delivery address (sealed with a key only "
        "your account opens), and, for sellers, the shop's catalog. Card numbers are "
        "never stored: only the last four digits.",
        tuple(
            f"shop.{name}"
            for name in (
                "Cart",
                "CartItem",
                "Order",
                "OrderLine",
                "OrderEvent",
                "Payment",
                "Notification",
                "Merchant",
                "Product",
                "ProductImage",
                "Variant",
                "VideoProduct",
                "CatalogImport",
            )
        ),
    ),
    Purpose(
        "privacy",
        "Your privacy requests",
        "Data exports you asked for, and the keys that lock your private data (deleting "
        "your account destroys them, which makes every copy unreadable, backups too).",
        ("privacy.DataExport", "kernel.UserKey"),
    ),
    Purpose(
        "service",
        "Running the service safely",
        "A tamper-evident log of every staff look at personal data, counters for the "
        "transparency report, and what keeps the servers healthy. None of it is used "
        "to profile you.",
        (),
    ),
)
FALLBACK = PURPOSES[-1]


def purpose_groups() -> list[PurposeGroup]:
    """Every declared field, under the purpose it serves, in the order of ``PURPOSES``."""
    by_model = {model: purpose for purpose in PURPOSES for model in purpose.models}
    groups = {purpose.key: PurposeGroup(purpose) for purpose in PURPOSES}
    for record in records():
        groups[by_model.get(record.model, FALLBACK).key].rows.append(record)
    return [group for group in groups.values() if group.rows]
