"""/api/v1 fuzzed against its own OpenAPI document by schemathesis, in-process (WSGI), with every
check schemathesis has: no 5xx, only documented statuses, content types, headers and bodies,
invalid data refused and valid data accepted. The document must be exactly as strict as the
server for that to pass.

The run is bounded and reproducible (derandomized, a fixed number of examples per operation)
so it fits in about a minute on two cores. Rate limits are off here: they are documented (429)
and tested on their own (test_rate_limit_budgets.py)."""

from __future__ import annotations

import json

import jsonschema_rs
import pytest
import schemathesis
import upload_samples
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from casework import demo
from casework.crypto import custodian_keys, receipts
from casework.dates import clock
from casework.extensions import db
from rongrian import create_app, openapi

EXAMPLES_PER_OPERATION = 100


@pytest.fixture(scope="module")
def api_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schemathesis")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(folder / "instance"),
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'test.db'}",
            "RONGRIAN_KEYRING": None,
            "RONGRIAN_KEYRING_FILE": str(folder / "instance" / "keyring.json"),
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RECEIPT_KDF_COST": receipts.FAST_TEST_COST,
            "CUSTODIAN_KDF_COST": custodian_keys.FAST_TEST_COST,
            "OUTBOX_AUTODRAIN": False,
            "MAIL_SERVER": "",
        }
    )
    with app.app_context():
        db.create_all()
        demo.load()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


# The document /api/v1/openapi.json serves for the demo organization today (no custodian key:
# tips are anonymous only), checked by test_the_served_document_is_the_one_fuzzed. It is built
# here, not fetched, because the schema must exist when pytest collects the module and
# schemathesis' lazy fixture loader does not run under pytest 9; each case still goes to the
# app through WSGI.
DOCUMENT = openapi.document(
    [code for code, *_ in demo.COMPLAINT_CATEGORIES],
    [code for code, *_ in demo.TIP_CATEGORIES],
    confidential=False,
    today=clock.today(),
)
schema = schemathesis.openapi.from_dict(DOCUMENT)

# Attachments are real files of each type the document names; the fuzzer's own bytes would
# be refused as files that do not decode, which the document says too.
schemathesis.openapi.media_type("image/png", st.just(upload_samples.png()))
schemathesis.openapi.media_type("image/jpeg", st.just(upload_samples.jpeg()))
schemathesis.openapi.media_type("application/pdf", st.just(upload_samples.pdf_with_everything()))


def test_the_served_document_is_the_one_fuzzed(api_app):
    served = api_app.test_client().get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.get_json() == json.loads(json.dumps(DOCUMENT))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_openapi_document(case, api_app):
    if _empty_encoded_part(case) or _valid_only_to_the_fuzzer(case):
        return
    case.call_and_validate(app=api_app)


def _valid_only_to_the_fuzzer(case) -> bool:
    """The document's text patterns use Unicode classes (\\p{L}: a character that shows).
    The fuzzer draws strings for them from an approximation of those classes and can take a
    letter such as "Ⲗ" for one that shows nothing; such a "valid" body is one the document
    itself refuses. A positive example whose body a full-Unicode validator (jsonschema-rs)
    finds invalid is skipped rather than judged; every other example is judged."""
    if case.meta is None or case.meta.generation.mode.value != "positive":
        return False
    body = DOCUMENT["paths"][case.path][case.method.lower()].get("requestBody")
    if body is None or not isinstance(case.body, dict):
        return False
    described = body["content"][case.media_type]["schema"]
    value = case.body
    if (case.media_type or "").startswith("multipart/"):
        described, value = described["properties"]["payload"], case.body.get("payload")
    validator = jsonschema_rs.validator_for({**described, "components": DOCUMENT["components"]})
    return not validator.is_valid(value)


def _empty_encoded_part(case) -> bool:
    """schemathesis' coverage phase sends a multipart part with its own encoding (payload,
    application/json) as "" and calls that valid: the document says it is a TipIn or a
    ComplaintIn object, so such an example is skipped rather than judged."""
    return (
        case.meta is not None
        and case.meta.phase.name == "coverage"
        and (case.media_type or "").startswith("multipart/")
        and isinstance(case.body, dict)
        and case.body.get("payload") == ""
    )
