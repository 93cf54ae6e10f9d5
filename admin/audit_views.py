"""The audit trail for the system administrator: recent entries and the chain's health.

The administrator sees who did what and when, to which case number, but no case contents: an
entry's details are shown only for account and settings changes, whose details name no
complainant and hold no case text.
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from admin import bp
from admin.guard import require
from casework import audit
from casework.cases import values
from casework.models import AuditEntry
from casework.staff import changes, roles
from casework.tipline import trail
from rongrian.tenancy import current_org

PER_PAGE = 100

ACTIONS = {
    "login.success": _l("Signed in"),
    "login.failure": _l("Failed sign-in"),
    "login.refused": _l("Sign-in refused (account locked or disabled)"),
    "logout": _l("Signed out"),
    "logout.everywhere": _l("Signed out on every device"),
    "password.changed": _l("Changed their password"),
    "totp.enrolled": _l("Set up two-step verification"),
    "totp.reset": _l("Reset two-step verification"),
    "user.create": _l("Created an account"),
    "user.update": _l("Changed an account"),
    "user.unlock": _l("Unlocked an account"),
    "settings.sla": _l("Changed deadline and letter settings"),
    "settings.seal": _l("Changed the seal"),
    "settings.contact": _l("Changed the office contact details"),
    "survey.questions": _l("Changed the satisfaction survey questions"),
    "survey.record": _l("Recorded satisfaction survey answers"),
    "summary.draft": _l("Drafted a summary report"),
    "summary.approve": _l("Approved and published a summary report"),
    "open311.key_issued": _l("Issued an Open311 key"),
    "open311.key_revoked": _l("Revoked an Open311 key"),
    "department.create": _l("Added a department"),
    "department.update": _l("Changed a department"),
    "category.create": _l("Added a category"),
    "category.update": _l("Changed a category"),
    "holiday.declare": _l("Declared a holiday"),
    "holiday.remove": _l("Removed a declared holiday"),
    "outbox.retry": _l("Sent a notification again"),
    "case.register_offline": _l("Registered a complaint received offline"),
    "case.accept": _l("Accepted a case"),
    "case.assign": _l("Assigned a case"),
    "case.note": _l("Added an internal note"),
    "case.public_update": _l("Published an update to the complainant"),
    "case.request_info": _l("Asked the complainant for information (clock paused)"),
    "case.resume": _l("Resumed work (clock running)"),
    "case.forward": _l("Forwarded a case to an outside agency"),
    "case.explain_delay": _l("Explained a delay to the complainant"),
    "case.complete": _l("Completed a case"),
    "case.merge": _l("Closed a case as a duplicate"),
    "case.escalate": _l("Overdue case escalated to the supervisors"),
    "case.transferred": _l("Transferred a case to the corruption channel"),
    "identity.view": _l("Viewed a complainant's contact details"),
    "attachment.view": _l("Opened an attachment"),
    "notice.print": _l("Printed a letter"),
    "export.cases": _l("Exported the case list"),
    "export.identity": _l("Exported the case list with contact details"),
    audit.KEYED: trail.ACTIONS[audit.KEYED],  # (both chains were keyed the same way)
    "custody.key_enrolled": _l("Created a custodian key"),
    "custody.first_key_ceremony": _l("First custodian key of the organization (ceremony)"),
    "custody.key_approved": _l("Approved another custodian's key"),
    "custody.passphrase_changed": _l("Changed their custodian passphrase"),
    "account_change.requested": _l("Asked for an account change that needs a second person"),
    "account_change.approved": _l("Approved an account change"),
    "account_change.refused": _l("Refused an account change"),
    "account_change.withdrawn": _l("Withdrew an account change"),
}
LETTERS = {
    "acknowledgement": _l("Acknowledgement of receipt"),
    "delay": _l("Explanation of delay"),
    "result": _l("Result"),
}
# Entries whose details are safe to show: accounts and settings, never a case or a search.
DETAILED = (
    "login.",
    "user.",
    "totp.",
    "settings.",
    "department.",
    "category.",
    "holiday.",
    "account_change.",
)


# What the details of an entry say, in the reader's language: a label for each key (and each
# setting named in a list of changed ones), and for each coded value.
DETAIL_LABELS = {
    "reason": _l("Why"),
    "locked": _l("Account locked"),
    "second_factor": _l("Second step"),
    "user_id": _l("Account no."),
    "approved_by": _l("Approved by account no."),
    "role": _l("Role"),
    "roles": _l("Roles"),
    "department_id": _l("Department no."),
    "active": _l("Account is active"),
    "before": _l("Before"),
    "after": _l("After"),
    "password": _l("A new password is set"),
    "change": _l("Request no."),
    "action": _l("Action"),
    "changed": _l("Changed"),
    "sla_days": _l("Days to resolve"),
    "sla_mode": _l("How deadlines count days"),
    "due_soon_days": _l("Warn this many days before the deadline"),
    "letter_prefix": _l("Letter reference prefix (ที่ …)"),
    "signatory_name": _l("Name of the person who signs letters"),
    "signatory_title": _l("Position of the person who signs letters"),
    "address_th": _l("Office address in Thai"),
    "address_en": _l("Office address in English"),
    "phone": _l("Phone"),
    "email": _l("Email"),
    "office_hours_th": _l("Office hours in Thai"),
    "office_hours_en": _l("Office hours in English"),
    "publish_case_list": _l("Publish the list and map of general complaints"),
    "public_grid_m": _l("Show places on a grid of this many metres"),
    "recurrence_radius_m": _l("Complaints this many metres apart are at the same place"),
}
VALUE_LABELS = {
    ("reason", "password"): _l("wrong password"),
    ("reason", "totp"): _l("wrong code"),
    ("reason", "locked"): _l("account locked"),
    ("reason", "inactive"): _l("account disabled"),
    ("second_factor", "totp"): _l("code from the authenticator app"),
    ("second_factor", "none"): _l("none"),
    ("sla_mode", "calendar"): _l("Calendar days (every day counts)"),
    ("sla_mode", "working"): _l("Working days (weekends and holidays do not count)"),
}
CODED = {"role": roles.ROLES, "roles": roles.ROLES, "action": changes.ACTIONS}


# Why audit.verify found the chain broken, as the administrator reads it (the command line
# keeps audit.verify's own words).
BREAKS = (
    ("previous hash does not match", _l("the entry does not follow the one before it")),
    ("entry was changed", _l("the entry was changed")),
    ("without the key", _l("the entries were rewritten without the key")),
    ("differs from the checkpoint", _l("the entries up to here were rewritten")),
    ("entry missing", _l("an entry is missing")),
    ("entries after the last one were removed", _l("the last entries were removed")),
)


def broken_because(reason: str) -> str:
    return str(next((label for words, label in BREAKS if words in reason), _l("they do not check")))


def _value(key: str, value) -> str:
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, dict):
        return "(" + "; ".join(_pair(k, v) for k, v in sorted(value.items())) + ")"
    if isinstance(value, list):
        return ", ".join(_value(key, v) for v in value)
    if value is None or value == "":
        return "—"
    if key == "changed":
        return str(DETAIL_LABELS.get(value, value))
    label = CODED.get(key, {}).get(value) or VALUE_LABELS.get((key, value))
    return str(label or value)


def _pair(key: str, value) -> str:
    return f"{DETAIL_LABELS.get(key, key)}: {_value(key, value)}"


def details(entry: AuditEntry) -> str:
    if not entry.data or entry.case_id is not None or not entry.action.startswith(DETAILED):
        return ""
    return "; ".join(_pair(key, value) for key, value in sorted(entry.data.items()))


@bp.get("/audit")
@require("admin.audit")
def audit_log():
    org = current_org()
    action = (request.args.get("action") or "").strip()[:48]
    actor = request.args.get("actor", "")
    # The general chain only: the corruption channel's trail is for its custodians.
    entries = audit.trail_page(
        org.id,
        chain=audit.MAIN,
        action=action,
        actor_id=values.record_id(actor),
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
    )
    verdict = audit.verify(org.id, audit.MAIN) if request.args.get("verify") == "1" else None
    return render_template(
        "admin/audit.html",
        page=entries.page,
        users=entries.users,
        numbers=entries.numbers,
        verdict=verdict,
        action=action,
        actor=actor,
        actions=ACTIONS,
        letters=LETTERS,
        details=details,
        broken_because=broken_because,
    )
