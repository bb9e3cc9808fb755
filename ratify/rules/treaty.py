"""One treaty folded whole: every party's progress, the rule, each party's standing.

Entry into force depends on every party, so parties are never folded alone.
The status cache and the reports as of a past date both call `fold_treaty`,
which is why they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ratify.rules.entry_into_force import Deposit, Evaluation, default_rule, evaluate
from ratify.rules.spec import Rule, WithdrawalRule
from ratify.rules.status import EventFact, Progress, StageRef, Standing, derive_progress, describe_reversal
from ratify.vocab import ActKind, ConsentType, EventStatus, ProcedurePath, StageKind, TreatyKind

#: Without a withdrawal clause, notice takes effect after twelve months (Vienna Convention, Art. 56(2)).
DEFAULT_WITHDRAWAL = WithdrawalRule()


@dataclass(frozen=True)
class ActFact:
    kind: ActKind
    date: date
    effective_on: dt.date | None = None  # `date` names the field from here on


@dataclass(frozen=True)
class PartyFacts:
    code: str
    signed_on: date | None
    stages: Sequence[StageRef]
    events: Sequence[EventFact]  # in the order they happened
    acts: Sequence[ActFact] = ()


@dataclass(frozen=True)
class PartyOutcome:
    code: str
    progress: Progress
    standing: Standing
    deposited_on: date | None = None
    provisional_from: date | None = None
    provisional_until: date | None = None
    consent: ConsentType | None = field(default=None)
    reversal: ProcedurePath | None = None  # a revocation, suspension or withdrawal under way
    reversal_progress: str | None = None


@dataclass(frozen=True)
class TreatyFacts:
    kind: TreatyKind
    rule: Rule | None
    withdrawal: WithdrawalRule | None
    terminated_on: date | None = None


def fold_treaty(
    treaty: TreatyFacts, parties: Sequence[PartyFacts], as_of: date | None = None
) -> tuple[Evaluation | None, list[PartyOutcome]]:
    """Fold every party of a treaty as of a date (None: everything recorded)."""
    horizon = as_of or date.max
    progress = {}
    deposits: dict[str, Deposit] = {}
    for party in parties:
        acts = [a for a in party.acts if a.date <= horizon]
        revoked = [a.date for a in acts if a.kind == ActKind.CONSENT_WITHDRAWN]
        events = [e for e in party.events if e.path == ProcedurePath.RATIFICATION]
        result = derive_progress(party.stages, events, signed_on=party.signed_on, as_of=as_of)
        if revoked:
            deposit_before = _deposit(party.code, result)
            if deposit_before is not None:
                deposits[party.code] = Deposit(party.code, deposit_before.type, deposit_before.on, max(revoked))
            result = derive_progress(
                party.stages, events, signed_on=party.signed_on, as_of=as_of, consent_withdrawn=revoked
            )
        progress[party.code] = result
        deposit = _deposit(party.code, result)
        if deposit is not None:
            deposits[party.code] = deposit
    rule = treaty.rule or default_rule(treaty.kind)
    withdrawal = treaty.withdrawal or DEFAULT_WITHDRAWAL
    # A party that withdrew and joined again counted toward the rule during its first period too.
    counted = list(deposits.values()) + [
        earlier for party in parties for earlier in _earlier_consents(party, horizon, withdrawal)
    ]
    evaluation = evaluate(rule, counted, parties=[p.code for p in parties], as_of=horizon) if rule else None
    outcomes = []
    for party in parties:
        result = progress[party.code]
        acts = [a for a in party.acts if a.date <= horizon]
        deposit = deposits.get(party.code) if result.instrument_on else None
        suspended = _interval(acts, ActKind.SUSPENSION, ActKind.SUSPENSION_END)
        provisional = _interval(acts, ActKind.PROVISIONAL_APPLICATION, ActKind.PROVISIONAL_APPLICATION_END)
        # A withdrawal ends the consent it followed; a party that joined again is bound anew.
        since = result.instrument_on or date.min
        notices = [a for a in acts if a.kind == ActKind.WITHDRAWAL and a.date >= since]
        withdrawn_on = None
        if notices:
            notice = notices[-1]
            withdrawn_on = notice.effective_on or withdrawal.delay.apply(notice.date)
        standing = Standing(
            in_force_on=evaluation.effective_for(deposit) if evaluation else None,
            withdrawn_on=withdrawn_on,
            suspended_from=suspended[0],
            suspended_until=suspended[1],
            terminated_on=treaty.terminated_on,
            declined_on=_declined(acts, result),
        )
        reversal = _reversal(party, acts, as_of)
        outcomes.append(
            PartyOutcome(
                party.code,
                result,
                standing,
                deposited_on=result.instrument_on,
                provisional_from=provisional[0],
                provisional_until=provisional[1],
                consent=result.consent,
                reversal=reversal[0] if reversal else None,
                reversal_progress=describe_reversal(*reversal) if reversal else None,
            )
        )
    return evaluation, outcomes


def _reversal(party: PartyFacts, acts: Sequence[ActFact], as_of: date | None) -> tuple[ProcedurePath, Progress] | None:
    """The latest reversal whose international act has not followed yet, with its progress."""
    started: dict[ProcedurePath, date] = {}
    for event in party.events:
        if event.path != ProcedurePath.RATIFICATION and (as_of is None or event.date <= as_of):
            started.setdefault(event.path, event.date)
    for path, first in sorted(started.items(), key=lambda item: item[1], reverse=True):
        if any(a.kind == path.act and a.date >= first for a in acts):
            continue  # done: the act speaks for it (withdrawn, suspended, consent withdrawn)
        steps = [e for e in party.events if e.path == path]
        return path, derive_progress(party.stages, steps, signed_on=None, as_of=as_of)
    return None


def _earlier_consents(party: PartyFacts, horizon: date, withdrawal: WithdrawalRule) -> list[Deposit]:
    """Each instrument a later one replaced, counted until the withdrawal that ended it took effect."""
    kinds = {stage.id: stage.kind for stage in party.stages}
    instruments = [
        e
        for e in party.events
        if kinds.get(e.stage_id) == StageKind.INSTRUMENT and e.status == EventStatus.PASSED and e.date <= horizon
    ]
    notices = [a for a in party.acts if a.kind == ActKind.WITHDRAWAL and a.date <= horizon]
    earlier = []
    for instrument, following in itertools.pairwise(instruments):
        ended = [a for a in notices if instrument.date <= a.date <= following.date]
        if ended:
            until = ended[0].effective_on or withdrawal.delay.apply(ended[0].date)
            consent = instrument.consent or ConsentType.RATIFICATION
            earlier.append(Deposit(party.code, consent, instrument.date, until))
    return earlier


def _declined(acts: Sequence[ActFact], progress: Progress) -> date | None:
    """The latest declaration that the signatory will not become a party, unless it consented after all."""
    declared = [a.date for a in acts if a.kind == ActKind.NOT_BECOMING_PARTY]
    if not declared or (progress.instrument_on is not None and progress.instrument_on >= declared[-1]):
        return None
    return declared[-1]


def _deposit(code: str, progress: Progress) -> Deposit | None:
    if progress.instrument_on is None:
        return None
    return Deposit(code, progress.consent or ConsentType.RATIFICATION, progress.instrument_on)


def _interval(acts: Sequence[ActFact], start: ActKind, end: ActKind) -> tuple[date | None, date | None]:
    """The latest period opened by `start` and perhaps closed by `end`."""
    opened = closed = None
    for act in acts:
        if act.kind == start:
            opened, closed = act.effective_on or act.date, None
        elif act.kind == end and opened is not None:
            closed = act.effective_on or act.date
    return opened, closed
