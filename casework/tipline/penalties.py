"""The kinds of disciplinary penalty an organization's orders impose: one list per organization,
kept by integrity officers at ``/admin/tips/penalties``, first filled with the usual ones for
local officials (the penalties of the Local Personnel Standards: ภาคทัณฑ์, ตัดเงินเดือน,
ลดขั้นเงินเดือน, ปลดออก, ไล่ออก). A kind in use is never removed, only taken off the list
(``active``). Each change goes to the tips trail. What such a list does is
casework.tipline.labels'."""

from __future__ import annotations

from casework.cases.errors import FieldErrors
from casework.models import PenaltyKind
from casework.tipline import labels
from casework.tipline.labels import NAME_MAX, Settings

__all__ = ["DEFAULTS", "KINDS", "NAME_MAX", "PenaltyError", "Settings"]

DEFAULTS = (
    ("probation", "ภาคทัณฑ์", "Written reprimand (probation)"),
    ("salary_cut", "ตัดเงินเดือน", "Salary cut"),
    ("step_down", "ลดขั้นเงินเดือน", "Salary step reduction"),
    ("discharge", "ปลดออก", "Discharge"),
    ("dismissal", "ไล่ออก", "Dismissal"),
)


class PenaltyError(FieldErrors):
    """A penalty kind that cannot be saved as given."""


KINDS = labels.LabelList(PenaltyKind, DEFAULTS, "penalty_kind", PenaltyError)

seed = KINDS.seed
listing = KINDS.listing
by_code = KINDS.by_code
kind_for = KINDS.kind_for
create = KINDS.create
update = KINDS.update
