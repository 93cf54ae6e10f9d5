"""The satisfaction survey of general complaints, online and offline.

The complainant rates a completed case on the tracking page (casework.general.followup.rate);
staff record the answers someone gave by phone or on paper here. The questions are the
organization's (``Organization.survey_questions``); the default asks for overall satisfaction
from 1 to 5 and an optional comment. The overall score is the case's rating, which the published
satisfaction figure counts (with the number of responses it rests on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from casework import audit
from casework.cases import lifecycle, timeline
from casework.cases.errors import FieldErrors
from casework.cases.textinput import clean
from casework.dates import clock
from casework.extensions import db
from casework.models import Case, Organization, SurveyAnswer, User

OVERALL = "overall"
SCALE, TEXT = "scale", "text"
SOURCES = ("phone", "paper")
TEXT_LIMIT = 2000
CODE = re.compile(r"[a-z][a-z0-9_]{1,31}")


@dataclass(frozen=True)
class Question:
    code: str
    kind: str  # scale (1-5) or text
    text_th: str
    text_en: str
    required: bool


DEFAULT = [
    Question(OVERALL, SCALE, "ความพึงพอใจต่อการจัดการเรื่องร้องเรียนโดยรวม", "Overall satisfaction", True),
    Question("comment", TEXT, "ความคิดเห็นหรือข้อเสนอแนะเพิ่มเติม", "Any comment or suggestion", False),
]


class SurveyError(FieldErrors):
    """Survey answers or questions that cannot be saved as given."""


def questions(org: Organization) -> list[Question]:
    if not org.survey_questions:
        return list(DEFAULT)
    return [Question(**q) for q in org.survey_questions]


def as_text(items: list[Question]) -> str:
    """The questions one per line, as the administrator edits them."""
    return "\n".join(
        " | ".join((q.code, q.kind, q.text_th, q.text_en, "required" if q.required else "optional"))
        for q in items
    )


def parse(text: str) -> list[Question]:
    """Questions from lines ``code | scale or text | Thai | English | required or optional``;
    SurveyError under ``questions``. The overall 1-5 question must stay: the published figure
    rests on it."""
    found: list[Question] = []
    problems = []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 5 or not CODE.fullmatch(parts[0]) or parts[1] not in (SCALE, TEXT):
            problems.append(number)
            continue
        if not parts[2] or parts[4] not in ("required", "optional"):
            problems.append(number)
            continue
        found.append(Question(parts[0], parts[1], parts[2], parts[3], parts[4] == "required"))
    codes = [q.code for q in found]
    if problems:
        raise SurveyError(
            {
                "questions": _l(
                    "Lines %(lines)s are not in the form asked.",
                    lines=", ".join(map(str, problems)),
                )
            }
        )
    if len(set(codes)) != len(codes):
        raise SurveyError({"questions": _l("Each question needs its own code.")})
    overall = next((q for q in found if q.code == OVERALL), None)
    if overall is None or overall.kind != SCALE:
        raise SurveyError(
            {
                "questions": _l(
                    "Keep the overall question (overall | scale | …): the published figure "
                    "rests on it."
                )
            }
        )
    return found


def set_questions(org: Organization, actor: User, text: str) -> None:
    items = parse(text)
    org.survey_questions = [q.__dict__ for q in items]
    audit.record(
        org.id, "survey.questions", actor_id=actor.id, data={"codes": [q.code for q in items]}
    )
    db.session.commit()


def record(case: Case, actor: User, source: str, answers: dict[str, str]) -> None:
    """Record what the complainant answered by phone or on paper. Commits; SurveyError with a
    message per field (``q_<code>``, ``source``)."""
    org = db.session.get(Organization, case.organization_id)
    items = questions(org)
    problems: dict[str, object] = {}
    if not lifecycle.state(case.channel, case.status).final:
        problems["source"] = _l("The survey is for completed cases.")
    elif case.rating is not None:
        problems["source"] = _l("This case already has a satisfaction rating.")
    if source not in SOURCES:
        problems["source"] = _l("Say whether the answers came by phone or on paper.")
    values: dict[str, tuple[int | None, str]] = {}
    for q in items:
        raw = (answers.get(q.code) or "").strip()
        if q.kind == SCALE:
            if raw in {"1", "2", "3", "4", "5"}:
                values[q.code] = (int(raw), "")
            elif raw or q.required:
                problems[f"q_{q.code}"] = _l("Choose a score from 1 to 5.")
        else:
            text = clean(raw, multiline=True)
            if len(text) > TEXT_LIMIT:
                problems[f"q_{q.code}"] = _l("At most %(n)d characters.", n=TEXT_LIMIT)
            elif text:
                values[q.code] = (None, text)
            elif q.required:
                problems[f"q_{q.code}"] = _l("This field is required.")
    if problems:
        raise SurveyError(problems)
    now = clock.utcnow()
    for code, (score, text) in values.items():
        db.session.add(
            SurveyAnswer(
                organization_id=case.organization_id,
                case_id=case.id,
                question=code,
                score=score,
                text=text,
                source=source,
                recorded_by=actor.id,
                recorded_at=now,
            )
        )
    case.rating = values[OVERALL][0]
    comments = [text for code, (_score, text) in values.items() if text]
    case.rating_comment = "\n".join(comments)
    case.rated_at = now
    timeline.record(
        case,
        "rated",
        public=False,
        actor_id=actor.id,
        data={"rating": case.rating, "source": source},
    )
    audit.record(
        case.organization_id, "survey.record", actor_id=actor.id, case=case, data={"source": source}
    )
    db.session.commit()
