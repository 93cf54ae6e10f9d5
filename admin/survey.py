"""Satisfaction surveys in the back office: staff record the answers a complainant gave by
phone or on paper; the system administrator sets the questions."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.guard import case_or_404, require
from casework.general import survey
from rongrian.tenancy import current_org


@bp.route("/cases/<int:case_id>/survey", methods=["GET", "POST"])
def case_survey(case_id: int):
    case = case_or_404(case_id, "survey.record")
    org = current_org()
    errors, status = {}, 200
    if request.method == "POST":
        answers = {q.code: request.form.get(f"q_{q.code}", "") for q in survey.questions(org)}
        try:
            survey.record(case, current_user, request.form.get("source", ""), answers)
        except survey.SurveyError as error:
            errors, status = error.fields, 400
        else:
            flash(_("The survey answers are recorded."), "success")
            return redirect(url_for("admin.case_view", case_id=case.id))
    return (
        render_template(
            "admin/survey.html",
            case=case,
            questions=survey.questions(org),
            errors=errors,
            form=request.form,
        ),
        status,
    )


@bp.route("/survey-questions", methods=["GET", "POST"])
@require("admin.settings")
def survey_questions():
    org = current_org()
    text, error, status = survey.as_text(survey.questions(org)), None, 200
    if request.method == "POST":
        text = request.form.get("questions", "")
        try:
            survey.set_questions(org, current_user, text)
        except survey.SurveyError as refused:
            error, status = refused.fields.get("questions"), 400
        else:
            flash(_("Saved. New survey answers use these questions."), "success")
            return redirect(url_for("admin.survey_questions"))
    return render_template("admin/survey_questions.html", text=text, error=error), status
