"""The one table of timeline event kinds (casework.cases.events): every kind the code writes has
an officers' label and a public label, in Thai and English, and a kind the table does not know
reads as the neutral "Update" on every page."""

from __future__ import annotations

import ast
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from casework.cases import events, timeline
from casework.extensions import db
from casework.models import Case
from rongrian.config import ROOT

PACKAGES = ("casework", "rongrian", "complaints", "whistleblow", "admin", "lineoa", "transparency")
# Names the code gives a timeline entry when it reads or changes one.
EVENT_NAMES = {"e", "event", "ev"}
UNKNOWN = "from_a_later_version"


def python_files():
    for package in PACKAGES:
        yield from sorted(
            p for p in (ROOT / package).rglob("*.py") if "translations" not in p.parts
        )


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_event(node) -> bool:
    """``e`` / ``event`` or ``step.event``."""
    return (isinstance(node, ast.Name) and node.id in EVENT_NAMES) or (
        isinstance(node, ast.Attribute) and node.attr == "event"
    )


def kinds_written() -> dict[str, str]:
    """Every kind the code writes: ``timeline.record(case, "<kind>", ...)``,
    ``CaseEvent(kind="<kind>")`` and ``event.kind = "<kind>"``; kind -> where."""
    found = {}
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            kind = None
            if isinstance(node, ast.Call):
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr == "record"
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "timeline"
                    and len(node.args) >= 2
                ):
                    kind = _literal(node.args[1])
                    assert kind, f"{path}:{node.lineno}: write the event kind as a literal"
                elif isinstance(func, ast.Name) and func.id == "CaseEvent":
                    kind = next((_literal(k.value) for k in node.keywords if k.arg == "kind"), None)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and target.attr == "kind"
                        and _is_event(target.value)
                    ):
                        kind = _literal(node.value)
            if kind:
                found.setdefault(kind, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def kinds_read() -> dict[str, str]:
    """Every kind the code or a template compares an entry with (``e.kind == "<kind>"``)."""
    found = {}
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Compare)
                and isinstance(node.left, ast.Attribute)
                and node.left.attr == "kind"
                and _is_event(node.left.value)
            ):
                for right in node.comparators:
                    if _literal(right):
                        found.setdefault(right.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    for path in sorted((ROOT / "templates").rglob("*.*")):
        for match in re.finditer(r"\be\.kind\s*==\s*['\"](\w+)['\"]", path.read_text()):
            found.setdefault(match.group(1), str(path.relative_to(ROOT)))
    return found


def test_the_scan_finds_the_kinds_of_both_channels():
    written = kinds_written()
    assert {"received", "status", "note", "transferred", "identity_accessed"} <= set(written)
    assert {"status", "explanation"} <= set(kinds_read())


def test_every_kind_written_or_read_is_in_the_table():
    unknown = {
        kind: where
        for kind, where in {**kinds_read(), **kinds_written()}.items()
        if kind not in events.KINDS
    }
    assert not unknown, (
        f"Timeline kinds without labels: {unknown}. Add them to casework.cases.events.KINDS "
        "with an officers' label and a public label."
    )


def test_the_table_lists_no_kind_that_nothing_writes():
    assert set(events.KINDS) - set(kinds_written()) == set()


@pytest.mark.parametrize("kind", sorted(events.KINDS))
def test_every_kind_has_both_labels_in_thai_and_english(app, kind):
    def labels(locale):
        with force_locale(locale):
            return [events.staff_label(kind)] + [
                events.public_label(kind, channel, date="1") for channel in ("complaint", "tip")
            ]

    with app.test_request_context():
        english, thai = labels("en"), labels("th")
    assert all(label.strip() for label in english + thai), (kind, english, thai)
    untranslated = [e for e, t in zip(english, thai, strict=True) if e == t]
    assert not untranslated, f"{kind}: no Thai for {untranslated}"


def test_an_unknown_kind_reads_as_update(app):
    with app.test_request_context():
        with force_locale("en"):
            assert events.staff_label(UNKNOWN) == "Update"
            assert events.public_label(UNKNOWN, "complaint") == "Update"
            assert events.public_label(UNKNOWN, "tip", date="1 Jan") == "Update"
        with force_locale("th"):
            assert events.staff_label(UNKNOWN) == "ความคืบหน้า"


def test_internal_kinds_never_give_their_staff_wording_to_the_public(app):
    with app.test_request_context(), force_locale("en"):
        assert events.public_label("escalated", "complaint") == "Update"
        assert events.public_label("reveal_requested", "tip") == "Update"
        assert events.public_label("received", "complaint") == "Complaint received"
        assert events.public_label("received", "tip") == "Report received"
        assert (
            events.public_label("explanation", "tip", date="9 June 2027")
            == "More time is needed. Expect an answer by 9 June 2027."
        )


# --- the pages ---------------------------------------------------------------------------------


def _add_unknown(app, case_id):
    with app.app_context():
        timeline.record(db.session.get(Case, case_id), UNKNOWN, public=True)
        db.session.commit()


def _timeline(html: str) -> str:
    return html.split('<ol class="timeline">')[1].split("</ol>")[0]


def test_pages_show_an_unknown_complaint_event_as_update(app, client, file_complaint, login_as):
    filed = file_complaint()
    _add_unknown(app, filed.case.id)
    r = client.post("/complaints/track", data={"tracking_code": filed.tracking_code})
    assert r.status_code == 200
    public = _timeline(r.get_data(as_text=True))
    assert "รับเรื่องร้องเรียนแล้ว" in public and "ความคืบหน้า" in public
    login_as("supervisor")
    r = client.get(f"/admin/cases/{filed.case.id}")
    assert r.status_code == 200
    staff = _timeline(r.get_data(as_text=True))
    assert "<strong>รับเรื่อง</strong>" in staff and "<strong>ความคืบหน้า</strong>" in staff
    assert UNKNOWN not in staff


def test_pages_show_an_unknown_tip_event_as_update(app, client, login_as):
    receipt = client.post("/api/v1/tips", json={"category": "other", "what": "มีคนโกง"}).get_json()[
        "receipt"
    ]
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).filter_by(channel="tip"))
    _add_unknown(app, case_id)
    r = client.post("/whistleblow/status", data={"receipt": receipt})
    assert r.status_code == 200
    public = _timeline(r.get_data(as_text=True))
    assert "รับเรื่องแจ้งเบาะแสแล้ว" in public and "ความคืบหน้า" in public
    assert UNKNOWN not in public
    staff = app.test_client()
    login_as("integrity", email="integrity-events@staff.test", on=staff)
    staff.post(f"/admin/tips/{case_id}/assign", data={})
    r = staff.get(f"/admin/tips/{case_id}")
    assert r.status_code == 200
    history = _timeline(r.get_data(as_text=True))
    assert "<strong>รับเรื่อง</strong>" in history and "<strong>ความคืบหน้า</strong>" in history
    assert UNKNOWN not in history
