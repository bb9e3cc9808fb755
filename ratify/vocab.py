"""The closed vocabularies ratify speaks.

Every term here is part of the public interface (CLI arguments, fixture files,
JSON output), so a new term is admitted only when a real procedure or treaty
needs it and cannot be described with an existing one; renaming a term is a
breaking change.
"""

from __future__ import annotations

from enum import StrEnum


class TreatyKind(StrEnum):
    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"


class StageKind(StrEnum):
    """What a domestic stage is, whatever the body is called in a given state."""

    EXECUTIVE = "executive"  # cabinet decision preparing or submitting the treaty
    COMMITTEE = "committee"  # a committee's report or recommendation
    LOWER_HOUSE = "lower_house"
    UPPER_HOUSE = "upper_house"
    LEGISLATURE = "legislature"  # a unicameral legislature, or a body acting for it
    SCRUTINY = "scrutiny"  # a laying period with no positive vote (negative procedure)
    REFERENDUM = "referendum"
    COURT_REVIEW = "court_review"
    ASSENT = "assent"  # head of state signs or promulgates the ratification law
    DECREE = "decree"  # an executive act that itself ratifies
    INSTRUMENT = "instrument"  # deposit or exchange of the instrument

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


#: Stages that belong to the domestic approval of a treaty, before ratification.
LEGISLATIVE_KINDS = frozenset(
    {
        StageKind.COMMITTEE,
        StageKind.LOWER_HOUSE,
        StageKind.UPPER_HOUSE,
        StageKind.LEGISLATURE,
        StageKind.SCRUTINY,
        StageKind.REFERENDUM,
        StageKind.COURT_REVIEW,
    }
)
RATIFYING_KINDS = frozenset({StageKind.ASSENT, StageKind.DECREE})
VOTING_KINDS = frozenset(
    {
        StageKind.COMMITTEE,
        StageKind.LOWER_HOUSE,
        StageKind.UPPER_HOUSE,
        StageKind.LEGISLATURE,
        StageKind.REFERENDUM,
    }
)


class EventStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SCHEDULED = "scheduled"
    SKIPPED = "skipped"


class Threshold(StrEnum):
    """The share of a body whose "yes" carries a vote."""

    NONE = "none"
    MAJORITY_OF_VOTES_CAST = "majority_of_votes_cast"
    MAJORITY_OF_MEMBERS_PRESENT = "majority_of_members_present"
    MAJORITY_OF_ALL_MEMBERS = "majority_of_all_members"
    TWO_THIRDS_OF_VOTES_CAST = "two_thirds_of_votes_cast"
    TWO_THIRDS_OF_MEMBERS_PRESENT = "two_thirds_of_members_present"
    TWO_THIRDS_OF_ALL_MEMBERS = "two_thirds_of_all_members"
    THREE_FIFTHS_OF_ALL_MEMBERS = "three_fifths_of_all_members"


class PartyState(StrEnum):
    """Where a party stands, in the order a ratification normally moves.

    `rejected` sits outside the order: a failed stage that nothing reversed.
    """

    SIGNED = "signed"
    IN_LEGISLATURE = "in_legislature"
    APPROVED = "approved"
    RATIFIED = "ratified"
    DEPOSITED = "deposited"
    IN_FORCE = "in_force"
    REJECTED = "rejected"
