"""The executive summary report: a supervisor drafts it, the executive approves it in the app,
it is published at a stable address with its figures frozen and prints on A4; earlier reports
stay published; nothing a staff member types puts a script on the public site."""

from __future__ import annotations

import re

import pytest
from figures_direct import bangkok

from casework.dates import clock
from casework.publishing import summaries

ATTACKS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    "[click](javascript:alert(3))",
    "[click](JaVaScRiPt:alert(4))",
    '<a href="javascript:alert(5)">x</a>',
    "<svg onload=alert(6)>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '[x](https://ok.example "title" onmouseover="alert(8)")',
    "`<script>alert(9)</script>`",
    "```\n<script>alert(10)</script>\n```",
    "<scr<script>ipt>alert(11)</script>",
]


@pytest.fixture(autouse=True)
def _today():
    clock.freeze(bangkok(2027, 4, 20))
    yield
    clock.freeze(None)


def _draft(client, period="h1", **sections):
    data = {
        "fiscal_year": "2570",
        "period": period,
        "problems": "ถนนชำรุดซ้ำ **หลายจุด**\n\n- ซอย 3\n- ซอย 5",
        "obstacles": "งบประมาณไม่พอ ดู [แผน](https://demo.go.th/plan)",
        "solutions": "ตั้งทีมซ่อมเร่งด่วน",
        **sections,
    }
    return client.post("/admin/summaries", data=data)


def test_draft_approve_publish_and_print(app, client, login_as, add_case):
    add_case("complaint", "roads", bangkok(2026, 11, 2), "completed", rating=5)
    add_case("tip", "bribery", bangkok(2026, 12, 1, 7), "received")
    supervisor, executive, public = client, app.test_client(), app.test_client()
    login_as("supervisor")
    login_as("executive", on=executive)

    assert _draft(executive).status_code == 403  # the executive approves, never drafts
    saved = _draft(supervisor)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/summaries/2570-h1")
    assert public.get("/reports/2570-h1").status_code == 404  # not published as a draft
    draft = supervisor.get("/admin/summaries/2570-h1").get_data(as_text=True)
    assert "<strong>หลายจุด</strong>" in draft and "<li>ซอย 3</li>" in draft
    assert "อนุมัติและเผยแพร่" not in draft  # only the executive's page has the button
    assert supervisor.post("/admin/summaries/2570-h1/approve").status_code == 403

    review = executive.get("/admin/summaries/2570-h1").get_data(as_text=True)
    assert "อนุมัติและเผยแพร่" in review
    assert executive.post("/admin/summaries/2570-h1/approve").status_code == 302
    add_case("complaint", "roads", bangkok(2026, 11, 3), "received")  # after approval

    page = public.get("/reports/2570-h1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "รายงานสรุปผลการจัดการเรื่องร้องเรียน" in html
    assert "ครึ่งปีที่ 1 ปีงบประมาณ พ.ศ. 2570" in html
    general = re.search(r"เรื่องร้องเรียน/ร้องทุกข์ทั่วไป</th>((?:<td[^>]*>[^<]*</td>){3})", html)
    assert re.findall(r">(\d+)<", general.group(1)) == ["1", "1", "0"]  # frozen at approval
    assert '<a href="https://demo.go.th/plan" rel="noopener noreferrer nofollow">แผน</a>' in html
    assert "2570-h1" in public.get("/reports").get_data(as_text=True)
    assert 'class="manual"' in html and "data-print" in html  # the A4 print layout

    # approved: no more edits; another period is a report of its own, and both stay
    assert _draft(supervisor).status_code == 400
    assert _draft(supervisor, period="year").status_code == 302
    executive.post("/admin/summaries/2570-year/approve")
    listing = public.get("/reports").get_data(as_text=True)
    assert "2570-h1" in listing and "2570-year" in listing
    assert public.get("/reports/2570-h2").status_code == 404
    assert public.get("/reports/2570-q1").status_code == 404


def test_nothing_staff_type_puts_a_script_on_the_public_site(app, client, login_as):
    login_as("supervisor")
    executive = app.test_client()
    login_as("executive", on=executive)
    text = "\n\n".join(ATTACKS)
    assert _draft(client, problems=text, obstacles=text, solutions=text).status_code == 302
    executive.post("/admin/summaries/2570-h1/approve")
    html = app.test_client().get("/reports/2570-h1").get_data(as_text=True)
    body = html.split("<main", 1)[1].split("</main>")[0].lower()
    tags = re.findall(r"<([a-z][a-z0-9]*)\b([^>]*)>", body)
    assert {name for name, _attrs in tags} <= {
        "article",
        "h1",
        "h2",
        "p",
        "div",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "strong",
        "em",
        "ul",
        "ol",
        "li",
        "a",
        "br",
        "button",
    }
    for name, attrs in tags:
        assert not re.search(r"\son[a-z]+\s*=", attrs), (name, attrs)
        for href in re.findall(r'href="([^"]*)"', attrs):
            assert href.startswith(("/", "https:", "http:", "mailto:")), href
    for attack in ATTACKS:
        rendered = summaries.render(attack).lower()
        assert "<script" not in rendered
        assert not re.search(r"<a\b[^>]*href=\"javascript", rendered), attack
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", rendered), attack
        assert not re.search(r'<a\b[^>]*href="(?!https?:|mailto:)', rendered), attack


def test_a_draft_needs_a_section_and_a_known_period(client, login_as):
    login_as("supervisor")
    empty = _draft(client, problems="", obstacles="", solutions="")
    assert empty.status_code == 400
    assert _draft(client, period="q1").status_code == 400
    assert _draft(client, fiscal_year="2575").status_code == 400
