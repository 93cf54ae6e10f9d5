"""Per-client rate limits: one budget per channel (complaints, tips), per client, where the
client is the address the trusted proxies vouch for, and an IPv6 client is its /64."""

from __future__ import annotations

import pytest

from casework import demo
from casework.extensions import limiter
from rongrian import config

TIP = {"category": "procurement", "what": "หัวหน้าฝ่ายพัสดุรับเงินทอนจากโครงการขุดลอกคลอง"}
COMPLAINT = {"category": "roads", "subject": "ถนน", "details": "หลุมลึกหน้าบ้าน"}


@pytest.fixture
def limited(make_app):
    """``limited(**config)``: an app with the demo organization and the given settings."""

    def build(**extra):
        app = make_app(extra)
        with app.app_context():
            demo.load()
        return app

    return build


def track(client, **kwargs):
    return client.post("/api/v1/track", json={"tracking_code": "7KQ4M2XD9HBT0RZP"}, **kwargs)


def test_tips_and_complaints_have_separate_budgets(limited):
    app = limited(TRACK_RATE_LIMIT="2 per minute", SUBMIT_RATE_LIMIT="1 per hour")
    client = app.test_client()
    assert client.post("/api/v1/complaints", json=COMPLAINT).status_code == 201
    assert client.post("/api/v1/complaints", json=COMPLAINT).status_code == 429
    # The complaint budget is spent; the tip channel's is whole.
    receipt = client.post("/api/v1/tips", json=TIP).get_json()["receipt"]
    assert client.post("/api/v1/tips", json=TIP).status_code == 429
    assert [track(client).status_code for _ in range(3)] == [404, 404, 429]
    tip_lookups = [
        client.post("/api/v1/tips/status", json={"receipt": receipt}).status_code,
        client.post("/whistleblow/status", data={"receipt": receipt}).status_code,
        client.post("/whistleblow/status", data={"receipt": receipt}).status_code,
    ]
    assert tip_lookups == [200, 200, 429]


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fff0", True),  # same /64
        ("2001:db8:1:2::1", "2001:db8:1:3::1", False),  # next /64
        ("203.0.113.7", "203.0.113.8", False),  # IPv4: each address
        ("203.0.113.7", "::ffff:203.0.113.7", True),  # the same IPv4 client, mapped
    ],
)
def test_ipv6_clients_are_counted_per_64(limited, first, second, shared):
    app = limited(TRACK_RATE_LIMIT="1 per minute")
    client = app.test_client()
    assert track(client, environ_base={"REMOTE_ADDR": first}).status_code == 404
    again = track(client, environ_base={"REMOTE_ADDR": second}).status_code
    assert again == (429 if shared else 404)
    stored = " ".join(str(k) for k in limiter._storage.storage)
    for address in (first, second, "2001:db8", "203.0.113"):
        assert address not in stored


def test_behind_one_trusted_proxy_each_forwarded_client_has_its_own_budget(limited):
    app = limited(TRACK_RATE_LIMIT="1 per minute", TRUSTED_PROXIES=1)
    client = app.test_client()
    nginx = {"REMOTE_ADDR": "127.0.0.1"}
    first = {"X-Forwarded-For": "198.51.100.1"}
    second = {"X-Forwarded-For": "198.51.100.2"}
    assert track(client, headers=first, environ_base=nginx).status_code == 404
    assert track(client, headers=first, environ_base=nginx).status_code == 429
    assert track(client, headers=second, environ_base=nginx).status_code == 404
    # A client-supplied entry before the proxy's own is not believed.
    spoofed = {"X-Forwarded-For": "192.0.2.99, 198.51.100.1"}
    assert track(client, headers=spoofed, environ_base=nginx).status_code == 429


def test_without_trusted_proxies_forwarded_for_is_ignored(limited):
    app = limited(TRACK_RATE_LIMIT="1 per minute")
    assert app.config["TRUSTED_PROXIES"] == 0
    client = app.test_client()
    peer = {"REMOTE_ADDR": "203.0.113.5"}
    r = track(client, headers={"X-Forwarded-For": "198.51.100.1"}, environ_base=peer)
    assert r.status_code == 404
    r = track(client, headers={"X-Forwarded-For": "198.51.100.2"}, environ_base=peer)
    assert r.status_code == 429


def test_redis_url_sets_the_limit_storage_unless_given(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x")
    for name in ("REDIS_URL", "RATELIMIT_STORAGE_URI", "TRUSTED_PROXIES"):
        monkeypatch.delenv(name, raising=False)
    settings = config.from_environment(str(tmp_path))
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"  # make run: embedded
    assert settings["TRUSTED_PROXIES"] == 0
    monkeypatch.setenv("REDIS_URL", "redis://10.0.0.2:6379/3")
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    settings = config.from_environment(str(tmp_path))
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://10.0.0.2:6379/3"
    assert settings["TRUSTED_PROXIES"] == 1
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://10.0.0.9:6379/0")
    assert config.from_environment(str(tmp_path))["RATELIMIT_STORAGE_URI"] == (
        "redis://10.0.0.9:6379/0"
    )
