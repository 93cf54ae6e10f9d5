"""The app's keyring: loaded from RONGRIAN_KEYRING or the key file under instance/.

A keyring from the variable is read once. One from the key file is read again whenever the file
changes (its inode, size or modification time, checked with one ``stat`` per use): when
``keys rotate`` runs in another process, every gunicorn worker of every app server sharing the
file encrypts under the new data key from its next use on, without a restart, and a worker
started later can read everything written before.
"""

from __future__ import annotations

import os

from flask import Flask, current_app

from casework.crypto.keyring import Keyring, load_keyring

_HELD = "rongrian_keyring"


def init_app(app: Flask) -> None:
    app.extensions[_HELD] = None


def keyring(app: Flask | None = None) -> Keyring:
    app = app or current_app
    held = app.extensions.get(_HELD)
    if app.config["RONGRIAN_KEYRING"]:
        if held is None:
            held = app.extensions[_HELD] = (load_keyring("", app.config["RONGRIAN_KEYRING"]), None)
        return held[0]
    path = app.config["RONGRIAN_KEYRING_FILE"]
    stamp = _stamp(path)
    if held is None or held[1] != stamp:
        ring = load_keyring(path)  # a change after the stamp is read again next time
        held = app.extensions[_HELD] = (ring, stamp or _stamp(path))
    return held[0]


def _stamp(path: str) -> tuple[int, int, int] | None:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns)


def replace(app: Flask, ring: Keyring | None) -> None:
    """Use ``ring`` from now on (None: read the key file or the variable again)."""
    if ring is None:
        app.extensions[_HELD] = None
    else:
        stamp = (
            None if app.config["RONGRIAN_KEYRING"] else _stamp(app.config["RONGRIAN_KEYRING_FILE"])
        )
        app.extensions[_HELD] = (ring, stamp)
