"""casework.general.queries called directly: the filters, the due-state buckets, the order
officers work in, the inbox page and the landing page's counts."""

from __future__ import annotations

from datetime import timedelta

from werkzeug.datastructures import MultiDict

from casework.cases import sla
from casework.extensions import db
from casework.general import access, queries, workflow


def _ids(query) -> list[int]:
    return list(db.session.scalars(query.with_only_columns(queries.Case.id)))


def test_filters_from_request_arguments():
    args = MultiDict({"status": " received ", "q": "x" * 300, "page": "2", "department": ""})
    filters = queries.Filters.from_args(args)
    assert filters.status == "received"
    assert filters.q == "x" * 200
    assert filters.department == "" and not hasattr(filters, "page")


def test_each_due_state_finds_its_case(desk, org, now):
    visible = access.visible_cases(desk["officer"])
    for due in sla.DUE_STATES:
        found = _ids(queries.apply(visible, queries.Filters(due=due), org))
        assert found == [desk[due].id], due
        assert sla.due_state(desk[due], org, now.date()) == due


def test_filters_narrow_by_status_received_via_category_department_and_text(desk, org):
    visible = access.visible_cases(desk["officer"])

    def found(**given) -> set[int]:
        return set(_ids(queries.apply(visible, queries.Filters(**given), org)))

    assert found(status="awaiting_info") == {desk[sla.PAUSED].id}
    assert found(status="nonsense") == {c.id for k, c in desk.items() if k != "officer"}
    assert found(received_via="phone") == {desk[sla.OVERDUE].id}
    assert found(category="lighting") == {desk[sla.DUE_SOON].id}
    assert found(department="none") == set()
    assert found(department=str(desk["officer"].department_id)) == found()
    assert found(q="ไฟดับ") == {desk[sla.DUE_SOON].id}
    # "%" and "_" are matched as themselves, not as wildcards
    assert found(q="100%") == {desk[sla.DUE_SOON].id}
    assert found(q="ล้น_ซ") == {desk[sla.DONE].id}
    assert found(q="_") == {desk[sla.DONE].id}
    assert found(q=desk[sla.ON_TIME].case_number) == {desk[sla.ON_TIME].id}


def test_most_urgent_first(desk, org):
    visible = access.visible_cases(desk["officer"])
    order = _ids(queries.most_urgent_first(visible, org))
    assert order == [
        desk[due].id for due in (sla.OVERDUE, sla.DUE_SOON, sla.ON_TIME, sla.PAUSED, sla.DONE)
    ]


def test_due_soon_limit_counts_the_organizations_warning_days(org, now):
    today = now.date()
    assert queries.due_soon_limit(org, today) == today + timedelta(days=org.due_soon_days)


def test_the_landing_page_counts(desk, org):
    counts = queries.attention(access.visible_cases(desk["officer"]), org)
    assert counts == {sla.OVERDUE: 1, sla.DUE_SOON: 1, sla.PAUSED: 1, "new": 3}
    assert queries.count(access.visible_cases(desk["officer"])) == 5


def test_an_inbox_page(desk, org, staff):
    supervisor = staff("supervisor")
    officer = desk["officer"]
    workflow.assign(desk[sla.ON_TIME], supervisor, officer.department_id, officer.id)
    visible = access.visible_cases(supervisor)
    first = queries.case_page(visible, org, queries.Filters(), page=1, per_page=2)
    assert first.page.total == 5 and first.page.pages == 3
    assert [(c.id, due) for c, due in first.rows] == [
        (desk[sla.OVERDUE].id, sla.OVERDUE),
        (desk[sla.DUE_SOON].id, sla.DUE_SOON),
    ]
    second = queries.case_page(visible, org, queries.Filters(), page=2, per_page=2)
    assert second.rows[0][0].id == desk[sla.ON_TIME].id
    assert second.assignees == {officer.id: officer}
    beyond = queries.case_page(visible, org, queries.Filters(), page=9, per_page=2)
    assert beyond.rows == [] and beyond.page.total == 5
    nobody = queries.case_page(
        access.visible_cases(None), org, queries.Filters(), page=1, per_page=2
    )
    assert nobody.page.total == 0
