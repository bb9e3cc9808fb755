"""What ratify said then: the record as the database stood at a past moment.

`--as-of` asks about the world on a date; `--known-on` asks what the
database held at a moment, before later corrections, retractions, edits and
removals. A version was the record at moment T when it was recorded at or
before T and not superseded until after T: the live rows recorded by T, and
the kept versions whose span covers T.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from ratify.reports.rows import Filters, StageTable, fold_rows, longest_waiting, rule_of
from ratify.store.models import Act, Event, Party, Revision, Treaty
from ratify.vocab import ConsentType, TreatyKind


@dataclass
class KnownTreaty:
    """A treaty's facts as the database held them at a moment."""

    treaty: Treaty
    parties: dict[int, Party] = field(default_factory=dict)
    events: dict[int, list[Event]] = field(default_factory=dict)
    acts: dict[int, list[Act]] = field(default_factory=dict)


def known_treaties(session: Session, moment: datetime, slugs: tuple[str, ...] = ()) -> list[KnownTreaty]:
    """Every treaty (or the named ones) with its parties, events and acts as known at `moment`. Five queries."""
    kept = select(Revision).where(col(Revision.recorded_at) <= moment, col(Revision.superseded_at) > moment)
    treaties = select(Treaty).where(col(Treaty.recorded_at) <= moment)
    if slugs:
        kept = kept.where(col(Revision.treaty).in_(slugs))
        treaties = treaties.where(col(Treaty.slug).in_(slugs))
    versions = list(session.scalars(kept))
    known: dict[int, KnownTreaty] = {t.id: KnownTreaty(t) for t in session.scalars(treaties)}  # type: ignore[misc]
    for revision in versions:
        if revision.fact[0] == "t":
            known[revision.treaty_id] = KnownTreaty(_treaty(revision))
    ids = list(known)
    parties = select(Party).where(col(Party.treaty_id).in_(ids), col(Party.recorded_at) <= moment)
    for party in session.scalars(parties):
        known[party.treaty_id].parties[party.id] = party  # type: ignore[index]
    for revision in versions:
        if revision.fact[0] == "p" and revision.treaty_id in known:
            party = _party(revision)
            known[revision.treaty_id].parties[party.id] = party  # type: ignore[index]
    owner = {pid: entry for entry in known.values() for pid in entry.parties}
    by_state: dict[tuple[int | None, str], int] = {
        (entry.treaty.id, p.state): pid for entry in known.values() for pid, p in entry.parties.items()
    }
    stage_ids = _stage_ids(session)
    live_events = select(Event).join(Party, col(Party.id) == col(Event.party_id))
    live_events = live_events.where(col(Party.treaty_id).in_(ids), col(Event.recorded_at) <= moment)
    for event in session.scalars(live_events):
        if event.party_id in owner:
            owner[event.party_id].events.setdefault(event.party_id, []).append(event)
    live_acts = select(Act).join(Party, col(Party.id) == col(Act.party_id))
    live_acts = live_acts.where(col(Party.treaty_id).in_(ids), col(Act.recorded_at) <= moment)
    for act in session.scalars(live_acts):
        if act.party_id in owner:
            owner[act.party_id].acts.setdefault(act.party_id, []).append(act)
    for revision in versions:
        party_id = by_state.get((revision.treaty_id, revision.party or ""))
        if party_id is None or revision.fact[0] not in "ea":
            continue
        entry = owner[party_id]
        if revision.fact[0] == "e":
            procedure = entry.parties[party_id].procedure_id
            known_event = _event(revision, party_id, stage_ids.get((procedure, revision.row["stage"])))
            if known_event is not None:
                entry.events.setdefault(party_id, []).append(known_event)
        else:
            entry.acts.setdefault(party_id, []).append(_act(revision, party_id))
    return sorted(known.values(), key=lambda entry: entry.treaty.slug)


def known_rows(
    session: Session, stages: StageTable, filters: Filters, as_of: date, moment: datetime
) -> Generator[dict[str, Any], None, None]:
    """Status rows as of a date, over the record as known at a moment."""
    from ratify.dates import given_signature
    from ratify.rules.spec import WithdrawalRule
    from ratify.rules.status import known_by
    from ratify.rules.treaty import PartyFacts, TreatyFacts
    from ratify.store.cache import act_fact, candidate_facts, event_fact
    from ratify.store.family import resolve_rule

    slugs = (filters.slug,) if filters.slug else filters.slugs
    for entry in known_treaties(session, moment, slugs):
        treaty = entry.treaty
        pairs = []
        for party_id, party in sorted(entry.parties.items(), key=lambda item: item[1].state):
            events = sorted(entry.events.get(party_id, []), key=lambda e: (e.date, e.id or 0))
            acts = sorted(entry.acts.get(party_id, []), key=lambda a: (a.date, a.id or 0))
            first = SimpleNamespace(
                slug=treaty.slug,
                state=party.state,
                name=party.name,
                signed_on=given_signature(party),
            )
            signed = given_signature(party) if party.signed_on and party.signed_on <= as_of else None
            facts = PartyFacts(
                party.state,
                signed,
                stages.by_procedure[party.procedure_id],
                [fact for fact in map(event_fact, events) if known_by(fact, as_of)],
                [act_fact(a) for a in acts if a.date <= as_of],
            )
            pairs.append((first, facts))
        if not pairs:
            continue
        ended = treaty.terminated_on if treaty.terminated_on and treaty.terminated_on <= as_of else None
        facts_of_treaty = TreatyFacts(
            kind=TreatyKind(treaty.kind),
            rule=resolve_rule(session, treaty, rule_of(treaty.rule)),
            withdrawal=WithdrawalRule.model_validate(treaty.withdrawal) if treaty.withdrawal else None,
            terminated_on=ended,
            published_in_force_on=treaty.published_in_force_on,
            # The parent's instruments as recorded now: a candidate's accession is read from the live record.
            **candidate_facts(
                session, treaty, [p.state for p in entry.parties.values() if getattr(p, "candidate", False)]
            ),
        )
        yield from fold_rows(facts_of_treaty, pairs, as_of, filters.codes)


def known_pending(
    session: Session, stages: StageTable, filters: Filters, as_of: date, moment: datetime, limit: int | None
) -> Iterator[dict[str, Any]]:
    return iter(longest_waiting(known_rows(session, stages, filters, as_of, moment), filters, limit))


def known_treaty(session: Session, slug: str, moment: datetime) -> Treaty | None:
    """One treaty's attributes as known at a moment, or None if it was not recorded yet."""
    entries = known_treaties(session, moment, (slug,))
    return entries[0].treaty if entries else None


def _consent(value: Any) -> ConsentType | None:
    return ConsentType(value) if value else None


def _stage_ids(session: Session) -> dict[tuple[str, str], int]:
    from ratify.store.models import Stage

    query = select(col(Stage.procedure_id), col(Stage.key), col(Stage.id))
    return {(row.procedure_id, row.key): row.id for row in session.execute(query)}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _given(value: str | None) -> tuple[date | None, Any]:
    """A kept date as written ("2024-11" too), if any: the column's latest day, and its precision."""
    return _given_date(value) if value else (None, None)


def _given_date(value: str) -> tuple[date, Any]:
    from ratify.dates import exact, precision_of, to_day

    day = to_day(value)
    return exact(day), precision_of(day)


def _treaty(revision: Revision) -> Treaty:
    row = revision.row
    published = row.get("published_in_force") or {}
    return Treaty(
        id=int(revision.fact[1:]),
        slug=row["slug"],
        title=row["title"],
        kind=row.get("kind", "bilateral"),
        signed_on=_given(row.get("signed"))[0],
        signed_precision=_given(row.get("signed"))[1],
        place=row.get("place"),
        note=row.get("note"),
        sources=row.get("sources", []),
        rule=row.get("rule"),
        withdrawal=row.get("withdrawal"),
        terminated_on=_day(row.get("terminated")),
        superseded_by=row.get("superseded_by"),
        relation=row.get("relation"),
        parent=row.get("parent"),
        published_in_force_on=_day(published.get("date")),
        published_in_force_source=published.get("source"),
        recorded_at=revision.recorded_at,
        recorded_by=revision.recorded_by,
    )


def _party(revision: Revision) -> Party:
    from ratify.countries import resolve_country

    row = revision.row
    name = row.get("organisation") or resolve_country(row["state"]).name
    return Party(
        id=int(revision.fact[1:]),
        treaty_id=revision.treaty_id,
        state=row["state"],
        name=name,
        is_organisation="organisation" in row,
        signed_on=_given(row.get("signed"))[0],
        signed_precision=_given(row.get("signed"))[1],
        procedure_id=row["procedure"],
        note=row.get("note"),
        recorded_at=revision.recorded_at,
        recorded_by=revision.recorded_by,
    )


def _event(revision: Revision, party_id: int, stage_id: int | None) -> Event | None:
    if stage_id is None:  # its procedure no longer has that stage
        return None
    row = revision.row
    vote = row.get("vote") or {}
    return Event(
        id=int(revision.fact[1:]),
        party_id=party_id,
        stage_id=stage_id,
        status=row["status"],
        date=_given_date(row["date"])[0],
        date_precision=_given_date(row["date"])[1],
        reading=row.get("reading"),
        readings=row.get("readings"),
        round=row.get("round"),
        consent=row.get("consent"),
        effective_on=_day(row.get("effective")),
        due_on=_day(row.get("by") or row.get("until")),
        path=row.get("path", "ratification"),
        unanimous=bool(vote.get("unanimous")),
        recorded_at=revision.recorded_at,
        recorded_by=revision.recorded_by,
    )


def _act(revision: Revision, party_id: int) -> Act:
    row = revision.row
    return Act(
        id=int(revision.fact[1:]),
        party_id=party_id,
        kind=row["kind"],
        date=_given_date(row["date"])[0],
        date_precision=_given_date(row["date"])[1],
        effective_on=_day(row.get("effective")),
        against=row.get("against"),
        text=row.get("text"),
        recorded_at=revision.recorded_at,
        recorded_by=revision.recorded_by,
    )


def known_history(session: Session, known: list[KnownTreaty]) -> Iterator[dict[str, Any]]:
    """History rows (the fields a report's timeline reads) of the known events and acts."""
    from ratify.store.models import Stage

    stages = {stage.id: stage for stage in session.scalars(select(Stage))}
    for entry in known:
        for party_id, events in entry.events.items():
            state = entry.parties[party_id].state
            for event in events:
                stage = stages[event.stage_id]
                yield {
                    "treaty": entry.treaty.slug,
                    "party": state,
                    "date": event.date.isoformat(),
                    "stage": stage.key,
                    "body": stage.body,
                    "kind": stage.kind,
                    "status": event.status,
                    "reading": event.reading,
                    "yes": event.yes,
                    "no": event.no,
                    "abstain": event.abstain,
                    "unanimous": event.unanimous,
                    "consent": event.consent,
                    "text": None,
                }
        for party_id, acts in entry.acts.items():
            state = entry.parties[party_id].state
            for act in acts:
                yield {
                    "treaty": entry.treaty.slug,
                    "party": state,
                    "date": act.date.isoformat(),
                    "stage": None,
                    "body": None,
                    "kind": act.kind,
                    "status": None,
                    "text": act.text,
                }
