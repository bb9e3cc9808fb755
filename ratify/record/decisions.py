"""What a new step may decide: its round follows the one before, and a stage passed is not decided again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ratify.dates import certainly_before, earliest, given_date
from ratify.errors import Conflict, InvalidInput
from ratify.record.inputs import EventCreate
from ratify.store.models import Stage
from ratify.vocab import EventStatus, StageKind


def check_round(party: Any, data: EventCreate, history: Sequence[Any]) -> None:
    """A round follows the one before it: begun no earlier than that round's first step, none skipped, and no
    step of a round comes after the next one began (so that the record reads the same in the order it happened)."""
    wanted = data.round or 1
    following = [given_date(e) for e in history if (getattr(e, "round", None) or 1) == wanted + 1]
    if following and certainly_before(min(following, key=earliest), data.date):
        raise InvalidInput(
            f"date: round {wanted + 1} began on {min(following, key=earliest)}, so a step of round {wanted} "
            f"cannot come on {data.date}",
            f"give it --round {wanted + 1} if it belongs to the new round, or check the date",
        )
    if wanted == 1:
        return
    earlier = [given_date(e) for e in history if (getattr(e, "round", None) or 1) == wanted - 1]
    if not earlier:
        raise InvalidInput(
            f"round: {party.state} has no round {wanted - 1} recorded, so there is no round {wanted}",
            f"record round {wanted - 1} first" + (" (steps without --round are round 1)" if wanted == 2 else ""),
        )
    first = min(earlier, key=earliest)
    if certainly_before(data.date, first):
        raise InvalidInput(
            f"date: round {wanted} cannot begin on {data.date}, before round {wanted - 1} began ({first})",
            "check the date or the round",
        )


def check_decided(
    party: Any, stages: list[Stage], stage: Stage, status: EventStatus, data: EventCreate, history: Sequence[Any]
) -> None:
    """A stage passed once is decided: a second passing vote, or a later failing one, is something else.

    Left alone, a second pass would be recorded without a word and a later failure would make the party
    `rejected`. Checked both ways, whichever of the two is entered first. A deposit in between starts a new
    consent (a party that withdrew or revoked and joins again), so the stage may be voted anew; the
    instrument's own repeats are checked by `check_one_consent`.
    """
    if stage.kind == StageKind.INSTRUMENT or not _decides(stage, status, data.reading, data.readings):
        return
    instrument = {s.id for s in stages if s.kind == StageKind.INSTRUMENT}
    deposits = [given_date(e) for e in history if e.stage_id in instrument and e.status == EventStatus.PASSED]
    for other in history:
        if other.stage_id != stage.id or not _decides(stage, other.status, other.reading, other.readings):
            continue
        if EventStatus.PASSED not in (status, other.status):
            continue  # failures alone decide nothing twice: the stage was never passed
        day = given_date(other)
        passed_on, other_on = (day, data.date) if other.status == EventStatus.PASSED else (data.date, day)
        if EventStatus.FAILED in (status, other.status) and not certainly_before(passed_on, other_on):
            continue  # a failure before the pass is what the pass overcame
        first, second = sorted((day, data.date), key=earliest)
        if any(not certainly_before(d, first) and not certainly_before(second, d) for d in deposits):
            continue
        entry = f"e{other.id}" if getattr(other, "id", None) else "ID"
        raise Conflict(
            f"status: {stage.key} already {other.status} on {day} for {party.state}, "
            f"so a {status} entry on {data.date} would decide it twice",
            f"if that entry is wrong, correct it (ratify correct {entry} ...); if this vote is one of its "
            "readings, give --reading N; if the approval was submitted again, give --round N",
        )


def _decides(stage: Stage, status: Any, reading: int | None, readings: int | None) -> bool:
    """A pass at the final reading, or a failure at any: what decides a stage."""
    if status == EventStatus.FAILED:
        return True
    return status == EventStatus.PASSED and (reading is None or reading >= (readings or stage.readings))
