"""The corruption-tip channel's own rows. A tip is a ``cases`` row (channel="tip") whose
``subject`` and ``details`` stay empty: everything the tipster wrote lives sealed here.

Dates, never times: no row of this channel keeps a time finer than the day.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from casework.extensions import db
from casework.models.base import BIG_ID, big_pk, case_fk, org_fk
from casework.models.case import Case


class TipDetails(db.Model):
    """One per tip: the sealed questionnaire, the receipt's lookup hash, the officer-facing
    pseudonym of the tipster and the investigation's register entries."""

    __tablename__ = "tip_details"

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk(unique=True)
    # scrypt(receipt, pepper): the receipt itself is never stored (SecureDrop's pattern).
    receipt_lookup: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The guided questionnaire's answers, AES-GCM under the server keyring (casework.crypto.fields).
    questionnaire_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    # The signed proof of submission, AES-GCM under the key only the receipt derives.
    proof_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # A confidential identity was given and sealed to the custodians (the identity is not here).
    confidential: Mapped[bool] = mapped_column(default=False)
    pseudonym: Mapped[str] = mapped_column(String(32))
    # Moved in from the general channel (the complaint keeps no link back to this tip; the
    # complainant collects a receipt through a TipClaim).
    transferred: Mapped[bool] = mapped_column(default=False)
    # Investigation register (คำสั่งแต่งตั้งคณะกรรมการสอบสวน): the order's number, and
    # the committee sealed like the content (members' names say whom the tip is about).
    order_number: Mapped[str] = mapped_column(String(100), default="")
    committee_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Disciplinary or criminal follow-up (ลงโทษ/ดำเนินคดี), sealed: it names the offender.
    penalty_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)

    # How the tip arrived (casework.tipline.origins.ORIGINS: web, letter, anonymous letter,
    # phone, visit, referral in, inspection or audit, media); a referral in also names the
    # agency (casework.tipline.referral.BODIES, or another agency by name) and its reference.
    origin: Mapped[str] = mapped_column(String(24), default="web", server_default="web")
    origin_body: Mapped[str | None] = mapped_column(String(16))
    origin_body_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    origin_reference: Mapped[str] = mapped_column(String(100), default="", server_default="")

    # What each stage recorded (casework.tipline.stages). Free texts may name the accused, so
    # they are sealed like the questionnaire; codes, numbers and dates are not.
    # Preliminary fact-finding (สืบสวนข้อเท็จจริง): who was assigned, and the result.
    fact_finder_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    preliminary_result_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Investigation (สอบสวน): the charges (ข้อกล่าวหา); order number and committee above.
    charges_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Findings (ผลการสอบสวน): facts found, the conclusion, the evidence relied on.
    facts_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    conclusion: Mapped[str | None] = mapped_column(String(16))  # founded|partly_founded|unfounded
    evidence_relied_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Disciplinary outcome (ผลการลงโทษ): the kind of penalty, its order and date, referrals to
    # criminal or civil proceedings, money to recover (in satang).
    penalty_kind_id: Mapped[int | None] = mapped_column(ForeignKey("penalty_kinds.id"))
    penalty_order_number: Mapped[str] = mapped_column(String(100), default="", server_default="")
    penalty_order_on: Mapped[date | None]
    criminal_referral: Mapped[bool] = mapped_column(default=False, server_default=false())
    civil_referral: Mapped[bool] = mapped_column(default=False, server_default=false())
    money_to_recover: Mapped[int | None] = mapped_column(BigInteger)  # satang
    # Follow-up of the offender (ติดตามผล): until when, and when the next check is due.
    follow_up_until: Mapped[date | None]
    next_check_on: Mapped[date | None]


class PenaltyKind(db.Model):
    """One kind of disciplinary penalty an organization's orders impose (ภาคทัณฑ์, ตัดเงินเดือน,
    ลดขั้นเงินเดือน, ปลดออก, ไล่ออก, or its own): the one table of these labels, kept by
    integrity officers (casework.tipline.penalties)."""

    __tablename__ = "penalty_kinds"
    __table_args__ = (UniqueConstraint("organization_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    code: Mapped[str] = mapped_column(String(32))
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class TipFollowUpCheck(db.Model):
    """One check on an offender during the follow-up period, with a repeat offence linked to
    the later tip that reports it (casework.tipline.followups)."""

    __tablename__ = "tip_follow_up_checks"

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    checked_on: Mapped[date]
    checked_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    repeat_case_id: Mapped[int | None] = mapped_column(
        BIG_ID, ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )


class TipRecordCorrection(db.Model):
    """A stage's record corrected after the fact by an officer assigned to the tip
    (casework.tipline.corrections): the stage (or ``follow_up_check``, one check on the
    offender, or ``referral_decision``, the outside body's decision), the fields changed, who
    and which day, and the values it replaced, sealed. The tips trail's
    ``tip.record_corrected`` entry names it."""

    __tablename__ = "tip_record_corrections"

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    stage: Mapped[str] = mapped_column(String(24))
    # The check corrected, when the record is one of the offender's checks.
    check_id: Mapped[int | None] = mapped_column(
        BIG_ID, ForeignKey("tip_follow_up_checks.id", ondelete="CASCADE")
    )
    fields: Mapped[str] = mapped_column(String(300))  # the names changed, comma-separated
    corrected_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    corrected_on: Mapped[date]
    old_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    # Its place among the tip's corrections (1, 2, 3 …; casework.models.rowids): the id is
    # random and the day is all the time a tip keeps.
    position: Mapped[int] = mapped_column(default=0, server_default="0")


class TipIdentity(db.Model):
    """The tipster's identity sealed to one custodian's X25519 key (one row per custodian)."""

    __tablename__ = "tip_identities"
    __table_args__ = (UniqueConstraint("case_id", "custodian_key_id"),)

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    custodian_key_id: Mapped[int] = mapped_column(ForeignKey("custodian_keys.id"), index=True)
    box: Mapped[bytes] = mapped_column(LargeBinary)


class CustodianKey(db.Model):
    """A custodian's X25519 public key and its private half wrapped under their passphrase.

    Identities are sealed only to approved keys: the organization's first key (its
    ``CustodyCeremony``), and every later one once an active custodian has approved it
    (``approved_by``). Nothing else makes a key active."""

    __tablename__ = "custodian_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = org_fk()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped: Mapped[str] = mapped_column(Text)  # custodian_keys.WrappedKey JSON
    created_on: Mapped[date]
    active: Mapped[bool] = mapped_column(default=False)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_on: Mapped[date | None]


class CustodyCeremony(db.Model):
    """The organization's first custodian key, activated without a second custodian (there was
    none). One row per organization, written once and never removed: however many custodians
    leave later, every later key waits for an active custodian's approval."""

    __tablename__ = "custody_ceremonies"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="RESTRICT"), unique=True
    )
    custodian_key_id: Mapped[int] = mapped_column(ForeignKey("custodian_keys.id"))
    held_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    held_on: Mapped[date]


class TipAssignment(db.Model):
    """An integrity officer assigned to a tip: only they read its content."""

    __tablename__ = "tip_assignments"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_on: Mapped[date]


class ConflictExclusion(db.Model):
    """A staff account kept out of a tip because the tip names them or their unit.

    The account is stored only as ``HMAC(index key, case, user)``, and every tip carries decoy
    rows up to a multiple of eight, so the database alone shows neither whom a tip accuses nor
    the size of the unit it names (casework.tipline.access)."""

    __tablename__ = "tip_exclusions"
    __table_args__ = (UniqueConstraint("case_id", "user_key"),)

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    user_key: Mapped[str] = mapped_column(String(64))
    created_on: Mapped[date]
    # A personal conflict the excluded person declared, in their words (AES-GCM under the
    # server keyring); empty for the tip's own conflicts (it names them or their unit).
    statement_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)


class RevealRequest(db.Model):
    """An integrity officer's request to learn a tipster's identity, and the custodians'
    answer: ``approvals_needed`` different custodians approve it (``RevealApproval``), the last
    of them opens it; one refusal ends it."""

    __tablename__ = "tip_reveal_requests"

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_on: Mapped[date]
    reason_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|approved|refused
    # Fixed when the request is filed, so no later change of custodians lowers it.
    approvals_needed: Mapped[int] = mapped_column(default=1, server_default="1")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date | None]
    # Why a custodian refused (sealed like the reason).
    refusal_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)


class RevealApproval(db.Model):
    """One custodian's approval of a reveal request, given with their passphrase."""

    __tablename__ = "tip_reveal_approvals"
    __table_args__ = (UniqueConstraint("request_id", "custodian_id"),)

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    request_id: Mapped[int] = mapped_column(
        BIG_ID, ForeignKey("tip_reveal_requests.id", ondelete="CASCADE"), index=True
    )
    custodian_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_on: Mapped[date]


class TipClosure(db.Model):
    """An integrity officer's request to close a tip without action (unfounded, or not enough
    facts), which a second person (another integrity officer or a custodian) approves or
    refuses. The notes wait sealed until the closure is applied."""

    __tablename__ = "tip_closures"

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk()
    outcome: Mapped[str] = mapped_column(String(16))
    public_note_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    internal_note_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|approved|refused
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date | None]


class Referral(db.Model):
    """A tip sent to an outside body, with the body's reference number.

    Whether a tip *should* be referred (it names the mayor, a deputy mayor or the municipal
    clerk) is worked out from the sealed answers each time and never stored, so the database
    alone does not say whom a tip accuses (casework.tipline.referral)."""

    __tablename__ = "tip_referrals"

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk(unique=True)
    status: Mapped[str] = mapped_column(String(16), default="referred")  # referred | decided
    body: Mapped[str | None] = mapped_column(String(16))  # a referral.BODIES code
    body_name: Mapped[str] = mapped_column(String(200), default="", server_default="")  # "other"
    reference_number: Mapped[str] = mapped_column(String(100), default="")
    referred_on: Mapped[date | None]
    referred_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # When to ask the body how it stands (the daily sweep reminds the assigned officers), and
    # what it decided (sealed: it names the accused); recording the decision closes the tip.
    follow_up_on: Mapped[date | None]
    decision_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    decided_on: Mapped[date | None]
    decision_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TipClaim(db.Model):
    """How the complainant of a transferred complaint collects the tip's receipt with their old
    tracking code (casework.tipline.claims). Nothing here yields a receipt: one is made only
    when someone claims, and kept only as its scrypt lookup."""

    __tablename__ = "tip_claims"

    id: Mapped[int] = big_pk()
    organization_id: Mapped[int] = org_fk()
    case_id: Mapped[int] = case_fk(unique=True)
    # HMAC of the complaint's tracking hash: the old code finds this row, yet the database alone
    # does not link the complaint and the tip.
    code_tag: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(16), default="open")  # open|held|claimed|disputed
    # Staff recorded the complaint (and so saw its code): a custodian confirms every receipt.
    needs_custodian: Mapped[bool] = mapped_column(default=False)
    # scrypt lookup of a receipt waiting for a custodian's confirmation.
    held_lookup: Mapped[str | None] = mapped_column(String(64), unique=True)
    # SHA-256 of the claiming form's one-time token: a refresh of that form is no second claim.
    token_hash: Mapped[str | None] = mapped_column(String(64))
    claimed_on: Mapped[date | None]


@event.listens_for(Case.channel, "set")
def _tips_never_leave(target, value, oldvalue, initiator):
    """A tip can never move back to the general channel (the transfer is one-way)."""
    if oldvalue == "tip" and value != "tip":
        raise ValueError("a tip cannot leave the corruption channel")
