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
    "properties": {
        "case_number": {"type": "string", "examples": ["2570/000123"]},
        "tracking_code": {"type": "string", "examples": ["7KQ4-M2XD-9HBT-0RZP"]},
        "status": {"type": "string"},
        "received_at": {"type": "string", "format": "date-time"},
        "due_at": {"type": "string", "format": "date"},
    },
}

TRACKED = {
    "type": "object",
    "properties": {
        "case_number": {"type": "string"},
        "status": {"type": "string"},
        "status_label": {"type": "string"},
        "outcome": {"type": ["string", "null"]},
        "due_at": {"type": "string", "format": "date"},
        "result": {"type": "string"},
        "timeline": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "at": {"type": "string", "format": "date-time"},
                    "kind": {"type": "string"},
                    "status": {"type": ["string", "null"]},
                    "text": {"type": "string"},
                },
            },
        },
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
            "responses": {"200": {"description": "The active categories"}, **_error_responses(400)},
        }
    },
    "/api/v1/complaints": {
        "post": {
            "summary": "File a general complaint",
            "description": "JSON, or multipart/form-data with a `payload` JSON part and up to 5 "
            "`attachments` (JPEG, PNG or PDF, 10 MB each). An optional Idempotency-Key header "
            "makes a retried request return the same case.",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ComplaintIn"}},
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "payload": {"type": "string", "description": "ComplaintIn JSON"},
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
        "properties": {"tracking_code": {"type": "string"}},
    },
    "Tracked": TRACKED,
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
        "identity_accessed_on": {"type": "array", "items": {"type": "string", "format": "date"}},
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


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Rongrian API",
            "version": "1",
            "description": "Complaint and corruption-tip intake for Thai local governments.",
        },
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
