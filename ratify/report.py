"""Rows for the status, pending and history reports.

Each report runs a fixed number of queries whatever the size of the database
and yields its rows one at a time. Without --as-of (or as of today or later)
status comes from the per-party cache; as of a past date it is derived again
from the events in one ordered pass.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from ratify.models import Event, Party, Stage, Treaty
from ratify.rules.entry_into_force import in_force_on
from ratify.rules.status import EventFact, Progress, StageRef, derive_progress, describe, party_state
from ratify.vocab import EventStatus, PartyState, StageKind, TreatyKind

STATUS_FIELDS = (
    "treaty",
    "party",
    "party_name",
    "state",
    "progress",
    "stage",
    "stage_body",
    "stage_date",
    "next_stage",
    "next_stage_body",
    "next_scheduled",
    "signed",
    "last_step",
    "waiting_days",
    "in_force_on",
    "as_of",
)


@dataclass(frozen=True)
class Filters:
    slug: str | None = None
    party: str | None = None  # alpha-3 or organisation code
    stage_kind: StageKind | None = None  # pending: the next stage's kind
    older_than: int | None = None  # pending: waiting at least this many days


def load_stages(session: Session) -> dict[int, StageRef]:
    rows = session.execute(
        select(Stage.id, Stage.key, Stage.kind, Stage.body, Stage.position, Stage.optional, Stage.readings)
    )
    return {
        row.id: StageRef(row.id, row.key, StageKind(row.kind), row.body, row.position, row.optional, row.readings)
        for row in rows
    }


def status_rows(session: Session, filters: Filters, as_of: date, *, today: date) -> Iterator[dict[str, Any]]:
    """One row per (treaty, party), ordered by treaty slug and party code."""
    stages = load_stages(session)
    if as_of >= today:
        return _cached_rows(session, stages, filters, as_of)
    return _derived_rows(session, stages, filters, as_of)


def pending_rows(
    session: Session, filters: Filters, as_of: date, *, today: date, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """Parties not yet in force, the longest wait first."""
    stages = load_stages(session)
    if as_of >= today:
        return _cached_rows(session, stages, filters, as_of, pending=True, limit=limit)
    rows = (row for row in _derived_rows(session, stages, filters, as_of) if _is_pending(row, filters))
    order = _longest_wait_first
    chosen = heapq.nsmallest(limit, rows, key=order) if limit is not None else sorted(rows, key=order)
    return iter(chosen)


def _longest_wait_first(row: dict[str, Any]) -> tuple:
    waiting = row["waiting_days"]
    return (waiting is None, -(waiting or 0), row["treaty"], row["party"])


def _is_pending(row: dict[str, Any], filters: Filters) -> bool:
    if row["state"] == PartyState.IN_FORCE:
        return False
    if filters.stage_kind and row["next_stage"] != filters.stage_kind:
        return False
    if filters.older_than is not None and (row["waiting_days"] is None or row["waiting_days"] < filters.older_than):
        return False
    return True


_PARTY_COLUMNS = (
    Treaty.slug,
    Treaty.kind,
    Treaty.signed_on.label("treaty_signed"),
    Party.id.label("party_id"),
    Party.state,
    Party.name,
    Party.signed_on,
    Party.procedure_id,
)


def _scope(query, filters: Filters):
    if filters.slug:
        query = query.where(Treaty.slug == filters.slug)
    if filters.party:
        query = query.where(Party.state == filters.party)
    return query


def _cached_rows(
    session: Session,
    stages: dict[int, StageRef],
    filters: Filters,
    as_of: date,
    *,
    pending: bool = False,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    query = _scope(
        select(
            *_PARTY_COLUMNS,
            Party.status,
            Party.stage_id,
            Party.stage_on,
            Party.next_stage_id,
            Party.failed_stage_id,
            Party.next_scheduled_on,
            Party.last_step_on,
            Party.in_force_on,
        ).join(Treaty, Treaty.id == Party.treaty_id),
        filters,
    )
    if pending:
        query = query.where(or_(Party.in_force_on.is_(None), Party.in_force_on > as_of))
        if filters.stage_kind:
            ids = [s.id for s in stages.values() if s.kind == filters.stage_kind]
            query = query.where(Party.next_stage_id.in_(ids or [-1]))
        if filters.older_than is not None:
            query = query.where(Party.last_step_on <= as_of - timedelta(days=filters.older_than))
        query = query.order_by(Party.last_step_on.is_(None), Party.last_step_on, Treaty.slug, Party.state)
    else:
        query = query.order_by(Treaty.slug, Party.state)
    if limit is not None:
        query = query.limit(limit)
    for row in session.execute(query.execution_options(yield_per=2000)):
        progress = Progress(
            state=PartyState(row.status),
            stage=stages.get(row.stage_id),
            stage_on=row.stage_on,
            next_stage=stages.get(row.next_stage_id),
            next_scheduled_on=row.next_scheduled_on,
            last_step_on=row.last_step_on,
            instrument_on=None,
            failed_stage=stages.get(row.failed_stage_id),
        )
        yield _row(row, progress, row.in_force_on, as_of)


def _derived_rows(
    session: Session, stages: dict[int, StageRef], filters: Filters, as_of: date
) -> Iterator[dict[str, Any]]:
    """Status as of a past date: one ordered pass over parties and their events."""
    # Entry into force depends on every party of a treaty, so the party filter
    # applies after each treaty is folded, not in the query.
    query = _scope(
        select(*_PARTY_COLUMNS, Event.stage_id, Event.status.label("event_status"), Event.date, Event.reading)
        .join(Treaty, Treaty.id == Party.treaty_id)
        .outerjoin(Event, and_(Event.party_id == Party.id, Event.date <= as_of)),
        Filters(slug=filters.slug),
    ).order_by(Treaty.slug, Party.state, Event.date, Event.id)
    procedure_stages = _stages_by_procedure(session, stages)
    rows = session.execute(query.execution_options(yield_per=5000))
    for _slug, treaty_rows in itertools.groupby(rows, key=lambda r: r.slug):
        parties = []
        for _party_id, party_rows in itertools.groupby(treaty_rows, key=lambda r: r.party_id):
            first, *rest = list(party_rows)
            facts = [
                EventFact(r.stage_id, EventStatus(r.event_status), r.date, r.reading)
                for r in (first, *rest)
                if r.stage_id is not None
            ]
            signed = first.signed_on or first.treaty_signed
            progress = derive_progress(procedure_stages[first.procedure_id], facts, signed_on=signed, as_of=as_of)
            parties.append((first, progress))
        entry = in_force_on(TreatyKind(parties[0][0].kind), [p.instrument_on for _, p in parties])
        for first, progress in parties:
            if filters.party is None or first.state == filters.party:
                yield _row(first, progress, entry, as_of)


def _stages_by_procedure(session: Session, stages: dict[int, StageRef]) -> dict[str, list[StageRef]]:
    owners = dict(session.execute(select(Stage.id, Stage.procedure_id)).all())
    grouped: dict[str, list[StageRef]] = {}
    for ref in sorted(stages.values(), key=lambda s: s.position):
        grouped.setdefault(owners[ref.id], []).append(ref)
    return grouped


def _row(row: Any, progress: Progress, entry: date | None, as_of: date) -> dict[str, Any]:
    signed = row.signed_on or row.treaty_signed
    if signed and signed > as_of:
        signed = None
    state = party_state(progress, entry, as_of)
    last_step = progress.last_step_on if progress.last_step_on and progress.last_step_on <= as_of else signed
    in_force = state == PartyState.IN_FORCE
    return {
        "treaty": row.slug,
        "party": row.state,
        "party_name": row.name,
        "state": state.value,
        "progress": describe(progress, state, entry),
        "stage": progress.stage.kind.value if progress.stage else None,
        "stage_body": progress.stage.body if progress.stage else None,
        "stage_date": _iso(progress.stage_on),
        "next_stage": progress.next_stage.kind.value if progress.next_stage and not in_force else None,
        "next_stage_body": progress.next_stage.body if progress.next_stage and not in_force else None,
        "next_scheduled": _iso(progress.next_scheduled_on) if not in_force else None,
        "signed": _iso(signed),
        "last_step": _iso(last_step),
        "waiting_days": (as_of - last_step).days if last_step and not in_force else None,
        "in_force_on": _iso(entry) if in_force else None,
        "as_of": as_of.isoformat(),
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def history_rows(session: Session, slug: str, party: str | None = None) -> Iterable[dict[str, Any]]:
    """Every recorded event of a treaty, in the order it happened."""
    query = (
        select(Party.state, Stage.key, Stage.kind, Stage.body, Event)
        .join(Party, Party.id == Event.party_id)
        .join(Treaty, Treaty.id == Party.treaty_id)
        .join(Stage, Stage.id == Event.stage_id)
        .where(Treaty.slug == slug)
        .order_by(Event.date, Event.id)
    )
    if party:
        query = query.where(Party.state == party)
    for state, key, kind, body, event in session.execute(query):
        yield {
            "date": event.date.isoformat(),
            "party": state,
            "stage": key,
            "kind": kind,
            "body": body,
            "status": event.status,
            "reading": event.reading,
            "yes": event.yes,
            "no": event.no,
            "abstain": event.abstain,
            "not_voting": event.not_voting,
            "absent": event.absent,
            "seats": event.seats,
            "unanimous": event.unanimous,
            "source": event.source,
            "note": event.note,
            "out_of_order": event.out_of_order,
            "recorded_at": event.recorded_at.isoformat(timespec="seconds"),
            "recorded_by": event.recorded_by,
        }


TREATY_FIELDS = ("treaty", "kind", "signed", "place", "title", "parties", "in_force_on")


def treaty_rows(session: Session, as_of: date) -> Iterator[dict[str, Any]]:
    """One row per treaty with its party count and entry into force, in one query."""
    from sqlalchemy import func

    query = (
        select(
            Treaty.slug,
            Treaty.kind,
            Treaty.signed_on,
            Treaty.place,
            Treaty.title,
            func.count(Party.id).label("parties"),
            func.max(Party.in_force_on).label("in_force_on"),
        )
        .outerjoin(Party, Party.treaty_id == Treaty.id)
        .group_by(Treaty.id)
        .order_by(Treaty.slug)
    )
    for row in session.execute(query):
        in_force = row.in_force_on if row.in_force_on and row.in_force_on <= as_of else None
        yield {
            "treaty": row.slug,
            "kind": row.kind,
            "signed": _iso(row.signed_on),
            "place": row.place,
            "title": row.title,
            "parties": row.parties,
            "in_force_on": _iso(in_force),
        }


def treaty_detail(session: Session, slug: str, as_of: date, *, today: date) -> tuple[Treaty, list[dict[str, Any]]]:
    from ratify.tracker import get_treaty

    treaty = get_treaty(session, slug)
    return treaty, list(status_rows(session, Filters(slug=slug), as_of, today=today))
