"""Filing a tip, and finding it again by its receipt.

Everything happens in one transaction: numbering (T2570/00001, the tip register), the sealed
questionnaire, scrubbed and encrypted attachments, the identity sealed to the custodians,
conflict-of-interest exclusions, the first timeline entry and the audit entry. A failure
leaves nothing behind.

The receipt (95 random bits + a check symbol) is shown once and never stored: the tip keeps
``scrypt(receipt, pepper)`` to be found again, and the signed proof of submission is sealed
under an independent key that only the receipt derives (SecureDrop's pattern).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from casework.cases import attachments, contact, held, numbering, timeline, values
from casework.cases.attachments import Upload
from casework.cases.categories import find_category
from casework.cases.errors import IntakeError
from casework.cases.textinput import LIMITS, clean
from casework.crypto import keys, receipts, resubmit, signing, tracking
from casework.dates import clock
from casework.dates.thaidate import fiscal_year, local_date
from casework.extensions import db
from casework.models import Case, Category, Organization, TipDetails
from casework.models.case import TIP_KIND
from casework.tipline import access, custody, deadlines, origins, referral, scrub, sealing, trail

__all__ = ["IntakeError"]

ACCUSED_ROLES = {
    "mayor": _l("Mayor / chief executive (นายกฯ)"),
    "deputy_mayor": _l("Deputy mayor / deputy chief executive (รองนายกฯ)"),
    "clerk": _l("Municipal clerk (ปลัด)"),
    "council": _l("Council member (สมาชิกสภา)"),
    "staff": _l("Official or employee"),
    "unknown": _l("Not sure / other"),
}
HOW_KNOWN = {
    "witnessed": _l("I saw or heard it myself"),
    "involved": _l("I was involved or asked to take part"),
    "documents": _l("I have seen documents about it"),
    "told": _l("Someone told me"),
    "other": _l("Other"),
}
REPORTED_ELSEWHERE = {
    "no": _l("No"),
    "yes": _l("Yes"),
    "unsure": _l("Not sure"),
}
# Answer limits reuse the shared limits of the fields they resemble.
ANSWER_LIMITS = {
    "accused_name": LIMITS["name"],
    "accused_position": LIMITS["subject"],
    "accused_unit": LIMITS["subject"],
    "what": LIMITS["details"],
    "when": LIMITS["subject"],
    "where": LIMITS["location"],
    "how_known_details": LIMITS["message"],
    "evidence": LIMITS["details"],
    "witnesses": LIMITS["details"],
    "reported_where": LIMITS["location"],
}
MULTILINE = {"what", "how_known_details", "evidence", "witnesses"}
# What a tipster may give of themselves, sealed to the custodians (custody.IDENTITY_LABELS):
# the title (คำนำหน้าชื่อ) as the complaint form asks it (casework.cases.identity.TITLES).
IDENTITY_LIMITS = {
    "title": LIMITS["title"],
    "name": LIMITS["name"],
    "position": LIMITS["subject"],
} | {k: LIMITS[k] for k in ("phone", "email", "address")}
# Derived in place of a malformed receipt, so a bad one costs the same scrypt as a good one.
_NO_RECEIPT = "0" * receipts.RECEIPT_LENGTH


@dataclass
class TipSubmission:
    category: str = ""
    accused_name: str = ""
    accused_position: str = ""
    accused_unit: str = ""
    accused_role: str = "unknown"
    what: str = ""
    when: str = ""
    occurred_on: date | str | None = None
    where: str = ""
    how_known: str = ""
    how_known_details: str = ""
    evidence: str = ""
    witnesses: str = ""
    reported_elsewhere: str = "no"
    reported_where: str = ""
    confidential: bool = False
    identity: dict = field(default_factory=dict)
    consent: bool = False
    uploads: list[Upload] = field(default_factory=list)
    idempotency_token: str | None = None
    # The web form's files kept across a form error (casework.cases.held): already in
    # ``uploads``; deleted from where they were kept when the tip is filed.
    held_token: str | None = None
    # The API's Idempotency-Key: a retry with the same key and the same tip gets the receipt
    # again (a client whose connection broke after filing). The web form's token never does:
    # anyone at the same browser could press Back and send the form again.
    reshow_receipt: bool = False

    def answers(self) -> dict:
        """The questionnaire as it is sealed and hashed into the proof (no identity)."""
        return {
            "category": self.category,
            "accused": {
                "name": self.accused_name,
                "position": self.accused_position,
                "unit": self.accused_unit,
                "role": self.accused_role,
            },
            "what": self.what,
            "when": self.when,
            "occurred_on": self.occurred_on.isoformat() if self.occurred_on else "",
            "where": self.where,
            "how_known": self.how_known,
            "how_known_details": self.how_known_details,
            "evidence": self.evidence,
            "witnesses": self.witnesses,
            "reported_elsewhere": self.reported_elsewhere,
            "reported_where": self.reported_where,
        }


@dataclass
class Origin:
    """How a tip reached the organization (casework.tipline.origins) and the day it arrived;
    the web form's, today, unless staff register it."""

    code: str = "web"
    received_on: date | str | None = None
    body: str = ""  # a referral in: a casework.tipline.referral.BODIES code
    body_name: str = ""  # another agency, by name
    reference: str = ""  # the body's reference number


@dataclass
class FiledTip:
    case: TipDetails | Case
    receipt: str | None  # grouped receipt; None on a repeated submission (shown only once)
    proof: dict | None
    repeated: bool = False


def normalize(sub: TipSubmission) -> dict[str, str]:
    """Clean the submission in place; return field errors (empty when it can be filed)."""
    errors: dict[str, object] = {}
    sub.category = clean(sub.category)
    for name, limit in ANSWER_LIMITS.items():
        value = clean(getattr(sub, name), multiline=name in MULTILINE)
        setattr(sub, name, value)
        if len(value) > limit:
            errors[name] = _l("At most %(n)d characters.", n=limit)
    sub.identity = {
        k: clean((sub.identity or {}).get(k), multiline=k == "address") for k in IDENTITY_LIMITS
    }
    if not sub.category:
        errors["category"] = _l("Choose what the tip is about.")
    if not sub.what:
        errors["what"] = _l("Describe what happened.")
    if sub.accused_role not in ACCUSED_ROLES:
        errors["accused_role"] = _l("Choose from the list.")
    if sub.how_known and sub.how_known not in HOW_KNOWN:
        errors["how_known"] = _l("Choose from the list.")
    if sub.reported_elsewhere not in REPORTED_ELSEWHERE:
        errors["reported_elsewhere"] = _l("Choose from the list.")
    sub.occurred_on = values.occurred_on(errors, sub.occurred_on)
    _check_identity(sub, errors)
    problem = attachments.problems(sub.uploads)
    if problem:
        errors["attachments"] = problem
    return {k: str(v) for k, v in errors.items()}


def _check_identity(sub: TipSubmission, errors: dict) -> None:
    given = {k: v for k, v in sub.identity.items() if v}
    for name, value in given.items():
        if len(value) > IDENTITY_LIMITS[name]:
            errors[f"identity.{name}"] = _l("At most %(n)d characters.", n=IDENTITY_LIMITS[name])
    if not sub.confidential:
        if given:
            errors["confidential"] = _l(
                "You chose to stay anonymous: leave your details empty, or choose to give "
                "them confidentially."
            )
        return
    if not (given.get("name") or given.get("phone") or given.get("email")):
        errors["identity.name"] = _l("Give at least your name, a phone number or an email.")
    errors.update(contact.problems(given, "identity"))
    if not sub.consent:
        errors["consent"] = _l(
            "To give your identity, agree that it is kept for the identity custodians."
        )


def confidential_available(organization_id: int) -> bool:
    """A confidential identity can be filed only once a custodian has enrolled a key."""
    return bool(custody.active_keys(organization_id))


def kdf_cost() -> receipts.KdfCost:
    return current_app.config.get("RECEIPT_KDF_COST") or receipts.KdfCost()


def _receipt_secrets(canonical: str) -> tuple[str, str]:
    """(lookup hash, hex key the receipt unlocks): two independent scrypt derivations."""
    pepper, cost = keys.keyring().receipt_pepper, kdf_cost()
    return (
        receipts.lookup_hash(pepper, canonical, cost),
        receipts.receipt_key(pepper, canonical, cost).hex(),
    )


def content_document(answers: dict, files: list[Upload]) -> dict:
    """What the proof's hash covers: the answers and a SHA-256 of each file as the tipster
    chose it (a file kept across a form error was kept scrubbed: its first SHA-256 counts)."""
    return {
        "answers": answers,
        "attachments": [upload.chosen_sha256() for upload in files],
    }


def canonical_json(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def make_proof(org: Organization, case: Case, content: dict) -> dict:
    claims = {
        "organization": org.name_th,
        "case_number": case.case_number,
        "date": local_date(case.received_at).isoformat(),
        "content_sha256": signing.content_digest([canonical_json(content)]),
    }
    return signing.sign_proof(keys.keyring().signing_key, claims)


def new_pseudonym() -> str:
    return tracking.generate_code(7)


REUSED_KEY = _l("This key was already used for a different report. Use a new random key.")


def _reshow_key(token: str) -> str:
    """What seals the receipt for a retry: the client's key bound to the server's tracking
    key, so a database dump cannot test guesses of a weak key to open it."""
    return tracking.hash_code(keys.keyring().tracking_key, "tip-idempotency:" + token)


def _repeat(org: Organization, sub: TipSubmission) -> FiledTip | None:
    """The tip this submission repeats (same token), or None. With ``reshow_receipt`` the
    first receipt and proof come back, once the answers are seen to be the same tip (a key
    reused for another tip is refused, 409); the web form's repeat shows neither."""
    token = sub.idempotency_token
    if not token:
        return None
    case = db.session.scalar(select(Case).filter_by(idempotency_hash=resubmit.token_hash(token)))
    if case is None:
        return None
    if not (sub.reshow_receipt and case.receipt_sealed):
        return FiledTip(case, None, None, repeated=True)
    if case.organization_id != org.id or content_of(case)["answers"] != sub.answers():
        raise IntakeError({"idempotency_token": str(REUSED_KEY)}, status=409)
    receipt = resubmit.open_sealed(_reshow_key(token), case.receipt_sealed)
    if receipt is None:
        return FiledTip(case, None, None, repeated=True)
    return FiledTip(case, receipt, proof_for(case, receipt), repeated=True)


def file_tip(org: Organization, sub: TipSubmission) -> FiledTip:
    """Validate and file; IntakeError with field messages. Commits on success. A second
    request with the same token while the first is being filed waits for it (the token's
    unique hash), then answers as a repeat."""
    if not sub.reshow_receipt:
        earlier = _repeat(org, sub)
        if earlier:
            return earlier
    errors = normalize(sub)
    if sub.reshow_receipt and not errors:  # compared with the earlier tip's cleaned answers
        earlier = _repeat(org, sub)
        if earlier:
            return earlier
    category = _checked(org, sub, errors, NO_CUSTODIAN)
    with attachments.room_for(sub.uploads):
        try:
            filed = create(org, category, sub)
            held.discard(org, "tip", sub.held_token)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            earlier = _repeat(org, sub)
            if earlier:
                return earlier
            raise
        except Exception:
            db.session.rollback()
            raise
    return filed


NO_CUSTODIAN = _l(
    "A confidential identity cannot be accepted yet because no identity custodian "
    "has been set up. You can still report anonymously."
)


def _checked(org: Organization, sub: TipSubmission, errors: dict, no_custodian) -> Category:
    """The tip's category once everything is checked (``errors``: what ``normalize`` and the
    caller found); IntakeError with every field message."""
    category = None if errors.get("category") else find_category(org, sub.category, "tip")
    if category is None and "category" not in errors:
        errors["category"] = str(_l("Choose a category from the list."))
    if sub.confidential and not confidential_available(org.id):
        errors["confidential"] = str(no_custodian)
    if errors:
        raise IntakeError(errors)
    return category


def register(org: Organization, sub: TipSubmission, origin: Origin, officer, *, receipt: bool):
    """An integrity officer registers a tip that came another way (casework.tipline.origins):
    the same checks and the same filing as the web form's, from the day it arrived, with the
    officer assigned unless the tip names them. ``receipt``: make one for the person who
    brought it (only a letter, a call or a visit has someone to hand it to). IntakeError
    with field messages; commits on success."""
    earlier = _repeat(org, sub)
    if earlier:
        return earlier
    no_custodian = _l(
        "A confidential identity cannot be accepted yet because no identity custodian "
        "has been set up. Register the tip as anonymous."
    )
    errors = normalize(sub) | _check_origin(origin, sub)
    category = _checked(org, sub, errors, no_custodian)
    with attachments.room_for(sub.uploads):
        try:
            filed = create(
                org,
                category,
                sub,
                actor_id=officer.id,
                with_receipt=receipt and origin.code in origins.WITH_RECEIPT,
                origin=origin,
            )
            if not access.is_excluded(officer.id, filed.case):
                access.add_assignment(filed.case, officer, actor_id=officer.id)
            held.discard(org, "tip", sub.held_token)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return filed


def _check_origin(origin: Origin, sub: TipSubmission) -> dict[str, str]:
    errors: dict[str, object] = {}
    if origin.code not in origins.STAFF_ORIGINS:
        errors["origin"] = _l("Choose how the tip arrived.")
    if origin.code == "referral_in":
        found: dict = {}
        origin.body_name, origin.reference = referral.check_body(
            found, origin.body, origin.body_name, origin.reference
        )
        names = {"body": "origin_body", "body_name": "origin_body_name"}
        errors.update({names.get(k, "origin_reference"): v for k, v in found.items()})
    else:
        origin.body, origin.body_name, origin.reference = "", "", ""
    if origin.code == "anonymous_letter" and sub.confidential:
        errors["confidential"] = _l("An anonymous letter gives no identity to seal.")
    origin.received_on = values.date_field(
        errors, "received_on", origin.received_on, buddhist_era=True
    )
    if origin.received_on is None:
        errors.setdefault("received_on", _l("Give the date the tip arrived."))
    elif origin.received_on > clock.today():
        errors["received_on"] = _l("The date cannot be in the future.")
    return {k: str(v) for k, v in errors.items()}


@dataclass
class NewReceipt:
    text: str  # grouped, shown once
    lookup: str  # scrypt(receipt, pepper): where the caller keeps it decides whether it works
    proof: dict


def new_receipt(org: Organization, case: Case, details: TipDetails, content: dict) -> NewReceipt:
    """A fresh receipt for ``case``; the signed proof is sealed under the key only it derives."""
    receipt = receipts.generate_receipt()
    lookup, unlock = _receipt_secrets(receipts.normalize_receipt(receipt))
    proof = make_proof(org, case, content)
    details.proof_sealed = resubmit.seal(unlock, json.dumps(proof))
    return NewReceipt(receipt, lookup, proof)


def create(
    org: Organization,
    category,
    sub: TipSubmission,
    *,
    actor_id=None,
    with_receipt: bool = True,
    origin: Origin | None = None,
) -> FiledTip:
    """Build the whole tip in the session (validated input; the caller commits or rolls back).
    ``with_receipt=False`` makes none (a transfer: the complainant claims one later, or a tip
    registered from a letter nobody is to be handed a receipt for). ``origin``: how a tip
    registered by staff arrived (the web form's when not given)."""
    origin = origin or Origin()
    case = _new_case(org, category, sub, origin)
    answers = sub.answers()
    content = content_document(answers, sub.uploads)
    details = TipDetails(
        organization_id=org.id,
        case_id=case.id,
        questionnaire_sealed=sealing.seal_json("tip-questionnaire", case, content),
        confidential=sub.confidential,
        pseudonym=new_pseudonym(),
        origin=origin.code,
        origin_body=origin.body or None,
        origin_body_name=origin.body_name,
        origin_reference=origin.reference,
    )
    receipt = new_receipt(org, case, details, content) if with_receipt else None
    details.receipt_lookup = receipt.lookup if receipt else None
    if receipt and sub.reshow_receipt and sub.idempotency_token:
        case.receipt_sealed = resubmit.seal(_reshow_key(sub.idempotency_token), receipt.text)
    db.session.add(details)
    excluded = _exclude_conflicts(case, answers["accused"])
    if sub.confidential:
        identity = {k: v for k, v in sub.identity.items() if v}
        custody.seal_identity(case, identity, skip_user_ids=excluded)
    unscrubbed = store_files(case, sub.uploads, uploaded_by="staff" if actor_id else "citizen")
    timeline.record(
        case,
        "received",
        public=True,
        actor_id=actor_id,
        status_to="received",
        data={"files": len(sub.uploads), "unscrubbed": unscrubbed},
    )
    # Nothing about whom the tip names (no exclusion count, no referral flag): audit rows are
    # plaintext and permanent.
    trail.record(
        case,
        "filed",
        actor_id,
        confidential=sub.confidential,
        files=len(sub.uploads),
        **({"origin": origin.code} if origin.code != "web" else {}),
    )
    if receipt is None:
        return FiledTip(case, None, None)
    return FiledTip(case, receipt.text, receipt.proof)


def _new_case(org: Organization, category, sub: TipSubmission, origin: Origin) -> Case:
    if origin.received_on is not None:
        day = datetime.combine(origin.received_on, time())  # the day it arrived starts the clock
    else:
        day = clock.day_only(clock.utcnow())
    fy = fiscal_year(origin.received_on or local_date(clock.utcnow()))
    sequence = numbering.next_sequence(org.id, "tip", fy)
    case = Case(
        organization_id=org.id,
        channel="tip",
        kind=TIP_KIND,
        received_via=origins.RECEIVED_VIA[origin.code],
        fiscal_year=fy,
        sequence=sequence,
        case_number=numbering.format_number("tip", fy, sequence),
        status="received",
        category=category,
        subject="",
        details="",
        anonymous=not sub.confidential,
        contact_consent=bool(sub.confidential and sub.consent),
        received_at=day,
        due_date=deadlines.due_date(org, "received", day, category),
        created_at=day,
        idempotency_hash=(
            resubmit.token_hash(sub.idempotency_token) if sub.idempotency_token else None
        ),
    )
    db.session.add(case)
    db.session.flush()
    return case


def _exclude_conflicts(case: Case, accused: dict) -> set[int]:
    found = access.conflicts(case.organization_id, accused)
    for user_id in found:
        access.exclude(case, user_id)
    access.pad_exclusions(case)  # eight rows per tip, whether it names anyone or not
    return set(found)


def store_files(
    case: Case, uploads: list[Upload], *, uploaded_by: str = "citizen", message_id=None
) -> int:
    """Scrub and store files; returns how many could not be fully scrubbed."""
    done = [scrub.scrub(u) for u in uploads]
    attachments.store(
        case, [d.upload for d in done], uploaded_by=uploaded_by, message_id=message_id
    )
    return sum(1 for d in done if not d.complete)


def scrubbed_copy(upload: Upload) -> Upload:
    """The copy of a file that a tip form keeps across an error: without its metadata, as it
    would be filed (filing scrubs it again, and finds nothing more to remove)."""
    return scrub.scrub(upload).upload


def find_by_receipt(org: Organization, text: str | None) -> Case | None:
    """The tip a receipt opens, or None (wrong, unknown, or a complaint's tracking code).

    Constant work: every answer costs one scrypt derivation and one query, whether the text is
    malformed, has a bad check symbol, is unknown or is right, so timing tells nothing."""
    canonical = None
    if isinstance(text, str) and len(text) <= LIMITS["tracking_code"]:
        canonical = receipts.normalize_receipt(text)
    lookup = receipts.lookup_hash(
        keys.keyring().receipt_pepper, canonical or _NO_RECEIPT, kdf_cost()
    )
    if canonical is None:
        lookup = "-"  # never a stored hash (those are hex)
    return db.session.scalar(
        select(Case)
        .join(TipDetails, TipDetails.case_id == Case.id)
        .where(
            Case.organization_id == org.id,
            Case.channel == "tip",
            TipDetails.receipt_lookup == lookup,
        )
    )


def proof_for(case: Case, text: str) -> dict | None:
    """The signed proof, opened with the key only the receipt derives."""
    details = details_of(case)
    canonical = receipts.normalize_receipt(text or "")
    if details is None or canonical is None or details.proof_sealed is None:
        return None
    _, unlock = _receipt_secrets(canonical)
    opened = resubmit.open_sealed(unlock, details.proof_sealed)
    return json.loads(opened) if opened else None


def details_of(case: Case) -> TipDetails | None:
    return db.session.scalar(select(TipDetails).filter_by(case_id=case.id))


def content_of(case: Case, details: TipDetails | None = None) -> dict:
    """The decrypted content document: the answers and the files' hashes (what the proof
    covers). Callers check access first."""
    details = details or details_of(case)
    return sealing.open_json("tip-questionnaire", case, details.questionnaire_sealed)


def answers_of(case: Case) -> dict:
    """The decrypted questionnaire (callers check access first)."""
    return content_of(case)["answers"]
