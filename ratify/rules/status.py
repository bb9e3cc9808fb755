"""A party's place in its procedure, derived from its dated events.

Events are read in the order they happened (date, then the order recorded).
A stage's outcome is its latest decisive event: a passing final reading, a
failed vote at any reading, or a skip. Nothing here looks at a clock: the
caller passes `as_of`, and events dated after it do not exist yet, except a
scheduled sitting already announced by then (recorded on or before `as_of`).
An expected step is dated the day it was reported expected; it is no step
itself, only what the next stage waits for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ratify.vocab import (
    LEGISLATIVE_KINDS,
    RATIFYING_KINDS,
    ConsentType,
    Ending,
    EventStatus,
    PartyState,
    ProcedurePath,
    StageKind,
)


@dataclass(frozen=True)
class StageRef:
    id: int
    key: str
    kind: StageKind
    body: str
    position: int
    optional: bool = False
    readings: int = 1
    consultative: bool = False  # its result does not bind: held, whatever it said, it is settled


@dataclass(frozen=True)
class EventFact:
    stage_id: int
    status: EventStatus
    date: date
    reading: int | None = None
    consent: ConsentType | None = None
    readings: int | None = None  # the record's number of readings, where not the stage's
    due_on: dt.date | None = None  # an expected step's deadline or announced sitting
    recorded_on: dt.date | None = None  # when it entered the record: a sitting is known from then
    path: ProcedurePath = ProcedurePath.RATIFICATION
    effective_on: dt.date | None = None  # an instrument's date of effect as the depositary published it
    round: int = 1  # a new round of the procedure starts it again; the earlier one stays in the record


@dataclass(slots=True)
class Progress:
    """Where a party stands in its own procedure, before entry into force.

    Treated as a value, never changed once built; not frozen because a whole-database report builds one
    per party, and a frozen dataclass takes three times as long to build.
    """

    state: PartyState
    stage: StageRef | None  # the furthest stage passed
    stage_on: date | None
    next_stage: StageRef | None  # the first required stage not yet done
    next_scheduled_on: date | None
    last_step_on: date | None  # signature included
    instrument_on: date | None  # deposit or exchange
    failed_stage: StageRef | None = None
    consent: ConsentType | None = None  # the type of the instrument, once deposited
    signed_on: date | None = None
    next_expected: bool = False  # the next stage is reported expected, without a sitting
    next_expected_by: date | None = None
    next_laid_on: date | None = None  # the next stage is a scrutiny period, begun on this day (laid)
    next_laid_until: date | None = None  # ... and ending on this one, as recorded
    note: str | None = None  # what the progress begins with: "round 2; consultative referendum: no"


def known_by(event: EventFact, as_of: date) -> bool:
    """An event exists as of a date once it has happened, and a sitting once it is announced."""
    if event.date <= as_of:
        return True
    announced = event.recorded_on is not None and event.recorded_on <= as_of
    return event.status == EventStatus.SCHEDULED and announced


def is_final(event: EventFact, stage: StageRef) -> bool:
    """A vote without a reading number, or at the last reading (the record's, else the stage's), decides it."""
    return event.reading is None or event.reading >= (event.readings or stage.readings)


def derive_progress(
    stages: Sequence[StageRef],
    events: Iterable[EventFact],
    *,
    signed_on: date | None,
    as_of: date | None = None,
    consent_withdrawn: Iterable[date] = (),
) -> Progress:
    """Fold a party's events (in the order they happened) into its progress.

    A consent withdrawn (a ratification revoked while the party stays a
    signatory) voids every step up to that day: the party starts again.
    """
    fold = _fold(stages, events, signed_on=signed_on, as_of=as_of, consent_withdrawn=consent_withdrawn)
    return _progress(stages, fold, signed_on=signed_on, as_of=as_of)


@dataclass(slots=True)
class _Fold:
    """What a party's events say so far, in the round under way."""

    last_step_on: date | None  # survives a new round and a withdrawn consent: the step still happened
    outcome: dict[int, tuple[EventStatus, date]] = field(default_factory=dict)
    scheduled: dict[int, date] = field(default_factory=dict)
    expected: dict[int, date | None] = field(default_factory=dict)
    laid: dict[int, tuple[date, date | None]] = field(default_factory=dict)  # a scrutiny period: laid on, until
    failure: tuple[StageRef, int] | None = None  # failed stage, index of the failure
    last_pass_index: int = -1
    consent: ConsentType | None = None
    round: int = 1

    def start_over(self, index: int) -> None:
        """Void every step before the event at `index`: the domestic stages begin again from it."""
        self.outcome, self.scheduled, self.expected, self.laid = {}, {}, {}, {}
        self.failure, self.consent, self.last_pass_index = None, None, index - 1

    def withdraw(self, day: date, index: int) -> None:
        """A consent withdrawn on `day` voids the steps so far, and is itself the party's latest step."""
        self.start_over(index)
        self.last_step_on = max(filter(None, (self.last_step_on, day)))

    def announce(self, stage: StageRef, event: EventFact) -> bool:
        """Take a sitting or an expectation, which are no step themselves; False for any other event."""
        if event.status == EventStatus.SCHEDULED:
            self.scheduled[stage.id] = event.date
        elif event.status == EventStatus.EXPECTED:
            self.expected[stage.id] = event.due_on
        else:
            return False
        return True

    def step(self, stage: StageRef, event: EventFact, index: int) -> None:
        """Take a step that happened: laid, failed, skipped, or a vote (only a final one decides the stage)."""
        if self.last_step_on is None or event.date > self.last_step_on:
            self.last_step_on = event.date
        if event.status == EventStatus.LAID:
            self.laid[stage.id] = (event.date, event.due_on)
        elif event.status == EventStatus.FAILED:
            self.outcome[stage.id] = (EventStatus.FAILED, event.date)
            if not stage.consultative:  # a consultation's "no" binds no one: it is held, not a rejection
                self.failure = (stage, index)
        elif event.status == EventStatus.SKIPPED:
            self.outcome[stage.id] = (EventStatus.SKIPPED, event.date)
        elif is_final(event, stage):
            self.outcome[stage.id] = (EventStatus.PASSED, event.date)
            self.last_pass_index = index
            if stage.kind == StageKind.INSTRUMENT:
                self.consent = event.consent or ConsentType.RATIFICATION

    def status_of(self, stage: StageRef) -> EventStatus | None:
        return self.outcome.get(stage.id, (None,))[0]


def _fold(
    stages: Sequence[StageRef],
    events: Iterable[EventFact],
    *,
    signed_on: date | None,
    as_of: date | None,
    consent_withdrawn: Iterable[date],
) -> _Fold:
    """Read the events in the order they happened, as known on `as_of`, round by round."""
    by_id = {stage.id: stage for stage in stages}
    fold = _Fold(last_step_on=signed_on)
    resets = sorted(day for day in consent_withdrawn if as_of is None or day <= as_of)
    for index, event in enumerate(events):
        if as_of is not None and event.date > as_of:
            # Not happened yet: only a sitting already announced, in this round or a later one, is known.
            if known_by(event, as_of) and event.round >= fold.round:
                fold.scheduled[event.stage_id] = event.date
            continue
        if event.round < fold.round:
            continue  # an earlier round's step recorded with a later date: the new round decides
        if event.round > fold.round:
            # A new round (the approval submitted again) starts the domestic stages over; the earlier stays recorded.
            fold.round = event.round
            fold.start_over(index)
        while resets and resets[0] < event.date:
            fold.withdraw(resets.pop(0), index)
        stage = by_id[event.stage_id]
        if not fold.announce(stage, event):
            fold.step(stage, event, index)
    if resets:
        fold.withdraw(resets[-1], 0)  # no step follows, so no failure is left to weigh against a pass
    return fold


def _progress(stages: Sequence[StageRef], fold: _Fold, *, signed_on: date | None, as_of: date | None) -> Progress:
    """The progress the folded events give: the furthest stage passed, what comes next, and the state."""
    passed, settled, held = _reached(stages, fold)
    furthest = max(passed, key=lambda s: s.position, default=None)
    next_stage = _next_stage(stages, fold, after=furthest.position if furthest else -1, held=held)
    rejected = fold.failure is not None and fold.failure[1] > fold.last_pass_index
    signature = signed_on if signed_on and (as_of is None or signed_on <= as_of) else None
    next_scheduled_on = fold.scheduled.get(next_stage.id) if next_stage else None
    # A dated sitting says more than an expectation.
    awaited = next_stage is not None and next_scheduled_on is None and _awaited(next_stage, fold)
    return Progress(
        state=_state(passed, settled, next_stage, rejected=rejected, signed=signature is not None),
        stage=furthest,
        stage_on=fold.outcome[furthest.id][1] if furthest else None,
        next_stage=next_stage,
        next_scheduled_on=next_scheduled_on,
        last_step_on=fold.last_step_on,
        instrument_on=next((fold.outcome[s.id][1] for s in passed if s.kind == StageKind.INSTRUMENT), None),
        failed_stage=fold.failure[0] if rejected and fold.failure else None,
        consent=fold.consent,
        signed_on=signature,
        next_expected=awaited,
        next_expected_by=fold.expected[next_stage.id] if awaited and next_stage else None,
        **_scrutiny(next_stage, fold.laid, fold.outcome),
        note=_note(fold.round, held, fold.outcome),
    )


_SETTLED = (EventStatus.PASSED, EventStatus.SKIPPED)


def _next_stage(stages: Sequence[StageRef], fold: _Fold, *, after: int, held: list[StageRef]) -> StageRef | None:
    """The first required stage after the furthest one passed, not yet settled.

    A deposit recorded from a depositary's table leaves nothing domestic pending.
    """
    for stage in stages:
        if stage.optional or stage.position <= after or stage in held:
            continue
        if fold.status_of(stage) not in _SETTLED:
            return stage
    return None


def _reached(stages: Sequence[StageRef], fold: _Fold) -> tuple[list[StageRef], list[StageRef], list[StageRef]]:
    """The stages passed, the stages settled (passed or skipped), and the consultations held."""
    passed = [s for s in stages if fold.status_of(s) == EventStatus.PASSED and not s.consultative]
    settled = [s for s in stages if fold.status_of(s) in _SETTLED and not s.consultative]
    # A consultation's result, whatever it said, is reported beside the procedure, not as a step of it.
    held = [s for s in stages if s.consultative and s.id in fold.outcome]
    return passed, settled, held


def _awaited(next_stage: StageRef, fold: _Fold) -> bool:
    """The next stage is reported expected; a stage already voted on is no longer expected."""
    return next_stage.id not in fold.outcome and next_stage.id in fold.expected


def _note(current_round: int, held: list[StageRef], outcome: dict[int, tuple[EventStatus, date]]) -> str | None:
    """The round under way, from the second, and the consultations held: "round 2; consultative referendum: no"."""
    said = {EventStatus.PASSED: "yes", EventStatus.FAILED: "no", EventStatus.SKIPPED: "not held"}
    words = [f"consultative {StageKind(s.kind).label}: {said[outcome[s.id][0]]}" for s in held]
    if current_round > 1:
        words.insert(0, f"round {current_round}")
    return "; ".join(words) or None


def _scrutiny(
    next_stage: StageRef | None, laid: dict[int, tuple[date, date | None]], outcome: dict[int, tuple[EventStatus, date]]
) -> dict[str, date | None]:
    """The scrutiny period of the next stage, if it was laid after the stage's last outcome (a new period B)."""
    if next_stage is None or next_stage.id not in laid:
        return {}
    laid_on, until = laid[next_stage.id]
    if next_stage.id in outcome and outcome[next_stage.id][1] > laid_on:
        return {}
    return {"next_laid_on": laid_on, "next_laid_until": until}


def _state(
    passed: list[StageRef],
    settled: list[StageRef],
    next_stage: StageRef | None,
    *,
    rejected: bool,
    signed: bool,
) -> PartyState:
    """The state, from the same furthest stage and next stage that `describe` reads.

    A stage recorded out of order implies those before it: once the next
    required stage is past the legislature, the legislature is done.
    """
    if rejected:
        return PartyState.REJECTED
    kinds = {stage.kind for stage in passed}
    if StageKind.INSTRUMENT in kinds:
        return PartyState.DEPOSITED
    # Ratified once no ratifying step is still ahead: an approval law's promulgation (assent) leaves the
    # presidential decision to come, and progress says "decree pending".
    if kinds & RATIFYING_KINDS and (next_stage is None or next_stage.kind not in RATIFYING_KINDS):
        return PartyState.RATIFIED
    if {stage.kind for stage in settled} & LEGISLATIVE_KINDS and (
        next_stage is None or next_stage.kind not in LEGISLATIVE_KINDS
    ):
        return PartyState.APPROVED  # passed, or skipped (a chamber that need not vote)
    if kinds & LEGISLATIVE_KINDS:
        return PartyState.IN_LEGISLATURE
    # Without a signature, nor any step that implies one, the party has done nothing yet.
    return PartyState.SIGNED if signed else PartyState.NOT_SIGNED


@dataclass(slots=True)
class Standing:
    """A party's international standing: what its acts and the treaty's rule give it (a value, as Progress)."""

    in_force_on: date | None = None  # when the treaty takes effect for the party
    withdrawn_on: date | None = None  # when its withdrawal takes effect
    suspended_from: date | None = None
    suspended_until: date | None = None
    terminated_on: date | None = None  # the treaty's own end
    declined_on: date | None = None  # declared it does not intend to become a party
    # In force from a published entry into force under a rule that needs every party's consent, its own
    # instrument not recorded: the publication says it consented.
    consent_implied: bool = False
    consent_withdrawn_on: date | None = None  # its ratification withdrawn, with no consent since
    withdrawal_notice_on: date | None = None  # its latest notice of withdrawal, standing or revoked
    notice_revoked_on: date | None = None  # ... taken back on this day, before it took effect
    candidate: bool = False  # the state an accession protocol admits
    member_since: date | None = None  # ... and the day it acceded to the parent treaty


def ending(standing: Standing, as_of: date, *, consented: bool) -> tuple[Ending, date] | None:
    """What ended the party's consent by `as_of`, and when; None while it stands or never was.

    `consented`: the party's consent stood until then (an instrument, or the treaty in force for it); the end of
    a treaty ends no consent of a party that never gave one.
    """
    reached = [
        (day, kind)
        for kind, day in (
            (Ending.WITHDRAWAL, standing.withdrawn_on),
            (Ending.CONSENT_WITHDRAWN, standing.consent_withdrawn_on),
            (Ending.TERMINATION, standing.terminated_on if consented else None),
        )
        if day is not None and day <= as_of
    ]
    # The first end is the one that ended it: a treaty terminated after a party left did not end its consent.
    day, kind = min(reached, key=lambda pair: pair[0], default=(None, None))
    return (kind, day) if kind is not None and day is not None else None


#: The states in which the treaty binds the party.
BOUND_STATES = frozenset({PartyState.IN_FORCE, PartyState.SUSPENDED})


def party_state(progress: Progress, standing: Standing, as_of: date) -> PartyState:
    """The party's state once entry into force, withdrawal, suspension and termination count."""

    def reached(day: date | None) -> bool:
        return day is not None and day <= as_of

    if reached(standing.terminated_on):
        return PartyState.TERMINATED
    if reached(standing.withdrawn_on):
        return PartyState.WITHDRAWN
    if reached(standing.declined_on):
        return PartyState.DECLINED
    if standing.candidate:
        return PartyState.CANDIDATE
    if (progress.state == PartyState.DEPOSITED or standing.consent_implied) and reached(standing.in_force_on):
        if reached(standing.suspended_from) and not reached(standing.suspended_until):
            return PartyState.SUSPENDED
        return PartyState.IN_FORCE
    return progress.state


def describe(progress: Progress, state: PartyState, standing: Standing, as_of: date | None = None) -> str:
    """A one-line reading of the progress: "lower house passed, upper house pending".

    A scrutiny period reads as of `as_of`: "laid 2024-02-19, under scrutiny until 2024-03-20",
    then "laid 2024-02-19, scrutiny period ended 2024-03-20" once that day has passed.
    """
    if state == PartyState.TERMINATED:
        return f"treaty terminated on {_iso(standing.terminated_on)}"
    if state == PartyState.WITHDRAWN:
        return f"withdrawn since {_iso(standing.withdrawn_on)}"
    if state == PartyState.CANDIDATE:
        if standing.member_since is not None and (as_of is None or standing.member_since <= as_of):
            return f"candidate: member of the parent treaty since {standing.member_since.isoformat()}"
        return "candidate: its accession to the parent treaty pending"
    if state == PartyState.DECLINED:
        return f"declared on {_iso(standing.declined_on)} it does not intend to become a party"
    if state == PartyState.SUSPENDED:
        return f"in force since {_iso(standing.in_force_on)}, suspended since {_iso(standing.suspended_from)}"
    if state == PartyState.IN_FORCE:
        text = f"in force since {_iso(standing.in_force_on)}"
        if standing.consent_implied:
            text += " (as published; its instrument is not recorded)"
        return text + _notice(standing, as_of)
    if state == PartyState.REJECTED and progress.failed_stage:
        return f"{progress.failed_stage.kind.label} failed"
    if state == PartyState.DEPOSITED:
        consent = (progress.consent or ConsentType.RATIFICATION).value.replace("_", " ")
        if standing.in_force_on:
            return f"{consent} deposited, in force from {_iso(standing.in_force_on)}" + _notice(standing, as_of)
        # A party may give notice before the treaty is in force for it: the notice is part of where it stands.
        return f"{consent} deposited, entry into force pending" + _notice(standing, as_of)
    done = (
        f"{progress.stage.kind.label} passed" if progress.stage else ("signed" if progress.signed_on else "not signed")
    )
    revoked = standing.consent_withdrawn_on
    if revoked is not None and (as_of is None or revoked <= as_of):
        done = f"ratification withdrawn {revoked.isoformat()}, {done}"
    if progress.note:
        done = f"{progress.note}; {done}"
    if progress.next_stage is None:
        return done
    label = progress.next_stage.kind.label
    if progress.next_scheduled_on:
        waiting = f"{label} scheduled {progress.next_scheduled_on.isoformat()}"
    elif progress.next_laid_on:
        waiting = f"laid {progress.next_laid_on.isoformat()}, " + _period(progress.next_laid_until, as_of)
    elif progress.next_expected:
        by = progress.next_expected_by
        waiting = f"{label} expected" + (f" by {by.isoformat()}" if by else "")
    else:
        waiting = f"{label} pending"
    return f"{done}, {waiting}"


def _notice(standing: Standing, as_of: date | None) -> str:
    """A notice of withdrawal still to take effect, or one taken back: what follows a consenting party's standing."""
    if standing.withdrawn_on:
        return f", withdrawal takes effect {_iso(standing.withdrawn_on)}"
    revoked = standing.notice_revoked_on
    if revoked is None or (as_of is not None and revoked > as_of):
        return ""
    return f"; notice of withdrawal of {_iso(standing.withdrawal_notice_on)} revoked {revoked.isoformat()}"


def describe_reversal(path: ProcedurePath, progress: Progress) -> str:
    """A reversal under way in words: "revocation: lower house passed, upper house pending"."""
    # Stage kinds may arrive as the stored text; StageKind() gives each its label.
    done = f"{StageKind(progress.stage.kind).label} passed" if progress.stage else "begun"
    following = progress.next_stage
    if following is None or following.kind == StageKind.INSTRUMENT:
        return f"{path}: {done}, notification pending"
    label = StageKind(following.kind).label
    if progress.next_scheduled_on:
        return f"{path}: {done}, {label} scheduled {progress.next_scheduled_on.isoformat()}"
    return f"{path}: {done}, {label} pending"


def _period(until: date | None, as_of: date | None) -> str:
    if until is None:
        return "under scrutiny (end not recorded)"
    if as_of is not None and as_of > until:
        return f"scrutiny period ended {until.isoformat()}"
    return f"under scrutiny until {until.isoformat()}"


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "an unknown date"
