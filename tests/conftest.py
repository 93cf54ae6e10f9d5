"""Test fixtures: the app is built from the factory, on SQLite or on a real PostgreSQL.

``pytest --db=postgresql`` uses TEST_DATABASE_URL; with CI=true a missing or unreachable
PostgreSQL fails the run instead of skipping it.
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from sqlalchemy import create_engine, text

from casework.crypto import custodian_keys, receipts
from casework.dates import clock
from casework.extensions import db
from rongrian import create_app


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        default="sqlite",
        choices=["sqlite", "postgresql"],
        help="database backend for the suite (postgresql needs TEST_DATABASE_URL)",
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--db") == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs --db=postgresql (runs in the PostgreSQL pass)")
    for item in items:
        if "postgresql_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def backend(request) -> str:
    return request.config.getoption("--db")


@pytest.fixture(scope="session")
def postgres_url(backend) -> str | None:
    if backend != "postgresql":
        return None
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.exit("--db=postgresql needs TEST_DATABASE_URL", returncode=1)
    from rongrian.config import normalize_database_url

    url = normalize_database_url(url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001
        pytest.exit(f"PostgreSQL at TEST_DATABASE_URL is unreachable: {error}", returncode=1)
    finally:
        engine.dispose()
    return url


def _config(tmp_path, database_url: str) -> dict:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RONGRIAN_KEYRING": None,
        "RONGRIAN_KEYRING_FILE": str(tmp_path / "instance" / "keyring.json"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "RECEIPT_KDF_COST": receipts.FAST_TEST_COST,
        "CUSTODIAN_KDF_COST": custodian_keys.FAST_TEST_COST,
        "OUTBOX_AUTODRAIN": False,
        "MAIL_SERVER": "",
    }


@pytest.fixture
def make_app(tmp_path, backend, postgres_url):
    """Build an app from the factory with extra config; tables are created fresh."""
    built = []

    def factory(extra: dict | None = None, surface: str = "all"):
        url = postgres_url or f"sqlite:///{tmp_path / 'test.db'}"
        app = create_app({**_config(tmp_path, url), **(extra or {})}, surface=surface)
        with app.app_context():
            if postgres_url and not built:
                db.drop_all()
            db.create_all()
        built.append(app)
        return app

    yield factory
    for app in built:
        with app.app_context():
            db.session.remove()
            if postgres_url:
                db.drop_all()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        from casework import demo

        demo.load()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def org(ctx):
    from rongrian.tenancy import current_org

    with ctx.test_request_context():
        return current_org()


@pytest.fixture
def frozen():
    """Freeze casework.dates.clock: ``frozen(datetime(...))`` (naive = UTC). Unfrozen afterwards."""

    def freeze(at: datetime):
        clock.freeze(at)

    yield freeze
    clock.freeze(None)


@pytest.fixture
def file_complaint(app):
    """File a general complaint through casework.general.intake in its own app context (as a request
    would); returns the ``Filed`` result with its case loaded and detached."""
    from casework.general import intake
    from rongrian.tenancy import current_org

    def file(**fields):
        fields.setdefault("category", "roads")
        fields.setdefault("subject", "ถนนชำรุด")
        fields.setdefault("details", "ถนนหน้าบ้านเลขที่ 12 เป็นหลุมลึก")
        with app.app_context(), app.test_request_context():
            filed = intake.file_complaint(current_org(), intake.ComplaintSubmission(**fields))
            db.session.refresh(filed.case)
            db.session.expunge(filed.case)
            return filed

    return file


@pytest.fixture
def login_as(app, client):
    """Sign a staff member in (past password and TOTP): ``login_as("officer", "works")``.

    Creates the account (email ``<role>[-<department>]@staff.test`` unless given, and ``name``),
    starts a server-side session for it and puts that session's id in ``client``'s cookie
    (another test client may be passed). Returns its id."""
    from casework.models import Department, Organization, User
    from casework.staff import sessions

    def login(role, department=None, *, email=None, on=None, name=None):
        target = on or client
        with app.app_context():
            org = db.session.scalars(db.select(Organization).order_by(Organization.id)).first()
            dept_id = None
            if department:
                dept_id = db.session.scalar(
                    db.select(Department.id).filter_by(organization_id=org.id, code=department)
                )
            email = email or f"{role}{'-' + department if department else ''}@staff.test"
            user = db.session.scalar(db.select(User).filter_by(email=email))
            if user is None:
                user = User(organization_id=org.id, email=email, role=role, department_id=dept_id)
                user.name = name or ""
                db.session.add(user)
                db.session.commit()
            user_id, session_id = user.id, sessions.start(user)
        with target.session_transaction() as session:
            session["_user_id"] = session_id
            session["_fresh"] = True
        return user_id

    return login


@pytest.fixture
def gps_jpeg() -> bytes:
    """A small JPEG whose EXIF names a camera, its serial number and a GPS position."""
    import io

    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0110] = "SecretCam 9"  # Model
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (13.0, 45.0, 0.0)
    gps[3] = "E"
    gps[4] = (100.0, 30.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def rewrite_audit_chain(app):
    """An insider who can write to the database: deletes entries of a chain, renumbers the
    rest and recomputes every hash from the first deleted entry on (or from ``start``), either
    unkeyed, as the chain used to be, or with the audit key taken from the keyring. The entry
    format is written out here, as an attacker would read it off the source."""
    import hashlib
    import hmac
    import json

    from sqlalchemy import select

    from casework.models import AuditEntry

    def digest(row, seq: int, prev: str, key: bytes | None) -> str:
        body = {
            "org": row.organization_id,
            "seq": seq,
            "at": row.at.isoformat(timespec="microseconds"),
            "actor": row.actor_id,
            "action": row.action,
            "case": row.case_id,
            "target": row.target,
            "data": row.data,
            "prev": prev,
        }
        if row.chain != "main":
            body["chain"] = row.chain
        text_ = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        if key is None:
            return hashlib.sha256(text_.encode()).hexdigest()
        return hmac.new(key, text_.encode(), hashlib.sha256).hexdigest()

    def rewrite(org_id, delete=(), *, keyed, chain="main", start=None):
        start = start or min(delete, default=1)
        with app.app_context():
            key = None
            if keyed:
                from casework.crypto import keys

                key = keys.keyring().audit_key
            for seq in delete:
                db.session.execute(
                    text(
                        "DELETE FROM audit_entries WHERE organization_id = :o AND chain = :c "
                        "AND seq = :s"
                    ),
                    {"o": org_id, "c": chain, "s": seq},
                )
            rows = db.session.scalars(
                select(AuditEntry)
                .filter_by(organization_id=org_id, chain=chain)
                .order_by(AuditEntry.seq)
            ).all()
            prev = "0" * 64
            for n, row in enumerate(rows, 1):
                if n < start:
                    prev = row.hash
                    continue
                new = digest(row, n, prev, key)
                db.session.execute(
                    text(
                        "UPDATE audit_entries SET seq = :s, prev_hash = :p, hash = :h WHERE id = :i"
                    ),
                    {"s": n, "p": prev, "h": new, "i": row.id},
                )
                prev = new
            db.session.execute(
                text(
                    "UPDATE audit_heads SET seq = :s, hash = :h "
                    "WHERE organization_id = :o AND chain = :c"
                ),
                {"s": len(rows), "h": prev, "o": org_id, "c": chain},
            )
            db.session.commit()

    return rewrite
