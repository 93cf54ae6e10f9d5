"""The two handling manuals come from the configuration: categories and their days, the units
that answer for them, the office's phone, address and hours; they change when the configuration
does, and so does the home page's promise of a time frame."""

from __future__ import annotations

import re

from sqlalchemy import select

from casework.extensions import db
from casework.models import Category, Organization


def _set(app, **changes):
    with app.app_context():
        org = db.session.scalars(select(Organization)).first()
        for name, value in changes.items():
            setattr(org, name, value)
        db.session.commit()


def _days(app, channel, code, days):
    with app.app_context():
        category = db.session.scalar(select(Category).filter_by(channel=channel, code=code))
        category.sla_days = days
        db.session.commit()


def test_general_manual_lists_channels_steps_units_and_days(client):
    html = client.get("/manuals/complaints").get_data(as_text=True)
    assert "คู่มือการจัดการเรื่องร้องเรียน/ร้องทุกข์ทั่วไป" in html
    assert "0 4200 0000" in html and "123 ถนนเทศบาล" in html
    assert "วันจันทร์ถึงวันศุกร์ เวลา 08.30–16.30 น." in html
    assert "/complaints/" in html and "/complaints/track" in html
    row = re.search(r"ไฟฟ้าสาธารณะ</th><td>([^<]+)</td><td>([^<]+)</td>", html)
    assert row.groups() == ("7 วัน", "กองช่าง")
    assert re.search(r"ถนน ทางเท้า ท่อระบายน้ำ</th><td>15 วัน</td>", html)
    assert "รับเรื่อง → อยู่ระหว่างดำเนินการ" in html  # the states, from the state machine
    assert "การเรียกรับสินบน" not in html  # the tip channel's categories are in the other one


def test_corruption_manual_gives_days_per_category_and_stage(client):
    html = client.get("/manuals/corruption").get_data(as_text=True)
    assert "คู่มือการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ" in html
    assert "1205" in html and "1206" in html and "/whistleblow/" in html
    row = re.search(r"การจัดซื้อจัดจ้าง</th>((?:<td>[^<]+</td>)+)</tr>", html).group(1)
    assert re.findall(r"<td>([^<]+)</td>", row) == ["15 วัน"] * 4  # four stages
    assert "ไฟฟ้าสาธารณะ" not in html
    assert client.get("/manuals/other").status_code == 404


def test_manuals_and_home_page_follow_the_configuration(app, client):
    home = client.get("/").get_data(as_text=True)
    assert "ภายใน 7 ถึง 15 วัน ตามประเภทเรื่อง" in home  # not a fixed "15 days"
    _days(app, "complaint", "lighting", 3)
    _days(app, "tip", "procurement", 30)
    general = client.get("/manuals/complaints").get_data(as_text=True)
    assert re.search(r"ไฟฟ้าสาธารณะ</th><td>3 วัน</td>", general)
    corruption = client.get("/manuals/corruption").get_data(as_text=True)
    assert re.search(r"การจัดซื้อจัดจ้าง</th><td>30 วัน</td>", corruption)
    assert "ภายใน 3 ถึง 15 วัน ตามประเภทเรื่อง" in client.get("/").get_data(as_text=True)
    with app.app_context():
        for category in db.session.scalars(select(Category).filter_by(channel="complaint")):
            category.sla_days = 10
        db.session.commit()
    _set(app, sla_mode="working", phone="0 4299 9999", office_hours_th="ทุกวัน 07.00–19.00 น.")
    home = client.get("/").get_data(as_text=True)
    assert "ภายใน 10 วันทำการ" in home and "15 วัน" not in home
    general = client.get("/manuals/complaints").get_data(as_text=True)
    assert re.search(r"ไฟฟ้าสาธารณะ</th><td>10 วันทำการ</td>", general)
    assert "0 4299 9999" in general and "ทุกวัน 07.00–19.00 น." in general
    client.get("/lang/en?next=/")
    english = client.get("/").get_data(as_text=True)
    assert "You get an answer within 10 working days." in english


def test_administrator_sets_the_office_hours_the_manuals_publish(app, client, login_as):
    login_as("sysadmin")
    form = client.get("/admin/settings/contact")
    assert form.status_code == 200
    saved = client.post(
        "/admin/settings/contact",
        data={
            "address_th": "99 ถนนใหม่",
            "address_en": "99 New Road",
            "phone": "0 4211 1111",
            "email": "help@demo.go.th",
            "office_hours_th": "จันทร์–เสาร์ 08.00–18.00 น.",
            "office_hours_en": "Monday to Saturday, 8:00–18:00",
            "publish_case_list": "y",
            "public_grid_m": "500",
            "recurrence_radius_m": "100",
        },
    )
    assert saved.status_code == 302
    public = app.test_client()
    html = public.get("/manuals/corruption").get_data(as_text=True)
    assert "99 ถนนใหม่" in html and "จันทร์–เสาร์ 08.00–18.00 น." in html
    assert "0 4211 1111" in html
    bad = client.post("/admin/settings/contact", data={"email": "not-an-email"})
    assert bad.status_code == 400
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    assert officer.get("/admin/settings/contact").status_code == 403
