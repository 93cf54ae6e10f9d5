"""The Alembic migrations build exactly the schema the models describe, and move the data."""

import hashlib
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from casework import audit
from casework.extensions import db, migrations
from casework.models import AuditEntry

# Migrations run DDL on connections of their own.
pytestmark = pytest.mark.real_commits


def _empty_database() -> None:
    db.drop_all()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


@pytest.fixture
def bare(make_app):
    """In the context of an app whose database has no tables, not even Alembic's."""
    app = make_app()
    migrations(app)
    with app.app_context():
        _empty_database()
        yield app


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(bare):
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == [], "models and migrations differ: run `flask --app wsgi db migrate`"
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()


RENAME = "65bc0389d8b6"  # intake_channel -> received_via; tips get kind "tip"
BEFORE = "f1df7c7baa92"


def _insert(conn, name: str, **values) -> int:
    """A row of table ``name`` as the schema stands: required columns get a plain filler."""
    table = sa.Table(name, sa.MetaData(), autoload_with=conn)
    fillers = {
        sa.String: "x",
        sa.Text: "",
        sa.Integer: 0,
        sa.Boolean: False,
        sa.Float: 0.0,
        sa.DateTime: datetime(2026, 11, 2, 3, 4),
        sa.Date: date(2026, 11, 2),
        sa.LargeBinary: b"",
        sa.JSON: {},
    }
    row = {
        c.name: next(v for t, v in fillers.items() if isinstance(c.type, t))
        for c in table.columns
        if not (c.nullable or c.primary_key or c.name in values)
    }
    return conn.execute(table.insert().values({**row, **values})).inserted_primary_key[0]


def _case(conn, org: int, number: str, category: int, sequence: int, **values) -> int:
    """A case of fiscal year 2570 (a tip when its number starts with T)."""
    tip = number.startswith("T")
    values.setdefault("channel", "tip" if tip else "complaint")
    values.setdefault("kind", "tip" if tip else "complaint")
    return _insert(
        conn,
        "cases",
        organization_id=org,
        case_number=number,
        category_id=category,
        fiscal_year=2570,
        sequence=sequence,
        **values,
    )


def _cases(conn) -> dict:
    table = sa.Table("cases", sa.MetaData(), autoload_with=conn)
    return {r.case_number: r._asdict() for r in conn.execute(sa.select(table))}


def test_received_via_rename_keeps_every_value_and_tips_get_their_kind(make_app):
    app = make_app()
    migrations(app)
    with app.app_context():
        _empty_database()
        upgrade(revision=BEFORE)
        with db.engine.begin() as conn:
            org = _insert(conn, "organizations", slug="test")
            cat = _insert(conn, "categories", organization_id=org, channel="complaint", code="c")
            tip_cat = _insert(conn, "categories", organization_id=org, channel="tip", code="t")
            filed = [
                ("2570/000001", "complaint", "grievance", "phone", cat, 1),
                ("2570/000002", "complaint", "complaint", "letter", cat, 2),
                ("T2570/00001", "tip", "complaint", "web", tip_cat, 1),
            ]
            for number, channel, kind, via, category, sequence in filed:
                case = _case(
                    conn,
                    org,
                    number,
                    category,
                    sequence,
                    channel=channel,
                    kind=kind,
                    intake_channel=via,
                    subject=f"subject of {number}",
                )
                _insert(conn, "case_events", organization_id=org, case_id=case, kind="received")
            before = _cases(conn)

        upgrade(revision=RENAME)
        with db.engine.connect() as conn:
            after = _cases(conn)
            events = conn.execute(sa.text("SELECT count(*) FROM case_events")).scalar()
        assert events == 3
        assert {n: (r["received_via"], r["kind"]) for n, r in after.items()} == {
            "2570/000001": ("phone", "grievance"),
            "2570/000002": ("letter", "complaint"),
            "T2570/00001": ("web", "tip"),
        }
        assert "intake_channel" not in after["2570/000001"]
        # Nothing else moved: every other column of every row is as it was.
        for number, row in before.items():
            rest = {k: v for k, v in row.items() if k not in ("intake_channel", "kind")}
            assert {k: after[number][k] for k in rest} == rest

        downgrade(revision=BEFORE)
        with db.engine.connect() as conn:
            assert _cases(conn) == before


def test_the_migration_that_keys_the_audit_chain_pins_the_entries_before_it(bare):
    upgrade(revision="f1df7c7baa92")
    # Three entries as the code before it wrote them: plain SHA-256.
    db.session.execute(
        text(
            "INSERT INTO organizations (slug, name_th, name_en, kind, address_th, address_en, "
            "phone, email, website, sla_mode, due_soon_days, letter_prefix, signatory_name, "
            "signatory_title, created_at) VALUES ('x', 'x', 'x', 'municipality', '', '', '', "
            "'', '', 'calendar', 3, '', '', '', :now)"
        ).bindparams(sa.bindparam("now", type_=sa.DateTime)),
        {"now": datetime(2026, 1, 1)},
    )
    org_id = db.session.scalar(text("SELECT id FROM organizations"))
    prev = audit.GENESIS
    for seq in (1, 2, 3):
        fields = {
            "organization_id": org_id,
            "seq": seq,
            "at": datetime(2026, 1, seq, 9, 30),
            "actor_id": None,
            "action": "login.success",
            "case_id": None,
            "target": "someone",
            "data": None,
            "prev_hash": prev,
            "chain": "main",
        }
        prev = hashlib.sha256(audit.canonical(fields)).hexdigest()
        db.session.execute(
            text(
                "INSERT INTO audit_entries (organization_id, chain, seq, at, action, "
                "target, prev_hash, hash) VALUES (:organization_id, :chain, :seq, :at, "
                ":action, :target, :prev_hash, :hash)"
            ).bindparams(sa.bindparam("at", type_=sa.DateTime)),
            {**fields, "hash": prev},
        )
    db.session.execute(
        text(
            "INSERT INTO audit_heads (organization_id, chain, seq, hash) VALUES (:o, 'main', 3, :h)"
        ),
        {"o": org_id, "h": prev},
    )
    db.session.commit()
    assert not audit.verify(org_id).ok  # not pinned: anyone could have written these
    db.session.rollback()  # end the read: on PostgreSQL a later revision alters these tables

    upgrade()
    verdict = audit.verify(org_id)
    assert verdict.ok and verdict.checked == 4 and verdict.unkeyed == 3
    pin = db.session.scalar(db.select(AuditEntry).filter_by(seq=4))
    assert pin.action == audit.KEYED and pin.prev_hash == prev


def test_the_custody_migration_closes_the_first_key_path_on_existing_data(bare):
    """An organization upgraded with keys: its earliest key becomes its first-key ceremony, a
    key the old rule activated without approval goes back to waiting for one, and a reveal
    approved under the one-custodian rule keeps its approver as its one approval."""
    from casework.models import CustodianKey, CustodyCeremony, RevealApproval

    upgrade(revision=BEFORE)
    with db.engine.begin() as conn:
        org = _insert(conn, "organizations", slug="old")
        users = [
            _insert(conn, "users", organization_id=org, email=f"c{n}@old.test", role="custodian")
            for n in (1, 2, 3)
        ]
        # 1: the first key; 2: approved by 1; 3: activated alone while 1 and 2 were away.
        keys = [
            _insert(
                conn,
                "custodian_keys",
                organization_id=org,
                user_id=user,
                created_on=date(2026, 1, n),
                active=True,
                approved_by=users[0] if n == 2 else None,
            )
            for n, user in zip((1, 2, 3), users, strict=True)
        ]
        cat = _insert(conn, "categories", organization_id=org, channel="tip", code="t")
        case = _insert(
            conn,
            "cases",
            organization_id=org,
            case_number="T2570/00001",
            channel="tip",
            category_id=cat,
            fiscal_year=2570,
            sequence=1,
        )
        _insert(
            conn,
            "tip_reveal_requests",
            organization_id=org,
            case_id=case,
            requested_by=users[0],
            status="approved",
            decided_by=users[1],
            decided_on=date(2026, 2, 1),
        )
    upgrade()
    [ceremony] = db.session.scalars(db.select(CustodyCeremony)).all()
    assert (ceremony.organization_id, ceremony.custodian_key_id) == (org, keys[0])
    assert ceremony.held_by == users[0] and ceremony.held_on == date(2026, 1, 1)
    active = {k.id: k.active for k in db.session.scalars(db.select(CustodianKey))}
    assert active == {keys[0]: True, keys[1]: True, keys[2]: False}
    [approval] = db.session.scalars(db.select(RevealApproval)).all()
    assert approval.custodian_id == users[1] and approval.approved_on == date(2026, 2, 1)
    db.session.remove()
    downgrade(revision="base")


RANDOM_IDS = "7c3e9a41d2b8"  # tip rows take random ids; tip_claims replace the sealed receipt


def test_random_ids_revision_voids_a_waiting_sealed_receipt_and_places_the_timeline(bare):
    upgrade(revision=RENAME)
    with db.engine.begin() as conn:
        org = _insert(conn, "organizations", slug="test")
        cat = _insert(conn, "categories", organization_id=org, channel="tip", code="t")
        tips = {}
        for number, sequence in (("T2570/00001", 1), ("T2570/00002", 2)):
            tips[number] = _case(conn, org, number, cat, sequence)
            for kind in ("received", "status", "note"):
                _insert(conn, "case_events", organization_id=org, case_id=tips[number], kind=kind)
        waiting, claimed = tips["T2570/00001"], tips["T2570/00002"]
        _insert(
            conn,
            "tip_details",
            organization_id=org,
            case_id=waiting,
            receipt_lookup="a" * 64,
            proof_sealed=b"sealed proof",
            claim_hash="c" * 64,
            claim_sealed=b"the receipt, readable with the server key",
        )
        _insert(conn, "tip_details", organization_id=org, case_id=claimed, receipt_lookup="b" * 64)

    upgrade(revision=RANDOM_IDS)
    with db.engine.begin() as conn:
        details = {
            r.case_id: r for r in conn.execute(sa.text("SELECT * FROM tip_details")).mappings()
        }
        assert "claim_sealed" not in details[waiting] and "claim_hash" not in details[waiting]
        assert details[waiting]["receipt_lookup"] is None
        assert details[waiting]["proof_sealed"] is None
        assert details[claimed]["receipt_lookup"] == "b" * 64
        (claim,) = conn.execute(sa.text("SELECT * FROM tip_claims")).mappings()
        assert claim["case_id"] == waiting and claim["code_tag"] == "c" * 64
        assert claim["state"] == "open" and claim["needs_custodian"] and claim["id"] < 0
        places = conn.execute(
            sa.text("SELECT case_id, kind, position FROM case_events ORDER BY id")
        ).all()
        assert [(k, p) for _c, k, p in places] == [
            ("received", 1),
            ("status", 2),
            ("note", 3),
        ] * 2
        # A tip's random negative id leaves the general channel's numbering where it was,
        # even when only tips are left in the table.
        for table in ("tip_claims", "tip_details", "case_events", "cases"):
            conn.execute(sa.Table(table, sa.MetaData(), autoload_with=conn).delete())
        _case(conn, org, "T2570/00003", cat, 3, id=-5)
        later = _case(conn, org, "2570/000001", cat, 1)
        assert later > max(tips.values())

    downgrade(revision=RENAME)
    with db.engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("tip_details")}
        assert {"claim_hash", "claim_sealed"} <= columns
        assert "tip_claims" not in inspect(conn).get_table_names()


CASEWORK = "67d606a695a9"  # tip casework: origins, stage records, penalty kinds, follow-ups
BEFORE_CASEWORK = "9f4f5dfe9922"


def test_the_casework_migration_seeds_penalty_kinds_and_closes_referred_tips(bare):
    upgrade(revision=BEFORE_CASEWORK)
    with db.engine.begin() as conn:
        org = _insert(conn, "organizations", slug="test")
        tip_cat = _insert(conn, "categories", organization_id=org, channel="tip", code="t")
        _case(conn, org, "T2570/00001", tip_cat, 1, status="referred_out", outcome="referred")
        _case(conn, org, "T2570/00002", tip_cat, 2, status="investigation")
    upgrade(revision=CASEWORK)
    with db.engine.connect() as conn:
        statuses = {n: (r["status"], r["outcome"]) for n, r in _cases(conn).items()}
        kinds = (
            conn.execute(
                sa.text(
                    "SELECT name_th FROM penalty_kinds"
                    " WHERE organization_id = :o ORDER BY sort_order"
                ),
                {"o": org},
            )
            .scalars()
            .all()
        )
    # Referred out closed a tip before; it no longer does, so those tips are closed as referred.
    assert statuses == {
        "T2570/00001": ("closed", "referred"),
        "T2570/00002": ("investigation", None),
    }
    assert kinds == ["ภาคทัณฑ์", "ตัดเงินเดือน", "ลดขั้นเงินเดือน", "ปลดออก", "ไล่ออก"]
    downgrade(revision=BEFORE_CASEWORK)
    with db.engine.connect() as conn:
        assert _cases(conn)["T2570/00001"]["status"] == "referred_out"


ROLLUP = "3b7f0d2c91e4"  # the published figures' rollup (case_figures), filled from the cases


def test_the_rollup_migration_counts_the_cases_already_there_facet_by_facet(bare):
    """Every facet of the rollup as the migration fills it from existing cases, written out by
    hand: the Bangkok month (a case received late on 31 October counts in November), counts,
    days to completion, the first deadline met, missed or explained, ratings, reopenings, and
    two identical cases counted in one row."""
    upgrade(revision=CASEWORK)
    with db.engine.begin() as conn:
        org = _insert(conn, "organizations", slug="test")
        dep = _insert(conn, "departments", organization_id=org)
        cat = _insert(conn, "categories", organization_id=org, channel="complaint", code="c")
        tip_cat = _insert(conn, "categories", organization_id=org, channel="tip", code="t")
        # Completed on time (Bangkok 1 -> 5 November), rated, reopened once, by LINE.
        _case(
            conn, org, "2570/000001", cat, 1,
            received_at=datetime(2026, 10, 31, 20, 0),
            status="completed",
            received_via="line",
            department_id=dep,
            completed_at=datetime(2026, 11, 5, 3, 0),
            due_date=date(2026, 11, 20),
            rating=4,
            reopen_count=1,
        )  # fmt: skip
        # Completed late against the first deadline, after an explanation of the delay.
        _case(
            conn, org, "2570/000002", cat, 2,
            received_at=datetime(2026, 12, 1, 1, 0),
            status="completed",
            received_via="web",
            department_id=dep,
            completed_at=datetime(2026, 12, 30, 2, 0),
            original_due_date=date(2026, 12, 20),
            due_date=date(2027, 1, 5),
            explained_at=datetime(2026, 12, 18, 4, 0),
            reopen_count=0,
        )  # fmt: skip
        # Two open tips alike, without a department: one row of counts and deadlines, n = 2.
        for number, sequence in (("T2570/00001", 1), ("T2570/00002", 2)):
            _case(
                conn, org, number, tip_cat, sequence,
                received_at=datetime(2026, 11, 2, 3, 4),
                status="investigation",
                received_via="web",
                due_date=date(2026, 12, 1),
                reopen_count=0,
            )  # fmt: skip
    upgrade(revision=ROLLUP)
    with db.engine.connect() as conn:
        found = {
            tuple(row[:-1]): row[-1]
            for row in conn.execute(
                sa.text(
                    "SELECT organization_id, month, channel, facet, status, category_id, "
                    "received_via, department_id, value, detail, n FROM case_figures"
                ).columns(month=sa.Date)
            )
        }
    nov, dec = date(2026, 11, 1), date(2026, 12, 1)
    epoch = date(1970, 1, 1).toordinal()

    def day(d: date) -> int:
        return d.toordinal() - epoch

    assert found == {
        (org, nov, "complaint", "counts", "completed", cat, "line", dep, 0, 0): 1,
        (org, nov, "complaint", "days", "completed", 0, "", 0, 4, 0): 1,
        (org, nov, "complaint", "deadline", "completed", 0, "", 0, day(date(2026, 11, 20)), 1): 1,
        (org, nov, "complaint", "rating", "", 0, "", 0, 4, 0): 1,
        (org, nov, "complaint", "reopened", "", 0, "", 0, 0, 0): 1,
        (org, dec, "complaint", "counts", "completed", cat, "web", dep, 0, 0): 1,
        (org, dec, "complaint", "days", "completed", 0, "", 0, 29, 0): 1,
        (org, dec, "complaint", "deadline", "completed", 0, "", 0, day(date(2026, 12, 20)), 6): 1,
        (org, nov, "tip", "counts", "investigation", tip_cat, "web", 0, 0, 0): 2,
        (org, nov, "tip", "deadline", "investigation", 0, "", 0, day(date(2026, 12, 1)), 0): 2,
    }
    downgrade(revision=CASEWORK)
    assert "case_figures" not in inspect(db.engine).get_table_names()


APP_PACKAGES = (
    "casework", "rongrian", "complaints", "whistleblow", "admin", "lineoa", "transparency",
)  # fmt: skip
# Not yet frozen: keying the audit chain reads the keyring and calls casework.audit.
STILL_IMPORTING = {"5d369af9344b_key_the_audit_chain.py": ["casework", "casework.crypto"]}


def test_migrations_import_nothing_of_the_app_so_that_they_stay_as_they_ran():
    """A migration is history: it copies what it needs, so a later change of the models or
    the rules cannot change what an old revision does (or break it). The rollup's revision
    carries its own table and its own copy of the contributions."""
    import ast
    from pathlib import Path

    versions = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    found = {}
    for path in sorted(versions.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            bad = [n for n in names if n.split(".")[0] in APP_PACKAGES]
            if bad:
                found.setdefault(path.name, []).extend(bad)
    assert found == STILL_IMPORTING
