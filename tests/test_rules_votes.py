"""Vote thresholds: table-driven, one row per rule and edge."""

from __future__ import annotations

import pytest

from ratify.errors import InvalidInput
from ratify.record.inputs import Tally
from ratify.rules.votes import VoteCounts, check_stated_result, vote_result
from ratify.vocab import EventStatus, NotVoting, Threshold

P, F = EventStatus.PASSED, EventStatus.FAILED
T = Threshold


@pytest.mark.parametrize(
    ("threshold", "tally", "seats", "quorum", "expected"),
    [
        # The State Duma, 2024-10-24: 397 of 450 is well over half of all members.
        (T.MAJORITY_OF_ALL_MEMBERS, dict(yes=397, no=0), 450, None, P),
        (T.MAJORITY_OF_ALL_MEMBERS, dict(yes=225, no=0), 450, None, F),  # half is not a majority
        (T.MAJORITY_OF_ALL_MEMBERS, dict(yes=226, no=200), 450, None, P),
        (T.MAJORITY_OF_VOTES_CAST, dict(yes=10, no=9, abstain=100), None, None, P),
        (T.MAJORITY_OF_VOTES_CAST, dict(yes=10, no=10), None, None, F),  # a tie fails
        (T.MAJORITY_OF_MEMBERS_PRESENT, dict(yes=10, no=9, abstain=2), None, None, F),  # 10 of 21 present
        (T.MAJORITY_OF_MEMBERS_PRESENT, dict(yes=11, no=9, abstain=1), None, None, P),
        (T.MAJORITY_OF_MEMBERS_PRESENT, dict(yes=11, no=9, not_voting=2), None, None, F),  # present but silent
        (T.MAJORITY_OF_MEMBERS_PRESENT, dict(yes=11, no=9, absent=30), None, None, P),  # absent do not count
        (T.TWO_THIRDS_OF_MEMBERS_PRESENT, dict(yes=67, no=33), 100, None, P),  # US Senate: 67 of 100 present
        (T.TWO_THIRDS_OF_MEMBERS_PRESENT, dict(yes=66, no=34), 100, None, F),
        (T.TWO_THIRDS_OF_MEMBERS_PRESENT, dict(yes=60, no=30), 100, None, P),  # exactly two thirds of 90
        (T.TWO_THIRDS_OF_VOTES_CAST, dict(yes=2, no=1, abstain=50), None, None, P),
        (T.TWO_THIRDS_OF_ALL_MEMBERS, dict(yes=300, no=0), 450, None, P),
        (T.TWO_THIRDS_OF_ALL_MEMBERS, dict(yes=299, no=0), 450, None, F),
        (T.THREE_FIFTHS_OF_ALL_MEMBERS, dict(yes=270, no=0), 450, None, P),
        (T.THREE_FIFTHS_OF_ALL_MEMBERS, dict(yes=269, no=0), 450, None, F),
        (T.MAJORITY_OF_MEMBERS_PRESENT, dict(yes=150, no=0), 300, 151, F),  # below quorum
        (T.MAJORITY_OF_MEMBERS_PRESENT, dict(yes=100, no=51), 300, 151, P),
        (T.NONE, dict(yes=3, no=2), None, None, P),
        (T.MAJORITY_OF_ALL_MEMBERS, dict(unanimous=True), 450, None, P),  # unanimous, no counts
        (T.MAJORITY_OF_ALL_MEMBERS, dict(), 450, None, None),  # nothing to decide on
    ],
)
def test_vote_result(threshold, tally, seats, quorum, expected):
    assert vote_result(VoteCounts(**tally), threshold, seats=seats, quorum=quorum) == expected


def test_all_members_threshold_needs_seats():
    with pytest.raises(InvalidInput, match="seats"):
        vote_result(VoteCounts(yes=5, no=1), T.MAJORITY_OF_ALL_MEMBERS, seats=None)


@pytest.mark.parametrize(
    ("stated", "tally", "message"),
    [
        (F, dict(yes=397, no=0), "stated failed, but 397 yes of 450 seats means passed"),
        (P, dict(yes=100, no=300), "stated passed"),
        (None, dict(), "the vote has no counts"),
        (F, dict(unanimous=True), "a unanimous vote cannot have failed"),
        (EventStatus.SKIPPED, dict(yes=1), "cannot carry a vote"),
    ],
)
def test_contradictions_are_errors(stated, tally, message):
    with pytest.raises(InvalidInput, match=message):
        check_stated_result(stated, VoteCounts(**tally), T.MAJORITY_OF_ALL_MEMBERS, seats=450)


def test_stated_result_without_counts_is_kept():
    assert check_stated_result(F, VoteCounts(), T.MAJORITY_OF_ALL_MEMBERS, seats=450) == F


@pytest.mark.parametrize(
    ("tally", "message"),
    [
        (dict(yes=1, no=2, unanimous=True), "a unanimous vote cannot have 2 against"),
        (dict(yes=400, no=60, seats=450), "add up to 460, more than the 450 seats"),
        (dict(yes=-1), "greater than or equal to 0"),
        (dict(seats=0), "greater than 0"),
    ],
)
def test_tally_validation(tally, message):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=message):
        Tally(**tally)


@pytest.mark.parametrize(
    ("tally", "not_voting", "min_yes", "expected"),
    [
        # Those not voting count as present by default, and not where the body says they are absent.
        (dict(yes=64, no=30, not_voting=6), None, None, F),  # 64 of 100 present
        (dict(yes=64, no=30, not_voting=6), NotVoting.ABSENT, None, P),  # 64 of 94 present and voting
        (dict(yes=64, no=30, present=100), NotVoting.ABSENT, None, F),  # a declared present count decides
        # A floor of yes votes on top of the threshold (Turkey: 151 of 600 whatever the turnout).
        (dict(yes=150, no=40, present=200), None, 151, F),
        (dict(yes=151, no=40, present=200), None, 151, P),
    ],
)
def test_not_voting_and_the_floor_compose_with_the_threshold(tally, not_voting, min_yes, expected):
    result = vote_result(
        VoteCounts(**tally),
        T.TWO_THIRDS_OF_MEMBERS_PRESENT if min_yes is None else T.MAJORITY_OF_MEMBERS_PRESENT,
        seats=600 if min_yes else 100,
        quorum=200 if min_yes else None,
        min_yes=min_yes,
        not_voting=not_voting,
    )
    assert result == expected
