"""Backups: one archive, encrypted under a passphrase (casework.crypto.archive), that holds
everything needed to bring an instance back: the database (attachments are stored in it,
sealed) and the keyring that opens what is sealed.

The archive is a tar stream of three members: ``manifest.json`` (the format, the database's
dialect and Alembic revision, and the number of rows of every table), ``keyring.json``, and the
database: ``database.pgdump`` (``pg_dump --format=custom``) or ``database.sqlite3``.

Consistency:
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot (``pg_export_snapshot()``),
  counts every table's rows in it, and ``pg_dump --snapshot`` dumps exactly that state while
  the instance keeps taking submissions.
- SQLite: the online backup API copies the database page by page into a file of its own,
  restarting if a writer changes it meanwhile; the rows are counted in the copy.
- The keyring is read before and after the dump and the two are merged: a key rotated in
  meanwhile (new rows under a new key) and a key retired meanwhile (rows in the dump still
  under the old key) are both in the archive.

``restore`` refuses an instance that is not empty (a table in its database, or a keyring file)
and reads and authenticates the whole archive before it writes anything. The database's
plaintext passes through a temporary directory inside the instance folder (mode 0700), beside
where the database itself lives, and is deleted at once.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from flask import Flask
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from casework.crypto import archive, keys
from casework.crypto.keyring import Keyring, KeyringError, save_keyring
from casework.dates import clock

FORMAT = 1
MANIFEST, KEYRING = "manifest.json", "keyring.json"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A backup or a restore that cannot be done, with what to do about it."""


# --- backup -------------------------------------------------------------------------------


def backup(app: Flask, out: BinaryIO, passphrase: str) -> dict:
    """Write the encrypted archive to ``out``; returns its manifest."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    dialect = _dialect(url)
    before = _read_keyring(app)
    with _workdir(app) as work:
        dump = work / DUMPS[dialect]
        if dialect == "postgresql":
            counts = _dump_postgresql(url, dump)
        else:
            counts = _dump_sqlite(_sqlite_file(app, url), dump)
        ring = _merge(before, _read_keyring(app))
        manifest = {
            "format": FORMAT,
            "created_at": clock.utcnow().isoformat(timespec="seconds") + "Z",
            "dialect": dialect,
            "revision": counts.pop("alembic_version", None),
            "rows": counts,
        }
        cost = app.config.get("BACKUP_KDF_COST")
        with (
            archive.Writer(out, passphrase, cost) as sealed,
            tarfile.open(fileobj=sealed, mode="w|") as tar,
        ):
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            _add_bytes(tar, KEYRING, ring.to_json().encode())
            tar.add(dump, arcname=dump.name)
    return manifest


def _dialect(url: URL) -> str:
    name = url.get_backend_name()
    if name not in DUMPS:
        raise BackupError(f"backups support PostgreSQL and SQLite, not {name}")
    return name


@contextmanager
def _workdir(app: Flask) -> Iterator[Path]:
    """A private temporary directory inside the instance folder."""
    path = Path(tempfile.mkdtemp(prefix=".backup-", dir=app.instance_path))
    try:
        path.chmod(0o700)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _read_keyring(app: Flask) -> Keyring:
    """The keyring as it is now on disk (or in RONGRIAN_KEYRING), not as this process loaded
    it: another process may have rotated it since."""
    env = app.config.get("RONGRIAN_KEYRING")
    if env:
        return Keyring.from_json(env)
    path = Path(app.config["RONGRIAN_KEYRING_FILE"])
    try:
        return Keyring.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"there is no keyring at {path}: nothing could be read back") from None


def _merge(before: Keyring, after: Keyring) -> Keyring:
    for name in ("index_key", "tracking_key", "receipt_pepper", "signing_key", "audit_key"):
        if getattr(before, name) != getattr(after, name):
            raise BackupError("the keyring was replaced during the backup: run it again")
    for version, key in before.data_keys.items():
        if after.data_keys.get(version, key) != key:
            raise BackupError("the keyring was replaced during the backup: run it again")
    merged = Keyring.from_json(after.to_json())
    merged.data_keys = {**before.data_keys, **after.data_keys}
    return merged


def _count(connection, tables: list[str]) -> dict[str, int | str]:
    counts: dict[str, int | str] = {}
    for table in sorted(tables):
        if table == "alembic_version":
            counts[table] = connection.scalar(text("SELECT version_num FROM alembic_version"))
        else:
            counts[table] = connection.scalar(text(f'SELECT count(*) FROM "{table}"'))  # noqa: S608
    return counts


def _dump_postgresql(url: URL, target: Path) -> dict:
    engine = create_engine(url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as connection:
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            counts = _count(connection, inspect(connection).get_table_names())
            _pg_tool(
                "pg_dump",
                url,
                ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"],
                ["--file", str(target)],
            )
            connection.rollback()
    finally:
        engine.dispose()
    return counts


def _sqlite_file(app: Flask, url: URL) -> Path:
    """The database file (a relative path is under the instance folder, as Flask-SQLAlchemy
    reads it)."""
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(app.instance_path, url.database)


def _dump_sqlite(database: Path, target: Path) -> dict:
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        tables = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
    finally:
        source.close()
        copy.close()
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as connection:
            return _count(connection, tables)
    finally:
        engine.dispose()


def _pg_tool(tool: str, url: URL, options: list[str], tail: list[str]) -> None:
    """Run pg_dump or pg_restore against ``url``; the password goes in the environment, never
    on the command line (where ``ps`` shows it)."""
    program = shutil.which(tool)
    if program is None:
        raise BackupError(f"{tool} is not installed (Debian: apt install postgresql-client)")
    conninfo = {
        "host": url.host or "",
        "port": str(url.port or ""),
        "user": url.username or "",
        "dbname": url.database or "",
        **{k: str(v) for k, v in url.query.items()},
    }
    dsn = " ".join(f"{k}='{_quote(v)}'" for k, v in conninfo.items() if v)
    env = {**os.environ, "PGPASSWORD": url.password or ""} if url.password else None
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from our own configuration
        [program, *options, f"--dbname={dsn}", *tail], env=env, capture_output=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.decode(errors='replace').strip()}")


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(data), 0o600
    tar.addfile(info, io.BytesIO(data))


# --- restore ------------------------------------------------------------------------------


def restore(app: Flask, source: BinaryIO, passphrase: str) -> dict:
    """Load an archive into this instance, which must be empty; returns the manifest."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    dialect = _dialect(url)
    _check_empty(app, url)
    with _workdir(app) as work:
        members = _extract(source, passphrase, work)
        manifest = json.loads(members[MANIFEST].read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unsupported archive format {manifest.get('format')!r}")
        if manifest["dialect"] != dialect:
            raise BackupError(
                f"this archive holds a {manifest['dialect']} database; this instance uses {dialect}"
            )
        try:
            ring = Keyring.from_json(members[KEYRING].read_text(encoding="utf-8"))
        except KeyringError as error:
            raise BackupError(f"the archive's keyring is unreadable: {error}") from None
        dump = members.get(DUMPS[dialect])
        if dump is None:
            raise BackupError("the archive holds no database")
        if dialect == "postgresql":
            _pg_tool(
                "pg_restore",
                url,
                ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"],
                [str(dump)],
            )
        else:
            _restore_sqlite(dump, _sqlite_file(app, url))
    found = _counts_now(url)
    revision = found.pop("alembic_version", None)
    if found != manifest["rows"] or revision != manifest["revision"]:
        raise BackupError("the restored database does not hold what the archive's manifest says")
    save_keyring(ring, app.config["RONGRIAN_KEYRING_FILE"])
    keys.replace(app, ring)
    return manifest


def _check_empty(app: Flask, url: URL) -> None:
    if app.config.get("RONGRIAN_KEYRING"):
        raise BackupError(
            "RONGRIAN_KEYRING is set: restore writes the archive's keyring to the key file; "
            "unset the variable (and set it from the restored file afterwards if you wish)"
        )
    keyring_file = Path(app.config["RONGRIAN_KEYRING_FILE"])
    if keyring_file.exists():
        raise BackupError(
            f"this instance already has a keyring ({keyring_file}): restore only into an empty "
            "instance, so no key is ever overwritten"
        )
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = inspect(connection).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise BackupError(
            f"the database already has {len(tables)} tables: restore only into an empty "
            "database (create a new one; do not run `db upgrade` first)"
        )


def _extract(source: BinaryIO, passphrase: str, work: Path) -> dict[str, Path]:
    """Every member of the archive, written under ``work``; the archive is authenticated to
    its last chunk before this returns."""
    wanted = {MANIFEST, KEYRING, *DUMPS.values()}
    members: dict[str, Path] = {}
    try:
        with tarfile.open(fileobj=archive.Reader(source, passphrase), mode="r|") as tar:
            for member in tar:
                if member.name not in wanted or not member.isfile() or member.name in members:
                    raise BackupError(f"unexpected member {member.name!r} in the archive")
                target = work / member.name
                with tar.extractfile(member) as data, target.open("wb") as out:
                    shutil.copyfileobj(data, out)
                members[member.name] = target
    except archive.ArchiveError as error:
        raise BackupError(str(error)) from None
    except tarfile.TarError as error:
        raise BackupError(f"the archive's contents are damaged: {error}") from None
    for name in (MANIFEST, KEYRING):
        if name not in members:
            raise BackupError(f"the archive lacks {name}")
    return members


def _restore_sqlite(dump: Path, target: Path) -> None:
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()


def _counts_now(url: URL) -> dict:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return _count(connection, inspect(connection).get_table_names())
    finally:
        engine.dispose()
