"""Who may see and do what in the back office: the one place that decides it.

Two questions, asked by every view and every query:

* ``visible_cases(user)`` — the cases a user can reach at all, as a query. Anything outside it
  answers 404, as if it did not exist.
* ``can(user, action, case=None)`` — whether the user may take ``action`` (on ``case``).

General complaints only: the integrity officer and the custodian work the corruption channel,
which has its own rules (the tip channel), and see no general complaints here. The system
administrator manages users and settings but sees no case contents.
"""

from __future__ import annotations

from sqlalchemy import Select, false, select

from casework.extensions import db
from casework.models import Case, User
from casework.staff import roles

CHANNEL = "complaint"

# action -> roles that may take it (case-scoped actions also need the case in reach).
RULES: dict[str, frozenset[str]] = {
    "inbox.view": frozenset({roles.CLERK, roles.OFFICER, roles.SUPERVISOR, roles.EXECUTIVE}),
    "case.view": frozenset({roles.CLERK, roles.OFFICER, roles.SUPERVISOR, roles.EXECUTIVE}),
    "case.attachments": frozenset({roles.OFFICER, roles.SUPERVISOR}),
    "case.identity": frozenset({roles.OFFICER, roles.SUPERVISOR}),
    "case.work": frozenset({roles.OFFICER, roles.SUPERVISOR}),
    "case.assign": frozenset({roles.OFFICER, roles.SUPERVISOR}),
    "case.reassign_department": frozenset({roles.SUPERVISOR}),
    "case.notice": frozenset({roles.CLERK, roles.OFFICER, roles.SUPERVISOR}),
    "intake.register": frozenset({roles.CLERK, roles.SUPERVISOR}),
    "board.view": frozenset({roles.OFFICER, roles.SUPERVISOR, roles.EXECUTIVE}),
    "reports.view": frozenset({roles.SUPERVISOR, roles.EXECUTIVE}),
    # The executive summary report: the working group drafts, the executive approves.
    "summary.draft": frozenset({roles.SUPERVISOR}),
    "summary.approve": frozenset({roles.EXECUTIVE}),
    # Satisfaction answers given by phone or on paper, recorded against a case.
    "survey.record": frozenset({roles.CLERK, roles.OFFICER, roles.SUPERVISOR}),
    # Recurring problems: top categories, places and units, places that keep coming back.
    "recurrence.view": frozenset({roles.SUPERVISOR, roles.EXECUTIVE}),
    "export.cases": frozenset({roles.OFFICER, roles.SUPERVISOR, roles.EXECUTIVE}),
    "export.identity": frozenset({roles.SUPERVISOR}),
    "admin.users": frozenset({roles.SYSADMIN}),
    "admin.settings": frozenset({roles.SYSADMIN}),
    "admin.outbox": frozenset({roles.SYSADMIN}),
    "admin.audit": frozenset({roles.SYSADMIN}),
    # Account changes that need a second person (casework.staff.changes decides which).
    "accounts.approvals": frozenset({roles.SYSADMIN, roles.SUPERVISOR, roles.CUSTODIAN}),
    # The corruption channel's own rules (which tip, which identity) live in casework.tipline.
    "tips.view": frozenset({roles.INTEGRITY, roles.CUSTODIAN}),
    "tips.exclusions": frozenset({roles.SUPERVISOR, roles.CUSTODIAN}),
    "tips.retaliation": frozenset({roles.INTEGRITY, roles.CUSTODIAN, roles.EXECUTIVE}),
    "tips.figures": frozenset({roles.EXECUTIVE}),
}

CASE_ROLES = RULES["case.view"]


def visible_cases(user: User | None) -> Select:
    """A query of the general complaints ``user`` may reach (none for anyone else)."""
    query = select(Case).where(Case.channel == CHANNEL)
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return query.where(false())
    query = query.where(Case.organization_id == user.organization_id)
    if user.role == roles.OFFICER:
        if user.department_id is None:
            return query.where(false())
        return query.where(Case.department_id == user.department_id)
    if user.role in CASE_ROLES:
        return query
    return query.where(false())


def visible_case(user: User | None, case_id: int) -> Case | None:
    """The case with this id, if ``user`` can reach it."""
    return db.session.scalar(visible_cases(user).where(Case.id == case_id))


def in_reach(user: User | None, case: Case) -> bool:
    if user is None or case.channel != CHANNEL or user.role not in CASE_ROLES:
        return False
    if case.organization_id != user.organization_id:
        return False
    if user.role == roles.OFFICER:
        return user.department_id is not None and case.department_id == user.department_id
    return True


def can(user: User | None, action: str, case: Case | None = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    allowed = RULES.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}")
    if user.role not in allowed:
        return False
    return case is None or in_reach(user, case)
