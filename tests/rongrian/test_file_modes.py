"""Files on disk are private to the service account: instance/ is 0700; the SQLite database,
the secret key and the keyring are 0600, whatever the process umask."""

from __future__ import annotations

import os
import stat

import pytest

from casework.crypto import keys
from casework.extensions import db
from rongrian import create_app

ENV = ("SECRET_KEY", "DATABASE_URL", "RONGRIAN_KEYRING", "RONGRIAN_KEYRING_FILE")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    old = os.umask(0o002)  # group- and world-readable files unless the app says otherwise
    yield
    os.umask(old)


def _build(instance) -> None:
    app = create_app({"INSTANCE_PATH": str(instance), "TESTING": True})
    with app.app_context():
        db.create_all()
        keys.keyring()
        db.session.remove()
        db.engine.dispose()


def test_a_new_instance_is_private(tmp_path, monkeypatch, loose_umask):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    _build(instance)
    assert _mode(instance) == 0o700
    for name in ("secret_key", "rongrian.db", "keyring.json"):
        assert _mode(instance / name) == 0o600, name


def test_an_existing_instance_is_tightened(tmp_path, monkeypatch, loose_umask):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    _build(instance)
    instance.chmod(0o755)
    for name in ("secret_key", "rongrian.db", "keyring.json"):
        (instance / name).chmod(0o644)
    _build(instance)
    assert _mode(instance) == 0o700
    for name in ("secret_key", "rongrian.db", "keyring.json"):
        assert _mode(instance / name) == 0o600, name
