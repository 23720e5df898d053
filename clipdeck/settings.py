"""Django settings for Clipdeck.

All deployment-specific values come from environment variables through
``clipdeck.env``; ``docs/configuration.md`` lists them.
"""

from __future__ import annotations

from pathlib import Path

from clipdeck.env import data_dir, env_bool, env_int, env_list, env_str, secret_from_file
from clipdeck.runtime.caches import database_cache, feed_state_cache, redis_cache
from clipdeck.runtime.databases import SQLITE_MMAP_MB, sqlite_database, url_database
from clipdeck.runtime.logs import logging_config
from clipdeck.runtime.media_storage import browser_origin, parse_media_url, storage_config

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir(BASE_DIR)

SECRET_KEY = env_str("CLIPDECK_SECRET_KEY") or secret_from_file(DATA_DIR / "secret_key")
DEBUG = env_bool("CLIPDECK_DEBUG", False)
ALLOWED_HOSTS = env_list(
    "CLIPDECK_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CLIPDECK_CSRF_TRUSTED_ORIGINS", [])
PUBLIC_URL = env_str("CLIPDECK_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Unset: links are built from the address the request came to (the one the browser shows).
PUBLIC_URL_SET = bool(env_str("CLIPDECK_PUBLIC_URL"))

# The data region this deployment ("cell") serves; see docs/architecture.md.
CLIPDECK_REGION = env_str("CLIPDECK_REGION", "us").lower()

# Residency policy: where each location is, and where the cell allows it to be
# (docs/configuration.md, "Residency"; checked by ``clipdeck serve``/``worker``).
DEFAULT_BACKUP_REGIONS = {"us": ["sg"]}
# Unset: a local database or media folder is in the cell's region; a database on
# another host must say (docs/configuration.md, "Residency").
CLIPDECK_DATABASE_REGION = env_str("CLIPDECK_DATABASE_REGION").lower()
CLIPDECK_MEDIA_REGION = env_str("CLIPDECK_MEDIA_REGION").lower()
CLIPDECK_BACKUP_URL = env_str("CLIPDECK_BACKUP_URL")
CLIPDECK_BACKUP_REGION = env_str("CLIPDECK_BACKUP_REGION").lower()
CLIPDECK_ALLOWED_DATABASE_REGIONS = env_list("CLIPDECK_ALLOWED_DATABASE_REGIONS", [CLIPDECK_REGION])
CLIPDECK_ALLOWED_MEDIA_REGIONS = env_list("CLIPDECK_ALLOWED_MEDIA_REGIONS", [CLIPDECK_REGION])
CLIPDECK_ALLOWED_BACKUP_REGIONS = env_list(
    "CLIPDECK_ALLOWED_BACKUP_REGIONS",
    DEFAULT_BACKUP_REGIONS.get(CLIPDECK_REGION, [CLIPDECK_REGION]),
)
# Crypto-shredding: the cell key wraps every user's data key; erased key ids go
# to a ledger kept outside backups (docs/privacy.md, "Erasure").
CLIPDECK_CELL_KEY = env_str("CLIPDECK_CELL_KEY") or secret_from_file(DATA_DIR / "cell_key")
CLIPDECK_SHREDDED_KEYS_FILE = Path(
    env_str("CLIPDECK_SHREDDED_KEYS_FILE", str(DATA_DIR / "shredded-keys"))
)
# Users' data keys live in a key store apart from the database (never in its
# backups); key-store backups go to their own folder, which erasure rewrites.
CLIPDECK_KEYSTORE_PATH = Path(
    env_str("CLIPDECK_KEYSTORE_PATH", str(DATA_DIR / "keystore" / "keys.sqlite3"))
)
CLIPDECK_KEYSTORE_BACKUP_DIR = Path(
    env_str("CLIPDECK_KEYSTORE_BACKUP_DIR", str(DATA_DIR / "keystore-backups"))
)
# The audit chain (docs/privacy.md, "Staff access"): entries are chained with
# HMAC-SHA256 under a key kept in a file apart from the database (never in a
# backup, generated 0600 at first use); signed checkpoints of the chain's head go
# to a witness folder that should live on other storage, under other credentials.
CLIPDECK_AUDIT_KEY_FILE = Path(
    env_str("CLIPDECK_AUDIT_KEY_FILE", str(DATA_DIR / "audit-chain.key"))
)
CLIPDECK_AUDIT_WITNESS_DIR = Path(
    env_str("CLIPDECK_AUDIT_WITNESS_DIR", str(DATA_DIR / "audit-witness"))
)
CLIPDECK_AUDIT_CHECKPOINT_INTERVAL_SECONDS = env_int(
    "CLIPDECK_AUDIT_CHECKPOINT_INTERVAL_SECONDS", 600
)
CLIPDECK_EXPORT_RETENTION_DAYS = env_int("CLIPDECK_EXPORT_RETENTION_DAYS", 7)
CLIPDECK_EXPORT_LINK_SECONDS = env_int("CLIPDECK_EXPORT_LINK_SECONDS", 3600)

INSTALLED_APPS = [
    "clipdeck.web.staff_admin.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "clipdeck.kernel",
    "clipdeck.runtime",
    "clipdeck.accounts",
    "clipdeck.videos",
    "clipdeck.studio",
    "clipdeck.privacy",
    "clipdeck.feed",
    "clipdeck.web",
    "clipdeck.demo",
    "clipdeck.shop",
    "clipdeck.federation",
    "clipdeck.moderation",
    "clipdeck.search",
    "clipdeck.inbox",
    "clipdeck.analytics",
]

MIDDLEWARE = [
    "clipdeck.runtime.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "clipdeck.kernel.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clipdeck.federation.middleware.ActorNegotiationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "clipdeck.urls"
ASGI_APPLICATION = "clipdeck.asgi.application"
# The kernel turns a bearer token into a user through this function (it imports no app).
CLIPDECK_TOKEN_RESOLVER = "clipdeck.accounts.services.token_user"  # noqa: S105
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# SQLite in the data folder, or DATABASE_URL (PostgreSQL with a connection pool).
DATABASES = {
    "default": (
        url_database(
            env_str("DATABASE_URL"),
            pool=env_bool("CLIPDECK_DB_POOL", True),
            pool_min=env_int("CLIPDECK_DB_POOL_MIN", 1),
            pool_max=env_int("CLIPDECK_DB_POOL_MAX", 10),
            pool_timeout=env_int("CLIPDECK_DB_POOL_TIMEOUT", 10),
            conn_max_age=env_int("CLIPDECK_DB_CONN_MAX_AGE", 60),
        )
        if env_str("DATABASE_URL")
        else sqlite_database(DATA_DIR, env_int("CLIPDECK_SQLITE_MMAP_MB", SQLITE_MMAP_MB))
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits, feed sessions and short-term feed state: Redis, else the database.
CACHES = {
    "default": redis_cache(env_str("REDIS_URL")) if env_str("REDIS_URL") else database_cache(),
    "feed": feed_state_cache(env_str("REDIS_URL"), env_int("CLIPDECK_WEB_PROCESSES", 1)),
}
# Personalised For You pages ranked ahead of the one served and queued for the viewer's
# next pages (clipdeck/feed/page_queue.py); 0 builds every page in full.
CLIPDECK_FEED_PAGES_AHEAD = env_int("CLIPDECK_FEED_PAGES_AHEAD", 3)

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "media", "federation"],
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "/login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Where media is stored (a local folder, or s3://…); see clipdeck/runtime/media_storage.py.
CLIPDECK_MEDIA_LOCATION = parse_media_url(
    env_str("CLIPDECK_MEDIA_URL"),
    default_root=Path(env_str("CLIPDECK_MEDIA_ROOT", str(DATA_DIR / "media"))),
)
MEDIA_ROOT = CLIPDECK_MEDIA_LOCATION.root or DATA_DIR / "media"
# The media bucket's own origin when it serves signed URLs by redirect (for the CSP).
CLIPDECK_MEDIA_ORIGINS = [o for o in [browser_origin(CLIPDECK_MEDIA_LOCATION)] if o]
MEDIA_URL = "/media/"
# Behind nginx: hand local media files to nginx with X-Accel-Redirect under this prefix.
CLIPDECK_MEDIA_ACCEL_PREFIX = env_str("CLIPDECK_MEDIA_ACCEL_PREFIX")
STORAGES = {
    "default": storage_config(CLIPDECK_MEDIA_LOCATION),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# Staff sessions (the back office) end after this much inactivity.
CLIPDECK_STAFF_SESSION_SECONDS = env_int("CLIPDECK_STAFF_SESSION_SECONDS", 30 * 60)
# ... and this long after sign-in, however active they are.
CLIPDECK_STAFF_SESSION_MAX_SECONDS = env_int("CLIPDECK_STAFF_SESSION_MAX_SECONDS", 12 * 3600)
SESSION_COOKIE_SAMESITE = "Lax"
# Cookies are HTTPS-only whenever the cell's public address is HTTPS.
SESSION_COOKIE_SECURE = env_bool("CLIPDECK_SECURE_COOKIES", PUBLIC_URL.startswith("https://"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Sent only on HTTPS requests (Django's SecurityMiddleware); 0 turns it off.
SECURE_HSTS_SECONDS = env_int("CLIPDECK_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Login throttling: failures per account on one network (a lock for that network only) and per
# (truncated, keyed-hashed) network.
CLIPDECK_LOGIN_MAX_FAILURES = env_int("CLIPDECK_LOGIN_MAX_FAILURES", 5)
CLIPDECK_LOGIN_MAX_FAILURES_PER_NETWORK = env_int("CLIPDECK_LOGIN_MAX_FAILURES_PER_NETWORK", 30)
CLIPDECK_LOGIN_WINDOW_SECONDS = env_int("CLIPDECK_LOGIN_WINDOW_SECONDS", 15 * 60)
# Failures against one account from every network slow attempts down (a doubling
# pause) instead of locking the owner out.
CLIPDECK_LOGIN_BACKOFF_AFTER = env_int("CLIPDECK_LOGIN_BACKOFF_AFTER", 10)
CLIPDECK_LOGIN_BACKOFF_MAX_SECONDS = env_int("CLIPDECK_LOGIN_BACKOFF_MAX_SECONDS", 60)
# Retention jobs (privacy/retention.py): how often workers run them, idle API tokens.
CLIPDECK_RETENTION_INTERVAL_SECONDS = env_int("CLIPDECK_RETENTION_INTERVAL_SECONDS", 3600)
# Creator analytics: how often the day's events are folded into daily rows.
CLIPDECK_ANALYTICS_INTERVAL_SECONDS = env_int("CLIPDECK_ANALYTICS_INTERVAL_SECONDS", 300)
CLIPDECK_API_TOKEN_IDLE_DAYS = env_int("CLIPDECK_API_TOKEN_IDLE_DAYS", 180)
# An API token stops working this long after it was issued, however often it is used.
CLIPDECK_API_TOKEN_MAX_AGE_DAYS = env_int("CLIPDECK_API_TOKEN_MAX_AGE_DAYS", 90)
# Rate limits on writes: (per user, per network, window in seconds); see core/ratelimit.py.
CLIPDECK_RATE_LIMITS = {
    "signup": (0, env_int("CLIPDECK_SIGNUPS_PER_NETWORK_PER_HOUR", 20), 3600),
    "upload": (
        env_int("CLIPDECK_UPLOADS_PER_USER_PER_HOUR", 30),
        env_int("CLIPDECK_UPLOADS_PER_NETWORK_PER_HOUR", 120),
        3600,
    ),
    "comment": (
        env_int("CLIPDECK_COMMENTS_PER_USER_PER_10_MINUTES", 30),
        env_int("CLIPDECK_COMMENTS_PER_NETWORK_PER_10_MINUTES", 300),
        600,
    ),
    # Public counters (shares, product impressions and taps) from one network.
    "count": (0, env_int("CLIPDECK_COUNTS_PER_NETWORK_PER_MINUTE", 120), 60),
    # Reports and notices (anonymous ones are limited by network only).
    "report": (
        env_int("CLIPDECK_REPORTS_PER_USER_PER_HOUR", 30),
        env_int("CLIPDECK_REPORTS_PER_NETWORK_PER_HOUR", 60),
        3600,
    ),
    # Searches and suggestions while typing.
    "search": (
        env_int("CLIPDECK_SEARCHES_PER_USER_PER_MINUTE", 120),
        env_int("CLIPDECK_SEARCHES_PER_NETWORK_PER_MINUTE", 600),
        60,
    ),
}
# Password-reset requests: per address, per network, per hour.
CLIPDECK_RATE_LIMITS["password_reset"] = (
    env_int("CLIPDECK_RESETS_PER_ADDRESS_PER_HOUR", 3),
    env_int("CLIPDECK_RESETS_PER_NETWORK_PER_HOUR", 20),
    3600,
)
# A viewer's view, completion, like and share of a video count once in this window.
CLIPDECK_COUNT_ONCE_SECONDS = env_int("CLIPDECK_COUNT_ONCE_HOURS", 24) * 3600
CLIPDECK_PAGE_MAX = 50

# Studio: upload limits, length options and rendering.
CLIPDECK_MAX_UPLOAD_BYTES = env_int("CLIPDECK_MAX_UPLOAD_MB", 500) * 1_000_000
# Request bodies: read only for a signed-in caller beyond the anonymous cap, never past the total
# (clipdeck/runtime/request_limits.py). The total leaves room for a second file (a voice-over).
CLIPDECK_ANONYMOUS_MAX_REQUEST_BYTES = env_int("CLIPDECK_ANONYMOUS_MAX_REQUEST_KB", 1024) * 1024
CLIPDECK_MAX_REQUEST_BYTES = env_int("CLIPDECK_MAX_REQUEST_MB", 1100) * 1_000_000
CLIPDECK_MAX_SOURCE_MS = env_int("CLIPDECK_MAX_SOURCE_SECONDS", 600) * 1000
CLIPDECK_MAX_SIDE = env_int("CLIPDECK_MAX_SIDE", 4096)
CLIPDECK_LENGTH_OPTIONS_MS = [
    int(s) * 1000 for s in env_list("CLIPDECK_LENGTH_OPTIONS_SECONDS", ["15", "60", "180"])
]
CLIPDECK_RENDER_LEASE_SECONDS = env_int("CLIPDECK_RENDER_LEASE_SECONDS", 60)
# How often scheduled posts are looked for (a post goes live within this of its time).
CLIPDECK_SCHEDULED_POSTS_INTERVAL_SECONDS = env_int("CLIPDECK_SCHEDULED_POSTS_INTERVAL_SECONDS", 30)
# A PocketSphinx model folder for auto-captions; empty: the English model of the wheel.
CLIPDECK_AUTO_CAPTIONS_MODEL = env_str("CLIPDECK_AUTO_CAPTIONS_MODEL")
CLIPDECK_RENDER_MAX_ATTEMPTS = env_int("CLIPDECK_RENDER_MAX_ATTEMPTS", 3)
CLIPDECK_RENDER_WALL_SECONDS = env_int("CLIPDECK_RENDER_WALL_SECONDS", 900)
# How many of one person's videos may be processing at once; the next upload answers 429.
CLIPDECK_MAX_RENDERS_IN_FLIGHT = env_int("CLIPDECK_MAX_RENDERS_IN_FLIGHT", 3)
CLIPDECK_RENDER_MEMORY_MB = env_int("CLIPDECK_RENDER_MEMORY_MB", 4096)

# Shop: catalog import limits, the built-in test payment provider, crash recovery.
CLIPDECK_SHOP_IMPORT_MAX_BYTES = env_int("CLIPDECK_SHOP_IMPORT_MAX_BYTES", 5_000_000)
CLIPDECK_SHOP_IMPORT_TIMEOUT_SECONDS = env_int("CLIPDECK_SHOP_IMPORT_TIMEOUT_SECONDS", 10)
CLIPDECK_SHOP_IMPORT_MAX_ROWS = env_int("CLIPDECK_SHOP_IMPORT_MAX_ROWS", 50_000)
CLIPDECK_SHOP_IMAGE_MAX_BYTES = env_int("CLIPDECK_SHOP_IMAGE_MAX_BYTES", 10_000_000)
CLIPDECK_SHOP_IMAGE_RETRY_SECONDS = env_int("CLIPDECK_SHOP_IMAGE_RETRY_SECONDS", 3600)
CLIPDECK_SHOP_TEST_PAYMENTS = env_bool("CLIPDECK_SHOP_TEST_PAYMENTS", True)
CLIPDECK_SHOP_PENDING_TIMEOUT_SECONDS = env_int("CLIPDECK_SHOP_PENDING_TIMEOUT_SECONDS", 900)

# Task workers: a worker silent for this long is dead and its task is queued again.
CLIPDECK_WORKER_STALE_SECONDS = env_int("CLIPDECK_WORKER_STALE_SECONDS", 60)
CLIPDECK_TASK_MAX_ATTEMPTS = env_int("CLIPDECK_TASK_MAX_ATTEMPTS", 3)
# How long stopping waits for in-flight tasks (renders) before killing them.
CLIPDECK_SHUTDOWN_GRACE_SECONDS = env_int(
    "CLIPDECK_SHUTDOWN_GRACE_SECONDS", CLIPDECK_RENDER_WALL_SECONDS + 30
)
# /metrics: with a token, scrapers send "Authorization: Bearer <token>"; else loopback only.
CLIPDECK_METRICS_TOKEN = env_str("CLIPDECK_METRICS_TOKEN")

LOGGING = logging_config(
    env_str("CLIPDECK_LOG_FORMAT", "plain").strip().lower() or "plain",
    env_str("CLIPDECK_LOG_LEVEL", "INFO"),
)

# Egress: every outbound request goes through clipdeck.kernel.egress (docs/privacy.md).
CLIPDECK_EGRESS_ALLOW_HOSTS = env_list("CLIPDECK_EGRESS_ALLOW_HOSTS", [])
CLIPDECK_EGRESS_DENY_HOSTS = env_list("CLIPDECK_EGRESS_DENY_HOSTS", [])
CLIPDECK_EGRESS_PERSONAL_HOSTS = env_list("CLIPDECK_EGRESS_PERSONAL_HOSTS", [])
CLIPDECK_EGRESS_MAX_BYTES = env_int("CLIPDECK_EGRESS_MAX_BYTES", 5_000_000)
CLIPDECK_EGRESS_TIMEOUT_SECONDS = env_int("CLIPDECK_EGRESS_TIMEOUT_SECONDS", 10)
# For tests and a developer's own machine only: lets requests reach 127.0.0.1 / ::1.
CLIPDECK_EGRESS_ALLOW_LOOPBACK = env_bool("CLIPDECK_EGRESS_ALLOW_LOOPBACK", False)
# Federation (ActivityPub). Only development and test cells may reach http:// and
# loopback or private addresses; a production cell reaches public https:// servers only.
CLIPDECK_FEDERATION_ALLOW_LOOPBACK = env_bool("CLIPDECK_FEDERATION_ALLOW_LOOPBACK", False)
# Signed fetch ("authorized fetch"): actors, collections and objects answer signed GETs only.
CLIPDECK_FEDERATION_SIGNED_FETCH = env_bool("CLIPDECK_FEDERATION_SIGNED_FETCH", False)
CLIPDECK_FEDERATION_TIMEOUT_SECONDS = env_int("CLIPDECK_FEDERATION_TIMEOUT_SECONDS", 10)
CLIPDECK_FEDERATION_INBOX_PER_MINUTE = env_int("CLIPDECK_FEDERATION_INBOX_PER_MINUTE", 300)
# Mail (account recovery, email confirmation). Without an SMTP host, mail is written
# to files in the data folder (or the console), for the operator to read.
CLIPDECK_SMTP_HOST = env_str("CLIPDECK_SMTP_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if CLIPDECK_SMTP_HOST
    else {
        "console": "django.core.mail.backends.console.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
    }[env_str("CLIPDECK_EMAIL_FALLBACK", "file")]
)
EMAIL_FILE_PATH = str(DATA_DIR / "outbox")
EMAIL_HOST = CLIPDECK_SMTP_HOST
EMAIL_PORT = env_int("CLIPDECK_SMTP_PORT", 587)
EMAIL_HOST_USER = env_str("CLIPDECK_SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("CLIPDECK_SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("CLIPDECK_SMTP_STARTTLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("CLIPDECK_MAIL_FROM", "Clipdeck <no-reply@localhost>")
PASSWORD_RESET_TIMEOUT = env_int("CLIPDECK_PASSWORD_RESET_MINUTES", 60) * 60
CLIPDECK_EMAIL_VERIFICATION = env_bool("CLIPDECK_EMAIL_VERIFICATION", True)
CLIPDECK_EMAIL_VERIFY_SECONDS = env_int("CLIPDECK_EMAIL_VERIFY_DAYS", 7) * 86400
