"""The full status report: per treaty a summary, its parties and a timeline; totals at the end.

`report_treaties` yields one treaty at a time, read from one ordered stream of
status rows, so a report of the whole database is written as it is read and
never held; a `Tally` keeps the totals as the treaties go by. `build_report`
collects them into a `Report` for the renderers that need every treaty at
once (the HTML page). Renderers never touch the database.
"""

from __future__ import annotations

import contextlib
import itertools
import operator
from collections import Counter
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from ratify.dates import given_signature, to_day
from ratify.reports.dossier import depositary_lines, histories
from ratify.reports.participation import Participation, participation
from ratify.reports.rows import Filters, status_rows
from ratify.reports.summary import Rules, evaluate_rows
from ratify.store.models import Treaty
from ratify.vocab import EffectBasis, PartyState


@dataclass(frozen=True)
class Step:
    """One mark on a party's lane: a stage event, the signature, the deposit, entry into force."""

    day: date
    label: str  # "State Duma", "signature", "in force"
    status: str  # passed | failed | scheduled | skipped | signed | in_force | act
    detail: str = ""  # reading, tally, consent type
    source: str = ""  # the recorded source: a URL or a citation


@dataclass(frozen=True)
class Lane:
    party: str
    name: str
    state: str
    steps: list[Step]
    pending: str | None  # the next stage's body, if something is pending


@dataclass(frozen=True)
class TreatyReport:
    slug: str
    title: str
    kind: str
    signed: date | None
    place: str | None
    summary: str  # "in force since 2024-12-04" or what is missing
    rule: str | None
    rows: list[dict[str, Any]]
    lanes: list[Lane]
    evaluation: Any = None  # the rule's Evaluation (met_on, in_force_on, rule), None without a rule
    sources: tuple[str, ...] = ()  # the treaty's own sources
    depositary: tuple[tuple[str, str], ...] = ()  # (label, text): reports.dossier.depositary_lines

    @property
    def participation(self) -> Participation:
        return participation(self.rows)

    @property
    def headline(self) -> str:
        signed = f", signed {self.signed}" if self.signed else ""
        return f"{self.slug}: {self.title} ({self.kind}{signed}; {self.participation.words}) - {self.summary}"


@dataclass(frozen=True)
class Report:
    as_of: date
    treaties: list[TreatyReport]
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def totals_line(self) -> str:
        return totals_line(len(self.treaties), self.totals)


class Tally:
    """A report's totals, counted as its treaties go by: a streamed report prints them at the end."""

    def __init__(self) -> None:
        self.treaties = 0
        self._states: Counter[str] = Counter()

    def counted(self, treaties: Iterable[TreatyReport]) -> Iterator[TreatyReport]:
        for treaty in treaties:
            self._add(treaty.rows)
            yield treaty

    def rows_of(self, groups: Iterable[tuple[Any, list[dict[str, Any]]]]) -> Iterator[dict[str, Any]]:
        """The status rows of `treaty_rows`' treaties, one after another, counted as they go by."""
        for _treaty, rows in groups:
            self._add(rows)
            yield from rows

    def _add(self, rows: list[dict[str, Any]]) -> None:
        self.treaties += 1
        self._states["parties"] += len(rows)
        self._states.update(row["state"] for row in rows)

    @property
    def totals(self) -> dict[str, int]:
        """Parties, then each state with a party in it, in the vocabulary's order."""
        ordered = {"parties": self._states["parties"]}
        ordered.update((state.value, self._states[state.value]) for state in PartyState if self._states[state.value])
        return ordered

    @property
    def line(self) -> str:
        return totals_line(self.treaties, self.totals)


def totals_line(treaties: int, totals: dict[str, int]) -> str:
    """ "2 treaties, 5 parties: 3 in force, 2 signed" """
    states = ", ".join(f"{count} {state.replace('_', ' ')}" for state, count in totals.items() if state != "parties")
    parties = totals.get("parties", 0)
    head = f"{treaties} treat{'y' if treaties == 1 else 'ies'}, {parties} part{'y' if parties == 1 else 'ies'}"
    return f"{head}: {states}" if states else head


def build_report(
    session: Session, slugs: list[str], as_of: date, *, today: date, known_on: datetime | None = None
) -> Report:
    """Every named treaty (all when none is named), as of a date, with timelines, in a fixed number of queries.

    The whole report at once, for the renderers that need it (the HTML page puts the totals first).
    With `known_on`, from the record as the database held it at that moment.
    """
    tally = Tally()
    with contextlib.closing(report_treaties(session, slugs, as_of, today=today, known_on=known_on)) as treaties:
        return Report(as_of, list(tally.counted(treaties)), tally.totals)


def report_treaties(
    session: Session,
    slugs: list[str],
    as_of: date,
    *,
    today: date,
    known_on: datetime | None = None,
    lanes: bool = True,
) -> Generator[TreatyReport, None, None]:
    """Every named treaty (all when none is named) as of a date, one at a time, ordered by slug.

    As `treaty_rows`, with each treaty's summary and, with `lanes`, its timeline. The timelines
    need the events, which come ordered by date: with them, every named treaty's events are read
    first; without them no event is read.
    """
    treaties, events = _treaties_and_events(session, slugs, known_on, events=lanes)
    steps: dict[tuple[str, str], list[Step]] = {}
    for event in events:
        day = to_day(event["date"])
        if day <= as_of:
            steps.setdefault((event["treaty"], event["party"]), []).append(_step(event, day))
    rows = status_rows(session, _scope(slugs), as_of, today=today, known_on=known_on)
    return _reports(session, _paired(treaties, rows), steps if lanes else None, as_of)


def _reports(
    session: Session,
    pairs: Generator[tuple[Any, list[dict[str, Any]]], None, None],
    steps: dict[tuple[str, str], list[Step]] | None,
    as_of: date,
) -> Generator[TreatyReport, None, None]:
    rules = Rules()
    with contextlib.closing(pairs):
        for treaty, own in pairs:
            yield _treaty_report(session, treaty, own, steps, as_of, rules)


def treaty_rows(
    session: Session, slugs: list[str], as_of: date, *, today: date, known_on: datetime | None = None
) -> Generator[tuple[Any, list[dict[str, Any]]], None, None]:
    """Every named treaty (all when none is named) with its status rows, one at a time, ordered by slug.

    A fixed number of queries whatever the size of the database; a named treaty that does not
    exist raises here, before anything is yielded. The treaties and their rows are read as they
    are yielded, so the whole database is never held at once: close the generator (or exhaust
    it) before the transaction ends. A treaty is a row of the columns a report shows (a `Treaty`
    with `known_on`: from the record as the database held it then).
    """
    treaties, _events = _treaties_and_events(session, slugs, known_on, events=False)
    return _paired(treaties, status_rows(session, _scope(slugs), as_of, today=today, known_on=known_on))


def _treaties_and_events(
    session: Session, slugs: list[str], known_on: datetime | None, *, events: bool
) -> tuple[Iterable[Any], Iterable[dict[str, Any]]]:
    if known_on is None:
        return _treaties(session, slugs), histories(session, list(slugs) if slugs else None) if events else ()
    from ratify.reports.known import known_history, known_treaties
    from ratify.store.lookup import get_treaty

    for slug in slugs:
        get_treaty(session, slug)
    known = known_treaties(session, known_on, tuple(slugs))
    return [entry.treaty for entry in known], known_history(session, known) if events else ()


def _scope(slugs: list[str]) -> Filters:
    return Filters(slugs=tuple(slugs)) if slugs else Filters()


#: What a report says of a treaty besides its parties: read in the one query over the treaties.
_TREATY_COLUMNS = (
    col(Treaty.slug),
    col(Treaty.title),
    col(Treaty.kind),
    col(Treaty.signed_on),
    col(Treaty.signed_precision),
    col(Treaty.place),
    col(Treaty.sources),
    col(Treaty.rule),
    col(Treaty.parent),
    col(Treaty.rule_met_on),
    col(Treaty.in_force_on),
    col(Treaty.in_force_basis),
    col(Treaty.published_in_force_on),
    col(Treaty.published_in_force_source),
    col(Treaty.depositary),
    col(Treaty.depositary_id),
    col(Treaty.registration),
    col(Treaty.depositary_url),
    col(Treaty.depositary_as_at),
    col(Treaty.depositary_in_force),
)


def _treaties(session: Session, slugs: list[str]) -> Iterable[Any]:
    """The treaties' columns, ordered by slug as the status rows are.

    The named ones are read (and checked) now, each as often as it is named; every treaty is read
    as it is needed.
    """
    query = select(*_TREATY_COLUMNS).order_by(col(Treaty.slug))
    if not slugs:
        return _streamed(session, query)
    from ratify.store.lookup import get_treaty

    found = list(session.connection().execute(query.where(col(Treaty.slug).in_(slugs))))
    known = {record.slug for record in found}
    for slug in slugs:
        if slug not in known:
            get_treaty(session, slug)  # raises, with the nearest slugs as a hint
    return [record for record in found for _ in range(slugs.count(record.slug))]


def _streamed(session: Session, query: Any) -> Generator[Any, None, None]:
    # On PostgreSQL the rows come from a server-side cursor, closed with the generator.
    with session.connection().execute(query.execution_options(yield_per=2000)) as result:
        yield from result


def _paired(
    treaties: Iterable[Any], rows: Iterable[dict[str, Any]]
) -> Generator[tuple[Any, list[dict[str, Any]]], None, None]:
    """Each treaty with its status rows, in one pass: both streams are ordered by slug, in one snapshot.

    A treaty without parties has no rows; one named twice gets the same rows twice.
    """
    try:
        groups = itertools.groupby(rows, key=operator.itemgetter("treaty"))
        ahead = next(groups, None)
        last: tuple[str | None, list[dict[str, Any]]] = (None, [])
        for treaty in treaties:
            if treaty.slug != last[0]:
                own: list[dict[str, Any]] = []
                if ahead is not None and ahead[0] == treaty.slug:
                    own = list(ahead[1])
                    ahead = next(groups, None)
                last = (treaty.slug, own)
            yield treaty, last[1]
        if ahead is not None:
            raise RuntimeError(f"report: the status rows of {ahead[0]} came out of the treaties' order")
    finally:
        # Stopped early (an error, a closed pipe): each open cursor is closed now, inside the transaction.
        for stream in (rows, treaties):
            if isinstance(stream, Generator):
                stream.close()


def _step(event: dict[str, Any], day: date) -> Step:
    if event["stage"] is None:
        return Step(day, event["kind"].replace("_", " "), "act", event.get("text") or "", event.get("source") or "")
    return Step(day, event["body"], event["status"], _detail(event), event.get("source") or "")


def _treaty_report(
    session: Session,
    treaty: Any,
    rows: list[dict[str, Any]],
    steps: dict[tuple[str, str], list[Step]] | None,
    as_of: date,
    rules: Rules,
) -> TreatyReport:
    from ratify.rules.treaty import treaty_in_force

    evaluation = evaluate_rows(session, treaty, rows, as_of, rules=rules)
    in_force, basis = treaty_in_force(evaluation, treaty.published_in_force_on, as_of)
    if rows and all(row["state"] == PartyState.TERMINATED for row in rows):
        summary = rows[0]["progress"]
    elif basis == EffectBasis.PUBLISHED:
        summary = f"in force since {in_force} (as published)"
    elif evaluation is None:
        summary = "no entry-into-force rule recorded"
    elif evaluation.met_on is None:
        summary = f"not in force: {evaluation.missing}"
    elif evaluation.in_force_on and evaluation.in_force_on > as_of:
        summary = f"enters into force on {evaluation.in_force_on}"
    else:
        summary = f"in force since {evaluation.in_force_on}"
    published = treaty.published_in_force_on
    if basis == EffectBasis.COMPUTED and published is not None and published <= as_of and published != in_force:
        summary += f"; published {published}, which differs"
    return TreatyReport(
        treaty.slug,
        treaty.title,
        treaty.kind,
        given_signature(treaty),
        treaty.place,
        summary,
        evaluation.words if evaluation else None,
        rows,
        _lanes(treaty.slug, rows, steps) if steps is not None else [],
        evaluation,
        tuple(treaty.sources or ()),
        tuple(depositary_lines(treaty)),
    )


def _lanes(slug: str, rows: list[dict[str, Any]], steps: dict[tuple[str, str], list[Step]]) -> list[Lane]:
    lanes = []
    for row in rows:
        lane = list(steps.get((slug, row["party"]), []))
        if row["signed"]:
            lane.append(Step(to_day(row["signed"]), "signature", "signed"))
        if row["in_force_on"]:
            lane.append(Step(to_day(row["in_force_on"]), "in force", "in_force"))
        lane.sort(key=lambda step: step.day)
        lanes.append(Lane(row["party"], row["party_name"], row["state"], lane, row["next_stage_body"]))
    return lanes


def _detail(event: dict[str, Any]) -> str:
    parts = []
    if event.get("round"):
        parts.append(f"round {event['round']}")
    if event.get("reading"):
        parts.append(f"reading {event['reading']}")
    if event.get("yes") is not None or event.get("no") is not None:
        parts.append(f"{event.get('yes') or 0}-{event.get('no') or 0}")
    if event.get("unanimous"):
        parts.append("unanimous")
    if event.get("consent"):
        parts.append(event["consent"])
    return ", ".join(parts)
