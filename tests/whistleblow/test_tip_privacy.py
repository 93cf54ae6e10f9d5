"""What the corruption channel leaves behind, and who can learn of a tip: cookies, headers,
cross-site posts, rate limits, times in every table after a whole tip's life, the access log,
and every general page a non-integrity role can open."""

from __future__ import annotations

import bisect
import io
import re
import runpy
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import DateTime, select, text

from casework import audit, demo
from casework.cases.attachments import Upload
from casework.extensions import db
from casework.models import AuditEntry, Case, OutboxMessage, RevealRequest, TipDetails
from casework.staff.roles import (
    CLERK,
    CUSTODIAN,
    EXECUTIVE,
    INTEGRITY,
    OFFICER,
    SUPERVISOR,
    SYSADMIN,
)

PASS = "correct horse battery staple"
TIP_TEXT = "หัวหน้าฝ่ายพัสดุรับเงินทอนจากโครงการขุดลอกคลองสายกลาง"
ROOT = Path(__file__).resolve().parents[2]


def web_tip(client, **extra):
    data = {
        "category": "procurement",
        "accused_name": "นายทดสอบ ไม่มีจริง",
        "accused_position": "หัวหน้าฝ่ายพัสดุ",
        "what": TIP_TEXT,
        "accused_role": "staff",
        "reported_elsewhere": "no",
        "confidential": "no",
    }
    data.update(extra)
    r = client.post("/whistleblow/new", data=data, content_type="multipart/form-data")
    assert r.status_code == 200, r.get_data(as_text=True)
    return re.search(r'class="code">([0-9A-Z-]{24})<', r.get_data(as_text=True)).group(1)


def tip_requests(receipt: str):
    """Every public tip route, as (method, path, kwargs)."""
    return [
        ("GET", "/whistleblow/", {}),
        ("GET", "/whistleblow/new", {}),
        ("GET", "/whistleblow/status", {}),
        ("GET", "/whistleblow/claim", {}),
        ("GET", "/whistleblow/proof-key", {}),
        ("GET", "/whistleblow/leave", {}),
        ("POST", "/whistleblow/status", {"data": {"receipt": receipt}}),
        ("POST", "/whistleblow/reply", {"data": {"receipt": receipt, "message": "เพิ่มเติม"}}),
        ("POST", "/whistleblow/proof", {"data": {"receipt": receipt}}),
        (
            "POST",
            "/whistleblow/retaliation",
            {"data": {"receipt": receipt, "kind": "threat", "text": "ถูกข่มขู่"}},
        ),
        ("POST", "/whistleblow/status", {"data": {"receipt": "WRONG"}}),
        ("POST", "/whistleblow/claim", {"data": {"tracking_code": "NOPE"}}),
        ("GET", "/whistleblow/no-such-page", {}),
        ("POST", "/api/v1/tips/status", {"json": {"receipt": receipt}}),
        ("POST", "/api/v1/tips/messages", {"json": {"receipt": receipt, "text": "อีก"}}),
        ("POST", "/api/v1/tips/status", {"json": {"receipt": "X"}}),
        ("GET", "/api/v1/tips/status", {}),
    ]


def test_tip_pages_set_no_cookie_and_ignore_a_signed_in_session(app, signed_in):
    staff, officer = signed_in(INTEGRITY, "เจ้าหน้าที่ ผู้แจ้งเอง")
    assert staff.get("/admin/tips/").status_code == 200  # the staff session is real
    r = staff.post(
        "/whistleblow/new",
        data={"category": "bribery", "what": TIP_TEXT, "form_token": "f" * 40},
        content_type="multipart/form-data",
    )
    assert r.status_code == 200 and "Set-Cookie" not in r.headers
    receipt = re.search(r'class="code">([0-9A-Z-]{24})<', r.get_data(as_text=True)).group(1)
    for method, path, kwargs in tip_requests(receipt):
        r = staff.open(path, method=method, **kwargs)
        assert "Set-Cookie" not in r.headers, (method, path)
        assert "Vary" not in r.headers or "Cookie" not in r.headers["Vary"], (method, path)
    # The signed-in officer was nobody on the tip pages: the tip and its messages have no
    # author, and the back-office session still works afterwards.
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.chain == audit.TIPS))
        assert all(e.actor_id is None for e in entries)
    assert staff.get("/admin/tips/").status_code == 200
    assert officer


def test_tip_forms_need_no_token_even_with_csrf_on(make_app):
    app = make_app({"WTF_CSRF_ENABLED": True})
    with app.app_context():
        demo.load()
    client = app.test_client()
    html = client.get("/whistleblow/new").get_data(as_text=True)
    assert "csrf_token" not in html
    receipt = web_tip(client)
    assert client.post("/whistleblow/status", data={"receipt": receipt}).status_code == 200
    # The complaint pages still use their CSRF session.
    assert client.post("/complaints/", data={"category": "roads"}).status_code == 400


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"Sec-Fetch-Site": "cross-site"}, False),
        ({"Sec-Fetch-Site": "same-site"}, False),
        ({"Sec-Fetch-Site": "same-origin"}, True),
        ({"Sec-Fetch-Site": "none"}, True),
        ({"Origin": "https://evil.example"}, False),
        # What no-referrer pages send on their own forms, beside Sec-Fetch-Site; alone (a
        # sandboxed frame, or a browser too old for Sec-Fetch-Site) it proves nothing.
        ({"Sec-Fetch-Site": "same-origin", "Origin": "null"}, True),
        ({"Origin": "null"}, False),
        ({"Origin": "http://localhost"}, True),
        ({}, True),
    ],
)
def test_cross_site_posts_are_refused(client, headers, allowed):
    r = client.post(
        "/whistleblow/new", data={"category": "bribery", "what": TIP_TEXT}, headers=headers
    )
    assert (r.status_code == 200) is allowed and (r.status_code == 403) is not allowed
    r = client.post("/whistleblow/status", data={"receipt": "X"}, headers=headers)
    assert r.status_code == (404 if allowed else 403)


def test_every_tip_response_carries_the_privacy_headers(client):
    receipt = web_tip(client)
    for method, path, kwargs in tip_requests(receipt):
        r = client.open(path, method=method, **kwargs)
        where = (method, path, r.status_code)
        assert r.headers["Cache-Control"].startswith("no-store"), where
        assert r.headers["Referrer-Policy"] == "no-referrer", where
        assert "default-src 'self'" in r.headers["Content-Security-Policy"], where
        assert "geolocation=()" in r.headers["Permissions-Policy"], where
        if r.mimetype == "text/html":
            html = r.get_data(as_text=True)
            assert '<meta name="referrer" content="no-referrer">' in html, where
            assert not re.search(r'(src|href|action)="(https?:)?//', html), where
    # The complaint pages keep their own policy.
    assert client.get("/complaints/").headers["Referrer-Policy"] == "same-origin"


def test_receipt_lookups_share_one_budget_across_pages_and_api(app, client):
    """The tip pages and the tip API share one lookup budget; complaint lookups have their own
    and neither spends nor is refused by the tip channel's."""
    receipt = web_tip(client)
    app.config["TRACK_RATE_LIMIT"] = "4 per minute"
    answers = [
        client.post("/whistleblow/status", data={"receipt": receipt}).status_code,
        client.post("/api/v1/tips/status", json={"receipt": receipt}).status_code,
        client.post("/whistleblow/proof", data={"receipt": receipt}).status_code,
        client.post("/complaints/track", data={"tracking_code": "7KQ4M2XD9HBT0RZP"}).status_code,
        client.post("/whistleblow/reply", data={"receipt": receipt, "message": "x"}).status_code,
        client.post("/api/v1/tips/messages", json={"receipt": receipt, "text": "x"}).status_code,
        client.post("/whistleblow/status", data={"receipt": receipt}).status_code,
        client.post("/complaints/track", data={"tracking_code": "7KQ4M2XD9HBT0RZP"}).status_code,
    ]
    assert answers == [200, 200, 200, 404, 200, 429, 429, 404]


def _tip_rows(conn, tip_ids: set[int], complaint_id: int):
    """Every row of every table that belongs to the tip channel, as (table, row mapping)."""
    for table in db.metadata.sorted_tables:
        columns = {c.name for c in table.columns}
        for row in conn.execute(table.select()).mappings():
            if table.name == "cases":
                mine = row["id"] in tip_ids
            elif table.name == "audit_entries":
                mine = row["chain"] == audit.TIPS or row["case_id"] in tip_ids
            elif table.name.startswith("tip_"):
                mine = True
            else:
                mine = "case_id" in columns and row["case_id"] in tip_ids
            if mine:
                assert row.get("case_id") != complaint_id
                yield table, row


@pytest.mark.real_commits
def test_no_row_of_a_tip_keeps_a_time_finer_than_the_day(
    app, client, signed_in, frozen, gps_jpeg, file_complaint
):
    """A whole tip's life among complaints, then every table is read back: no time of day
    anywhere, no client address or browser, the day is the Bangkok day the tipster saw, and no
    id says when a tip's row was written or links it to a complaint (item 3 of issue 8)."""
    frozen(datetime(2026, 3, 9, 20, 34, 56, 789000))  # 03:34 on 10 March in Bangkok
    app.config["TRACK_RATE_LIMIT"] = "1000 per minute"
    before = file_complaint(
        subject="ไฟดับ", details="ไฟถนนดับ", uploads=[Upload("lamp.jpg", gps_jpeg)]
    )
    client.post(
        "/complaints/track/info",
        data={"tracking_code": before.tracking_code, "message": "ยังดับอยู่"},
    )
    officer_client, _officer = signed_in(INTEGRITY, "มานะ อดทน")
    keeper_client, _keeper = signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    supervisor_client, _sup = signed_in(SUPERVISOR, "หัวหน้า ทั่วไป")
    assert supervisor_client.post(f"/admin/cases/{before.case.id}/accept").status_code == 302
    receipt = web_tip(
        client,
        confidential="yes",
        name="นางสาวผู้แจ้ง ลับมาก",
        phone="081 234 5678",
        consent="y",
        attachments=(io.BytesIO(gps_jpeg), "photo.jpg"),
    )
    with app.app_context():
        tip_id = db.session.scalar(select(Case.id).filter_by(channel="tip"))
    officer_client.post(f"/admin/tips/{tip_id}/assign", data={})
    page = officer_client.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    file_id = re.search(rf"/admin/tips/{tip_id}/files/(-?\d+)", page).group(1)
    assert officer_client.get(f"/admin/tips/{tip_id}/files/{file_id}").status_code == 200
    officer_client.post(f"/admin/tips/{tip_id}/message", data={"message": "ขอเอกสารเพิ่ม"})
    client.post(
        "/whistleblow/reply",
        data={
            "receipt": receipt,
            "message": "แนบแล้ว",
            "attachments": (io.BytesIO(gps_jpeg), "b.jpg"),
        },
        content_type="multipart/form-data",
    )
    steps = [
        {"target": "preliminary_review", "internal_note": "ข้อเท็จจริงพอ", "fact_finder": "นิติกร"},
        {
            "target": "investigation",
            "preliminary_result": "มีมูล",
            "order_number": "คำสั่งที่ 9/2569",
            "committee": "ก ข ค",
            "charges": "เรียกรับเงิน",
        },
        {
            "target": "findings",
            "public_note": "สอบแล้ว",
            "facts": "รับเงินจริง",
            "conclusion": "founded",
            "evidence_relied": "ใบเสร็จ",
        },
        {
            "target": "disciplinary",
            "penalty": "ตั้งกรรมการสอบวินัยร้ายแรง",
            "penalty_kind": "salary_cut",
            "penalty_order_number": "คำสั่งที่ 10/2569",
            "penalty_order_on": "2569-03-02",
            "follow_up_until": "2569-12-31",
            "next_check_on": "2569-06-01",
        },
    ]
    for step in steps:
        officer_client.post(f"/admin/tips/{tip_id}/status", data=step)
    officer_client.post(
        f"/admin/tips/{tip_id}/explain",
        data={"explanation": "รอผลสอบวินัย", "new_date": "2026-06-30"},
    )
    officer_client.post(f"/admin/tips/{tip_id}/reveal", data={"reason": "เชิญมาให้ถ้อยคำ"})
    with app.app_context():
        request_id = db.session.scalar(select(RevealRequest.id))
    keeper_client.post(f"/admin/tips/reveals/{request_id}/approve", data={"passphrase": PASS})
    officer_client.post(
        f"/admin/tips/{tip_id}/referral",
        data={"body": "nacc", "reference_number": "ปช 1/2569", "referred_on": "2026-03-09"},
    )
    # A closure without action waits for a second person; the custodian refuses it.
    officer_client.post(
        f"/admin/tips/{tip_id}/status",
        data={"target": "closed", "outcome": "unfounded", "internal_note": "ไม่มีมูล"},
    )
    keeper_client.post(f"/admin/tips/{tip_id}/closure/refuse")
    officer_client.post(
        f"/admin/tips/{tip_id}/checks",
        data={"checked_on": "2569-03-09", "note": "ไม่พบการกระทำซ้ำ"},
    )
    officer_client.post(
        f"/admin/tips/{tip_id}/status",
        data={"target": "closed", "outcome": "substantiated", "public_note": "ลงโทษแล้ว"},
    )
    filed = file_complaint(
        subject="เรียกเงิน",
        details="เจ้าหน้าที่เรียกเงินใต้โต๊ะ",
        reporter={"name": "ผู้ร้อง"},
        consent=True,
        uploads=[Upload("slip.jpg", gps_jpeg)],
    )
    client.post(
        "/complaints/track/info",
        data={"tracking_code": filed.tracking_code, "message": "มีพยานด้วย"},
    )
    r = supervisor_client.post(
        f"/admin/tips/transfer/{filed.case.id}", data={"category": "bribery", "confirmed": "yes"}
    )
    assert r.status_code == 302
    after = file_complaint(
        subject="ถนนพัง", details="หลุมใหญ่", uploads=[Upload("hole.jpg", gps_jpeg)]
    )
    client.post(
        "/complaints/track/info", data={"tracking_code": after.tracking_code, "message": "ลึก"}
    )
    assert supervisor_client.post(f"/admin/cases/{after.case.id}/accept").status_code == 302
    status = client.post("/api/v1/tips/status", json={"receipt": receipt}).get_json()
    assert status["status"] == "closed" and status["received_on"] == "2026-03-10"
    assert status["identity_accessed_on"] == ["2026-03-10"]
    assert len(status["messages"]) == 2

    with app.app_context():
        tip_ids = set(db.session.scalars(select(Case.id).filter_by(channel="tip")))
        assert len(tip_ids) == 2
        seen = set()
        with db.engine.connect() as conn:
            for table, row in _tip_rows(conn, tip_ids, filed.case.id):
                seen.add(table.name)
                for column in table.columns:
                    value = row[column.name]
                    if isinstance(column.type, DateTime) and value is not None:
                        assert value.time() == datetime.min.time(), (table.name, column.name)
                        assert value.date() in (date(2026, 3, 10),) or table.name in (
                            "case_messages",
                            "case_events",
                        ), (table.name, column.name, value)
                    if isinstance(value, str | dict | list):
                        flat = str(value)
                        assert not re.search(r"\d{1,2}:\d{2}", flat), (table.name, column.name)
                assert not {"ip", "ip_address", "remote_addr", "user_agent"} & set(row.keys())
        assert {"cases", "case_events", "case_messages", "attachments", "audit_entries"} <= seen
        assert {"tip_details", "tip_identities", "tip_exclusions", "tip_referrals"} <= seen
        assert {"tip_reveal_requests", "tip_reveal_approvals", "tip_assignments"} <= seen
        assert {"tip_closures", "tip_follow_up_checks"} <= seen
        _ids_reveal_no_order(tip_ids, {before.case.id, filed.case.id, after.case.id}, tip_id)
        # Nothing of the channel is queued for sending, to anyone.
        assert not db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.case_id.in_(tip_ids))
        )


def _ids_reveal_no_order(tip_ids: set[int], complaint_ids: set[int], long_lived: int) -> None:
    """Read as a database reader would: no tip row's id falls between two ids of the general
    channel's rows (which would date it to the seconds between them, or put a transferred tip
    beside its complaint), and ordering a tip's own rows by id does not give the order they
    were written in."""
    mine: dict[str, set[int]] = {}
    with db.engine.connect() as conn:
        for table, row in _tip_rows(conn, tip_ids, -1):
            mine.setdefault(table.name, set()).add(row["id"])
        rows = {t: list(conn.execute(t.select()).mappings()) for t in db.metadata.sorted_tables}
    shared = {"cases", "case_events", "case_messages", "attachments", "audit_entries"}
    for table, table_rows in rows.items():
        if "id" not in table.c or table.name not in mine:
            continue
        general = sorted(r["id"] for r in table_rows if r["id"] not in mine[table.name])
        if table.name in shared:
            assert len(general) >= 2, table.name  # complaints wrote rows on either side
        for row_id in mine[table.name]:
            below = bisect.bisect_left(general, row_id)
            assert below in (0, len(general)), (table.name, row_id, "between complaint rows")
    assert shared <= set(mine) and not complaint_ids & tip_ids
    # The long-lived tip's timeline and the channel's trail, in the order they were written,
    # are not in id order.
    ordered = [e.id for e in db.session.get(Case, long_lived).events]
    assert len(ordered) > 10
    assert ordered != sorted(ordered) and ordered != sorted(ordered, reverse=True)
    trail_ids = list(
        db.session.scalars(
            select(AuditEntry.id).where(AuditEntry.chain == audit.TIPS).order_by(AuditEntry.seq)
        )
    )
    assert len(trail_ids) > 10 and trail_ids != sorted(trail_ids)


def test_access_log_has_no_line_for_the_tip_channel(monkeypatch):
    from gunicorn.glogging import Logger

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    logged = []
    monkeypatch.setattr(
        Logger, "access", lambda self, resp, req, environ, t: logged.append(environ)
    )
    log = settings["logger_class"].__new__(settings["logger_class"])
    for path in (
        "/whistleblow/new",
        "/whistleblow/status",
        "/api/v1/tips",
        "/api/v1/tips/status",
        "/admin/tips/",
        "/admin/tips/12/files/3",
        "/static/css/site.css",  # what a page opened straight from a bookmark fetches
        "/favicon.ico",
    ):
        log.access(None, None, {"PATH_INFO": path}, None)
    assert logged == []
    for path in ("/complaints/", "/admin/inbox", "/admin/tipsy", "/whistleblower"):
        log.access(None, None, {"PATH_INFO": path}, None)
    assert len(logged) == 4
    assert settings["access_log_format"] == '"%(m)s %(U)s" %(s)s %(B)s'
    assert (
        "%(h)s" not in settings["access_log_format"]
        and "%(t)s" not in settings["access_log_format"]
    )


GENERAL_PAGES = [
    "/admin/",
    "/admin/inbox",
    "/admin/inbox?q=T25",
    "/admin/inbox?status=received",
    "/admin/board",
    "/admin/reports",
    "/admin/exports/cases.csv",
    "/admin/audit",
    "/admin/audit?action=tip",
    "/admin/outbox",
    "/admin/users",
    "/admin/categories",
]


@pytest.mark.parametrize("role", [CLERK, OFFICER, SUPERVISOR, EXECUTIVE, SYSADMIN])
def test_general_roles_learn_nothing_of_tips(app, client, signed_in, file_complaint, role):
    """Counts, inbox, search, board, reports, exports, audit trail, outbox: nothing says a tip
    exists, for every role outside the channel."""
    filed = file_complaint(subject="ไฟถนนดับ", details="ไฟดับทั้งซอย")
    staff, _user = signed_in(role, "เจ้าหน้าที่ ทั่วไป", "works" if role == OFFICER else None)
    before = {path: _page(staff, path) for path in GENERAL_PAGES}
    receipt = web_tip(client)
    client.post("/api/v1/tips", json={"category": "bribery", "what": TIP_TEXT})
    client.post("/whistleblow/reply", data={"receipt": receipt, "message": "เพิ่มเติม"})
    with app.app_context():
        numbers = list(db.session.scalars(select(Case.case_number).filter_by(channel="tip")))
    assert len(numbers) == 2
    for path in GENERAL_PAGES:
        after = _page(staff, path)
        assert after == before[path], (role, path)
        for secret in [TIP_TEXT, *numbers, "tip."]:
            assert secret not in after, (role, path, secret)
    assert filed
    with app.app_context():
        assert (
            db.session.scalar(select(OutboxMessage.id).join(Case).filter(Case.channel == "tip"))
            is None
        )


def _page(client, path) -> str:
    r = client.get(path)
    body = r.get_data(as_text=True) if r.status_code == 200 else str(r.status_code)
    body = re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "", body)
    return re.sub(r'value="[^"]{20,}"', "", body)


def test_sysadmin_audit_shows_no_tip_and_custodians_have_the_channel_trail(app, client, signed_in):
    officer_client, officer = signed_in(INTEGRITY, "มานะ อดทน")
    keeper_client, _keeper = signed_in(CUSTODIAN, "ผู้เก็บ รักษา")
    admin_client, _admin = signed_in(SYSADMIN, "ผู้ดูแล ระบบ")
    web_tip(client)
    with app.app_context():
        tip = db.session.scalar(select(Case).filter_by(channel="tip"))
        tip_id, number = tip.id, tip.case_number
    officer_client.post(f"/admin/tips/{tip_id}/assign", data={})
    officer_client.get(f"/admin/tips/{tip_id}")
    html = admin_client.get("/admin/audit?verify=1").get_data(as_text=True)
    assert number not in html and "tip." not in html
    with app.app_context():
        main = db.session.scalar(text("SELECT COUNT(*) FROM audit_entries WHERE chain = 'main'"))
        tips = db.session.scalars(
            select(AuditEntry).where(AuditEntry.chain == audit.TIPS).order_by(AuditEntry.seq)
        ).all()
        assert [e.seq for e in tips] == list(range(1, len(tips) + 1))
        assert [e.action for e in tips] == ["tip.filed", "tip.assigned", "tip.content_viewed"]
        assert all(e.at.time() == datetime.min.time() for e in tips)
        assert tips[0].data == {"confidential": False, "files": 0}
        org_id = tips[0].organization_id
        assert audit.verify(org_id).ok and audit.verify(org_id, audit.MAIN).checked == main
    trail = keeper_client.get("/admin/tips/trail?verify=1")
    page = trail.get_data(as_text=True)
    assert trail.status_code == 200 and number in page and "มานะ อดทน" in page
    assert TIP_TEXT not in page and "tip.content_viewed" not in page  # labels, not codes
    assert admin_client.get("/admin/tips/trail").status_code == 403
    assert officer_client.get("/admin/tips/trail").status_code == 403
    assert officer


def test_excluded_and_unassigned_integrity_officers(app, client, signed_in):
    named_client, named = signed_in(INTEGRITY, "ทดสอบ ไม่มีจริง")  # the accused in web_tip
    other_client, _other = signed_in(INTEGRITY, "มานะ อดทน")
    web_tip(client)
    with app.app_context():
        tip_id = db.session.scalar(select(Case.id).filter_by(channel="tip"))
    assert named and "T25" not in named_client.get("/admin/tips/").get_data(as_text=True)
    for method, path in [
        ("GET", f"/admin/tips/{tip_id}"),
        ("POST", f"/admin/tips/{tip_id}/assign"),
        ("POST", f"/admin/tips/{tip_id}/message"),
        ("POST", f"/admin/tips/{tip_id}/status"),
        ("GET", f"/admin/tips/{tip_id}/files/1"),
    ]:
        assert named_client.open(path, method=method).status_code == 404, path
    page = other_client.get(f"/admin/tips/{tip_id}").get_data(as_text=True)
    assert TIP_TEXT not in page and "ทดสอบ ไม่มีจริง" not in page
    for path in ("message", "status", "explain", "referral", "reveal", "exclude"):
        assert other_client.post(f"/admin/tips/{tip_id}/{path}").status_code == 403, path
    assert other_client.get(f"/admin/tips/{tip_id}/files/1").status_code == 403
    # Nobody can assign the excluded officer either.
    other_client.post(f"/admin/tips/{tip_id}/assign", data={"user_id": named})
    with app.app_context():
        from casework.tipline import access

        assert named not in access.assigned_ids(db.session.get(Case, tip_id))
        assert db.session.scalar(select(TipDetails.id)) is not None


def _follow_language_switch(client, page: str, typed: dict | None = None):
    """Press the language switch of a tip page as a browser without JavaScript would."""
    nav = re.search(r'<nav class="lang".*?</nav>', page, re.S).group(0)
    assert "/lang/" not in nav  # never the cookie-setting switch
    if link := re.search(r'<a href="([^"]+)"', nav):
        return client.get(link.group(1).replace("&amp;", "&"))
    if button := re.search(r'<button type="submit" form="([^"]+)"[^>]*value="(\w+)"', nav):
        action = re.search(rf'<form id="{button.group(1)}" method="post" action="([^"]+)"', page)
        data = {**(typed or {}), "switch_language": button.group(2)}
        return client.post(action.group(1), data=data, content_type="multipart/form-data")
    form = re.search(
        r'<form method="post" action="([^"]+)" class="lang-form">(.*?)</form>', nav, re.S
    )
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    return client.post(form.group(1), data=fields)


def test_switching_language_on_every_tip_page_sets_no_cookie(client):
    """The tip pages hold a chosen language by carrying it (``?lang=en``, never a cookie)."""
    receipt = web_tip(client)
    bad = {"category": "procurement", "what": "", "form_token": "s" * 40}
    error_page = client.post("/whistleblow/new", data=bad, content_type="multipart/form-data")
    assert error_page.status_code == 400
    pages = [
        (client.get("/whistleblow/"), None),
        (client.get("/whistleblow/new"), None),
        (error_page, bad),
        (client.get("/whistleblow/status"), None),
        (client.post("/whistleblow/status", data={"receipt": receipt}), None),
        (client.post("/whistleblow/receipt", data={"receipt": receipt}), None),
    ]
    for response, typed in pages:
        page = response.get_data(as_text=True)
        assert '<html lang="th">' in page and "Set-Cookie" not in response.headers
        switched = _follow_language_switch(client, page, typed)
        html = switched.get_data(as_text=True)
        assert "Set-Cookie" not in switched.headers, response.request.path
        assert '<html lang="en">' in html, response.request.path
        assert receipt not in switched.request.url  # a receipt never travels in an address
        back = _follow_language_switch(client, html, typed)  # and back to Thai, no cookie
        assert '<html lang="th">' in back.get_data(as_text=True)
        assert "Set-Cookie" not in back.headers
    # Once chosen, the language holds across the tip pages by travelling in their links.
    index = client.get("/whistleblow/?lang=en").get_data(as_text=True)
    assert 'href="/whistleblow/new?lang=en"' in index
    form = client.get("/whistleblow/new?lang=en").get_data(as_text=True)
    assert 'action="/whistleblow/new?lang=en"' in form
    # Elsewhere ?lang= means nothing: the rest of the site keeps the language in its cookie.
    assert '<html lang="th">' in client.get("/complaints/?lang=en").get_data(as_text=True)
