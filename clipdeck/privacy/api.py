"""Privacy API: the data inventory, personal-data exports and account erasure.

``router`` serves the inventory, the transparency report and exports.
``DELETE /me`` shares its path with the accounts router's GET and PATCH, and
Ninja serves one path from one router: the API's wiring adds it to that router
with :func:`add_erase_operation`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.conf import settings
from django.contrib.auth import logout as session_logout
from ninja import Field, Router, Schema, Status

from clipdeck.kernel.auth import user_auth
from clipdeck.kernel.personal_data import records
from clipdeck.privacy import erasure, export
from clipdeck.privacy.models import DataExport
from clipdeck.privacy.transparency import transparency_report

router = Router(tags=["privacy"])


class InventoryItem(Schema):
    model: str
    field: str
    data_class: str
    purpose: str
    retention: str


class InventoryOut(Schema):
    region: str
    items: list[InventoryItem]


class ExportOut(Schema):
    id: UUID
    status: Literal["pending", "ready", "failed"]
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime
    size: int
    download_url: str | None


class ExportList(Schema):
    items: list[ExportOut]


class StaffAccessCount(Schema):
    role: str
    action: str
    count: int


class AuditCheckpointOut(Schema):
    seq: int = Field(description="The audit entry the checkpoint covers")
    entry_hash: str = Field(description="That entry's chain hash")
    at: datetime
    signature: str = Field(description="Ed25519 over seq and hash, base64")
    public_key: str = Field(description="The cell's checkpoint-signing key, base64")


class OutboundCount(Schema):
    data_class: str = Field(description="What the requests carried: none, public or personal")
    count: int


class TransparencyOut(Schema):
    since: datetime
    until: datetime
    outbound_requests: list[OutboundCount] = Field(
        description="Requests the cell sent out (egress client), by the data they carried"
    )
    outbound_requests_total: int
    staff_accesses: list[StaffAccessCount]
    staff_accesses_total: int
    erasures: int
    exports: int
    checkpoint: AuditCheckpointOut | None = Field(
        None, description="The newest witnessed checkpoint of the audit chain"
    )


class EraseIn(Schema):
    password: str
    otp: str | None = Field(None, max_length=32, description="Required when 2FA is on")


def _export_out(item: DataExport) -> dict:
    return {
        "id": item.pk,
        "status": item.status,
        "created_at": item.created_at,
        "finished_at": item.finished_at,
        "expires_at": item.expires_at,
        "size": item.size,
        "download_url": export.download_url(item),
    }


@router.get(
    "/privacy/inventory",
    response=InventoryOut,
    auth=None,
    operation_id="privacy_inventory",
    summary="Every kind of data this deployment stores: class, purpose, retention",
)
def inventory(request):
    return {"region": settings.CLIPDECK_REGION, "items": [record.as_dict() for record in records()]}


@router.get(
    "/privacy/transparency",
    response=TransparencyOut,
    auth=None,
    operation_id="privacy_transparency",
    summary="Last 30 days: staff accesses by role and action, erasures, exports",
)
def transparency(request):
    return transparency_report()


@router.post(
    "/me/export",
    response={202: ExportOut},
    auth=user_auth,
    operation_id="me_export_create",
    summary="Ask for a ZIP of everything about you (built in the background)",
)
def export_create(request):
    return Status(202, _export_out(export.export_request(user=request.auth)))


@router.get(
    "/me/exports",
    response=ExportList,
    auth=user_auth,
    operation_id="me_export_list",
    summary="Your exports, newest first",
)
def export_list(request):
    return {"items": [_export_out(item) for item in export.exports_of(request.auth)[:20]]}


@router.get(
    "/me/export/{export_id}",
    response=ExportOut,
    auth=user_auth,
    operation_id="me_export_get",
    summary="An export's status and, when ready, a signed download link",
)
def export_get(request, export_id: UUID):
    return _export_out(export.export_access(user=request.auth, export_id=export_id))


# No docstring: Ninja would publish it as the operation's description.
def me_erase(request, payload: EraseIn):
    erasure.account_erase_self(user=request.auth, password=payload.password, otp=payload.otp)
    if getattr(request, "session", None) is not None:
        session_logout(request)
    return Status(204, None)


def add_erase_operation(me_router: Router) -> None:
    """Serve ``DELETE /me`` (account erasure) from ``me_router``, the router of ``/me``."""
    me_router.delete(
        "/me",
        response={204: None},
        auth=user_auth,
        operation_id="me_erase",
        summary="Erase your account: data key shredded, rows and media deleted, backups included",
        tags=["privacy"],
    )(me_erase)
