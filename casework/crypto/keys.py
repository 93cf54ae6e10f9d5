"""The app's keyring: loaded once per app from RONGRIAN_KEYRING or the key file under instance/."""

from __future__ import annotations

from flask import Flask, current_app

from casework.crypto.keyring import Keyring, load_keyring


def init_app(app: Flask) -> None:
    app.extensions["rongrian_keyring"] = None


def keyring(app: Flask | None = None) -> Keyring:
    app = app or current_app
    ring = app.extensions.get("rongrian_keyring")
    if ring is None:
        ring = load_keyring(app.config["RONGRIAN_KEYRING_FILE"], app.config["RONGRIAN_KEYRING"])
        app.extensions["rongrian_keyring"] = ring
    return ring


def replace(app: Flask, ring: Keyring) -> None:
    app.extensions["rongrian_keyring"] = ring
