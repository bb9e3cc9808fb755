"""Fixture files (YAML or JSON) -> validated models -> one all-or-nothing upsert."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, select

from ratify.errors import Conflict, FixtureError, RatifyError
from ratify.exchange.csv_events import read_event_csv
from ratify.record import procedures, tracker
from ratify.record.events import check_accessions, check_consents, record_event
from ratify.record.inputs import EventCreate, Fixture, PartyCreate, RevisionEntry, TreatyFixture
from ratify.record.revisions import keep_version, moment_now, reserve_ids, stamp
from ratify.record.validation import render_location, render_validation_error
from ratify.store.cache import refresh_treaty
from ratify.store.entries import fact_id
from ratify.store.lookup import get_party, get_treaty, resolve_party_code
from ratify.store.models import Act, Event, Party, Revision, Treaty
from ratify.vocab import ConsentType, RevisionAction, StageKind, TreatyKind

_TALLY_FIELDS = ("yes", "no", "abstain", "not_voting", "absent", "seats", "present")
_TERMS = ("rule", "withdrawal", "terminated_on", "superseded_by", "termination_source")


def read_fixture(path: Path) -> Fixture:
    """Parse and validate one file; any invalid entry rejects the whole file."""
    data = _parse(path)
    try:
        return Fixture.model_validate(data)
    except ValidationError as error:
        raise FixtureError(f"{path}: {render_validation_error(error)}") from None


def _parse(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FixtureError(f"{path}: cannot be read ({error})", "check the path") from None
    is_json = path.suffix.lower() == ".json"
    try:
        data = json.loads(text) if is_json else _yaml_load(text)
    except ValueError as error:
        detail = " ".join(str(error).split())
        raise FixtureError(f"{path}: not valid {'JSON' if is_json else 'YAML'}: {detail}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FixtureError(f"{path}: expected a mapping at the top of the file")
    return data


def _yaml_load(text: str) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise ValueError(str(error)) from None


_IMPLICIT_TAGS_DROPPED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")


@cache
def _yaml_loader() -> type:
    """PyYAML's SafeLoader with YAML 1.2 booleans and no implicit timestamps.

    `yes:` and `no:` stay keys (YAML 1.1 would read them as booleans), and dates
    stay text, so that ratify's own date check names the entry of a bad one.
    """
    import re

    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in _IMPLICIT_TAGS_DROPPED]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return Loader


def read_rule(path: Path):
    """A rule file: the `rule` of a fixture, on its own."""
    from ratify.rules.spec import Rule

    data = _parse(path)
    try:
        return Rule.model_validate(data)
    except ValidationError as error:
        raise FixtureError(f"{path}: {render_validation_error(error)}") from None


@dataclass(frozen=True)
class Parsed:
    """A file read and validated, not yet written: a fixture, or the rows of an events CSV."""

    path: Path
    fixture: Fixture | None = None
    csv_rows: list | None = None

    @property
    def size(self) -> int:
        """Units of work, for a progress bar: treaties, or CSV rows."""
        return len(self.fixture.treaties) if self.fixture else len(self.csv_rows or [])


def parse_files(paths: list[Path]) -> list[Parsed]:
    """Read and validate every file before anything is written."""
    return [
        Parsed(path, csv_rows=read_event_csv(path))
        if path.suffix.lower() == ".csv"
        else Parsed(path, read_fixture(path))
        for path in paths
    ]


def load_files(
    session: Session,
    files: list[Path] | list[Parsed],
    *,
    update: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Counter[str]:
    """Load fixture files (YAML, JSON, or CSV of events) in one transaction.

    Returns counts such as "events inserted"; `progress` hears of each treaty (or CSV row) done.
    """
    paths = [f for f in files if not isinstance(f, Parsed)]
    parsed = parse_files(paths) if paths else [f for f in files if isinstance(f, Parsed)]
    counts: Counter[str] = Counter()
    renamed: dict[str, str] = {}
    for item in parsed:
        loading = Loading(
            session, origin=str(item.path), update=update, counts=counts, progress=progress, renamed=renamed
        )
        if item.fixture is not None:
            loading.apply(item.fixture)
        else:
            loading.csv_events(item.csv_rows or [])
            if progress:
                progress(item.size)
    reserve_ids(session)
    return counts


class Loading:
    """One file being applied: where errors point, whether clashes update, what changed."""

    def __init__(
        self,
        session: Session,
        *,
        origin: str,
        update: bool,
        counts: Counter[str],
        progress: Callable[[int], None] | None = None,
        renamed: dict[str, str] | None = None,
    ) -> None:
        self.session = session
        self.origin = origin
        self.update = update
        self.counts = counts
        self.progress = progress
        # Ids a file carries that were taken here: the fact got a new id, and its kept versions follow it.
        self.renamed = renamed if renamed is not None else {}
        self.moment = moment_now()

    def csv_events(self, rows: list[tuple[int, str, str, EventCreate]]) -> None:
        """Events from a spreadsheet, one row each, for treaties and parties already recorded."""
        grouped: dict[tuple[str, str], list[tuple[int, EventCreate]]] = {}
        for line, slug, state, event in rows:
            with _Entry(f"{self.origin}: row {line}"):
                treaty = get_treaty(self.session, slug)
                party = get_party(self.session, treaty, state)
            grouped.setdefault((treaty.slug, party.state), []).append((line, event))
        touched = {}
        for (slug, state), lines in grouped.items():
            treaty = get_treaty(self.session, slug)
            party = get_party(self.session, treaty, state)
            data = PartyCreate(state=state, events=[event for _line, event in lines])
            self.events(treaty, party, data, (), rows=[line for line, _event in lines])
            with _Entry(f"{self.origin}: {slug} {state}"):
                check_consents(self.session, treaty, party)
            touched[slug] = treaty
        for treaty in touched.values():
            refresh_treaty(self.session, treaty)
            with _Entry(f"{self.origin}: {treaty.slug}"):
                check_accessions(self.session, treaty)

    def apply(self, fixture: Fixture) -> None:
        for index, spec in enumerate(fixture.procedures):
            with self.entry("procedures", index):
                outcome = procedures.save_procedure(self.session, spec, replace=self.update)
                self.counts[f"procedures {outcome}"] += 1
        for index, data in enumerate(fixture.treaties):
            with self.entry("treaties", index):
                treaty = self.treaty(data)
            for party_index, party_data in enumerate(data.parties):
                location = ("treaties", index, "parties", party_index)
                with self.entry(*location):
                    party = self.party(treaty, party_data)
                self.events(treaty, party, party_data, location)
            if data.rule:
                with self.entry("treaties", index, "rule"):
                    tracker.check_rule_states(self.session, treaty, data.rule)
            refresh_treaty(self.session, treaty)
            with self.entry("treaties", index):
                check_accessions(self.session, treaty)
            if self.progress:
                self.progress(1)
            # Acts are checked against the party's standing, so they come once the events are in;
            # a party that consented twice must have withdrawn in between, which its acts say.
            for party_index, party_data in enumerate(data.parties):
                if party_data.acts:
                    party = get_party(self.session, treaty, party_data.state)
                    self.acts(treaty, party, party_data, ("treaties", index, "parties", party_index))
                    refresh_treaty(self.session, treaty)
                if party_data.events:
                    with self.entry("treaties", index, "parties", party_index):
                        check_consents(self.session, treaty, get_party(self.session, treaty, party_data.state))
        for index, revision in enumerate(fixture.revisions):
            with self.entry("revisions", index):
                self.revision(revision)

    def revision(self, data: RevisionEntry) -> None:
        """A kept version, unless this database already keeps it."""
        fact = self.renamed.get(data.fact, data.fact)
        superseded_at = data.superseded_at.astimezone(UTC)
        query = select(Revision.id).where(Revision.fact == fact, Revision.superseded_at == superseded_at)
        if self.session.exec(query).first() is not None:
            self.counts["revisions unchanged"] += 1
            return
        live = self.session.exec(select(Treaty.id).where(Treaty.slug == data.treaty)).first()
        self.session.add(
            Revision(
                fact=fact,
                treaty_id=live if live is not None else data.treaty_id,
                treaty=data.treaty,
                party=data.party,
                action=data.action,
                row=data.row,
                recorded_at=data.recorded_at.astimezone(UTC),
                recorded_by=data.recorded_by,
                superseded_at=superseded_at,
                superseded_by=data.superseded_by,
                reason=data.reason,
            )
        )
        self.counts["revisions inserted"] += 1

    def keeping_id(self, data: Any, table: type) -> Any:
        """The entry with its id if that id is free here; otherwise without, and the new id noted."""
        if data.id is None:
            return data
        number = int(data.id[1:])
        taken = self.session.get(table, number) is not None or (
            self.session.exec(select(Revision.id).where(Revision.fact == data.id)).first() is not None
        )
        if not taken:
            return data
        return data.model_copy(update={"id": None})

    def note_id(self, data: Any, record: Any) -> None:
        if data.id is not None and data.id != fact_id(record):
            self.renamed[data.id] = fact_id(record)

    def entry(self, *location: Any) -> _Entry:
        return _Entry(f"{self.origin}: {render_location(location)}")

    def treaty(self, data: TreatyFixture) -> Treaty:
        existing = self.session.exec(select(Treaty).where(Treaty.slug == data.slug)).first()
        if existing is None:
            self.counts["treaties inserted"] += 1
            treaty = tracker.add_treaty(self.session, self.keeping_id(data, Treaty))
            self.note_id(data, treaty)
            return treaty
        probe = Treaty(
            slug=data.slug, title=data.title, recorded_at=existing.recorded_at, recorded_by=existing.recorded_by
        )
        tracker.apply_terms(probe, data)
        wanted = {
            "title": data.title,
            "kind": data.kind,
            "signed_on": data.signed,
            "place": data.place,
            "note": data.note,
            "sources": list(data.sources),
            "relation": data.relation,
            "parent": data.parent,
            **{field: getattr(probe, field) for field in _TERMS},
        }
        self.merge(existing, wanted, what=f"treaty {data.slug}", noun="treaties", treaty=existing)
        return existing

    def party(self, treaty: Treaty, data: PartyCreate) -> Party:
        code, _name = resolve_party_code(data.state, data.organisation)
        query = select(Party).where(Party.treaty_id == treaty.id, Party.state == code)
        existing = self.session.exec(query).first()
        if existing is None:
            self.counts["parties inserted"] += 1
            party = tracker.add_party(self.session, treaty, self.keeping_id(data, Party))
            self.note_id(data, party)
            return party
        default_signature = treaty.signed_on if treaty.kind == TreatyKind.BILATERAL else None
        wanted: dict[str, Any] = {"signed_on": data.signed or default_signature, "note": data.note}
        if data.procedure:
            wanted["procedure_id"] = data.procedure
        self.merge(existing, wanted, what=f"party {code} of {treaty.slug}", noun="parties", treaty=treaty, party=code)
        return existing

    def events(
        self, treaty: Treaty, party: Party, data: PartyCreate, location: tuple, rows: list[int] | None = None
    ) -> None:
        stages = procedures.stages_of(self.session, party.procedure_id)
        recorded = list(self.session.exec(select(Event).where(Event.party_id == party.id)))

        def where(index: int) -> _Entry:
            if rows is not None:  # a CSV row
                return _Entry(f"{self.origin}: row {rows[index]}")
            return self.entry(*location, "events", index)

        resolved = []
        for index, event in enumerate(data.events):
            with where(index):
                resolved.append((procedures.find_stage(stages, event.stage, procedure_id=party.procedure_id), index))
        # Record in the order things happened (the order an export writes), so each step's predecessors exist.
        for stage, index in sorted(resolved, key=lambda pair: _event_order(data.events[pair[1]], pair[0])):
            event = data.events[index]
            with where(index):
                twin = next(
                    (
                        e
                        for e in recorded
                        if (e.stage_id, e.date, e.reading) == (stage.id, event.date, event.reading)
                        and (event.status is None or e.status == event.status)
                    ),
                    None,
                )
                if twin is None:
                    recorded_event = record_event(
                        self.session, treaty, party, self.keeping_id(event, Event), consents_checked_later=True
                    )
                    self.note_id(event, recorded_event)
                    self.counts["events inserted"] += 1
                    continue
                tally = event.vote.model_dump() if event.vote else {}
                wanted = {field: tally.get(field) for field in _TALLY_FIELDS}
                wanted.update(
                    unanimous=tally.get("unanimous", False),
                    source=event.source,
                    note=event.note,
                    effective_on=event.effective,
                )
                if stage.kind == StageKind.INSTRUMENT:
                    wanted["consent"] = event.consent or ConsentType.RATIFICATION
                what = f"{party.state} {stage.key} on {event.date}"
                self.merge(twin, wanted, what=what, noun="events", treaty=treaty, party=party.state)

    def acts(self, treaty: Treaty, party: Party, data: PartyCreate, location: tuple) -> None:
        recorded = list(self.session.exec(select(Act).where(Act.party_id == party.id)))
        for index, act in sorted(enumerate(data.acts), key=lambda pair: pair[1].date):
            with self.entry(*location, "acts", index):
                twin = next((a for a in recorded if (a.kind, a.date, a.text) == (act.kind, act.date, act.text)), None)
                if twin is None:
                    recorded_act = tracker.record_act(self.session, treaty, party, self.keeping_id(act, Act))
                    self.note_id(act, recorded_act)
                    self.counts["acts inserted"] += 1
                    continue
                wanted = {"effective_on": act.effective, "source": act.source, "note": act.note}
                what = f"{party.state} {act.kind.value} on {act.date}"
                self.merge(twin, wanted, what=what, noun="acts", treaty=treaty, party=party.state)

    def merge(
        self,
        record: Any,
        wanted: dict[str, Any],
        *,
        what: str,
        noun: str,
        treaty: Treaty,
        party: str | None = None,
    ) -> None:
        """Take the file's values for a fact already here: only with --update, and the old version kept."""
        differences = {field: value for field, value in wanted.items() if getattr(record, field) != value}
        if not differences:
            self.counts[f"{noun} unchanged"] += 1
            return
        if not self.update:
            field, value = next(iter(differences.items()))
            raise Conflict(
                f"{what}: {field} is {getattr(record, field)!r} in the database but {value!r} in the file",
                "pass --update to take the file's value",
            )
        reason = f"updated from {self.origin}"
        keep_version(
            self.session,
            record,
            treaty=treaty,
            party=party,
            action=RevisionAction.CORRECTED,
            reason=reason,
            moment=self.moment,
        )
        for field, value in differences.items():
            setattr(record, field, value)
        stamp(record, self.moment)
        self.session.add(record)
        self.counts[f"{noun} updated"] += 1


def _event_order(event: EventCreate, stage) -> tuple:
    return (event.date, stage.position, event.reading or 0, event.status or "")


class _Entry:
    """Prefix an error raised inside with the file and the entry it concerns."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: BaseException | None, _traceback: Any) -> None:
        if isinstance(error, RatifyError) and not isinstance(error, FixtureError):
            raise FixtureError(f"{self.prefix}: {error.message}", error.hint) from None


def load_builtin_templates(session: Session) -> Counter[str]:
    """Store the procedure templates shipped with ratify (unchanged ones are skipped)."""
    paths = sorted(procedures.templates_dir().glob("*.yaml"))
    return load_files(session, paths, update=True)


def fixture_schema() -> str:
    """The JSON Schema of the fixture format, generated from the models."""
    import json

    schema = Fixture.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ratify fixture"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False)
