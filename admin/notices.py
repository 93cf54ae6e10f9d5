"""Printable A4 letters: acknowledgement, explanation of a delay, result (Thai official style).

The addressee's name and address are decrypted for the letter, so each print is audited.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from admin import bp
from admin.guard import case_or_404
from casework.dates import thaidate
from casework.general import notices


@bp.get("/cases/<int:case_id>/notices/<kind>")
def notice(case_id: int, kind: str):
    case = case_or_404(case_id, "case.notice")
    if kind not in notices.KINDS:
        abort(404)
    try:
        letter = notices.print_letter(case, kind, current_user)
    except notices.NoticeUnavailable:
        abort(404)
    return render_template(
        f"admin/notices/{kind}.html",
        letter=letter,
        thai_date=lambda d: thaidate.format_date(d, "th") if d else "",
    )
