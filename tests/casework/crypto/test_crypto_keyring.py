"""Tests for casework.crypto.keyring."""

import json
import os
import stat

import pytest

from casework.crypto.keyring import Keyring, KeyringError, load_keyring, save_keyring


def test_generate_has_fresh_32_byte_keys():
    a, b = Keyring.generate(), Keyring.generate()
    assert a.current == 1
    assert set(a.data_keys) == {1}
    for ring in (a, b):
        for key in (ring.data_key(1), ring.index_key, ring.tracking_key, ring.receipt_pepper):
            assert isinstance(key, bytes) and len(key) == 32
        assert len(ring.signing_key) == 32
    assert a.data_key(1) != b.data_key(1)
    assert len({a.data_key(1), a.index_key, a.tracking_key, a.receipt_pepper, a.signing_key}) == 5


def test_repr_does_not_leak_keys():
    ring = Keyring.generate()
    text = repr(ring)
    assert ring.index_key.hex() not in text
    assert str(ring.data_key(1)) not in text


def test_unknown_version_raises():
    with pytest.raises(KeyringError, match="unknown data key version 7"):
        Keyring.generate().data_key(7)


def test_rotate_adds_current_key_and_keeps_old():
    ring = Keyring.generate()
    old = ring.data_key(1)
    assert ring.rotate() == 2
    assert ring.current == 2
    assert ring.data_key(1) == old
    assert ring.data_key(2) != old
    assert ring.rotate() == 3
    assert set(ring.data_keys) == {1, 2, 3}


def test_json_round_trip():
    ring = Keyring.generate()
    ring.rotate()
    doc = json.loads(ring.to_json())
    assert doc["format"] == 1
    assert doc["current"] == 2
    assert set(doc["data_keys"]) == {"1", "2"}
    assert {"index_key", "tracking_key", "receipt_pepper", "signing_key"} <= set(doc)
    assert Keyring.from_json(ring.to_json()) == ring


def _doc() -> dict:
    return json.loads(Keyring.generate().to_json())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format=2), "format"),
        (lambda d: d.pop("format"), "format"),
        (lambda d: d.update(current="1"), "current"),
        (lambda d: d.update(current=5), "current data key version 5"),
        (lambda d: d.update(data_keys={}), "data_keys"),
        (lambda d: d.update(data_keys=[]), "data_keys"),
        (lambda d: d["data_keys"].update({"x": d["data_keys"]["1"]}), "version"),
        (lambda d: d["data_keys"].update({"0": d["data_keys"]["1"]}), "version"),
        (lambda d: d["data_keys"].update({"1": "not base64!"}), "base64"),
        (lambda d: d["data_keys"].update({"1": "AAAA"}), "32 bytes"),
        (lambda d: d.pop("index_key"), "index_key"),
        (lambda d: d.update(signing_key=None), "signing_key"),
        (lambda d: d.update(receipt_pepper="QUJD"), "receipt_pepper"),
    ],
)
def test_from_json_rejects_bad_documents(mutate, message):
    doc = _doc()
    mutate(doc)
    with pytest.raises(KeyringError, match=message):
        Keyring.from_json(json.dumps(doc))


@pytest.mark.parametrize("text", ["", "not json", "{", "[]", "null", "42"])
def test_from_json_rejects_non_objects(text):
    with pytest.raises(KeyringError):
        Keyring.from_json(text)


def test_constructor_validates_keys():
    with pytest.raises(KeyringError):
        Keyring(
            data_keys={1: b"short"},
            current=1,
            index_key=bytes(32),
            tracking_key=bytes(32),
            receipt_pepper=bytes(32),
            signing_key=bytes(32),
        )


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_load_creates_file_with_mode_0600_and_reloads_identically(tmp_path):
    path = tmp_path / "secrets" / "nested" / "keyring.json"
    ring = load_keyring(path)
    assert path.exists()
    assert _mode(path) == 0o600
    assert load_keyring(path) == ring
    assert load_keyring(str(path)) == ring
    assert [p.name for p in path.parent.iterdir()] == ["keyring.json"]  # no temp files left


def test_save_is_atomic_0600_and_overwrites(tmp_path):
    path = tmp_path / "keyring.json"
    path.write_text("old")
    path.chmod(0o644)
    ring = Keyring.generate()
    ring.rotate()
    save_keyring(ring, path)
    assert _mode(path) == 0o600
    assert load_keyring(path) == ring
    assert [p.name for p in tmp_path.iterdir()] == ["keyring.json"]


def test_env_value_wins_and_file_is_untouched(tmp_path):
    path = tmp_path / "keyring.json"
    env_ring = Keyring.generate()
    assert load_keyring(path, env_ring.to_json()) == env_ring
    assert not path.exists()

    file_ring = load_keyring(path)
    assert file_ring != env_ring
    before = path.read_bytes()
    assert load_keyring(path, env_ring.to_json()) == env_ring
    assert path.read_bytes() == before


def test_empty_env_value_is_an_error_not_a_fallback(tmp_path):
    with pytest.raises(KeyringError, match="empty"):
        load_keyring(tmp_path / "keyring.json", "  ")
    assert not (tmp_path / "keyring.json").exists()


def test_bad_env_json_raises(tmp_path):
    with pytest.raises(KeyringError, match="not valid JSON"):
        load_keyring(tmp_path / "keyring.json", "{nope")


def test_bad_file_raises_and_is_not_replaced(tmp_path):
    path = tmp_path / "keyring.json"
    path.write_text("{broken")
    with pytest.raises(KeyringError, match="keyring.json"):
        load_keyring(path)
    assert path.read_text() == "{broken"


def test_concurrent_creation_never_clobbers(tmp_path, monkeypatch):
    # Another worker writes the keyring between our "file missing" check and our link.
    path = tmp_path / "keyring.json"
    winner = Keyring.generate()
    real_generate = Keyring.generate.__func__

    def racing_generate(cls):
        save_keyring(winner, path)
        return real_generate(cls)

    monkeypatch.setattr(Keyring, "generate", classmethod(racing_generate))
    assert load_keyring(path) == winner
    assert Keyring.from_json(path.read_text()) == winner
    assert [p.name for p in tmp_path.iterdir()] == ["keyring.json"]


def test_the_audit_chain_key_is_its_own_random_key():
    a, b = Keyring.generate(), Keyring.generate()
    assert len(a.audit_key) == 32 and a.audit_key != b.audit_key
    assert a.audit_key not in {a.data_key(1), a.index_key, a.tracking_key, a.signing_key}
    assert "audit_key" in json.loads(a.to_json())
    assert a.audit_key.hex() not in repr(a)


def _without_audit_key(ring: Keyring) -> str:
    doc = json.loads(ring.to_json())
    del doc["audit_key"]
    return json.dumps(doc)


def test_an_older_key_file_gains_an_audit_key_saved_0600(tmp_path):
    path = tmp_path / "keyring.json"
    ring = Keyring.generate()
    path.write_text(_without_audit_key(ring))
    path.chmod(0o644)
    loaded = load_keyring(path)
    assert len(loaded.audit_key) == 32 and loaded.audit_key != ring.audit_key
    assert json.loads(path.read_text())["audit_key"]  # written back, so it stays the same
    assert _mode(path) == 0o600
    assert load_keyring(path) == loaded
    assert [p.name for p in tmp_path.iterdir()] == ["keyring.json"]


def test_an_older_keyring_gets_the_same_audit_key_in_every_worker(tmp_path):
    # Two workers that read the old file (or the variable) at once must agree on the key,
    # or each would chain the audit trail with its own: the key is derived, not drawn.
    text = _without_audit_key(Keyring.generate())
    from_env = load_keyring(tmp_path / "unused.json", text)
    assert not (tmp_path / "unused.json").exists()
    assert load_keyring(tmp_path / "unused.json", text).audit_key == from_env.audit_key
    (tmp_path / "keyring.json").write_text(text)
    assert load_keyring(tmp_path / "keyring.json").audit_key == from_env.audit_key
    other = _without_audit_key(Keyring.generate())
    assert Keyring.from_json(other).audit_key != from_env.audit_key
