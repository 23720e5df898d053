"""Three real cells on loopback federate: follow, publish, like, comment, block and move.

Each cell is a ``clipdeck serve`` process (web server and worker) on its own
data folder. ``CLIPDECK_FEDERATION_ALLOW_LOOPBACK`` (the documented test and
development setting) lets them reach each other over ``http://127.0.0.1``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from clipdeck.studio.engine.synth import make_clip
from tests.live_server import free_port, running_clipdeck

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
PASSWORD = "a long passphrase 7"


class Cell:
    def __init__(self, url: str):
        self.url = url
        self.host = url.removeprefix("http://")

    def signup(self, handle: str) -> requests.Session:
        session = requests.Session()
        answer = session.post(
            f"{self.url}/api/v1/auth/signup",
            json={"handle": handle, "email": f"{handle}@example.com", "password": PASSWORD},
            timeout=30,
        )
        assert answer.status_code == 201, answer.text
        session.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        return session

    def api(self, path: str) -> str:
        return f"{self.url}/api/v1{path}"


def wait_for(what: str, check: Callable[[], object], timeout: float = 120) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting until {what}")


@contextlib.contextmanager
def cells(tmp_path: Path, names: list[str]):
    with contextlib.ExitStack() as stack:
        started = []
        for name in names:
            data = tmp_path / name
            data.mkdir()
            port = free_port()
            url, _ = stack.enter_context(
                running_clipdeck(
                    data,
                    port=port,
                    CLIPDECK_PUBLIC_URL=f"http://127.0.0.1:{port}",
                    CLIPDECK_FEDERATION_ALLOW_LOOPBACK="1",
                )
            )
            started.append(Cell(url))
        yield started


def upload(cell: Cell, session: requests.Session, clip: Path, caption: str, visibility: str) -> str:
    with clip.open("rb") as file:
        answer = session.post(
            cell.api("/videos"),
            data={"caption": caption, "visibility": visibility},
            files={"file": ("clip.mp4", file, "video/mp4")},
            timeout=60,
        )
    assert answer.status_code == 202, answer.text
    return answer.json()["id"]


def following_feed(cell: Cell, session: requests.Session) -> list[dict]:
    return session.get(cell.api("/feed/following"), timeout=30).json()["items"]


def test_three_cells_follow_publish_engage_block_and_move(tmp_path):
    clip = Path(make_clip(tmp_path / "clip.mp4", seconds=2.0, width=180, height=320))
    with cells(tmp_path, ["a", "b", "c"]) as (a, b, c):
        ann, ben, cat = a.signup("ann"), b.signup("ben"), c.signup("cat")

        # Ann on A follows Ben on B; B accepts.
        followed = ann.post(
            a.api("/federation/follows"), json={"account": f"ben@{b.host}"}, timeout=60
        )
        assert followed.status_code == 200, followed.text
        assert followed.json()["state"] == "requested"
        lookup = a.api(f"/federation/lookup?account=ben@{b.host}")
        wait_for(
            "B accepts the follow",
            lambda: ann.get(lookup, timeout=30).json()["state"] == "following",
        )

        # A followers-only video, then a public one: only the public one reaches A.
        upload(b, ben, clip, "just for friends", "followers")
        public_id = upload(b, ben, clip, "hello fediverse #clips", "public")
        items = wait_for(
            "B's public video is in Ann's Following feed on A", lambda: following_feed(a, ann), 180
        )
        assert [item["video"]["caption"] for item in items] == ["hello fediverse #clips"]
        remote_video = items[0]["video"]
        media = remote_video["media"]["mp4"]
        assert media.startswith("/media/"), media  # served by A, not hot-linked from B
        played = requests.get(f"{a.url}{media}", timeout=30)
        assert played.status_code == 200 and played.content[4:8] == b"ftyp"

        # A like and a comment travel back to B.
        remote_id = remote_video["id"]
        assert ann.post(a.api(f"/videos/{remote_id}/like"), timeout=30).status_code == 200
        said = ann.post(
            a.api(f"/videos/{remote_id}/comments"), json={"text": "love it"}, timeout=30
        )
        assert said.status_code == 201, said.text
        wait_for(
            "the like reaches B",
            lambda: (
                ben.get(b.api(f"/videos/{public_id}"), timeout=30).json()["counts"]["likes"] == 1
            ),
        )
        comments = b.api(f"/videos/{public_id}/comments")
        wait_for(
            "the comment reaches B",
            lambda: (
                [x["text"] for x in ben.get(comments, timeout=30).json()["items"]] == ["love it"]
            ),
        )

        # Ben moves to Cat's account on C: Ann now follows C.
        aliased = cat.put(
            c.api("/federation/aliases"), json={"aliases": [f"ben@{b.host}"]}, timeout=60
        )
        assert aliased.status_code == 200, aliased.text
        moved = ben.post(b.api("/federation/move"), json={"target": f"cat@{c.host}"}, timeout=60)
        assert moved.status_code == 200, moved.text
        cat_lookup = a.api(f"/federation/lookup?account=cat@{c.host}")
        wait_for(
            "Ann follows Cat on C",
            lambda: ann.get(cat_lookup, timeout=30).json()["state"] == "following",
            120,
        )
        assert ann.get(lookup, timeout=30).json()["state"] == "none"
        old_profile = requests.get(f"{b.url}/@ben", allow_redirects=False, timeout=30)
        assert old_profile.status_code == 302
        assert old_profile.headers["Location"] == f"{c.url}/@cat"

        # Ben blocks Ann: A stops showing Ben's videos to Ann.
        ann_on_b = ben.get(b.api(f"/federation/lookup?account=ann@{a.host}"), timeout=60).json()[
            "handle"
        ]
        assert ben.post(b.api(f"/users/{ann_on_b}/block"), timeout=30).status_code in (200, 201)
        video = a.api(f"/videos/{remote_id}")
        wait_for(
            "A hides Ben's video from Ann", lambda: ann.get(video, timeout=30).status_code == 404
        )
