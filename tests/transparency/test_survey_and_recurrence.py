"""Satisfaction answers recorded by staff (phone, paper) against a case, with configurable
questions, counted in the published figure with its number of responses; and the recurrence
analysis: top categories, units and places against the period before, places that keep coming
back, and the flag on a case that resembles open or recent cases at the same place."""

from __future__ import annotations

import pytest
from figures_direct import bangkok
from sqlalchemy import select

from casework.dates import clock
from casework.extensions import db
from casework.models import Case, SurveyAnswer

pytestmark = pytest.mark.usefixtures("jan_2027")


def test_staff_record_answers_given_by_phone_or_on_paper(app, client, login_as, add_case):
    done = add_case("complaint", "roads", bangkok(2026, 11, 2), "completed")
    rated = add_case("complaint", "roads", bangkok(2026, 11, 3), "completed", rating=2)
    still_open = add_case("complaint", "roads", bangkok(2026, 11, 4), "in_progress")
    login_as("supervisor")
    form = client.get(f"/admin/cases/{done}/survey").get_data(as_text=True)
    assert "ความพึงพอใจต่อการจัดการเรื่องร้องเรียนโดยรวม" in form
    bad = client.post(f"/admin/cases/{done}/survey", data={"source": "phone"})
    assert bad.status_code == 400  # the overall score is required
    assert 'class="error"' in bad.get_data(as_text=True)
    saved = client.post(
        f"/admin/cases/{done}/survey",
        data={"source": "paper", "q_overall": "4", "q_comment": "ซ่อมเร็วดี"},
    )
    assert saved.status_code == 302
    with app.app_context():
        case = db.session.get(Case, done)
        assert (case.rating, case.rating_comment) == (4, "ซ่อมเร็วดี")
        answers = db.session.scalars(select(SurveyAnswer).filter_by(case_id=done)).all()
        assert {(a.question, a.score, a.text, a.source) for a in answers} == {
            ("overall", 4, "", "paper"),
            ("comment", None, "ซ่อมเร็วดี", "paper"),
        }
    assert (
        client.post(
            f"/admin/cases/{rated}/survey", data={"source": "phone", "q_overall": "5"}
        ).status_code
        == 400
    )  # already rated: one response per case
    assert (
        client.post(
            f"/admin/cases/{still_open}/survey", data={"source": "phone", "q_overall": "5"}
        ).status_code
        == 400
    )
    stats = client.get("/api/v1/stats?fiscal_year=2570").get_json()["complaint"]["satisfaction"]
    assert (stats["responses"], stats["satisfied"], stats["share_pct"]) == (2, 1, 50)
    page = client.get("/stats?fiscal_year=2570").get_data(as_text=True)
    assert "จากผู้ตอบ 2 ราย" in page
    executive = app.test_client()
    login_as("executive", on=executive)
    assert executive.post(f"/admin/cases/{done}/survey").status_code == 403


def test_the_administrator_sets_the_questions(app, client, login_as, add_case):
    login_as("sysadmin")
    text = (
        "overall | scale | พอใจโดยรวม | Overall | required\n"
        "speed | scale | ความรวดเร็ว | Speed | optional\n"
        "comment | text | ความเห็น | Comment | optional"
    )
    assert client.post("/admin/survey-questions", data={"questions": text}).status_code == 302
    no_overall = "speed | scale | ความรวดเร็ว | Speed | required"
    assert client.post("/admin/survey-questions", data={"questions": no_overall}).status_code == 400
    assert client.post("/admin/survey-questions", data={"questions": "bad line"}).status_code == 400
    done = add_case("complaint", "roads", bangkok(2026, 11, 2), "completed")
    clerk = app.test_client()
    login_as("clerk", on=clerk)
    assert "ความรวดเร็ว" in clerk.get(f"/admin/cases/{done}/survey").get_data(as_text=True)
    clerk.post(
        f"/admin/cases/{done}/survey", data={"source": "phone", "q_overall": "5", "q_speed": "3"}
    )
    with app.app_context():
        scores = dict(
            db.session.execute(
                select(SurveyAnswer.question, SurveyAnswer.score).filter_by(case_id=done)
            ).all()
        )
        assert scores == {"overall": 5, "speed": 3}
        assert db.session.get(Case, done).rating == 5


def test_recurrence_top_lists_trends_and_recurring_places(app, client, login_as, add_case):
    market = (13.7563, 100.5018)
    for day in (3, 9, 20):  # December, at the market
        add_case(
            "complaint",
            "waste",
            bangkok(2026, 12, day),
            "in_progress",
            lat=market[0] + day * 1e-5,
            lng=market[1],
        )
    add_case(
        "complaint", "waste", bangkok(2026, 11, 5), "completed", lat=market[0], lng=market[1] + 2e-4
    )
    add_case("complaint", "roads", bangkok(2026, 11, 6), "completed", lat=14.0, lng=100.9)
    add_case("complaint", "roads", bangkok(2026, 12, 7), "received")
    add_case("tip", "bribery", bangkok(2026, 12, 8, 7), "received")  # never in the analysis
    login_as("supervisor")
    html = client.get("/admin/recurrence?fiscal_year=2570&period=m12").get_data(as_text=True)
    assert "ปัญหาที่เกิดซ้ำ" in html
    assert "เดือนธันวาคม 2569" in html and "เดือนพฤศจิกายน 2569" in html
    from casework.dates import periods
    from casework.general import recurrence
    from rongrian.tenancy import current_org

    with app.app_context(), app.test_request_context():
        found = recurrence.analyse(current_org(), periods.period(2570, "m12"), clock.today())
        top = [(t.key.code, t.count, t.before) for t in found.categories]
        assert top == [("waste", 3, 1), ("roads", 1, 1)]
        assert found.places[0].count == 3 and found.places[0].before == 1
        (place,) = found.recurring  # the market: complaints in November and December
        assert (place.cases, place.months) == (4, 2) and place.categories == {"waste": 4}
        assert recurrence.previous(periods.period(2570, "m10")) == periods.period(2569, "m09")
        assert recurrence.previous(periods.period(2570, "q1")) == periods.period(2569, "q4")
        assert recurrence.previous(periods.period(2570)) == periods.period(2569)
    executive = app.test_client()
    login_as("executive", on=executive)
    assert executive.get("/admin/recurrence").status_code == 200
    officer = app.test_client()
    login_as("officer", "works", on=officer)
    assert officer.get("/admin/recurrence").status_code == 403


def test_a_case_like_open_or_recent_ones_at_the_same_place_is_flagged(
    app, client, login_as, add_case
):
    first = add_case(
        "complaint", "waste", bangkok(2026, 12, 3), "in_progress", lat=13.7563, lng=100.5018
    )
    add_case("complaint", "waste", bangkok(2026, 6, 3), "completed", lat=13.7563, lng=100.5018)
    far = add_case("complaint", "waste", bangkok(2027, 1, 10), "received", lat=13.80, lng=100.5018)
    new = add_case(
        "complaint", "waste", bangkok(2027, 1, 14), "received", lat=13.7567, lng=100.5019
    )
    login_as("supervisor")
    html = client.get(f"/admin/cases/{new}").get_data(as_text=True)
    assert "มีเรื่องลักษณะเดียวกันที่สถานที่เดียวกัน" in html
    with app.app_context():
        first_number = db.session.get(Case, first).case_number
        far_number = db.session.get(Case, far).case_number
    flag = html[html.index("similar-cases") : html.index("</p>", html.index("similar-cases"))]
    assert first_number in flag and far_number not in flag
    assert "2569/" not in flag  # completed long ago: not flagged
    lone = client.get(f"/admin/cases/{far}").get_data(as_text=True)
    assert "similar-cases" not in lone


def test_the_case_page_offers_the_survey_only_to_those_who_may_record_it(
    app, client, login_as, add_case
):
    """An executive (read-only) once saw the link "record answers given by phone or on paper"
    on a completed case and got a 403 when following it."""
    done = add_case("complaint", "roads", bangkok(2026, 11, 2), "completed")
    link = f'href="/admin/cases/{done}/survey"'
    login_as("supervisor")
    assert link in client.get(f"/admin/cases/{done}").get_data(as_text=True)
    executive = app.test_client()
    login_as("executive", on=executive)
    page = executive.get(f"/admin/cases/{done}")
    assert page.status_code == 200 and link not in page.get_data(as_text=True)
