"""Rate limits say how long to wait, and their storage holds no client address."""


def test_rate_limits_say_how_long_to_wait(make_app):
    app = make_app({"SUBMIT_RATE_LIMIT": "1 per hour", "TRACK_RATE_LIMIT": "1 per minute"})
    with app.app_context():
        from casework import demo

        demo.load()
    client = app.test_client()
    client.get("/lang/en")
    body = {"category": "roads", "subject": "ก", "details": "ข"}
    assert client.post("/api/v1/complaints", json=body).status_code == 201
    r = client.post("/api/v1/complaints", json=body)
    assert r.status_code == 429 and r.headers["Retry-After"] == "3600"
    assert "about 60 minutes" in r.get_json()["error"]
    r = client.post("/complaints/", data=body)
    assert r.status_code == 429 and "about 60 minutes" in r.get_data(as_text=True)
    client.post("/complaints/track", data={"tracking_code": "x"})
    r = client.post("/complaints/track", data={"tracking_code": "x"})
    assert r.status_code == 429 and r.headers["Retry-After"] == "60"
    assert "wait a minute" in r.get_data(as_text=True)


def test_rate_limit_storage_holds_no_client_address(client):
    from casework.extensions import limiter

    client.post(
        "/complaints/track",
        data={"tracking_code": "x"},
        environ_base={"REMOTE_ADDR": "203.0.113.77"},
    )
    keys = " ".join(str(k) for k in limiter._storage.storage)
    assert keys and "203.0.113.77" not in keys
