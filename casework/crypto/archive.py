"""Backup archives encrypted under a passphrase: scrypt, then the STREAM construction of
ChaCha20-Poly1305 chunks, as age (age-encryption.org/v1) encrypts its payload.

Layout::

    MAGIC | salt (16) | log2 n (1) | r (1) | p (1)      -- the header, authenticated as AAD
    chunk 0 | chunk 1 | ... | last chunk                -- each CHUNK bytes of plaintext + 16

The key is scrypt(passphrase, salt) with the header's cost, fresh for every archive (a new
random salt), so chunk nonces can count from zero: an 11-byte big-endian counter and a final
byte that is 1 on the last chunk only. A chunk moved, dropped, repeated or cut off, a changed
header or a wrong passphrase all fail authentication (``ArchiveError``); nothing is released
from a chunk before its tag has been checked, and the end is known only at a chunk marked
last, so a truncated archive is an error, never a shorter backup.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"RONGRIAN-BACKUP-1\n"
CHUNK = 64 * 1024
TAG = 16
SALT = 16
MIN_PASSPHRASE = 12


class ArchiveError(Exception):
    """Not an archive of this format, the wrong passphrase, or a damaged archive."""


@dataclass(frozen=True)
class KdfCost:
    """scrypt's parameters: the default takes 128 MiB and about a second, once per archive."""

    log2_n: int = 17
    r: int = 8
    p: int = 1


FAST_TEST_COST = KdfCost(log2_n=4, r=1, p=1)


def _key(passphrase: str, salt: bytes, cost: KdfCost) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=2**cost.log2_n, r=cost.r, p=cost.p)
    return kdf.derive(passphrase.encode("utf-8"))


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ArchiveError(f"the passphrase must be at least {MIN_PASSPHRASE} characters")


class Writer:
    """A file-like object: what is written to it goes to ``out`` encrypted; ``close()`` writes
    the last chunk (it does not close ``out``)."""

    def __init__(self, out: BinaryIO, passphrase: str, cost: KdfCost | None = None):
        check_passphrase(passphrase)
        cost = cost or KdfCost()
        salt = os.urandom(SALT)
        self.header = MAGIC + salt + struct.pack("BBB", cost.log2_n, cost.r, cost.p)
        self.aead = ChaCha20Poly1305(_key(passphrase, salt, cost))
        self.out, self.buffer, self.counter, self.closed = out, bytearray(), 0, False
        out.write(self.header)

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:  # keep at least one byte back for the last chunk
            self._seal(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        self.out.write(self.aead.encrypt(_nonce(self.counter, last), plain, self.header))
        self.counter += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self.buffer), last=True)
            self.buffer.clear()
            self.closed = True

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.close()


def _read_exactly(source: BinaryIO, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        part = source.read(size - len(data))
        if not part:
            break
        data += part
    return bytes(data)


def chunks(source: BinaryIO, passphrase: str) -> Iterator[bytes]:
    """The plaintext of an archive, chunk by chunk, each authenticated before it is given."""
    header = _read_exactly(source, len(MAGIC) + SALT + 3)
    if not header.startswith(MAGIC) or len(header) < len(MAGIC) + SALT + 3:
        raise ArchiveError("this is not a Rongrian backup archive")
    salt = header[len(MAGIC) : len(MAGIC) + SALT]
    log2_n, r, p = struct.unpack("BBB", header[-3:])
    if not (1 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
        raise ArchiveError("the archive's key derivation settings are out of range")
    aead = ChaCha20Poly1305(_key(passphrase, salt, KdfCost(log2_n, r, p)))
    counter, sealed = 0, _read_exactly(source, CHUNK + TAG)
    while True:
        ahead = _read_exactly(source, CHUNK + TAG)
        last = not ahead
        try:
            yield aead.decrypt(_nonce(counter, last), sealed, header)
        except InvalidTag:
            raise ArchiveError(
                "the passphrase is wrong, or the archive is damaged or incomplete"
            ) from None
        if last:
            return
        counter, sealed = counter + 1, ahead


class Reader:
    """A file-like object giving an archive's plaintext (for ``tarfile.open(mode="r|")``)."""

    def __init__(self, source: BinaryIO, passphrase: str):
        self.chunks, self.buffer = chunks(source, passphrase), bytearray()

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            part = next(self.chunks, None)
            if part is None:
                break
            self.buffer += part
        if size < 0:
            size = len(self.buffer)
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data
