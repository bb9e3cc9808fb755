"""Whether a vote carried, from its declared tally and the body's threshold."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ratify.errors import InvalidInput
from ratify.vocab import EventStatus, NotVoting, Threshold


@dataclass(frozen=True, slots=True, kw_only=True)
class VoteCounts:
    """A vote's declared counts, as the rules read them; None is a count not given.

    The input layer validates a tally (`ratify.record.inputs.Tally`) and hands the
    rules this plain shape, so the rules depend on no input model.
    """

    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    not_voting: int | None = None
    absent: int | None = None
    present: int | None = None  # as declared; otherwise derived by the body's meaning of "not voting"
    unanimous: bool = False

    @property
    def has_counts(self) -> bool:
        """Whether any count that decides a vote was given (absent members decide nothing)."""
        return any(n is not None for n in (self.yes, self.no, self.abstain, self.not_voting))


# threshold -> (share of the base that "yes" must reach, strictly more than?, base)
_RULES: dict[Threshold, tuple[Fraction, bool, str]] = {
    Threshold.MAJORITY_OF_VOTES_CAST: (Fraction(1, 2), True, "cast"),
    Threshold.MAJORITY_OF_MEMBERS_PRESENT: (Fraction(1, 2), True, "present"),
    Threshold.MAJORITY_OF_ALL_MEMBERS: (Fraction(1, 2), True, "seats"),
    Threshold.TWO_THIRDS_OF_VOTES_CAST: (Fraction(2, 3), False, "cast"),
    Threshold.TWO_THIRDS_OF_MEMBERS_PRESENT: (Fraction(2, 3), False, "present"),
    Threshold.TWO_THIRDS_OF_ALL_MEMBERS: (Fraction(2, 3), False, "seats"),
    Threshold.THREE_FIFTHS_OF_ALL_MEMBERS: (Fraction(3, 5), False, "seats"),
}


def members_present(tally: VoteCounts, not_voting: NotVoting | None = None) -> int:
    """Those present: as declared, else those who voted or abstained and, where the body counts
    them as present, those not voting."""
    if tally.present is not None:
        return tally.present
    counted = (tally.yes or 0) + (tally.no or 0) + (tally.abstain or 0)
    return counted + (0 if not_voting == NotVoting.ABSENT else (tally.not_voting or 0))


def vote_result(
    tally: VoteCounts,
    threshold: Threshold,
    *,
    seats: int | None,
    quorum: int | None = None,
    min_yes: int | None = None,
    not_voting: NotVoting | None = None,
) -> EventStatus | None:
    """`passed` or `failed` as the tally decides, or None if it cannot decide.

    A unanimous vote with no counts passed. Without a threshold (a body with no
    formal vote rule) a plain majority of the votes cast decides. The parts
    compose: a quorum of members present, the threshold, and a floor of yes
    votes (`min_yes`) must all be met.
    """
    if not tally.has_counts:
        return EventStatus.PASSED if tally.unanimous else None
    yes = tally.yes or 0
    cast = yes + (tally.no or 0)
    present = members_present(tally, not_voting)
    if quorum is not None and present < quorum:
        return EventStatus.FAILED
    if min_yes is not None and yes < min_yes:
        return EventStatus.FAILED
    share, strictly, base_name = _RULES.get(threshold, _RULES[Threshold.MAJORITY_OF_VOTES_CAST])
    if base_name == "seats":
        if seats is None:
            raise InvalidInput(
                f"seats: the threshold {threshold} needs the number of seats",
                "give --seats, or set seats on the stage's procedure",
            )
        base = seats
    else:
        base = cast if base_name == "cast" else present
    needed = share * base
    carried = yes > needed if strictly else (yes >= needed and yes > 0)
    return EventStatus.PASSED if carried else EventStatus.FAILED


def check_stated_result(
    stated: EventStatus | None,
    tally: VoteCounts,
    threshold: Threshold,
    *,
    seats: int | None,
    quorum: int | None = None,
    min_yes: int | None = None,
    not_voting: NotVoting | None = None,
) -> EventStatus:
    """The vote's result: the stated one, which the tally must not contradict."""
    computed = vote_result(tally, threshold, seats=seats, quorum=quorum, min_yes=min_yes, not_voting=not_voting)
    undecided = (EventStatus.SCHEDULED, EventStatus.SKIPPED, EventStatus.EXPECTED)
    if stated in undecided and (tally.has_counts or tally.unanimous):
        raise InvalidInput(f"result: a {stated} stage cannot carry a vote", "drop the counts or the result")
    if stated is None:
        if computed is None:
            raise InvalidInput(
                "result: the vote has no counts to decide it",
                "give --yes/--no, --unanimous, or --result passed|failed",
            )
        return computed
    if tally.unanimous and stated == EventStatus.FAILED:
        raise InvalidInput("result: a unanimous vote cannot have failed", "drop --unanimous or --result")
    if computed is not None and stated != computed:
        raise InvalidInput(
            f"result: stated {stated}, but {tally.yes or 0} yes of {_base_words(threshold, seats)} "
            f"means {computed} under {threshold}{_extra_words(min_yes, quorum)}",
            "check the counts, the seats or the result",
        )
    return stated


def _extra_words(min_yes: int | None, quorum: int | None) -> str:
    parts = [f"a quorum of {quorum}" if quorum else "", f"at least {min_yes} yes" if min_yes else ""]
    extra = " and ".join(p for p in parts if p)
    return f" with {extra}" if extra else ""


def _base_words(threshold: Threshold, seats: int | None) -> str:
    base = _RULES.get(threshold, _RULES[Threshold.MAJORITY_OF_VOTES_CAST])[2]
    return {"cast": "the votes cast", "present": "the members present"}.get(base, f"{seats} seats")
