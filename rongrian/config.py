"""Configuration from environment variables, with safe defaults for a single-machine install.

Every variable is listed in the README's configuration table; keep the two in step.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _optional_int(name: str) -> int | None:
    value = (os.environ.get(name) or "").strip()
    return int(value) if value else None


def normalize_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else a random key kept in instance/secret_key."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker created it first
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
    for _ in range(50):  # the other worker may still be writing it
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.01)
    raise RuntimeError(f"{path} is empty: delete it or set SECRET_KEY")


def from_environment(instance_path: str) -> dict:
    instance = Path(instance_path)
    default_db = f"sqlite:///{instance / 'rongrian.db'}"
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(
            os.environ.get("DATABASE_URL", default_db)
        ),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "RONGRIAN_KEYRING_FILE": os.environ.get(
            "RONGRIAN_KEYRING_FILE", str(instance / "keyring.json")
        ),
        "RONGRIAN_KEYRING": os.environ.get("RONGRIAN_KEYRING") or None,
        "RONGRIAN_ORG": os.environ.get("RONGRIAN_ORG") or None,
        # Where the tip pages' "leave this page quickly" button goes: a page that says nothing.
        "QUICK_EXIT_URL": os.environ.get("QUICK_EXIT_URL") or "https://www.google.com/",
        # Rate-limit counts live in Redis whenever REDIS_URL is set, so every gunicorn worker
        # (and every machine) shares them; without it (make run) they stay in memory.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or os.environ.get("REDIS_URL")
        or "memory://",
        # How many reverse proxies in front of gunicorn set X-Forwarded-For/-Proto (1 behind
        # the README's nginx); with 0 those headers are ignored and the peer is the client.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        # Unexpected errors on the tip channel, dated by the day only (rongrian.errorlog).
        "TIP_ERROR_LOG": os.environ.get("TIP_ERROR_LOG", str(instance / "tip-errors.log")),
        "TRACK_RATE_LIMIT": os.environ.get("TRACK_RATE_LIMIT", "10 per minute"),
        "SUBMIT_RATE_LIMIT": os.environ.get("SUBMIT_RATE_LIMIT", "20 per hour"),
        "OPEN311_RATE_LIMIT": os.environ.get("OPEN311_RATE_LIMIT", "600 per hour"),
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", True),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "rongrian@localhost"),
        "OUTBOX_AUTODRAIN": _bool("OUTBOX_AUTODRAIN", False),
        # Back office (issue 3): mail transport, outbox retries, staff sessions and logins.
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_TIMEOUT": int(os.environ.get("MAIL_TIMEOUT", "30")),
        "OUTBOX_MAX_ATTEMPTS": int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "6")),
        "OUTBOX_BACKOFF_SECONDS": int(os.environ.get("OUTBOX_BACKOFF_SECONDS", "60")),
        "STAFF_BASE_URL": os.environ.get("STAFF_BASE_URL", ""),
        "STAFF_IDLE_MINUTES": int(os.environ.get("STAFF_IDLE_MINUTES", "30")),
        "STAFF_REQUIRE_TOTP": _bool("STAFF_REQUIRE_TOTP", True),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCK_MINUTES": int(os.environ.get("LOGIN_LOCK_MINUTES", "15")),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # Uploads (issue 8): an image larger than this is refused from its header, undecoded.
        "MAX_IMAGE_PIXELS": int(os.environ.get("MAX_IMAGE_PIXELS", "40000000")),
        # Published figures: small tip-channel breakdown cells show as "< k"; medians need
        # this many completed cases; /stats answers from a cache this many seconds old.
        "PUBLISH_K": int(os.environ.get("PUBLISH_K", "3")),
        "PUBLISH_MIN_SAMPLE": int(os.environ.get("PUBLISH_MIN_SAMPLE", "10")),
        "STATS_CACHE_SECONDS": int(os.environ.get("STATS_CACHE_SECONDS", "300")),
        # Maps (rongrian.maps): the tile server, its attribution (HTML, shown on every map), and
        # where and how close a map with no pin opens. Pages with a map allow its host in the
        # CSP's img-src; the tip channel never shows one.
        "MAP_TILE_URL": os.environ.get(
            "MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        ),
        # Empty: OpenStreetMap's credit, in the page's language (rongrian.maps).
        "MAP_ATTRIBUTION": os.environ.get("MAP_ATTRIBUTION", ""),
        "MAP_CENTER": os.environ.get("MAP_CENTER", "13.7563,100.5018"),
        "MAP_ZOOM": int(os.environ.get("MAP_ZOOM", "13")),
        # The licence the open-data package declares (a Frictionless / CKAN licence id).
        "OPEN_DATA_LICENSE": os.environ.get("OPEN_DATA_LICENSE", "CC-BY-4.0"),
        # The LINE Official Account (lineoa): off until both the secret and the token are set.
        "LINE_CHANNEL_SECRET": os.environ.get("LINE_CHANNEL_SECRET", ""),
        # While a new channel secret is issued, webhooks signed with the old one still count.
        "LINE_CHANNEL_SECRET_PREVIOUS": os.environ.get("LINE_CHANNEL_SECRET_PREVIOUS", ""),
        "LINE_CHANNEL_ACCESS_TOKEN": os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", ""),
        "LINE_API_BASE_URL": os.environ.get("LINE_API_BASE_URL", "https://api.line.me"),
        "LINE_DATA_API_BASE_URL": os.environ.get(
            "LINE_DATA_API_BASE_URL", "https://api-data.line.me"
        ),
        "LINE_API_TIMEOUT": float(os.environ.get("LINE_API_TIMEOUT", "10")),
        "LINE_CONVERSATION_IDLE_MINUTES": int(
            os.environ.get("LINE_CONVERSATION_IDLE_MINUTES", "30")
        ),
        # Send a webhook's replies from the web worker right after LINE has its 200 (else the
        # outbox worker sends them on its next pass).
        "LINE_REPLY_AFTER_RESPONSE": _bool("LINE_REPLY_AFTER_RESPONSE", True),
        # How many custodians approve a reveal (unset: 2 where at least two may decide the tip).
        "REVEAL_APPROVALS": _optional_int("REVEAL_APPROVALS"),
    }


DEFAULTS: dict = {
    # 5 attachments of 10 MB plus the text fields and multipart framing.
    "MAX_CONTENT_LENGTH": 52 * 1024 * 1024,
    "MAX_FORM_MEMORY_SIZE": 1024 * 1024,
    "MAX_FORM_PARTS": 200,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "rongrian_session",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "WTF_CSRF_TIME_LIMIT": 4 * 3600,
    "BABEL_DEFAULT_LOCALE": "th",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Bangkok",
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "RATELIMIT_HEADERS_ENABLED": False,
    # Explicit, because the Limiter object is shared and would keep an earlier app's setting.
    "RATELIMIT_ENABLED": True,
    # If Redis goes away, count in each worker's memory rather than fail every limited request.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RECEIPT_KDF_COST": None,  # None: production cost; tests pass a fast one
    "CUSTODIAN_KDF_COST": None,
    "BACKUP_KDF_COST": None,  # None: casework.crypto.archive's default scrypt cost
    "TESTING": False,
}
