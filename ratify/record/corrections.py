"""Corrections and retractions of recorded events and acts.

A correction is checked exactly like a new entry (order, thresholds,
duplicates) against everything else recorded for the party; the version it
replaces is kept with who replaced it, when and why. A retraction withdraws a
mistaken entry, and is refused if what remains would be an impossible history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from ratify.errors import InvalidInput
from ratify.record import procedures
from ratify.record.events import check_accessions, check_history, checked_event, events_of
from ratify.record.inputs import ActCreate, EventCreate
from ratify.record.revisions import entry_of, find_fact, keep_version, moment_now, replace, row_id
from ratify.record.tracker import acts_of, check_openings, checked_act
from ratify.store.cache import refresh_treaty
from ratify.store.entries import TALLY_FIELDS, fact_id
from ratify.store.models import Act, Event, Party, Revision, Stage, Treaty
from ratify.vocab import EventStatus, RevisionAction

#: What `correct` may change on an event: the options `vote` and `advance` take.
EVENT_FIELDS = (
    "stage",
    "status",
    "date",
    "reading",
    "readings",
    "round",
    *TALLY_FIELDS,
    "unanimous",
    "consent",
    "effective",
    "by",
    "until",
    "path",
    "source",
    "note",
    "allow_out_of_order",
)
#: What `correct` may change on an act: the options `act` takes, and its kind.
ACT_FIELDS = ("kind", "date", "effective", "against", "text", "source", "note")
_CONTENT = ("id", "recorded_at", "recorded_by")


@dataclass(frozen=True)
class Changed:
    """What a correction or retraction touched, for the command to report."""

    fact: str
    treaty: Treaty
    party: Party
    record: Event | Act
    stage: Stage | None
    version: int


def correct(session: Session, text_id: str, changes: dict[str, Any], *, reason: str) -> Changed:
    """Record a new version of an event or act; `changes` holds only the fields given."""
    record = find_fact(session, text_id, letters="ea")
    party, treaty = _owners(session, record)
    fields = EVENT_FIELDS if isinstance(record, Event) else ACT_FIELDS
    unknown = sorted(set(changes) - set(fields))
    if unknown:
        noun = "an event" if isinstance(record, Event) else "an act"
        raise InvalidInput(
            f"{unknown[0]}: {fact_id(record)} is {noun}, which has no {unknown[0]}",
            f"correct only what {noun} records: {', '.join(fields)}",
        )
    if not changes:
        raise InvalidInput(f"{fact_id(record)}: nothing to correct", "give the options whose values change")
    entry = {k: v for k, v in entry_of(session, record).items() if k not in _CONTENT}
    if isinstance(record, Event):
        candidate: Event | Act = _corrected_event(session, treaty, party, record, entry, changes)
        columns: tuple[str, ...] = _EVENT_COLUMNS
    else:
        candidate = _corrected_act(session, treaty, party, record, entry, changes)
        columns = _ACT_COLUMNS
    if all(getattr(candidate, c) == getattr(record, c) for c in columns):
        raise InvalidInput(f"{fact_id(record)}: already records these values", "give the values that change")
    values = {column: getattr(candidate, column) for column in columns}
    replace(session, record, values, treaty=treaty, party=party.state, reason=reason, moment=moment_now())
    session.flush()
    _recheck(session, treaty, party)
    fact = fact_id(record)
    return Changed(fact, treaty, party, record, _stage_of(session, record), _kept(session, fact) + 1)


def retract(session: Session, text_id: str, *, reason: str) -> Changed:
    """Withdraw a mistaken event or act; its last version is kept."""
    record = find_fact(session, text_id, letters="ea")
    party, treaty = _owners(session, record)
    stage = _stage_of(session, record)
    fact = fact_id(record)
    keep_version(
        session,
        record,
        treaty=treaty,
        party=party.state,
        action=RevisionAction.RETRACTED,
        reason=reason,
        moment=moment_now(),
    )
    version = _kept(session, fact)
    session.delete(record)
    session.flush()
    try:
        _recheck(session, treaty, party)
    except InvalidInput as error:
        raise InvalidInput(f"retracting {fact} would break the record: {error.message}", error.hint) from None
    return Changed(fact, treaty, party, record, stage, version)


def _corrected_event(
    session: Session, treaty: Treaty, party: Party, event: Event, entry: dict[str, Any], changes: dict[str, Any]
) -> Event:
    vote = dict(entry.pop("vote", {}) or {})
    for field in (*TALLY_FIELDS, "unanimous"):
        if field in changes:
            vote[field] = changes[field]
    if any(field in changes for field in (*TALLY_FIELDS, "unanimous")) and "status" not in changes:
        # New counts decide the result again, unless a result is stated with them.
        entry.pop("status", None)
    entry.update({k: v for k, v in changes.items() if k not in (*TALLY_FIELDS, "unanimous")})
    entry["vote"] = {k: v for k, v in vote.items() if v is not None} or None
    if entry.get("status") != EventStatus.EXPECTED and "by" not in changes:
        entry.pop("by", None)  # an expectation corrected into the step itself keeps no deadline
    if entry.get("status") != EventStatus.LAID and "until" not in changes:
        entry.pop("until", None)  # nor does a laying corrected into the stage's outcome keep its end
    data = EventCreate.model_validate(entry)
    return checked_event(session, treaty, party, data, replacing=event)


def _corrected_act(
    session: Session, treaty: Treaty, party: Party, act: Act, entry: dict[str, Any], changes: dict[str, Any]
) -> Act:
    entry.update(changes)
    data = ActCreate.model_validate(entry)
    return checked_act(session, treaty, party, data, replacing=act)


_EVENT_COLUMNS = (
    "stage_id",
    "status",
    "date",
    "date_precision",  # a correction may make a date more (or less) precise
    "reading",
    "readings",
    "round",
    *TALLY_FIELDS,
    "unanimous",
    "due_on",
    "path",
    "consent",
    "effective_on",
    "source",
    "note",
    "out_of_order",
)
_ACT_COLUMNS = ("kind", "date", "date_precision", "effective_on", "against", "text", "source", "note")


def _owners(session: Session, record: Event | Act) -> tuple[Party, Treaty]:
    party = session.get(Party, record.party_id)
    assert party is not None
    treaty = session.get(Treaty, party.treaty_id)
    assert treaty is not None
    return party, treaty


def _stage_of(session: Session, record: Event | Act) -> Stage | None:
    return session.get(Stage, record.stage_id) if isinstance(record, Event) else None


def _kept(session: Session, fact: str) -> int:
    """How many versions of a fact are kept (the current one is the next number)."""
    return int(session.exec(select(func.count()).where(Revision.fact == fact)).one())


def _recheck(session: Session, treaty: Treaty, party: Party) -> None:
    """The party's whole history must still be possible, and the treaty's status follows."""
    stages = procedures.stages_of(session, party.procedure_id)
    check_history(treaty, party, stages, events_of(session, row_id(party)))
    check_openings(party, acts_of(session, row_id(party)))
    refresh_treaty(session, treaty)
    check_accessions(session, treaty)
