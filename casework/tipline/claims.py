"""How the complainant of a transferred complaint collects the tip's receipt, and staff do not.

The complainant holds the old tracking code; so may staff: the clerk who recorded a phone call,
letter or walk-in printed it on the slip, and a web filer may read theirs out to an officer. So
the code alone is never trusted silently:

- **No receipt waits.** A transfer makes none (nothing server-readable yields one); the first
  claim with the old code makes a fresh receipt, shows it once and keeps only its scrypt lookup.
- **Staff-recorded complaints need a custodian.** When staff recorded the complaint (anything
  but the public web form), the receipt a claim makes is *held*: it opens nothing until an
  identity custodian confirms it. The claim page shows a confirmation code beside the receipt;
  the complainant reads it to a custodian, who types it in, after making sure they speak to the
  complainant (in person, or calling back the contact the complainant gave) and not to staff.
- **Every claim is announced.** The old tracking page says whether a receipt was collected (or
  waits for a custodian), and on which day, so a complainant sees a claim they did not make.
- **A second claim voids them all.** Another claim with the same code (not a refresh of the
  same form) turns the claim *disputed*: the receipt made with it stops working, custodians see
  the alert on their pages and in the channel's trail, and only a custodian reopens it, after
  which every receipt of that code waits for a custodian's confirmation.

Residual risk: a custodian who confirms without checking who they speak to, or who colludes,
hands the receipt over; and for an anonymous staff-recorded complaint nothing but the person
distinguishes the complainant from the clerk. Staff who claim first are not stopped from
trying, but cannot do so silently: their receipt does not work until confirmed, and the
complainant's own claim voids it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.cases import lookup
from casework.cases.errors import FieldErrors
from casework.crypto import keys, resubmit, tracking
from casework.crypto.blindindex import keyed_tag
from casework.dates import clock
from casework.extensions import db, transaction
from casework.models import Case, Organization, TipClaim, User
from casework.tipline import access, custody, filing, trail

OPEN, HELD, CLAIMED, DISPUTED = "open", "held", "claimed", "disputed"
CHECK_SYMBOLS = 8  # the confirmation code: 7 symbols and a check symbol, "XXXX-XXXX"


class ClaimError(FieldErrors):
    """A custodian's decision on a claim that cannot be taken (``message`` says why)."""


def _tag(tracking_hash: str) -> str:
    """Keyed, so the tip's row does not carry the complaint's own tracking hash."""
    return keyed_tag(keys.keyring(), "tip-claim", tracking_hash)


def open_for(tip: Case, tracking_hash: str, *, staff_saw_code: bool) -> TipClaim:
    """Let the complaint's old code claim ``tip``'s receipt (in the transfer's transaction)."""
    row = TipClaim(
        organization_id=tip.organization_id,
        case_id=tip.id,
        code_tag=_tag(tracking_hash),
        state=OPEN,
        needs_custodian=staff_saw_code,
    )
    db.session.add(row)
    return row


def _find(org: Organization, text: object) -> TipClaim | None:
    digest, well_formed = lookup.typed_hash(text)
    row = db.session.scalar(
        select(TipClaim).filter_by(organization_id=org.id, code_tag=_tag(digest))
    )
    return row if well_formed else None


def check_code(row: TipClaim) -> str:
    """The confirmation code of a held receipt, derived from its lookup (never stored)."""
    digest = bytes.fromhex(keyed_tag(keys.keyring(), "tip-claim-check", row.held_lookup or ""))
    data = "".join(tracking.ALPHABET[b % 32] for b in digest[: CHECK_SYMBOLS - 1])
    return tracking.format_code(data + tracking.check_char(data))


@dataclass
class Claim:
    outcome: str  # claimed | held | repeated | disputed
    case: Case
    receipt: str | None = None  # shown once
    check: str | None = None  # the confirmation code, when a custodian must confirm


def claim(org: Organization, tracking_code: object, form_token: object = None) -> Claim | None:
    """Claim the receipt of the tip a complaint's old code was transferred to; None when the
    code claims nothing. Commits."""
    row = _find(org, tracking_code)
    if row is None:
        return None
    tip = db.session.get(Case, row.case_id)
    token = resubmit.token_hash(form_token) if isinstance(form_token, str) and form_token else None
    if token and token == row.token_hash and row.state in (HELD, CLAIMED):
        return Claim("repeated", tip)  # the same form again (a refresh): nothing to show
    with transaction():
        return _issue(org, tip, row, token) if row.state == OPEN else _dispute(tip, row)


def _issue(org: Organization, tip: Case, row: TipClaim, token: str | None) -> Claim:
    details = filing.details_of(tip)
    fresh = filing.new_receipt(org, tip, details, filing.content_of(tip, details))
    row.token_hash, row.claimed_on = token, clock.today()
    if row.needs_custodian:
        row.held_lookup, row.state = fresh.lookup, HELD
        trail.record(tip, "receipt_held", None)
        return Claim(HELD, tip, fresh.text, check_code(row))
    details.receipt_lookup, row.state = fresh.lookup, CLAIMED
    trail.record(tip, "receipt_claimed", None)
    return Claim(CLAIMED, tip, fresh.text)


def _void(tip: Case, row: TipClaim) -> None:
    details = filing.details_of(tip)
    details.receipt_lookup = details.proof_sealed = None
    row.held_lookup = row.token_hash = None


def _dispute(tip: Case, row: TipClaim) -> Claim:
    """A second claim with the same code: nobody's receipt works until a custodian reopens."""
    _void(tip, row)
    row.state, row.needs_custodian = DISPUTED, True
    trail.record(tip, "claim_disputed", None)
    return Claim(DISPUTED, tip)


# What the old tracking page says, so the complainant sees any claim they did not make.
@dataclass
class Notice:
    state: str
    on: date | None


def notice_for(complaint: Case) -> Notice | None:
    """The claim of the tip ``complaint`` was transferred to, for its tracking page (the caller
    opened it with the code)."""
    if complaint.outcome != "transferred" or not complaint.tracking_hash:
        return None
    row = db.session.scalar(select(TipClaim).filter_by(code_tag=_tag(complaint.tracking_hash)))
    return Notice(row.state, row.claimed_on) if row is not None else None


# The custodians' side.
@dataclass
class Waiting:
    claim: TipClaim
    case: Case


def _custodians_tips(custodian: User, *states: str):
    return db.session.execute(
        select(TipClaim, Case)
        .join(Case, Case.id == TipClaim.case_id)
        .where(
            TipClaim.organization_id == custodian.organization_id,
            TipClaim.state.in_(states),
        )
        .order_by(Case.fiscal_year, Case.sequence)
    ).all()


def waiting(custodian: User) -> list[Waiting]:
    """Held and disputed claims, for a custodian whose key is active (never of a tip that
    excludes them): an account made custodian but not yet approved decides nothing."""
    key = custody.key_of(custodian) if access.is_custodian(custodian) else None
    if key is None or not key.active:
        return []
    return [
        Waiting(row, case)
        for row, case in _custodians_tips(custodian, HELD, DISPUTED)
        if not access.is_excluded(custodian.id, case)
    ]


def claim_for(custodian: User, claim_id: int) -> Waiting | None:
    return next((w for w in waiting(custodian) if w.claim.id == claim_id), None)


def _decide(found: Waiting, custodian: User, action: str, change) -> None:
    with transaction():
        change(found.claim)
        trail.record(found.case, action, custodian.id)


def confirm(found: Waiting, custodian: User, typed: str) -> None:
    """The complainant read the confirmation code to the custodian: the held receipt works."""
    row = found.claim
    typed_code = tracking.normalize_code(typed or "", CHECK_SYMBOLS)
    if row.state != HELD or typed_code is None:
        raise ClaimError(message=_l("Type the confirmation code the complainant reads to you."))
    if tracking.format_code(typed_code) != check_code(row):
        raise ClaimError(
            message=_l("That is not the confirmation code of this receipt. Nothing was changed.")
        )

    def change(claim: TipClaim) -> None:
        details = filing.details_of(found.case)
        details.receipt_lookup, claim.held_lookup, claim.state = claim.held_lookup, None, CLAIMED

    _decide(found, custodian, "claim_confirmed", change)


def refuse(found: Waiting, custodian: User) -> None:
    """Not the complainant: the held receipt is dropped and the code may claim again (held)."""
    if found.claim.state != HELD:
        raise ClaimError(message=_l("This claim no longer waits for a decision."))

    def change(claim: TipClaim) -> None:
        _void(found.case, claim)
        claim.state = OPEN

    _decide(found, custodian, "claim_refused", change)


def reopen(found: Waiting, custodian: User) -> None:
    """After a dispute, once the custodian knows who the complainant is: the code may claim
    again, and the receipt it makes waits for a custodian's confirmation."""
    if found.claim.state != DISPUTED:
        raise ClaimError(message=_l("This claim no longer waits for a decision."))

    def change(claim: TipClaim) -> None:
        claim.state, claim.needs_custodian = OPEN, True

    _decide(found, custodian, "claim_reopened", change)


def waiting_count(custodian: User) -> int:
    return len(waiting(custodian))
