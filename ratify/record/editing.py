"""Edits of a treaty's or a party's own attributes, and removal of parties and treaties.

Each goes through `keep_version`, so an edit or a removal is as traceable as
a correction: the earlier version stays, with who, when and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from ratify.dates import certainly_before, exact, given_signature, precision_of
from ratify.errors import InvalidInput
from ratify.record import procedures
from ratify.record.events import check_accessions, check_history, events_of
from ratify.record.inputs import PartyCreate, TreatyCreate
from ratify.record.revisions import keep_version, moment_now, replace, row_id
from ratify.record.tracker import check_signature
from ratify.store.cache import refresh_treaty
from ratify.store.entries import fact_id
from ratify.store.lookup import get_party, get_treaty
from ratify.store.models import Act, Event, Party, Treaty
from ratify.vocab import RevisionAction, TreatyKind

#: Treaty attributes `treaty edit` may change (its rule and termination have their own commands).
TREATY_FIELDS = ("title", "signed", "place", "note", "sources", "relation", "parent")
#: Party attributes `party edit` may change.
PARTY_FIELDS = ("signed", "procedure", "note")
_TREATY_COLUMNS = {
    "title": "title",
    "signed": "signed_on",
    "place": "place",
    "note": "note",
    "sources": "sources",
    "relation": "relation",
    "parent": "parent",
}
_PARTY_COLUMNS = {"signed": "signed_on", "procedure": "procedure_id", "note": "note"}


def _changed_columns(record: Any, name: str, changes: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    """The columns an edit sets, refused if every one already holds its value."""
    wanted = {columns[option]: value for option, value in changes.items()}
    if "signed_on" in wanted:  # the latest day it can be, and how precise it is
        signed = wanted["signed_on"]
        wanted["signed_on"], wanted["signed_precision"] = exact(signed) if signed else None, precision_of(signed)
    if all(getattr(record, column) == value for column, value in wanted.items()):
        raise InvalidInput(f"{name}: already records these values", "give the values that change")
    return wanted


def edit_treaty(session: Session, slug: str, changes: dict[str, Any], *, reason: str) -> Treaty:
    """A new version of a treaty's title, signature, place, note or sources."""
    treaty = get_treaty(session, slug)
    if not changes:
        raise InvalidInput(f"{slug}: nothing to edit", f"give one of --{', --'.join(TREATY_FIELDS)}")
    current = {
        "slug": treaty.slug,
        "title": treaty.title,
        "kind": treaty.kind,
        "signed": treaty.signed_on,
        "relation": treaty.relation,
        "parent": treaty.parent,
    }
    checked = TreatyCreate.model_validate({**current, **changes})  # the same validation as `treaty add`
    if checked.parent is not None and "parent" in changes:
        get_treaty(session, checked.parent)  # a link typed by hand must name a recorded treaty
    if "signed" in changes:
        changes = {**changes, "signed": checked.signed}
    wanted = _changed_columns(treaty, slug, changes, _TREATY_COLUMNS)
    signed = changes["signed"] if "signed" in changes else given_signature(treaty)
    check_signature(signed, today=date.today())
    moment = moment_now()
    parties = list(session.exec(select(Party).where(Party.treaty_id == treaty.id)))
    old_signature = (treaty.signed_on, treaty.signed_precision)
    replace(session, treaty, wanted, treaty=treaty, party=None, reason=reason, moment=moment)
    if "signed_on" in wanted:
        for party in parties:
            # A bilateral treaty's parties sign with it: their signature follows the corrected date.
            signature = (party.signed_on, party.signed_precision)
            follows = treaty.kind == TreatyKind.BILATERAL and signature == old_signature
            if follows and signature != (wanted["signed_on"], wanted["signed_precision"]):
                replace(
                    session,
                    party,
                    {"signed_on": wanted["signed_on"], "signed_precision": wanted["signed_precision"]},
                    treaty=treaty,
                    party=party.state,
                    reason=reason,
                    moment=moment,
                )
            if signed and party.signed_on and certainly_before(given_signature(party), signed):
                raise InvalidInput(
                    f"signed: {party.state} signed on {given_signature(party)}, before {signed}",
                    "correct that party's signature first (ratify party edit)",
                )
    session.flush()
    for party in parties:
        _recheck_party(session, treaty, party)
    refresh_treaty(session, treaty)
    check_accessions(session, treaty)
    return treaty


def edit_party(session: Session, slug: str, state: str, changes: dict[str, Any], *, reason: str) -> Party:
    """A new version of a party's signature date, procedure template or note."""
    treaty = get_treaty(session, slug)
    party = get_party(session, treaty, state)
    if not changes:
        raise InvalidInput(f"{party.state}: nothing to edit", f"give one of --{', --'.join(PARTY_FIELDS)}")
    checked = PartyCreate.model_validate({"state": party.state, **changes})
    if "signed" in changes:
        changes = {**changes, "signed": checked.signed}
    wanted = _changed_columns(party, party.state, changes, _PARTY_COLUMNS)
    check_signature(
        changes["signed"] if "signed" in changes else given_signature(party),
        today=date.today(),
        treaty_signed=given_signature(treaty),
    )
    moment = moment_now()
    if "procedure_id" in wanted and wanted["procedure_id"] != party.procedure_id:
        _move_events(session, treaty, party, wanted["procedure_id"], reason=reason, moment=moment)
    replace(session, party, wanted, treaty=treaty, party=party.state, reason=reason, moment=moment)
    session.flush()
    _recheck_party(session, treaty, party)
    refresh_treaty(session, treaty)
    check_accessions(session, treaty)
    return party


def _move_events(session: Session, treaty: Treaty, party: Party, procedure_id: str, *, reason: str, moment) -> None:
    """Each recorded event moves to the new procedure's stage with the same key, else the same kind."""
    procedures.get_procedure(session, procedure_id)
    new_stages = procedures.stages_of(session, procedure_id)
    old_stages = {s.id: s for s in procedures.stages_of(session, party.procedure_id)}
    for event in events_of(session, row_id(party)):
        old = old_stages[event.stage_id]
        target = next((s for s in new_stages if s.key == old.key), None) or next(
            (s for s in new_stages if s.kind == old.kind), None
        )
        if target is None:
            raise InvalidInput(
                f"procedure: {procedure_id} has no stage like {old.key} ({old.kind}), recorded as {fact_id(event)}",
                "choose a template with that stage, or retract the event first",
            )
        replace(
            session, event, {"stage_id": row_id(target)}, treaty=treaty, party=party.state, reason=reason, moment=moment
        )


def _recheck_party(session: Session, treaty: Treaty, party: Party) -> None:
    stages = procedures.stages_of(session, party.procedure_id)
    check_history(treaty, party, stages, events_of(session, row_id(party)))


@dataclass
class Removal:
    """What removing a party or a treaty takes with it, listed before anything goes."""

    treaty: Treaty
    parties: list[Party]
    events: list[Event] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)
    whole_treaty: bool = False

    @property
    def facts(self) -> list[str]:
        listed: list[Any] = [*self.events, *self.acts, *self.parties]
        if self.whole_treaty:
            listed.append(self.treaty)
        return [fact_id(record) for record in listed]

    def describe(self) -> str:
        what = f"treaty {self.treaty.slug}" if self.whole_treaty else f"{self.parties[0].state} from {self.treaty.slug}"
        counts = f"{len(self.parties)} part{'y' if len(self.parties) == 1 else 'ies'}, "
        counts += f"{len(self.events)} event{'' if len(self.events) == 1 else 's'}, "
        counts += f"{len(self.acts)} act{'' if len(self.acts) == 1 else 's'}"
        return f"{what}: {counts}"


def plan_removal(session: Session, slug: str, state: str | None = None) -> Removal:
    """Everything a removal would take, read only."""
    treaty = get_treaty(session, slug)
    if state is None:
        successor_of = session.exec(select(Treaty.slug).where(Treaty.superseded_by == treaty.slug)).first()
        if successor_of is not None:
            raise InvalidInput(
                f"treaty: {successor_of} is recorded as superseded by {treaty.slug}",
                f"edit {successor_of}'s termination first (ratify treaty terminate)",
            )
        parties = list(session.exec(select(Party).where(Party.treaty_id == treaty.id).order_by(Party.state)))
    else:
        parties = [get_party(session, treaty, state)]
    ids = [row_id(p) for p in parties]
    events = list(
        session.exec(select(Event).where(col(Event.party_id).in_(ids)).order_by(col(Event.date), col(Event.id)))
    )
    acts = list(session.exec(select(Act).where(col(Act.party_id).in_(ids)).order_by(col(Act.date), col(Act.id))))
    return Removal(treaty, parties, events, acts, whole_treaty=state is None)


def remove(session: Session, removal: Removal, *, reason: str) -> None:
    """Remove what `plan_removal` listed; every removed fact is kept as a version."""
    moment = moment_now()
    treaty = removal.treaty
    states = {p.id: p.state for p in removal.parties}
    records: list[Event | Act] = [*removal.events, *removal.acts]
    for record in records:
        keep_version(
            session,
            record,
            treaty=treaty,
            party=states[record.party_id],
            action=RevisionAction.REMOVED,
            reason=reason,
            moment=moment,
        )
    for party in removal.parties:
        keep_version(
            session,
            party,
            treaty=treaty,
            party=party.state,
            action=RevisionAction.REMOVED,
            reason=reason,
            moment=moment,
        )
    if removal.whole_treaty:
        keep_version(
            session, treaty, treaty=treaty, party=None, action=RevisionAction.REMOVED, reason=reason, moment=moment
        )
    session.flush()
    for record in records:
        session.delete(record)
    session.flush()
    for party in removal.parties:
        session.delete(party)
    session.flush()
    if removal.whole_treaty:
        session.delete(treaty)
        session.flush()
    else:
        refresh_treaty(session, treaty)
        check_accessions(session, treaty)
