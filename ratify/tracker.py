"""Recording treaties, parties and stage events, with every rule checked first."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from ratify import procedures
from ratify.countries import resolve_country
from ratify.errors import Conflict, InvalidInput, NotFound
from ratify.models import Event, EventCreate, Party, PartyCreate, Stage, Tally, Treaty, TreatyCreate
from ratify.rules.entry_into_force import in_force_on
from ratify.rules.status import EventFact, StageRef, derive_progress
from ratify.rules.votes import check_stated_result
from ratify.vocab import VOTING_KINDS, EventStatus, TreatyKind


def recorder() -> str:
    """Who is recording: RATIFY_USER, else the login name."""
    return os.environ.get("RATIFY_USER") or getpass.getuser()


def _now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- treaties


def get_treaty(session: Session, slug: str) -> Treaty:
    treaty = session.exec(select(Treaty).where(Treaty.slug == slug)).first()
    if treaty is None:
        raise NotFound(f"treaty: no treaty {slug!r}", "see 'ratify treaty list'")
    return treaty


def add_treaty(session: Session, data: TreatyCreate, *, states: list[str] = (), today: date | None = None) -> Treaty:
    if data.signed and data.signed > (today or date.today()):
        raise InvalidInput(f"signed: {data.signed} is in the future", "record the signature once it has happened")
    if session.exec(select(Treaty.id).where(Treaty.slug == data.slug)).first() is not None:
        raise Conflict(f"treaty: {data.slug!r} already exists", "choose another slug")
    treaty = Treaty(
        slug=data.slug,
        title=data.title,
        kind=data.kind,
        signed_on=data.signed,
        place=data.place,
        note=data.note,
        sources=list(data.sources),
        recorded_at=_now(),
        recorded_by=recorder(),
    )
    session.add(treaty)
    session.flush()
    for state in states:
        add_party(session, treaty, PartyCreate(state=state))
    return treaty


# --------------------------------------------------------------------------- parties


def resolve_party_code(state: str, organisation: str | None = None) -> tuple[str, str]:
    """(code, name) of a state, or of an organisation registered explicitly."""
    if organisation:
        code = state.strip().upper()
        if not code.isalnum() or len(code) > 16:
            raise InvalidInput(f"state: {state!r} is not a usable organisation code", "use letters and digits, e.g. EU")
        return code, organisation
    country = resolve_country(state)
    return country.code, country.name


def add_party(session: Session, treaty: Treaty, data: PartyCreate) -> Party:
    code, name = resolve_party_code(data.state, data.organisation)
    if session.exec(select(Party.id).where(Party.treaty_id == treaty.id, Party.state == code)).first():
        raise Conflict(f"party: {code} is already a party to {treaty.slug}", "see 'ratify treaty show'")
    if treaty.kind == TreatyKind.BILATERAL:
        count = session.exec(select(func.count()).where(Party.treaty_id == treaty.id)).one()
        if count >= 2:
            raise InvalidInput(
                f"party: {treaty.slug} is bilateral and already has two parties",
                "record the treaty as --kind multilateral",
            )
    signed = data.signed or treaty.signed_on
    if data.signed and data.signed > date.today():
        raise InvalidInput(f"signed: {data.signed} is in the future", "record the signature once it has happened")
    if signed and treaty.signed_on and signed < treaty.signed_on:
        raise InvalidInput(
            f"signed: {signed} is before the treaty was signed or adopted ({treaty.signed_on})",
            "check the date",
        )
    procedure_id = data.procedure or procedures.template_for(session, None if data.organisation else code)
    procedures.get_procedure(session, procedure_id)
    party = Party(
        treaty_id=treaty.id,
        state=code,
        name=name,
        is_organisation=bool(data.organisation),
        signed_on=signed,
        procedure_id=procedure_id,
        note=data.note,
        recorded_at=_now(),
        recorded_by=recorder(),
        last_step_on=signed,
    )
    session.add(party)
    session.flush()
    return party


def party_code(session: Session, text: str) -> str:
    """The code a user means: a recorded party's code (organisations too), else a country's."""
    code = text.strip().upper()
    if session.exec(select(Party.id).where(Party.state == code).limit(1)).first() is not None:
        return code
    return resolve_country(text).code


def get_party(session: Session, treaty: Treaty, state: str) -> Party:
    code = state.strip().upper()
    party = session.exec(select(Party).where(Party.treaty_id == treaty.id, Party.state == code)).first()
    if party is None:
        code = resolve_country(state).code
        party = session.exec(select(Party).where(Party.treaty_id == treaty.id, Party.state == code)).first()
    if party is None:
        raise NotFound(
            f"party: {code} is not a party to {treaty.slug}", f"add it with 'ratify party add {treaty.slug} {code}'"
        )
    return party


# --------------------------------------------------------------------------- events


def record_event(
    session: Session, treaty: Treaty, party: Party, data: EventCreate, *, today: date | None = None
) -> Event:
    """Check an event against the party's procedure and history, then store it."""
    today = today or date.today()
    stages = procedures.stages_of(session, party.procedure_id)
    stage = procedures.find_stage(stages, data.stage, procedure_id=party.procedure_id)
    status = _event_status(stage, data)
    if status != EventStatus.SCHEDULED and data.date > today:
        raise InvalidInput(
            f"date: {data.date} is in the future", "only a scheduled event may be dated ahead (--status scheduled)"
        )
    if data.reading is not None and data.reading > stage.readings:
        raise InvalidInput(
            f"reading: {stage.body} votes in {stage.readings} reading(s), not {data.reading}",
            f"give a reading from 1 to {stage.readings}",
        )
    history = _events_of(session, party.id)
    if any((e.stage_id, e.status, e.date, e.reading) == (stage.id, status, data.date, data.reading) for e in history):
        raise Conflict(
            f"event: {stage.key} {status} on {data.date} is already recorded for {party.state}",
            "a correction is a new event with its own date or reading",
        )
    if not data.allow_out_of_order:
        _check_order(treaty, party, stages, stage, status, data, history)
    tally = data.vote or Tally()
    event = Event(
        party_id=party.id,
        stage_id=stage.id,
        status=status,
        date=data.date,
        reading=data.reading,
        yes=tally.yes,
        no=tally.no,
        abstain=tally.abstain,
        not_voting=tally.not_voting,
        absent=tally.absent,
        seats=tally.seats,
        unanimous=tally.unanimous,
        source=data.source,
        note=data.note,
        out_of_order=data.allow_out_of_order,
        recorded_at=_now(),
        recorded_by=recorder(),
    )
    session.add(event)
    session.flush()
    return event


def _event_status(stage: Stage, data: EventCreate) -> EventStatus:
    tally = data.vote
    if tally is None or not (tally.has_counts or tally.unanimous or tally.seats):
        if data.status is None and tally is None:
            raise InvalidInput("status: say what happened", "give --status passed|failed|scheduled|skipped")
        if data.status is None:
            raise InvalidInput(
                "result: the vote has no counts to decide it", "give --yes/--no, --unanimous, or --result passed|failed"
            )
        return data.status
    if stage.kind not in VOTING_KINDS:
        raise InvalidInput(
            f"vote: {stage.body} ({stage.kind}) takes no vote", "record it with 'ratify advance' instead"
        )
    seats = tally.seats or stage.seats
    if seats is not None and tally.counted > seats:
        raise InvalidInput(
            f"vote: the counts add up to {tally.counted}, more than the {seats} seats of {stage.body}",
            "check the counts, or give --seats",
        )
    return check_stated_result(data.status, tally, stage.threshold, seats=seats, quorum=stage.quorum)


def _events_of(session: Session, party_id: int) -> list[Event]:
    return list(session.exec(select(Event).where(Event.party_id == party_id).order_by(Event.date, col(Event.id))))


def _check_order(
    treaty: Treaty,
    party: Party,
    stages: list[Stage],
    stage: Stage,
    status: EventStatus,
    data: EventCreate,
    history: list[Event],
) -> None:
    signed = party.signed_on or treaty.signed_on
    if signed and data.date < signed:
        raise InvalidInput(
            f"date: {data.date} is before {party.state} signed {treaty.slug} on {signed}",
            "check the date, or pass --allow-out-of-order to record it anyway",
        )
    if status != EventStatus.PASSED:
        return
    refs = [_ref(s) for s in stages]
    facts = [_fact(e) for e in history]
    progress_then = derive_progress(refs, facts, signed_on=signed, as_of=data.date)
    missing = progress_then.next_stage
    if missing is not None and missing.position < stage.position:
        raise InvalidInput(
            f"date: {stage.key} cannot pass on {data.date} before {missing.key} ({missing.body}) has passed",
            f"record {missing.key} first, mark it skipped, or pass --allow-out-of-order",
        )
    position = {s.id: s.position for s in stages}
    later = [
        e
        for e in history
        if e.status == EventStatus.PASSED and position[e.stage_id] > stage.position and e.date < data.date
    ]
    if later:
        after = next(s for s in stages if s.id == later[0].stage_id)
        raise InvalidInput(
            f"date: {after.key} already passed on {later[0].date}, before this {stage.key} on {data.date}",
            "check the dates, or pass --allow-out-of-order",
        )


# --------------------------------------------------------------------------- cached status


def _ref(stage: Stage) -> StageRef:
    return StageRef(stage.id, stage.key, stage.kind, stage.body, stage.position, stage.optional, stage.readings)


def _fact(event: Event) -> EventFact:
    return EventFact(event.stage_id, event.status, event.date, event.reading)


def refresh_treaty(session: Session, treaty: Treaty) -> None:
    """Rebuild the cached status of every party of a treaty from its events."""
    parties = list(session.exec(select(Party).where(Party.treaty_id == treaty.id).order_by(Party.id)))
    if not parties:
        return
    procedure_ids = {party.procedure_id for party in parties}
    stage_rows = session.exec(select(Stage).where(col(Stage.procedure_id).in_(procedure_ids))).all()
    refs: dict[str, list[StageRef]] = {}
    for stage in sorted(stage_rows, key=lambda s: s.position):
        refs.setdefault(stage.procedure_id, []).append(_ref(stage))
    events: dict[int, list[EventFact]] = {}
    query = select(Event).where(col(Event.party_id).in_([p.id for p in parties])).order_by(Event.date, col(Event.id))
    for event in session.exec(query):
        events.setdefault(event.party_id, []).append(_fact(event))
    progress = {
        party.id: derive_progress(
            refs[party.procedure_id], events.get(party.id, []), signed_on=party.signed_on or treaty.signed_on
        )
        for party in parties
    }
    entry = in_force_on(treaty.kind, [p.instrument_on for p in progress.values()])
    for party in parties:
        result = progress[party.id]
        party.status = result.state
        party.stage_id = result.stage.id if result.stage else None
        party.stage_on = result.stage_on
        party.next_stage_id = result.next_stage.id if result.next_stage else None
        party.next_scheduled_on = result.next_scheduled_on
        party.last_step_on = result.last_step_on
        party.in_force_on = entry
        party.failed_stage_id = result.failed_stage.id if result.failed_stage else None
        session.add(party)
    session.flush()


def record_step(session: Session, slug: str, state: str, data: EventCreate) -> tuple[Event, Stage]:
    """Record one event for a party of a treaty and refresh the treaty's status."""
    treaty = get_treaty(session, slug)
    party = get_party(session, treaty, state)
    event = record_event(session, treaty, party, data)
    refresh_treaty(session, treaty)
    stage = session.get(Stage, event.stage_id)
    assert stage is not None
    return event, stage


def add_treaty_with_parties(session: Session, data: TreatyCreate, states: list[str]) -> Treaty:
    treaty = add_treaty(session, data, states=states)
    refresh_treaty(session, treaty)
    return treaty


def add_party_to(session: Session, slug: str, data: PartyCreate) -> Party:
    treaty = get_treaty(session, slug)
    party = add_party(session, treaty, data)
    refresh_treaty(session, treaty)
    return party
