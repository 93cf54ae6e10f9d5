"""The forms the officers' tip page offers, decided from the tip's state in casework (the page
only renders them)."""

from types import SimpleNamespace

from casework.cases import lifecycle
from casework.tipline import actions

READER = {
    "readable": True,
    "reaches_tipster": True,
    "has_identity": False,
    "can_assign": False,
    "can_decide_closure": False,
}


def _offered(status, referral=None, **who):
    return actions.offered(SimpleNamespace(status=status), referral, **(READER | who))


def test_each_stage_offers_its_own_forms():
    assert _offered("received") == ["message", "status", "explain", "referral", "exclude"]
    assert "check" in _offered("disciplinary")
    referred = SimpleNamespace(status="referred")
    assert "decision" in _offered("referred_out", referred)
    assert "decision" not in _offered("referred_out", SimpleNamespace(status="decided"))
    assert "referral" not in _offered("findings", SimpleNamespace(status="decided"))


def test_a_closed_tip_or_a_reader_who_may_not_read_it_is_offered_little():
    assert _offered("closed", has_identity=True) == ["reveal", "exclude"]
    assert _offered("received", readable=False, can_assign=True) == ["assign"]
    assert "message" not in _offered("received", reaches_tipster=False)


def test_the_stage_form_asks_what_each_reachable_stage_records():
    allowed = lifecycle.allowed("tip", "preliminary_review")
    fields = actions.status_fields(SimpleNamespace(status="preliminary_review"), allowed)
    assert {"preliminary_result", "order_number", "committee", "charges"} <= set(fields)
    assert fields[:2] == ["target", "outcome"] and fields[-2:] == ["public_note", "internal_note"]
