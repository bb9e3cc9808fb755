"""The bulk write path of `load`: rows checked in memory, written as batches.

A treaty new to the database is checked entirely against what the load holds
for it (its parties, their events and acts, the procedures), with the same
rule functions every command uses, then folded for the status cache, and its
rows join a batch that goes out as one INSERT per table. Fact ids are handed
out here, so no row has to be written before the next one can name it.
"""

from __future__ import annotations

from operator import itemgetter
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import func, insert, text
from sqlmodel import Session, col, select

from ratify.dates import given_signature
from ratify.record import procedures
from ratify.record.events import check_accession_dates
from ratify.record.revisions import TABLES
from ratify.rules.status import StageRef
from ratify.rules.treaty import PartyFacts, fold_treaty
from ratify.store.cache import act_fact, event_fact, stage_ref, store_outcomes, treaty_facts
from ratify.store.models import Act, Event, Party, Procedure, Revision, Stage, Treaty
from ratify.vocab import ConsentType, EventStatus

#: Rows held before a batch is written: large enough to amortise a statement, small enough to stay flat.
BATCH_ROWS = 5_000

_ORDER: tuple[Any, ...] = (Treaty, Party, Event, Act)  # parents before children
_LETTER: dict[Any, str] = {Treaty: "t", Party: "p", Event: "e", Act: "a"}


class Batch:
    """New rows waiting to be written, by table."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[type, list[dict[str, Any]]] = {table: [] for table in _ORDER}
        self.held = 0
        self.statements: dict[type, _Insert] = {}

    def add(self, table: type, values: dict[str, Any]) -> None:
        self.rows[table].append(values)
        self.held += 1

    def full(self) -> bool:
        return self.held >= BATCH_ROWS

    def write(self) -> None:
        """Everything held, one executemany per table; before any query that must see it."""
        if not self.held:
            return
        connection = self.session.connection()
        for table in _ORDER:
            rows = self.rows[table]
            if rows:
                if table not in self.statements:
                    self.statements[table] = _Insert(table, connection.dialect)
                self.statements[table].run(connection, rows)
                rows.clear()
        self.held = 0


class _Insert:
    """One table's INSERT as the driver takes it, values converted by the column types' own processors.

    The rows go straight to the driver's executemany: SQLAlchemy's per-row
    bookkeeping for a compiled statement would cost more than the insert itself.
    """

    def __init__(self, table: Any, dialect: Any) -> None:
        columns = list(table.__table__.columns)
        compiled = insert(table.__table__).compile(dialect=dialect, column_keys=[c.key for c in columns])
        self.sql = compiled.string
        self.positional = compiled.positiontup is not None
        self.names = list(compiled.positiontup) if compiled.positiontup is not None else [c.key for c in columns]
        by_key = {c.key: c for c in columns}
        self.values = itemgetter(*self.names)
        quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in self.names)
        self.copy = f"COPY {table.__tablename__} ({quoted}) FROM STDIN" if dialect.name == "postgresql" else None
        self.converted = [
            (index, convert)
            for index, name in enumerate(self.names)
            if (convert := by_key[name].type._cached_bind_processor(dialect)) is not None
        ]

    def run(self, connection: Any, rows: list[dict[str, Any]]) -> None:
        values, converted = self.values, self.converted
        prepared: list[Any] = []
        for row in rows:
            line = list(values(row))
            for index, convert in converted:
                # None is NULL in every column, as the ORM writes it (a JSON column's processor would write 'null').
                if line[index] is not None:
                    line[index] = convert(line[index])
            prepared.append(tuple(line))
        if self.copy is not None:
            self.copy_rows(connection, prepared)
            return
        if not self.positional:
            prepared = [dict(zip(self.names, line, strict=True)) for line in prepared]
        # exec_driver_sql hands the rows to the driver's executemany as they are, and wraps its errors.
        connection.exec_driver_sql(self.sql, prepared)

    def copy_rows(self, connection: Any, prepared: list[Any]) -> None:
        """PostgreSQL takes a batch fastest as COPY; its errors are wrapped as SQLAlchemy wraps the driver's."""
        import psycopg
        from sqlalchemy.exc import DBAPIError

        assert self.copy is not None
        raw = connection.connection.dbapi_connection
        try:
            with raw.cursor() as cursor, cursor.copy(self.copy) as copy:
                for line in prepared:
                    copy.write_row(line)
        except psycopg.Error as error:
            raise DBAPIError.instance(self.copy, None, error, psycopg.Error) from None


class FactIds:
    """The ids new facts take: the one a file carries if it is free here, else the next after every id in use.

    A load is the only writer while it runs (BEGIN IMMEDIATE on SQLite, the
    advisory lock on PostgreSQL), so counting here cannot race another writer.
    An id is taken if a row or a kept version holds it, or this load handed it out.
    """

    def __init__(self, session: Session, batch: Batch) -> None:
        self.session = session
        self.batch = batch
        self.highest = {letter: 0 for letter in TABLES}
        self.used: dict[str, IdSet] = {letter: IdSet() for letter in TABLES}
        self.read: set[str] = set()  # tables whose stored ids are in `used`
        for fact in session.exec(select(Revision.fact)):
            letter, number = fact[0], int(fact[1:])
            self.highest[letter] = max(self.highest[letter], number)
            self.used[letter].add(number)
        sqlite = session.get_bind().dialect.name == "sqlite"
        for letter, table in TABLES.items():
            live = session.exec(select(func.max(table.id))).one() or 0
            self.highest[letter] = max(self.highest[letter], live)
            if sqlite:
                name = {"name": table.__tablename__}
                seq = session.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :name"), name).scalar()
                self.highest[letter] = max(self.highest[letter], seq or 0)
        self.stored = dict(self.highest)  # no stored row has an id above these

    def take(self, table: Any, carried: str | None) -> int:
        letter = _LETTER[table]
        if carried is not None:
            number = int(carried[1:])
            if number > self.highest[letter] or not self.taken(table, letter, number):
                self.highest[letter] = max(self.highest[letter], number)
                self.used[letter].add(number)
                return number
        self.highest[letter] += 1
        self.used[letter].add(self.highest[letter])
        return self.highest[letter]

    def taken(self, table: Any, letter: str, number: int) -> bool:
        if number <= self.stored[letter] and letter not in self.read:
            # Read once, only if a file carries ids below those in use (a restore into an empty database never does).
            for stored in self.session.exec(select(table.id)):
                self.used[letter].add(stored)
            self.read.add(letter)
        return number in self.used[letter]

    def settle(self) -> None:
        """PostgreSQL's sequences do not see ids given explicitly: move them past every id handed out."""
        self.batch.write()
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for letter, table in TABLES.items():
            if self.highest[letter]:
                self.session.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table.__tablename__}', 'id'), :n)"),
                    {"n": self.highest[letter]},
                )


class IdSet:
    """Row ids as a bitmap: an eighth of a byte per id up to the highest, where a set takes dozens."""

    def __init__(self) -> None:
        self.bits = bytearray()

    def add(self, number: int) -> None:
        index = number >> 3
        if index >= len(self.bits):
            self.bits.extend(bytes(max(index + 1 - len(self.bits), len(self.bits))))
        self.bits[index] |= 1 << (number & 7)

    def __contains__(self, number: int) -> bool:
        index = number >> 3
        return index < len(self.bits) and bool(self.bits[index] & (1 << (number & 7)))


class Procedures:
    """The procedures a load uses, read once; a load that saves one forgets them."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.forget()

    def forget(self) -> None:
        self.ids: set[str] | None = None
        self.stages: dict[str, list[Stage]] = {}
        self.refs: dict[str, list[StageRef]] = {}
        self.found: dict[tuple[str, str], Stage] = {}

    def template_for(self, country: str | None) -> str:
        if self.ids is None:
            self.ids = set(self.session.exec(select(Procedure.id)))
        return country if country and country in self.ids else procedures.DEFAULT_TEMPLATE

    def stages_of(self, procedure_id: str) -> list[Stage]:
        """A template's stages as plain copies: the rules read their attributes millions of times in a load."""
        if procedure_id not in self.stages:
            procedures.get_procedure(self.session, procedure_id)
            stored = procedures.stages_of(self.session, procedure_id)
            columns = list(Stage.model_fields)
            self.stages[procedure_id] = [
                cast(Stage, SimpleNamespace(**{column: getattr(stage, column) for column in columns}))
                for stage in stored
            ]
            self.refs[procedure_id] = [stage_ref(stage) for stage in stored]
        return self.stages[procedure_id]

    def find_stage(self, procedure_id: str, text: str) -> Stage:
        """procedures.find_stage, remembered: a load names the same few stages a million times."""
        key = (procedure_id, text)
        if key not in self.found:
            self.found[key] = procedures.find_stage(self.stages_of(procedure_id), text, procedure_id=procedure_id)
        return self.found[key]

    def refs_of(self, procedure_id: str) -> list[StageRef]:
        self.stages_of(procedure_id)
        return self.refs[procedure_id]


def row(values: dict[str, Any]) -> SimpleNamespace:
    """A row in waiting: what the rule functions read, and what the batch writes."""
    return SimpleNamespace(**values)


def fold_held(
    session: Session, held: Procedures, treaty: Any, parties: list[tuple[Any, list[Any]]], acts: dict[str, list[Any]]
) -> None:
    """The status cache of a new treaty held in memory, as refresh_treaty computes it from the rows."""
    ordered = sorted(parties, key=lambda pair: pair[0].state)
    facts = [
        PartyFacts(
            party.state,
            given_signature(party),
            held.refs_of(party.procedure_id),
            [event_fact(e) for e in sorted(history, key=lambda e: (e.date, e.id))],
            [act_fact(a) for a in sorted(acts.get(party.state, []), key=_by_date)],
        )
        for party, history in ordered
    ]
    if not facts:
        store_outcomes(treaty, [], None, [])
        return
    candidates = [party.state for party, _history in ordered if party.candidate]
    evaluation, outcomes = fold_treaty(treaty_facts(session, treaty, candidates=candidates), facts, None)
    store_outcomes(treaty, [party for party, _history in ordered], evaluation, outcomes)


class Recorded:
    """A recorded treaty whose facts a CSV adds to: its parties, events and acts read once, folded in memory."""

    def __init__(self, session: Session, treaty: Treaty) -> None:
        self.session = session
        self.treaty = treaty
        query = select(Party).where(Party.treaty_id == treaty.id).order_by(Party.state)
        self.parties = {party.state: party for party in session.exec(query)}
        self.events: dict[Any, list[Any]] = {}
        self.acts: dict[Any, list[Any]] = {}

    def read_facts(self) -> None:
        ids = [party.id for party in self.parties.values()]
        for event in self.session.exec(select(Event).where(col(Event.party_id).in_(ids))):
            self.events.setdefault(event.party_id, []).append(event)
        for act in self.session.exec(select(Act).where(col(Act.party_id).in_(ids))):
            self.acts.setdefault(act.party_id, []).append(act)

    def refresh(self, held: Procedures) -> None:
        """refresh_treaty over the facts held here (the new events are not written yet)."""
        parties = list(self.parties.values())
        if not parties:
            return
        facts = [
            PartyFacts(
                party.state,
                given_signature(party),
                held.refs_of(party.procedure_id),
                [event_fact(e) for e in sorted(self.events.get(party.id, []), key=lambda e: (e.date, e.id))],
                [act_fact(a) for a in sorted(self.acts.get(party.id, []), key=_by_date)],
            )
            for party in parties
        ]
        evaluation, outcomes = fold_treaty(treaty_facts(self.session, self.treaty), facts, None)
        store_outcomes(self.treaty, parties, evaluation, outcomes)


def check_accessions_held(treaty: Any, parties: Any, events: dict[Any, list[Any]]) -> None:
    """check_accessions over the events held in memory."""
    accessions = sorted(
        (e.date, party.state)
        for party in parties
        for e in events.get(party.id, [])
        if e.consent == ConsentType.ACCESSION and e.status == EventStatus.PASSED
    )
    check_accession_dates(treaty, [(state, day) for day, state in accessions])


def _by_date(act: Any) -> tuple:
    return (act.date, act.id)
