"""A parliament's record compared with a party's recorded steps, then applied as new steps and corrections.

Only the steps the record gives are compared, each with the event recorded on the
same stage (a laying and its outcome are two). An event an earlier import wrote (its
source begins with the record's label) is corrected, keeping the version it replaces;
an event entered by hand that says otherwise is never touched: the difference is
reported as a conflict. Everything happens in the caller's one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from ratify.dates import given_date
from ratify.errors import InvalidInput, SourceError
from ratify.parliament.record import ParliamentRecord, Step
from ratify.record import corrections, procedures, tracker
from ratify.record.events import events_of, missing_before
from ratify.record.inputs import EventCreate, PartyCreate, Tally
from ratify.record.revisions import moment_now, replace, row_id
from ratify.record.validation import within_limits
from ratify.rules.votes import VoteCounts, check_stated_result
from ratify.store.cache import refresh_treaty
from ratify.store.lookup import get_treaty
from ratify.store.models import Event, Party, Stage, Treaty
from ratify.vocab import EventStatus, NotVoting, ProcedurePath

#: Recorded events a record's step is compared with: an expectation or an announced sitting is not a step yet.
_UNDATED = (EventStatus.EXPECTED, EventStatus.SCHEDULED)
CHANGE_FIELDS = ("state", "what", "old", "new", "applied", "fact")
CHANGE_TABLE = ("state", "what", "old", "new", "applied")


@dataclass(frozen=True)
class Change:
    state: str
    what: str  # "treaty source", "new party", "new step", "step corrected", "conflict", "note", "not read"
    old: str | None
    new: str | None
    applied: bool = True
    fact: str | None = None
    step: Step | None = field(default=None, compare=False, repr=False)
    values: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CHANGE_FIELDS}


@dataclass
class Plan:
    record: ParliamentRecord
    treaty: Treaty
    party: Party | None
    stages: dict[str, Stage]
    changes: list[Change]

    @property
    def applied(self) -> list[Change]:
        return [change for change in self.changes if change.applied]

    def count(self, *what: str) -> int:
        return sum(1 for change in self.changes if change.what in what)


def find_treaty(session: Session, record: ParliamentRecord, slug: str | None, origin: str) -> Treaty:
    """The treaty named, else the one an earlier import of this record marked, else the one with its title."""
    if slug is not None:
        return get_treaty(session, slug)
    treaties = list(session.exec(select(Treaty).order_by(col(Treaty.id))))
    marked = [t for t in treaties if any(_is_ours(s, record) for s in t.sources)]
    if marked:
        return marked[0]
    wanted = {_folded(title) for title in record.titles}
    titled = [t for t in treaties if _folded(t.title) in wanted]
    if len(titled) == 1:
        return titled[0]
    if titled:
        raise SourceError(
            f"{origin}: {len(titled)} recorded treaties have the title of {record.reference}: "
            + ", ".join(sorted(t.slug for t in titled)),
            "name the one to update with --treaty SLUG; nothing was written",
        )
    raise SourceError(
        f"{origin}: no recorded treaty is {record.reference} or has its title {record.titles[0]!r}",
        "record the treaty first ('ratify treaty add'), or name it with --treaty SLUG; nothing was written",
    )


def _is_ours(text: str, record: ParliamentRecord) -> bool:
    return text == record.label or text.startswith((f"{record.label} --", f"{record.label}:", f"{record.label},"))


def _folded(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", title.casefold()))


def plan_import(session: Session, record: ParliamentRecord, *, slug: str | None, origin: str) -> Plan:
    treaty = find_treaty(session, record, slug, origin)
    state = record.state
    party = session.exec(select(Party).where(Party.treaty_id == treaty.id, Party.state == state)).first()
    procedure_id = party.procedure_id if party is not None else procedures.template_for(session, state)
    stages = {stage.key: stage for stage in procedures.stages_of(session, procedure_id)}
    for step in record.steps:
        stage = stages.get(step.stage)
        if stage is None:
            raise SourceError(
                f"{origin}: {state} in {treaty.slug} follows the procedure {procedure_id}, which has no stage "
                f"{step.stage!r}",
                f"give {state} the {state} template ('ratify party set ... --procedure {state}'); nothing was written",
            )
        _check_vote(step, stage, origin)
    changes: list[Change] = []
    if not any(_is_ours(source, record) for source in treaty.sources):
        changes.append(Change("", "treaty source", None, record.citation))
    recorded: dict[tuple[str, str], Event] = {}
    if party is None:
        changes.append(Change(state, "new party", None, state))
    else:
        by_id = {stage.id: stage.key for stage in stages.values()}
        for event in events_of(session, row_id(party)):
            if event.path == ProcedurePath.RATIFICATION and event.status not in _UNDATED and event.stage_id in by_id:
                kind = "laid" if event.status == EventStatus.LAID else "outcome"
                recorded[(by_id[event.stage_id], kind)] = event  # the latest of each
    for step in record.steps:
        changes += _compare(state, step, recorded.get(step.slot), record)
    changes += _note(state, party, record)
    changes += [
        Change(state, "not read", None, f"{u.date or 'undated'}: {u.text}", applied=False) for u in record.unread
    ]
    return Plan(record, treaty, party, stages, changes)


def _check_vote(step: Step, stage: Stage, origin: str) -> None:
    """The stated result against the tally and the body's threshold: the Senate's two thirds, checked."""
    if step.yes is None:
        return
    counts = VoteCounts(yes=step.yes, no=step.no)
    not_voting = NotVoting(stage.not_voting) if stage.not_voting else None
    try:
        check_stated_result(
            step.status,
            counts,
            stage.threshold,
            seats=stage.seats,
            quorum=stage.quorum,
            min_yes=stage.min_yes,
            not_voting=not_voting,
        )
    except InvalidInput as error:
        raise SourceError(
            f"{origin}: the vote of {step.date} ({step.yes} - {step.no}) is given as {step.status}, but "
            f"{error.message.split(', but ', 1)[-1]}",
            "nothing was written; check the response",
        ) from None


def _compare(state: str, step: Step, event: Event | None, record: ParliamentRecord) -> list[Change]:
    if event is None:
        return [Change(state, "new step", None, step.describe(), step=step)]
    wanted: dict[str, Any] = {
        "status": step.status,
        "date": step.date,
        "yes": step.yes,
        "no": step.no,
        "until": step.until,
    }
    have: dict[str, Any] = {
        "status": EventStatus(event.status),
        "date": given_date(event),
        "yes": event.yes,
        "no": event.no,
        "until": event.due_on if event.status == EventStatus.LAID else None,
    }
    ours = event.source is not None and _is_ours(event.source, record)
    if ours:
        wanted |= {"source": step.source, "note": step.note}
        have |= {"source": event.source, "note": event.note}
    differing = {key: value for key, value in wanted.items() if str(have[key]) != str(value)}
    if not differing:
        return []
    fact = f"e{event.id}"
    old = _describe_event(step.stage, have)
    if ours:
        return [Change(state, "step corrected", old, step.describe(), fact=fact, step=step, values=differing)]
    # Entered by hand: the user's record stands, and the difference is shown.
    return [Change(state, "conflict", old, step.describe(), applied=False, fact=fact, step=step)]


def _describe_event(stage: str, have: dict[str, Any]) -> str:
    words = [f"{stage} {have['status']} {have['date']}"]
    if have["yes"] is not None:
        words.append(f"{have['yes']}-{have['no']}")
    if have["until"] is not None:
        words.append(f"until {have['until']}")
    return " ".join(words)


def _note(state: str, party: Party | None, record: ParliamentRecord) -> list[Change]:
    if record.note is None:
        return []
    current = party.note if party is not None else None
    if current == record.note:
        return []
    heading = record.note_heading or record.label
    shown = _first_line(record.note)
    if current is None or current.startswith(heading):
        return [Change(state, "note", _first_line(current), shown)]
    return [Change(state, "note", _first_line(current), shown, applied=False)]


def _first_line(text: str | None) -> str | None:
    if text is None:
        return None
    line = text.splitlines()[0] if text else ""
    return line if len(line) <= 80 else line[:79] + "…"


def apply_plan(session: Session, plan: Plan) -> None:
    """Write what the plan applies; a value of the record past ratify's limits stops it, naming the record."""
    with within_limits(plan.record.label):
        _apply(session, plan)


def _apply(session: Session, plan: Plan) -> None:
    record, treaty, state = plan.record, plan.treaty, plan.record.state
    reason = f"{record.label}, as imported"
    for change in plan.applied:
        if change.what == "treaty source":
            values = {"sources": [*treaty.sources, record.citation]}
            replace(session, treaty, values, treaty=treaty, party=None, reason=reason, moment=moment_now())
        elif change.what == "new party":
            tracker.add_party_to(session, treaty.slug, PartyCreate(state=state))
    # In the template's order, a laying before its outcome: each step is checked against those before it.
    steps = [(c, c.step) for c in plan.applied if c.what in ("new step", "step corrected") and c.step is not None]
    steps.sort(key=lambda pair: (plan.stages[pair[1].stage].position, pair[1].slot[1] != "laid", pair[1].date))
    for change, step in steps:
        if change.what == "new step":
            tracker.record_step(session, treaty.slug, state, _event(session, plan, step))
        else:
            assert change.fact is not None
            corrections.correct(session, change.fact, dict(change.values), reason=reason)
    if any(c.what == "note" for c in plan.applied):
        party = session.exec(select(Party).where(Party.treaty_id == treaty.id, Party.state == state)).one()
        replace(session, party, {"note": record.note}, treaty=treaty, party=state, reason=reason, moment=moment_now())
    refresh_treaty(session, get_treaty(session, treaty.slug))


def _event(session: Session, plan: Plan, step: Step) -> EventCreate:
    party = session.exec(select(Party).where(Party.treaty_id == plan.treaty.id, Party.state == plan.record.state)).one()
    stages = sorted(plan.stages.values(), key=lambda s: s.position)
    # A record that starts mid-way (a committee discharged, a step before the record began) is taken as it
    # stands; history marks the step as entered out of order, as --allow-out-of-order does.
    lacking = step.status != EventStatus.LAID and (
        missing_before(stages, events_of(session, row_id(party)), plan.stages[step.stage], step.date) is not None
    )
    return EventCreate(
        stage=step.stage,
        status=step.status,
        date=step.date,
        vote=Tally(yes=step.yes, no=step.no) if step.yes is not None else None,
        until=step.until,
        source=step.source,
        note=step.note,
        allow_out_of_order=lacking,
    )


def summary(plan: Plan, *, dry_run: bool) -> str:
    """One line: "SLUG (Congress.gov API, Treaty Doc. 117-3): USA 2 new steps; 1 conflict reported, not applied"."""
    counts = [
        _count(plan.count("new party"), "new party", "new parties"),
        _count(plan.count("new step"), "new step"),
        _count(plan.count("step corrected"), "step corrected", "steps corrected"),
        _count(sum(1 for c in plan.applied if c.what == "note"), "note updated", "notes updated"),
        _count(plan.count("conflict"), "conflict with a step entered by hand", "conflicts with steps entered by hand"),
        _count(
            sum(1 for c in plan.changes if c.what == "note" and not c.applied),
            "note entered by hand kept",
            "notes entered by hand kept",
        ),
        _count(plan.count("not read"), "entry not read", "entries not read"),
    ]
    tail = "; ".join(c for c in counts if c) or "nothing changed"
    if plan.record.ignored:
        ignored = _count(plan.record.ignored, "other entry is not a step", "other entries are not steps")
        tail += f"; {ignored} of the {plan.record.state} template"
    if dry_run:
        tail += " (dry run: nothing written)"
    return f"{plan.treaty.slug} ({plan.record.label}): {plan.record.state} {tail}."


def _count(number: int, one: str, many: str | None = None) -> str:
    if not number:
        return ""
    return f"{number} {one if number == 1 else (many or one + 's')}"


def import_record(
    session: Session, record: ParliamentRecord, *, slug: str | None, origin: str, dry_run: bool
) -> tuple[list[Change], str]:
    """Plan and apply: every check runs either way; a dry run's caller rolls the transaction back."""
    plan = plan_import(session, record, slug=slug, origin=origin)
    apply_plan(session, plan)
    return plan.changes, summary(plan, dry_run=dry_run)
