"""WebFinger, NodeInfo, actors (also at /@handle) and collections."""

from __future__ import annotations

import pytest

from clipdeck.accounts.models import Follow, FollowState
from clipdeck.federation import signatures
from tests.factories import UserFactory

AP = "application/activity+json"


@pytest.mark.django_db
def test_webfinger_names_the_actor_of_a_local_account(client, alice):
    response = client.get("/.well-known/webfinger", {"resource": "acct:alice@testserver"})

    assert response.status_code == 200
    self_link = next(link for link in response.json()["links"] if link["rel"] == "self")
    assert self_link == {
        "rel": "self",
        "type": AP,
        "href": f"http://testserver/ap/users/{alice.pk}",
    }


@pytest.mark.django_db
def test_webfinger_also_resolves_profile_and_actor_urls(client, alice):
    for resource in ("http://testserver/@alice", f"http://testserver/ap/users/{alice.pk}"):
        response = client.get("/.well-known/webfinger", {"resource": resource})
        assert response.status_code == 200
        assert response.json()["links"][0]["href"] == f"http://testserver/ap/users/{alice.pk}"
    other = client.get("/.well-known/webfinger", {"resource": "http://elsewhere.example/@alice"})
    assert other.status_code == 404


@pytest.mark.django_db
def test_webfinger_refuses_other_hosts_unknown_and_remote_accounts(client, alice, carol):
    assert (
        client.get("/.well-known/webfinger", {"resource": "acct:alice@other.example"}).status_code
        == 404
    )
    assert (
        client.get("/.well-known/webfinger", {"resource": "acct:nobody@testserver"}).status_code
        == 404
    )
    mirror = f"acct:{carol.actor.user.handle}@testserver"
    assert client.get("/.well-known/webfinger", {"resource": mirror}).status_code == 404


@pytest.mark.django_db
def test_nodeinfo_counts_local_accounts_only(client, alice, carol):
    link = client.get("/.well-known/nodeinfo").json()["links"][0]["href"]
    assert link == "http://testserver/nodeinfo/2.0"
    info = client.get("/nodeinfo/2.0").json()
    assert info["protocols"] == ["activitypub"]
    assert info["usage"]["users"]["total"] == 1


@pytest.mark.django_db
def test_profile_url_answers_the_actor_to_activitypub_clients_and_html_to_browsers(client, alice):
    actor = client.get("/@alice", HTTP_ACCEPT=AP)

    assert actor.status_code == 200
    document = actor.json()
    assert document["id"] == f"http://testserver/ap/users/{alice.pk}"
    assert document["type"] == "Person"
    assert document["preferredUsername"] == "alice"
    assert document["inbox"].endswith("/inbox")
    assert document["endpoints"]["sharedInbox"] == "http://testserver/inbox"
    assert "BEGIN PUBLIC KEY" in document["publicKey"]["publicKeyPem"]
    assert "email" not in document
    assert client.get("/@alice").headers["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_the_key_pair_is_made_once_and_its_private_half_is_sealed(client, alice):
    first = client.get(f"/ap/users/{alice.pk}").json()["publicKey"]["publicKeyPem"]
    second = client.get(f"/ap/users/{alice.pk}").json()["publicKey"]["publicKeyPem"]

    assert first == second
    assert "PRIVATE KEY" not in alice.actor_key.private_pem


@pytest.mark.django_db
def test_followers_collection_gives_the_total_but_never_the_list(client, alice):
    for _ in range(2):
        Follow.objects.create(follower=UserFactory(), followee=alice, state=FollowState.FOLLOWING)

    document = client.get(f"/ap/users/{alice.pk}/followers").json()

    assert document["totalItems"] == 2
    assert "orderedItems" not in document


@pytest.mark.django_db
def test_signed_fetch_mode_refuses_unsigned_reads_but_not_the_instance_actor(
    client, settings, alice, carol
):
    settings.CLIPDECK_FEDERATION_SIGNED_FETCH = True
    path = f"/ap/users/{alice.pk}"

    assert client.get(path).status_code == 401
    assert client.get("/actor").status_code == 200
    signed = carol.headers("GET", path)
    signed.pop("content_type")
    assert client.get(path, **signed).status_code == 200


@pytest.mark.django_db
def test_a_signature_with_a_changed_header_or_an_old_date_does_not_verify(carol):
    headers = {"host": "testserver", "date": "Mon, 07 Dec 2026 04:00:00 GMT"}
    header = signatures.sign(
        method="GET", path="/x", headers=headers, key_id="k", private_pem=carol.private_pem
    )
    parsed = signatures.parse(header)
    pem = carol.actor.public_pem

    assert signatures.verify(parsed, method="GET", path="/x", headers=headers, public_pem=pem)
    assert not signatures.verify(parsed, method="GET", path="/y", headers=headers, public_pem=pem)
    with pytest.raises(signatures.SignatureError):
        signatures.check_freshness({"date": "Mon, 01 Jan 2001 00:00:00 GMT"})
    with pytest.raises(signatures.SignatureError):
        signatures.check_digest({"digest": signatures.digest_of(b"a")}, b"b")
