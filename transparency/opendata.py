"""Open data (/opendata/): the published figures and the public list of general complaints as
CSV and JSON, and the datapackage.json (Frictionless Data) that describes them for CKAN."""

from __future__ import annotations

import json

from flask import (
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from casework.dates import clock
from casework.publishing import caselist, opendata
from casework.publishing import stats as published_stats
from rongrian.tenancy import current_org
from transparency import bp, published

CSV = "text/csv; charset=utf-8"


def _fiscal_year() -> int | None:
    """``?fiscal_year=`` for the public list (none: every year), checked like /stats'."""
    asked = request.args.get("fiscal_year")
    if asked is None:
        return None
    return published_stats.period_asked(asked, None, clock.today()).fiscal_year


def _listed() -> None:
    if not current_org().publish_case_list:
        abort(404)


def _download(body, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: any portal may read it
    return response


@bp.get("/opendata/")
def opendata_index():
    org = current_org()
    return render_template("transparency/opendata.html", org=org)


@bp.get("/opendata/stats.json")
def opendata_stats_json():
    found = published.asked()
    response = jsonify(published_stats.as_dict(found))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/opendata/stats.csv")
def opendata_stats_csv():
    found = published.asked()
    lines = opendata.csv_lines(opendata.STATS_FIELDS, opendata.stats_rows(found))
    name = f"stats-{found.period.fiscal_year}-{found.period.code}.csv"
    return _download("".join(lines), CSV, name)


@bp.get("/opendata/cases.csv")
def opendata_cases_csv():
    _listed()
    year = _fiscal_year()
    org = current_org()
    rows = (opendata.case_row(c) for c in caselist.stream(org, year))
    body = stream_with_context(opendata.csv_lines(opendata.CASE_FIELDS, rows))
    return _download(body, CSV, f"cases-{year or 'all'}.csv")


@bp.get("/opendata/cases.json")
def opendata_cases_json():
    _listed()
    year = _fiscal_year()
    org = current_org()

    def body():
        yield '{"cases": ['
        for index, case in enumerate(caselist.stream(org, year)):
            yield ("," if index else "") + json.dumps(opendata.case_row(case), ensure_ascii=False)
        yield "]}"

    return _download(stream_with_context(body()), "application/json", f"cases-{year or 'all'}.json")


@bp.get("/opendata/datapackage.json")
def opendata_package():
    org = current_org()
    year = _fiscal_year() or published_stats.period_asked(None, None, clock.today()).fiscal_year
    resources = {
        "statistics": url_for(
            "transparency.opendata_stats_csv", fiscal_year=year, period="year", _external=True
        )
    }
    if org.publish_case_list:
        resources["cases"] = url_for(
            "transparency.opendata_cases_csv", fiscal_year=year, _external=True
        )
    package = opendata.datapackage(
        name=f"rongrian-{org.slug}-{year}",
        title=(
            f"สถิติเรื่องร้องเรียน {org.name_th} ปีงบประมาณ พ.ศ. {year} / "
            f"Complaint statistics, {org.name_en}, fiscal year {year}"
        ),
        homepage=url_for("transparency.stats", _external=True),
        license_name=current_app.config["OPEN_DATA_LICENSE"],
        resources=resources,
    )
    response = jsonify(package)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
