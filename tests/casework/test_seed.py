"""Bulk seeding (casework.seed, `flask --app wsgi seed`): counts, numbering, and the app's pages
on seeded data."""

import random

import pytest
from sqlalchemy import func, select

from casework import audit, seed
from casework.cases import identity, lifecycle
from casework.extensions import db
from casework.models import Case, CaseCounter, CaseEvent, Organization, ReporterIdentity
from casework.tipline import filing

CASES = 300


@pytest.fixture
def seeded(app):
    with app.app_context():
        org = db.session.scalars(select(Organization)).one()
        return seed.seed(org, CASES, tip_share=0.2, rng=random.Random(7), keep_codes=3)


def _counts(*columns) -> dict:
    rows = db.session.execute(select(*columns, func.count(Case.id)).group_by(*columns)).all()
    return {tuple(row[:-1]): row[-1] for row in rows}


def test_counts_by_channel_status_and_fiscal_year_match_what_was_seeded(seeded, ctx):
    assert db.session.scalar(select(func.count(Case.id))) == CASES == seeded.cases
    assert _counts(Case.channel) == {(k,): v for k, v in seeded.by_channel.items()}
    assert _counts(Case.channel, Case.status) == dict(seeded.by_status)
    assert _counts(Case.channel, Case.fiscal_year) == dict(seeded.by_fiscal_year)
    for channel in ("complaint", "tip"):
        statuses = {s for (c, s) in seeded.by_status if c == channel}
        assert statuses == set(lifecycle.STATES[channel])
        years = {fy for (c, fy) in seeded.by_fiscal_year if c == channel}
        assert len(years) == 2
    assert db.session.scalar(select(func.count(CaseEvent.id))) == seeded.rows["case_events"]
    assert seeded.rows["reporter_identities"] > 0


def test_numbering_registers_end_where_the_sequences_end(seeded, ctx, file_complaint):
    for counter in db.session.scalars(select(CaseCounter)):
        sequences = sorted(
            db.session.scalars(
                select(Case.sequence).filter_by(
                    organization_id=counter.organization_id,
                    channel=counter.channel,
                    fiscal_year=counter.fiscal_year,
                )
            )
        )
        assert sequences == list(range(1, counter.last + 1))
    latest = max(
        db.session.scalars(select(CaseCounter).filter_by(channel="complaint")).all(),
        key=lambda c: c.fiscal_year,
    )
    filed = file_complaint()
    assert (filed.case.fiscal_year, filed.case.sequence) == (latest.fiscal_year, latest.last + 1)


def test_every_case_follows_the_state_machine(seeded, ctx):
    for case in db.session.scalars(select(Case)):
        current = "received"
        for event in case.events:
            if event.kind == "status":
                assert event.status_from == current
                target = event.status_to
                final = lifecycle.state(case.channel, target).final
                lifecycle.check(case.channel, current, target, case.outcome if final else None)
                current = target
        assert current == case.status


def test_sealed_values_open_and_the_tips_chain_verifies(seeded, ctx):
    row = db.session.scalars(select(ReporterIdentity)).first()
    case = db.session.get(Case, row.case_id)
    assert identity.reveal(case)["name"]
    tip = db.session.scalars(select(Case).filter_by(channel="tip")).first()
    assert filing.answers_of(tip)["what"]
    assert audit.verify(tip.organization_id).ok


def test_the_pages_work_on_seeded_data(seeded, client, login_as):
    code = seeded.codes[0]
    page = client.post("/complaints/track", data={"tracking_code": code})
    assert page.status_code == 200
    answer = client.post("/api/v1/track", json={"tracking_code": code})
    assert answer.status_code == 200
    assert answer.get_json()["case_number"] in page.get_data(as_text=True)
    login_as("supervisor")
    assert client.get("/admin/inbox").status_code == 200
    assert client.get("/admin/board").status_code == 200
    with client.application.app_context():
        case_id = db.session.scalar(
            select(Case.id).filter_by(channel="complaint", status="completed").limit(1)
        )
    assert client.get(f"/admin/cases/{case_id}").status_code == 200
    integrity = client.application.test_client()
    login_as("integrity", on=integrity)
    assert integrity.get("/admin/tips/").status_code == 200


def test_the_command_seeds_the_organization(app):
    result = app.test_cli_runner().invoke(args=["seed", "--cases", "40", "--organization", "demo"])
    assert result.exit_code == 0, result.output
    assert "seeded 40 cases for demo" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Case.id))) == 40
    missing = app.test_cli_runner().invoke(args=["seed", "--cases", "5", "--organization", "x"])
    assert missing.exit_code != 0
