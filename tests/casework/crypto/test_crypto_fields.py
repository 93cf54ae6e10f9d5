"""Tests for casework.crypto.fields."""

import pytest

from casework.crypto import fields
from casework.crypto.fields import DecryptionError
from casework.crypto.keyring import Keyring

AAD = b"identity:42"


@pytest.fixture
def ring() -> Keyring:
    return Keyring.generate()


def test_round_trip_and_token_layout(ring):
    token = fields.encrypt(ring, b"secret bytes", AAD)
    assert token[0] == 1
    assert token[1:3] == (1).to_bytes(2, "big")
    assert len(token) == 1 + 2 + 12 + len(b"secret bytes") + 16
    assert b"secret bytes" not in token
    assert fields.decrypt(ring, token, AAD) == b"secret bytes"
    assert fields.token_version(token) == 1


def test_empty_and_large_plaintext(ring):
    assert fields.decrypt(ring, fields.encrypt(ring, b"", AAD), AAD) == b""
    blob = bytes(range(256)) * 4096
    assert fields.decrypt(ring, fields.encrypt(ring, blob, AAD), AAD) == blob


def test_nonces_are_random(ring):
    assert fields.encrypt(ring, b"x", AAD) != fields.encrypt(ring, b"x", AAD)


def test_accepts_memoryview_tokens(ring):
    token = fields.encrypt(ring, b"x", AAD)
    assert fields.decrypt(ring, memoryview(token), AAD) == b"x"


def test_wrong_aad_fails(ring):
    token = fields.encrypt(ring, b"x", AAD)
    for aad in (b"identity:43", b"", b"attachment:42"):
        with pytest.raises(DecryptionError):
            fields.decrypt(ring, token, aad)


def test_every_flipped_bit_is_detected(ring):
    token = fields.encrypt(ring, b"hello", AAD)
    for i in range(len(token)):
        for bit in (0x01, 0x80):
            tampered = bytearray(token)
            tampered[i] ^= bit
            with pytest.raises(DecryptionError):
                fields.decrypt(ring, bytes(tampered), AAD)


def test_truncated_tokens_fail(ring):
    token = fields.encrypt(ring, b"hello", AAD)
    for n in range(len(token)):
        with pytest.raises(DecryptionError):
            fields.decrypt(ring, token[:n], AAD)


def test_other_keyring_cannot_decrypt(ring):
    token = fields.encrypt(ring, b"x", AAD)
    with pytest.raises(DecryptionError):
        fields.decrypt(Keyring.generate(), token, AAD)


def test_unknown_version_fails(ring):
    token = fields.encrypt(ring, b"x", AAD)
    forged = token[:1] + (9).to_bytes(2, "big") + token[3:]
    with pytest.raises(DecryptionError, match="unknown data key version 9"):
        fields.decrypt(ring, forged, AAD)
    assert fields.token_version(forged) == 9


def test_token_version_rejects_malformed():
    with pytest.raises(DecryptionError):
        fields.token_version(b"\x01\x00")
    with pytest.raises(DecryptionError, match="format"):
        fields.token_version(b"\x02" + bytes(40))


def test_text_round_trip(ring):
    text = "ร้องเรียนเรื่องถนน 🚧 ซอย ๑๒"
    token = fields.encrypt_text(ring, text, AAD)
    assert fields.decrypt_text(ring, token, AAD) == text


def test_json_round_trip_compact_utf8(ring):
    obj = {"name": "สมชาย ใจดี", "phone": "0812345678", "tags": [1, 2.5, None, True]}
    token = fields.encrypt_json(ring, obj, AAD)
    assert fields.decrypt_json(ring, token, AAD) == obj
    plain = fields.decrypt(ring, token, AAD)
    assert b" " not in plain.replace("สมชาย ใจดี".encode(), b"")
    assert "สมชาย".encode() in plain  # ensure_ascii=False


def test_decrypt_text_and_json_reject_wrong_content(ring):
    with pytest.raises(DecryptionError):
        fields.decrypt_text(ring, fields.encrypt(ring, b"\xff\xfe", AAD), AAD)
    with pytest.raises(DecryptionError):
        fields.decrypt_json(ring, fields.encrypt_text(ring, "{not json", AAD), AAD)


def test_rotation_keeps_old_tokens_and_reencrypt_moves_them(ring):
    old = fields.encrypt_text(ring, "ก่อนหมุนคีย์", AAD)
    assert ring.rotate() == 2
    new = fields.encrypt_text(ring, "หลังหมุนคีย์", AAD)
    assert fields.token_version(old) == 1
    assert fields.token_version(new) == 2
    assert fields.decrypt_text(ring, old, AAD) == "ก่อนหมุนคีย์"

    moved = fields.reencrypt(ring, old, AAD)
    assert fields.token_version(moved) == 2
    assert fields.decrypt_text(ring, moved, AAD) == "ก่อนหมุนคีย์"

    # After retiring version 1, only re-encrypted tokens remain readable.
    del ring.data_keys[1]
    assert fields.decrypt_text(ring, moved, AAD) == "ก่อนหมุนคีย์"
    with pytest.raises(DecryptionError):
        fields.decrypt_text(ring, old, AAD)


def test_reencrypt_checks_aad(ring):
    token = fields.encrypt(ring, b"x", AAD)
    ring.rotate()
    with pytest.raises(DecryptionError):
        fields.reencrypt(ring, token, b"identity:1")


def test_survives_keyring_json_round_trip(ring):
    token = fields.encrypt(ring, b"x", AAD)
    assert fields.decrypt(Keyring.from_json(ring.to_json()), token, AAD) == b"x"
