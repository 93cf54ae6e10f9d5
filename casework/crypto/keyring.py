"""Versioned server keys kept outside the database.

The keyring is a small JSON document (a file with mode 0600, or the ``RONGRIAN_KEYRING``
environment variable) holding the AES-256 data keys by version, the HMAC keys for blind
indexes and tracking codes, the tip receipt pepper, the Ed25519 seed that signs proofs of
submission and audit checkpoints, and the HMAC key of the audit chain. Rotation adds a new data
key and makes it current; old versions stay so that existing ciphertexts remain readable until
they are re-encrypted.

A keyring written before the audit chain was keyed has no ``audit_key``. It gets one derived
from its signing seed (HKDF-SHA256), so every worker that reads the old file, or the old
``RONGRIAN_KEYRING`` value, at the same moment arrives at the same key; a key file is then
rewritten with it (0600), so the audit key stays put whatever later happens to the seed.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = 1
KEY_BYTES = 32
MAX_VERSION = 0xFFFF  # token header stores the version in two bytes
_SINGLE_KEYS = ("index_key", "tracking_key", "receipt_pepper", "signing_key")
_AUDIT_KEY_INFO = b"rongrian audit chain key v1"


class KeyringError(Exception):
    """The keyring is missing, malformed or lacks a requested key."""


@dataclass
class Keyring:
    """All server-side secrets, loaded once at start-up."""

    data_keys: dict[int, bytes] = field(repr=False)
    current: int
    index_key: bytes = field(repr=False)
    tracking_key: bytes = field(repr=False)
    receipt_pepper: bytes = field(repr=False)
    signing_key: bytes = field(repr=False)
    # None only while reading a keyring from before the audit chain was keyed: derived then.
    audit_key: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.audit_key is None and isinstance(self.signing_key, bytes):
            self.audit_key = _derive_audit_key(self.signing_key)
        if not self.data_keys:
            raise KeyringError("keyring has no data keys")
        for version, key in self.data_keys.items():
            _check_version(version)
            _check_key(f"data key {version}", key)
        if self.current not in self.data_keys:
            raise KeyringError(f"current data key version {self.current} is not in the keyring")
        for name in (*_SINGLE_KEYS, "audit_key"):
            _check_key(name, getattr(self, name))

    def data_key(self, version: int) -> bytes:
        """Return the data key for ``version``; KeyringError if unknown."""
        try:
            return self.data_keys[version]
        except KeyError:
            raise KeyringError(f"unknown data key version {version}") from None

    def rotate(self) -> int:
        """Add a fresh data key, make it current and return its version."""
        version = max(self.data_keys) + 1
        _check_version(version)
        self.data_keys[version] = secrets.token_bytes(KEY_BYTES)
        self.current = version
        return version

    def to_json(self) -> str:
        """Serialise to the keyring JSON format (keys base64-encoded)."""
        doc: dict[str, Any] = {
            "format": FORMAT,
            "current": self.current,
            "data_keys": {str(v): _b64(k) for v, k in sorted(self.data_keys.items())},
        }
        for name in (*_SINGLE_KEYS, "audit_key"):
            doc[name] = _b64(getattr(self, name))
        return json.dumps(doc, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        """Parse keyring JSON; KeyringError with a clear message on bad input."""
        try:
            doc = json.loads(text)
        except (TypeError, ValueError) as exc:
            raise KeyringError(f"keyring is not valid JSON: {exc}") from None
        if not isinstance(doc, dict):
            raise KeyringError("keyring JSON must be an object")
        if doc.get("format") != FORMAT or isinstance(doc.get("format"), bool):
            raise KeyringError(f"unsupported keyring format {doc.get('format')!r} (expected 1)")
        current = doc.get("current")
        if not isinstance(current, int) or isinstance(current, bool):
            raise KeyringError("keyring 'current' must be an integer")
        raw_keys = doc.get("data_keys")
        if not isinstance(raw_keys, dict) or not raw_keys:
            raise KeyringError("keyring 'data_keys' must be a non-empty object")
        data_keys: dict[int, bytes] = {}
        for name, value in raw_keys.items():
            if not (isinstance(name, str) and name.isascii() and name.isdigit()):
                raise KeyringError(f"data key version {name!r} is not a positive integer")
            data_keys[int(name)] = _unb64(f"data key {name}", value)
        singles = {name: _unb64(name, doc.get(name)) for name in _SINGLE_KEYS}
        if "audit_key" in doc:
            singles["audit_key"] = _unb64("audit_key", doc["audit_key"])
        return cls(data_keys=data_keys, current=current, **singles)

    @classmethod
    def generate(cls) -> Keyring:
        """Create a keyring with fresh random keys and current=1."""
        return cls(
            data_keys={1: secrets.token_bytes(KEY_BYTES)},
            current=1,
            **{name: secrets.token_bytes(KEY_BYTES) for name in (*_SINGLE_KEYS, "audit_key")},
        )


def load_keyring(path: str | os.PathLike[str], env_value: str | None = None) -> Keyring:
    """Load the keyring from ``env_value`` (JSON text) if given, else from ``path``.

    With ``env_value`` the file is never touched (an empty value is an error, not a fallback).
    A missing file is created with fresh keys, mode 0600, without clobbering a file that a
    concurrent process created first. A file without an audit key is saved again with the
    derived one (module docstring).
    """
    if env_value is not None:
        if not env_value.strip():
            raise KeyringError("RONGRIAN_KEYRING is set but empty")
        return Keyring.from_json(env_value)
    target = Path(path)
    try:
        keyring, complete = _read(target)
    except FileNotFoundError:
        pass
    else:
        if not complete:  # every concurrent writer writes the same key; a read-only file
            with contextlib.suppress(OSError):  # keeps deriving it, which is as good
                save_keyring(keyring, target)
        return keyring
    keyring = Keyring.generate()
    tmp = _write_tmp(keyring, target)
    try:
        os.link(tmp, target)  # atomic and never overwrites an existing keyring
    except FileExistsError:
        return _read(target)[0]
    finally:
        os.unlink(tmp)
    _fsync_dir(target.parent)
    return keyring


def save_keyring(keyring: Keyring, path: str | os.PathLike[str]) -> None:
    """Write the keyring atomically (temporary file + os.replace) with mode 0600."""
    target = Path(path)
    tmp = _write_tmp(keyring, target)
    try:
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise
    _fsync_dir(target.parent)


def _read(path: Path) -> tuple[Keyring, bool]:
    """The keyring in ``path``, and whether the file holds every key (else: no audit key)."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.stat().st_mode & 0o077:  # an older install, or copied in by hand
            with contextlib.suppress(PermissionError):
                path.chmod(0o600)
    except UnicodeDecodeError:
        raise KeyringError(f"keyring file {path} is not UTF-8 text") from None
    try:
        keyring = Keyring.from_json(text)
    except KeyringError as exc:
        raise KeyringError(f"{path}: {exc}") from None
    return keyring, "audit_key" in json.loads(text)


def _derive_audit_key(signing_seed: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=_AUDIT_KEY_INFO)
    return hkdf.derive(signing_seed)


def _write_tmp(keyring: Keyring, target: Path) -> str:
    """Write the keyring to a 0600 temporary file next to ``target`` and return its path."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(keyring.to_json())
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _check_version(version: object) -> None:
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= MAX_VERSION:
        raise KeyringError(f"data key version {version!r} must be an integer in 1..{MAX_VERSION}")


def _check_key(name: str, key: object) -> None:
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        raise KeyringError(f"{name} must be {KEY_BYTES} bytes")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(name: str, value: object) -> bytes:
    if not isinstance(value, str):
        raise KeyringError(f"keyring '{name}' is missing or not a base64 string")
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise KeyringError(f"keyring '{name}' is not valid base64") from None
    if len(key) != KEY_BYTES:
        raise KeyringError(f"keyring '{name}' must decode to {KEY_BYTES} bytes, got {len(key)}")
    return key
