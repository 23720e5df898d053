"""The API agrees with the visibility rules on random social graphs.

The rules (P1–P3, V1–V6, C1–C2, and M1–M3 for products) are written out again
below as a plain-Python oracle over an in-memory description of the graph; it
uses neither the ORM nor the policies (``clipdeck.accounts.policies``,
``clipdeck.videos.visibility``, ``clipdeck.shop.policies``). Each example
builds the graph in the database, asks the API every question for every viewer
(each active user, and anonymous; a deactivated user's token is refused) and
compares the answers with the oracle's, then rolls the rows back. A 404 must be
the very envelope given for a video, account or product that does not exist.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from clipdeck.accounts.models import Block, Follow, FollowState
from clipdeck.accounts.services import token_issue
from clipdeck.shop import policies as shop_policies
from clipdeck.shop.models import Merchant
from clipdeck.videos import visibility
from clipdeck.videos.models import VideoStatus, Visibility
from tests.factories import CommentFactory, UserFactory, VideoFactory
from tests.shop.factories import product_with_stock

pytestmark = pytest.mark.django_db

ANONYMOUS = None
STATUSES = [s.value for s in VideoStatus]
VISIBILITIES = [v.value for v in Visibility]
NOT_FOUND_CODE = "not_found"


# --- the graph, in memory -----------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    private: bool
    active: bool


@dataclass(frozen=True)
class VideoSpec:
    author: int
    status: str
    visibility: str
    commenters: tuple[int, ...]


@dataclass(frozen=True)
class ProductSpec:
    merchant: int
    on_sale: bool  # active and published; otherwise a draft


@dataclass(frozen=True)
class Graph:
    users: tuple[UserSpec, ...]
    follows: frozenset[tuple[int, int]]  # (follower, followee), approved
    requests: frozenset[tuple[int, int]]  # (follower, followee), pending
    blocks: frozenset[tuple[int, int]]  # (blocker, blocked)
    videos: tuple[VideoSpec, ...]
    products: tuple[ProductSpec, ...] = ()

    def comments(self) -> list[tuple[int, int]]:
        """(video index, comment author) for every comment, in creation order."""
        return [(v, author) for v, video in enumerate(self.videos) for author in video.commenters]


@st.composite
def graphs(draw) -> Graph:
    n = draw(st.integers(min_value=2, max_value=5))
    users = tuple(
        UserSpec(
            private=draw(st.booleans()),
            active=draw(st.sampled_from([True, True, True, False])),
        )
        for _ in range(n)
    )
    pairs = list(itertools.permutations(range(n), 2))
    kinds = st.sampled_from(["none", "none", "following", "requested"])
    edges = {pair: draw(kinds) for pair in pairs}
    blocks = draw(st.frozensets(st.sampled_from(pairs), max_size=3))
    people = st.integers(min_value=0, max_value=n - 1)
    videos = draw(
        st.lists(
            st.builds(
                VideoSpec,
                author=people,
                status=st.sampled_from(STATUSES),
                visibility=st.sampled_from(VISIBILITIES),
                commenters=st.lists(people, max_size=3).map(tuple),
            ),
            max_size=8,
        )
    )
    products = draw(
        st.lists(st.builds(ProductSpec, merchant=people, on_sale=st.booleans()), max_size=3)
    )
    return Graph(
        users=users,
        follows=frozenset(p for p, e in edges.items() if e == "following"),
        requests=frozenset(p for p, e in edges.items() if e == "requested"),
        blocks=blocks,
        videos=tuple(videos),
        products=tuple(products),
    )


# --- the oracle: the docstring's rules, over the in-memory graph ----------------


def blocked_either_way(g: Graph, a: int | None, b: int) -> bool:
    return a is not None and ((a, b) in g.blocks or (b, a) in g.blocks)


def approved_follower(g: Graph, viewer: int | None, owner: int) -> bool:
    return viewer is not None and (viewer, owner) in g.follows


def oracle_profile_visible(g: Graph, viewer: int | None, owner: int) -> bool:
    active = g.users[owner].active  # P1
    blocked_by_owner = viewer is not None and (owner, viewer) in g.blocks  # P2
    return active and not blocked_by_owner  # P3


def oracle_video_visible(g: Graph, viewer: int | None, v: int) -> bool:
    video = g.videos[v]
    author = video.author
    if viewer == author:  # V1
        return True
    if video.status != VideoStatus.PUBLISHED or not g.users[author].active:  # V2
        return False
    if blocked_either_way(g, viewer, author):  # V3
        return False
    if video.visibility == Visibility.PRIVATE:  # V4
        return False
    if video.visibility == Visibility.PUBLIC and not g.users[author].private:  # V6
        return True
    return approved_follower(g, viewer, author)  # V5


def oracle_product_visible(g: Graph, viewer: int | None, p: int) -> bool:
    product = g.products[p]
    if not oracle_profile_visible(g, viewer, product.merchant):  # M1
        return False
    return viewer == product.merchant or product.on_sale  # M2, M3


def oracle_listing(g: Graph, viewer: int | None, owner: int) -> set[int] | None:
    """Indexes of the videos on ``owner``'s profile, or None for a 404."""
    if not oracle_profile_visible(g, viewer, owner):  # P1, P2
        return None
    if viewer != owner:
        if blocked_either_way(g, viewer, owner):  # V3: no videos of a blocked account
            return None
        if g.users[owner].private and not approved_follower(g, viewer, owner):  # P3, V5
            return None
    return {
        v
        for v, video in enumerate(g.videos)
        if video.author == owner
        and video.status == VideoStatus.PUBLISHED
        and oracle_video_visible(g, viewer, v)
    }


def oracle_comments(g: Graph, viewer: int | None, v: int) -> set[int] | None:
    """Indexes (into ``g.comments()``) of the comments shown on video ``v``, or None."""
    if not oracle_video_visible(g, viewer, v):  # C1
        return None
    return {
        c
        for c, (video, author) in enumerate(g.comments())
        if video == v and not blocked_either_way(g, viewer, author)  # C2
    }


# --- building the graph and asking the API -------------------------------------


@pytest.fixture
def anonymous_api(api):
    return api()


@dataclass
class Built:
    users: list
    videos: list
    comments: list
    products: list


def build(g: Graph) -> Built:
    users = [UserFactory(password=None, is_private=spec.private) for spec in g.users]
    for user, spec in zip(users, g.users, strict=True):
        if not spec.active:
            user.is_active = False
            user.save(update_fields=["is_active"])
    for state, edges in ((FollowState.FOLLOWING, g.follows), (FollowState.REQUESTED, g.requests)):
        Follow.objects.bulk_create(
            Follow(follower=users[a], followee=users[b], state=state) for a, b in sorted(edges)
        )
    Block.objects.bulk_create(Block(blocker=users[a], blocked=users[b]) for a, b in g.blocks)
    videos = [
        VideoFactory(
            author=users[spec.author],
            status=spec.status,
            visibility=spec.visibility,
            published_at=timezone.now() if spec.status == VideoStatus.PUBLISHED else None,
        )
        for spec in g.videos
    ]
    comments = [CommentFactory(video=videos[v], author=users[a]) for v, a in g.comments()]
    products = [build_product(users[spec.merchant], spec) for spec in g.products]
    return Built(users=users, videos=videos, comments=comments, products=products)


def build_product(user, spec: ProductSpec):
    merchant, _ = Merchant.objects.get_or_create(
        user=user, defaults={"name": f"Shop of {user.handle}", "currency": "USD"}
    )
    status = "active" if spec.on_sale else "draft"
    return product_with_stock(merchant, status=status).product


def assert_not_found(response, what: str) -> dict:
    assert response.status_code == 404, (what, response.status_code, response.content)
    body = response.json()
    assert body["error"]["code"] == NOT_FOUND_CODE, (what, body)
    return body


class AsViewer:
    """GETs through one shared test client (one middleware setup), as ``user`` or anonymous."""

    def __init__(self, client, user) -> None:
        self.client = client
        self.headers = {} if user is None else {"Authorization": f"Bearer {token_issue(user=user)}"}

    def get(self, path: str):
        return self.client.get(path, headers=self.headers)


def check_viewer(shared, g: Graph, built: Built, viewer: int | None) -> None:
    client = AsViewer(shared, None if viewer is None else built.users[viewer])
    who = "anonymous" if viewer is None else f"user {viewer}"
    missing = assert_not_found(client.get(f"videos/{uuid.uuid4()}"), f"{who}: missing video")
    nobody = assert_not_found(client.get("users/nobody_here"), f"{who}: missing account")
    no_product = assert_not_found(client.get("products/999999999"), f"{who}: missing product")

    for p, product in enumerate(built.products):
        what = f"{who} → product {p} {g.products[p]}"
        page = client.get(f"products/{product.pk}")
        if oracle_product_visible(g, viewer, p):
            assert page.status_code == 200, (what, page.content)
            assert page.json()["id"] == product.pk, what
        else:
            assert assert_not_found(page, what) == no_product, what

    for v, video in enumerate(built.videos):
        what = f"{who} → video {v} {g.videos[v]}"
        detail = client.get(f"videos/{video.pk}")
        comments = client.get(f"videos/{video.pk}/comments")
        if oracle_video_visible(g, viewer, v):
            assert detail.status_code == 200, (what, detail.content)
            assert detail.json()["id"] == str(video.pk), what
            assert comments.status_code == 200, (what, comments.content)
            shown = [item["id"] for item in comments.json()["items"]]
            expected = {built.comments[c].pk for c in oracle_comments(g, viewer, v)}
            assert len(shown) == len(set(shown)), (what, shown)
            assert set(shown) == expected, (what, "comments", shown, expected)
        else:
            assert assert_not_found(detail, what) == missing, what
            assert assert_not_found(comments, f"{what} comments") == missing, what

    for owner, user in enumerate(built.users):
        what = f"{who} → profile {owner} {g.users[owner]}"
        profile = client.get(f"users/{user.handle}")
        listing = client.get(f"users/{user.handle}/videos")
        if oracle_profile_visible(g, viewer, owner):
            assert profile.status_code == 200, (what, profile.content)
            assert profile.json()["handle"] == user.handle, what
        else:
            assert assert_not_found(profile, what) == nobody, what
        expected_videos = oracle_listing(g, viewer, owner)
        if expected_videos is None:
            assert_not_found(listing, f"{what} videos")
            continue
        assert listing.status_code == 200, (what, listing.content)
        listed = [item["id"] for item in listing.json()["items"]]
        assert len(listed) == len(set(listed)), (what, listed)
        assert set(listed) == {str(built.videos[v].pk) for v in expected_videos}, (what, listed)


def check_graph(shared, g: Graph) -> None:
    """Build ``g``, compare every answer with the oracle's, and roll the rows back.

    ``shared`` is one anonymous ``ApiClient``, used by every viewer and example.
    """
    with transaction.atomic():
        built = build(g)
        viewers = [ANONYMOUS, *(i for i, spec in enumerate(g.users) if spec.active)]
        try:
            for viewer in viewers:
                check_viewer(shared, g, built, viewer)
            for i, spec in enumerate(g.users):
                if not spec.active:  # a deactivated account's token no longer signs in
                    answer = AsViewer(shared, built.users[i]).get(f"users/{built.users[i].handle}")
                    assert answer.status_code == 401, (i, answer.content)
        finally:
            transaction.set_rollback(True)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(g=graphs())
def test_api_answers_agree_with_the_visibility_rules(anonymous_api, g):
    check_graph(anonymous_api, g)


# --- the check can fail: broken policies are caught ---------------------------

PUBLIC_USER = UserSpec(private=False, active=True)
FOLLOWERS = Visibility.FOLLOWERS


def followers_only_for_everyone(original):
    """Broken V5: followers-only videos of any account are shown to everyone."""

    def broken(queryset, viewer):
        leaked = queryset.filter(
            status=VideoStatus.PUBLISHED, visibility=FOLLOWERS, author__is_active=True
        )
        return original(queryset, viewer) | leaked

    return broken


def blocks_ignored(original):
    """Broken V3/C2: blocks no longer hide anything."""
    return lambda viewer, field: Q(pk__in=[])


# Two strangers; user 0 posts a followers-only video that user 1 must not see.
FOLLOWERS_ONLY_GRAPH = Graph(
    users=(PUBLIC_USER, PUBLIC_USER),
    follows=frozenset(),
    requests=frozenset(),
    blocks=frozenset(),
    videos=(VideoSpec(author=0, status="published", visibility=FOLLOWERS, commenters=()),),
)


def merchant_blocks_ignored(original):
    """Broken M1: products of a merchant who blocked the viewer are shown to them."""

    def broken(queryset, viewer, *, for_sale=False):
        return original(queryset, None, for_sale=for_sale)

    return broken


# User 0 blocked user 1; user 1's public video still carries a comment by user 0.
BLOCK_GRAPH = Graph(
    users=(PUBLIC_USER, PUBLIC_USER, PUBLIC_USER),
    follows=frozenset(),
    requests=frozenset(),
    blocks=frozenset({(0, 1)}),
    videos=(VideoSpec(author=2, status="published", visibility="public", commenters=(0, 1)),),
)
MUTANTS = [
    ("videos_visible_to", followers_only_for_everyone, FOLLOWERS_ONLY_GRAPH),
    ("_blocked_either_way", blocks_ignored, BLOCK_GRAPH),
]


# Merchant 0, whose product is on sale, blocked user 1.
MERCHANT_BLOCK_GRAPH = Graph(
    users=(PUBLIC_USER, PUBLIC_USER),
    follows=frozenset(),
    requests=frozenset(),
    blocks=frozenset({(0, 1)}),
    videos=(),
    products=(ProductSpec(merchant=0, on_sale=True),),
)


@pytest.mark.parametrize(("name", "mutate", "graph"), MUTANTS, ids=[m[0] for m in MUTANTS])
def test_the_check_detects_a_broken_policy(anonymous_api, monkeypatch, name, mutate, graph):
    # Given a graph that the real policy answers correctly
    check_graph(anonymous_api, graph)
    # When the policy is broken in a way that graph exercises
    monkeypatch.setattr(visibility, name, mutate(getattr(visibility, name)))
    # Then the same check reports a disagreement
    with pytest.raises(AssertionError):
        check_graph(anonymous_api, graph)


def test_the_check_detects_a_broken_product_policy(anonymous_api, monkeypatch):
    # Given a graph that the real policy answers correctly
    check_graph(anonymous_api, MERCHANT_BLOCK_GRAPH)
    # When product visibility ignores the merchant's blocks
    broken = merchant_blocks_ignored(shop_policies.products_visible_to)
    monkeypatch.setattr(shop_policies, "products_visible_to", broken)
    # Then the same check reports a disagreement
    with pytest.raises(AssertionError):
        check_graph(anonymous_api, MERCHANT_BLOCK_GRAPH)


def test_hypothesis_finds_a_counter_example_to_a_broken_policy(anonymous_api, monkeypatch):
    # Given followers-only videos leak to everyone
    monkeypatch.setattr(
        visibility, "videos_visible_to", followers_only_for_everyone(visibility.videos_visible_to)
    )

    def disagrees(g: Graph) -> bool:
        try:
            check_graph(anonymous_api, g)
        except AssertionError:
            return True
        return False

    # When hypothesis searches random graphs for one the check rejects
    found = find(
        graphs(),
        disagrees,
        settings=settings(
            max_examples=200,
            phases=[Phase.generate],  # the first counter-example is enough; no shrinking
            derandomize=True,  # the same search, and the same few seconds, on every run
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    # Then it finds a published followers-only video that someone may not see
    assert any(
        video.status == VideoStatus.PUBLISHED and video.visibility == FOLLOWERS
        for video in found.videos
    )
