"""Staff roles. What each may see and do is decided in casework.general.access, not in the views."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CLERK = "clerk"  # intake clerk: registers offline cases, sees the inbox
OFFICER = "officer"  # department officer: only their own department's cases
SUPERVISOR = "supervisor"  # complaint supervisor / working group: all general complaints
INTEGRITY = "integrity"  # integrity officer: the corruption channel only
CUSTODIAN = "custodian"  # approves identity reveals in the corruption channel
EXECUTIVE = "executive"  # read-only dashboards and reports
SYSADMIN = "sysadmin"  # users, departments, categories, deadlines, holidays; no case contents

ROLES = {
    CLERK: _l("Intake clerk"),
    OFFICER: _l("Department officer"),
    SUPERVISOR: _l("Complaint supervisor (working group)"),
    INTEGRITY: _l("Integrity officer"),
    CUSTODIAN: _l("Identity custodian"),
    EXECUTIVE: _l("Executive (read-only)"),
    SYSADMIN: _l("System administrator"),
}
