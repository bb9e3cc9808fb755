"""Recording a stage event, with every rule about order, dates and votes checked first."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session, col, select

from ratify.dates import certainly_before, earliest, exact, given_date, given_signature, in_the_future, precision_of
from ratify.errors import Conflict, InvalidInput
from ratify.record import procedures
from ratify.record.decisions import check_decided, check_round
from ratify.record.inputs import EventCreate, Tally
from ratify.record.provenance import now, recorder
from ratify.record.revisions import keep_version, moment_now
from ratify.rules.votes import check_stated_result
from ratify.store.entries import fact_id
from ratify.store.models import Act, Event, Party, Stage, Treaty
from ratify.vocab import (
    VOTING_KINDS,
    ActKind,
    ConsentType,
    EventStatus,
    NotVoting,
    ProcedurePath,
    RevisionAction,
    StageKind,
    TreatyKind,
)


def record_event(
    session: Session,
    treaty: Treaty,
    party: Party,
    data: EventCreate,
    *,
    today: date | None = None,
    consents_checked_later: bool = False,
) -> Event:
    """Check an event against the party's procedure and history, then store it.

    A step recorded on a stage that was expected replaces the expectation,
    whose last version is kept.
    """
    event = checked_event(session, treaty, party, data, today=today, consents_checked_later=consents_checked_later)
    session.add(event)
    session.flush()
    if event.status != EventStatus.EXPECTED:
        _fulfil_expectations(session, treaty, party, event)
    return event


def _fulfil_expectations(session: Session, treaty: Treaty, party: Party, event: Event) -> None:
    expected = select(Event).where(
        Event.party_id == party.id,
        Event.stage_id == event.stage_id,
        Event.status == EventStatus.EXPECTED,
        Event.path == event.path,
    )
    moment = moment_now()
    for expectation in session.exec(expected):
        keep_version(
            session,
            expectation,
            treaty=treaty,
            party=party.state,
            action=RevisionAction.FULFILLED,
            reason=f"recorded as {fact_id(event)}",
            moment=moment,
        )
        session.delete(expectation)
    session.flush()


def checked_event(
    session: Session,
    treaty: Treaty,
    party: Party,
    data: EventCreate,
    *,
    today: date | None = None,
    replacing: Event | None = None,
    consents_checked_later: bool = False,
) -> Event:
    """The event `data` describes, checked as a new entry against everything else recorded.

    A correction passes the event it replaces, which is then left out of the
    history the new version is checked against. A load, which records a
    party's acts after its events, checks its consents once the acts are in
    (`check_consents`).
    """
    stages = procedures.stages_of(session, party.procedure_id)
    assert party.id is not None  # a stored row
    history = [e for e in events_of(session, party.id) if replacing is None or e.id != replacing.id]
    values = event_values(treaty, party, stages, history, data, today=today or date.today())
    if values["consent"] is not None and values["status"] == EventStatus.PASSED and not consents_checked_later:
        acts = session.exec(select(Act).where(Act.party_id == party.id)).all()
        check_one_consent(treaty, party, [*consent_deposits(history, stages), data.date], acts, new=data.date)
    event = Event(**values)
    if data.id is not None:
        event.id = int(data.id[1:])
    return event


def on_path(event: Any, path: ProcedurePath) -> bool:
    """Whether a recorded event (a row, or a row held in memory) belongs to `path`."""
    return (getattr(event, "path", None) or ProcedurePath.RATIFICATION) == path


def event_values(
    treaty: Any,
    party: Any,
    stages: list[Stage],
    history: Sequence[Any],
    data: EventCreate,
    *,
    today: date,
    stage: Stage | None = None,
    who: str | None = None,
) -> dict[str, Any]:
    """The columns of the event `data` describes, checked against the party's `history` (no database).

    `history` holds the party's other events, as rows or anything with the same
    attributes; the bulk load keeps them in memory, passes the `stage` it already found,
    and `who` records (asking the system once, not per event).
    """
    _check_not_candidate(treaty, party)
    stage = stage or procedures.find_stage(stages, data.stage, procedure_id=party.procedure_id)
    assert stage.id is not None  # a stored row
    status = _event_status(stage, data)
    _check_dated(stage, status, data, today)
    if data.path != ProcedurePath.RATIFICATION:
        _check_reversal(treaty, party, stages, stage, data, history)
    consent = _consent(stage, data)
    history = _same_path_and_round(party, data, history)
    _check_due(party, stage, status, data, history)
    _check_not_recorded(party, stage, status, data, history)
    _check_same_day(party, stage, status, data, history)
    # A consent without a signature is recorded as it stands: depositaries record acceptances, approvals and
    # consents to be bound from states that never signed, and a state that joined an alliance after an accession
    # protocol was signed ratifies the protocol unsigned. One dated before a recorded signature is refused below.
    if not data.allow_out_of_order:
        _check_order(treaty, party, stages, stage, status, data, history)
    check_decided(party, stages, stage, status, data, history)
    return _columns(party, stage, status, consent, data, who)


def _check_not_candidate(treaty: Any, party: Any) -> None:
    if getattr(party, "candidate", False):
        raise InvalidInput(
            f"stage: {party.state} is the candidate of {treaty.slug}: it takes no step on the protocol",
            f"record its accession on {treaty.parent} (ratify advance {treaty.parent} {party.state} instrument "
            "--consent accession --date DATE)",
        )


def _check_dated(stage: Stage, status: EventStatus, data: EventCreate, today: date) -> None:
    """A step has happened by `today`, a sitting is announced for a day, and a reading is one the body holds."""
    if status == EventStatus.SCHEDULED and precision_of(data.date):
        raise InvalidInput(
            f"date: a scheduled sitting takes its day, not {data.date}",
            "give the announced day (YYYY-MM-DD), or record --status expected with --by DATE",
        )
    if status != EventStatus.SCHEDULED and data.date > today:
        raise InvalidInput(
            f"date: {in_the_future(data.date)}", "only a scheduled event may be dated ahead (--status scheduled)"
        )
    readings = data.readings or stage.readings
    if data.reading is not None and data.reading > readings:
        said = "this record says" if data.readings else "its template says"
        raise InvalidInput(
            f"reading: {stage.body} votes in {readings} reading(s) ({said}), not {data.reading}",
            f"give a reading from 1 to {readings}, or --readings N where the chamber held more",
        )


def _same_path_and_round(party: Any, data: EventCreate, history: Sequence[Any]) -> list[Any]:
    """The part of the history the new step follows: its own path, and its own round."""
    # Each path is its own history: a revocation's votes follow each other, not the ratification's.
    on_its_path = [e for e in history if on_path(e, data.path)]
    # And each round: a new round's lower house follows nothing the earlier round did.
    check_round(party, data, on_its_path)
    return [e for e in on_its_path if (getattr(e, "round", None) or 1) == (data.round or 1)]


def _check_due(party: Any, stage: Stage, status: EventStatus, data: EventCreate, history: Sequence[Any]) -> None:
    """Only an expected step has a 'by' date, and only a scrutiny period laid an 'until'."""
    if data.by is not None and status != EventStatus.EXPECTED:
        raise InvalidInput(
            f"by: only an expected step has a 'by' date, not a {status} one", "give the step's own --date"
        )
    if data.by is not None and data.by < data.date:
        raise InvalidInput(f"by: {data.by} is before the step was reported expected ({data.date})", "check the dates")
    if status == EventStatus.EXPECTED:
        _check_expectation(party, stage, history)
    if data.until is not None and status != EventStatus.LAID:
        raise InvalidInput(
            f"until: only a scrutiny period laid has an end, not a {status} step",
            "record the laying with --status laid",
        )
    if status == EventStatus.LAID:
        _check_laying(party, stage, data, history)


def _check_not_recorded(
    party: Any, stage: Stage, status: EventStatus, data: EventCreate, history: Sequence[Any]
) -> None:
    written = str(data.date)  # as given: "2024-11" is not the same entry as "2024-11-30"
    entry = (stage.id, status, written, data.reading)
    if any((e.stage_id, e.status, str(given_date(e)), e.reading) == entry for e in history):
        raise Conflict(
            f"event: {stage.key} {status} on {data.date} is already recorded for {party.state}",
            "a correction is a new event with its own date or reading",
        )


def _columns(
    party: Any, stage: Stage, status: EventStatus, consent: ConsentType | None, data: EventCreate, who: str | None
) -> dict[str, Any]:
    tally = data.vote or Tally()
    return {
        "party_id": party.id,
        "stage_id": stage.id,
        "status": status,
        "date": exact(data.date),
        "date_precision": precision_of(data.date),
        "reading": data.reading,
        "readings": data.readings,
        "yes": tally.yes,
        "no": tally.no,
        "abstain": tally.abstain,
        "not_voting": tally.not_voting,
        "absent": tally.absent,
        "present": tally.present,
        "seats": tally.seats,
        "unanimous": tally.unanimous,
        "consent": consent,
        "effective_on": data.effective,
        "due_on": data.by or data.until,
        "path": data.path,
        "source": data.source,
        "note": data.note,
        "out_of_order": data.allow_out_of_order,
        "round": data.round,
        "recorded_at": data.recorded_at or now(),
        "recorded_by": data.recorded_by or who or recorder(),
    }


def _check_reversal(
    treaty: Any, party: Any, stages: list[Stage], stage: Stage, data: EventCreate, recorded: Sequence[Any]
) -> None:
    """A reversal runs the domestic stages back from a consent given; the act itself is recorded as an act."""
    act = data.path.act
    assert act is not None  # every path but ratification ends in an act
    if stage.kind == StageKind.INSTRUMENT:
        raise InvalidInput(
            f"path: a {data.path} ends in an international act, not in the instrument stage",
            f"record it with 'ratify act {treaty.slug} {party.state} {act.value} --date DATE'",
        )
    instrument = {s.id for s in stages if s.kind == StageKind.INSTRUMENT}
    consented = [
        e
        for e in recorded
        if e.stage_id in instrument and e.status == EventStatus.PASSED and on_path(e, ProcedurePath.RATIFICATION)
    ]
    if all(certainly_before(data.date, given_date(e)) for e in consented):
        raise InvalidInput(
            f"path: {party.state} had not consented to {treaty.slug} by {data.date}, so it has nothing to reverse",
            "record its instrument first, or record this step on the ratification path",
        )


def _check_expectation(party: Any, stage: Stage, history: Sequence[Any]) -> None:
    """An expectation is for a stage still to come, and one is enough."""
    for event in history:
        if event.stage_id != stage.id:
            continue
        if event.status == EventStatus.EXPECTED:
            raise Conflict(
                f"status: {stage.key} is already expected for {party.state} (e{event.id})",
                f"change it with 'ratify correct e{event.id} --by DATE --reason TEXT'",
            )
        if event.status in (EventStatus.PASSED, EventStatus.SKIPPED) and (
            event.reading is None or event.reading >= stage.readings
        ):
            raise InvalidInput(
                f"status: {stage.key} already {event.status} on {event.date} for {party.state}; nothing to expect",
                "record what comes next instead",
            )


def _check_laying(party: Any, stage: Stage, data: EventCreate, history: Sequence[Any]) -> None:
    """A treaty is laid at a scrutiny stage still to come; its period ends no earlier than it began."""
    if stage.kind != StageKind.SCRUTINY:
        raise InvalidInput(
            f"status: only a scrutiny stage is laid, not {stage.key} ({stage.kind})",
            "record what happened there: --status passed, failed, scheduled, skipped or expected",
        )
    if data.until is not None and certainly_before(data.until, data.date):
        raise InvalidInput(f"until: {data.until} is before the treaty was laid ({data.date})", "check the dates")
    for event in history:
        if event.stage_id == stage.id and event.status in (EventStatus.PASSED, EventStatus.SKIPPED):
            raise InvalidInput(
                f"status: {stage.key} already {event.status} on {given_date(event)} for {party.state}; nothing to lay",
                "record what comes next instead",
            )


def check_history(treaty: Treaty, party: Party, stages: list[Stage], history: list[Event]) -> None:
    """Every passed step still follows its predecessors, as if each were entered last.

    Run when a fact a history rests on changes: an event retracted, a
    signature date edited, a procedure swapped.
    """
    by_id = {stage.id: stage for stage in stages}
    rounds = {(e.path, e.round or 1) for e in history}
    for path, number in sorted(rounds):
        if number > 1 and (path, number - 1) not in rounds:
            raise InvalidInput(
                f"round: {party.state} would keep a round {number} with no round {number - 1} before it",
                "correct those steps' --round, or retract them first",
            )
    for event in history:
        if event.out_of_order:
            continue
        others = [e for e in history if e is not event and e.path == event.path and e.round == event.round]
        stage = by_id[event.stage_id]
        entered = SimpleNamespace(date=given_date(event), reading=event.reading, readings=event.readings)
        _check_order(treaty, party, stages, stage, EventStatus(event.status), entered, others)  # type: ignore[arg-type]  # only date and reading are read


def _event_status(stage: Stage, data: EventCreate) -> EventStatus:
    tally = data.vote
    if tally is None or not (tally.has_counts or tally.unanimous or tally.seats):
        if data.status is None and tally is None:
            raise InvalidInput("status: say what happened", "give --status passed|failed|scheduled|skipped|expected")
        if data.status is None:
            raise InvalidInput(
                "result: the vote has no counts to decide it", "give --yes/--no, --unanimous, or --result passed|failed"
            )
        return data.status
    if stage.kind not in VOTING_KINDS:
        raise InvalidInput(
            f"vote: {stage.body} ({stage.kind}) takes no vote", "record it with 'ratify advance' instead"
        )
    seats = tally.seats or stage.seats
    if seats is not None and tally.counted > seats:
        raise InvalidInput(
            f"vote: the counts add up to {tally.counted}, more than the {seats} seats of {stage.body}",
            "check the counts, or give --seats",
        )
    meaning = NotVoting(stage.not_voting) if stage.not_voting else None
    if tally.present is not None and meaning == NotVoting.ABSENT and tally.not_voting:
        voting = (tally.yes or 0) + (tally.no or 0) + (tally.abstain or 0)
        if tally.present != voting:
            raise InvalidInput(
                f"present: {stage.body} counts members not voting as absent, so {voting} voted and were present, "
                f"not {tally.present}",
                "drop --present, or give it as the body counts it",
            )
    return check_stated_result(
        data.status,
        tally.counts(),
        stage.threshold,
        seats=seats,
        quorum=stage.quorum,
        min_yes=stage.min_yes,
        not_voting=meaning,
    )


def _check_same_day(party: Party, stage: Stage, status: EventStatus, data: EventCreate, history: list[Event]) -> None:
    """One sitting cannot both pass and fail a stage, nor record one vote as two.

    Refused: a passed and a failed vote on the same stage and day with no
    reading to tell them apart; the same vote entered once with `--reading 1`
    and once without (on a one-reading stage both mean the final vote).
    """
    decisive = (EventStatus.PASSED, EventStatus.FAILED)
    for other in history:
        if other.stage_id != stage.id or str(given_date(other)) != str(data.date) or status not in decisive:
            continue
        if other.status in decisive and other.status != status and other.reading is None and data.reading is None:
            raise Conflict(
                f"event: {stage.key} is already recorded as {other.status} on {data.date} for {party.state}, "
                f"so it cannot also be {status} that day without a reading",
                f"give each vote its --reading, or correct the one that is wrong (ratify correct e{other.id} ...)",
            )
        if other.status == status and {other.reading, data.reading} == {None, 1}:
            raise Conflict(
                f"event: {stage.key} {status} on {data.date} is already recorded for {party.state} "
                f"{'without' if other.reading is None else 'with'} --reading 1: the same vote",
                f"correct that entry's reading instead (ratify correct e{other.id} --reading ...)",
            )


def _consent(stage: Stage, data: EventCreate) -> ConsentType | None:
    if stage.kind != StageKind.INSTRUMENT:
        if data.consent or data.effective:
            raise InvalidInput(
                f"consent: only the instrument stage carries a consent type or date of effect, not {stage.key}",
                "record the deposit with 'ratify advance SLUG STATE instrument --consent TYPE'",
            )
        return None
    return data.consent or ConsentType.RATIFICATION


def check_consents(session: Session, treaty: Treaty, party: Party) -> None:
    """Every instrument of the party, as recorded, against its acts (see `check_one_consent`)."""
    stages = procedures.stages_of(session, party.procedure_id)
    assert party.id is not None  # a stored row
    acts = session.exec(select(Act).where(Act.party_id == party.id)).all()
    check_one_consent(treaty, party, consent_deposits(events_of(session, party.id), stages), acts)


def consent_deposits(events: Sequence[Any], stages: Sequence[Stage]) -> list[date]:
    """The dates of the passed instruments among `events` (rows, or rows held in memory)."""
    instrument = {s.id for s in stages if s.kind == StageKind.INSTRUMENT}
    return [
        e.date
        for e in events
        if e.stage_id in instrument and e.status == EventStatus.PASSED and on_path(e, ProcedurePath.RATIFICATION)
    ]


def check_one_consent(
    treaty: Any, party: Any, deposits: Sequence[date], acts: Sequence[Any], *, new: date | None = None
) -> None:
    """A party consents once, unless it took that consent back (or, multilaterally, withdrew) in between.

    A second exchange of instruments would otherwise move a bilateral treaty's
    entry into force: an extension by exchange of notes is a treaty of its own.
    """
    if len(deposits) < 2:
        return
    ends = {ActKind.CONSENT_WITHDRAWN}
    if treaty.kind == TreatyKind.MULTILATERAL:
        ends.add(ActKind.WITHDRAWAL)
    ended = [a.effective_on or a.date for a in acts if a.kind in ends]
    for earlier, later in itertools.pairwise(sorted(deposits)):
        if not any(earlier <= end <= later for end in ended):
            other = earlier if later == new else later
            verb = "exchanged" if treaty.kind == TreatyKind.BILATERAL else "deposited"
            raise InvalidInput(
                f"date: {party.state} already {verb} its instrument for {treaty.slug} on {other}",
                "an extension, amendment or protocol is a treaty of its own (ratify treaty add SLUG --extends "
                f"{treaty.slug}); a wrong date is corrected with 'ratify correct'",
            )


def check_accessions(session: Session, treaty: Treaty) -> None:
    """An accession the rule does not count must come once the rule is met.

    Treaties that count only ratification, acceptance and approval (the ATT,
    Art. 22) open to accession after entry into force; an accession dated
    earlier is a wrong type or a wrong date. Checked after the status is
    rebuilt, since whether the rule is met depends on every party.
    """
    if not _counted_types(treaty):
        return
    query = (
        select(col(Party.state), col(Event.date))
        .join(Event, col(Event.party_id) == Party.id)
        .where(Party.treaty_id == treaty.id, Event.consent == ConsentType.ACCESSION, Event.status == "passed")
        .order_by(col(Event.date))
    )
    check_accession_dates(treaty, list(session.exec(query)))


def _counted_types(treaty: Any) -> list[str] | None:
    counted = (treaty.rule or {}).get("types")
    if not counted or ConsentType.ACCESSION in counted:
        return None
    return counted


def check_accession_dates(treaty: Any, accessions: Sequence[tuple[str, date]]) -> None:
    """check_accessions over (state, date) of the treaty's passed accessions, earliest first."""
    counted = _counted_types(treaty)
    if not counted:
        return
    # A treaty known to be in force from its publication is open to accession from then.
    opened = treaty.rule_met_on or getattr(treaty, "published_in_force_on", None)
    for state, day in accessions:
        if opened is None or certainly_before(day, opened):
            opens = f"once the rule is met ({opened})" if opened else "once the rule is met"
            raise InvalidInput(
                f"consent: {treaty.slug} counts only {', '.join(counted)} toward entry into force and is open "
                f"to accession {opens}, so {state} cannot accede on {day}",
                "check the instrument's type and date",
            )


def events_of(session: Session, party_id: int) -> list[Event]:
    return list(session.exec(select(Event).where(Event.party_id == party_id).order_by(col(Event.date), col(Event.id))))


def _check_order(
    treaty: Treaty,
    party: Party,
    stages: list[Stage],
    stage: Stage,
    status: EventStatus,
    data: EventCreate,
    history: Sequence[Any],
) -> None:
    signed = given_signature(party)
    if signed and certainly_before(data.date, signed):
        raise InvalidInput(
            f"date: {data.date} is before {party.state} signed {treaty.slug} on {signed}",
            "check the date, or pass --allow-out-of-order to record it anyway",
        )
    # A skip counts as a step done: it too can leave an earlier deposit without a predecessor.
    if status not in (EventStatus.PASSED, EventStatus.SKIPPED):
        return
    if status == EventStatus.PASSED:
        _check_predecessors(stages, stage, data, history)
    _check_deposits_keep_predecessors(stages, stage, status, data, history)
    if status == EventStatus.PASSED:
        _check_sequence(stages, stage, data, history)


def _check_predecessors(stages: list[Stage], stage: Stage, data: EventCreate, history: Sequence[Any]) -> None:
    missing = missing_before(stages, history, stage, data.date)
    if missing is not None:
        raise InvalidInput(
            f"date: {stage.key} cannot pass on {data.date} before {missing.key} ({missing.body}) has passed",
            f"record {missing.key} first, mark it skipped, or pass --allow-out-of-order",
        )


def _check_deposits_keep_predecessors(
    stages: list[Stage], stage: Stage, status: EventStatus, data: EventCreate, history: Sequence[Any]
) -> None:
    """A domestic step recorded now must not leave an earlier-recorded deposit without its predecessors."""
    instrument = next((s for s in stages if s.kind == StageKind.INSTRUMENT), None)
    if instrument is None or stage.id == instrument.id:
        return
    # Shaped like a stored event: missing_before reads the record's own number of readings.
    candidate = SimpleNamespace(
        stage_id=stage.id, status=status, date=data.date, reading=data.reading, readings=data.readings
    )
    for deposit in history:
        deposited = given_date(deposit)
        if (
            deposit.stage_id != instrument.id
            or deposit.status != EventStatus.PASSED
            or certainly_before(deposited, data.date)
        ):
            continue
        lacking = missing_before(stages, [*history, candidate], instrument, deposited)
        if lacking is not None and not deposit.out_of_order:
            raise InvalidInput(
                f"date: with {stage.key} on {data.date}, the deposit of {deposited} would lack "
                f"{lacking.key} ({lacking.body})",
                f"record {lacking.key} first, mark it skipped, or pass --allow-out-of-order",
            )


def _check_sequence(stages: list[Stage], stage: Stage, data: EventCreate, history: Sequence[Any]) -> None:
    """No earlier stage passed after this one, and no later stage before it."""
    position = {s.id: s.position for s in stages}
    # A step accepted out of order stands as recorded: later steps are not refused for disagreeing with it.
    passed = [e for e in history if e.status == EventStatus.PASSED and not getattr(e, "out_of_order", False)]
    after_this = [
        e for e in passed if position[e.stage_id] < stage.position and certainly_before(data.date, given_date(e))
    ]
    if after_this:
        before = next(s for s in stages if s.id == after_this[0].stage_id)
        raise InvalidInput(
            f"date: {before.key} passed on {given_date(after_this[0])}, after this {stage.key} on {data.date}",
            "check the dates, or pass --allow-out-of-order",
        )
    later = [e for e in passed if position[e.stage_id] > stage.position and certainly_before(given_date(e), data.date)]
    if later:
        after = next(s for s in stages if s.id == later[0].stage_id)
        raise InvalidInput(
            f"date: {after.key} already passed on {given_date(later[0])}, before this {stage.key} on {data.date}",
            "check the dates, or pass --allow-out-of-order",
        )


def missing_before(stages: list[Stage], history, stage: Stage, day: date) -> Stage | None:
    """The first required stage before `stage` not passed (final reading) or skipped by `day`.

    A deposit with no domestic step passed by its date lacks nothing: it comes from a
    depositary's table, and the domestic procedure completed on dates no one entered.
    A step counts as done by `day` unless it certainly came later (dates known only to
    the month or the year compare by their first and last days).
    """
    readings = {s.id: s.readings for s in stages}
    position = {s.id: s.position for s in stages}
    consultative = {s.id for s in stages if s.consultative}
    done = {
        e.stage_id
        for e in history
        if earliest(given_date(e)) <= exact(day)
        and (
            e.status == EventStatus.SKIPPED
            or (e.status == EventStatus.FAILED and e.stage_id in consultative)  # held: what it said does not bind
            or (
                e.status == EventStatus.PASSED
                and (e.reading is None or e.reading >= (e.readings or readings[e.stage_id]))
            )
        )
    }
    # A step accepted out of order implies the stages before it, as the state does: the record as it stands.
    implied = [
        position[e.stage_id]
        for e in history
        if getattr(e, "out_of_order", False)
        and e.status == EventStatus.PASSED
        and e.stage_id in position
        and earliest(given_date(e)) <= exact(day)
    ]
    if implied:
        done |= {s.id for s in stages if s.position < max(implied)}
    if stage.kind == StageKind.INSTRUMENT and not any(position[i] < stage.position for i in done):
        return None
    return next((s for s in stages if s.position < stage.position and not s.optional and s.id not in done), None)
