"""A remote actor whose keys the tests hold, to sign requests to this cell's inboxes."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from clipdeck.accounts.models import User
from clipdeck.federation import keys, signatures
from clipdeck.federation.models import RemoteActor
from clipdeck.kernel import keys as data_keys

REMOTE = "https://remote.example"


@pytest.fixture(autouse=True)
def _this_cell(settings):
    settings.PUBLIC_URL = "http://testserver"


@dataclass
class Remote:
    actor: RemoteActor
    private_pem: str

    def headers(self, method: str, path: str, body: bytes | None = None, **override) -> dict:
        """Django test-client headers of a request this actor signed."""
        headers = {"host": "testserver", "date": signatures.http_date()}
        if body is not None:
            headers["digest"] = signatures.digest_of(body)
            headers["content-type"] = "application/activity+json"
        headers.update(override.pop("signed", {}))
        signature = signatures.sign(
            method=method,
            path=path,
            headers=headers,
            key_id=self.actor.key_id,
            private_pem=self.private_pem,
        )
        return {
            "HTTP_DATE": headers["date"],
            "HTTP_DIGEST": headers.get("digest", ""),
            "HTTP_SIGNATURE": signature,
            "content_type": "application/activity+json",
            **override,  # sent as given, after signing: a tampered request
        }

    def post(self, client, path: str, activity: dict, **override):
        body = json.dumps(activity).encode()
        return client.post(path, body, **self.headers("POST", path, body, **override))


def make_remote(username: str = "carol", host: str = "remote.example") -> Remote:
    public_pem, private_pem = keys._new_pair()
    uri = f"https://{host}/users/{username}"
    user = User(handle=f"{username}.rem{len(host)}.fed", email="", email_index=f"remote:{uri}")
    user.set_unusable_password()
    data_keys.user_key_assign(user)
    user.save()
    data_keys.user_key_save(user)
    actor = RemoteActor.objects.create(
        uri=uri,
        domain=host,
        username=username,
        inbox=f"{uri}/inbox",
        shared_inbox=f"https://{host}/inbox",
        key_id=f"{uri}#main-key",
        public_pem=public_pem,
        user=user,
    )
    return Remote(actor, private_pem)


@pytest.fixture
def carol(db) -> Remote:
    """Carol, on remote.example: her key signs the requests of the tests."""
    return make_remote()
