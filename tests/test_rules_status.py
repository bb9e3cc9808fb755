"""Status derivation: table-driven over a Russian-style and a decree procedure."""

from __future__ import annotations

from datetime import date

import pytest

from ratify.rules.entry_into_force import Deposit, default_rule, evaluate
from ratify.rules.status import EventFact, StageRef, Standing, derive_progress, describe, party_state
from ratify.vocab import ConsentType, EventStatus, PartyState, StageKind, TreatyKind

RUS = [
    StageRef(1, "duma_committee", StageKind.COMMITTEE, "Committee", 0, optional=True),
    StageRef(2, "duma", StageKind.LOWER_HOUSE, "State Duma", 1, readings=3),
    StageRef(3, "federation_council", StageKind.UPPER_HOUSE, "Federation Council", 2),
    StageRef(4, "president", StageKind.ASSENT, "President", 3),
    StageRef(5, "instrument", StageKind.INSTRUMENT, "Ministry of Foreign Affairs", 4),
]
PRK = [
    StageRef(11, "decree", StageKind.DECREE, "President of State Affairs", 0),
    StageRef(12, "instrument", StageKind.INSTRUMENT, "Ministry of Foreign Affairs", 1),
]
SIGNED = date(2024, 6, 19)
P, F, S, K = EventStatus.PASSED, EventStatus.FAILED, EventStatus.SCHEDULED, EventStatus.SKIPPED


def ev(stage_id: int, status: EventStatus, day: str, reading: int | None = None) -> EventFact:
    return EventFact(stage_id, status, date.fromisoformat(day), reading)


@pytest.mark.parametrize(
    ("stages", "events", "state", "stage", "next_stage", "text"),
    [
        (RUS, [], PartyState.SIGNED, None, "duma", "signed, lower house pending"),
        (PRK, [], PartyState.SIGNED, None, "decree", "signed, decree pending"),
        # An optional committee's report moves the party into the legislature but never blocks.
        (
            RUS,
            [ev(1, P, "2024-10-23")],
            PartyState.IN_LEGISLATURE,
            "duma_committee",
            "duma",
            "committee passed, lower house pending",
        ),
        (
            RUS,
            [ev(2, P, "2024-10-24")],
            PartyState.IN_LEGISLATURE,
            "duma",
            "federation_council",
            "lower house passed, upper house pending",
        ),
        # A first reading is a step, not the stage: the Duma has not passed it yet.
        (RUS, [ev(2, P, "2024-10-01", reading=1)], PartyState.SIGNED, None, "duma", "signed, lower house pending"),
        (
            RUS,
            [ev(2, P, "2024-10-01", reading=1), ev(2, P, "2024-10-08", reading=3)],
            PartyState.IN_LEGISLATURE,
            "duma",
            "federation_council",
            "lower house passed, upper house pending",
        ),
        (
            RUS,
            [ev(2, P, "2024-10-24"), ev(3, P, "2024-11-06")],
            PartyState.APPROVED,
            "federation_council",
            "president",
            "upper house passed, assent pending",
        ),
        (
            RUS,
            [ev(2, P, "2024-10-24"), ev(3, P, "2024-11-06"), ev(4, P, "2024-11-09")],
            PartyState.RATIFIED,
            "president",
            "instrument",
            "assent passed, instrument pending",
        ),
        (
            PRK,
            [ev(11, P, "2024-11-11")],
            PartyState.RATIFIED,
            "decree",
            "instrument",
            "decree passed, instrument pending",
        ),
        (
            PRK,
            [ev(11, P, "2024-11-11"), ev(12, P, "2024-12-04")],
            PartyState.DEPOSITED,
            "instrument",
            None,
            "ratification deposited, entry into force pending",
        ),
        # A failed vote stands until something later reverses it; history keeps both.
        (RUS, [ev(2, F, "2024-10-24")], PartyState.REJECTED, None, "duma", "lower house failed"),
        (
            RUS,
            [ev(2, F, "2024-10-24"), ev(2, P, "2025-02-01")],
            PartyState.IN_LEGISLATURE,
            "duma",
            "federation_council",
            "lower house passed, upper house pending",
        ),
        (
            RUS,
            [ev(2, P, "2024-10-24"), ev(3, F, "2024-11-06")],
            PartyState.REJECTED,
            "duma",
            "federation_council",
            "upper house failed",
        ),
        # A committee that recommends rejection is reversed by the chamber passing the treaty anyway.
        (
            RUS,
            [ev(1, F, "2024-10-20"), ev(2, P, "2024-10-24")],
            PartyState.IN_LEGISLATURE,
            "duma",
            "federation_council",
            "lower house passed, upper house pending",
        ),
        (
            RUS,
            [ev(2, P, "2024-10-24"), ev(3, S, "2024-11-06")],
            PartyState.IN_LEGISLATURE,
            "duma",
            "federation_council",
            "lower house passed, upper house scheduled 2024-11-06",
        ),
        # A skipped stage counts as done for what follows.
        (
            RUS,
            [ev(2, P, "2024-10-24"), ev(3, K, "2024-11-06")],
            PartyState.APPROVED,
            "duma",
            "president",
            "lower house passed, assent pending",
        ),
    ],
)
def test_progress(stages, events, state, stage, next_stage, text):
    progress = derive_progress(stages, events, signed_on=SIGNED)
    assert progress.state == state
    assert (progress.stage.key if progress.stage else None) == stage
    assert (progress.next_stage.key if progress.next_stage else None) == next_stage
    assert describe(progress, progress.state, Standing()) == text


def test_as_of_ignores_later_events():
    events = [ev(2, P, "2024-10-24"), ev(3, P, "2024-11-06")]
    progress = derive_progress(RUS, events, signed_on=SIGNED, as_of=date(2024, 10, 25))
    assert progress.state == PartyState.IN_LEGISLATURE
    assert progress.last_step_on == date(2024, 10, 24)


def test_last_step_counts_the_signature():
    assert derive_progress(RUS, [], signed_on=SIGNED).last_step_on == SIGNED
    assert derive_progress(RUS, [ev(2, S, "2025-01-01")], signed_on=SIGNED).last_step_on == SIGNED


@pytest.mark.parametrize(
    ("kind", "dates", "expected"),
    [
        (TreatyKind.BILATERAL, ["2024-12-04", "2024-12-04"], "2024-12-04"),
        (TreatyKind.BILATERAL, ["2024-12-01", "2024-12-04"], "2024-12-04"),  # the later notification
        (TreatyKind.BILATERAL, ["2024-12-04", None], None),
        (TreatyKind.MULTILATERAL, ["2024-12-04", "2024-12-04"], None),  # no rule, no entry into force
    ],
)
def test_bilateral_entry_into_force(kind, dates, expected):
    deposits = [
        Deposit(code, ConsentType.RATIFICATION, date.fromisoformat(day))
        for code, day in zip(("AAA", "BBB"), dates, strict=True)
        if day
    ]
    rule = default_rule(kind)
    result = evaluate(rule, deposits, parties=["AAA", "BBB"], as_of=date(2030, 1, 1)) if rule else None
    assert (result.in_force_on if result else None) == (date.fromisoformat(expected) if expected else None)


def test_in_force_only_from_its_date():
    progress = derive_progress(PRK, [ev(11, P, "2024-11-11"), ev(12, P, "2024-12-04")], signed_on=SIGNED)
    standing = Standing(in_force_on=date(2024, 12, 4))
    assert party_state(progress, standing, date(2024, 12, 3)) == PartyState.DEPOSITED
    assert party_state(progress, standing, date(2024, 12, 4)) == PartyState.IN_FORCE
    assert describe(progress, PartyState.IN_FORCE, standing) == "in force since 2024-12-04"


@pytest.mark.parametrize(
    ("standing", "as_of", "state"),
    [
        (Standing(in_force_on=date(2020, 1, 1), withdrawn_on=date(2021, 7, 1)), "2021-06-30", PartyState.IN_FORCE),
        (Standing(in_force_on=date(2020, 1, 1), withdrawn_on=date(2021, 7, 1)), "2021-07-01", PartyState.WITHDRAWN),
        (Standing(in_force_on=date(2020, 1, 1), suspended_from=date(2023, 3, 1)), "2023-03-01", PartyState.SUSPENDED),
        (
            Standing(in_force_on=date(2020, 1, 1), suspended_from=date(2023, 3, 1), suspended_until=date(2023, 6, 1)),
            "2023-06-01",
            PartyState.IN_FORCE,
        ),
        (Standing(in_force_on=date(2020, 1, 1), terminated_on=date(2024, 12, 4)), "2024-12-04", PartyState.TERMINATED),
    ],
)
def test_standing_after_entry_into_force(standing, as_of, state):
    progress = derive_progress(PRK, [ev(11, P, "2019-11-11"), ev(12, P, "2019-12-04")], signed_on=SIGNED)
    assert party_state(progress, standing, date.fromisoformat(as_of)) == state


def test_a_withdrawn_ratification_sends_the_party_back_to_signed():
    """Russia withdrew its CTBT ratification in 2023 and remains a signatory."""
    events = [ev(2, P, "2000-04-21"), ev(3, P, "2000-05-17"), ev(4, P, "2000-06-27"), ev(5, P, "2000-06-30")]
    before = derive_progress(
        RUS, events, signed_on=date(1996, 9, 24), as_of=date(2023, 11, 1), consent_withdrawn=[date(2023, 11, 2)]
    )
    after = derive_progress(
        RUS, events, signed_on=date(1996, 9, 24), as_of=date(2023, 11, 2), consent_withdrawn=[date(2023, 11, 2)]
    )
    assert before.state == PartyState.DEPOSITED
    assert (after.state, after.stage, after.next_stage.key) == (PartyState.SIGNED, None, "duma")
