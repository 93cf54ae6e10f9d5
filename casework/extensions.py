"""Flask extension objects, created once and bound to an app in the factory."""

import errno
import hashlib
import hmac
import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, text
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)


@contextmanager
def transaction() -> Iterator[None]:
    """One unit of work for a public function of the domain: whatever the block adds or
    changes commits when it ends, and any error rolls all of it back (and propagates)."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def owned(model, organization_id: int, row_id) -> object | None:
    """The row of ``model`` with this id when it belongs to the organization, else None."""
    row = db.session.get(model, row_id) if row_id is not None else None
    return row if row is not None and row.organization_id == organization_id else None


def end_session(*, dispose: bool = False) -> None:
    """Give this thread's session back to the pool, as a request's end does; for work done
    outside a request (a thread after the response, a CLI loop). ``dispose`` also closes the
    pool's connections (before a process exits or forks)."""
    db.session.remove()
    if dispose:
        db.engine.dispose()


def database_answers() -> bool:
    """Whether the database answers a trivial query (for the health check)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return False
    return True


def storage_full(error: BaseException) -> bool:
    """Whether a write failed for want of space: SQLite's SQLITE_FULL ("database or disk is
    full"), PostgreSQL's disk_full (SQLSTATE 53100) or the operating system's ENOSPC, as raised
    or wrapped by SQLAlchemy."""
    cause = getattr(error, "orig", None) or error
    if isinstance(cause, OSError) and cause.errno == errno.ENOSPC:
        return True
    if getattr(cause, "sqlstate", None) == "53100":
        return True
    return getattr(cause, "sqlite_errorcode", None) == 13  # SQLITE_FULL


def migrations(app) -> None:
    """Flask-Migrate for ``app``, set up on first use: by the ``db`` commands
    (rongrian.cli) and the migration tests. Alembic weighs ~11 MB in a worker that never
    migrates, so the app factory does not load it. Idempotent."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=app.config["MIGRATIONS_DIRECTORY"])


def commit_keeping_state() -> None:
    """Commit without expiring what the session holds. By default every object is expired at
    commit and read again on first use, in a second transaction; a request that goes on to show
    what it has just written (a receipt) would pay that to read back its own rows."""
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()


def client_network(address: str | None) -> str:
    """The unit a rate limit counts: an IPv4 address, or an IPv6 address's /64 (one home or
    phone is given a whole /64 and can pick any address in it). An IPv4-mapped IPv6 address
    is its IPv4 client."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def client_key() -> str:
    """Rate limits count per client (``client_network`` of the address the trusted proxies
    vouch for), keyed by a keyed hash: the limiter's storage (Redis in production) never
    holds a raw IP address."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    network = client_network(request.remote_addr).encode()
    return hmac.new(secret, network, hashlib.sha256).hexdigest()[:32]


limiter = Limiter(key_func=client_key, default_limits=[])
