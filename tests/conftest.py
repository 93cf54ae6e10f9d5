"""Test fixtures: the app is built from the factory, on SQLite or on a real PostgreSQL.

``pytest --db=postgresql`` uses TEST_DATABASE_URL; with CI=true a missing or unreachable
PostgreSQL fails the run instead of skipping it.

The schema is built once per session (per pytest-xdist worker) into two templates, one with the
demo data (for ``app``) and one without (for ``make_app``); every test starts from one of them
and leaves nothing behind:

- SQLite: each test gets a copy of the template's file (on /dev/shm where there is one, so a
  commit flushes nothing to disk).
- PostgreSQL: each worker has databases of its own (TEST_DATABASE_URL's name + ``_gw0``...,
  created on first use). Each test runs inside one transaction on one connection, rolled back
  when it ends; the app's commits release SAVEPOINTs of it (as pypi/warehouse's tests do). A test
  whose commits must be real (threads, a second connection, a subprocess, DDL) is marked
  ``real_commits``: it commits to the worker's database, which is rebuilt after it. A test that
  lacks the mark and opens a second connection, or uses the database from another thread,
  fails and says so.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import tempfile
import threading
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from flask_sqlalchemy.session import Session as FlaskSession
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.orm import close_all_sessions

from casework.crypto import custodian_keys, receipts
from casework.dates import clock
from casework.extensions import db
from rongrian import create_app

REAL_COMMITS = "real_commits"


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        default="sqlite",
        choices=["sqlite", "postgresql"],
        help="database backend for the suite (postgresql needs TEST_DATABASE_URL)",
    )


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.keywords:  # one live server and one Chromium, on one worker
            item.add_marker(pytest.mark.xdist_group("browser"))
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
def postgres_server(backend) -> str | None:
    """TEST_DATABASE_URL, checked to answer (None on SQLite)."""
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


class Databases:
    """This worker's databases, each holding the schema and the demo data.

    ``url(name)`` names one: on SQLite a file under ``root`` (in memory, on /dev/shm, where
    there is one: a commit then costs no disk flush); on PostgreSQL a database on
    TEST_DATABASE_URL's server, created if missing: TEST_DATABASE_URL's own database for the main
    one when pytest-xdist is off, ``<its name>_gw0``... under it, and ``<that>_<name>`` for the
    others."""

    def __init__(self, root: Path, server_url: str | None):
        self.root, self.server_url = root, server_url
        self.copies = itertools.count()
        self.worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        self.engines: dict[str, object] = {}

    def engine(self, url: str):
        """One engine (and its pool) per database for the whole session."""
        if url not in self.engines:
            self.engines[url] = create_engine(url)
        return self.engines[url]

    def url(self, name: str = "") -> str:
        if not self.server_url:
            return f"sqlite:///{self.root / ((name or 'template') + '.db')}"
        server = make_url(self.server_url)
        wanted = "_".join(part for part in (server.database, self.worker, name) if part)
        if wanted != server.database:
            _create_database(server, wanted)
        return server.set(database=wanted).render_as_string(hide_password=False)

    def copy(self, template_url: str) -> Path:
        """A copy of an SQLite database, for one test."""
        copy = self.root / f"test-{next(self.copies)}.db"
        shutil.copyfile(make_url(template_url).database, copy)
        return copy

    def build(self, url: str, *, demo: bool) -> str:
        """(Re)build the schema, with the demo data or without; returns ``url``."""
        from casework import demo as demo_data

        app = create_app(_config(self.root / "builder", url))
        with app.app_context():
            if self.server_url:
                db.drop_all()
            db.create_all()
            if demo:
                demo_data.load()
            db.session.remove()
            db.engine.dispose()
        return url


def _create_database(server, name: str) -> None:
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            query = text("SELECT 1 FROM pg_database WHERE datname = :name")
            if not conn.scalar(query, {"name": name}):
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except ProgrammingError as error:  # created meanwhile by a run next door
        if "already exists" not in str(error):
            raise
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory, postgres_server):
    shm = Path("/dev/shm")
    memory = shm.is_dir() and os.access(shm, os.W_OK)
    root = tempfile.mkdtemp(prefix="rongrian-tests-", dir=shm) if memory else None
    found = Databases(Path(root) if root else tmp_path_factory.mktemp("databases"), postgres_server)
    yield found
    for engine in found.engines.values():
        engine.dispose()
    if root:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def templates(databases) -> dict[bool, str]:
    """The URLs of the worker's two main databases, built once per session: the schema alone
    (``False``) and the schema with the demo data (``True``). On SQLite every test works on a
    copy of one; on PostgreSQL on one, inside a transaction."""
    return {
        True: databases.build(databases.url(), demo=True),
        False: databases.build(databases.url("empty"), demo=False),
    }


@pytest.fixture(scope="session")
def postgres_url(backend, templates) -> str | None:
    """This worker's PostgreSQL database with the demo data (None on SQLite)."""
    return templates[True] if backend == "postgresql" else None


class _JoinedSession(FlaskSession):
    """A session on the test's one connection: it joins the test's transaction, and its commits
    and rollbacks act on a SAVEPOINT of it."""

    def __init__(self, *args, owner: int, **kwargs):
        if threading.get_ident() != owner:
            raise RuntimeError(
                f"a thread other than the test's uses the database: mark the test {REAL_COMMITS}"
            )
        super().__init__(*args, **kwargs)

    def get_bind(self, *args, **kwargs):
        return self.bind


_STRAYS = pytest.StashKey[list]()


@contextmanager
def _rolled_back(engine, strays: list):
    """Run the test's sessions on one connection inside a transaction rolled back at the end."""
    connection = engine.connect()
    outer = connection.begin()
    real = db.session
    db.session = db._make_scoped_session(
        {
            "class_": _JoinedSession,
            "bind": connection,
            "join_transaction_mode": "create_savepoint",
            "owner": threading.get_ident(),
        }
    )
    try:
        yield
    finally:
        close_all_sessions()
        db.session = real
        outer.rollback()
        connection.close()
    if strays:
        pytest.fail(
            f"the test opened its own database connection ({strays[0]}), which cannot see "
            f"its uncommitted data: mark it {REAL_COMMITS}",
            pytrace=False,
        )


class _TestDatabase:
    """One test's database, made when its first app is built: a fresh copy of a template, as if
    the tables had just been created (and the demo data loaded, with ``demo``). Every later app
    of the test shares it."""

    def __init__(self, request, databases: Databases, templates: dict[bool, str]):
        self.node, self.databases, self.templates = request.node, databases, templates
        self.backend = request.config.getoption("--db")
        self.real_commits = bool(self.node.get_closest_marker(REAL_COMMITS))
        self.strays: list[str] = self.node.stash.setdefault(_STRAYS, [])
        self.made: tuple[bool, str] | None = None
        self.transaction = ExitStack()

    @property
    def joined(self) -> bool:
        """Apps share the test's one connection and transaction (PostgreSQL, not real_commits)."""
        return self.backend == "postgresql" and not self.real_commits

    def url(self, demo: bool) -> str:
        if self.made is None:
            template = self.templates[demo]
            if self.backend == "sqlite":
                url = f"sqlite:///{self.databases.copy(template)}"
            else:
                url = template
                if self.joined:
                    engine = self.databases.engine(template)
                    self.transaction.enter_context(_rolled_back(engine, self.strays))
            self.made = (demo, url)
        return self.made[1]

    def close(self) -> None:
        if self.made is None:
            return
        demo, url = self.made
        if self.backend == "sqlite":
            copy = Path(make_url(url).database)
            for path in copy.parent.glob(f"{copy.name}*"):  # with its -journal or -wal
                path.unlink()
        elif self.real_commits:
            self.databases.build(url, demo=demo)
        else:
            self.transaction.close()


@pytest.fixture
def database(request, databases, templates):
    """This test's database (see _TestDatabase): ``database.url(demo)``."""
    made = _TestDatabase(request, databases, templates)
    yield made
    made.close()


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per worker: every test's app has a Jinja environment of its own,
    which would otherwise compile each template it renders again (Jinja checks the source)."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _CompiledTemplates()


def _stray(node, *_connection) -> None:
    node.stash[_STRAYS].append("db.engine")
    raise RuntimeError(f"db.engine opened a connection of its own: mark the test {REAL_COMMITS}")


@pytest.fixture
def make_app(request, tmp_path, database):
    """Build an app from the factory with extra config; its tables are fresh and empty (with
    ``demo=True``: hold the demo data). Every app of a test shares one database."""
    built = []

    def factory(extra: dict | None = None, surface: str = "all", *, demo: bool = False):
        config = {**_config(tmp_path, database.url(demo)), **(extra or {})}
        app = create_app(config, surface=surface)
        app.jinja_env.bytecode_cache = _TEMPLATES
        if database.joined:  # the app's own engine stays unused: refuse it before it commits
            with app.app_context():
                event.listen(db.engine, "connect", functools.partial(_stray, request.node))
        built.append(app)
        return app

    yield factory
    for app in built:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """The app, with the demo data (loaded once into the template)."""
    return make_app(demo=True)


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
