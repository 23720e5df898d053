"""The residency policy: serve and worker refuse to start when a location breaks it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clipdeck import cli
from clipdeck.privacy.residency import policy_violations, residency_report

pytestmark = pytest.mark.django_db


def test_the_default_policy_of_a_us_cell_keeps_backups_in_sg(settings):
    assert settings.CLIPDECK_ALLOWED_BACKUP_REGIONS == ["sg"]
    assert settings.CLIPDECK_ALLOWED_DATABASE_REGIONS == ["us"]
    assert policy_violations() == []


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("CLIPDECK_BACKUP_REGION", "us", "CLIPDECK_BACKUP_REGION"),
        ("CLIPDECK_BACKUP_REGION", "", "set CLIPDECK_BACKUP_REGION"),
        ("CLIPDECK_DATABASE_REGION", "eu", "CLIPDECK_DATABASE_REGION"),
        ("CLIPDECK_MEDIA_REGION", "cn", "CLIPDECK_MEDIA_REGION"),
    ],
)
def test_a_location_outside_the_policy_is_named_with_its_setting(settings, setting, value, named):
    setattr(settings, setting, value)

    (problem,) = policy_violations()

    assert named in problem


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_serve_and_worker_refuse_to_start_when_the_policy_is_broken(
    settings, capsys, monkeypatch, tmp_path, command
):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "metrics"))
    settings.CLIPDECK_BACKUP_REGION = "eu"

    with pytest.raises(SystemExit) as stopped:
        cli.main([command])

    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "residency policy" in err
    assert "'eu' (CLIPDECK_BACKUP_REGION)" in err
    assert "allows only sg (CLIPDECK_ALLOWED_BACKUP_REGIONS)" in err


def test_the_real_command_exits_non_zero_and_names_the_setting(tmp_path):
    env = {
        **os.environ,
        "CLIPDECK_DATA_DIR": str(tmp_path),
        "CLIPDECK_BACKUP_URL": str(tmp_path / "backups"),
        "CLIPDECK_BACKUP_REGION": "us",
    }

    finished = subprocess.run(
        [sys.executable, "-m", "clipdeck.cli", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert finished.returncode == 2
    assert "CLIPDECK_BACKUP_REGION" in finished.stderr
    assert not (tmp_path / "clipdeck.sqlite3").exists()  # refused before migrating


def test_the_report_says_where_each_class_lives(settings, capsys):
    report = residency_report()

    assert report["ok"] is True
    assert [p["name"] for p in report["locations"]] == ["database", "media", "backups"]
    protected = report["classes"]["protected"]
    assert [(p["location"], p["region"], p["ok"]) for p in protected["stored_in"]] == [
        ("database", "us", True),
        ("media", "us", True),
        ("backups", "sg", True),
    ]
    call_command("residency", "report", "--json")
    assert json.loads(capsys.readouterr().out) == report


def test_the_text_report_flags_a_breach_and_fails(settings, capsys):
    settings.CLIPDECK_MEDIA_REGION = "eu"

    with pytest.raises(CommandError):
        call_command("residency", "report")

    captured = capsys.readouterr()
    assert "media (eu) BREAKS POLICY" in captured.out
    assert "CLIPDECK_MEDIA_REGION" in captured.err
