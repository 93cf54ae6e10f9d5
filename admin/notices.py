"""Printable A4 letters: acknowledgement, explanation of a delay, result (Thai official style).

The addressee's name and address are decrypted for the letter, so each print is audited.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from admin import bp
from admin.guard import case_or_404
from casework import audit
from casework.cases import identity
from casework.dates import thaidate
from casework.extensions import db
from casework.general import access, notices


@bp.get("/cases/<int:case_id>/notices/<kind>")
def notice(case_id: int, kind: str):
    case = case_or_404(case_id, "case.notice")
    if kind not in notices.KINDS:
        abort(404)
    with_address = access.can(current_user, "case.identity", case)
    reporter = identity.reveal(case) if with_address else {}
    try:
        letter = notices.build(case, kind, reporter)
    except notices.NoticeUnavailable:
        abort(404)
    audit.record(
        case.organization_id,
        "notice.print",
        actor_id=current_user.id,
        case=case,
        target=kind,
        data={"identity": bool(reporter)},
    )
    db.session.commit()
    return render_template(
        f"admin/notices/{kind}.html",
        letter=letter,
        thai_date=lambda d: thaidate.format_date(d, "th") if d else "",
    )
