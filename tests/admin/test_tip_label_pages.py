"""The lists integrity officers keep for the tip channel, one page each on the same code
(casework.tipline.labels, admin.tip_labels): the kinds of retaliation a tipster can report,
like the kinds of disciplinary penalty."""

from __future__ import annotations

from sqlalchemy import select

from casework.extensions import db
from casework.models import AuditEntry, Organization, RetaliationKind
from casework.tipline import penalties, retaliation

PAGE = "/admin/tips/retaliation-kinds"


def _officer(app, login_as):
    client = app.test_client()
    login_as("integrity", email="integrity@staff.test", on=client, name="มานะ อดทน")
    return client


def _kind_id(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(RetaliationKind.id).filter_by(code=code))


def _offered(app) -> list[str]:
    """The kinds the tipster's form offers."""
    with app.app_context():
        org = db.session.scalar(select(Organization).order_by(Organization.id))
        return [k.name_th for k in retaliation.kinds(org.id)]


def test_officers_keep_the_kinds_of_retaliation_the_tipster_chooses_from(app, login_as):
    officer = _officer(app, login_as)
    page = officer.get(PAGE).get_data(as_text=True)
    for _code, name_th, _en in retaliation.DEFAULT_KINDS:
        assert name_th in page
    assert 'href="/admin/tips/retaliation-kinds"' in officer.get("/admin/tips/").get_data(
        as_text=True
    )

    # Bad input: the message beside the field, what was typed kept.
    r = officer.post(PAGE, data={"name_th": "  ", "name_en": "Demotion", "active": "1"})
    assert r.status_code == 400
    page = r.get_data(as_text=True)
    assert 'id="name_th-error"' in page and 'value="Demotion"' in page

    # Added: the tipster's form offers it, in the order given; the trail says so.
    r = officer.post(
        PAGE,
        data={
            "name_th": "ถูกลดขั้นหรือตัดสิทธิ์เลื่อนตำแหน่ง",
            "name_en": "Demotion",
            "sort_order": "9",
            "active": "1",
        },
    )
    assert r.status_code == 302 and r.headers["Location"].endswith(PAGE)
    assert _offered(app)[-1] == "ถูกลดขั้นหรือตัดสิทธิ์เลื่อนตำแหน่ง"

    # Taken off the list: no longer offered, still kept for the reports that name it.
    threat = _kind_id(app, "threat")
    r = officer.post(f"{PAGE}/{threat}", data={"name_th": "ถูกข่มขู่", "sort_order": "1"})
    assert r.status_code == 302
    assert "ถูกข่มขู่" not in _offered(app)
    unticked = f'id="active-{threat}" name="active" value="1">'
    assert unticked in officer.get(PAGE).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(RetaliationKind, threat) is not None
        actions = [
            a
            for a in db.session.scalars(
                select(AuditEntry.action).filter_by(chain="tips").order_by(AuditEntry.seq)
            )
            if a.startswith("tip.retaliation_kind")
        ]
        assert actions == ["tip.retaliation_kind_created", "tip.retaliation_kind_updated"]


def test_another_organizations_kind_and_other_roles_are_refused(app, login_as):
    officer = _officer(app, login_as)
    with app.app_context():
        other = Organization(slug="elsewhere", name_th="เทศบาลอื่น", name_en="Elsewhere")
        db.session.add(other)
        db.session.commit()
        theirs = retaliation.KINDS.listing(other.id)[0].id
    assert officer.post(f"{PAGE}/{theirs}", data={"name_th": "ของเรา"}).status_code == 404
    with app.app_context():
        assert db.session.get(RetaliationKind, theirs).name_th != "ของเรา"
    custodian = app.test_client()
    login_as("custodian", email="keeper@staff.test", on=custodian)
    assert custodian.get(PAGE).status_code == 403


def test_the_penalty_kinds_page_is_the_same_page(app, login_as):
    officer = _officer(app, login_as)
    page = officer.get("/admin/tips/penalties").get_data(as_text=True)
    assert "ภาคทัณฑ์" in page and 'action="/admin/tips/penalties"' in page
    r = officer.post("/admin/tips/penalties", data={"name_th": "ให้ออก", "active": "1"})
    assert r.status_code == 302
    with app.app_context():
        org = db.session.scalar(select(Organization).order_by(Organization.id))
        assert "ให้ออก" in [k.name_th for k in penalties.listing(org.id, active_only=True)]
