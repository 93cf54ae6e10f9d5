def test_home_links_both_channels(client):
    r = client.get("/")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'href="/complaints/"' in html and 'href="/whistleblow/"' in html


def test_file_and_track(client):
    r = client.get("/complaints/")
    assert r.status_code == 200, r.get_data(as_text=True)
    r = client.post(
        "/complaints/",
        data={
            "category": "roads",
            "subject": "หลุมบนถนน",
            "details": "ถนนเป็นหลุม",
            "kind": "complaint",
            "form_token": "t" * 40,
        },
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html
    assert "2570/" in html or "25" in html
    r = client.post(
        "/api/v1/complaints", json={"category": "roads", "subject": "x", "details": "y"}
    )
    assert r.status_code == 201, r.get_json()
    code = r.get_json()["tracking_code"]
    r = client.post("/api/v1/track", json={"tracking_code": code.lower()})
    assert r.status_code == 200, r.get_json()
    r = client.post("/complaints/track", data={"tracking_code": code})
    assert r.status_code == 200, r.get_data(as_text=True)
