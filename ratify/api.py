"""The Python API: what a program may rely on, under the policy in docs/python.md.

Everything else under `ratify.` is internal and may change in any release. Each method runs in one
transaction of its own, as each CLI command does: a write that fails writes nothing. Examples that
run: docs/python.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ratify.errors import InvalidInput, MalformedInput, RatifyError
from ratify.results import Evaluation, HistoryRow, Recorded, StatusRow, TreatyRow, UpcomingRow

if TYPE_CHECKING:
    from pydantic import ValidationError
    from sqlmodel import Session

    from ratify.store.database import Database

__all__ = [
    "DateLike",
    "Evaluation",
    "HistoryRow",
    "InvalidInput",
    "MalformedInput",
    "RatifyError",
    "Recorded",
    "StatusRow",
    "Tracker",
    "TreatyRow",
    "UpcomingRow",
    "connect",
]

#: A report row as `--format json` prints it; typed as StatusRow, HistoryRow, TreatyRow, UpcomingRow (ratify.results).
Row = dict[str, Any]
#: A date as a `datetime.date`, or as text: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` where no more is known.
DateLike = date | str


def connect(location: str | os.PathLike[str] | None = None) -> Tracker:
    """A tracker on a SQLite file or a `postgresql://` URL; by default RATIFY_DB or the user's database.

    Nothing is opened until a method runs; `init()` creates a new database.
    """
    return Tracker(location)


class Tracker:
    """A ratify database: record steps, votes, acts and corrections; read status, pending, history, rules."""

    def __init__(self, location: str | os.PathLike[str] | None = None) -> None:
        from ratify.store.database import Database, default_location

        with _errors():
            self._database: Database = Database(os.fspath(location) if location is not None else default_location())

    @property
    def location(self) -> str:
        """The SQLite file, or the PostgreSQL URL without its password."""
        return self._database.describe()

    def close(self) -> None:
        """Release the database's connections; the tracker opens them again if used."""
        self._database.close()

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<ratify.Tracker {self.location}>"

    # -- the database ---------------------------------------------------------------------------------

    def init(self) -> bool:
        """Create the database and store the built-in procedure templates; True if it was created now.

        Safe to run again, as `ratify init` is.
        """
        from ratify.exchange.loader import load_builtin_templates

        with _errors():
            created = self._database.initialise()
        with self._session(write=True) as session:
            load_builtin_templates(session)
        return created

    def load(self, *paths: str | os.PathLike[str], update: bool = False) -> dict[str, int]:
        """Load fixture files (YAML, JSON) or events CSVs, all in one transaction; counts by what was done."""
        from ratify.exchange.loader import load_files

        with self._session(write=True) as session:
            counts = load_files(session, [Path(path) for path in paths], update=update)
        return dict(counts)

    # -- recording ------------------------------------------------------------------------------------

    def add_treaty(
        self,
        slug: str,
        *,
        title: str,
        parties: Sequence[str] = (),
        kind: str = "bilateral",
        signed: DateLike | None = None,
        place: str | None = None,
        sources: Sequence[str] = (),
        note: str | None = None,
        relation: str | None = None,
        parent: str | None = None,
        sign: bool = True,
    ) -> str:
        """Record a treaty with its parties (codes or names), as `ratify treaty add`; returns its slug.

        `relation` (protocol, amendment, extension) links it to the treaty `parent`. The parties sign on
        `signed`, as the states that adopted it; `sign=False` leaves them to sign or accede later.
        """
        from ratify.record.inputs import TreatyCreate
        from ratify.record.tracker import add_treaty_with_parties

        data = _validated(
            TreatyCreate,
            slug=slug,
            title=title,
            kind=kind,
            signed=signed,
            place=place,
            sources=list(sources),
            note=note,
            relation=relation,
            parent=parent,
        )
        with self._session(write=True) as session:
            return add_treaty_with_parties(session, data, list(parties), sign=sign).slug

    def record_step(
        self,
        treaty: str,
        party: str,
        stage: str,
        *,
        date: DateLike,
        status: str = "passed",
        consent: str | None = None,
        effective: DateLike | None = None,
        by: DateLike | None = None,
        until: DateLike | None = None,
        path: str = "ratification",
        source: str | None = None,
        note: str | None = None,
        allow_out_of_order: bool = False,
        round: int | None = None,
    ) -> Recorded:
        """A step without a vote, as `ratify advance` records it: an assent, a decree, a deposit, a sitting.

        `party` is a code or a name; `stage` a key, kind or body ("duma", "lower_house", "State Duma").
        """
        return self._record_event(
            treaty,
            party,
            stage=stage,
            status=status,
            date=date,
            consent=consent,
            effective=effective,
            by=by,
            until=until,
            path=path,
            source=source,
            note=note,
            allow_out_of_order=allow_out_of_order,
            round=round,
        )

    def record_vote(
        self,
        treaty: str,
        party: str,
        stage: str,
        *,
        date: DateLike,
        yes: int | None = None,
        no: int | None = None,
        abstain: int | None = None,
        not_voting: int | None = None,
        absent: int | None = None,
        seats: int | None = None,
        present: int | None = None,
        unanimous: bool = False,
        result: str | None = None,
        reading: int | None = None,
        readings: int | None = None,
        path: str = "ratification",
        source: str | None = None,
        note: str | None = None,
        allow_out_of_order: bool = False,
        round: int | None = None,
    ) -> Recorded:
        """A vote at a stage, as `ratify vote` records it; the result follows from the counts and the threshold."""
        tally = {
            "yes": yes,
            "no": no,
            "abstain": abstain,
            "not_voting": not_voting,
            "absent": absent,
            "seats": seats,
            "present": present,
            "unanimous": unanimous,
        }
        return self._record_event(
            treaty,
            party,
            stage=stage,
            status=result,
            date=date,
            reading=reading,
            readings=readings,
            vote=tally,
            path=path,
            source=source,
            note=note,
            allow_out_of_order=allow_out_of_order,
            round=round,
        )

    def record_act(
        self,
        treaty: str,
        party: str,
        kind: str,
        *,
        date: DateLike,
        effective: DateLike | None = None,
        against: str | None = None,
        text: str | None = None,
        source: str | None = None,
        note: str | None = None,
    ) -> Recorded:
        """An international act, as `ratify act` records it: a withdrawal, a reservation, an objection..."""
        from ratify.record.inputs import ActCreate
        from ratify.record.tracker import record_act_for

        data = _validated(
            ActCreate, kind=kind, date=date, effective=effective, against=against, text=text, source=source, note=note
        )
        with self._session(write=True) as session:
            act = record_act_for(session, treaty, party, data)
            return _recorded(session, act, None, version=1)

    def correct(self, fact: str, *, reason: str, **changes: Any) -> Recorded:
        """A corrected version of event or act `fact` (e12, a3): give only what changes, as `ratify correct` takes it.

        The fields are those of `record_step`, `record_vote` and `record_act` (`status` for a step or a vote's
        result, `yes`, `no`... for its counts); None clears a text field. The earlier version is kept.
        """
        from ratify.record.corrections import correct

        with self._session(write=True) as session:
            changed = correct(session, fact, changes, reason=reason)
            return _recorded(session, changed.record, changed.stage, version=changed.version)

    def retract(self, fact: str, *, reason: str) -> Recorded:
        """Withdraw a mistaken event or act; its last version is kept. Returns what was retracted."""
        from ratify.record.corrections import retract

        with self._session(write=True) as session:
            changed = retract(session, fact, reason=reason)
            return _recorded(session, changed.record, changed.stage, version=changed.version)

    # -- reading --------------------------------------------------------------------------------------

    def status(
        self,
        treaty: str | None = None,
        *,
        party: str | None = None,
        as_of: date | None = None,
        known_on: datetime | None = None,
    ) -> list[StatusRow]:
        """Where each party stands, as `ratify status` prints it: one row per treaty and party.

        `as_of` asks about a past day (default today); `known_on`, the record as it stood at that moment.
        """
        from ratify.reports.rows import STATUS_FIELDS, Filters, status_rows
        from ratify.store.lookup import get_treaty, party_code

        today = date.today()
        with self._session() as session:
            if treaty:
                get_treaty(session, treaty)
            filters = Filters(slug=treaty, party=party_code(session, party) if party else None)
            rows = status_rows(session, filters, as_of or today, today=today, known_on=known_on)
            return cast("list[StatusRow]", _public(rows, STATUS_FIELDS))

    def pending(
        self,
        treaty: str | None = None,
        *,
        party: str | None = None,
        stage_kind: str | None = None,
        older_than: int | None = None,
        as_of: date | None = None,
        known_on: datetime | None = None,
        limit: int | None = None,
    ) -> list[StatusRow]:
        """Parties for which nothing is settled yet, the longest wait first, as `ratify pending` lists them."""
        from ratify.reports.rows import STATUS_FIELDS, Filters, pending_rows
        from ratify.store.lookup import get_treaty, party_code
        from ratify.vocab import StageKind

        today = date.today()
        with self._session() as session:
            if treaty:
                get_treaty(session, treaty)
            filters = Filters(
                slug=treaty,
                party=party_code(session, party) if party else None,
                stage_kind=_term(StageKind, stage_kind, "stage_kind") if stage_kind else None,
                older_than=older_than,
            )
            rows = pending_rows(session, filters, as_of or today, today=today, limit=limit, known_on=known_on)
            return cast("list[StatusRow]", _public(rows, STATUS_FIELDS))

    def history(
        self, treaty: str, party: str | None = None, *, as_of: date | None = None, all_versions: bool = False
    ) -> list[HistoryRow]:
        """Every recorded step and act of a treaty (or one party) with its id, as `ratify history` lists them."""
        from ratify.reports.dossier import HISTORY_FIELDS, history_rows
        from ratify.store.lookup import get_party, get_treaty

        with self._session() as session:
            code = get_party(session, get_treaty(session, treaty), party).state if party else None
            rows = history_rows(session, treaty, code, all_versions=all_versions, as_of=as_of)
            return cast("list[HistoryRow]", _public(rows, HISTORY_FIELDS))

    def treaties(self, *, as_of: date | None = None, search: str | None = None) -> list[TreatyRow]:
        """One row per treaty with its signatories, parties and entry into force, as `ratify treaty list`."""
        from ratify.reports.dossier import TREATY_FIELDS, treaty_rows

        today = date.today()
        with self._session() as session:
            rows = treaty_rows(session, as_of or today, today=today, search=search)
            return cast("list[TreatyRow]", _public(rows, TREATY_FIELDS))

    def upcoming(self, *, days: int = 30, as_of: date | None = None) -> list[UpcomingRow]:
        """What lies ahead from `as_of` (default today) to `days` days later, soonest first, as `ratify upcoming`."""
        from ratify.reports.upcoming import UPCOMING_FIELDS, upcoming_rows_as_of

        today = date.today()
        with self._session() as session:
            rows = upcoming_rows_as_of(session, as_of or today, days, today=today)
            return cast("list[UpcomingRow]", _public(rows, UPCOMING_FIELDS))

    def evaluate(self, treaty: str, *, as_of: date | None = None) -> Evaluation:
        """The treaty's entry-into-force rule evaluated on `as_of` (default today), as `ratify treaty show`."""
        from ratify.reports.dossier import treaty_view

        today = date.today()
        with self._session() as session:
            view = treaty_view(session, treaty, as_of or today, today=today)
            evaluation = view.evaluation
            return Evaluation(
                treaty=view.treaty.slug,
                as_of=view.as_of,
                rule=evaluation.words if evaluation else None,
                met_on=evaluation.met_on if evaluation else None,
                in_force_on=evaluation.in_force_on if evaluation else None,
                missing=evaluation.missing if evaluation else None,
                status=view.entry_into_force,
            )

    # -- internals ------------------------------------------------------------------------------------

    def _record_event(self, treaty: str, party: str, **fields: Any) -> Recorded:
        from ratify.record.inputs import EventCreate
        from ratify.record.tracker import record_step

        if fields.get("round") == 1:
            fields["round"] = None  # the first round is recorded as none: every step before rounds existed is of it
        data = _validated(EventCreate, **fields)
        with self._session(write=True) as session:
            event, stage = record_step(session, treaty, party, data)
            return _recorded(session, event, stage, version=1)

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        with _errors(), self._database.transaction(write=write) as session:
            yield session


def _public(rows: Iterable[Row], fields: Sequence[str]) -> list[Row]:
    """The rows as `--format json` prints them: these fields in order, an imprecise date's precision beside it."""
    from ratify.reports.jsonrows import with_precisions

    return [dict(with_precisions(row, fields)) for row in rows]


def _recorded(session: Session, record: Any, stage: Any, *, version: int) -> Recorded:
    """A Recorded for an event (with its stage) or an act, with the party's status after the write."""
    from ratify.dates import given_date
    from ratify.reports.rows import Filters, status_rows
    from ratify.store.entries import fact_id
    from ratify.store.models import Party, Treaty

    party = session.get_one(Party, record.party_id)
    slug = session.get_one(Treaty, party.treaty_id).slug
    today = date.today()
    row = next(status_rows(session, Filters(slug=slug, party=party.state), today, today=today))
    is_event = stage is not None
    return Recorded(
        fact=fact_id(record),
        treaty=slug,
        party=party.state,
        what=stage.key if is_event else str(record.kind),
        status=str(record.status) if is_event else None,
        date=given_date(record).isoformat(),
        reading=record.reading if is_event else None,
        round=record.round if is_event else None,
        path=str(record.path) if is_event else None,
        due_on=record.due_on if is_event else None,
        effective_on=record.effective_on,
        version=version,
        state=row["state"],
        progress=row["progress"],
    )


@contextmanager
def _errors() -> Iterator[None]:
    """Every failure a caller can fix comes out as a RatifyError, pydantic's included."""
    from pydantic import ValidationError

    try:
        yield
    except ValidationError as error:
        raise _as_input_error(error) from None


def _validated(model: Any, **fields: Any) -> Any:
    from pydantic import ValidationError

    try:
        return model(**fields)
    except ValidationError as error:
        raise _as_input_error(error) from None


def _as_input_error(error: ValidationError) -> InvalidInput:
    """One line per field; MalformedInput where a value does not parse, InvalidInput where values contradict."""
    from ratify.errors import Contradiction
    from ratify.record.validation import render_validation_error

    message = render_validation_error(error)
    if all(isinstance(p.get("ctx", {}).get("error"), Contradiction) for p in error.errors()):
        return InvalidInput(message)
    return MalformedInput(message)


def _term(vocabulary: Any, value: str, name: str) -> Any:
    try:
        return vocabulary(value)
    except ValueError:
        names: Sequence[str] = [term.value for term in vocabulary]
        raise MalformedInput(f"{name}: {value!r} is not one of {', '.join(names)}") from None
