"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) for general complaints at
/open311/v2/: discovery, services, service definitions, GET and POST requests and
requests/{id}, each as .json or .xml, field by field as the specification lists them, so that
existing Open311 clients work unchanged. Errors are the specification's list of
``{code, description}``. The rules live in casework.publishing.open311."""

from __future__ import annotations

from datetime import datetime, time
from xml.etree import ElementTree as ET  # noqa: S405 - we only build XML, never parse it

from flask import Blueprint, Response, jsonify, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from casework.cases import lifecycle
from casework.cases.errors import FieldErrors
from casework.dates import clock
from casework.dates.thaidate import BANGKOK, format_date, to_local
from casework.models import Category
from casework.publishing import caselist, open311
from rongrian import ratelimits
from rongrian.i18n import current_locale, localized
from rongrian.tenancy import current_org

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

FMT = "<any(json,xml):response_format>"
# The specification's fields, in its order (tests check every answer against these lists).
SERVICE_FIELDS = (
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
)
ATTRIBUTE_FIELDS = (
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
)
REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)
POSTED_FIELDS = ("service_request_id", "service_notice", "account_id")
# XML: the element of a list and of each of its items.
XML_NAMES = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
    "attributes": ("attributes", "attribute"),
    "values": ("values", "value"),
    "endpoints": ("endpoints", "endpoint"),
    "formats": ("formats", "format"),
}


def _w3c(moment: datetime) -> str:
    return to_local(moment).isoformat(timespec="seconds")


def _xml_value(parent: ET.Element, value) -> None:
    if isinstance(value, bool):
        parent.text = "true" if value else "false"
    elif value is not None:
        parent.text = str(value)


def _xml(element: ET.Element, node, kind: str | None = None) -> ET.Element:
    """Fill ``element`` from dicts and lists; a list's items are named by XML_NAMES[kind]."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, list):
                wrapper, _item = XML_NAMES[key]
                _xml(ET.SubElement(element, wrapper), value, key)
            else:
                _xml(ET.SubElement(element, key), value)
    elif isinstance(node, list):
        item = XML_NAMES[kind][1]
        for value in node:
            _xml(ET.SubElement(element, item), value)
    else:
        _xml_value(element, node)
    return element


def answer(response_format: str, body, root: str, status: int = 200) -> Response:
    """``body`` as JSON, or as XML under ``root`` (a list's root names its items:
    XML_NAMES)."""
    if response_format == "json":
        response = jsonify(body)
    else:
        element = ET.Element(XML_NAMES[root][0] if root in XML_NAMES else root)
        xml = ET.tostring(_xml(element, body, root), encoding="unicode")
        response = Response('<?xml version="1.0" encoding="utf-8"?>\n' + xml, mimetype="text/xml")
    response.status_code = status
    return response


def _fmt() -> str:
    fmt = (request.view_args or {}).get("response_format")
    return fmt if fmt in ("json", "xml") else "json"


def _errors(status: int, problems: list[str]) -> Response:
    body = [{"code": status, "description": text} for text in problems]
    return answer(_fmt(), body, "errors", status)


@bp.errorhandler(FieldErrors)
def _refused(error: FieldErrors):
    problems = [f"{name}: {text}" for name, text in error.fields.items()] or [error.message]
    return _errors(error.status, problems)


@bp.errorhandler(HTTPException)
def _http(error: HTTPException):
    return _errors(error.code or 500, [error.description or error.name])


def _jurisdiction() -> None:
    asked = request.values.get("jurisdiction_id")
    if asked and asked != current_org().slug:
        raise open311.Open311Error(
            {"jurisdiction_id": _("This endpoint serves %(slug)s only.", slug=current_org().slug)},
            status=404,
        )


def _service(category: Category) -> dict:
    values = {
        "service_code": category.code,
        "service_name": localized(category),
        "description": _(
            "Answered within %(n)d days by %(unit)s.",
            n=category.sla_days,
            unit=localized(category.department) or _("the complaint centre"),
        ),
        "metadata": True,
        "type": "realtime",
        "keywords": category.code.replace("_", " "),
        "group": _("General complaints"),
    }
    return {name: values[name] for name in SERVICE_FIELDS}


def _request(case: caselist.PublicCase) -> dict:
    notes = lifecycle.status_label(caselist.CHANNEL, case.status)
    outcome = lifecycle.outcome_label(caselist.CHANNEL, case.outcome)
    english = current_locale() == "en"
    values = {
        "service_request_id": open311.request_id(case.case_number),
        "status": open311.status_of(case),
        "status_notes": f"{notes}: {outcome}" if outcome else notes,
        "service_name": (case.category_en if english else "") or case.category_th,
        "service_code": case.category,
        "description": "",  # what people wrote is never published
        "agency_responsible": (case.department_en if english else "") or case.department_th,
        "service_notice": "",
        "requested_datetime": _w3c(case.received_at),
        "updated_datetime": _w3c(case.updated_at),
        "expected_datetime": datetime.combine(case.due_on, time(23, 59, 59), BANGKOK).isoformat(),
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": case.lat,
        "long": case.lng,
        "media_url": "",
    }
    return {name: values[name] for name in REQUEST_FIELDS}


@bp.get(f"/discovery.{FMT}")
def discovery(response_format: str):
    org = current_org()
    changeset = _w3c(org.created_at or clock.utcnow())
    body = {
        "changeset": changeset,
        "contact": ", ".join(filter(None, (localized(org), org.phone, org.email))),
        "key_service": _(
            "Ask %(org)s's system administrator for an api_key; it is needed to POST requests.",
            org=localized(org),
        ),
        "endpoints": [
            {
                "specification": open311.SPECIFICATION,
                "url": url_for(
                    "open311.discovery", response_format=response_format, _external=True
                ).rsplit("/", 1)[0],
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return answer(response_format, body, "discovery")


@bp.get(f"/services.{FMT}")
def services(response_format: str):
    _jurisdiction()
    return answer(
        response_format, [_service(c) for c in open311.services(current_org())], "services"
    )


@bp.get(f"/services/<code>.{FMT}")
def service_definition(code: str, response_format: str):
    _jurisdiction()
    category = open311.service(current_org(), code)
    kinds = [
        ("complaint", _("Complaint: something is wrong and should be put right")),
        ("grievance", _("Grievance: you have been treated unfairly or suffer hardship")),
        ("suggestion", _("Suggestion: an idea to improve a service")),
    ]
    body = {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": open311.KIND_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("One of the keys listed; complaint when left out."),
                "order": 1,
                "description": _("What kind of case is this?"),
                "values": [{"key": key, "name": name} for key, name in kinds],
            },
            {
                "variable": True,
                "code": open311.TITLE_ATTRIBUTE,
                "datatype": "string",
                "required": False,
                "datatype_description": _(
                    "At most %(n)d characters: %(titles)s, or another title. Kept sealed with "
                    "the name, never published.",
                    n=open311.TITLE_LIMIT,
                    titles=", ".join(open311.TITLES),
                ),
                "order": 2,
                "description": _("Title of the person filing (before the first name)"),
                "values": [],
            },
        ],
    }
    return answer(response_format, body, "service_definition")


def _listed(name: str) -> list[str] | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    return [part.strip() for part in raw.split(",") if part.strip()]


def _moment(name: str) -> datetime | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip().replace(" ", "+"))
    except ValueError:
        raise open311.Open311Error(
            {name: _("Use a W3C date and time, e.g. 2026-10-01T00:00:00+07:00.")}
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)


@bp.get(f"/requests.{FMT}")
def requests_(response_format: str):
    _jurisdiction()
    statuses = _listed("status")
    if statuses and not set(statuses) <= {open311.OPEN, open311.CLOSED}:
        raise open311.Open311Error({"status": _("Use open, closed or both.")})
    query = open311.Query(
        ids=_listed("service_request_id"),
        codes=_listed("service_code"),
        start=_moment("start_date"),
        end=_moment("end_date"),
        statuses=statuses,
    )
    found = open311.find(current_org(), query)
    return answer(response_format, [_request(c) for c in found], "requests")


@bp.get(f"/requests/<service_request_id>.{FMT}")
def request_one(service_request_id: str, response_format: str):
    _jurisdiction()
    found = open311.find(current_org(), open311.Query(ids=[service_request_id]))
    if not found:
        raise open311.Open311Error({"service_request_id": _("No such request.")}, status=404)
    return answer(response_format, [_request(found[0])], "requests")


@bp.post(f"/requests.{FMT}")
@ratelimits.open311_submissions
def post_request(response_format: str):
    _jurisdiction()
    org = current_org()
    filed = open311.submit(org, request.form.get("api_key"), request.form.to_dict())
    case = filed.case
    notice = _(
        "Received as case %(number)s; an answer is due by %(date)s.",
        number=case.case_number,
        date=format_date(case.due_date, current_locale()),
    )
    body = [
        {
            "service_request_id": open311.request_id(case.case_number),
            "service_notice": notice,
            "account_id": None,
        }
    ]
    return answer(response_format, body, "requests")
