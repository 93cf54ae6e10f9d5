"""The backup archive's encryption (casework.crypto.archive): what goes in comes out, and a wrong
passphrase, a changed byte, a chunk dropped or moved, or an archive cut short is refused."""

from __future__ import annotations

import io
import os

import pytest

from casework.crypto import archive
from casework.crypto.archive import CHUNK, TAG, ArchiveError, Reader, Writer

PASS = "a passphrase long enough"
HEADER = len(archive.MAGIC) + archive.SALT + 3


def seal(data: bytes, passphrase: str = PASS) -> bytes:
    out = io.BytesIO()
    with Writer(out, passphrase, archive.FAST_TEST_COST) as writer:
        for start in range(0, len(data), 10_000):  # written in pieces, as tarfile does
            writer.write(data[start : start + 10_000])
    return out.getvalue()


def opened(sealed: bytes, passphrase: str = PASS) -> bytes:
    return Reader(io.BytesIO(sealed), passphrase).read()


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17])
def test_what_goes_in_comes_out(size):
    data = os.urandom(size)
    sealed = seal(data)
    assert opened(sealed) == data
    assert data[:64] not in sealed or size < 16  # a few random bytes may occur by chance


def test_the_reader_gives_any_size_asked_for():
    data = os.urandom(2 * CHUNK + 5)
    reader = Reader(io.BytesIO(seal(data)), PASS)
    parts = [reader.read(1000) for _ in range(200)]
    assert b"".join(parts) == data and reader.read(10) == b""


def test_a_wrong_passphrase_is_refused():
    with pytest.raises(ArchiveError, match="passphrase is wrong"):
        opened(seal(b"data"), "another passphrase!")


def test_a_short_passphrase_is_refused():
    with pytest.raises(ArchiveError, match="at least 12"):
        Writer(io.BytesIO(), "short")


@pytest.mark.parametrize(
    "damage",
    [
        lambda s: s[: HEADER + 5] + bytes([s[HEADER + 5] ^ 1]) + s[HEADER + 6 :],  # a bit flipped
        lambda s: s[:20] + bytes([s[20] ^ 1]) + s[21:],  # the salt changed
        lambda s: s[: HEADER + CHUNK + TAG],  # cut after the first chunk
        lambda s: s[:-1],  # the last byte lost
        lambda s: s[:HEADER] + s[HEADER + CHUNK + TAG :],  # the first chunk dropped
        lambda s: (
            s[:HEADER]  # the first two chunks swapped
            + s[HEADER + CHUNK + TAG : HEADER + 2 * (CHUNK + TAG)]
            + s[HEADER : HEADER + CHUNK + TAG]
            + s[HEADER + 2 * (CHUNK + TAG) :]
        ),
    ],
)
def test_a_damaged_archive_is_refused_not_shortened(damage):
    sealed = seal(os.urandom(3 * CHUNK + 100))
    with pytest.raises(ArchiveError):
        opened(damage(sealed))


def test_something_else_is_not_an_archive():
    with pytest.raises(ArchiveError, match="not a Rongrian backup"):
        opened(b"PGDMP" + os.urandom(100))
