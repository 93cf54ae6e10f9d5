"""The site shell: the health check and the language switch."""


def test_healthz(client):
    r = client.get("/healthz")
    assert r.get_json() == {"status": "ok", "database": "ok"}
    assert r.headers["Cache-Control"].startswith("no-store")  # a proxy never caches health
    assert "Set-Cookie" not in r.headers


def test_healthz_reports_an_unreachable_database(tmp_path):
    from rongrian import create_app

    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite",
        }
    )
    r = app.test_client().get("/healthz")
    assert r.status_code == 503
    assert r.get_json()["database"] == "unreachable"
    with app.app_context():
        from casework.extensions import db

        db.engine.dispose()


def test_language_switch_sets_a_cookie_and_refuses_open_redirects(client):
    r = client.get("/lang/en?next=/complaints/")
    assert r.headers["Location"] == "/complaints/"
    assert "lang=en" in r.headers["Set-Cookie"]
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    for target in ("//evil.example", "https://evil.example/", "javascript:alert(1)"):
        assert client.get(f"/lang/th?next={target}").headers["Location"] == "/"
