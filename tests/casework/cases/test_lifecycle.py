"""Every allowed and every refused status change, for both channels."""

from itertools import product

import pytest

from casework.cases import lifecycle
from casework.cases.lifecycle import IllegalTransition

ALLOWED = {
    "complaint": {
        ("received", "in_progress"),
        ("received", "awaiting_info"),
        ("received", "forwarded"),
        ("received", "completed"),
        ("in_progress", "awaiting_info"),
        ("in_progress", "forwarded"),
        ("in_progress", "completed"),
        ("awaiting_info", "in_progress"),
        ("awaiting_info", "forwarded"),
        ("awaiting_info", "completed"),
        ("forwarded", "in_progress"),
        ("forwarded", "completed"),
        ("completed", "in_progress"),  # reopened: the complainant said "not fixed"
    },
    "tip": {
        ("received", "preliminary_review"),
        ("received", "closed"),
        ("received", "referred_out"),
        ("preliminary_review", "investigation"),
        ("preliminary_review", "closed"),
        ("preliminary_review", "referred_out"),
        ("investigation", "findings"),
        ("investigation", "referred_out"),
        ("findings", "disciplinary"),
        ("findings", "closed"),
        ("findings", "referred_out"),
        ("disciplinary", "closed"),
        ("referred_out", "closed"),
    },
}

PAIRS = [
    (channel, a, b)
    for channel, states in lifecycle.STATES.items()
    for a, b in product(states, states)
]


def _outcome(channel, target):
    return (
        next(iter(lifecycle.OUTCOMES[channel])) if lifecycle.state(channel, target).final else None
    )


@pytest.mark.parametrize(("channel", "current", "target"), PAIRS)
def test_every_transition_is_allowed_or_refused_as_listed(channel, current, target):
    if (current, target) in ALLOWED[channel]:
        lifecycle.check(channel, current, target, _outcome(channel, target))
    else:
        with pytest.raises(IllegalTransition, match=f"cannot go from '{current}' to '{target}'"):
            lifecycle.check(channel, current, target, _outcome(channel, target))


def test_the_table_above_is_the_whole_machine():
    machine = {
        channel: {(a, b) for a, targets in table.items() for b in targets}
        for channel, table in lifecycle.TRANSITIONS.items()
    }
    assert machine == ALLOWED


@pytest.mark.parametrize("channel", ["complaint", "tip"])
def test_closing_needs_an_outcome_of_the_channel(channel):
    final = next(s for s in lifecycle.STATES[channel].values() if s.final).code
    with pytest.raises(IllegalTransition, match="needs an outcome"):
        lifecycle.check(channel, "received", final)
    other = "tip" if channel == "complaint" else "complaint"
    foreign = next(o for o in lifecycle.OUTCOMES[other] if o not in lifecycle.OUTCOMES[channel])
    with pytest.raises(IllegalTransition, match="needs an outcome"):
        lifecycle.check(channel, "received", final, foreign)


def test_an_outcome_is_only_given_on_closing():
    with pytest.raises(IllegalTransition, match="only given when a case is closed"):
        lifecycle.check("complaint", "received", "in_progress", "resolved")


def test_unknown_states_and_channels_are_refused():
    with pytest.raises(IllegalTransition, match="unknown status"):
        lifecycle.check("complaint", "received", "archived")
    with pytest.raises(IllegalTransition, match="unknown channel"):
        lifecycle.check("letter", "received", "completed", "resolved")
    with pytest.raises(IllegalTransition, match="unknown status"):
        lifecycle.check("complaint", "investigation", "completed", "resolved")


@pytest.mark.parametrize("channel", ["complaint", "tip"])
def test_every_state_maps_onto_a_published_figure(channel):
    for code, st in lifecycle.STATES[channel].items():
        assert st.bucket in lifecycle.BUCKETS, code
    assert lifecycle.bucket(channel, "received") == "received"
    finals = {s.bucket for s in lifecycle.STATES[channel].values() if s.final}
    assert finals == {"completed"}


def test_only_awaiting_info_pauses_the_clock():
    paused = {c for ch in lifecycle.STATES.values() for c, s in ch.items() if s.paused}
    assert paused == {"awaiting_info"}


def test_only_the_complaint_channel_reopens_and_only_from_completed():
    assert lifecycle.reopens("complaint", "completed", "in_progress")
    assert not lifecycle.reopens("complaint", "forwarded", "in_progress")
    assert not any(
        lifecycle.reopens("tip", a, b)
        for a, targets in lifecycle.TRANSITIONS["tip"].items()
        for b in targets
    )
    assert lifecycle.allowed("tip", "closed") == frozenset()
