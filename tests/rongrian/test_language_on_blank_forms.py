"""Switching language on a blank form (the complaint form, the tip form, the clerk's intake form,
the integrity officers' tip registration) keeps what was typed: the switch is a button that
sends the form itself, with no JavaScript needed, and the page comes back in the other language
with the typed values and the chosen files kept, nothing filed. Where a page has no such form,
the switch stays a plain link."""

from __future__ import annotations

import io
import re
from datetime import datetime

import upload_samples
from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Case, HeldUpload

SUBJECT = "ไฟถนนหน้าวัดดับ"
DETAILS = "ไฟถนนหน้าวัดดับมาสามคืนแล้ว"
ACCUSED = "นายสมชาย ใจร้าย"
WHAT = "เรียกเงินสองหมื่นบาทเพื่อให้ผ่านการตรวจรับงานก่อสร้างถนน"


def _nav(page: str) -> str:
    return re.search(r'<nav class="lang".*?</nav>', page, re.S).group(0)


def _press_switch(client, page: str, typed: dict):
    """Press the language switch of a form page as a browser without JavaScript would: the
    button names the page's form (``form=``), so the form's fields, as typed, go with it."""
    nav = _nav(page)
    assert "<a " not in nav and "/lang/" not in nav  # a button, not the link that empties it
    buttons = re.findall(r'<button type="submit" form="([\w-]+)"([^>]*)>([^<]*)</button>', nav)
    # The first of the form's submit buttons in the page is a hidden plain one, so pressing
    # Enter in a field sends the form as its own button does, never the switch.
    (form_id, first, first_text), (same_id, switch, name) = buttons
    assert form_id == same_id and first.strip() == "hidden" and first_text == ""
    code = re.search(r'name="switch_language" value="(\w+)"', switch).group(1)
    assert f'lang="{code}"' in switch and name in ("English", "ไทย")  # named like the link
    opening = rf'<form id="{form_id}" method="post" action="([^"]+)"(.*?)</form>'
    form = re.search(opening, page, re.S)
    hidden = dict(re.findall(r'<input[^>]*name="(\w+)" type="hidden" value="([^"]*)"', form[2]))
    hidden |= dict(re.findall(r'<input[^>]*type="hidden" name="(\w+)" value="([^"]*)"', form[2]))
    data = {**hidden, **typed, "switch_language": code}
    action = form[1].replace("&amp;", "&")
    return client.post(action, data=data, content_type="multipart/form-data")


def _count(app, model=Case) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_switching_language_on_the_blank_complaint_form_keeps_what_was_typed(app, client):
    page = client.get("/complaints/").get_data(as_text=True)
    assert '<html lang="th">' in page
    typed = {
        "kind": "complaint",
        "category": "lighting",
        "subject": SUBJECT,
        "details": DETAILS,
        "email": "somying@example.com",
        "attachments": [(io.BytesIO(upload_samples.PNG), "เสาไฟ.png")],
    }
    switched = _press_switch(client, page, typed)
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="en">' in html
    assert f'value="{SUBJECT}"' in html and DETAILS in html
    assert 'value="somying@example.com"' in html and 'class="held-name">เสาไฟ.png<' in html
    assert 'id="error-summary"' not in html  # nothing typed was judged
    assert _count(app) == 0 and _count(app, HeldUpload) == 1  # nothing filed, the photo kept
    assert "lang=en" in switched.headers["Set-Cookie"]
    # And back to Thai from the English page, still all there.
    back = _press_switch(client, html, {k: v for k, v in typed.items() if k != "attachments"})
    html = back.get_data(as_text=True)
    assert '<html lang="th">' in html and DETAILS in html and "เสาไฟ.png" in html
    assert _count(app) == 0


def test_switching_language_on_the_blank_tip_form_keeps_it_and_sets_no_cookie(app, client):
    page = client.get("/whistleblow/new").get_data(as_text=True)
    typed = {
        "category": "procurement",
        "accused_name": ACCUSED,
        "what": WHAT,
        "attachments": [(io.BytesIO(upload_samples.PNG), "หลักฐาน.png")],
    }
    switched = _press_switch(client, page, typed)
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="en">' in html
    assert f'value="{ACCUSED}"' in html and WHAT in html
    assert 'class="held-name">หลักฐาน.png<' in html
    assert _count(app) == 0 and _count(app, HeldUpload) == 1
    assert "Set-Cookie" not in switched.headers  # the tip channel sets no cookie
    assert 'action="/whistleblow/new?lang=en"' in html  # the language travels with the form
    back = _press_switch(client, html, {k: v for k, v in typed.items() if k != "attachments"})
    assert back.request.path == "/whistleblow/new" and back.request.args["lang"] == "en"
    html = back.get_data(as_text=True)
    assert '<html lang="th">' in html and WHAT in html and "Set-Cookie" not in back.headers
    assert 'action="/whistleblow/new?lang=th"' in html


def test_switching_language_on_the_clerks_blank_intake_form_keeps_it(app, login_as, frozen):
    frozen(datetime(2027, 4, 12, 3, 0))
    clerk = app.test_client()
    login_as("clerk", on=clerk)
    page = clerk.get("/admin/intake").get_data(as_text=True)
    before = _count(app)
    typed = {
        "received_via": "letter",
        "received_on": "2027-04-08",
        "kind": "complaint",
        "category": "roads",
        "subject": "ถนนพังหน้าโรงเรียน",
        "details": "ผู้ร้องเขียนจดหมายแจ้งว่าถนนหน้าโรงเรียนพัง",
        "attachments": [(io.BytesIO(upload_samples.PNG), "letter.png")],
    }
    switched = _press_switch(clerk, page, typed)
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="en">' in html
    assert 'value="ถนนพังหน้าโรงเรียน"' in html and "ผู้ร้องเขียนจดหมาย" in html
    assert 'value="2027-04-08"' in html and 'class="held-name">letter.png<' in html
    assert _count(app) == before  # nothing registered


def test_switching_language_on_the_blank_tip_registration_keeps_it(app, login_as):
    officer = app.test_client()
    login_as("integrity", on=officer)
    page = officer.get("/admin/tips/register").get_data(as_text=True)
    before = _count(app)
    typed = {
        "origin": "letter",
        "received_on": "2027-02-20",
        "category": "bribery",
        "accused_name": ACCUSED,
        "what": WHAT,
        "attachments": [(io.BytesIO(upload_samples.PNG), "scan.png")],
    }
    switched = _press_switch(officer, page, typed)
    html = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="en">' in html
    assert f'value="{ACCUSED}"' in html and WHAT in html
    assert 'class="held-name">scan.png<' in html
    assert _count(app) == before  # nothing registered


def test_the_blank_forms_switch_still_checks_the_forms_csrf_token(make_app):
    app = make_app({"WTF_CSRF_ENABLED": True}, demo=True)
    client = app.test_client()
    page = client.get("/complaints/").get_data(as_text=True)
    typed = {"category": "lighting", "subject": SUBJECT, "details": DETAILS}
    html = _press_switch(client, page, typed).get_data(as_text=True)
    assert '<html lang="en">' in html and "This form had expired" not in html
    forged = _press_switch(client, page.replace('name="csrf_token"', 'name="csrf_old"'), typed)
    html = forged.get_data(as_text=True)
    assert forged.status_code == 400 and "This form had expired" in html
    assert DETAILS in html and _count(app) == 0  # kept, but nothing filed


def test_pages_without_such_a_form_keep_the_plain_language_link(client):
    for path in ("/", "/complaints/track", "/whistleblow/"):
        nav = _nav(client.get(path).get_data(as_text=True))
        assert re.search(r'<a href="[^"]+" lang="en" hreflang="en">English</a>', nav), path
        assert "<button" not in nav, path
