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


def upcoming_rows_as_of(session: Session, as_of: date, days: int, *, today: date) -> list[dict[str, Any]]:
    """What lay ahead on `as_of`, as the record then stood: the status cache answers only for today.

    Sittings and expected steps come from each party's status on `as_of`; an entry into force is
    listed only if it was already determined then (the treaty's rule met, the party's instrument in).
    """
    from ratify.reports.rows import Filters, status_rows

    if as_of >= today:
        return upcoming_rows(session, as_of, days)
    last = as_of + timedelta(days=days)
    ends = {
        slug: (kind, in_force_on, terminated_on)
        for slug, kind, in_force_on, terminated_on in session.execute(
            select(col(Treaty.slug), col(Treaty.kind), col(Treaty.in_force_on), col(Treaty.terminated_on))
        )
    }
    own_dates = {
        (slug, state): day
        for slug, state, day in session.execute(
            select(col(Treaty.slug), col(Party.state), col(Party.in_force_on))
            .join(Treaty, col(Treaty.id) == col(Party.treaty_id))
            .where(and_(col(Party.in_force_on) >= as_of, col(Party.in_force_on) <= last))
        )
    }
    rows: list[dict[str, Any]] = []
    determined: set[str] = set()
    closed = {PartyState.REJECTED, PartyState.WITHDRAWN, PartyState.DECLINED, PartyState.TERMINATED}
    stream = status_rows(session, Filters(), as_of, today=today)
    for status in stream:
        if status["rule_met_on"]:
            determined.add(status["treaty"])
        if PartyState(status["state"]) in closed:
            continue
        base = {"treaty": status["treaty"], "party": status["party"], "party_name": status["party_name"]}
        kind = StageKind(status["next_stage"]) if status["next_stage"] else None
        stage = {"stage": kind.value if kind else None, "stage_body": status["next_stage_body"]}
        label = kind.label if kind else ""
        scheduled, expected_by = _day(status["next_scheduled"]), _day(status["next_expected_by"])
        if kind and _between(scheduled, as_of, last):
            rows.append({"date": status["next_scheduled"], "what": "sitting", **base, **stage,
                         "detail": f"{label} scheduled"})  # fmt: skip
        if kind and _between(expected_by, as_of, last):
            rows.append({"date": status["next_expected_by"], "what": "expected", **base, **stage,
                         "detail": f"{label} expected by this date"})  # fmt: skip
        laid_until = _day(status["next_laid_until"])
        if kind and _between(laid_until, as_of, last):
            laid = status["next_laid_on"] or "an unknown date"
            rows.append({"date": status["next_laid_until"], "what": "scrutiny ends", **base, **stage,
                         "detail": f"laid {laid}, scrutiny period ends"})  # fmt: skip
        own = own_dates.get((status["treaty"], status["party"]))
        treaty_kind, treaty_in_force, _ = ends[status["treaty"]]
        if own and status["deposited_on"] and treaty_kind == TreatyKind.MULTILATERAL and own != treaty_in_force:
            rows.append(_row(own, "entry into force", base, None, "in force for this party"))
    for slug in sorted(determined):
        _, in_force_on, terminated_on = ends[slug]
        if _between(in_force_on, as_of, last) and (terminated_on is None or terminated_on > in_force_on):
            base = {"treaty": slug, "party": None, "party_name": None}
            rows.append(_row(in_force_on, "entry into force", base, None, "the treaty enters into force"))
    rows.sort(key=lambda row: (row["date"], row["treaty"], row["party"] or ""))
    return rows


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
