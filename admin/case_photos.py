"""Officers' "after" photos on a case: with a public update, or added to the result
(casework.general.workflow.after_photos). The form is a panel of the case page."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.guard import case_or_404
from casework.cases import attachments
from casework.general import workflow


@bp.post("/cases/<int:case_id>/photos")
def case_photos(case_id: int):
    case = case_or_404(case_id, "case.work")
    uploads = attachments.from_file_storage(request.files.getlist("photos"))
    try:
        workflow.after_photos(
            case,
            current_user,
            uploads,
            request.form.get("photos-body", ""),
            public=request.form.get("photos-public") == "y",
        )
    except workflow.WorkflowError as error:
        for message in error.fields.values():
            flash(str(message), "error")
        flash(_("Nothing was added: choose the photos again."), "error")
        return redirect(url_for("admin.case_view", case_id=case.id, _anchor="after-photos"))
    flash(_("Photos added."), "success")
    return redirect(url_for("admin.case_view", case_id=case.id, _anchor="after-photos"))
