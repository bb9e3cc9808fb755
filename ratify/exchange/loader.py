"""Fixture files (YAML, JSON) and events CSVs -> checked rows -> one all-or-nothing load."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from ratify.dates import exact, given_signature, precision_of
from ratify.errors import Conflict, FixtureError, RatifyError
from ratify.exchange.bulk import Batch, FactIds, Procedures, Recorded, check_accessions_held, fold_held, row
from ratify.exchange.csv_events import event_rows
from ratify.exchange.fixtures import fixture_entries, fixture_schema, read_fixture, read_rule
from ratify.exchange.reading import regular_file
from ratify.record import procedures, tracker
from ratify.record.consent import consent_step_dates, consent_steps
from ratify.record.events import check_accessions, check_consents, check_one_consent, consent_deposits, event_values
from ratify.record.inputs import EventCreate, PartyCreate, RevisionEntry, TreatyFixture
from ratify.record.provenance import recorder
from ratify.record.revisions import keep_version, moment_now, reserve_ids, stamp
from ratify.record.validation import render_location
from ratify.rules.spec import Rule
from ratify.store.cache import refresh_treaty
from ratify.store.lookup import code_among, get_party, get_treaty, resolve_party_code
from ratify.store.models import Act, Event, Party, Revision, Treaty
from ratify.vocab import ConsentType, PartyState, RevisionAction, StageKind, TreatyKind

_TALLY_FIELDS = ("yes", "no", "abstain", "not_voting", "absent", "seats", "present")
_TERMS = ("rule", "withdrawal", "terminated_on", "superseded_by", "termination_source")
# The status cache of a party row in waiting, until the treaty is folded.
_PARTY_CACHE = (
    "next_expected_by",
    "declined_on",
    "reversal",
    "reversal_progress",
    "stage_id",
    "stage_on",
    "next_stage_id",
    "failed_stage_id",
    "next_scheduled_on",
    "in_force_on",
    "consent",
    "deposited_on",
    "withdrawn_on",
    "suspended_from",
    "suspended_until",
    "provisional_from",
    "provisional_until",
    "stage_precision",
    "deposited_precision",
    "next_laid_on",
    "next_laid_until",
)


def load_files(
    session: Session,
    files: list[Path],
    *,
    update: bool = False,
    progress: Callable[[int], None] | None = None,
    names: dict[Path, str] | None = None,
) -> Counter[str]:
    """Load fixture files (YAML, JSON, or CSV of events) in one transaction.

    Returns counts such as "events inserted"; `progress` hears of the bytes read;
    `names` gives a file the name its messages use ('-' for standard input).
    """
    counts: Counter[str] = Counter()
    renamed: dict[str, str] = {}
    writer = Writer(session)
    names = names or {}
    for path in files:  # every file, before a byte of any is read: a FIFO or a device would never end
        regular_file(path)
    for path in files:
        loading = Loading(
            session,
            origin=names.get(path, str(path)),
            update=update,
            counts=counts,
            progress=progress,
            renamed=renamed,
            writer=writer,
        )
        try:
            if path.suffix.lower() == ".csv":
                loading.csv_events(path)
                loading.session.flush()
                if progress:
                    progress(path.stat().st_size)
            else:
                loading.apply(path)
        except RatifyError as error:
            if path in names:  # the reader names the file it read; the user gave '-'
                error.message = error.message.replace(str(path), names[path])
            raise
    writer.finish()
    reserve_ids(session)
    return counts


class Writer:
    """What every file of one load shares: rows in waiting, the ids they take, the procedures read."""

    def __init__(self, session: Session) -> None:
        self.batch = Batch(session)
        self.ids = FactIds(session, self.batch)
        self.procedures = Procedures(session)
        self.held_slugs: set[str] = set()
        self.today = date.today()
        self.session = session
        self.known_slugs: set[str] | None = None
        self.who = recorder()

    def slugs(self) -> set[str]:
        """Every treaty's slug, read once: a query per treaty would cost more than checking it."""
        if self.known_slugs is None:
            self.known_slugs = set(self.session.exec(select(Treaty.slug)))
        return self.known_slugs

    def write(self) -> None:
        self.batch.write()
        self.held_slugs.clear()

    def finish(self) -> None:
        self.write()
        self.ids.settle()


class Loading:
    """One file being applied: where errors point, whether clashes update, what changed."""

    def __init__(
        self,
        session: Session,
        *,
        origin: str,
        update: bool,
        counts: Counter[str],
        writer: Writer,
        progress: Callable[[int], None] | None = None,
        renamed: dict[str, str] | None = None,
    ) -> None:
        self.session = session
        self.origin = origin
        self.update = update
        self.counts = counts
        self.progress = progress
        self.writer = writer
        # Ids a file carries that were taken here: the fact got a new id, and its kept versions follow it.
        self.renamed = renamed if renamed is not None else {}
        self.moment = moment_now()

    def csv_events(self, path: Path) -> None:
        """Events from a spreadsheet, one row each, for treaties and parties already recorded.

        Read twice, never held whole: first every row is validated and its treaty
        and party found (so a bad row is named before anything is written), then
        each treaty's rows are applied once its last row has gone by, which for a
        file sorted by treaty means one treaty in memory at a time.
        """
        self.writer.write()
        codes: dict[str, frozenset[str]] = {}
        last: dict[str, int] = {}
        for line, slug, state, _event in event_rows(path):
            if slug not in codes:
                with _Entry(f"{self.origin}: row {line}"):
                    treaty = get_treaty(self.session, slug)
                codes[slug] = frozenset(self.session.exec(select(Party.state).where(Party.treaty_id == treaty.id)))
            with _Entry(f"{self.origin}: row {line}"):
                code_among(codes[slug], slug, state)
            last[slug] = line
        held: dict[str, list[tuple[int, str, EventCreate]]] = {}
        for line, slug, state, event in event_rows(path):
            held.setdefault(slug, []).append((line, code_among(codes[slug], slug, state), event))
            if line == last[slug]:
                self.csv_treaty(slug, held.pop(slug))

    def csv_treaty(self, slug: str, rows: list[tuple[int, str, EventCreate]]) -> None:
        """One treaty's rows of an events CSV: checked against its recorded facts, folded, written."""
        recorded = Recorded(self.session, get_treaty(self.session, slug))
        recorded.read_facts()
        grouped: dict[str, list[tuple[int, EventCreate]]] = {}
        for line, code, event in rows:
            grouped.setdefault(code, []).append((line, event))
        for code, lines in grouped.items():
            party = recorded.parties[code]
            data = PartyCreate(state=code, events=[event for _line, event in lines])
            new: list[Any] = []
            rows_of = [line for line, _event in lines]
            self.events(recorded.treaty, party, data, (), recorded.events.get(party.id, []), rows=rows_of, history=new)
            recorded.events.setdefault(party.id, []).extend(new)
            for event in new:
                self.writer.batch.add(Event, vars(event))
            stages = self.writer.procedures.stages_of(party.procedure_id)
            with _Entry(f"{self.origin}: {slug} {code}"):
                deposits = consent_deposits(recorded.events[party.id], stages)
                check_one_consent(recorded.treaty, party, deposits, recorded.acts.get(party.id, []))
        recorded.refresh(self.writer.procedures)
        with _Entry(f"{self.origin}: {slug}"):
            check_accessions_held(recorded.treaty, recorded.parties.values(), recorded.events)
        if self.writer.batch.full():
            self.writer.write()
            self.session.flush()  # the parties' cache columns too, so that the session lets them go

    def apply(self, path: Path) -> None:
        for section, index, data in fixture_entries(path, self.progress):
            if section == "procedures":
                with self.entry("procedures", index):
                    self.writer.write()
                    outcome = procedures.save_procedure(self.session, data, replace=self.update)
                    self.writer.procedures.forget()
                    self.counts[f"procedures {outcome}"] += 1
            elif section == "treaties":
                self.treaty_entry(data, index)
            else:
                self.writer.write()
                with self.entry("revisions", index):
                    self.revision(data)

    def treaty_entry(self, data: TreatyFixture, index: int) -> None:
        if data.slug in self.writer.held_slugs:
            self.writer.write()
        if data.slug not in self.writer.slugs():
            self.new_treaty(data, index)
            if self.writer.batch.full():
                self.writer.write()
            return
        self.writer.write()
        with self.entry("treaties", index):
            treaty = self.treaty(data)
        for party_index, party_data in enumerate(data.parties):
            location = ("treaties", index, "parties", party_index)
            with self.entry(*location):
                party, recorded = self.party(treaty, party_data)
            self.events(treaty, party, party_data, location, recorded)
        self.writer.write()
        if data.rule:
            with self.entry("treaties", index, "rule"):
                tracker.check_rule_states(self.session, treaty, data.rule)
        refresh_treaty(self.session, treaty)
        with self.entry("treaties", index):
            check_accessions(self.session, treaty)
        # Acts are checked against the party's standing, so they come once the events are in.
        for party_index, party_data in enumerate(data.parties):
            if party_data.acts:
                party = get_party(self.session, treaty, party_data.state)
                recorded_acts = list(self.session.exec(select(Act).where(Act.party_id == party.id)))
                location = ("treaties", index, "parties", party_index)
                steps = consent_steps(self.session, party)
                self.acts(treaty, party, party_data, location, recorded_acts, steps)
                self.writer.write()
                refresh_treaty(self.session, treaty)
            if party_data.events:
                # A party that consented twice must have withdrawn in between, which its acts say.
                with self.entry("treaties", index, "parties", party_index):
                    check_consents(self.session, treaty, get_party(self.session, treaty, party_data.state))

    def new_treaty(self, data: TreatyFixture, index: int) -> None:
        """A treaty this database does not have: every check in memory, the rows to the batch."""
        writer = self.writer
        with self.entry("treaties", index):
            treaty = row(tracker.treaty_values(data, today=writer.today))
            treaty.id = writer.ids.take(Treaty, data.id)
            self.note_id(data.id, "t", treaty.id)
        parties: list[tuple[Any, list[Any]]] = []
        codes: list[str] = []
        for party_index, party_data in enumerate(data.parties):
            location = ("treaties", index, "parties", party_index)
            with self.entry(*location):
                party = self.new_party(treaty, party_data, codes)
            history: list[Any] = []
            self.events(treaty, party, party_data, location, [], history=history)
            parties.append((party, history))
            codes.append(party.state)
        if data.rule:
            with self.entry("treaties", index, "rule"):
                tracker.check_rule_parties(treaty, data.rule, set(codes))
        acts: dict[str, list[Any]] = {}
        self.fold(treaty, parties, acts)
        with self.entry("treaties", index):
            check_accessions_held(treaty, [p for p, _h in parties], {p.id: h for p, h in parties})
        for party_index, ((party, history), party_data) in enumerate(zip(parties, data.parties, strict=True)):
            location = ("treaties", index, "parties", party_index)
            stages = self.writer.procedures.stages_of(party.procedure_id)
            if party_data.acts:
                steps = consent_step_dates(history, stages)
                acts[party.state] = self.acts(treaty, party, party_data, location, [], steps, codes=codes)
            # A party that consented twice must have withdrawn in between, which its acts say.
            with self.entry(*location):
                check_one_consent(treaty, party, consent_deposits(history, stages), acts.get(party.state, []))
        if acts:
            self.fold(treaty, parties, acts)
        batch = writer.batch
        batch.add(Treaty, vars(treaty))
        for party, history in parties:
            batch.add(Party, vars(party))
            for event in history:
                batch.add(Event, vars(event))
        for held in acts.values():
            for act in held:
                batch.add(Act, vars(act))
        writer.held_slugs.add(data.slug)
        writer.slugs().add(data.slug)
        self.counts["treaties inserted"] += 1

    def new_party(self, treaty: Any, data: PartyCreate, codes: list[str]) -> Any:
        code, name = resolve_party_code(data.state, data.organisation)
        procedure_id = data.procedure or self.writer.procedures.template_for(None if data.organisation else code)
        values = tracker.party_values(treaty, data, code=code, name=name, others=codes, procedure_id=procedure_id)
        self.writer.procedures.stages_of(procedure_id)  # the template must exist
        party = row(values)
        party.status = PartyState.SIGNED
        party.next_expected = False
        for column in _PARTY_CACHE:
            setattr(party, column, None)
        party.id = self.writer.ids.take(Party, data.id)
        self.note_id(data.id, "p", party.id)
        self.counts["parties inserted"] += 1
        return party

    def fold(self, treaty: Any, parties: list[tuple[Any, list[Any]]], acts: dict[str, list[Any]]) -> None:
        if treaty.superseded_by and treaty.terminated_on is None:
            self.writer.write()  # the successor may be among the rows in waiting
        elif treaty.parent and treaty.rule and Rule.model_validate(treaty.rule).parent_dates():
            self.writer.write()  # so may the parent whose parties a group of the rule draws
        elif treaty.parent and any(party.candidate for party, _history in parties):
            self.writer.write()  # so may the parent a candidate accedes to
        fold_held(self.session, self.writer.procedures, treaty, parties, acts)

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

    def note_id(self, carried: str | None, letter: str, number: int) -> None:
        if carried is not None and carried != f"{letter}{number}":
            self.renamed[carried] = f"{letter}{number}"

    def entry(self, *location: Any) -> _Entry:
        return _Entry(self.origin, location)

    def treaty(self, data: TreatyFixture) -> Treaty:
        existing = get_treaty(self.session, data.slug)
        probe = Treaty(
            slug=data.slug, title=data.title, recorded_at=existing.recorded_at, recorded_by=existing.recorded_by
        )
        tracker.apply_terms(probe, data)
        wanted = {
            "title": data.title,
            "kind": data.kind,
            "signed_on": exact(data.signed) if data.signed else None,
            "signed_precision": precision_of(data.signed),
            "place": data.place,
            "note": data.note,
            "sources": list(data.sources),
            "relation": data.relation,
            "parent": data.parent,
            **tracker.depositary_columns(data.depositary),
            **tracker.published_columns(data.published_in_force),
            **{field: getattr(probe, field) for field in _TERMS},
        }
        self.merge(existing, wanted, what=f"treaty {data.slug}", noun="treaties", treaty=existing)
        return existing

    def party(self, treaty: Treaty, data: PartyCreate) -> tuple[Any, list[Event]]:
        """The party, recorded or new, and the events already recorded for it."""
        code, _name = resolve_party_code(data.state, data.organisation)
        query = select(Party).where(Party.treaty_id == treaty.id, Party.state == code)
        existing = self.session.exec(query).first()
        if existing is None:
            codes = list(self.session.exec(select(Party.state).where(Party.treaty_id == treaty.id)))
            party = self.new_party(treaty, data, codes)
            self.writer.batch.add(Party, vars(party))
            return party, []
        signed = data.signed or (given_signature(treaty) if treaty.kind == TreatyKind.BILATERAL else None)
        wanted: dict[str, Any] = {
            "signed_on": exact(signed) if signed else None,
            "signed_precision": precision_of(signed),
            "note": data.note,
            "depositary_note": data.depositary_note,
        }
        if data.procedure:
            wanted["procedure_id"] = data.procedure
        self.merge(existing, wanted, what=f"party {code} of {treaty.slug}", noun="parties", treaty=treaty, party=code)
        return existing, list(self.session.exec(select(Event).where(Event.party_id == existing.id)))

    def events(
        self,
        treaty: Any,
        party: Any,
        data: PartyCreate,
        location: tuple,
        recorded: list[Event],
        rows: list[int] | None = None,
        history: list[Any] | None = None,
    ) -> None:
        """Check and hold the party's new events; `history` collects them beside those `recorded`."""
        writer = self.writer
        stages = writer.procedures.stages_of(party.procedure_id)
        held = history if history is not None else []
        known: list[Any] = list(recorded)
        index = 0
        try:
            resolved = []
            for index, event in enumerate(data.events):
                resolved.append((writer.procedures.find_stage(party.procedure_id, event.stage), index))
            # Record in the order things happened (the order an export writes), so each step's predecessors exist.
            for stage, index in sorted(resolved, key=lambda pair: _event_order(data.events[pair[1]], pair[0])):
                event = data.events[index]
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
                    new = row(
                        event_values(
                            treaty, party, stages, known, event, today=writer.today, stage=stage, who=writer.who
                        )
                    )
                    new.id = writer.ids.take(Event, event.id)
                    self.note_id(event.id, "e", new.id)
                    known.append(new)
                    held.append(new)
                    if history is None:
                        writer.batch.add(Event, vars(new))
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
        except RatifyError as error:
            # One handler for the whole list, not a context per event: the entry is named only on an error.
            where = (
                _Entry(f"{self.origin}: row {rows[index]}")
                if rows is not None
                else self.entry(*location, "events", index)
            )
            with where:
                raise error from None

    def acts(
        self,
        treaty: Any,
        party: Any,
        data: PartyCreate,
        location: tuple,
        recorded: list[Act],
        steps: Sequence[date],
        codes: list[str] | None = None,
    ) -> list[Any]:
        """Check the party's new acts; those of a recorded treaty go to the batch, the others are returned.

        `steps` are the dates of the party's consent steps (record.consent.consent_steps).
        """
        known: list[Any] = list(recorded)
        held: list[Any] = []

        def against(state: str) -> str:
            if codes is not None:
                return code_among(codes, treaty.slug, state)
            return get_party(self.session, treaty, state).state

        for index, act in sorted(enumerate(data.acts), key=lambda pair: pair[1].date):
            with self.entry(*location, "acts", index):
                twin = next((a for a in recorded if (a.kind, a.date, a.text) == (act.kind, act.date, act.text)), None)
                if twin is None:
                    values = tracker.act_values(
                        treaty,
                        party,
                        act,
                        against=against,
                        others=known,
                        consent_steps=steps,
                        today=self.writer.today,
                    )
                    new = row(values)
                    new.id = self.writer.ids.take(Act, act.id)
                    self.note_id(act.id, "a", new.id)
                    known.append(new)
                    held.append(new)
                    if codes is None:
                        self.writer.batch.add(Act, vars(new))
                    self.counts["acts inserted"] += 1
                    continue
                wanted = {"effective_on": act.effective, "source": act.source, "note": act.note}
                what = f"{party.state} {act.kind.value} on {act.date}"
                self.merge(twin, wanted, what=what, noun="acts", treaty=treaty, party=party.state)
        return held

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

    def __init__(self, origin: str, location: tuple = ()) -> None:
        self.origin = origin
        self.location = location  # rendered only for an error: a load enters millions of these

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: BaseException | None, _traceback: Any) -> None:
        if isinstance(error, RatifyError) and not isinstance(error, FixtureError):
            prefix = f"{self.origin}: {render_location(self.location)}" if self.location else self.origin
            raise FixtureError(f"{prefix}: {error.message}", error.hint) from None


def load_builtin_templates(session: Session) -> Counter[str]:
    """Store the procedure templates shipped with ratify (unchanged ones are skipped)."""
    paths = sorted(procedures.templates_dir().glob("*.yaml"))
    return load_files(session, paths, update=True)


__all__ = ["fixture_schema", "load_builtin_templates", "load_files", "read_fixture", "read_rule"]
