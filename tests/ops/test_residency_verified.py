"""Residency measures what it can: an S3 media bucket's real region (GetBucketLocation,
against moto's S3 server) and a remote database's region, which must be declared."""

from __future__ import annotations

import secrets
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from clipdeck.privacy.residency import database_location, policy_violations, residency_report
from clipdeck.runtime.media_storage import parse_media_url, storage_config

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _credentials(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


def bucket_in(endpoint: str, region: str) -> str:
    name = f"media-{secrets.token_hex(4)}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name=region)
    if region == "us-east-1":
        client.create_bucket(Bucket=name)
    else:
        client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})
    return name


def media_in(endpoint: str, bucket: str, declared: str):
    location = parse_media_url(
        f"s3://{bucket}/cell?region={declared}&endpoint={endpoint}", default_root=Path("/")
    )
    return override_settings(
        STORAGES={**settings.STORAGES, "default": storage_config(location)},
        CLIPDECK_MEDIA_LOCATION=location,
        CLIPDECK_BACKUP_URL="",
    )


def test_a_bucket_really_in_eu_west_1_breaks_a_us_cells_policy_whatever_it_declares(
    s3_endpoint,
):
    bucket = bucket_in(s3_endpoint, "eu-west-1")
    assert settings.CLIPDECK_REGION == "us"

    with media_in(s3_endpoint, bucket, declared="us-east-1"):
        assert policy_violations() == []  # declared only: nothing measured
        (problem,) = policy_violations(verify=True)

    assert "really in region 'eu-west-1' (GetBucketLocation)" in problem
    assert "CLIPDECK_ALLOWED_MEDIA_REGIONS" in problem


def test_a_bucket_in_us_east_1_passes_and_the_report_shows_declared_and_verified(
    s3_endpoint, capsys
):
    bucket = bucket_in(s3_endpoint, "us-east-1")

    with media_in(s3_endpoint, bucket, declared="us-east-1"):
        assert policy_violations(verify=True) == []
        media = residency_report()["locations"][1]
        call_command("residency", "report")

    assert (media["region"], media["verified"], media["ok"]) == ("us-east-1", "us-east-1", True)
    assert "verified us-east-1 (GetBucketLocation)" in capsys.readouterr().out


def test_an_unreachable_bucket_is_not_trusted(s3_endpoint):
    with media_in("http://127.0.0.1:9", "gone", declared="us-east-1"):
        (problem,) = policy_violations(verify=True)
    assert "could not be verified" in problem


def test_a_remote_database_must_declare_its_region(settings):
    remote = {"ENGINE": "django.db.backends.postgresql", "NAME": "clipdeck", "HOST": "db.example"}
    settings.CLIPDECK_DATABASE_REGION = ""

    location = database_location(remote)

    assert not location.ok
    assert "set CLIPDECK_DATABASE_REGION" in location.problem
    settings.CLIPDECK_DATABASE_REGION = "us"
    assert database_location(remote).ok
    settings.CLIPDECK_DATABASE_REGION = "eu"
    assert not database_location(remote).ok


def test_a_local_database_and_folder_are_in_the_cells_region(settings):
    settings.CLIPDECK_DATABASE_REGION = ""
    settings.CLIPDECK_MEDIA_REGION = ""
    local = {"ENGINE": "django.db.backends.postgresql", "NAME": "clipdeck", "HOST": "localhost"}

    assert database_location(local).ok
    assert database_location(local).verified == "us"
    assert policy_violations(verify=True) == []
