"""Whether a party had consented on a given day, judged from its events and acts of that time.

An act dated in the past (a withdrawal back-dated before a later one) is
judged against the party's standing on its own date, not against today's
cached status.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from ratify.dates import as_given, earliest, given_date
from ratify.errors import InvalidInput
from ratify.store.models import Act, Event, Party, Stage, Treaty
from ratify.vocab import RATIFYING_KINDS, ActKind, EventStatus, ProcedurePath, StageKind

_CONSENTING = RATIFYING_KINDS | {StageKind.INSTRUMENT}


def consent_steps(session: Session, party: Party) -> list[date]:
    """The dates of the party's passed ratifying and instrument steps, oldest first."""
    query = (
        select(col(Event.date), col(Event.date_precision))
        .join(Stage, col(Stage.id) == col(Event.stage_id))
        .where(
            Event.party_id == party.id,
            Event.status == EventStatus.PASSED,
            Event.path == ProcedurePath.RATIFICATION,  # a revocation's assent takes consent back, not gives it
            col(Stage.kind).in_(_CONSENTING),
        )
        .order_by(col(Event.date))
    )
    return [as_given(day, precision) for day, precision in session.exec(query)]


def consent_step_dates(events: Sequence[Any], stages: Sequence[Stage]) -> list[date]:
    """consent_steps over events held in memory (rows, or anything with the same attributes)."""
    consenting = {stage.id for stage in stages if stage.kind in _CONSENTING}
    return sorted(
        given_date(e)
        for e in events
        if e.stage_id in consenting
        and e.status == EventStatus.PASSED
        and (getattr(e, "path", None) or ProcedurePath.RATIFICATION) == ProcedurePath.RATIFICATION
    )


def consented_since(steps: Sequence[date], others: Sequence[Act], day: date) -> date | None:
    """The first consent step that may be standing on `day`, after any earlier withdrawal of consent.

    A step known only to the month or year may stand from its first day: only a consent that
    certainly came later is refused.
    """
    resets = [a.date for a in others if a.kind == ActKind.CONSENT_WITHDRAWN and a.date <= day]
    after = max(resets, default=None)
    standing = [step for step in steps if earliest(step) <= day and (after is None or step > after)]
    return standing[0] if standing else None


def check_something_to_withdraw(
    session: Session, treaty: Treaty, party: Party, kind: ActKind, day: date, others: Sequence[Act]
) -> None:
    """A withdrawal, a ratification withdrawn or a suspension needs a consent standing on its date."""
    check_withdrawable(treaty, party, kind, day, others, consent_steps(session, party))


def check_withdrawable(
    treaty: Any, party: Any, kind: ActKind, day: date, others: Sequence[Any], steps: Sequence[date]
) -> None:
    """check_something_to_withdraw over the consent steps given (no database)."""
    if consented_since(steps, others, day) is None:
        later = [step for step in steps if step > day]
        if later:
            raise InvalidInput(
                f"date: the {kind.value} on {day} is before {party.state}'s consent on {later[0]}",
                "check the dates",
            )
        raise InvalidInput(
            f"{kind.value}: {party.state} had not consented to {treaty.slug} by {day}, so there is nothing to withdraw",
            f"record its instrument first (ratify advance {treaty.slug} {party.state} instrument --date DATE)",
        )
    if kind != ActKind.CONSENT_WITHDRAWN:
        return
    for act in others:
        if act.kind == ActKind.CONSENT_WITHDRAWN and act.date > day and not any(day < s <= act.date for s in steps):
            raise InvalidInput(
                f"date: {party.state}'s consent is already withdrawn on {act.date} (a{act.id}), "
                f"with no new consent between that and {day}",
                f"if that act is misdated, correct it: ratify correct a{act.id} --date {day} --reason ...",
            )
