"""Federation's data inventory, and its export, erasure and pruning hooks."""

from __future__ import annotations

from datetime import datetime, timedelta

from clipdeck.federation.models import (
    AccountMove,
    ActorKey,
    Delivery,
    DeliveryStatus,
    Destination,
    DomainPolicy,
    InboundFlag,
    ObjectLink,
    PublishedVideo,
    RemoteActor,
    RemoteVideo,
)
from clipdeck.kernel.personal_data import DataClass, Retention, declare, iso, register

PUB, PROT, INT = DataClass.PUBLIC, DataClass.PROTECTED, DataClass.INTERNAL
ACCOUNT = Retention.ACCOUNT
DELIVERIES = "Delivered or abandoned deliveries: 7 days."
DELIVERY_DAYS = 7

declare(
    ActorKey,
    {
        "id": (INT, "Internal key.", ACCOUNT),
        "user": (INT, "Whose key pair it is (the account's, not about the person).", ACCOUNT),
        "public_pem": (PUB, "Lets other servers verify the account's signatures.", ACCOUNT),
        "private_pem": (PROT, "Signs the account's activities; sealed with its data key.", ACCOUNT),
        "created_at": (INT, "Key age, for rotation.", ACCOUNT),
    },
)
declare(
    RemoteActor,
    {
        name: (PUB, "A remote account's public actor document, mirrored to federate.", ACCOUNT)
        for name in (
            "id",
            "uri",
            "domain",
            "username",
            "inbox",
            "shared_inbox",
            "followers_url",
            "profile_url",
            "key_id",
            "public_pem",
            "also_known_as",
            "moved_to",
            "user",
            "fetched_at",
        )
    },
)
declare(
    RemoteVideo,
    {
        name: (
            PUB,
            "A remote public video, stored to be served from this cell.",
            "Until deleted by its server.",
        )
        for name in (
            "id",
            "video",
            "actor",
            "uri",
            "url",
            "media_url",
            "caption",
            "sensitive",
            "error",
            "received_at",
        )
    },
)
declare(
    ObjectLink,
    {
        name: (PUB, "The URI of a public like or comment that crossed the wire.", ACCOUNT)
        for name in ("id", "uri", "kind", "like", "comment")
    },
)
declare(
    PublishedVideo,
    {
        "id": (INT, "Internal key.", ACCOUNT),
        "video_id": (PUB, "A public video announced to followers' servers.", ACCOUNT),
        "author": (PUB, "Its author (public).", ACCOUNT),
        "published_at": (INT, "When it was announced.", ACCOUNT),
    },
)
declare(
    AccountMove,
    {
        "id": (INT, "Internal key.", ACCOUNT),
        "user": (PUB, "Whose aliases and move these are.", ACCOUNT),
        "also_known_as": (PUB, "Accounts the owner may move from (public in the actor).", ACCOUNT),
        "moved_to": (PUB, "Where the account moved (public in the actor).", ACCOUNT),
        "moved_to_profile": (PUB, "Where the old profile redirects.", ACCOUNT),
        "moved_at": (PROT, "When the owner moved.", ACCOUNT),
    },
)
declare(
    Delivery,
    {
        "id": (INT, "Internal key.", DELIVERIES),
        "inbox": (INT, "A remote server's inbox.", DELIVERIES),
        "domain": (INT, "The remote server.", DELIVERIES),
        "activity": (PUB, "The public activity being delivered.", DELIVERIES),
        "signer": (PROT, "Which account signs the delivery.", DELIVERIES),
        "status": (INT, "Delivery state.", DELIVERIES),
        "attempts": (INT, "Retry accounting.", DELIVERIES),
        "next_attempt_at": (INT, "Backoff.", DELIVERIES),
        "last_error": (INT, "Why the last attempt failed (no personal data).", DELIVERIES),
        "created_at": (INT, "Queue latency.", DELIVERIES),
    },
)
for model, names in (
    (Destination, ("id", "domain", "failures", "retry_after")),
    (DomainPolicy, ("id", "domain", "action", "reason", "created_at")),
):
    declare(
        model,
        {
            name: (
                INT,
                "An operator's or the cell's rule for a remote server.",
                Retention.OPERATIONAL,
            )
            for name in names
        },
    )
declare(
    InboundFlag,
    {
        "id": (INT, "Internal key.", "Until moderators decide."),
        "activity_uri": (INT, "The remote report's identifier.", "Until moderators decide."),
        "reporter_domain": (
            INT,
            "Which server reported (never the reporting person).",
            "Until moderators decide.",
        ),
        "account": (PROT, "The reported account.", "Until moderators decide."),
        "video": (PROT, "The reported video.", "Until moderators decide."),
        "content": (PROT, "The remote moderator's comment.", "Until moderators decide."),
        "received_at": (INT, "Queue order.", "Until moderators decide."),
    },
)


def export(user) -> dict:
    move = AccountMove.objects.filter(user=user).first()
    return {
        "federation": {
            "also_known_as": move.also_known_as if move else [],
            "moved_to": move.moved_to if move else "",
            "moved_at": iso(move.moved_at) if move else None,
            "public_key": getattr(ActorKey.objects.filter(user=user).first(), "public_pem", ""),
        }
    }


def erase(user) -> None:
    ActorKey.objects.filter(user=user).delete()
    AccountMove.objects.filter(user=user).delete()
    Delivery.objects.filter(signer=user).delete()
    PublishedVideo.objects.filter(author=user).delete()


def prune(now: datetime) -> dict[str, int]:
    cutoff = now - timedelta(days=DELIVERY_DAYS)
    done = Delivery.objects.filter(created_at__lt=cutoff).exclude(status=DeliveryStatus.PENDING)
    deleted, _ = done.delete()
    return {"federation deliveries": deleted}


register("federation", export=export, erase=erase, prune=prune, prunes=["federation.Delivery"])
