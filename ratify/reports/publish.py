"""The full status report: per treaty a summary, its parties and a timeline; totals at the end.

Renderers (text tables, CSV, JSON, the standalone HTML page) take a `Report`
and never touch the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from ratify.dates import given_signature, to_day
from ratify.reports.dossier import depositary_lines, histories
from ratify.reports.participation import Participation, participation
from ratify.reports.rows import Filters, status_rows
from ratify.reports.summary import evaluate_rows
from ratify.store.models import Treaty
from ratify.vocab import PartyState


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
        states = ", ".join(
            f"{count} {state.replace('_', ' ')}" for state, count in self.totals.items() if state != "parties"
        )
        treaties, parties = len(self.treaties), self.totals.get("parties", 0)
        head = f"{treaties} treat{'y' if treaties == 1 else 'ies'}, {parties} part{'y' if parties == 1 else 'ies'}"
        return f"{head}: {states}" if states else head


def build_report(
    session: Session, slugs: list[str], as_of: date, *, today: date, known_on: datetime | None = None
) -> Report:
    """Every named treaty (all when none is named), as of a date, in a fixed number of queries.

    With `known_on`, from the record as the database held it at that moment.
    """
    from ratify.store.lookup import get_treaty

    if known_on is not None:
        from ratify.reports.known import known_history, known_treaties

        for slug in slugs:
            get_treaty(session, slug)
        known = known_treaties(session, known_on, tuple(slugs))
        treaties = [entry.treaty for entry in known]
        events: Any = known_history(session, known)
    else:
        if slugs:
            treaties = [get_treaty(session, slug) for slug in slugs]
            treaties.sort(key=lambda treaty: treaty.slug)
        else:
            treaties = list(session.exec(select(Treaty).order_by(Treaty.slug)))
        events = histories(session, [t.slug for t in treaties] if slugs else None)
    scope = Filters(slugs=tuple(t.slug for t in treaties)) if slugs else Filters()
    rows: dict[str, list[dict[str, Any]]] = {}
    for row in status_rows(session, scope, as_of, today=today, known_on=known_on):
        rows.setdefault(row["treaty"], []).append(row)
    steps: dict[tuple[str, str], list[Step]] = {}
    for event in events:
        day = to_day(event["date"])
        if day <= as_of:
            steps.setdefault((event["treaty"], event["party"]), []).append(_step(event, day))
    reports = [_treaty_report(session, treaty, rows.get(treaty.slug, []), steps, as_of) for treaty in treaties]
    totals: Counter[str] = Counter()
    for report in reports:
        totals["parties"] += len(report.rows)
        totals.update(row["state"] for row in report.rows)
    ordered = {"parties": totals["parties"]}
    ordered.update((state.value, totals[state.value]) for state in PartyState if totals[state.value])
    return Report(as_of, reports, ordered)


def _step(event: dict[str, Any], day: date) -> Step:
    if event["stage"] is None:
        return Step(day, event["kind"].replace("_", " "), "act", event.get("text") or "", event.get("source") or "")
    return Step(day, event["body"], event["status"], _detail(event), event.get("source") or "")


def _treaty_report(
    session: Session, treaty: Treaty, rows: list[dict[str, Any]], steps: dict[tuple[str, str], list[Step]], as_of: date
) -> TreatyReport:
    evaluation = evaluate_rows(session, treaty, rows, as_of)
    if rows and all(row["state"] == PartyState.TERMINATED for row in rows):
        summary = rows[0]["progress"]
    elif evaluation is None:
        summary = "no entry-into-force rule recorded"
    elif evaluation.met_on is None:
        summary = f"not in force: {evaluation.missing}"
    elif evaluation.in_force_on and evaluation.in_force_on > as_of:
        summary = f"enters into force on {evaluation.in_force_on}"
    else:
        summary = f"in force since {evaluation.in_force_on}"
    lanes = []
    for row in rows:
        lane = list(steps.get((treaty.slug, row["party"]), []))
        if row["signed"]:
            lane.append(Step(to_day(row["signed"]), "signature", "signed"))
        if row["in_force_on"]:
            lane.append(Step(to_day(row["in_force_on"]), "in force", "in_force"))
        lane.sort(key=lambda step: step.day)
        lanes.append(Lane(row["party"], row["party_name"], row["state"], lane, row["next_stage_body"]))
    return TreatyReport(
        treaty.slug,
        treaty.title,
        treaty.kind,
        given_signature(treaty),
        treaty.place,
        summary,
        evaluation.words if evaluation else None,
        rows,
        lanes,
        evaluation,
        tuple(treaty.sources or ()),
        tuple(depositary_lines(treaty)),
    )


def _detail(event: dict[str, Any]) -> str:
    parts = []
    if event.get("reading"):
        parts.append(f"reading {event['reading']}")
    if event.get("yes") is not None or event.get("no") is not None:
        parts.append(f"{event.get('yes') or 0}-{event.get('no') or 0}")
    if event.get("unanimous"):
        parts.append("unanimous")
    if event.get("consent"):
        parts.append(event["consent"])
    return ", ".join(parts)
