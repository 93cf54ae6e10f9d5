"""Every route × every role (and anonymous), against an explicit table.

Each rule in ``app.url_map`` — from every blueprint, including ones added later — must be listed
in ROUTES with the roles that may use it. A route missing from the table fails the test: add
it, with the narrowest set of roles, when you add the route.

* Staff routes send anonymous visitors to the login page.
* A role outside the set gets 403, or 404 when the case is outside its reach.
* A role inside the set is not refused (``STRICT``) or at least is not sent to the login page and
  does not crash (``LOOSE``, for routes whose sample arguments cannot reach a real record, such as
  the corruption channel's, which keeps its own detailed tests).
"""

from __future__ import annotations

from datetime import date

import pytest
import upload_samples

from casework.cases.attachments import Upload
from casework.extensions import db
from casework.general import intake
from casework.models import (
    Category,
    DeclaredHoliday,
    Department,
    Open311Key,
    Organization,
    OutboxMessage,
    User,
)

ANON = "anonymous"
CLERK, OFFICER, SUPERVISOR = "clerk", "officer", "supervisor"
INTEGRITY, CUSTODIAN, EXECUTIVE, SYSADMIN = "integrity", "custodian", "executive", "sysadmin"
STAFF = frozenset({CLERK, OFFICER, SUPERVISOR, INTEGRITY, CUSTODIAN, EXECUTIVE, SYSADMIN})
EVERYONE = STAFF | {ANON}
PUBLIC = "public"  # anyone, signed in or not
OPEN = "open"  # the sign-in steps: reachable before signing in
STRICT, LOOSE = "strict", "loose"
SIGN_OUT = "sign-out"  # allowed, and ends with a redirect to the login page
API_KEY = "api-key"  # public, but refused with 403 without an issued api_key (Open311)

CASE_READERS = frozenset({CLERK, OFFICER, SUPERVISOR, EXECUTIVE})
CASE_WORKERS = frozenset({OFFICER, SUPERVISOR})
ADMIN = frozenset({SYSADMIN})
APPROVERS = frozenset({SYSADMIN, SUPERVISOR, CUSTODIAN})

# endpoint -> (who, strictness). who: PUBLIC, OPEN, or a set of roles.
ROUTES: dict[str, tuple[object, str]] = {
    # the shared shell and the public complaint channel
    "static": (PUBLIC, STRICT),
    "leaflet.static": (PUBLIC, LOOSE),  # Leaflet's own files (the sample names none of them)
    "site.home": (PUBLIC, STRICT),
    "site.healthz": (PUBLIC, STRICT),
    "site.set_language": (PUBLIC, STRICT),
    "site.favicon": (PUBLIC, STRICT),
    "site.seal": (PUBLIC, STRICT),  # 404 until the organization sets one
    "complaints.new": (PUBLIC, STRICT),
    "complaints.submit": (PUBLIC, STRICT),
    "complaints.track": (PUBLIC, STRICT),
    "complaints.track_lookup": (PUBLIC, STRICT),
    "complaints.add_info": (PUBLIC, STRICT),
    "complaints.rate": (PUBLIC, STRICT),
    "complaints.receipt": (PUBLIC, STRICT),
    "api.categories": (PUBLIC, STRICT),
    "api.openapi_document": (PUBLIC, STRICT),
    "complaints_api.file_complaint": (PUBLIC, STRICT),
    "complaints_api.track": (PUBLIC, STRICT),
    # the public corruption channel
    "whistleblow.index": (PUBLIC, STRICT),
    "whistleblow.new": (PUBLIC, STRICT),
    "whistleblow.submit": (PUBLIC, STRICT),
    "whistleblow.claim_form": (PUBLIC, STRICT),
    "whistleblow.claim": (PUBLIC, STRICT),
    "whistleblow.proof": (PUBLIC, STRICT),
    "whistleblow.receipt": (PUBLIC, STRICT),
    "whistleblow.proof_key": (PUBLIC, STRICT),
    "whistleblow.leave": (PUBLIC, STRICT),
    "whistleblow.reply": (PUBLIC, STRICT),
    "whistleblow.track": (PUBLIC, STRICT),
    "whistleblow.status": (PUBLIC, STRICT),
    "whistleblow.report_retaliation": (PUBLIC, STRICT),
    "tips_api.file_tip": (PUBLIC, STRICT),
    "tips_api.post_message": (PUBLIC, STRICT),
    "tips_api.status": (PUBLIC, STRICT),
    # what the organization publishes (statistics, manuals, open data)
    "transparency.stats": (PUBLIC, STRICT),
    "transparency.manual": (PUBLIC, STRICT),
    "transparency_api.stats": (PUBLIC, STRICT),
    "transparency.public_cases": (PUBLIC, STRICT),
    "transparency.opendata_index": (PUBLIC, STRICT),
    "transparency.opendata_stats_json": (PUBLIC, STRICT),
    "transparency.opendata_stats_csv": (PUBLIC, STRICT),
    "transparency.opendata_cases_csv": (PUBLIC, STRICT),
    "transparency.opendata_cases_json": (PUBLIC, STRICT),
    "transparency.opendata_package": (PUBLIC, STRICT),
    "transparency.summary_reports": (PUBLIC, STRICT),
    "transparency.summary_report": (PUBLIC, LOOSE),
    "open311.discovery": (PUBLIC, STRICT),
    "open311.services": (PUBLIC, STRICT),
    "open311.service_definition": (PUBLIC, STRICT),
    "open311.requests_": (PUBLIC, STRICT),
    "open311.request_one": (PUBLIC, STRICT),
    "open311.post_request": (PUBLIC, API_KEY),
    # signing in and out, own account
    "admin.login": (OPEN, STRICT),
    "admin.login_totp": (OPEN, STRICT),
    "admin.enrol_totp": (OPEN, STRICT),
    "admin.logout": (STAFF, SIGN_OUT),
    "admin.logout_everywhere": (STAFF, SIGN_OUT),
    "admin.account": (STAFF, STRICT),
    "admin.index": (STAFF, STRICT),
    # general complaints
    "admin.inbox": (CASE_READERS, STRICT),
    "admin.case_view": (CASE_READERS, STRICT),
    "admin.show_contact": (CASE_WORKERS, STRICT),
    "admin.attachment": (CASE_WORKERS, STRICT),
    "admin.notice": (frozenset({CLERK, OFFICER, SUPERVISOR}), STRICT),
    "admin.case_accept": (CASE_WORKERS, STRICT),
    "admin.case_assign": (CASE_WORKERS, STRICT),
    "admin.case_note": (CASE_WORKERS, STRICT),
    "admin.case_update": (CASE_WORKERS, STRICT),
    "admin.case_photos": (CASE_WORKERS, STRICT),
    "admin.case_request_info": (CASE_WORKERS, STRICT),
    "admin.case_resume": (CASE_WORKERS, STRICT),
    "admin.case_forward": (CASE_WORKERS, STRICT),
    "admin.case_complete": (CASE_WORKERS, STRICT),
    "admin.case_explain": (CASE_WORKERS, STRICT),
    "admin.case_merge": (CASE_WORKERS, STRICT),
    "admin.intake_new": (frozenset({CLERK, SUPERVISOR}), STRICT),
    "admin.intake_submit": (frozenset({CLERK, SUPERVISOR}), STRICT),
    "admin.board": (frozenset({OFFICER, SUPERVISOR, EXECUTIVE}), STRICT),
    "admin.export_cases": (frozenset({OFFICER, SUPERVISOR, EXECUTIVE}), STRICT),
    "admin.report": (frozenset({SUPERVISOR, EXECUTIVE}), STRICT),
    # system administration (no case contents)
    "admin.users": (ADMIN, STRICT),
    "admin.user_new": (ADMIN, STRICT),
    "admin.user_edit": (ADMIN, STRICT),
    "admin.user_reset_totp": (ADMIN, STRICT),
    "admin.user_sign_out": (ADMIN, STRICT),
    "admin.user_unlock": (ADMIN, STRICT),
    "admin.settings": (ADMIN, STRICT),
    "admin.seal_settings": (ADMIN, STRICT),
    "admin.departments": (ADMIN, STRICT),
    "admin.department_edit": (ADMIN, STRICT),
    "admin.categories": (ADMIN, STRICT),
    "admin.category_edit": (ADMIN, STRICT),
    "admin.holidays": (ADMIN, STRICT),
    "admin.contact_settings": (ADMIN, STRICT),
    "admin.open311_keys": (ADMIN, STRICT),
    "admin.open311_key_revoke": (ADMIN, STRICT),
    "admin.survey_questions": (ADMIN, STRICT),
    "admin.case_survey": (frozenset({CLERK, OFFICER, SUPERVISOR}), LOOSE),
    "admin.summaries_index": (frozenset({SUPERVISOR, EXECUTIVE}), LOOSE),
    "admin.summary_view": (frozenset({SUPERVISOR, EXECUTIVE}), LOOSE),
    "admin.summary_approve": (frozenset({EXECUTIVE}), LOOSE),
    "admin.recurrence_view": (frozenset({SUPERVISOR, EXECUTIVE}), STRICT),
    "admin.holiday_delete": (ADMIN, STRICT),
    "admin.outbox_status": (ADMIN, STRICT),
    "admin.outbox_retry": (ADMIN, STRICT),
    "admin.audit_log": (ADMIN, STRICT),
    # a second person approves changes to custodian, integrity and supervisor accounts
    "admin.approvals": (APPROVERS, STRICT),
    "admin.approval_approve": (APPROVERS, LOOSE),
    "admin.approval_refuse": (APPROVERS, LOOSE),
    "admin.approval_withdraw": (APPROVERS, LOOSE),
    # the corruption channel's back office (its own tests check the details)
    "admin.tips": (frozenset({INTEGRITY, CUSTODIAN}), LOOSE),
    "admin.tip": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_assign": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_exclude": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_file": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_message": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_referral": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_reveal_request": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_status": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_explain": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_categories": (frozenset({INTEGRITY}), STRICT),
    "admin.tip_register": (frozenset({INTEGRITY}), STRICT),
    "admin.tip_register_submit": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_referral_decision": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_follow_up_check": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_correct": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_penalties": (frozenset({INTEGRITY}), STRICT),
    "admin.tip_penalty_edit": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_retaliation_kinds": (frozenset({INTEGRITY}), STRICT),
    "admin.tip_retaliation_kind_edit": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_category_edit": (frozenset({INTEGRITY}), LOOSE),
    "admin.tip_custody": (frozenset({CUSTODIAN}), LOOSE),
    "admin.tip_custody_reseal": (frozenset({CUSTODIAN}), LOOSE),
    "admin.tip_custody_approve": (frozenset({CUSTODIAN}), LOOSE),
    "admin.tip_trail": (frozenset({CUSTODIAN}), STRICT),
    "admin.tip_custody_enrol": (frozenset({CUSTODIAN}), LOOSE),
    "admin.tip_custody_passphrase": (frozenset({CUSTODIAN}), LOOSE),
    "admin.tip_reveal_approve": (frozenset({CUSTODIAN}), LOOSE),
    "admin.tip_reveal_refuse": (frozenset({CUSTODIAN}), LOOSE),
    "admin.tip_closure_approve": (frozenset({INTEGRITY, CUSTODIAN}), LOOSE),
    "admin.tip_closure_refuse": (frozenset({INTEGRITY, CUSTODIAN}), LOOSE),
    "admin.tip_exclusions": (frozenset({SUPERVISOR, CUSTODIAN}), STRICT),
    "admin.tip_exclusion_reverse": (frozenset({SUPERVISOR, CUSTODIAN}), LOOSE),
    "admin.tip_claims": (frozenset({CUSTODIAN}), STRICT),
    "admin.tip_claim_confirm": (frozenset({CUSTODIAN}), LOOSE),
    "admin.tip_claim_refuse": (frozenset({CUSTODIAN}), LOOSE),
    "admin.tip_claim_reopen": (frozenset({CUSTODIAN}), LOOSE),
    "admin.tip_transfer": (CASE_WORKERS, LOOSE),
    "admin.tip_deadlines": (frozenset({INTEGRITY}), STRICT),
    "admin.tip_retaliations": (frozenset({INTEGRITY, CUSTODIAN, EXECUTIVE}), STRICT),
    "admin.tip_retaliation": (frozenset({INTEGRITY, CUSTODIAN, EXECUTIVE}), LOOSE),
    "admin.tip_retaliation_close": (frozenset({INTEGRITY, CUSTODIAN}), LOOSE),
    "admin.tip_retaliation_file": (frozenset({INTEGRITY, CUSTODIAN}), LOOSE),
    "admin.tip_figures_page": (frozenset({EXECUTIVE}), STRICT),
}

# Routes that change the sample records in a way later requests would notice get their own.
OWN_CASE = {"admin.tip_transfer", "admin.case_merge", "admin.case_complete"}
ROLES = [ANON, CLERK, OFFICER, SUPERVISOR, EXECUTIVE, INTEGRITY, CUSTODIAN, SYSADMIN]
PNG = upload_samples.PNG  # a real picture: an image that does not decode is refused


def _file(app, subject: str, uploads=()) -> int:
    with app.test_request_context():
        org = db.session.scalars(db.select(Organization)).first()
        filed = intake.file_complaint(
            org,
            intake.ComplaintSubmission(
                category="roads",
                subject=subject,
                details="รายละเอียด",
                reporter={"name": "ผู้ร้อง", "phone": "0812345678"},
                consent=True,
                uploads=list(uploads),
            ),
        )
        return filed.case.id


@pytest.fixture
def samples(app, login_as):
    """Sample values for every URL argument in the map."""
    with app.app_context():
        org = db.session.scalars(db.select(Organization)).first()
        case_id = _file(app, "ไฟดับ", [Upload("scan.png", PNG)])
        from casework.models import Attachment

        attachment_id = db.session.scalar(db.select(Attachment.id).filter_by(case_id=case_id))
        holiday = DeclaredHoliday(organization_id=org.id, day=date(2031, 1, 2), name_th="วันหยุดพิเศษ")
        db.session.add(holiday)
        failed = OutboxMessage(
            organization_id=org.id,
            transport="email",
            template="receipt",
            recipient_sealed=b"x",
            status="failed",
        )
        db.session.add(failed)
        other = User(organization_id=org.id, email="other@staff.test", role="clerk")
        db.session.add(other)
        open311_key = Open311Key(organization_id=org.id, name="แอป", key_hash="0" * 64)
        db.session.add(open311_key)
        db.session.commit()
        values = {
            "case_id": case_id,
            "attachment_id": attachment_id,
            "kind": "acknowledgement",
            "fmt": "csv",
            "user_id": other.id,
            "department_id": db.session.scalar(db.select(Department.id).filter_by(code="works")),
            "category_id": db.session.scalar(db.select(Category.id).filter_by(code="roads")),
            "holiday_id": holiday.id,
            "message_id": failed.id,
            "request_id": 999_999,
            "claim_id": -999_999,
            "report_id": -999_999,
            "file_id": 999_999,
            "key_id": 999_999,
            "kind_id": 999_999,
            "change_id": 999_999,
            "code": "th",
            "filename": "css/site.css",
            "channel": "complaints",
            "response_format": "json",
            "service_request_id": "2570-000001",
            "fiscal_year": 2570,
            "period": "h1",
            "open311_key_id": open311_key.id,
        }
    return values


def _url(app, rule, values, own_cases):
    args = {}
    for name in rule.arguments:
        if name == "case_id" and rule.endpoint in OWN_CASE:
            args[name] = own_cases[rule.endpoint]
        elif name in values:
            args[name] = values[name]
        else:
            pytest.fail(
                f"route {rule.rule} ({rule.endpoint}) has an argument {name!r} with no sample "
                "value: add one to the `samples` fixture in tests/admin/test_route_matrix.py"
            )
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **args)


def test_every_route_is_in_the_table(app):
    missing = sorted(
        {r.endpoint for r in app.url_map.iter_rules()} - set(ROUTES),
    )
    assert not missing, (
        "These routes are not in the role × route table of tests/admin/test_route_matrix.py: "
        f"{missing}. Add each to ROUTES with the roles that may use it."
    )


def test_role_route_matrix(app, login_as, samples):
    own_cases = {endpoint: _file(app, f"แยก {endpoint}") for endpoint in OWN_CASE}
    clients = {role: app.test_client() for role in ROLES}
    problems = []
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
    for rule in rules:
        if rule.endpoint not in ROUTES:
            continue  # reported by test_every_route_is_in_the_table
        who, strictness = ROUTES[rule.endpoint]
        url = _url(app, rule, samples, own_cases)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for role in ROLES:
                client = clients[role]
                if role != ANON:
                    login_as(role, "works" if role == "officer" else None, on=client)
                # (a category and a kind: the public form's view needs a valid choice before it
                # reports the missing fields)
                data = {"kind": "complaint", "category": "roads"} if method == "POST" else None
                try:
                    response = client.open(url, method=method, data=data)
                except Exception as error:  # noqa: BLE001 - reported with the others
                    problems.append(f"{method} {url} as {role}: raised {error!r}")
                    continue
                status = response.status_code
                location = response.headers.get("Location", "")
                response.close()
                to_login = status == 302 and "/admin/login" in location
                where = f"{method} {url} as {role}: {status} {location}"
                if status >= 500:
                    problems.append(f"{where} (server error)")
                elif who == PUBLIC:
                    if to_login or (status in (401, 403) and strictness != API_KEY):
                        problems.append(f"{where} (should be open)")
                elif who == OPEN:
                    if status in (401, 403, 404):  # (a later step sends you back to step one)
                        problems.append(f"{where} (should be open)")
                elif role == ANON:
                    if not to_login:
                        problems.append(f"{where} (anonymous must be sent to the login page)")
                elif role in who and strictness == SIGN_OUT:
                    if status != 302:
                        problems.append(f"{where} (should sign out and redirect)")
                elif role in who:
                    if to_login or (strictness == STRICT and status in (401, 403, 404)):
                        problems.append(f"{where} (should be allowed)")
                elif status not in (403, 404):
                    problems.append(f"{where} (should be refused with 403/404)")
    assert not problems, "\n".join(problems)


def test_case_outside_an_officers_department_is_404(app, client, login_as):
    with app.app_context():
        case_id = _file(app, "ถนนพัง")  # roads -> the works division
    login_as("officer", "health")
    for url in (f"/admin/cases/{case_id}", f"/admin/cases/{case_id}/notices/acknowledgement"):
        assert client.get(url).status_code == 404
    assert client.post(f"/admin/cases/{case_id}/accept").status_code == 404
    login_as("officer", "works", on=client)
    assert client.get(f"/admin/cases/{case_id}").status_code == 200


def test_staff_routes_send_anonymous_visitors_to_login(client):
    response = client.get("/admin/inbox")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")
