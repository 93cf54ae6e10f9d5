"""Tests for casework.crypto.sealed."""

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from casework.crypto.fields import DecryptionError
from casework.crypto.sealed import SealedBox, seal, unseal

AAD = b"tip:7:identity"


def _keypair() -> tuple[bytes, bytes]:
    private = X25519PrivateKey.generate()
    return private.private_bytes_raw(), private.public_key().public_bytes_raw()


@pytest.fixture
def keys() -> tuple[bytes, bytes]:
    return _keypair()


def test_recipient_can_open(keys):
    private, public = keys
    message = "ชื่อผู้แจ้ง: สมหญิง".encode()
    box = seal(public, message, AAD)
    assert len(box.ephemeral_public) == 32 and len(box.nonce) == 12
    assert message not in box.ciphertext
    assert unseal(private, box, AAD) == message


def test_boxes_are_randomised(keys):
    _, public = keys
    a, b = seal(public, b"x", AAD), seal(public, b"x", AAD)
    assert a.ephemeral_public != b.ephemeral_public
    assert a.to_bytes() != b.to_bytes()


def test_other_key_cannot_open(keys):
    _, public = keys
    box = seal(public, b"secret", AAD)
    other_private, _ = _keypair()
    with pytest.raises(DecryptionError):
        unseal(other_private, box, AAD)


def test_wrong_aad_fails(keys):
    private, public = keys
    box = seal(public, b"secret", AAD)
    with pytest.raises(DecryptionError):
        unseal(private, box, b"tip:8:identity")


def test_any_tampering_fails(keys):
    private, public = keys
    data = seal(public, b"secret", AAD).to_bytes()
    for i in range(1, len(data)):
        tampered = bytearray(data)
        tampered[i] ^= 0x01
        with pytest.raises(DecryptionError):
            unseal(private, SealedBox.from_bytes(bytes(tampered)), AAD)


def test_bytes_round_trip(keys):
    private, public = keys
    box = seal(public, b"", AAD)
    data = box.to_bytes()
    assert data[0] == 1
    assert len(data) == 1 + 32 + 12 + 16
    assert SealedBox.from_bytes(data) == box
    assert SealedBox.from_bytes(memoryview(data)) == box
    assert unseal(private, SealedBox.from_bytes(data), AAD) == b""


def test_from_bytes_rejects_malformed(keys):
    _, public = keys
    data = seal(public, b"secret", AAD).to_bytes()
    with pytest.raises(DecryptionError, match="format"):
        SealedBox.from_bytes(b"\x02" + data[1:])
    with pytest.raises(DecryptionError, match="short"):
        SealedBox.from_bytes(data[: 1 + 32 + 12 + 15])


def test_low_order_ephemeral_key_fails(keys):
    private, public = keys
    box = seal(public, b"secret", AAD)
    forged = SealedBox(bytes(32), box.nonce, box.ciphertext)
    with pytest.raises(DecryptionError):
        unseal(private, forged, AAD)


def test_matches_specified_construction(keys):
    private, public = keys
    box = seal(public, b"payload", AAD)
    ephemeral = X25519PublicKey.from_public_bytes(box.ephemeral_public)
    shared = X25519PrivateKey.from_private_bytes(private).exchange(ephemeral)
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=box.ephemeral_public + public,
        info=b"rongrian-sealed-v1",
    ).derive(shared)
    assert AESGCM(key).decrypt(box.nonce, box.ciphertext, AAD) == b"payload"
