"""What goes into a personal-data export: one JSON document per category.

Each collector returns plain JSON-ready data about one user. The feed and
shop apps are read only when installed. ``about`` lists, for every kind of
data the cell stores, its class, purpose, retention and where it is stored
(GDPR art. 15(1)(a), (d) and 20).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from clipdeck.kernel.personal_data import records
from clipdeck.privacy.residency import locations


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def about(user) -> dict:
    where = {p.name: f"{p.where} (region {p.region})" for p in locations() if p.configured}
    return {
        "generated_at": _iso(timezone.now()),
        "account": user.handle,
        "cell_region": settings.CLIPDECK_REGION,
        "stored_in": where,
        "data_kinds": [
            {
                **record.as_dict(),
                "stored_in": [name for name in where if name != "media"]
                + (["media"] if _is_file(record) and "media" in where else []),
            }
            for record in records()
        ],
    }


def _is_file(record) -> bool:
    field = apps.get_model(record.model)._meta.get_field(record.field)
    return field.get_internal_type() in {"FileField", "ImageField"}


def profile(user) -> dict:
    from clipdeck.accounts.services import user_email

    return {
        "handle": user.handle,
        "display_name": user.display_name,
        "bio": user.bio,
        "email": user_email(user),
        "is_private": user.is_private,
        "avatar": user.avatar.name or None,
        "created_at": _iso(user.created_at),
        "last_login": _iso(user.last_login),
    }


def videos(user) -> list[dict]:
    from clipdeck.videos.models import Video

    rows = Video.objects.filter(author=user).prefetch_related("hashtags").order_by("created_at")
    return [
        {
            "id": str(video.pk),
            "caption": video.caption,
            "hashtags": sorted(tag.name for tag in video.hashtags.all()),
            "status": video.status,
            "visibility": video.visibility,
            "edit": video.edit,
            "remix_of": str(video.remix_of_id) if video.remix_of_id else None,
            "remix_kind": video.remix_kind or None,
            "sound_id": video.sound_id,
            "allow_duet": video.allow_duet,
            "allow_react": video.allow_react,
            "allow_comments": video.allow_comments,
            "duration_ms": video.duration_ms,
            "original_upload": original_name(video),
            "created_at": _iso(video.created_at),
            "published_at": _iso(video.published_at),
        }
        for video in rows
    ]


def original_name(video) -> str | None:
    if not video.original:
        return None
    suffix = video.original.name.rsplit(".", 1)[-1] if "." in video.original.name else "bin"
    return f"originals/{video.pk}.{suffix}"


def comments(user) -> list[dict]:
    from clipdeck.videos.models import Comment

    rows = Comment.objects.filter(author=user).order_by("created_at")
    return [
        {"video": str(c.video_id), "text": c.text, "created_at": _iso(c.created_at)} for c in rows
    ]


def likes(user) -> list[dict]:
    from clipdeck.videos.models import Like

    rows = Like.objects.filter(user=user).order_by("created_at")
    return [{"video": str(like.video_id), "created_at": _iso(like.created_at)} for like in rows]


def shares(user) -> list[dict]:
    from clipdeck.videos.models import Share

    rows = Share.objects.filter(user=user).order_by("created_at")
    return [{"video": str(s.video_id), "created_at": _iso(s.created_at)} for s in rows]


def follows(user) -> dict:
    from clipdeck.accounts.models import Block, Follow

    def rows(query, other: str):
        found = Follow.objects.filter(query).select_related(other).order_by("created_at")
        return [
            {"account": getattr(f, other).handle, "state": f.state, "since": _iso(f.created_at)}
            for f in found
        ]

    blocked = Block.objects.filter(blocker=user).select_related("blocked").order_by("created_at")
    return {
        "following": rows(Q(follower=user), "followee"),
        "followers": rows(Q(followee=user), "follower"),
        "blocked": [{"account": b.blocked.handle, "since": _iso(b.created_at)} for b in blocked],
    }


def feed_events(user) -> list[dict]:
    if not apps.is_installed("clipdeck.feed"):
        return []
    from clipdeck.feed.models import Event

    rows = Event.objects.filter(user=user).order_by("at")
    return [
        {
            "type": event.get_kind_display(),
            "video": str(event.video_id),
            "watched_ms": event.watched_ms,
            "completion": event.completion,
            "at": _iso(event.at),
        }
        for event in rows.iterator()
    ]


def orders(user) -> list[dict]:
    if not apps.is_installed("clipdeck.shop"):
        return []
    from clipdeck.shop.models import Order
    from clipdeck.shop.personal import shipping_address

    rows = (
        Order.objects.filter(buyer=user)
        .select_related("merchant")
        .prefetch_related("lines", "payments")
        .order_by("created_at")
    )
    return [
        {
            "id": str(order.pk),
            "shop": order.merchant.name,
            "status": order.status,
            "currency": order.currency,
            "subtotal": order.subtotal,
            "shipping": order.shipping,
            "total": order.total,
            "shipping_address": shipping_address(order),
            "lines": [
                {
                    "title": line.title,
                    "variant": line.variant_title,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                }
                for line in order.lines.all()
            ],
            "payments": [
                {"status": p.status, "card_brand": p.card_brand, "card_last4": p.card_last4}
                for p in order.payments.all()
            ],
            "created_at": _iso(order.created_at),
        }
        for order in rows
    ]


def shop(user) -> dict | None:
    if not apps.is_installed("clipdeck.shop"):
        return None
    from clipdeck.shop.models import Merchant

    merchant = Merchant.objects.filter(user=user).first()
    if merchant is None:
        return None
    return {
        "name": merchant.name,
        "currency": merchant.currency,
        "shipping_countries": merchant.shipping_countries,
        "payout_account_last4": merchant.payout_last4 or None,
        "products": list(merchant.products.order_by("pk").values("handle", "title", "status")),
        "created_at": _iso(merchant.created_at),
    }


def accesses(user) -> list[dict]:
    """Staff accesses to this user's data, from the audit chain."""
    from clipdeck.kernel.models import AuditEntry

    rows = AuditEntry.objects.filter(subject=f"{user._meta.label}:{user.pk}").order_by("seq")
    return [
        {
            "at": _iso(e.at),
            "role": e.actor_role,
            "action": e.action,
            "fields": e.fields,
            "justification": e.justification,
        }
        for e in rows
    ]


CATEGORIES: dict[str, Callable] = {
    "about": about,
    "profile": profile,
    "videos": videos,
    "comments": comments,
    "likes": likes,
    "shares": shares,
    "follows": follows,
    "feed_events": feed_events,
    "orders": orders,
    "shop": shop,
    "staff_accesses": accesses,
}
