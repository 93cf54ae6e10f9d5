"""The executive summary report (รายงานสรุปผลการจัดการเรื่องร้องเรียน) for a half or a whole
fiscal year: the published figures of both channels with what the working group writes about
problems, obstacles and solutions, as the plans ask (send it to the executive and publish it).

A supervisor drafts it; the executive approves it, which freezes the figures as they stand that
day and publishes it at a stable address. An approved report is never edited or withdrawn, so
earlier reports stay published.

Staff write their sections in Markdown (paragraphs, lists, bold, links). The HTML rendered from
it is cleaned with nh3 against a short list of tags, attributes and URL schemes before it is
shown anywhere: nothing a staff member types can put a script on the public site.
"""

from __future__ import annotations

import nh3
from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from sqlalchemy import select

from casework import audit
from casework.cases.errors import FieldErrors
from casework.dates import clock, periods
from casework.extensions import db
from casework.models import Organization, SummaryReport, User
from casework.publishing import stats as published_stats

PERIODS = ("h1", "h2", "year")  # six or twelve months
SECTIONS = ("problems", "obstacles", "solutions")
SECTION_LIMIT = 20_000
DRAFT, APPROVED = "draft", "approved"

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# CommonMark with raw HTML off; tables, images and the rest are not asked for.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


class SummaryError(FieldErrors):
    """A summary report that cannot be saved or approved as asked."""


def render(text: str) -> str:
    """Staff Markdown as HTML fit for the public site: rendered, then cleaned with nh3."""
    html = _markdown.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def slug(report: SummaryReport) -> str:
    return f"{report.fiscal_year}-{report.period}"


def period_of(report: SummaryReport) -> periods.Period:
    return periods.period(report.fiscal_year, report.period)


def find(org: Organization, fiscal_year: int, period: str) -> SummaryReport | None:
    return db.session.scalar(
        select(SummaryReport).filter_by(
            organization_id=org.id, fiscal_year=fiscal_year, period=period
        )
    )


def all_reports(org: Organization, *, approved_only: bool = False) -> list[SummaryReport]:
    query = select(SummaryReport).filter_by(organization_id=org.id)
    if approved_only:
        query = query.filter_by(status=APPROVED)
    order = (SummaryReport.fiscal_year.desc(), SummaryReport.period.desc())
    return list(db.session.scalars(query.order_by(*order)))


def _check(fiscal_year, period: str, texts: dict[str, str]) -> int:
    problems: dict[str, object] = {}
    try:
        year = int(fiscal_year)
        periods.parse(str(year), period, clock.today())
    except (TypeError, ValueError):
        problems["fiscal_year"] = _l("Choose a fiscal year up to the current one.")
        year = 0
    if period not in PERIODS:
        problems["period"] = _l("Choose the first half, the second half or the whole year.")
    for name in SECTIONS:
        if len(texts.get(name) or "") > SECTION_LIMIT:
            problems[name] = _l("At most %(n)d characters.", n=SECTION_LIMIT)
    if not any((texts.get(name) or "").strip() for name in SECTIONS):
        problems["problems"] = _l("Write at least one section.")
    if problems:
        raise SummaryError(problems)
    return year


def save_draft(
    org: Organization, actor: User, fiscal_year, period: str, texts: dict[str, str]
) -> SummaryReport:
    """Create or update the draft of (fiscal year, period). Commits; SummaryError if the
    period is not one of PERIODS or its report is already approved."""
    year = _check(fiscal_year, period, texts)
    report = find(org, year, period)
    if report is not None and report.status == APPROVED:
        raise SummaryError(
            {"period": _l("The report for this period is approved and published already.")}
        )
    if report is None:
        report = SummaryReport(organization_id=org.id, fiscal_year=year, period=period)
        db.session.add(report)
    for name in SECTIONS:
        setattr(report, name, (texts.get(name) or "").strip())
    report.drafted_by = actor.id
    report.drafted_at = clock.utcnow()
    db.session.flush()
    audit.record(org.id, "summary.draft", actor_id=actor.id, target=slug(report))
    db.session.commit()
    return report


def approve(report: SummaryReport, actor: User, *, k: int, min_sample: int) -> None:
    """Approve and publish: the figures are frozen as they stand today. Commits."""
    if report.status == APPROVED:
        raise SummaryError({"status": _l("This report is approved already.")})
    org = db.session.get(Organization, report.organization_id)
    today = clock.today()
    figures = published_stats.published(org, period_of(report), today, k=k, min_sample=min_sample)
    report.figures = published_stats.as_dict(figures)
    report.status = APPROVED
    report.approved_by = actor.id
    report.approved_at = clock.utcnow()
    audit.record(org.id, "summary.approve", actor_id=actor.id, target=slug(report))
    db.session.commit()
