"""The OpenAPI 3.1 description of /api/v1. Each channel's paths are listed here, in one place.

The document is exactly as strict as the server: what it allows is filed (or, for a code or
receipt that opens nothing, answered 404); what it refuses is refused with a 4xx naming the
field. tests/rongrian/test_api_schemathesis.py fuzzes the server against it to hold it so.
What depends on the data or the day is written in when the document is served
(:func:`document`): the organization's active category codes, whether a tip may carry a
sealed identity (a custodian key exists), and the dates that are not in the future.
"""

from __future__ import annotations

from datetime import date

from casework.cases import attachments, lifecycle
from casework.cases.contact import EMAIL
from casework.cases.textinput import LIMITS, SHOWS_NOTHING
from casework.cases.values import BE_THRESHOLD, EARLIEST_YEAR
from casework.dates import periods
from casework.dates.thaidate import BE_OFFSET, fiscal_year
from casework.general.intake import TIME, TOKEN
from casework.models.case import COMPLAINT_KINDS
from casework.tipline.filing import (
    ACCUSED_ROLES,
    ANSWER_LIMITS,
    HOW_KNOWN,
    IDENTITY_LIMITS,
    REPORTED_ELSEWHERE,
)

# A character that shows: a letter, digit, punctuation mark or symbol, other than the few of
# those that show nothing (casework.cases.textinput.blank). Text without one is empty.
_NOTHING = "".join(f"\\u{ord(ch):04x}" for ch in sorted(SHOWS_NOTHING))
_SHOWS = r"\p{L}\p{N}\p{P}\p{S}"
VISIBLE = f"(?![{_NOTHING}])[{_SHOWS}]"
# Text without such a character. Said as "no visible character ahead" rather than as a negated
# class: fuzzers approximate \p{L} inside [^...] and would take "ʊ" for blank.
_BLANK = f"(?![\\s\\S]*{VISIBLE})[\\s\\S]*"
_DIGIT = "0-9\u0e50-\u0e59"  # Thai digits count as digits in a phone number
_PHONE = f"[^{_DIGIT}]*(?:[{_DIGIT}][^{_DIGIT}]*){{9,10}}"
_EMAIL = EMAIL.pattern.removeprefix("^").removesuffix("$")


def _text(limit: int, *, required: bool = False, pattern: str | None = None) -> dict:
    """Text of at most ``limit`` characters as sent. A required field must show something;
    an optional one may be absent, null or blank, or else match ``pattern``."""
    if required:
        return {"type": "string", "maxLength": limit, "pattern": VISIBLE}
    field: dict = {"type": ["string", "null"], "maxLength": limit}
    if pattern:
        field["pattern"] = f"^(?:{_BLANK}|\\s*{pattern}\\s*)$"
    return field


def _choice(values) -> dict:
    """One of ``values``; absent, null or "" is the field's default."""
    return {"type": ["string", "null"], "enum": [*values, "", None]}


def _years(low: int, high: int) -> str:
    """A pattern for the years ``low`` to ``high``, a decade at a time."""
    parts, year = [], low
    while year <= high:
        last = min(year // 10 * 10 + 9, high)
        parts.append(f"{year // 10}[{year % 10}-{last % 10}]")
        year = last + 1
    return "|".join(parts)


def _past_date(today: date) -> dict:
    """YYYY-MM-DD, in C.E. or B.E. (a year above 2400), from 1900 to the end of last year; a day
    earlier this year is accepted too, but is not in the pattern (it changes every day). 29
    February is left out of the pattern for the same reason as this year's days: it depends on
    the year."""
    last = today.year - 1
    assert last + BE_OFFSET > BE_THRESHOLD >= last
    years = f"{_years(EARLIEST_YEAR, last)}|{_years(EARLIEST_YEAR + BE_OFFSET, last + BE_OFFSET)}"
    days = "(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|" + (
        "(?:0[13578]|1[02])-31"
    )
    return {
        "type": ["string", "null"],
        "pattern": f"^(?:|(?:{years})-(?:{days}))$",
        "description": "When it happened, YYYY-MM-DD; a year above 2400 is B.E. Not before "
        "1900 and not in the future.",
    }


def _one_of_shows(fields) -> dict:
    """An object where at least one of ``fields`` shows something."""
    return {
        "type": "object",
        "anyOf": [
            {"required": [k], "properties": {k: {"type": "string", "pattern": VISIBLE}}}
            for k in fields
        ],
    }


def _given(name: str, schema: dict) -> dict:
    return {"required": [name], "properties": {name: schema}}


ERROR = {
    "type": "object",
    "required": ["error", "fields"],
    "properties": {
        "error": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
        "error_id": {
            "type": "string",
            "description": "On a 500 only: the id under which the error was logged",
        },
    },
}


def _error_responses(*codes: int) -> dict:
    text = {
        400: "Malformed body or invalid fields",
        403: "Sent by a browser from another website's page (Sec-Fetch-Site cross-site, or an "
        "Origin that is another host or null); fields names the header. Clients that send "
        "neither header are not affected",
        404: "Not found (a wrong code and an unknown code get the same answer)",
        409: "The Idempotency-Key was already used for a different complaint or tip",
        413: "Body or attachment too large",
        415: "Unsupported content type",
        429: "Too many requests",
        431: "A request header is larger than 8 KB (rongrian.security.refuse_large_headers)",
        500: "Something went wrong on the server; error_id names the logged error",
        503: "The database is unreachable (restarting, failing over) or has no room left to "
        "write; nothing was saved. Retry-After says when to try again. A filing whose files "
        "could not be stored names them in fields.attachments",
    }
    return {
        str(c): {
            "description": text[c],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for c in codes
    }


def _body(name: str, *, files: bool = False) -> dict:
    """A JSON body; with ``files``, also multipart/form-data: the same object as a ``payload``
    part (JSON, a field or a file part) and up to 5 ``attachments`` (JPEG, PNG or PDF, 10 MB
    each, that decode; any other part is refused)."""
    ref = {"$ref": f"#/components/schemas/{name}"}
    content: dict = {"application/json": {"schema": ref}}
    if files:
        content["multipart/form-data"] = {
            "schema": {
                "type": "object",
                "required": ["payload"],
                "properties": {
                    "payload": ref,
                    "attachments": {
                        "type": "array",
                        "maxItems": attachments.MAX_FILES,
                        "items": {"type": "string", "format": "binary"},
                    },
                },
            },
            "encoding": {
                "payload": {"contentType": "application/json"},
                "attachments": {"contentType": ", ".join(sorted(attachments.EXTENSIONS))},
            },
        }
    return {"required": True, "content": content}


_REPORTER = {
    "title": _text(LIMITS["title"]),
    "name": _text(LIMITS["name"]),
    "phone": _text(LIMITS["phone"], pattern=_PHONE),
    "email": _text(LIMITS["email"], pattern=_EMAIL),
    "address": _text(LIMITS["address"]),
}


def complaint_in(codes: list[str], today: date) -> dict:
    return {
        "type": "object",
        "required": ["category", "subject", "details"],
        "properties": {
            "category": {
                "type": "string",
                "enum": codes,
                "description": "A code from /categories?channel=complaint",
            },
            "kind": _choice(COMPLAINT_KINDS),
            "subject": _text(LIMITS["subject"], required=True),
            "details": _text(LIMITS["details"], required=True),
            "location": _text(LIMITS["location"]),
            "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
            "lng": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
            "occurred_on": _past_date(today),
            "occurred_time": _text(
                LIMITS["subject"], pattern=TIME.pattern.removeprefix("^").removesuffix("$")
            ),
            "consent": {
                "type": ["boolean", "null"],
                "description": "Required (true) when any reporter field is given",
            },
            "reporter": {"type": ["object", "null"], "properties": _REPORTER},
        },
        "allOf": [
            {  # both coordinates or neither
                "if": _given("lat", {"type": "number"}),
                "then": _given("lng", {"type": "number"}),
            },
            {
                "if": _given("lng", {"type": "number"}),
                "then": _given("lat", {"type": "number"}),
            },
            {
                "if": _given("reporter", _one_of_shows(_REPORTER)),
                "then": _given("consent", {"const": True}),
            },
        ],
    }


FILED = {
    "type": "object",
    "required": ["case_number", "tracking_code", "status", "received_at", "due_at"],
    "additionalProperties": False,
    "properties": {
        "case_number": {"type": "string", "examples": ["2570/000123"]},
        "tracking_code": {
            "type": ["string", "null"],
            "examples": ["7KQ4-M2XD-9HBT-0RZP"],
            "description": "Shown once; null only if a retried request can no longer open it",
        },
        "status": {"type": "string"},
        "received_at": {"type": "string", "format": "date-time"},
        "due_at": {"type": "string", "format": "date"},
    },
}

_DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
TRACKED = {
    "type": "object",
    "required": ["case_number", "status", "due_at", "timeline"],
    "additionalProperties": False,
    "properties": {
        "case_number": {"type": "string"},
        "status": {
            "type": "string",
            "enum": ["received", "in_progress", "awaiting_info", "forwarded", "completed"],
        },
        "status_label": {"type": "string", "description": "In the language asked for"},
        "outcome": {"type": ["string", "null"]},
        "outcome_label": {"type": "string"},
        "received_at": {"type": "string", "format": "date-time"},
        "due_at": {"type": "string", "format": "date", "description": "The current deadline"},
        "original_due_at": {
            **_DATE_OR_NULL,
            "description": "The first deadline, when an explanation of delay moved it",
        },
        "paused": {
            "type": "boolean",
            "description": "The municipality waits for information from the citizen",
        },
        "completed_at": {"type": ["string", "null"], "format": "date-time"},
        "result": {"type": "string", "description": "The result, once completed"},
        "timeline": {
            "type": "array",
            "description": "The public timeline, oldest first; internal notes are never listed",
            "items": {
                "type": "object",
                "required": ["at", "kind", "text"],
                "additionalProperties": False,
                "properties": {
                    "at": {"type": "string", "format": "date-time"},
                    "kind": {
                        "type": "string",
                        "examples": [
                            "received",
                            "status",
                            "public_update",
                            "explanation",
                            "citizen_info",
                        ],
                    },
                    "status": {"type": ["string", "null"]},
                    "text": {"type": "string"},
                    "due_at": {
                        "type": "string",
                        "format": "date",
                        "description": "For an explanation of delay: the new expected date",
                    },
                },
            },
        },
    },
}

CATEGORIES = {
    "type": "object",
    "required": ["categories"],
    "additionalProperties": False,
    "properties": {
        "categories": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name_th", "name_en", "sla_days"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string"},
                    "name_th": {"type": "string"},
                    "name_en": {"type": "string"},
                    "sla_days": {"type": "integer", "minimum": 1},
                },
            },
        }
    },
}

PATHS: dict = {
    "/api/v1/categories": {
        "get": {
            "summary": "Categories of one channel",
            "parameters": [
                {
                    "name": "channel",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["complaint", "tip"]},
                }
            ],
            "responses": {
                "200": {
                    "description": "The active categories",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Categories"}}
                    },
                },
                **_error_responses(400),
            },
        }
    },
    "/api/v1/complaints": {
        "post": {
            "summary": "File a general complaint",
            "description": "JSON, or multipart/form-data with a `payload` JSON part and up to 5 "
            "`attachments` (JPEG, PNG or PDF, 10 MB each). An optional Idempotency-Key header "
            "makes a retried request return the same case.",
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "description": "16 to 128 visible ASCII characters, random per complaint. "
                    "A retry with the same key and the same complaint gets the first receipt "
                    "(200); the same key with a different complaint is refused (409).",
                    "schema": {"type": "string", "pattern": TOKEN.pattern},
                }
            ],
            "requestBody": _body("ComplaintIn", files=True),
            "responses": {
                "201": {
                    "description": "Filed",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Filed"}}
                    },
                },
                "200": {
                    "description": "A retry with the same Idempotency-Key: the first receipt",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Filed"}}
                    },
                },
                **_error_responses(400, 409),
            },
        }
    },
    "/api/v1/track": {
        "post": {
            "summary": "Follow a complaint by its tracking code",
            "requestBody": _body("TrackIn"),
            "responses": {
                "200": {
                    "description": "The case as the citizen sees it",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Tracked"}}
                    },
                },
                **_error_responses(400, 404),
            },
        }
    },
}

SCHEMAS: dict = {
    "Error": ERROR,
    "Filed": FILED,
    "TrackIn": {
        "type": "object",
        "required": ["tracking_code"],
        "properties": {
            "tracking_code": {
                **_text(LIMITS["tracking_code"], required=True),
                "description": "The code on the receipt; a code that opens nothing is 404",
            }
        },
    },
    "Tracked": TRACKED,
    "Categories": CATEGORIES,
}


# The corruption-tip channel (whistleblow.api). Receipts travel only in bodies, never URLs.
_IDENTITY = {
    "title": _text(IDENTITY_LIMITS["title"]),
    "name": _text(IDENTITY_LIMITS["name"]),
    "position": _text(IDENTITY_LIMITS["position"]),
    "phone": _text(IDENTITY_LIMITS["phone"], pattern=_PHONE),
    "email": _text(IDENTITY_LIMITS["email"], pattern=_EMAIL),
    "address": _text(IDENTITY_LIMITS["address"]),
}
_CONFIDENTIAL = _given("confidential", {"const": True})


def tip_in(codes: list[str], today: date, confidential: bool) -> dict:
    answers = {k: _text(ANSWER_LIMITS[k]) for k in ANSWER_LIMITS if not k.startswith("accused")}
    return {
        "type": "object",
        "required": ["category", "what"],
        "properties": {
            **answers,
            "category": {
                "type": "string",
                "enum": codes,
                "description": "A code from /categories?channel=tip",
            },
            "accused": {
                "type": ["object", "null"],
                "properties": {
                    "name": _text(ANSWER_LIMITS["accused_name"]),
                    "position": _text(ANSWER_LIMITS["accused_position"]),
                    "unit": _text(ANSWER_LIMITS["accused_unit"]),
                    "role": _choice(ACCUSED_ROLES),
                },
            },
            "what": _text(ANSWER_LIMITS["what"], required=True),
            "occurred_on": _past_date(today),
            "how_known": _choice(HOW_KNOWN),
            "reported_elsewhere": _choice(REPORTED_ELSEWHERE),
            "confidential": {
                "type": ["boolean", "null"],
                "enum": [True, False, None] if confidential else [False, None],
                "description": "Give an identity, sealed to the identity custodians (default "
                "false: anonymous). Only once a custodian has enrolled a key: until then the "
                "document allows false alone, and true is refused with 400.",
            },
            "consent": {
                "type": ["boolean", "null"],
                "description": "Required (true) when confidential",
            },
            "identity": {"type": ["object", "null"], "properties": _IDENTITY},
        },
        "allOf": [
            {  # an anonymous tip carries no identity at all
                "if": {"not": _CONFIDENTIAL},
                "then": {
                    "properties": {
                        "identity": {
                            "properties": {k: {"pattern": f"^{_BLANK}$"} for k in _IDENTITY}
                        }
                    }
                },
            },
            {  # a confidential one gives a name, a phone or an email, with consent
                "if": _CONFIDENTIAL,
                "then": {
                    "required": ["identity", "consent"],
                    "properties": {
                        "identity": _one_of_shows(("name", "phone", "email")),
                        "consent": {"const": True},
                    },
                },
            },
        ],
    }


_RECEIPT = {
    **_text(LIMITS["tracking_code"], required=True),
    "description": "The 20-symbol receipt shown once at filing; one that opens nothing is 404",
}
_DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
_TIP_STAGES = {
    "type": "array",
    "description": "The stages as the status page shows them (casework.tipline.standing): each "
    "one reached with its day, the current one, and, while the tip is open, those still ahead "
    "(reached_on null). Nobody is named",
    "items": {
        "type": "object",
        "required": ["code", "label", "reached_on", "current"],
        "additionalProperties": False,
        "properties": {
            "code": {"type": "string", "enum": list(lifecycle.TIP_STATES)},
            "label": {"type": "string"},
            "reached_on": _DATE_OR_NULL,
            "current": {"type": "boolean"},
        },
    },
}
_TIP_REFERRED = {
    "type": ["object", "null"],
    "description": "The outside body the tip was referred to, by its institution (never its "
    "reference number or decision), and the day",
    "required": ["body", "referred_on"],
    "additionalProperties": False,
    "properties": {"body": {"type": "string"}, "referred_on": _DATE_OR_NULL},
}
_TIP_STATUS = {
    "type": "object",
    "required": [
        "case_number",
        "status",
        "status_label",
        "outcome",
        "received_on",
        "next_answer_due",
        "identity_accessed_on",
        "stages",
        "referred",
        "closed_on",
        "progress",
        "messages",
    ],
    "additionalProperties": False,
    "properties": {
        "case_number": {"type": "string", "examples": ["T2570/00001"]},
        "status": {"type": "string"},
        "status_label": {"type": "string"},
        "outcome": {"type": ["string", "null"]},
        "received_on": {"type": "string", "format": "date"},
        "next_answer_due": {"type": ["string", "null"], "format": "date"},
        "identity_accessed_on": {"type": "array", "items": {"type": "string", "format": "date"}},
        "stages": _TIP_STAGES,
        "referred": _TIP_REFERRED,
        "closed_on": _DATE_OR_NULL,
        "progress": {
            "type": "array",
            "description": "Public history: received, each stage, explanations of delay (with "
            "the new date), each day the identity was opened; dates only",
            "items": {
                "type": "object",
                "properties": {
                    "on": {"type": "string", "format": "date"},
                    "event": {
                        "type": "string",
                        "enum": ["received", "status", "explanation", "identity_accessed"],
                    },
                    "status": {"type": ["string", "null"]},
                    "text": {"type": "string"},
                    "new_date": {"type": ["string", "null"], "format": "date"},
                },
            },
        },
        "messages": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "from": {"type": "string", "enum": ["tipster", "integrity_officer"]},
                    "on": {"type": "string", "format": "date"},
                    "text": {"type": "string"},
                    "files": {"type": "integer"},
                },
            },
        },
    },
}


def _tip_op(summary: str, body: str, ok: str, schema: str, codes: tuple) -> dict:
    return {
        "post": {
            "summary": summary,
            "requestBody": _body(body, files=body != "ReceiptIn"),
            "responses": {
                ok: {
                    "description": summary,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}
                    },
                },
                **_error_responses(*codes),
            },
        }
    }


PATHS["/api/v1/tips"] = _tip_op(
    "File a corruption tip (JSON, or multipart with a payload part and attachments)",
    "TipIn",
    "201",
    "TipFiled",
    (400, 409),
)
PATHS["/api/v1/tips"]["post"]["parameters"] = [
    {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "16 to 128 visible ASCII characters, random per tip, kept as secret as "
        "the receipt. A retry with the same key and the same answers (a connection that broke "
        "after filing) gets the first receipt and proof again (200); the same key with another "
        "tip is refused (409).",
        "schema": {"type": "string", "pattern": TOKEN.pattern},
    }
]
PATHS["/api/v1/tips"]["post"]["responses"]["200"] = {
    "description": "A retry with the same Idempotency-Key: the first receipt",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TipFiled"}}},
}
PATHS["/api/v1/tips/status"] = _tip_op(
    "Follow a tip with its receipt", "ReceiptIn", "200", "TipStatus", (400, 404)
)
PATHS["/api/v1/tips/messages"] = _tip_op(
    "Send a message (and files, as multipart) to the integrity officers",
    "TipMessageIn",
    "201",
    "TipStatus",
    (400, 404),
)
SCHEMAS.update(
    {
        "TipFiled": {
            "type": "object",
            "properties": {
                "case_number": {"type": "string", "examples": ["T2570/00001"]},
                "receipt": _RECEIPT,
                "proof": {"type": "object", "description": "Ed25519-signed proof of submission"},
            },
        },
        "ReceiptIn": {
            "type": "object",
            "required": ["receipt"],
            "properties": {"receipt": _RECEIPT},
        },
        "TipMessageIn": {
            "type": "object",
            "required": ["receipt"],
            "properties": {
                "receipt": _RECEIPT,
                "text": {
                    **_text(LIMITS["message"]),
                    "description": "The message; it must show something unless files are "
                    "attached (multipart)",
                },
            },
        },
        "TipStatus": _TIP_STATUS,
    }
)


# The published statistics (transparency.api): both channels' figures for a fiscal-year period.
_COUNT = {"type": "integer", "minimum": 0}
_PCT = {"type": ["integer", "null"], "minimum": 0, "maximum": 100}
_COUNTS = {
    "received": _COUNT,
    "completed": {**_COUNT, "description": "Received in the period and completed by as_of"},
    "in_progress": {**_COUNT, "description": "Received in the period and not completed yet"},
}
_PERIOD = {
    "period": {"type": "string", "enum": list(periods.CODES)},
    "label_th": {
        "type": "string",
        "examples": ["ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. 2570 (ตุลาคม – ธันวาคม 2569)"],
    },
    "label_en": {"type": "string"},
    "start": {"type": "string", "format": "date", "description": "First day, Bangkok"},
    "end": {"type": "string", "format": "date", "description": "Last day (inclusive)"},
}
_BREAKDOWN_ROW = {
    "type": "object",
    "required": ["code", "name_th", "name_en", "received", "suppressed"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": ["string", "null"], "description": "null: no department"},
        "name_th": {"type": "string"},
        "name_en": {"type": "string"},
        "received": {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "null when suppressed (tip channel only)",
        },
        "suppressed": {
            "enum": ["below_k", "complementary", None],
            "description": "below_k: from 1 to k-1, published as '< k'; complementary: at "
            "least k, hidden so that a below_k cell cannot be worked out from the total",
        },
        "completed": {**_COUNT, "description": "General complaints only"},
        "in_progress": {**_COUNT, "description": "General complaints only"},
    },
}
_ROWS = {"type": "array", "items": {"$ref": "#/components/schemas/StatsRow"}}
_CHANNEL_STATS = {
    "type": "object",
    "required": [
        *_COUNTS,
        "by_category",
        "by_received_via",
        "by_department",
        "days_to_completion",
        "within_deadline",
        "late",
        "reopened",
        "satisfaction",
    ],
    "additionalProperties": False,
    "properties": {
        **_COUNTS,
        "by_category": _ROWS,
        "by_received_via": _ROWS,
        "by_department": _ROWS,
        "days_to_completion": {
            "type": "object",
            "required": ["sample", "median", "p90"],
            "additionalProperties": False,
            "description": "Bangkok calendar days from received to completed, nearest rank; "
            "null below min_sample completed cases",
            "properties": {
                "sample": _COUNT,
                "median": {"type": ["integer", "null"], "minimum": 0},
                "p90": {"type": ["integer", "null"], "minimum": 0},
            },
        },
        "within_deadline": {
            "type": "object",
            "required": ["completed", "on_time", "share_pct"],
            "additionalProperties": False,
            "properties": {"completed": _COUNT, "on_time": _COUNT, "share_pct": _PCT},
        },
        "late": {
            "type": "object",
            "required": ["late", "explained", "share_pct"],
            "additionalProperties": False,
            "description": "Completed after the first deadline, or open past it and not "
            "waiting for the complainant; explained: the complainant was told why",
            "properties": {"late": _COUNT, "explained": _COUNT, "share_pct": _PCT},
        },
        "reopened": {
            **_COUNT,
            "description": "Cases whose complainant said after completion that the problem "
            "was not fixed (reopened, or followed up by a new case)",
        },
        "satisfaction": {
            "type": "object",
            "required": ["responses", "satisfied", "share_pct", "target_pct", "meets_target"],
            "additionalProperties": False,
            "description": "Ratings of 4 or 5 out of 5 against the plans' 80 per cent target",
            "properties": {
                "responses": _COUNT,
                "satisfied": _COUNT,
                "share_pct": _PCT,
                "target_pct": {"type": "integer"},
                "meets_target": {"type": ["boolean", "null"]},
            },
        },
    },
}
_PART = {
    "type": "object",
    "required": [*_PERIOD, "complaint", "tip"],
    "additionalProperties": False,
    "properties": {
        **_PERIOD,
        "complaint": {"$ref": "#/components/schemas/StatsCounts"},
        "tip": {"$ref": "#/components/schemas/StatsCounts"},
    },
}
STATS = {
    "type": "object",
    "required": ["fiscal_year", *_PERIOD, "as_of", "k", "min_sample", "complaint", "tip", "parts"],
    "additionalProperties": False,
    "properties": {
        "fiscal_year": {"type": "integer", "examples": [2570]},
        **_PERIOD,
        "as_of": {"type": "string", "format": "date", "description": "Figures as of this day"},
        "k": {"type": "integer", "description": "Tip breakdown cells below k are suppressed"},
        "min_sample": {"type": "integer"},
        "complaint": {"$ref": "#/components/schemas/ChannelStats"},
        "tip": {"$ref": "#/components/schemas/ChannelStats"},
        "parts": {
            "type": "object",
            "additionalProperties": False,
            "description": "The months, quarters and halves inside the period",
            "properties": {
                name: {"type": "array", "items": {"$ref": "#/components/schemas/StatsPart"}}
                for name in ("months", "quarters", "halves")
            },
        },
    },
}
PATHS["/api/v1/stats"] = {
    "get": {
        "summary": "Published statistics of both channels for a period of a fiscal year",
        "description": "General complaints (complaint) and corruption complaints (tip): "
        "received, completed and in progress, by category, received via and department, days "
        "to completion, completion within the deadline, late cases explained and satisfaction. "
        "Each case received in the period counts once, as it stands on as_of.",
        "parameters": [
            {
                "name": "fiscal_year",
                "in": "query",
                "required": False,
                "description": "Thai fiscal year in B.E. (1 October to 30 September, named by "
                "the year it ends in); default the current one",
                "schema": {"type": "integer", "minimum": periods.FIRST_FISCAL_YEAR},
            },
            {
                "name": "period",
                "in": "query",
                "required": False,
                "description": "year; h1 (Oct–Mar), h2; q1 (Oct–Dec) … q4; m01 … m12 (the "
                "calendar month within the fiscal year)",
                "schema": {"type": "string", "enum": list(periods.CODES), "default": "year"},
            },
        ],
        "responses": {
            "200": {
                "description": "The figures",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Stats"}}},
            },
            **_error_responses(400),
        },
    }
}
SCHEMAS.update(
    {
        "Stats": STATS,
        "ChannelStats": _CHANNEL_STATS,
        "StatsRow": _BREAKDOWN_ROW,
        "StatsPart": _PART,
        "StatsCounts": {
            "type": "object",
            "required": list(_COUNTS),
            "additionalProperties": False,
            "properties": _COUNTS,
        },
    }
)


def _refusals(method: str, op: dict) -> dict:
    """What any operation may answer besides its own: 431, 500 and 503 everywhere; for a
    request with a body also 403 (rongrian.security.refuse_cross_site), 413, 415 and 429."""
    codes = (431, 500, 503)
    if "requestBody" in op:
        codes = (403, 413, 415, 429, *codes)
    return {**op, "responses": {**op["responses"], **_error_responses(*codes)}}


def _with_current_year(paths: dict, today: date) -> dict:
    """The fiscal years the statistics answer for end with the current one."""
    stats = paths["/api/v1/stats"]["get"]
    year = {**stats["parameters"][0]}
    year["schema"] = {**year["schema"], "maximum": fiscal_year(today)}
    get = {**stats, "parameters": [year, *stats["parameters"][1:]]}
    return {**paths, "/api/v1/stats": {"get": get}}


def document(
    complaint_codes: list[str], tip_codes: list[str], *, confidential: bool, today: date
) -> dict:
    """The document as it holds today for one organization: its active category codes of each
    channel, and whether a tip may be confidential (a custodian key is active)."""
    schemas = {
        **SCHEMAS,
        "ComplaintIn": complaint_in(complaint_codes, today),
        "TipIn": tip_in(tip_codes, today, confidential),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Rongrian API",
            "version": "1",
            "description": "Complaint and corruption-tip intake for Thai local governments.",
        },
        "paths": {
            path: {method: _refusals(method, op) for method, op in operations.items()}
            for path, operations in _with_current_year(PATHS, today).items()
        },
        "components": {"schemas": schemas},
    }
