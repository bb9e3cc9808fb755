"""What comes next on the calendar: announced sittings, expected steps, ends of scrutiny periods, entries into force.

Read from the status cache, so it answers for today; each kind of date is
one indexed range query.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col

from ratify.store.models import Party, Stage, Treaty
from ratify.vocab import PartyState, StageKind, TreatyKind

UPCOMING_FIELDS = ("date", "what", "treaty", "party", "party_name", "stage", "stage_body", "detail")


def upcoming_rows(session: Session, today: date, days: int) -> list[dict[str, Any]]:
    """Everything dated from `today` to `days` days later, soonest first."""
    last = today + timedelta(days=days)

    def within(column):
        return and_(column >= today, column <= last)

    rows: list[dict[str, Any]] = []
    parties: Any = (
        select(Party, col(Treaty.slug), col(Treaty.kind), col(Treaty.in_force_on).label("treaty_in_force_on"), Stage)
        .join(Treaty, col(Treaty.id) == col(Party.treaty_id))
        .outerjoin(Stage, col(Stage.id) == col(Party.next_stage_id))
        .where(
            or_(
                within(col(Party.next_scheduled_on)),
                within(col(Party.next_expected_by)),
                within(col(Party.next_laid_until)),
                within(col(Party.in_force_on)),
            ),
            # Nothing is ahead for a party that rejected, withdrew or declared it will not join.
            col(Party.status) != PartyState.REJECTED,
            or_(col(Party.withdrawn_on).is_(None), col(Party.withdrawn_on) > today),
            or_(col(Party.declined_on).is_(None), col(Party.declined_on) > today),
        )
    )
    for party, slug, kind, treaty_in_force_on, stage in session.execute(parties):
        base = {"treaty": slug, "party": party.state, "party_name": party.name}
        if stage is not None and _between(party.next_scheduled_on, today, last):
            rows.append(_row(party.next_scheduled_on, "sitting", base, stage, "{} scheduled"))
        if stage is not None and _between(party.next_expected_by, today, last):
            rows.append(_row(party.next_expected_by, "expected", base, stage, "{} expected by this date"))
        if stage is not None and _between(party.next_laid_until, today, last):
            laid = party.next_laid_on.isoformat() if party.next_laid_on else "an unknown date"
            rows.append(_row(party.next_laid_until, "scrutiny ends", base, stage, f"laid {laid}, scrutiny period ends"))
        # A party's entry into force is its own line when it differs from the treaty's.
        own = kind == TreatyKind.MULTILATERAL and party.in_force_on != treaty_in_force_on
        if own and _between(party.in_force_on, today, last):
            rows.append(_row(party.in_force_on, "entry into force", base, None, "in force for this party"))
    treaties = select(Treaty).where(
        within(col(Treaty.in_force_on)),
        or_(col(Treaty.terminated_on).is_(None), col(Treaty.terminated_on) > col(Treaty.in_force_on)),
    )
    for treaty in session.scalars(treaties):
        base = {"treaty": treaty.slug, "party": None, "party_name": None}
        rows.append(_row(treaty.in_force_on, "entry into force", base, None, "the treaty enters into force"))
    rows.sort(key=lambda row: (row["date"], row["treaty"], row["party"] or ""))
    return rows


def _between(day: date | None, first: date, last: date) -> bool:
    return day is not None and first <= day <= last


def _row(day: date | None, what: str, base: dict[str, Any], stage: Stage | None, detail: str) -> dict[str, Any]:
    kind = StageKind(stage.kind) if stage else None
    return {
        "date": day.isoformat() if day else None,
        "what": what,
        **base,
        "stage": kind.value if kind else None,
        "stage_body": stage.body if stage else None,
        "detail": detail.format(kind.label if kind else ""),
    }
