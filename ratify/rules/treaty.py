"""One treaty folded whole: every party's progress, the rule, each party's standing.

Entry into force depends on every party, so parties are never folded alone.
The status cache and the reports as of a past date both call `fold_treaty`,
which is why they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ratify.rules.entry_into_force import Deposit, Evaluation, default_rule, evaluate
from ratify.rules.spec import Rule, WithdrawalRule
from ratify.rules.status import EventFact, Progress, StageRef, Standing, derive_progress, describe_reversal
from ratify.vocab import ActKind, ConsentType, EffectBasis, EventStatus, ProcedurePath, StageKind, TreatyKind

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
    in_force_basis: EffectBasis | None = None  # where standing.in_force_on comes from
    in_force_published: date | None = None  # the party's own date of effect as published, if recorded


@dataclass(frozen=True)
class TreatyFacts:
    kind: TreatyKind
    rule: Rule | None
    withdrawal: WithdrawalRule | None
    terminated_on: date | None = None
    published_in_force_on: date | None = None  # the entry into force as published, recorded with its source
    # An accession protocol's candidates, and the days each deposited an instrument on the parent treaty.
    candidates: frozenset[str] = frozenset()
    joined_parent: Mapping[str, tuple[date, ...]] = field(default_factory=dict)


def treaty_in_force(
    evaluation: Evaluation | None, published: date | None, as_of: date | None = None
) -> tuple[date | None, EffectBasis | None]:
    """The treaty's entry into force and where it comes from: the rule's over the recorded instruments where
    they settle it, else the published date.

    Instruments settle it when they meet the rule on a known day. Met by instruments known only to the month
    or year, the rule gives a span of days, and a published date inside that span is the day itself; one
    outside it stands beside the computed date as a conflict. A published date after `as_of` is not yet an
    entry into force as of then.
    """
    if published is not None and as_of is not None and published > as_of:
        published = None
    computed = evaluation.in_force_on if evaluation is not None else None
    if computed is not None:
        first = evaluation.earliest_in_force if evaluation is not None else None
        if published is not None and first is not None and first < computed and first <= published <= computed:
            return published, EffectBasis.PUBLISHED
        return computed, EffectBasis.COMPUTED
    if published is not None:
        return published, EffectBasis.PUBLISHED
    return None, None


def published_effect(rule: Rule | None, published: date, deposit: Deposit | None) -> date | None:
    """When a treaty known to be in force from `published` takes effect for the party that made `deposit`.

    An instrument deposited by then takes effect with the treaty. A later one follows the rule's clause for
    later parties, which counts from the instrument itself (`later_from: rule_met`): the delay after it, but
    never before the treaty. Without a rule, a later instrument's effect is not known.
    """
    if deposit is None or (deposit.withdrawn_on is not None and deposit.withdrawn_on <= published):
        return None
    if rule is not None and rule.later_from == "rule_met":
        return max(published, rule.later_delay.apply(deposit.on))
    if deposit.on <= published:
        return published
    return rule.later_delay.apply(deposit.on) if rule is not None else None


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
    in_force, basis = treaty_in_force(evaluation, treaty.published_in_force_on, horizon)
    settled = basis == EffectBasis.COMPUTED
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
        withdrawn_on = notice_on = notice_revoked_on = None
        if notices:
            notice = notices[-1]
            notice_on = notice.date
            notice_revoked_on = revoked_on(notice, acts)
            if notice_revoked_on is None:
                withdrawn_on = notice.effective_on or withdrawal.delay.apply(notice.date)
        revocations = [a.date for a in acts if a.kind == ActKind.CONSENT_WITHDRAWN]
        consent_withdrawn_on = max(revocations) if revocations and since < max(revocations) else None
        own = _published_date_of_effect(party, result.instrument_on, horizon)
        in_force_on, effect = _date_of_effect(evaluation, rule, in_force, deposit, own, settled=settled)
        declined_on = _declined(acts, result)
        # In force from its publication under a rule that needs every party (or every member of a group),
        # the treaty binds each of them, whether or not its instrument is on record.
        candidate = party.code in treaty.candidates
        implied = (
            not candidate
            and in_force_on is None
            and deposit is None
            and not settled
            and in_force is not None
            and declined_on is None
            and not any(a.kind == ActKind.CONSENT_WITHDRAWN for a in acts)
            and _needs_consent_of(rule, party.code)
        )
        if implied:
            in_force_on, effect = in_force, EffectBasis.PUBLISHED
        standing = Standing(
            in_force_on=in_force_on,
            withdrawn_on=withdrawn_on,
            suspended_from=suspended[0],
            suspended_until=suspended[1],
            terminated_on=treaty.terminated_on,
            declined_on=declined_on,
            consent_implied=implied,
            consent_withdrawn_on=consent_withdrawn_on,
            withdrawal_notice_on=notice_on,
            notice_revoked_on=notice_revoked_on,
            candidate=candidate,
            member_since=max((d for d in treaty.joined_parent.get(party.code, ()) if d <= horizon), default=None),
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
                in_force_basis=effect,
                in_force_published=own,
            )
        )
    return evaluation, outcomes


def revoked_on(notice: ActFact, acts: Sequence[ActFact]) -> date | None:
    """The day a notice of withdrawal was revoked (the first revocation on or after it), if it was.

    A revoked notice never takes effect: the party never left, and the notice stays in its history.
    """
    return next((a.date for a in acts if a.kind == ActKind.WITHDRAWAL_REVOKED and a.date >= notice.date), None)


def _date_of_effect(
    evaluation: Evaluation | None,
    rule: Rule | None,
    published: date | None,
    deposit: Deposit | None,
    own: date | None,
    *,
    settled: bool,
) -> tuple[date | None, EffectBasis | None]:
    """A party's date of effect: the rule's where the recorded instruments settle the treaty's entry into
    force; else its own published date of effect, else one that follows from the treaty's published entry
    into force (`published`).
    """
    if evaluation is not None and settled:
        day = evaluation.effective_for(deposit)
        if day is not None:
            return day, EffectBasis.COMPUTED
    if own is not None and deposit is not None:
        return own, EffectBasis.PUBLISHED
    day = published_effect(rule, published, deposit) if published is not None and not settled else None
    return (day, EffectBasis.PUBLISHED) if day is not None else (None, None)


def _needs_consent_of(rule: Rule | None, code: str) -> bool:
    """Whether the rule brings the treaty into force only once this party has consented."""
    if rule is None:
        return False
    if rule.kind in ("exchange", "notifications"):
        return True
    return rule.kind == "all_of" and code in rule.groups[rule.group or ""].members


def _published_date_of_effect(party: PartyFacts, instrument_on: date | None, horizon: date) -> date | None:
    """The date of effect published for the party's standing instrument (the one deposited on `instrument_on`)."""
    if instrument_on is None:
        return None
    kinds = {stage.id: stage.kind for stage in party.stages}
    published = [
        e.effective_on
        for e in party.events
        if kinds.get(e.stage_id) == StageKind.INSTRUMENT
        and e.status == EventStatus.PASSED
        and e.path == ProcedurePath.RATIFICATION
        and e.date <= horizon
        and e.date == instrument_on
    ]
    return published[-1] if published else None


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
    acts = [a for a in party.acts if a.date <= horizon]
    notices = [a for a in acts if a.kind == ActKind.WITHDRAWAL and revoked_on(a, acts) is None]
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
