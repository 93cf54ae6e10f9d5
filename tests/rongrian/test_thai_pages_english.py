"""No English on the Thai interface: every page a person can reach, public and staff, rendered in
Thai with demo data and cases in several states, signed in as each role; a test fails when its
visible text (text, alt, title, placeholder, aria-label) holds an English word that is not a
proper noun or a format's name on the allowlist below.

User data is not interface text: numbers, codes (they hold digits), e-mail addresses and web
addresses are left out, and the sample data is in Thai.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
import upload_samples

from casework import audit
from casework.cases.attachments import Upload
from casework.extensions import db
from casework.general import workflow
from casework.models import Case, Category, Department, Organization, OutboxMessage, User

# Proper nouns, product and format names that Thai officials write in Latin letters.
ALLOWED = {
    "API", "ASCII", "Authenticator", "base64", "CKAN", "Console", "CSV", "Data", "Developers",
    "Ed25519", "English", "Excel", "FreeOTP", "Frictionless", "GeoReport", "Google", "GPS",
    "HH", "JPEG", "KB", "JSON", "LINE", "MAIL_SERVER", "Markdown", "MB", "Microsoft", "MM", "OA",
    "Official", "Open311", "Package", "PDF", "PNG", "QR", "README", "SHA", "TOTP", "URL", "UTF",
    "v2", "W3C", "Webhook", "XLSX", "YYYY", "DD", "LINE_CHANNEL_SECRET",
    "LINE_CHANNEL_ACCESS_TOKEN", "api_key", "Account",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z_'’]*")
LEFT_OUT = re.compile(
    r"\S+@\S+|https?://\S+|www\.\S+|\S+\.(?:go\.th|json|csv|xml|html)\b|/[\w/.\-<>]+"
    r"|\S*\.(?:png|jpe?g|pdf)\b"  # file names
    r"|[A-Za-z0-9+/=_-]{16,}"  # keys and fingerprints
    r"|\b[\w-]*\d[\w-]*\b"  # anything with a digit: case numbers, codes, fingerprints
)
ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
# Not interface text: scripts, identifiers an administrator types (``<code>``), what a form
# field holds, and anything marked as written in another language (``lang="en"``).
SKIP = {"script", "style", "template", "code", "kbd", "samp", "textarea"}
VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "area", "col"}
ROLES = ["clerk", "officer", "supervisor", "executive", "integrity", "custodian", "sysadmin"]


class _Visible(HTMLParser):
    """The text a person sees or hears on a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []  # the skipped elements we are inside, innermost last
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in VOID:
            if not self.open and tag == "input" and attrs.get("type") in ("submit", "button"):
                self.parts.append(attrs.get("value") or "")
        elif tag in SKIP or attrs.get("lang", "th")[:2] != "th" or self.open:
            self.open.append(tag)
        if not self.open or tag in VOID:
            self.parts += [v for k, v in attrs.items() if k in ATTRIBUTES and v]

    def handle_endtag(self, tag):
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        if not self.open:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = _Visible()
    parser.feed(html)
    text = LEFT_OUT.sub(" ", " ".join(parser.parts))
    return {w for w in WORD.findall(text) if w not in ALLOWED and len(w) > 1}


@pytest.fixture
def cases(app, client, file_complaint):
    """A complaint in each of several states with a file and contact details, and a tip."""
    filed = [
        file_complaint(
            subject=subject,
            reporter={"title": "นาง", "name": "สมหญิง ใจดี", "phone": "0812345678"},
            consent=True,
            uploads=[Upload("ภาพ.png", upload_samples.PNG)],
        )
        for subject in ("ไฟฟ้าส่องสว่างดับ", "ถนนเป็นหลุม", "ท่อระบายน้ำอุดตัน")
    ]
    with app.test_request_context():
        org = db.session.scalars(db.select(Organization)).first()
        for status, transport, template in (
            ("failed", "email", "result"),
            ("pending", "line", "update"),
            ("sending", "email", "custody"),
        ):
            db.session.add(
                OutboxMessage(
                    organization_id=org.id,
                    transport=transport,
                    template=template,
                    recipient_sealed=b"x",
                    status=status,
                    attempts=1,
                    last_error="SMTP 451: try again later",
                )
            )
        db.session.commit()
        values = {
            "codes": [f.tracking_code for f in filed],
            "complaint": filed[0].case.id,
            "department_id": db.session.scalar(db.select(Department.id).filter_by(code="works")),
            "category_id": db.session.scalar(db.select(Category.id).filter_by(code="roads")),
        }
    r = client.post(
        "/whistleblow/new",
        data={
            "category": "bribery",
            "what": "เจ้าหน้าที่เรียกเงินเพื่อให้ผ่านการตรวจรับงาน",
            "accused_role": "staff",
            "reported_elsewhere": "no",
            "confidential": "no",
            "form_token": "t" * 40,
            "attachments": (io.BytesIO(upload_samples.PNG), "ภาพ.png"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 200
    values["receipt"] = re.search(r'class="code">([0-9A-Z-]+)<', r.get_data(as_text=True))[1]
    with app.app_context():
        values["tip"] = db.session.scalar(db.select(Case.id).filter_by(channel="tip"))
    return values


def _act_on_cases(app, officer_id, case_ids):
    """Accept, update, ask and complete, so that the timelines and the audit hold each kind."""
    with app.test_request_context():
        officer = db.session.get(User, officer_id)
        accepted, asked, completed = (db.session.get(Case, i) for i in case_ids)
        for case in (accepted, asked, completed):
            workflow.accept(case, officer)
        workflow.public_update(accepted, officer, "ช่างออกสำรวจพื้นที่แล้ว")
        workflow.add_note(accepted, officer, "นัดช่างวันจันทร์")
        workflow.request_info(asked, officer, "ขอภาพถ่ายเพิ่มเติม")
        workflow.complete(completed, officer, "resolved", "ซ่อมแล้วเสร็จ")


def _audit_accounts_and_settings(app):
    """Entries whose details the administrator reads: sign-ins, accounts, settings."""
    with app.app_context():
        org = db.session.scalars(db.select(Organization)).first()
        for action, data in (
            ("login.success", {"second_factor": "totp"}),
            ("login.failure", {"reason": "password", "locked": True}),
            ("login.refused", {"reason": "inactive"}),
            ("user.create", {"user_id": 7, "role": "officer", "department_id": 3}),
            (
                "user.update",
                {
                    "user_id": 7,
                    "before": {"role": "officer", "department_id": 3, "active": True},
                    "after": {"role": "supervisor", "department_id": None, "active": True},
                    "password": False,
                },
            ),
            (
                "settings.sla",
                {"before": {"sla_mode": "calendar"}, "after": {"sla_mode": "working"}},
            ),
            ("category.update", {"sla_days": [15, 7]}),
            ("account_change.requested", {"change": 1, "action": "create", "roles": ["custodian"]}),
        ):
            audit.record(org.id, action, target="someone@staff.test", data=data)
        db.session.commit()


def _get_urls(app, values):
    """Every GET page of the app with sample arguments; JSON, CSV and files left out."""
    samples = {
        "case_id": values["complaint"],
        "kind": "acknowledgement",
        "department_id": values["department_id"],
        "category_id": values["category_id"],
        "channel": "complaints",
        "code": "th",
        "fiscal_year": 2570,
        "period": "h1",
    }
    skip = ("static", "open311.", "api.", "_api.", "opendata_", "export", "attachment", "tip_file")
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or any(s in rule.endpoint for s in skip):
                continue
            if not set(rule.arguments) <= set(samples):
                continue
            urls.append(url_for(rule.endpoint, **{a: samples[a] for a in rule.arguments}))
            if rule.endpoint == "transparency.manual":
                urls.append(url_for(rule.endpoint, channel="corruption"))
            if rule.endpoint == "admin.notice":
                urls += [url_for(rule.endpoint, case_id=samples["case_id"], kind="result")]
    urls += [f"/admin/cases/{values['complaint'] + 1}", f"/admin/tips/{values['tip']}"]
    return sorted(set(urls))


def test_no_english_words_on_any_thai_page(app, client, login_as, cases, rewrite_audit_chain):
    found: dict[str, set[str]] = {}

    def look(where, response):
        if response.status_code in (301, 302, 303) or "html" not in response.content_type:
            return
        words = english_words(response.get_data(as_text=True))
        if words:
            found[where] = words

    # the public pages, including those reached by a POST
    urls = _get_urls(app, cases)
    for url in urls:
        if not url.startswith("/admin") and not url.startswith("/lang"):
            look(url, client.get(url))
    look("POST /complaints/", client.post("/complaints/", data={"kind": "complaint"}))
    r = client.post(
        "/complaints/",
        data={"kind": "complaint", "category": "roads", "subject": "ทดสอบ", "details": "ทดสอบ"},
    )
    look("POST /complaints/ (receipt)", r)
    code = re.search(r'class="code">([0-9A-Z-]+)<', r.get_data(as_text=True))[1]
    look("POST /complaints/track", client.post("/complaints/track", data={"tracking_code": code}))
    status = client.post("/whistleblow/status", data={"receipt": cases["receipt"]})
    look("POST /whistleblow/status", status)
    look("GET /nowhere (404)", client.get("/nowhere"))
    look("GET /admin/login", client.get("/admin/login"))

    _audit_accounts_and_settings(app)
    officer = login_as("officer", "works")
    first = cases["complaint"]
    _act_on_cases(app, officer, [first, first + 1, first + 2])
    # the citizen's tracking page of an updated, a waiting and a completed case
    for number, code in enumerate(cases["codes"]):
        tracked = client.post("/complaints/track", data={"tracking_code": code})
        look(f"POST /complaints/track (case {number + 1})", tracked)
    for role in ROLES:
        staff = app.test_client()
        login_as(role, "works" if role == "officer" else None, on=staff)
        if role == "integrity":
            tip = f"/admin/tips/{cases['tip']}"
            staff.post(f"{tip}/assign", data={})
            staff.post(f"{tip}/message", data={"message": "ขอทราบวันที่เกิดเหตุ"})
            client.post(
                "/whistleblow/reply", data={"receipt": cases["receipt"], "message": "ต้นเดือน"}
            )
        for url in urls:
            if url.startswith("/admin"):
                look(f"{url} as {role}", staff.get(url))
        if role == "clerk":
            r = staff.post(
                "/admin/intake",
                data={
                    "received_via": "phone",
                    "category": "roads",
                    "subject": "โทรแจ้งไฟดับ",
                    "details": "ไฟดับทั้งซอย",
                    "received_on": "",
                },
            )
            look("POST /admin/intake as clerk", r)
    # the administrator checks a chain an insider rewrote
    with app.app_context():
        org_id = db.session.scalars(db.select(Organization.id)).first()
    rewrite_audit_chain(org_id, delete=(2,), keyed=False)
    admin = app.test_client()
    login_as("sysadmin", on=admin)
    checked = admin.get("/admin/audit?verify=1")
    assert "บันทึกการตรวจสอบไม่ครบถ้วน" in checked.get_data(as_text=True)
    look("GET /admin/audit?verify=1 (a rewritten chain)", checked)
    status = client.post("/whistleblow/status", data={"receipt": cases["receipt"]})
    look("POST /whistleblow/status (after messages)", status)
    assert "ขอทราบวันที่เกิดเหตุ" in status.get_data(as_text=True)
    assert not found, "English on Thai pages:\n" + "\n".join(
        f"{where}: {sorted(words)}" for where, words in sorted(found.items())
    )
