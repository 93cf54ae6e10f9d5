"""Open data: the published figures and the public list of general complaints as CSV and JSON,
and a Frictionless Data Package (``datapackage.json``) that describes every field, so that a
municipality can load them onto the national open-data portal (CKAN).

The figures' CSV is one long table: one row per channel and breakdown line (total, category,
received via, department, month, quarter, half), the same numbers as /stats and its API, with
the tip channel's small cells left empty and marked in ``suppressed``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from casework.publishing.caselist import PublicCase
from casework.publishing.stats import CHANNELS, Row, Stats

# (name, Frictionless type, description, constraints)
STATS_FIELDS: list[tuple[str, str, str, dict]] = [
    ("fiscal_year", "integer", "Thai fiscal year in B.E. (1 October to 30 September)", {}),
    ("period", "string", "year, h1-h2, q1-q4 or m01-m12 within the fiscal year", {}),
    ("start", "date", "First day of the period (Bangkok)", {}),
    ("end", "date", "Last day of the period (Bangkok)", {}),
    (
        "channel",
        "string",
        "complaint: general complaints; tip: corruption complaints",
        {"enum": list(CHANNELS)},
    ),
    (
        "breakdown",
        "string",
        "What the row counts: the channel's total or one line of a breakdown",
        {"enum": ["total", "category", "received_via", "department", "month", "quarter", "half"]},
    ),
    ("key", "string", "Category, received-via or department code, or the period code", {}),
    ("name_th", "string", "Name in Thai", {}),
    ("name_en", "string", "Name in English", {}),
    ("received", "integer", "Cases received in the period (empty when suppressed)", {}),
    ("completed", "integer", "Of those, completed (empty for tip breakdowns)", {}),
    ("in_progress", "integer", "Of those, not completed yet (empty for tip breakdowns)", {}),
    (
        "suppressed",
        "string",
        "below_k: from 1 to k-1; complementary: hidden so that a below_k "
        "cell cannot be worked out from the total",
        {"enum": ["", "below_k", "complementary"]},
    ),
]

CASE_FIELDS: list[tuple[str, str, str, dict]] = [
    ("case_number", "string", "Case number (fiscal year in B.E. / sequence)", {"required": True}),
    ("category", "string", "Category code", {}),
    ("category_th", "string", "Category in Thai", {}),
    ("category_en", "string", "Category in English", {}),
    ("area_lat", "number", "Latitude of the centre of the grid cell the case is in (WGS 84)", {}),
    ("area_lng", "number", "Longitude of the centre of that grid cell", {}),
    ("received_on", "date", "Day received (Bangkok)", {}),
    ("due_on", "date", "Current deadline", {}),
    ("completed_on", "date", "Day completed, if it is", {}),
    ("status", "string", "Status code", {}),
    (
        "status_group",
        "string",
        "received, in_progress or completed",
        {"enum": ["received", "in_progress", "completed"]},
    ),
    ("outcome", "string", "Why it was closed, once completed", {}),
]


def _names(fields) -> list[str]:
    return [name for name, *_ in fields]


def _line(stats: Stats, channel: str, breakdown: str, key, th: str, en: str, **values) -> dict:
    return {
        "fiscal_year": stats.period.fiscal_year,
        "period": stats.period.code,
        "start": stats.period.first.isoformat(),
        "end": stats.period.last.isoformat(),
        "channel": channel,
        "breakdown": breakdown,
        "key": key or "",
        "name_th": th,
        "name_en": en,
        "received": values.get("received"),
        "completed": values.get("completed"),
        "in_progress": values.get("in_progress"),
        "suppressed": values.get("suppressed") or "",
    }


def _breakdown(stats: Stats, channel: str, name: str, rows: list[Row]) -> Iterator[dict]:
    for row in rows:
        counts = row.counts
        yield _line(
            stats,
            channel,
            name,
            row.code,
            row.name_th,
            row.name_en,
            received=row.received.value,
            completed=counts.completed if counts else None,
            in_progress=counts.in_progress if counts else None,
            suppressed=row.received.suppressed,
        )


def stats_rows(stats: Stats) -> list[dict]:
    rows: list[dict] = []
    parts = {"months": "month", "quarters": "quarter", "halves": "half"}
    for channel in CHANNELS:
        figures = stats.channels[channel]
        t = figures.totals
        rows.append(
            _line(
                stats,
                channel,
                "total",
                stats.period.code,
                stats.period.label("th"),
                stats.period.label("en"),
                received=t.received,
                completed=t.completed,
                in_progress=t.in_progress,
            )
        )
        rows += _breakdown(stats, channel, "category", figures.by_category)
        rows += _breakdown(stats, channel, "received_via", figures.by_received_via)
        rows += _breakdown(stats, channel, "department", figures.by_department)
        for name, lines in stats.parts.items():
            for part, sums in lines:
                c = sums[channel]
                rows.append(
                    _line(
                        stats,
                        channel,
                        parts[name],
                        part.code,
                        part.label("th"),
                        part.label("en"),
                        received=c.received,
                        completed=c.completed,
                        in_progress=c.in_progress,
                    )
                )
    return rows


def case_row(case: PublicCase) -> dict:
    return {
        "case_number": case.case_number,
        "category": case.category,
        "category_th": case.category_th,
        "category_en": case.category_en,
        "area_lat": case.lat,
        "area_lng": case.lng,
        "received_on": case.received_on.isoformat(),
        "due_on": case.due_on.isoformat(),
        "completed_on": case.completed_on.isoformat() if case.completed_on else None,
        "status": case.status,
        "status_group": case.status_bucket,
        "outcome": case.outcome,
    }


def csv_lines(fields, rows: Iterable[dict]) -> Iterator[str]:
    """CSV text (UTF-8, a header row, empty cells for missing values), line by line."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_names(fields), lineterminator="\r\n")
    writer.writeheader()
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        yield buffer.getvalue()


def _schema(fields) -> dict:
    out = []
    for name, kind, description, constraints in fields:
        field: dict = {"name": name, "type": kind, "description": description}
        if kind == "date":
            field["format"] = "%Y-%m-%d"
        if constraints:
            field["constraints"] = constraints
        out.append(field)
    return {"fields": out, "missingValues": [""]}


def datapackage(
    *, name: str, title: str, homepage: str, license_name: str, resources: dict[str, str]
) -> dict:
    """The Data Package describing ``resources`` (``statistics`` and ``cases`` -> their CSV
    URLs)."""
    described = {
        "statistics": (
            STATS_FIELDS,
            "Complaint statistics",
            "Both channels' figures for the fiscal year: received, completed and in progress, "
            "in total and by category, received via, department, month, quarter and half.",
        ),
        "cases": (
            CASE_FIELDS,
            "General complaints",
            "The public list of general complaints taken up by the organization, with no text, "
            "identity or photo, and locations snapped to a grid. Corruption complaints are "
            "never listed.",
        ),
    }
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "homepage": homepage,
        "licenses": [{"name": license_name}],
        "resources": [
            {
                "name": key,
                "title": described[key][1],
                "description": described[key][2],
                "path": url,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": _schema(described[key][0]),
            }
            for key, url in resources.items()
        ],
    }
