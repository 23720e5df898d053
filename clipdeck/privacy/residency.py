"""The residency policy: where this cell's data lives, and where it may.

Each location's region is either declared in configuration
(``CLIPDECK_DATABASE_REGION``, ``CLIPDECK_MEDIA_REGION``, ``CLIPDECK_BACKUP_REGION``)
or known: a SQLite file or a database on this machine, and a local media folder,
are in the cell's region. A database on another host must declare its region, and
an S3 media bucket's region is measured (``GetBucketLocation``) when the policy is
checked with ``verify=True``. The policy lists the regions allowed for each
(``CLIPDECK_ALLOWED_*_REGIONS``; by default the cell's region, and for region
``us`` backups only in ``sg``); a cloud region counts as its cell region
(``eu-west-1`` is ``eu``, see :func:`cell_region`). ``clipdeck serve`` and
``clipdeck worker`` refuse to start while ``policy_violations(verify=True)`` is
not empty; ``clipdeck residency report`` prints :func:`residency_report`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.db.models import FileField

from clipdeck.kernel.personal_data import DataClass, records


@dataclass(frozen=True)
class Location:
    name: str
    where: str
    region: str
    region_setting: str
    allowed: tuple[str, ...]
    allowed_setting: str
    configured: bool = True
    # The region in configuration ("" when unset), and the one measured or known
    # ("" when neither: not checked, or not measurable).
    declared: str = ""
    verified: str = ""
    verified_how: str = ""
    # Why the region cannot be trusted (e.g. it could not be measured).
    problem: str = ""

    @property
    def ok(self) -> bool:
        if not self.configured:
            return True
        if self.problem:
            return False
        regions = [r for r in (self.region, self.verified) if r]
        return bool(regions) and all(allowed(r, self.allowed) for r in regions)

    def as_dict(self) -> dict:
        return {**asdict(self), "allowed": list(self.allowed), "ok": self.ok}


# Cloud regions, by prefix, and the cell region they are in (longest prefix wins).
CLOUD_REGIONS = {
    "us-": "us",
    "eu-": "eu",
    "ap-southeast-1": "sg",
    "ca-": "ca",
    "sa-": "sa",
    "me-": "me",
    "af-": "af",
    "ap-northeast-1": "jp",
    "ap-south-": "in",
    "ap-southeast-2": "au",
}


def cell_region(region: str) -> str:
    """The cell region a cloud region is in (``eu-west-1`` → ``eu``); else ``region``."""
    region = region.strip().lower()
    matches = [prefix for prefix in CLOUD_REGIONS if region.startswith(prefix)]
    return CLOUD_REGIONS[max(matches, key=len)] if matches else region


def allowed(region: str, regions: tuple[str, ...]) -> bool:
    """Whether ``region`` (a cell or a cloud region) is one of ``regions``."""
    return region in regions or cell_region(region) in regions


def locations(*, verify: bool = False) -> list[Location]:
    """The database, the media store and the backup location; with ``verify``, an S3
    media bucket's real region is asked of the bucket."""
    return [_database(), _media(verify), _backups()]


def _database() -> Location:
    return database_location(settings.DATABASES["default"])


def database_location(config: dict) -> Location:
    """The database location of the connection settings ``config``."""
    declared = settings.CLIPDECK_DATABASE_REGION
    local = config["ENGINE"].endswith("sqlite3") or _is_local_host(config.get("HOST"))
    problem = ""
    if not local and not declared:
        problem = (
            f"DATABASE_URL points at {config.get('HOST')}, another machine: set "
            "CLIPDECK_DATABASE_REGION to the region it is in (it is not assumed)."
        )
    return Location(
        "database",
        database_description(config),
        declared or (settings.CLIPDECK_REGION if local else ""),
        "CLIPDECK_DATABASE_REGION",
        _regions(settings.CLIPDECK_ALLOWED_DATABASE_REGIONS),
        "CLIPDECK_ALLOWED_DATABASE_REGIONS",
        declared=declared,
        verified=settings.CLIPDECK_REGION if local else "",
        verified_how="on this machine" if local else "",
        problem=problem,
    )


def _is_local_host(host) -> bool:
    host = (host or "").strip().lower()
    return host in ("", "localhost", "127.0.0.1", "::1") or host.startswith("/")


def _media(verify: bool) -> Location:
    declared = settings.CLIPDECK_MEDIA_REGION
    location = getattr(settings, "CLIPDECK_MEDIA_LOCATION", None)
    bucket = location is not None and location.kind == "s3"
    verified, how, problem = "", "", ""
    if not bucket:
        verified, how = settings.CLIPDECK_REGION, "on this machine"
    elif verify:
        from django.core.files.storage import storages

        measure = getattr(storages["default"], "bucket_location", None)
        try:
            verified = measure() if measure is not None else ""
            how = "GetBucketLocation"
        except Exception as exc:  # any failure to measure: the region is not known
            problem = f"The media bucket's region could not be verified (GetBucketLocation): {exc}"
    named = location.region if bucket and location is not None else None
    region = declared or named or verified
    return Location(
        "media",
        media_description(),
        region or "",
        "CLIPDECK_MEDIA_REGION",
        _regions(settings.CLIPDECK_ALLOWED_MEDIA_REGIONS),
        "CLIPDECK_ALLOWED_MEDIA_REGIONS",
        declared=declared,
        verified=verified,
        verified_how=how,
        problem=problem,
    )


def _backups() -> Location:
    return Location(
        "backups",
        settings.CLIPDECK_BACKUP_URL or "not configured (CLIPDECK_BACKUP_URL)",
        settings.CLIPDECK_BACKUP_REGION,
        "CLIPDECK_BACKUP_REGION",
        _regions(settings.CLIPDECK_ALLOWED_BACKUP_REGIONS),
        "CLIPDECK_ALLOWED_BACKUP_REGIONS",
        configured=bool(settings.CLIPDECK_BACKUP_URL),
        declared=settings.CLIPDECK_BACKUP_REGION,
    )


def _regions(values) -> tuple[str, ...]:
    return tuple(value.strip().lower() for value in values if value.strip())


def policy_violations(*, verify: bool = False) -> list[str]:
    """One sentence per location that breaks the policy, naming the setting to fix."""
    return _violations(locations(verify=verify))


def _violations(places: list[Location]) -> list[str]:
    problems = []
    for location in places:
        if location.ok:
            continue
        if location.problem:
            problems.append(location.problem)
            continue
        if location.verified and not allowed(location.verified, location.allowed):
            problems.append(
                f"The {location.name} location ({location.where}) is really in region "
                f"'{location.verified}' ({location.verified_how}), but the policy of cell "
                f"'{settings.CLIPDECK_REGION}' allows only {', '.join(location.allowed) or 'none'} "
                f"({location.allowed_setting}); declared: {location.declared or 'nothing'} "
                f"({location.region_setting})."
            )
            continue
        if not location.region:
            problems.append(
                f"The {location.name} location ({location.where}) does not say which region it "
                f"is in: set {location.region_setting} (allowed: {', '.join(location.allowed)})."
            )
            continue
        problems.append(
            f"The {location.name} location ({location.where}) is in region "
            f"'{location.region}' ({location.region_setting}), but the policy of cell "
            f"'{settings.CLIPDECK_REGION}' allows only {', '.join(location.allowed) or 'none'} "
            f"({location.allowed_setting})."
        )
    return problems


def residency_report(*, verify: bool = True) -> dict:
    """Per data class, where its data lives now and whether that matches the policy;
    each location with its declared and its verified region."""
    places = locations(verify=verify)
    violations = _violations(places)
    by_class = {}
    for data_class in DataClass:
        fields = [r for r in records() if r.data_class == data_class]
        in_media = any(_is_file(r.model, r.field) for r in fields)
        stored = [p for p in places if p.configured and (p.name != "media" or in_media)]
        by_class[data_class.value] = {
            "fields": len(fields),
            "stored_in": [
                {"location": p.name, "where": p.where, "region": p.region, "ok": p.ok}
                for p in stored
            ],
            "ok": all(p.ok for p in stored),
        }
    return {
        "region": settings.CLIPDECK_REGION,
        "locations": [p.as_dict() for p in places],
        "classes": by_class,
        "violations": violations,
        "ok": not violations,
    }


def _is_file(label: str, field: str) -> bool:
    from django.apps import apps

    return isinstance(apps.get_model(label)._meta.get_field(field), FileField)


def database_description(config: dict | None = None) -> str:
    config = config or settings.DATABASES["default"]
    engine = config["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        return f"SQLite file {config['NAME']}"
    host = config.get("HOST") or "localhost"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"{engine} database {config.get('NAME')} at {host}{port}"


def media_description() -> str:
    location = getattr(settings, "CLIPDECK_MEDIA_LOCATION", None)  # CLIPDECK_MEDIA_URL
    if location is not None:
        return location.describe()
    storage = settings.STORAGES["default"]
    options = storage.get("OPTIONS", {})
    bucket = options.get("bucket_name")
    if bucket:
        endpoint = options.get("endpoint_url") or "S3"
        return f"bucket {bucket} at {endpoint}"
    return f"folder {settings.MEDIA_ROOT}"
