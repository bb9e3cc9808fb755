"""The status cache: each treaty folded from its facts and stored on its rows.

Rebuilt for the whole treaty inside every writing transaction, so reports as
of today can read it without touching the events.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from ratify.dates import exact, given_date, given_signature, precision_of, recorded_on
from ratify.rules.entry_into_force import Evaluation
from ratify.rules.spec import Rule, WithdrawalRule
from ratify.rules.status import EventFact, StageRef
from ratify.rules.treaty import ActFact, PartyFacts, PartyOutcome, TreatyFacts, fold_treaty, treaty_in_force
from ratify.store.family import DEPTH, resolve_rule
from ratify.store.models import Act, Event, Party, Stage, Treaty
from ratify.vocab import ConsentType, EventStatus, ProcedurePath, StageKind


def stage_ref(stage: Stage) -> StageRef:
    assert stage.id is not None  # a stored row
    return StageRef(
        stage.id, stage.key, stage.kind, stage.body, stage.position, stage.optional, stage.readings, stage.consultative
    )


def event_fact(event: Any) -> EventFact:
    """What the rules read of an event (a live row, or a version rebuilt from the record)."""
    return EventFact(
        event.stage_id,
        EventStatus(event.status),
        given_date(event),
        event.reading,
        ConsentType(event.consent) if event.consent else None,
        event.readings,
        due_on=event.due_on,
        recorded_on=recorded_on(event.recorded_at),
        path=ProcedurePath(event.path or ProcedurePath.RATIFICATION),
        effective_on=event.effective_on,
        round=event.round or 1,
    )


def act_fact(act: Any) -> ActFact:
    """What the rules read of an act (a live row, a row held in memory, or a version rebuilt from the record)."""
    return ActFact(act.kind, given_date(act), act.effective_on)


def treaty_facts(
    session: Session, treaty: Any, *, depth: int = 0, candidates: Sequence[str] | None = None
) -> TreatyFacts:
    """The treaty-level facts its rules need, its termination included, its rule's drawn groups filled in.

    An accession protocol's `candidates` (read from its stored parties unless given) come with the days each
    deposited an instrument on the parent treaty.
    """
    terminated_on = treaty.terminated_on
    if terminated_on is None and treaty.superseded_by:
        successor = session.exec(select(Treaty).where(Treaty.slug == treaty.superseded_by)).first()
        terminated_on = successor.in_force_on if successor else None
    return TreatyFacts(
        kind=treaty.kind,
        rule=resolve_rule(session, treaty, Rule.model_validate(treaty.rule) if treaty.rule else None, depth=depth),
        withdrawal=WithdrawalRule.model_validate(treaty.withdrawal) if treaty.withdrawal else None,
        terminated_on=terminated_on,
        published_in_force_on=treaty.published_in_force_on,
        **candidate_facts(session, treaty, candidates),
    )


def candidate_facts(session: Session, treaty: Any, candidates: Sequence[str] | None = None) -> dict[str, Any]:
    """`candidates` and `joined_parent` of TreatyFacts: who the protocol admits, and when each joined the parent."""
    if not treaty.parent:
        return {}
    if candidates is None:
        stored = select(Party.state).where(Party.treaty_id == treaty.id, col(Party.candidate).is_(True))
        candidates = list(session.exec(stored))
    if not candidates:
        return {}
    joined: dict[str, list[date]] = {}
    query = (
        select(col(Party.state), col(Event.date))
        .join(Event, col(Event.party_id) == col(Party.id))
        .join(Stage, col(Stage.id) == col(Event.stage_id))
        .join(Treaty, col(Treaty.id) == col(Party.treaty_id))
        .where(
            col(Treaty.slug) == treaty.parent, col(Party.state).in_(candidates), col(Stage.kind) == StageKind.INSTRUMENT
        )
        .where(col(Event.status) == EventStatus.PASSED, col(Event.path) == ProcedurePath.RATIFICATION)
        .order_by(col(Event.date))
    )
    for state, day in session.exec(query):
        joined.setdefault(state, []).append(day)
    return {"candidates": frozenset(candidates), "joined_parent": {s: tuple(days) for s, days in joined.items()}}


def fold(
    session: Session, treaty: Treaty, as_of: date | None = None, *, depth: int = 0
) -> tuple[list[Party], Evaluation | None, list[PartyOutcome]]:
    """Load a treaty's parties, stages, events and acts in four queries and fold them."""
    # A depositary's notes on a row run to tens of thousands of characters, and status never reads them.
    query = select(Party).where(Party.treaty_id == treaty.id).order_by(Party.state)
    parties = list(session.exec(query.options(defer(Party.depositary_note))))  # type: ignore[arg-type]
    if not parties:
        return parties, None, []
    procedure_ids = {party.procedure_id for party in parties}
    stage_rows = session.exec(select(Stage).where(col(Stage.procedure_id).in_(procedure_ids))).all()
    refs: dict[str, list[StageRef]] = {}
    for stage in sorted(stage_rows, key=lambda s: s.position):
        refs.setdefault(stage.procedure_id, []).append(stage_ref(stage))
    party_ids = [p.id for p in parties]
    events: dict[int, list[EventFact]] = {}
    for event in session.exec(
        select(Event).where(col(Event.party_id).in_(party_ids)).order_by(col(Event.date), col(Event.id))
    ):
        events.setdefault(event.party_id, []).append(event_fact(event))
    acts: dict[int, list[ActFact]] = {}
    for act in session.exec(select(Act).where(col(Act.party_id).in_(party_ids)).order_by(col(Act.date), col(Act.id))):
        acts.setdefault(act.party_id, []).append(act_fact(act))
    facts = []
    for party in parties:
        assert party.id is not None  # a stored row
        facts.append(
            PartyFacts(
                party.state,
                given_signature(party),
                refs[party.procedure_id],
                events.get(party.id, []),
                acts.get(party.id, []),
            )
        )
    evaluation, outcomes = fold_treaty(treaty_facts(session, treaty, depth=depth), facts, as_of)
    return parties, evaluation, outcomes


def refresh_treaty(session: Session, treaty: Treaty, *, depth: int = 0) -> None:
    """Rebuild the cached status of a treaty and every party from the recorded facts."""
    parties, evaluation, outcomes = fold(session, treaty)
    store_outcomes(treaty, parties, evaluation, outcomes)
    for party in parties:
        session.add(party)
    session.add(treaty)
    session.flush()
    refresh_drawing_children(session, treaty, depth=depth)


def refresh_drawing_children(session: Session, treaty: Treaty, *, depth: int = 0) -> None:
    """Refresh the protocols whose rule draws a group from this treaty's parties: they change with it."""
    if depth >= DEPTH:
        return  # a loop of parents: resolving the rule reports it
    for child in session.exec(select(Treaty).where(Treaty.parent == treaty.slug)):
        if child.id == treaty.id:
            continue
        draws = child.rule and Rule.model_validate(child.rule).parent_dates()
        admits = session.exec(select(Party.id).where(Party.treaty_id == child.id, col(Party.candidate))).first()
        if draws or admits is not None:
            refresh_treaty(session, child, depth=depth + 1)


def store_outcomes(
    treaty: Any, parties: Sequence[Any], evaluation: Evaluation | None, outcomes: Sequence[PartyOutcome]
) -> None:
    """Set the cache columns of a treaty and its parties (rows, or the bulk load's rows in waiting)."""
    for party, outcome in zip(parties, outcomes, strict=True):
        result, standing = outcome.progress, outcome.standing
        party.status = result.state
        party.stage_id = result.stage.id if result.stage else None
        party.stage_on, party.stage_precision = _split(result.stage_on)
        party.next_stage_id = result.next_stage.id if result.next_stage else None
        party.next_scheduled_on = _day(result.next_scheduled_on)
        party.next_expected, party.next_expected_by = result.next_expected, _day(result.next_expected_by)
        party.next_laid_on, party.next_laid_until = _day(result.next_laid_on), _day(result.next_laid_until)
        party.failed_stage_id = result.failed_stage.id if result.failed_stage else None
        party.last_step_on, party.last_step_precision = _split(result.last_step_on)
        party.consent = outcome.consent
        party.deposited_on, party.deposited_precision = _split(outcome.deposited_on)
        party.in_force_on = _day(standing.in_force_on)
        party.in_force_basis, party.in_force_published = outcome.in_force_basis, _day(outcome.in_force_published)
        party.withdrawn_on = _day(standing.withdrawn_on)
        party.declined_on = _day(standing.declined_on)
        party.consent_withdrawn_on = _day(standing.consent_withdrawn_on)
        party.progress_note = result.note
        party.member_since = _day(standing.member_since)
        party.withdrawal_notice_on = _day(standing.withdrawal_notice_on)
        party.notice_revoked_on = _day(standing.notice_revoked_on)
        party.reversal, party.reversal_progress = outcome.reversal, outcome.reversal_progress
        party.suspended_from, party.suspended_until = _day(standing.suspended_from), _day(standing.suspended_until)
        party.provisional_from = _day(outcome.provisional_from)
        party.provisional_until = _day(outcome.provisional_until)
    treaty.rule_met_on, treaty.rule_met_precision = _split(evaluation.met_on if evaluation else None)
    in_force_on, treaty.in_force_basis = treaty_in_force(evaluation, treaty.published_in_force_on)
    treaty.in_force_on = exact(in_force_on) if in_force_on else None


def _day(day: date | None) -> date | None:
    """A date for a plain date column: the latest day it can be. A date known only as "on or before" a day
    would otherwise reach the driver as its "[..YYYY-MM-DD]" form, which PostgreSQL refuses."""
    return exact(day) if day else None


def _split(day: date | None) -> tuple[date | None, Any]:
    """A date for a cache column: the latest day it can be, and its precision for the column beside it."""
    return (exact(day) if day else None), precision_of(day)
