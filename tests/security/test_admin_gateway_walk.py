"""The access gateway is the only door: every back-office URL, walked as staff.

Real rows exist for every registered model, each carrying a distinctive
protected value (an email, a bio, a private and a draft caption, an edit spec,
a comment on a private video, who follows and who blocks whom, a payout
account, a shipping address, an API token, a task's argument). Every URL of
the admin site and of every model admin — lists, change, add, delete
confirmation, history, view-on-site, and the custom views such as the
gateway's reveal page — is requested by an operator who signed in with a
password and a second factor. A protected value may appear in a response only
when that very request appended an audit entry naming the actor, the record
and the justification; and the transparency page counts those reads from
the chain itself.
"""

from __future__ import annotations

import base64
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver
from django_otp.oath import TOTP

from clipdeck.accounts import services as accounts
from clipdeck.accounts import two_factor
from clipdeck.federation.models import Delivery, DomainPolicy, InboundFlag, RemoteActor
from clipdeck.kernel import gateway
from clipdeck.kernel.models import AuditEntry
from clipdeck.shop import sealed_fields
from clipdeck.shop.models import Order
from clipdeck.shop.tasks import import_catalog
from clipdeck.videos.models import Hashtag, VideoStatus, Visibility
from tests.factories import (
    PASSWORD,
    BlockFactory,
    CommentFactory,
    FollowFactory,
    SoundFactory,
    UserFactory,
    VideoFactory,
)
from tests.shop.factories import ADDRESS, MerchantFactory

pytestmark = pytest.mark.django_db

EMAIL = "alice.secret-mailbox@example.org"
BIO = "BIO-secret-moonlight-7731"
PRIVATE_CAPTION = "PRIVATE-caption-xq81 for close friends"
DRAFT_CAPTION = "DRAFT-caption-pw55 not posted yet"
EDIT_SPEC = "EDITSPEC-overlay-991"
PRIVATE_COMMENT = "COMMENT-on-private-ja72"
PAYOUT = "GB29NWBK60161331926819"
STREET = "42 Hidden Lane Apt 7"
TASK_ARGUMENT = "TASKARG-secret-884"
JUSTIFICATION = "Support case 5521: the account holder asked us to check this."


def totp(secret: str, drift: int = 0) -> str:
    return f"{TOTP(base64.b32decode(secret), drift=drift).token():06d}"


@pytest.fixture
def operator():
    user = UserFactory(handle="operator1", is_staff=True, is_superuser=True)
    secret = two_factor.setup(user).secret
    two_factor.confirm(user, totp(secret, drift=-1))  # the next code signs in
    return user, secret


@pytest.fixture
def staff_client(operator):
    user, secret = operator
    client = Client()
    client.post("/login", {"login": user.handle, "password": PASSWORD, "next": "/admin/"})
    response = client.post("/login", {"otp": totp(secret), "next": "/admin/"})
    assert response.status_code == 302, "signed in with the second factor"
    assert client.get("/admin/").status_code == 200
    return client


@pytest.fixture
def seeded(db):
    """One row at least of every registered model, with protected values to look for."""
    alice = UserFactory(handle="alice_w", email=EMAIL, is_private=True)
    accounts.user_update_profile(user=alice, bio=BIO)
    fan, idol = UserFactory(handle="fan_pair_a"), UserFactory(handle="idol_pair_b")
    blocker, blocked = UserFactory(handle="blocker_pair_c"), UserFactory(handle="blocked_pair_d")
    follow = FollowFactory(follower=fan, followee=idol)
    block = BlockFactory(blocker=blocker, blocked=blocked)
    public = VideoFactory(author=idol, caption="a public caption everyone sees")
    private = VideoFactory(
        author=alice,
        caption=PRIVATE_CAPTION,
        visibility=Visibility.PRIVATE,
        edit={"texts": [{"text": EDIT_SPEC}]},
    )
    draft = VideoFactory(
        author=alice, caption=DRAFT_CAPTION, status=VideoStatus.DRAFT, published_at=None
    )
    comment = CommentFactory(video=private, author=fan, text=PRIVATE_COMMENT)
    CommentFactory(video=public, author=fan, text="nice one")
    SoundFactory(created_by=idol)
    Hashtag.objects.get_or_create(name="demo")
    Group.objects.get_or_create(name="support")
    merchant = MerchantFactory(user=idol)
    merchant.payout_account = sealed_fields.seal_payout_account(idol, PAYOUT)
    merchant.save()
    Order.objects.create(
        buyer=alice,
        merchant=merchant,
        currency="USD",
        subtotal=100,
        total=100,
        shipping_address=sealed_fields.seal_shipping_address(alice, {**ADDRESS, "line1": STREET}),
        idempotency_key="k1",
        request_hash="h" * 64,
    )
    token = accounts.token_issue(user=alice)
    earlier = UserFactory(handle="support1", is_staff=True, is_superuser=True)
    gateway.read_protected(actor=earlier, subject=alice, field="email", purpose=JUSTIFICATION)
    import_catalog.enqueue(TASK_ARGUMENT)
    _federation_rows(alice, private)
    secrets = {
        EMAIL: alice,
        BIO: alice,
        PRIVATE_CAPTION: private,
        DRAFT_CAPTION: draft,
        EDIT_SPEC: private,
        PRIVATE_COMMENT: comment,
        PAYOUT: merchant,
        STREET: alice,
        token: alice,
        TASK_ARGUMENT: None,
    }
    pairs = {  # rows whose very existence pairs two people
        follow: (fan, idol),
        block: (blocker, blocked),
    }
    return secrets, pairs


def _federation_rows(alice, private) -> None:
    remote = RemoteActor.objects.create(
        uri="https://remote.example/users/zed",
        domain="remote.example",
        username="zed",
        inbox="https://remote.example/users/zed/inbox",
        key_id="https://remote.example/users/zed#main-key",
        public_pem="-----BEGIN PUBLIC KEY-----",
        user=UserFactory(handle="zed_remote"),
    )
    DomainPolicy.objects.create(domain="spam.example", action="block", reason="spam")
    Delivery.objects.create(
        inbox=remote.inbox,
        domain=remote.domain,
        activity={"type": "Create", "object": {"content": PRIVATE_CAPTION}},
        signer=alice,
    )
    InboundFlag.objects.create(
        activity_uri="https://remote.example/flags/1",
        reporter_domain=remote.domain,
        account=alice,
        video=private,
        content=PRIVATE_COMMENT,
    )


def label(obj) -> str:
    return f"{obj._meta.label}:{obj.pk}"


def model_paths(model, model_admin) -> list[tuple[str, str]]:
    """``(method, path)`` for each URL pattern of one model admin, filled with real rows."""
    prefix = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    rows = list(model._default_manager.all())
    assert rows, f"seed a {model._meta.label} row so its pages are walked"
    paths = []
    for pattern in model_admin.get_urls():
        route = str(pattern.pattern)
        ids = [str(row.pk) for row in rows] if "<path:object_id>" in route else [None]
        fields = ["__nothing__"]
        if "<str:field>" in route:
            revealable = getattr(model_admin, "revealable_fields", None)
            known = revealable() if revealable else list(model_admin.protected_fields)
            fields = [*known, "password", "no_such_field"]
        for object_id in ids:
            for field in fields:
                filled = route.replace("<path:object_id>", object_id or "")
                filled = filled.replace("<str:field>", field)
                assert "<" not in filled, f"extend the walk to {route!r}"
                paths.append(("GET", prefix + filled))
                if "reveal" in route:
                    paths.append(("POST", prefix + filled))
    return paths


def site_paths() -> list[tuple[str, str]]:
    """The admin site's own URLs (index, app lists, view on site, password, …)."""
    paths = []
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLResolver):
            continue
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if route.startswith("^(?P<app_label>"):
            labels = re.match(r"\^\(\?P<app_label>([^)]*)\)", route).group(1).split("|")
            paths += [("GET", f"/admin/{app}/") for app in labels]
        elif route.startswith("r/<"):  # view on site: r/<content_type_id>/<object_id>/
            for model in admin.site._registry:
                content_type = ContentType.objects.get_for_model(model)
                for row in model._default_manager.all():
                    paths.append(("GET", f"/admin/r/{content_type.pk}/{row.pk}/"))
        elif route == "(?P<url>.*)$":  # the catch-all: any other address
            paths.append(("GET", "/admin/no/such/page/"))
        else:
            assert "<" not in route, f"extend the walk to {route!r}"
            paths.append(("GET", f"/admin/{route}"))
    return paths


def every_admin_path() -> list[tuple[str, str]]:
    paths = site_paths()
    for model, model_admin in admin.site._registry.items():
        paths += model_paths(model, model_admin)
    return paths


def pair_shown(html: str, row, people) -> bool:
    """Whether a page shows who is on both sides of a follow or a block."""
    first, second = people
    if first.handle in html and second.handle in html:
        return True
    links = [f"/admin/accounts/user/{person.pk}/" for person in people]
    labels = [f"{first.pk} → {second.pk}", f"{first.pk} blocked {second.pk}"]
    return all(link in html for link in links) or any(text in html for text in labels)


def request(client: Client, method: str, path: str):
    if method == "POST":
        return client.post(path, {"justification": JUSTIFICATION})
    return client.get(path)


def test_no_admin_page_shows_protected_data_except_through_an_audited_gateway_read(
    seeded, staff_client, operator
):
    secrets, pairs = seeded
    staff = operator[0]
    walked, reveals = 0, 0
    for method, path in every_admin_path():
        head = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        response = request(staff_client, method, path)
        assert response.status_code < 500, path
        html = response.content.decode(errors="replace")
        audited = list(AuditEntry.objects.filter(seq__gt=head, action="read"))
        walked += 1
        for secret, subject in secrets.items():
            if secret not in html:
                continue
            assert subject is not None, f"{method} {path} shows {secret!r}"
            assert [(e.actor_id, e.actor_role, e.subject, e.justification) for e in audited] == [
                (staff.pk, "operator", label(subject), JUSTIFICATION)
            ], f"{method} {path} shows {secret!r} without an audited gateway read"
            reveals += 1
        for row, people in pairs.items():
            if "/admin/accounts/user/" in path:
                continue  # the accounts list names everyone, not who follows whom
            if pair_shown(html, row, people):
                assert [(e.actor_id, e.subject) for e in audited] == [(staff.pk, label(row))], (
                    f"{method} {path} pairs {people} without an audited gateway read"
                )
                reveals += 1
    assert walked > 100
    assert reveals >= 6  # email, bio, both captions, edit spec, comment... each revealed once

    # The transparency report counts exactly these reads, from the chain's rows.
    assert AuditEntry.objects.filter(actor_id=staff.pk, action="read").count() >= reveals
    staff_reads = AuditEntry.objects.exclude(actor_role="system").count()
    page = Client().get("/transparency").content.decode()
    total = re.search(r"data-staff-total>(\d+)<", page).group(1)
    assert int(total) == staff_reads
    assert (
        Client().get("/api/v1/privacy/transparency").json()["staff_accesses_total"] == staff_reads
    )


def test_every_protected_field_is_left_out_of_lists_search_filters_and_forms(rf, operator):
    request = rf.get("/admin/")
    request.user = operator[0]
    for model, model_admin in admin.site._registry.items():
        masked = getattr(model_admin, "masked_fields", lambda: set())()
        from clipdeck.kernel.personal_data import DataClass, records

        declared = {
            r.field
            for r in records()
            if r.model == model._meta.label and r.data_class == DataClass.PROTECTED
        }
        if model._meta.label == "kernel.AuditEntry":
            continue  # the audit log itself names records by id, for auditors
        assert declared <= masked, f"{model._meta.label} shows {declared - masked}"
        shown = [
            *model_admin.get_list_display(request),
            *model_admin.get_search_fields(request),
            *[f for f in model_admin.get_list_filter(request) if isinstance(f, str)],
        ]
        fields = {str(entry).lstrip("^=@-").split("__")[0] for entry in shown}
        assert not fields & masked, f"{model._meta.label}: {fields & masked}"


def test_a_reveal_needs_a_reason_and_a_role(seeded, staff_client, operator):
    secrets, _ = seeded
    private = secrets[PRIVATE_CAPTION]
    url = f"/admin/videos/video/{private.pk}/reveal/caption/"

    before = AuditEntry.objects.count()
    too_short = staff_client.post(url, {"justification": "because"})
    assert PRIVATE_CAPTION not in too_short.content.decode()
    assert "at least 10 characters" in too_short.content.decode()
    assert AuditEntry.objects.count() == before

    no_role = UserFactory(handle="intern1", is_staff=True)
    secret = two_factor.setup(no_role).secret
    two_factor.confirm(no_role, totp(secret, drift=-1))
    intern = Client()
    intern.post("/login", {"login": "intern1", "password": PASSWORD})
    intern.post("/login", {"otp": totp(secret)})
    refused = intern.post(url, {"justification": JUSTIFICATION})
    assert refused.status_code in (302, 403)
    assert PRIVATE_CAPTION not in refused.content.decode()
    assert AuditEntry.objects.count() == before

    signed_out = Client().post(url, {"justification": JUSTIFICATION})
    assert signed_out.status_code == 302 and PRIVATE_CAPTION not in signed_out.content.decode()


def test_follows_and_blocks_cannot_be_added_changed_or_deleted_in_the_back_office(
    seeded, staff_client
):
    _, pairs = seeded
    for row in pairs:
        base = f"/admin/{row._meta.app_label}/{row._meta.model_name}/"
        assert staff_client.get(f"{base}add/").status_code == 403
        assert staff_client.post(f"{base}{row.pk}/delete/", {"post": "yes"}).status_code == 403
        assert type(row).objects.filter(pk=row.pk).exists()


def change_links(html: str, model: str) -> set[str]:
    return set(re.findall(rf"/admin/{model}/([^/]+)/change/", html))


def test_searching_or_filtering_on_protected_values_tells_nothing(seeded, staff_client):
    secrets, _ = seeded
    private = secrets[PRIVATE_CAPTION]

    users = staff_client.get("/admin/accounts/user/?q=secret-mailbox").content.decode()
    everyone = staff_client.get("/admin/accounts/user/").content.decode()
    videos = staff_client.get("/admin/videos/video/?q=xq81").content.decode()
    all_videos = staff_client.get("/admin/videos/video/").content.decode()
    by_visibility = staff_client.get("/admin/videos/video/?visibility__exact=private")
    by_follower = staff_client.get(
        f"/admin/accounts/follow/?follower__id__exact={private.author_id}"
    )
    comments = staff_client.get("/admin/videos/comment/?q=ja72").content.decode()

    assert change_links(everyone, "accounts/user") and not change_links(users, "accounts/user")
    assert change_links(videos, "videos/video") == set()  # captions are not searched
    assert len(change_links(all_videos, "videos/video")) == 3
    assert str(private.pk) in change_links(all_videos, "videos/video")
    assert by_visibility.status_code == 400  # no filtering on a protected field
    assert by_follower.status_code == 400
    assert len(change_links(comments, "videos/comment")) == 2  # no search on comment text
