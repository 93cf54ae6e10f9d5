"""The OpenAPI 3.1 description of /api/v1. Each channel's paths are listed here, in one place."""

from __future__ import annotations

ERROR = {
    "type": "object",
    "required": ["error", "fields"],
    "properties": {
        "error": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


def _error_responses(*codes: int) -> dict:
    text = {
        400: "Malformed body or invalid fields",
        403: "Sent by a browser from another website's page (Sec-Fetch-Site cross-site, or an "
        "Origin that is another host or null); fields names the header. Clients that send "
        "neither header are not affected",
        404: "Not found (a wrong code and an unknown code get the same answer)",
        413: "Body or attachment too large",
        415: "Unsupported content type",
        429: "Too many requests",
    }
    return {
        str(c): {
            "description": text[c],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for c in codes
    }


def _json_body(ref: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": ref}}}}


COMPLAINT_IN = {
    "type": "object",
    "required": ["category", "subject", "details"],
    "properties": {
        "category": {"type": "string", "description": "A code from /categories?channel=complaint"},
        "kind": {"type": "string", "enum": ["complaint", "grievance", "suggestion"]},
        "subject": {"type": "string", "maxLength": 200},
        "details": {"type": "string", "maxLength": 5000},
        "location": {"type": "string", "maxLength": 300},
        "lat": {"type": ["number", "null"], "minimum": -90, "maximum": 90},
        "lng": {"type": ["number", "null"], "minimum": -180, "maximum": 180},
        "occurred_on": {"type": ["string", "null"], "format": "date"},
        "occurred_time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
        "consent": {
            "type": "boolean",
            "description": "Required (true) when any reporter field is given",
        },
        "reporter": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "maxLength": 200},
                "phone": {"type": "string", "maxLength": 32},
                "email": {"type": "string", "format": "email", "maxLength": 254},
                "address": {"type": "string", "maxLength": 500},
            },
        },
    },
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
                    "(200); the same key with a different complaint is refused (400).",
                    "schema": {"type": "string", "minLength": 16, "maxLength": 128},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ComplaintIn"}},
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "payload": {
                                    "type": "string",
                                    "description": "ComplaintIn as JSON (a field or a file part)",
                                },
                                "attachments": {
                                    "type": "array",
                                    "items": {"type": "string", "format": "binary"},
                                },
                            },
                        }
                    },
                },
            },
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
                **_error_responses(400, 413, 415, 429),
            },
        }
    },
    "/api/v1/track": {
        "post": {
            "summary": "Follow a complaint by its tracking code",
            "requestBody": _json_body("#/components/schemas/TrackIn"),
            "responses": {
                "200": {
                    "description": "The case as the citizen sees it",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Tracked"}}
                    },
                },
                **_error_responses(400, 404, 415, 429),
            },
        }
    },
}

SCHEMAS: dict = {
    "Error": ERROR,
    "ComplaintIn": COMPLAINT_IN,
    "Filed": FILED,
    "TrackIn": {
        "type": "object",
        "required": ["tracking_code"],
        "properties": {"tracking_code": {"type": "string", "maxLength": 64}},
    },
    "Tracked": TRACKED,
    "Categories": CATEGORIES,
}


# The corruption-tip channel (whistleblow.api). Receipts travel only in bodies, never URLs.
_TEXT = {"type": "string"}
TIP_IN = {
    "type": "object",
    "required": ["category", "what"],
    "properties": {
        "category": {"type": "string", "description": "A code from /categories?channel=tip"},
        "accused": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "maxLength": 200},
                "position": {"type": "string", "maxLength": 200},
                "unit": {"type": "string", "maxLength": 200},
                "role": {
                    "type": "string",
                    "enum": ["mayor", "deputy_mayor", "clerk", "council", "staff", "unknown"],
                },
            },
        },
        "what": {"type": "string", "maxLength": 5000},
        "when": {"type": "string", "maxLength": 200},
        "occurred_on": {"type": ["string", "null"], "format": "date"},
        "where": {"type": "string", "maxLength": 300},
        "how_known": {
            "type": "string",
            "enum": ["", "witnessed", "involved", "documents", "told", "other"],
        },
        "how_known_details": _TEXT,
        "evidence": _TEXT,
        "witnesses": _TEXT,
        "reported_elsewhere": {"type": "string", "enum": ["no", "yes", "unsure"]},
        "reported_where": _TEXT,
        "confidential": {
            "type": "boolean",
            "description": "Give an identity, sealed to the identity custodians (default false: "
            "anonymous). Refused with 400 while no custodian has enrolled a key.",
        },
        "consent": {"type": "boolean", "description": "Required (true) when confidential"},
        "identity": {
            "type": "object",
            "properties": {k: _TEXT for k in ("name", "position", "phone", "email", "address")},
        },
    },
}
_RECEIPT = {"type": "string", "description": "The 20-symbol receipt shown once at filing"}
_TIP_STATUS = {
    "type": "object",
    "properties": {
        "case_number": {"type": "string", "examples": ["T2570/00001"]},
        "status": {"type": "string"},
        "status_label": {"type": "string"},
        "outcome": {"type": ["string", "null"]},
        "received_on": {"type": "string", "format": "date"},
        "next_answer_due": {"type": ["string", "null"], "format": "date"},
        "identity_accessed_on": {"type": "array", "items": {"type": "string", "format": "date"}},
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
            "requestBody": _json_body(f"#/components/schemas/{body}"),
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
    (400, 413, 415, 429),
)
PATHS["/api/v1/tips/status"] = _tip_op(
    "Follow a tip with its receipt", "ReceiptIn", "200", "TipStatus", (400, 404, 415, 429)
)
PATHS["/api/v1/tips/messages"] = _tip_op(
    "Send a message (and files, as multipart) to the integrity officers",
    "TipMessageIn",
    "201",
    "TipStatus",
    (400, 404, 413, 415, 429),
)
SCHEMAS.update(
    {
        "TipIn": TIP_IN,
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
            "required": ["receipt", "text"],
            "properties": {"receipt": _RECEIPT, "text": {"type": "string", "maxLength": 5000}},
        },
        "TipStatus": _TIP_STATUS,
    }
)


def _refusing_cross_site(paths: dict) -> dict:
    """Every state-changing operation may answer 403 (rongrian.security.refuse_cross_site)."""
    return {
        path: {
            method: {**op, "responses": {**op["responses"], **_error_responses(403)}}
            if method in ("post", "put", "patch", "delete")
            else op
            for method, op in operations.items()
        }
        for path, operations in paths.items()
    }


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Rongrian API",
            "version": "1",
            "description": "Complaint and corruption-tip intake for Thai local governments.",
        },
        "paths": _refusing_cross_site(PATHS),
        "components": {"schemas": SCHEMAS},
    }
