"""The instance folder and the files in it belong to the service account alone.

``instance/`` is created with mode 0700; the SQLite database and the secret key with 0600
(the keyring guards its own file: casework.crypto.keyring). Modes that are looser, from an
older install or a permissive umask, are tightened at start. SQLite gives its journal and WAL
files the database file's mode, so creating the database file first, 0600, covers them too.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import make_url

DIRECTORY_MODE, FILE_MODE = 0o700, 0o600


def private_directory(path: str | os.PathLike[str]) -> None:
    """Create ``path`` (mode 0700) or take group and world access away from it."""
    target = Path(path)
    target.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    _tighten(target, DIRECTORY_MODE)


def private_file(path: str | os.PathLike[str], *, create: bool = False) -> None:
    """Take group and world access away from ``path``; with ``create``, make it (empty, 0600)
    when it is missing, so whoever writes it next finds a private file."""
    target = Path(path)
    if create:
        with contextlib.suppress(FileExistsError):
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    _tighten(target, FILE_MODE)


def secure_files(app: Flask) -> None:
    """After the configuration is read: the secret key file and the SQLite database."""
    private_file(Path(app.instance_path) / "secret_key")
    database = sqlite_path(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    if database is not None:
        private_file(database, create=database.parent.is_dir())


def sqlite_path(uri: str, instance_path: str) -> Path | None:
    """The file behind a SQLite URL (relative paths are under the instance folder, as
    Flask-SQLAlchemy reads them); None for other databases and in-memory ones."""
    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or url.query.get("uri"):
        return None
    if not url.database or url.database == ":memory:":
        return None
    return Path(instance_path, url.database)  # an absolute database path wins


def _tighten(path: Path, mode: int) -> None:
    with contextlib.suppress(FileNotFoundError, PermissionError):
        current = os.stat(path).st_mode & 0o777
        if current & ~mode:
            os.chmod(path, current & mode)
