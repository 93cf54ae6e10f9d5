"""Case-list exports for the working group: CSV (UTF-8 with BOM, so Excel reads Thai) and XLSX.

Identity columns are included only for roles allowed to export them (``export.identity``);
every export is audited, noting whether identity was included (``export``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

from flask_babel import force_locale

from casework import audit
from casework.cases import identity, lifecycle, sla
from casework.dates import clock, thaidate
from casework.dates.thaidate import local_date
from casework.extensions import db, transaction
from casework.general import access, queries
from casework.models import Case, Organization, User

BASE_COLUMNS = (
    ("case_number", "เลขที่รับเรื่อง"),
    ("received_on", "วันที่รับเรื่อง"),
    ("received_via", "ช่องทางที่รับเรื่อง"),
    ("kind", "ลักษณะเรื่อง"),
    ("category", "ประเภทเรื่อง"),
    ("department", "ส่วนงานที่รับผิดชอบ"),
    ("subject", "เรื่อง"),
    ("status", "สถานะ"),
    ("due_date", "กำหนดแล้วเสร็จ"),
    ("original_due_date", "กำหนดเดิม"),
    ("due_state", "สถานะกำหนดเวลา"),
    ("forwarded_to", "ส่งต่อหน่วยงาน"),
    ("forwarded_reference", "เลขที่อ้างอิงหน่วยงานภายนอก"),
    ("completed_on", "วันที่แล้วเสร็จ"),
    ("outcome", "ผลการดำเนินการ"),
    ("rating", "ความพึงพอใจ (1-5)"),
)
IDENTITY_COLUMNS = (
    ("title", "คำนำหน้าชื่อ"),
    ("name", "ชื่อผู้ร้องเรียน"),
    ("phone", "โทรศัพท์"),
    ("email", "อีเมล"),
    ("address", "ที่อยู่"),
)


# Values are written in Thai, like the headers (the files go to Thai offices and reports).
RECEIVED_VIA_TH = {
    "web": "เว็บไซต์",
    "line": "LINE",
    "phone": "โทรศัพท์",
    "letter": "หนังสือ/จดหมาย",
    "walk_in": "ยื่นด้วยตนเอง",
    "complaint_box": "ตู้รับเรื่องร้องเรียน",
    "facebook": "Facebook",
    "email": "อีเมล",
    "open311": "แอปพลิเคชัน (Open311)",
    "other": "อื่น ๆ",
}
KINDS_TH = {"complaint": "ร้องเรียน", "grievance": "ร้องทุกข์", "suggestion": "ข้อเสนอแนะ"}
DUE_TH = {
    sla.ON_TIME: "อยู่ในกำหนด",
    sla.DUE_SOON: "ใกล้ครบกำหนด",
    sla.OVERDUE: "เกินกำหนด",
    sla.PAUSED: "รอข้อมูลจากผู้ร้องเรียน",
    sla.DONE: "ดำเนินการแล้วเสร็จ",
}


DATE_COLUMNS = frozenset({"received_on", "due_date", "original_due_date", "completed_on"})
# Excel's format for a date shown in the Buddhist Era (calendar 07, Thai): the cell holds a
# real date, so the column sorts and filters as dates, and reads 08/04/2570.
BE_DATE_FORMAT = "[$-107041E]dd/mm/yyyy"


def _date(value) -> str:
    """A B.E. date as Thai offices write it in tables: 08/04/2570."""
    return thaidate.format_date(value, "th", "numeric") if value else ""


def file_name(org_today: date, fmt: str, *, with_identity: bool) -> str:
    """``cases-2570-04-08.xlsx``, or ``cases-with-contact-details-2570-04-08.xlsx``: the name
    says when (in B.E.) and whether the file holds personal data."""
    kind = "cases-with-contact-details" if with_identity else "cases"
    when = f"{thaidate.be_year(org_today)}-{org_today.month:02d}-{org_today.day:02d}"
    return f"{kind}-{when}.{fmt}"


def columns(with_identity: bool) -> list[tuple[str, str]]:
    return list(BASE_COLUMNS) + (list(IDENTITY_COLUMNS) if with_identity else [])


def rows(cases: Iterable[Case], with_identity: bool) -> Iterable[dict]:
    today = clock.today()
    orgs: dict[int, Organization] = {}
    for case in cases:
        org = orgs.get(case.organization_id) or db.session.get(Organization, case.organization_id)
        orgs[org.id] = org
        with force_locale("th"):
            status = lifecycle.status_label(case.channel, case.status)
            outcome = lifecycle.outcome_label(case.channel, case.outcome)
        row = {
            "case_number": case.case_number,
            "received_on": local_date(case.received_at),
            "received_via": RECEIVED_VIA_TH.get(case.received_via, case.received_via),
            "kind": KINDS_TH.get(case.kind, case.kind),
            "category": case.category.name_th,
            "department": case.department.name_th if case.department else "",
            "subject": case.subject,
            "status": status,
            "due_date": case.due_date,
            "original_due_date": case.original_due_date,
            "due_state": DUE_TH[sla.due_state(case, org, today)],
            "forwarded_to": case.forwarded_name or "",
            "forwarded_reference": case.forwarded_reference or "",
            "completed_on": local_date(case.completed_at) if case.completed_at else None,
            "outcome": outcome,
            "rating": case.rating if case.rating is not None else "",
        }
        if with_identity:
            who = identity.reveal(case)
            row.update({k: who.get(k, "") for k, _ in IDENTITY_COLUMNS})
        yield row


def _safe(value):
    """Neutralise spreadsheet formulas typed by citizens (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(cases: Iterable[Case], with_identity: bool) -> bytes:
    cols = columns(with_identity)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in cols])
    for row in rows(cases, with_identity):
        writer.writerow(
            [_date(row[key]) if key in DATE_COLUMNS else _safe(row[key]) for key, _ in cols]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(cases: Iterable[Case], with_identity: bool) -> bytes:
    # openpyxl (~12 MB) is loaded on the first XLSX export, not in every worker at boot.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    cols = columns(with_identity)
    book = Workbook()
    sheet = book.active
    sheet.title = "เรื่องร้องเรียน"
    sheet.append([label for _, label in cols])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(cases, with_identity):
        sheet.append([_safe(row[key]) for key, _ in cols])
    for index, (key, _) in enumerate(cols, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 40 if key == "subject" else 18
        if key in DATE_COLUMNS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = BE_DATE_FORMAT
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FORMATS = {"csv": to_csv, "xlsx": to_xlsx}


def filters_used(filters: queries.Filters) -> dict:
    """The filters as the audit trail keeps them: a search text may name a complainant, so
    only the fact that there was one is kept."""
    used = {k: v for k, v in vars(filters).items() if v and k != "q"}
    if filters.q:
        used["search"] = True
    return used


def export(
    user: User, org: Organization, filters: queries.Filters, fmt: str, *, with_identity: bool
) -> bytes:
    """The filtered list of the cases ``user`` can reach as a ``fmt`` file (``FORMATS``),
    with the complainants' contact details when asked (the caller checks ``export.identity``).
    Audited. Commits."""
    query = queries.apply(access.visible_cases(user), filters, org).order_by(Case.id)
    cases = db.session.scalars(query).all()
    body = FORMATS[fmt](cases, with_identity)
    with transaction():
        audit.record(
            org.id,
            "export.identity" if with_identity else "export.cases",
            actor_id=user.id,
            target=fmt,
            data={"rows": len(cases), "identity": with_identity, "filters": filters_used(filters)},
        )
    return body
