"""The executive summary report in the back office: the working group (supervisor) drafts it,
the executive reviews and approves it, and it is then published at /reports/<year>-<period>."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from admin import bp
from admin.guard import require
from casework.dates import clock
from casework.general import access
from casework.publishing import stats as published_stats
from casework.publishing import summaries
from rongrian.i18n import current_locale
from rongrian.tenancy import current_org


def _report_or_404(fiscal_year: int, period: str):
    report = summaries.find(current_org(), fiscal_year, period)
    if report is None:
        abort(404)
    return report


def _page(report=None, errors=None, texts=None, status=200):
    org = current_org()
    figures = None
    if report is not None:
        figures = report.figures or published_stats.as_dict(
            published_stats.published(
                org,
                summaries.period_of(report),
                clock.today(),
                k=current_app.config["PUBLISH_K"],
                min_sample=current_app.config["PUBLISH_MIN_SAMPLE"],
            )
        )
    texts = texts or {name: getattr(report, name, "") for name in summaries.SECTIONS}
    return (
        render_template(
            "admin/summaries.html",
            reports=summaries.all_reports(org),
            report=report,
            figures=figures,
            sections={name: summaries.render(texts.get(name, "")) for name in summaries.SECTIONS},
            texts=texts,
            errors=errors or {},
            periods=summaries.PERIODS,
            years=published_stats.recent_years(clock.today()),
            may_draft=access.can(current_user, "summary.draft"),
            may_approve=access.can(current_user, "summary.approve"),
            label=lambda r: summaries.period_of(r).label(current_locale()),
        ),
        status,
    )


@bp.route("/summaries", methods=["GET", "POST"])
@require("reports.view")
def summaries_index():
    if request.method == "GET":
        return _page()
    if not access.can(current_user, "summary.draft"):
        abort(403)
    texts = {name: request.form.get(name, "") for name in summaries.SECTIONS}
    try:
        report = summaries.save_draft(
            current_org(),
            current_user,
            request.form.get("fiscal_year"),
            request.form.get("period", ""),
            texts,
        )
    except summaries.SummaryError as error:
        return _page(errors=error.fields, texts=texts, status=400)
    flash(_("Draft saved. The executive can now review and approve it."), "success")
    return redirect(
        url_for("admin.summary_view", fiscal_year=report.fiscal_year, period=report.period)
    )


@bp.get("/summaries/<int:fiscal_year>-<period>")
@require("reports.view")
def summary_view(fiscal_year: int, period: str):
    return _page(_report_or_404(fiscal_year, period))


@bp.post("/summaries/<int:fiscal_year>-<period>/approve")
@require("summary.approve")
def summary_approve(fiscal_year: int, period: str):
    report = _report_or_404(fiscal_year, period)
    try:
        summaries.approve(
            report,
            current_user,
            k=current_app.config["PUBLISH_K"],
            min_sample=current_app.config["PUBLISH_MIN_SAMPLE"],
        )
    except summaries.SummaryError as error:
        flash(next(iter(error.fields.values())), "error")
    else:
        flash(_("Approved and published."), "success")
    return redirect(url_for("admin.summary_view", fiscal_year=fiscal_year, period=period))
