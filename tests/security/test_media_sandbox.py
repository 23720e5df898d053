"""The media sandbox: the child gets no secrets, no network and, as root, no access to
the data folder; a real probe still works through it.

The attack is a snippet run through the same launcher the engine uses
(``isolation.launch``), entering the same isolation (``isolation.enter``) and then
trying what a hostile file exploiting a decoder bug would try.
"""

from __future__ import annotations

import json
import os
import socket
import sys

import pytest

from clipdeck.studio.engine import isolation
from clipdeck.studio.engine.limits import Limits
from clipdeck.studio.engine.sandbox import PROJECT_ROOT, safe_probe
from clipdeck.studio.engine.synth import make_clip

pytestmark = pytest.mark.django_db

SECRET_VARS = {
    "DJANGO_SECRET_KEY": "s3cret-django",
    "CLIPDECK_SECRET_KEY": "s3cret-clipdeck",
    "CLIPDECK_CELL_KEY": "s3cret-cell",
    "AWS_SECRET_ACCESS_KEY": "s3cret-aws",
    "SECRET_TOKEN": "s3cret-token",
}
ATTACK = """
import encodings.idna, json, os, socket, sys
from clipdeck.studio.engine import isolation
applied = isolation.enter(network=sys.argv[1])
port, secret, folder = int(sys.argv[2]), sys.argv[3], sys.argv[4]
found = {"applied": applied, "env": dict(os.environ)}
try:
    socket.create_connection(("127.0.0.1", port), timeout=2).close()
    found["connect"] = "connected"
except OSError as exc:
    found["connect"] = f"refused: {exc}"
try:
    found["secret"] = open(secret).read()
except OSError as exc:
    found["secret"] = f"refused: {exc}"
try:
    found["folder"] = os.listdir(folder)
except OSError as exc:
    found["folder"] = f"refused: {exc}"
print(json.dumps(found))
"""


@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    yield server.getsockname()[1]
    server.close()


@pytest.fixture
def data_folder(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    secret = folder / "secret_key"
    secret.write_text("the-secret-key")
    secret.chmod(0o600)
    return folder


@pytest.fixture
def secrets_in_env(monkeypatch):
    for name, value in SECRET_VARS.items():
        monkeypatch.setenv(name, value)


def attack(network: str, port: int, folder) -> dict:
    argv = [
        sys.executable,
        "-c",
        ATTACK,
        network,
        str(port),
        str(folder / "secret_key"),
        str(folder),
    ]
    child = isolation.launch(argv, pythonpath=[PROJECT_ROOT])
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == 0, stderr.decode()
    return json.loads(stdout.decode().strip().splitlines()[-1])


def netns_available() -> bool:
    probe = isolation.launch(
        [
            sys.executable,
            "-c",
            "from clipdeck.studio.engine import isolation as i\nprint(i.enter_network_namespace())",
        ],
        pythonpath=[PROJECT_ROOT],
    )
    return probe.communicate(timeout=60)[0].strip() == b"True"


def test_the_child_environment_holds_no_secrets(secrets_in_env, listener, data_folder):
    found = attack("auto", listener, data_folder)

    leaked = {k for k, v in found["env"].items() if v in SECRET_VARS.values()}
    assert leaked == set()
    assert not any(k.startswith(("DJANGO_", "CLIPDECK_", "AWS_", "SECRET")) for k in found["env"])
    assert set(found["env"]) <= {
        *isolation.ENV_KEPT,
        *isolation.THREAD_VARS,
        "PYTHONPATH",
        isolation.PARENT_PID_VAR,
    }


def test_the_child_cannot_connect_anywhere(listener, data_folder):
    found = attack("auto", listener, data_folder)

    assert found["connect"].startswith("refused"), found
    assert found["applied"]["network"] != "none"
    if netns_available():
        assert "netns" in found["applied"]["network"].split("+")


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping to nobody needs root")
@pytest.mark.skipif(
    not isolation.code_reachable_by_others(),
    reason="this checkout is in a private folder: nobody could not run the engine",
)
def test_as_root_the_child_cannot_read_the_secret_key_or_the_data_folder(listener, data_folder):
    found = attack("auto", listener, data_folder)

    assert found["applied"]["user"] == "nobody"
    assert found["secret"].startswith("refused"), found
    assert found["folder"].startswith("refused"), found


def test_a_network_namespace_alone_blocks_connections(listener, data_folder):
    if not netns_available():
        pytest.skip("this host refuses network namespaces (no CAP_SYS_ADMIN / user namespaces)")
    found = attack("netns", listener, data_folder)

    assert found["applied"]["network"] == "netns"
    assert found["connect"].startswith("refused"), found


def test_the_seccomp_filter_alone_blocks_sockets(listener, data_folder):
    found = attack("seccomp", listener, data_folder)

    if found["applied"]["network"] != "seccomp":
        pytest.skip("this kernel or architecture refuses the seccomp filter")
    assert found["connect"].startswith("refused"), found


def test_a_real_probe_still_works_in_the_sandbox(tmp_path, secrets_in_env):
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    clip = make_clip(folder / "clip.mp4", width=180, height=320, seconds=0.5)
    os.chmod(clip, 0o600)

    info = safe_probe(clip, Limits())

    assert (info.video.width, info.video.height) == (180, 320)
    assert info.duration_ms == 500


def test_the_user_layer_is_skipped_where_nobody_could_not_run_the_engine(monkeypatch):
    monkeypatch.setattr(isolation.os, "geteuid", lambda: 0)
    monkeypatch.setattr(isolation, "_reachable", lambda path: False)

    assert isolation.sandbox_ids() is None


def test_a_private_folder_on_the_way_is_not_reachable(tmp_path):
    private = tmp_path / "private"
    (private / "venv").mkdir(parents=True)
    private.chmod(0o700)

    assert isolation._reachable(str(private / "venv")) is False
    assert isolation._reachable("/usr/bin") is True
