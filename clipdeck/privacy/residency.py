"""The residency policy: where this cell's data lives, and where it may.

Each location declares its region in configuration (``CLIPDECK_DATABASE_REGION``,
``CLIPDECK_MEDIA_REGION``, ``CLIPDECK_BACKUP_REGION``), and the policy lists
the regions allowed for each (``CLIPDECK_ALLOWED_*_REGIONS``; by default the
cell's region, and for region ``us`` backups only in ``sg``). ``clipdeck serve``
and ``clipdeck worker`` refuse to start while :func:`policy_violations` is not
empty; ``clipdeck residency report`` prints :func:`residency_report`.
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

    @property
    def ok(self) -> bool:
        return not self.configured or self.region in self.allowed

    def as_dict(self) -> dict:
        return {**asdict(self), "allowed": list(self.allowed), "ok": self.ok}


def locations() -> list[Location]:
    """The database, the media store and the backup location, as configured."""
    return [
        Location(
            "database",
            database_description(),
            settings.CLIPDECK_DATABASE_REGION,
            "CLIPDECK_DATABASE_REGION",
            _regions(settings.CLIPDECK_ALLOWED_DATABASE_REGIONS),
            "CLIPDECK_ALLOWED_DATABASE_REGIONS",
        ),
        Location(
            "media",
            media_description(),
            settings.CLIPDECK_MEDIA_REGION,
            "CLIPDECK_MEDIA_REGION",
            _regions(settings.CLIPDECK_ALLOWED_MEDIA_REGIONS),
            "CLIPDECK_ALLOWED_MEDIA_REGIONS",
        ),
        Location(
            "backups",
            settings.CLIPDECK_BACKUP_URL or "not configured (CLIPDECK_BACKUP_URL)",
            settings.CLIPDECK_BACKUP_REGION,
            "CLIPDECK_BACKUP_REGION",
            _regions(settings.CLIPDECK_ALLOWED_BACKUP_REGIONS),
            "CLIPDECK_ALLOWED_BACKUP_REGIONS",
            configured=bool(settings.CLIPDECK_BACKUP_URL),
        ),
    ]


def _regions(values) -> tuple[str, ...]:
    return tuple(value.strip().lower() for value in values if value.strip())


def policy_violations() -> list[str]:
    """One sentence per location that breaks the policy, naming the setting to fix."""
    problems = []
    for location in locations():
        if location.ok:
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


def residency_report() -> dict:
    """Per data class, where its data lives now and whether that matches the policy."""
    places = locations()
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
        "violations": policy_violations(),
        "ok": not policy_violations(),
    }


def _is_file(label: str, field: str) -> bool:
    from django.apps import apps

    return isinstance(apps.get_model(label)._meta.get_field(field), FileField)


def database_description() -> str:
    config = settings.DATABASES["default"]
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
