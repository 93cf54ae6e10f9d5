"""The published pages: /stats (both channels' figures for a period, ITA evidence with stable
URLs such as /stats?fiscal_year=2570&period=q1)."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _

from casework.dates import clock, periods
from casework.dates.thaidate import fiscal_year_label, format_date
from casework.publishing import manuals, summaries
from casework.publishing.stats import ChannelStats, Stats, published_years
from rongrian.i18n import current_locale
from rongrian.tenancy import current_org
from transparency import bp, charts, published

CHANNEL_TITLES = {
    "complaint": lambda: _("General complaints and grievances"),
    "tip": lambda: _("Complaints about corruption and misconduct"),
}


def _part_chart(stats: Stats, channel: str) -> charts.Chart | None:
    rows = next(iter(stats.parts.values()), None)  # the finest parts: months
    if not rows:
        return None
    locale = current_locale()
    return charts.bars(
        f"chart-{channel}-months",
        _("%(channel)s by month received", channel=CHANNEL_TITLES[channel]()),
        _(
            "Bars of cases received each month, split into completed and in progress; the "
            "table below gives the same numbers."
        ),
        [
            (
                p.label(locale),
                [
                    (sums[channel].completed, "seg-completed"),
                    (sums[channel].in_progress, "seg-open"),
                ],
                str(sums[channel].received),
            )
            for p, sums in rows
        ],
        [("seg-completed", _("Completed")), ("seg-open", _("In progress"))],
    )


def _category_chart(stats: Stats, figures: ChannelStats) -> charts.Chart:
    locale = current_locale()
    rows = []
    for row in figures.by_category:
        name = row.name_en if locale == "en" and row.name_en else row.name_th
        if row.counts is not None:
            segments = [
                (row.counts.completed, "seg-completed"),
                (row.counts.in_progress, "seg-open"),
            ]
        else:
            segments = [(row.received.value, "seg-received")]
        rows.append((name, segments, row.received.shown(stats.k)))
    legend = (
        [("seg-received", _("Received"))]
        if figures.suppressed
        else [("seg-completed", _("Completed")), ("seg-open", _("In progress"))]
    )
    return charts.bars(
        f"chart-{figures.channel}-categories",
        _("%(channel)s by category", channel=CHANNEL_TITLES[figures.channel]()),
        _("Bars of cases received in each category; the table below gives the same numbers."),
        rows,
        legend,
    )


@bp.context_processor
def _labels() -> dict:
    return {
        "fiscal_year_label": lambda fy: fiscal_year_label(fy, current_locale()),
        "period_label": lambda report: summaries.period_of(report).label(current_locale()),
    }


@bp.get("/stats")
def stats():
    found = published.asked()
    charts_of = {
        channel: {
            "parts": _part_chart(found, channel),
            "categories": _category_chart(found, figures),
        }
        for channel, figures in found.channels.items()
    }
    return render_template(
        "transparency/stats.html",
        stats=found,
        years=published_years(current_org(), clock.today()),
        nav=[
            (code, _short(periods.period(found.period.fiscal_year, code))) for code in periods.CODES
        ],
        charts=charts_of,
        titles={ch: title() for ch, title in CHANNEL_TITLES.items()},
    )


def _short(period: periods.Period) -> str:
    """The period's name in the period picker: "Whole year", "Q1", "Oct 2569"."""
    code = period.code
    if code == periods.YEAR:
        return _("Whole year")
    if code in periods.HALVES:
        return _("First half") if code == "h1" else _("Second half")
    if code in periods.QUARTERS:
        return _("Quarter %(n)d", n=int(code[1]))
    return format_date(period.first, current_locale(), "short").split(" ", 1)[1]


MANUALS = {"complaints": "complaint", "corruption": "tip"}


@bp.get("/manuals/<channel>")
def manual(channel: str):
    """The handling manual of one channel, generated from the configuration; prints on A4."""
    if channel not in MANUALS:
        abort(404)
    org = current_org()
    return render_template(
        f"transparency/manual_{MANUALS[channel]}.html",
        manual=manuals.manual(org, MANUALS[channel]),
        org=org,
        today=clock.today(),
    )


@bp.get("/reports")
def summary_reports():
    """The executive summary reports approved so far, newest first."""
    org = current_org()
    return render_template(
        "transparency/summaries.html", reports=summaries.all_reports(org, approved_only=True)
    )


@bp.get("/reports/<int:fiscal_year>-<period>")
def summary_report(fiscal_year: int, period: str):
    """One approved report at its stable address; prints on A4."""
    org = current_org()
    report = summaries.find(org, fiscal_year, period) if period in summaries.PERIODS else None
    if report is None or report.status != summaries.APPROVED:
        abort(404)
    return render_template(
        "transparency/summary.html",
        org=org,
        report=report,
        label=summaries.period_of(report).label(current_locale()),
        figures=report.figures,
        sections={name: summaries.render(getattr(report, name)) for name in summaries.SECTIONS},
    )
