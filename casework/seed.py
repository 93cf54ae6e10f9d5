"""Realistic Thai cases in bulk, for benchmarks and for trying the back office at scale:
``flask --app wsgi seed --cases N [--organization SLUG]``.

Cases are spread from the first day of the previous fiscal year until now, across both
channels (general complaints, and about one in twenty-five a corruption tip), every category
and every status of casework.cases.lifecycle, each with the timeline its status implies
(received, assigned, every status change, some explanations of delay and ratings). About a
third of the complaints carry a reporter identity, sealed and blind-indexed exactly as intake
seals one (casework.cases.identity); tips carry their questionnaire sealed under the keyring,
their eight decoy exclusion rows and their ``tips`` audit chain entries (casework.audit).

Numbers come from the registers (casework.cases.numbering), taken in blocks under the same row
locks filings take, so the registers end where the seeded sequences end, with no gap.

Everything is written in one transaction: a failure leaves nothing behind. On PostgreSQL the
rows go through ``COPY … FROM STDIN`` (psycopg 3), and the tables are analyzed afterwards; on
other databases through executemany of Core inserts (slow, for small N). The published figures'
rollup (casework.models.rollup) gets the seeded cases' counts in the same transaction.

What seeded cases do not have, and why:

- a tracking code anyone holds: each complaint gets a random tracking hash that no code opens
  (the plaintext would be thrown away anyway), except the ``keep_codes`` it returns;
- a tip receipt: each tip gets a random lookup hash that no receipt derives, and no sealed proof,
  because one receipt costs two scrypt derivations (casework.crypto.receipts, about 0.1 s each);
- staff: nobody is assigned and no staff action is in the ``main`` audit chain.
"""

from __future__ import annotations

import json
import random
import secrets
import time
from bisect import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_start
from itertools import accumulate

import sqlalchemy as sa
from sqlalchemy import select

from casework import audit, seedtext
from casework.cases import identity, lifecycle, numbering, sla
from casework.crypto import fields, keys, tracking
from casework.dates import clock
from casework.dates.thaidate import BANGKOK, fiscal_year, fiscal_year_bounds, local_date
from casework.extensions import db
from casework.models import (
    AuditEntry,
    Case,
    CaseEvent,
    CaseFigure,
    Category,
    ConflictExclusion,
    Organization,
    Referral,
    ReporterIdentity,
    TipDetails,
    rollup,
)
from casework.tipline import access, sealing
from casework.tipline.filing import content_document, new_pseudonym

TIP_SHARE = 0.04
IDENTITY_SHARE = 0.35
CHUNK = 10_000
TABLES = (
    Case,
    CaseEvent,
    ReporterIdentity,
    TipDetails,
    ConflictExclusion,
    Referral,
    AuditEntry,
    CaseFigure,
)

# How a case reached each status: the status changes after "received", and the outcome the
# last one carries. Checked against the state machine when this module loads.
PATHS: dict[str, dict[str, tuple[tuple[tuple[str, ...], str | None], ...]]] = {
    "complaint": {
        "received": (((), None),),
        "in_progress": ((("in_progress",), None),),
        "awaiting_info": ((("in_progress", "awaiting_info"), None),),
        "forwarded": ((("in_progress", "forwarded"), None),),
        "completed": (
            (("in_progress", "completed"), "resolved"),
            (("in_progress", "completed"), "resolved"),
            (("in_progress", "completed"), "not_jurisdiction"),
            (("in_progress", "awaiting_info", "in_progress", "completed"), "resolved"),
            (("in_progress", "forwarded", "completed"), "forwarded"),
        ),
    },
    "tip": {
        "received": (((), None),),
        "preliminary_review": ((("preliminary_review",), None),),
        "investigation": ((("preliminary_review", "investigation"), None),),
        "findings": ((("preliminary_review", "investigation", "findings"), None),),
        "disciplinary": (
            (("preliminary_review", "investigation", "findings", "disciplinary"), None),
        ),
        "closed": (
            (("preliminary_review", "closed"), "insufficient"),
            (("preliminary_review", "investigation", "findings", "closed"), "unfounded"),
            (
                ("preliminary_review", "investigation", "findings", "disciplinary", "closed"),
                "substantiated",
            ),
            (("preliminary_review", "referred_out", "closed"), "referred"),
        ),
        "referred_out": ((("preliminary_review", "referred_out"), None),),
    },
}
# Open statuses and how often a case still open sits in each.
OPEN_WEIGHTS = {
    "complaint": {"received": 2, "in_progress": 5, "awaiting_info": 1, "forwarded": 1},
    "tip": {
        "received": 2,
        "preliminary_review": 3,
        "investigation": 2,
        "findings": 1,
        "disciplinary": 1,
        "referred_out": 1,
    },
}
FINAL_WEIGHTS = {"complaint": {"completed": 1}, "tip": {"closed": 5}}
# Days after which most cases are closed: complaints within weeks, tips within months.
SETTLE_DAYS = {"complaint": 30, "tip": 120}
KINDS = (("complaint", 70), ("grievance", 20), ("suggestion", 10))
RECEIVED_VIA = (
    ("web", 40),
    ("line", 25),
    ("phone", 12),
    ("walk_in", 8),
    ("letter", 5),
    ("facebook", 4),
    ("complaint_box", 3),
    ("email", 3),
)
AGENCIES = ("damrongdham", "pm1111", "local_gov", "other")


def _check_paths() -> None:
    for channel, paths in PATHS.items():
        if set(paths) != set(lifecycle.STATES[channel]):
            raise ValueError(f"seed paths for {channel} do not cover every status")
        for target, options in paths.items():
            for steps, outcome in options:
                current = "received"
                for number, step in enumerate(steps, 1):
                    lifecycle.check(
                        channel, current, step, outcome if number == len(steps) else None
                    )
                    current = step
                if current != target:
                    raise ValueError(f"seed path for {channel} {target} ends at {current}")


_check_paths()


@dataclass
class Seeded:
    """What was written: counts to compare with the database, and the kept tracking codes."""

    cases: int = 0
    by_channel: Counter = field(default_factory=Counter)
    by_status: Counter = field(default_factory=Counter)  # (channel, status)
    by_fiscal_year: Counter = field(default_factory=Counter)  # (channel, fiscal year)
    rows: Counter = field(default_factory=Counter)  # table name -> rows
    codes: list[str] = field(default_factory=list)  # ``keep_codes`` complaints' tracking codes
    seconds: float = 0.0


class _Copy:
    """PostgreSQL: ``COPY table (columns) FROM STDIN`` through psycopg 3, in the session's
    transaction."""

    def __init__(self, connection: sa.Connection):
        self.cursor = connection.connection.driver_connection.cursor()

    def write(self, table: sa.Table, columns: list[str], rows: list[list]) -> None:
        json_at = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, sa.JSON)]
        names = ", ".join(columns)
        with self.cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                for i in json_at:
                    if row[i] is not None:
                        row[i] = json.dumps(row[i], ensure_ascii=False)
                copy.write_row(row)

    def case_ids(self, count: int) -> list[int]:
        self.cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('cases', 'id')) FROM generate_series(1, %s)",
            (count,),
        )
        return sorted(row[0] for row in self.cursor.fetchall())


class _Insert:
    """Any other database: executemany of Core inserts."""

    def __init__(self, connection: sa.Connection):
        self.connection = connection
        self.next_id: int | None = None

    def write(self, table: sa.Table, columns: list[str], rows: list[list]) -> None:
        self.connection.execute(
            sa.insert(table), [dict(zip(columns, row, strict=True)) for row in rows]
        )

    def case_ids(self, count: int) -> list[int]:
        if self.next_id is None:  # the register rows are written first: the database is locked
            self.next_id = (self.connection.scalar(select(sa.func.max(Case.id))) or 0) + 1
        first, self.next_id = self.next_id, self.next_id + count
        return list(range(first, first + count))


class _Rows:
    """Rows of every table for one chunk, as lists in each table's column order."""

    def __init__(self):
        self.rows: dict[str, list[list]] = {model.__tablename__: [] for model in TABLES}
        self.columns = {
            model.__tablename__: [
                c.name for c in model.__table__.columns if c.name != "id" or model is Case
            ]
            for model in TABLES
        }
        self.position = {
            name: {column: i for i, column in enumerate(columns)}
            for name, columns in self.columns.items()
        }
        self.template = {
            model.__tablename__: [
                _defaults(model.__table__)[c] for c in self.columns[model.__tablename__]
            ]
            for model in TABLES
        }

    def add(self, model, **values) -> None:
        name = model.__tablename__
        row = self.template[name].copy()
        position = self.position[name]
        for column, value in values.items():
            row[position[column]] = value
        self.rows[name].append(row)

    def flush(self, sink, counts: Counter) -> None:
        for model in TABLES:
            name = model.__tablename__
            if self.rows[name]:
                sink.write(model.__table__, self.columns[name], self.rows[name])
                counts[name] += len(self.rows[name])
                self.rows[name] = []


def _defaults(table: sa.Table) -> dict:
    """Each column's Python-side default (COPY would write NULL for a column it is not given)."""
    values = {}
    for column in table.columns:
        default = column.default
        if default is None or not getattr(default, "is_scalar", False):
            values[column.name] = None
        else:
            values[column.name] = default.arg
    return values


class _Weighted:
    """A weighted choice, its cumulative weights computed once."""

    def __init__(self, weighted):
        items = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
        self.values = [value for value, _ in items]
        self.cumulative = list(accumulate(weight for _, weight in items))

    def __call__(self, rng: random.Random) -> str:
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


PICK_KIND, PICK_VIA = _Weighted(KINDS), _Weighted(RECEIVED_VIA)
PICK_FINAL = {channel: _Weighted(w) for channel, w in FINAL_WEIGHTS.items()}
PICK_OPEN = {channel: _Weighted(w) for channel, w in OPEN_WEIGHTS.items()}
PICK_OPEN_OLD = {channel: _Weighted(w | {"received": 0.2}) for channel, w in OPEN_WEIGHTS.items()}


class _Seeder:
    def __init__(self, org: Organization, total: int, rng: random.Random, keep_codes: int):
        self.org, self.total, self.rng = org, total, rng
        self.ring = keys.keyring()
        self.now = clock.utcnow()
        self.today = local_date(self.now)
        self.current_fy = fiscal_year(self.today)
        first_day = fiscal_year_bounds(self.current_fy - 1)[0]
        self.start = (
            datetime.combine(first_day, day_start.min, tzinfo=BANGKOK)
            .astimezone(UTC)
            .replace(tzinfo=None)
        )
        self.span = (self.now - self.start).total_seconds()
        self.categories = {
            channel: list(
                db.session.scalars(
                    select(Category)
                    .filter_by(organization_id=org.id, channel=channel, active=True)
                    .order_by(Category.sort_order, Category.id)
                )
            )
            for channel in ("complaint", "tip")
        }
        for channel, found in self.categories.items():
            if not found:
                raise ValueError(f"{org.slug} has no active {channel} category to seed with")
        self.calendar = sla.work_calendar(org)
        self.due_cache: dict[tuple[date, int], date] = {}
        self.seeded_per_register: Counter = Counter()
        self.keep_every = 0
        self.keep_codes = keep_codes
        self.audit: list[dict] = []
        self.result = Seeded()
        self.figures: Counter = Counter()  # the published figures' rollup of what is seeded

    def due(self, day: date, days: int) -> date:
        key = (day, days)
        found = self.due_cache.get(key)
        if found is None:
            found = self.due_cache[key] = self.calendar.add_days(day, days)
        return found

    def plan(self, first: int, count: int, tips: set[int]) -> list[tuple[datetime, str, int]]:
        """(received at, channel, fiscal year) of cases ``first`` … ``first + count - 1``."""
        planned = []
        for i in range(first, first + count):
            at = self.start + timedelta(seconds=self.span * (i + self.rng.random()) / self.total)
            at = min(at, self.now)
            channel = "tip" if i in tips else "complaint"
            if channel == "tip":
                at = clock.day_only(at)
            planned.append((at, channel, fiscal_year(local_date(at))))
        return planned

    def status(self, channel: str, fy: int, at: datetime) -> str:
        """Each register's first cases take every status in turn; the rest by age."""
        states = list(lifecycle.STATES[channel])
        k = self.seeded_per_register[(channel, fy)]
        self.seeded_per_register[(channel, fy)] += 1
        if k < len(states):
            return states[k]
        age = (self.now - at).total_seconds() / 86400
        if self.rng.random() < min(0.95, age / SETTLE_DAYS[channel]):
            return PICK_FINAL[channel](self.rng)
        return (PICK_OPEN_OLD if age > 7 else PICK_OPEN)[channel](self.rng)

    def case(self, rows: _Rows, case_id: int, number: int, at: datetime, channel: str, fy: int):
        rng, org = self.rng, self.org
        category = rng.choice(self.categories[channel])
        status = self.status(channel, fy, at)
        steps, outcome = rng.choice(PATHS[channel][status])
        final = lifecycle.state(channel, status).final
        if final:
            days = rng.uniform(0.2, max(0.3, min(45.0, (self.now - at).total_seconds() / 86400)))
            end = min(self.now, at + timedelta(days=days))
        else:
            end = self.now
        times = [at + (end - at) * (n + 1) / (len(steps) + 1) for n in range(len(steps))]
        if final and steps:
            times[-1] = end
        if channel == "tip":
            times = [clock.day_only(t) for t in times]
        values = {
            "id": case_id,
            "organization_id": org.id,
            "channel": channel,
            "fiscal_year": fy,
            "sequence": number,
            "case_number": numbering.format_number(channel, fy, number),
            "status": status,
            "outcome": outcome,
            "category_id": category.id,
            "received_at": at,
            "created_at": at,
            "due_date": self.due(local_date(times[-1] if steps else at), category.sla_days),
            "completed_at": times[-1] if final else None,
        }
        self.result.by_channel[channel] += 1
        self.result.by_status[(channel, status)] += 1
        self.result.by_fiscal_year[(channel, fy)] += 1
        if channel == "complaint":
            self.complaint(rows, values, category, steps, times)
        else:
            self.tip(rows, values, category, steps, times)
        self.figures.update(rollup.contributions(values))
        rows.add(Case, **values)

    def complaint(self, rows: _Rows, case: dict, category: Category, steps, times) -> None:
        rng, at = self.rng, case["received_at"]
        via = PICK_VIA(rng)
        subject = seedtext.subject(rng, category.code)
        given = rng.random() < IDENTITY_SHARE
        case.update(
            kind=PICK_KIND(rng),
            received_via=via,
            department_id=category.department_id,
            subject=subject,
            details=seedtext.details(rng, subject),
            location=seedtext.location(rng) if rng.random() < 0.7 else "",
            anonymous=not given,
            contact_consent=given,
            tracking_hash=self.tracking_hash(),
            due_date=self.due(local_date(at), category.sla_days),
        )
        if rng.random() < 0.5:
            case.update(lat=14.97 + rng.uniform(-0.03, 0.03), lng=102.1 + rng.uniform(-0.03, 0.03))
        if rng.random() < 0.6:
            case["occurred_on"] = local_date(at) - timedelta(days=rng.randint(0, 7))
            if rng.random() < 0.4:
                case["occurred_time"] = (
                    f"{rng.randint(6, 22):02d}:{rng.choice((0, 15, 30, 45)):02d}"
                )
        if given:
            values = seedtext.reporter(rng)
            rows.add(
                ReporterIdentity,
                **identity.stored(case["organization_id"], case["id"], values),
                created_at=at,
            )
        event = self.event_maker(rows, case)
        event(at, "received", public=True, status_to="received", data={"received_via": via})
        if steps:
            event(
                times[0] - (times[0] - at) / 2,
                "assigned",
                public=False,
                data={"department_id": category.department_id, "assignee_id": None},
            )
        current = "received"
        for step, t in zip(steps, times, strict=True):
            body = ""
            if step == "in_progress" and case.get("accepted_at") is None:
                case["accepted_at"] = t
            if step == "awaiting_info":
                body = rng.choice(seedtext.QUESTIONS)
                case["paused_at"] = t if step == case["status"] else None
            if step == "forwarded":
                agency = rng.choice(AGENCIES)
                name = rng.choice(
                    ("ศูนย์ดำรงธรรมจังหวัด", "องค์การบริหารส่วนตำบลใกล้เคียง", "การไฟฟ้าส่วนภูมิภาค")
                )
                case.update(
                    forwarded_to=agency,
                    forwarded_name=name,
                    forwarded_reference=f"{rng.randint(1, 999)}/{case['fiscal_year']}",
                    forwarded_follow_up_on=local_date(t) + timedelta(days=15),
                )
                body = name
            if step == "completed":
                body = case["result_text"] = rng.choice(seedtext.RESULTS)
            event(t, "status", public=True, status_from=current, status_to=step, body=body)
            current = step
        if case["status"] == "completed" and rng.random() < 0.2:
            rated = min(self.now, case["completed_at"] + timedelta(days=rng.uniform(0, 5)))
            case.update(rating=rng.randint(1, 5), rated_at=rated)
            event(rated, "rated", public=False, data={"rating": case["rating"]})
        if (
            case["status"] in ("in_progress", "forwarded")
            and case["due_date"] < self.today
            and rng.random() < 0.4
        ):
            new_date = self.today + timedelta(days=rng.randint(3, 20))
            explained = min(self.now, times[-1] + timedelta(days=1))
            event(
                explained,
                "explanation",
                public=True,
                body=rng.choice(seedtext.EXPLANATIONS),
                data={"new_date": new_date.isoformat(), "old_date": case["due_date"].isoformat()},
            )
            case.update(
                original_due_date=case["due_date"], due_date=new_date, explained_at=explained
            )

    def tip(self, rows: _Rows, case: dict, category: Category, steps, times) -> None:
        rng, at = self.rng, case["received_at"]
        case.update(kind="tip", received_via="web", subject="", details="", anonymous=True)
        answers = seedtext.tip_answers(
            rng, category.code, (local_date(at) - timedelta(days=rng.randint(1, 60))).isoformat()
        )
        purpose_aad = sealing.aad("tip-questionnaire", case["organization_id"], case["id"])
        rows.add(
            TipDetails,
            organization_id=case["organization_id"],
            case_id=case["id"],
            receipt_lookup=secrets.token_hex(32),
            questionnaire_sealed=fields.encrypt_json(
                self.ring, content_document(answers, []), purpose_aad
            ),
            confidential=False,
            pseudonym=new_pseudonym(),
            transferred=False,
            order_number=seedtext.ORDER.format(n=rng.randint(1, 400), year=case["fiscal_year"])
            if "investigation" in steps
            else "",
        )
        for _ in range(access.DECOY_BLOCK):
            rows.add(
                ConflictExclusion,
                organization_id=case["organization_id"],
                case_id=case["id"],
                user_key=secrets.token_hex(32),
                created_on=local_date(at),
            )
        event = self.event_maker(rows, case)
        event(at, "received", public=True, status_to="received", data={"files": 0, "unscrubbed": 0})
        self.audit_entry(case, at, "filed", {"confidential": False, "files": 0})
        current = "received"
        for number, (step, t) in enumerate(zip(steps, times, strict=True), 1):
            outcome = case["outcome"] if number == len(steps) else None
            if step == "referred_out":
                rows.add(
                    Referral,
                    organization_id=case["organization_id"],
                    case_id=case["id"],
                    # Closed after the referral: the body's decision came (its text is not
                    # seeded).
                    status="decided" if case["outcome"] == "referred" else "referred",
                    body=rng.choice(seedtext.REFERRAL_BODIES),
                    reference_number=f"ปช {rng.randint(1, 9999):04d}/{case['fiscal_year']}",
                    referred_on=local_date(t),
                    referred_by=None,
                    follow_up_on=local_date(t) + timedelta(days=30),
                )
            event(t, "status", public=True, status_from=current, status_to=step)
            self.audit_entry(
                case, t, "status", {"status_from": current, "status_to": step, "outcome": outcome}
            )
            current = step

    def event_maker(self, rows: _Rows, case: dict) -> Callable:
        def event(
            at: datetime,
            kind: str,
            *,
            public: bool,
            body: str = "",
            data=None,
            status_from=None,
            status_to=None,
        ):
            rows.add(
                CaseEvent,
                organization_id=case["organization_id"],
                case_id=case["id"],
                at=at,
                kind=kind,
                public=public,
                actor_id=None,
                status_from=status_from,
                status_to=status_to,
                body=body,
                data=data,
            )

        return event

    def audit_entry(self, case: dict, at: datetime, action: str, data: dict) -> None:
        self.audit.append(
            {
                "at": at,
                "actor_id": None,
                "action": f"tip.{action}",
                "case_id": case["id"],
                "target": case["case_number"],
                "data": data,
            }
        )

    def tracking_hash(self) -> str:
        """A random hash no code opens; every ``keep_every``-th complaint a real code's."""
        if self.keep_codes and len(self.result.codes) < self.keep_codes:
            self.keep_every -= 1
            if self.keep_every <= 0:
                self.keep_every = max(1, int(self.total / self.keep_codes / 2))
                code = tracking.generate_code()
                self.result.codes.append(code)
                return tracking.hash_code(self.ring.tracking_key, tracking.normalize_code(code))
        return secrets.token_hex(32)


def seed(
    org: Organization,
    cases: int,
    *,
    tip_share: float = TIP_SHARE,
    rng: random.Random | None = None,
    keep_codes: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Seeded:
    """Write ``cases`` cases for ``org`` and commit (see the module's docstring)."""
    if cases < 1:
        raise ValueError("seed at least one case")
    started = time.monotonic()
    rng = rng or random.Random()
    seeder = _Seeder(org, cases, rng, keep_codes)
    tips = max(round(cases * tip_share), min(cases // 4, len(lifecycle.TIP_STATES) * 2))
    tips = set(rng.sample(range(cases), tips))
    connection = db.session.connection()
    postgres = connection.dialect.name == "postgresql"
    sink = _Copy(connection) if postgres else _Insert(connection)
    rows = _Rows()
    try:
        for first in range(0, cases, CHUNK):
            planned = seeder.plan(first, min(CHUNK, cases - first), tips)
            wanted = Counter((channel, fy) for _, channel, fy in planned)
            numbers = {
                register: numbering.take(org.id, *register, count)
                for register, count in sorted(wanted.items())
            }
            ids = sink.case_ids(len(planned))
            for case_id, (at, channel, fy) in zip(ids, planned, strict=True):
                seeder.case(rows, case_id, numbers[(channel, fy)], at, channel, fy)
                numbers[(channel, fy)] += 1
            rows.flush(sink, seeder.result.rows)
            if progress:
                progress(first + len(planned), cases)
        for entry in audit.chain_many(org.id, audit.TIPS, seeder.audit):
            rows.add(AuditEntry, **entry)
        rows.flush(sink, seeder.result.rows)
        rollup.add(connection, seeder.figures)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if postgres:
        for model in TABLES:
            db.session.execute(sa.text(f"ANALYZE {model.__tablename__}"))
        db.session.commit()
    seeder.result.cases = cases
    seeder.result.seconds = time.monotonic() - started
    return seeder.result
