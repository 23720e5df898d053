"""Federation API: follow someone on another server, aliases, moving, and graph files."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from clipdeck.accounts.models import Follow
from clipdeck.accounts.services import follow_create
from clipdeck.federation import migration, remote
from clipdeck.kernel.auth import user_auth
from clipdeck.kernel.errors import InvalidInput

router = Router(tags=["federation"])
MAX_IMPORT_BYTES = 1_000_000


class AccountIn(Schema):
    account: str = Field(max_length=600, description="name@server, or an actor URI")


class RemoteAccountOut(Schema):
    acct: str
    actor: str
    handle: str = Field(description="The account's handle on this server (for its profile)")
    display_name: str
    state: str = Field(description="none, requested or following")


class AliasesIn(Schema):
    aliases: list[str] = Field(max_length=10, description="Accounts this one may be moved from")


class AliasesOut(Schema):
    also_known_as: list[str]


class MoveIn(Schema):
    target: str = Field(max_length=600, description="The new account, name@server")


class MoveOut(Schema):
    moved_to: str
    moved_to_profile: str


class ImportOut(Schema):
    done: int
    failed: int


def _out(actor, viewer) -> dict:
    follow = Follow.objects.filter(follower=viewer, followee=actor.user).first()
    return {
        "acct": actor.acct,
        "actor": actor.uri,
        "handle": actor.user.handle,
        "display_name": actor.user.display_name,
        "state": follow.state if follow else "none",
    }


@router.get(
    "/federation/lookup",
    response=RemoteAccountOut,
    auth=user_auth,
    operation_id="federation_lookup",
    summary="Find an account on another server (name@server)",
)
def federation_lookup(request, account: str):
    return _out(remote.resolve_account(account), request.auth)


@router.post(
    "/federation/follows",
    response=RemoteAccountOut,
    auth=user_auth,
    operation_id="federation_follow",
    summary="Follow an account on another server; it stays requested until that server accepts",
)
def federation_follow(request, payload: AccountIn):
    actor = remote.resolve_account(payload.account)
    follow_create(follower=request.auth, followee=actor.user)
    return _out(actor, request.auth)


@router.put(
    "/federation/aliases",
    response=AliasesOut,
    auth=user_auth,
    operation_id="federation_aliases_set",
    summary="Name the accounts you may move here from (alsoKnownAs)",
)
def federation_aliases_set(request, payload: AliasesIn):
    return {"also_known_as": migration.aliases_set(user=request.auth, accounts=payload.aliases)}


@router.post(
    "/federation/move",
    response=MoveOut,
    auth=user_auth,
    operation_id="federation_move",
    summary="Move your account to another server: your followers follow the new account",
)
def federation_move(request, payload: MoveIn):
    move = migration.account_move(user=request.auth, target=payload.target)
    return {"moved_to": move.moved_to, "moved_to_profile": move.moved_to_profile}


@router.get(
    "/federation/export/{kind}",
    auth=user_auth,
    operation_id="federation_export",
    summary="Your follows, blocks or favourites as a CSV file",
)
def federation_export(request, kind: str):
    text = migration.export_csv(user=request.auth, kind=kind)
    response = HttpResponse(text, content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
    return response


@router.post(
    "/federation/import/{kind}",
    response=ImportOut,
    auth=user_auth,
    operation_id="federation_import",
    summary="Follow, block or favourite what an exported CSV file lists",
)
def federation_import(request, kind: str, file: File[UploadedFile]):
    if file.size > MAX_IMPORT_BYTES:
        raise InvalidInput("The file is larger than 1 MB.", code="file_too_large", field="file")
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The file is not UTF-8 text.", code="not_text", field="file") from None
    return migration.import_csv(user=request.auth, kind=kind, text=text)
