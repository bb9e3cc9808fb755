"""Rows for the status, pending, history and treaty reports.

Each report runs a fixed number of queries whatever the size of the database
and yields its rows one at a time. As of today (or later) status comes from
the cache on each party row; as of a past date it is folded again from the
events and acts, one treaty at a time, in one ordered pass.
"""

from __future__ import annotations

import functools
import heapq
import itertools
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import SQLCoreOperations
from sqlmodel import Session, col

from ratify.dates import as_given, given_date, given_signature, precision_of, recorded_on
from ratify.dates import exact as exact_day
from ratify.rules.status import (
    BOUND_STATES,
    EventFact,
    Progress,
    StageRef,
    Standing,
    describe,
    ending,
    party_state,
)
from ratify.store.models import Act, Event, Party, Stage, Treaty
from ratify.vocab import (
    ActKind,
    ConsentType,
    EffectBasis,
    EventStatus,
    PartyState,
    ProcedurePath,
    StageKind,
    TreatyKind,
)

STATUS_FIELDS = (
    "treaty",
    "party",
    "party_name",
    "state",
    "progress",
    "stage",
    "stage_body",
    "stage_date",
    "next_stage",
    "next_stage_body",
    "next_scheduled",
    "next_expected",
    "next_expected_by",
    "signed",
    "last_step",
    "waiting_days",
    "in_force_on",
    "as_of",
    "consent",
    "deposited_on",
    "withdrawn_on",
    "provisional",
    "treaty_in_force_on",
    "rule_met_on",
    "waiting_for",
    "reversal",
    "reversal_progress",
    "in_force_basis",
    "in_force_published",
    "treaty_in_force_published",
    "published_differs",
    "next_laid_on",
    "next_laid_until",
    "bound",
    "ended",
    "ended_on",
    "withdrawal_notice_on",
    "notice_revoked_on",
    "member_since",
)
#: States in which nothing is pending any more.
SETTLED = frozenset(
    {
        PartyState.IN_FORCE,
        PartyState.SUSPENDED,
        PartyState.WITHDRAWN,
        PartyState.TERMINATED,
        PartyState.DECLINED,
        PartyState.CANDIDATE,
    }
)


@dataclass(frozen=True)
class Filters:
    slug: str | None = None
    slugs: tuple[str, ...] = ()  # several treaties
    party: str | None = None  # alpha-3 or organisation code
    parties: tuple[str, ...] = ()  # several parties (`--party` repeated)
    stage_kind: StageKind | None = None  # pending: the next stage's kind
    older_than: int | None = None  # pending: waiting at least this many days

    @property
    def codes(self) -> frozenset[str]:
        """Every party asked for; empty: all of them."""
        return frozenset(filter(None, (self.party, *self.parties)))


@dataclass(frozen=True)
class StageTable:
    """Every stage, by id and by procedure, from one query (the table is small)."""

    by_id: dict[int, StageRef]
    by_procedure: dict[str, list[StageRef]]


@functools.cache
def _stages_query() -> Any:
    """Built once per process: the statement is constant, and building it costs more than running it."""
    return select(
        col(Stage.id),
        col(Stage.procedure_id),
        col(Stage.key),
        col(Stage.kind),
        col(Stage.body),
        col(Stage.position),
        col(Stage.optional),
        col(Stage.readings),
        col(Stage.consultative),
    ).order_by(col(Stage.procedure_id), col(Stage.position))


def load_stages(session: Session) -> StageTable:
    rows = session.connection().execute(_stages_query())  # columns, not models: no ORM step per row
    by_id: dict[int, StageRef] = {}
    by_procedure: dict[str, list[StageRef]] = {}
    for row in rows:
        ref = StageRef(
            row.id, row.key, StageKind(row.kind), row.body, row.position, row.optional, row.readings, row.consultative
        )
        by_id[row.id] = ref
        by_procedure.setdefault(row.procedure_id, []).append(ref)
    return StageTable(by_id, by_procedure)


def status_rows(
    session: Session, filters: Filters, as_of: date, *, today: date, known_on: datetime | None = None
) -> Generator[dict[str, Any], None, None]:
    """One row per (treaty, party), ordered by treaty slug and party code.

    `known_on` asks for the record as the database held it at that moment.
    """
    stages = load_stages(session)
    if known_on is not None:
        from ratify.reports.known import known_rows

        return known_rows(session, stages, filters, as_of, known_on)
    if as_of >= today:
        return _cached_rows(session, stages, filters, as_of)
    return _derived_rows(session, stages, filters, as_of)


def pending_rows(
    session: Session,
    filters: Filters,
    as_of: date,
    *,
    today: date,
    limit: int | None = None,
    known_on: datetime | None = None,
) -> Generator[dict[str, Any], None, None]:
    """Parties for which the treaty is not (yet) in force, the longest wait first.

    A generator whatever the path, so that a reader stopping early can close it (and its cursor) in time.
    """
    stages = load_stages(session)
    if known_on is not None:
        from ratify.reports.known import known_pending

        yield from known_pending(session, stages, filters, as_of, known_on, limit)
    elif as_of >= today:
        yield from _cached_rows(session, stages, filters, as_of, pending=True, limit=limit)
    else:
        yield from longest_waiting(_derived_rows(session, stages, filters, as_of), filters, limit)


def longest_waiting(rows: Iterable[dict[str, Any]], filters: Filters, limit: int | None) -> list[dict[str, Any]]:
    """The pending rows among `rows` that `filters` admit, the longest wait first, at most `limit` of them.

    Shared by the rows derived as of a date and the rows as known at a moment, which order them alike.
    """
    pending = (row for row in rows if _is_pending(row, filters))
    if limit is None:
        return sorted(pending, key=_longest_wait_first)
    return heapq.nsmallest(limit, pending, key=_longest_wait_first)


def _longest_wait_first(row: dict[str, Any]) -> tuple:
    waiting = row["waiting_days"]
    return (waiting is None, -(waiting or 0), row["treaty"], row["party"])


def _is_pending(row: dict[str, Any], filters: Filters) -> bool:
    if row["state"] in SETTLED:
        return False
    if filters.stage_kind and row["next_stage"] != filters.stage_kind:
        return False
    if filters.older_than is not None and (row["waiting_days"] is None or row["waiting_days"] < filters.older_than):
        return False
    return True


_successor = aliased(Treaty)
_PARTY_COLUMNS: tuple[SQLCoreOperations[Any], ...] = (
    col(Treaty.slug),
    col(Treaty.kind),
    col(Treaty.rule_met_on),
    col(Treaty.rule_met_precision),
    col(Treaty.in_force_on).label("treaty_in_force_on"),
    col(Treaty.in_force_basis).label("treaty_in_force_basis"),
    col(Treaty.published_in_force_on),
    func.coalesce(col(Treaty.terminated_on), col(_successor.in_force_on)).label("terminated_on"),
    col(Party.id).label("party_id"),
    col(Party.state),
    col(Party.name),
    col(Party.signed_on),
    col(Party.signed_precision),
    col(Party.procedure_id),
)


def _scope(query, filters: Filters):
    query = query.join(Treaty, col(Treaty.id) == col(Party.treaty_id)).outerjoin(
        _successor, col(_successor.slug) == col(Treaty.superseded_by)
    )
    if filters.slug:
        query = query.where(col(Treaty.slug) == filters.slug)
    if filters.slugs:
        query = query.where(col(Treaty.slug).in_(filters.slugs))
    if filters.codes:
        query = query.where(col(Party.state).in_(sorted(filters.codes)))
    return query


def _cached_rows(
    session: Session,
    stages: StageTable,
    filters: Filters,
    as_of: date,
    *,
    pending: bool = False,
    limit: int | None = None,
) -> Generator[dict[str, Any], None, None]:
    query = _scope(
        select(
            *_PARTY_COLUMNS,
            col(Party.status),
            col(Party.stage_id),
            col(Party.stage_on),
            col(Party.stage_precision),
            col(Party.next_stage_id),
            col(Party.failed_stage_id),
            col(Party.next_scheduled_on),
            col(Party.next_expected),
            col(Party.next_expected_by),
            col(Party.next_laid_on),
            col(Party.next_laid_until),
            col(Party.last_step_on),
            col(Party.last_step_precision),
            col(Party.in_force_on),
            col(Party.consent),
            col(Party.deposited_on),
            col(Party.deposited_precision),
            col(Party.withdrawn_on),
            col(Party.declined_on),
            col(Party.reversal),
            col(Party.reversal_progress),
            col(Party.suspended_from),
            col(Party.suspended_until),
            col(Party.provisional_from),
            col(Party.provisional_until),
            col(Party.in_force_basis),
            col(Party.in_force_published),
            col(Party.consent_withdrawn_on),
            col(Party.withdrawal_notice_on),
            col(Party.notice_revoked_on),
            col(Party.progress_note),
            col(Party.candidate),
            col(Party.member_since),
        ),
        filters,
    )
    if pending:
        for column in (
            col(Party.in_force_on),
            col(Party.withdrawn_on),
            col(Party.declined_on),
            func.coalesce(col(Treaty.terminated_on), col(_successor.in_force_on)),
        ):
            query = query.where(or_(column.is_(None), column > as_of))
        query = query.where(col(Party.candidate).is_(False))  # its steps are on the parent treaty
        if filters.stage_kind:
            ids = [s.id for s in stages.by_id.values() if s.kind == filters.stage_kind]
            query = query.where(col(Party.next_stage_id).in_(ids or [-1]))
        if filters.older_than is not None:
            query = query.where(col(Party.last_step_on) <= as_of - timedelta(days=filters.older_than))
        # Dated parties first, the longest wait first, in their own query so that SQLite walks
        # ix_party_pending and stops at the limit; parties with nothing dated come last.
        dated = query.where(col(Party.last_step_on).is_not(None)).order_by(
            col(Party.last_step_on), col(Treaty.slug), col(Party.state)
        )
        undated = query.where(col(Party.last_step_on).is_(None)).order_by(col(Treaty.slug), col(Party.state))
        results = _limited(session, [dated, undated], limit)
    else:
        query = query.order_by(col(Treaty.slug), col(Party.state))
        results = _limited(session, [query], limit)
    by_id = stages.by_id.get
    for (
        slug,
        _kind,
        rule_met_on,
        rule_met_precision,
        treaty_in_force_on,
        treaty_in_force_basis,
        published_in_force_on,
        terminated_on,
        _party_id,
        code,
        name,
        signed_on,
        signed_precision,
        _procedure_id,
        status,
        stage_id,
        stage_on,
        stage_precision,
        next_stage_id,
        failed_stage_id,
        next_scheduled_on,
        next_expected,
        next_expected_by,
        next_laid_on,
        next_laid_until,
        last_step_on,
        last_step_precision,
        in_force_on,
        consent,
        deposited_on,
        deposited_precision,
        withdrawn_on,
        declined_on,
        reversal,
        reversal_progress,
        suspended_from,
        suspended_until,
        provisional_from,
        provisional_until,
        in_force_basis,
        in_force_published,
        consent_withdrawn_on,
        withdrawal_notice_on,
        notice_revoked_on,
        progress_note,
        candidate,
        member_since,
    ) in results:
        # Unpacked by position (the order of the select above), enums by lookup: attribute access and Enum()
        # per cell cost more than the rules at a million rows. A stored precision (rare) makes its date a `Day`.
        signed = as_given(signed_on, signed_precision) if signed_precision else signed_on
        progress = Progress(  # by position, in field order: keywords double the cost of building it
            _STATES[status],
            by_id(stage_id),
            as_given(stage_on, stage_precision) if stage_precision else stage_on,
            by_id(next_stage_id),
            next_scheduled_on,
            as_given(last_step_on, last_step_precision) if last_step_precision else last_step_on,
            as_given(deposited_on, deposited_precision) if deposited_precision else deposited_on,
            by_id(failed_stage_id),
            _CONSENTS[consent] if consent else None,
            signed,
            bool(next_expected),
            next_expected_by,
            next_laid_on,
            next_laid_until,
            progress_note,
        )
        # A published entry into force that binds a party whose instrument is not recorded (rules.treaty).
        implied = deposited_on is None and in_force_basis == "published"
        standing = Standing(
            in_force_on,
            withdrawn_on,
            suspended_from,
            suspended_until,
            terminated_on,
            declined_on,
            implied,
            consent_withdrawn_on,
            withdrawal_notice_on,
            notice_revoked_on,
            bool(candidate),
            member_since,
        )
        met_on = as_given(rule_met_on, rule_met_precision) if rule_met_precision else rule_met_on
        precisions = (signed_precision, stage_precision, last_step_precision, deposited_precision, rule_met_precision)
        yield _row(
            (slug, code, name, signed),
            progress,
            standing,
            (provisional_from, provisional_until),
            (met_on, treaty_in_force_on, treaty_in_force_basis, published_in_force_on),
            as_of,
            (reversal, reversal_progress),
            (in_force_basis and _BASES[in_force_basis], in_force_published),
            exact=not any(precisions),
        )


_STATES = {state.value: state for state in PartyState}
_BASES = {basis.value: basis for basis in EffectBasis}
_CONSENTS = {consent.value: consent for consent in ConsentType}


def _known_by(as_of: date):
    """rules.status.known_by in SQL: happened by `as_of`, or a sitting announced by the end of that day."""
    day_after = datetime.combine(as_of + timedelta(days=1), time(), UTC)
    announced = and_(col(Event.status) == EventStatus.SCHEDULED, col(Event.recorded_at) < day_after)
    return or_(col(Event.date) <= as_of, announced)


def _limited(session: Session, queries: list, limit: int | None) -> Iterator[Any]:
    """The rows of each query in turn, at most `limit` in all; a query runs only if still needed."""
    remaining = limit
    for query in queries:
        if remaining is not None:
            if remaining <= 0:
                return
            query = query.limit(remaining)
        # Closed with the generator: on PostgreSQL the rows stream from a server-side cursor. The query
        # selects columns, not models, so it runs on the connection: the ORM's handling of each row
        # costs more than the row.
        with session.connection().execute(query.execution_options(yield_per=2000)) as result:
            for row in result:
                yield row
                if remaining is not None:
                    remaining -= 1


def _derived_rows(
    session: Session, stages: StageTable, filters: Filters, as_of: date
) -> Generator[dict[str, Any], None, None]:
    """Status as of a past date: every treaty folded again from its events and acts."""
    # Imported here: today's report reads the cache and never needs the rule models.
    from ratify.rules.spec import WithdrawalRule
    from ratify.rules.treaty import ActFact, PartyFacts, TreatyFacts
    from ratify.store.cache import candidate_facts
    from ratify.store.family import resolve_rule

    # Entry into force depends on every party of a treaty, so the party filter
    # applies after each treaty is folded, not in the query.
    scope = Filters(slug=filters.slug, slugs=filters.slugs)
    acts: dict[int, list[ActFact]] = {}
    act_query = _scope(
        select(col(Act.party_id), col(Act.kind), col(Act.date), col(Act.date_precision), col(Act.effective_on)).join(
            Party, col(Party.id) == col(Act.party_id)
        ),
        scope,
    )
    for act in session.execute(act_query.where(col(Act.date) <= as_of).order_by(col(Act.date), col(Act.id))):
        acts.setdefault(act.party_id, []).append(ActFact(ActKind(act.kind), given_date(act), act.effective_on))
    query = _scope(
        select(
            *_PARTY_COLUMNS,
            col(Treaty.rule),
            col(Treaty.withdrawal),
            col(Treaty.parent),
            col(Event.stage_id),
            col(Event.status).label("event_status"),
            col(Event.date),
            col(Event.date_precision),
            col(Event.reading),
            col(Event.readings),
            col(Event.consent).label("event_consent"),
            col(Event.due_on),
            col(Event.recorded_at).label("event_recorded_at"),
            col(Event.path),
            col(Event.effective_on),
            col(Event.round),
            col(Party.candidate).label("is_candidate"),
        ).outerjoin(Event, and_(col(Event.party_id) == col(Party.id), _known_by(as_of))),
        scope,
    ).order_by(col(Treaty.slug), col(Party.state), col(Event.date), col(Event.id))
    procedure_stages = stages.by_procedure
    for _slug, treaty_rows in itertools.groupby(
        session.execute(query.execution_options(yield_per=5000)), key=lambda r: r.slug
    ):
        firsts, facts = [], []
        for _party_id, party_rows in itertools.groupby(treaty_rows, key=lambda r: r.party_id):
            rows = list(party_rows)
            first = rows[0]
            events = [
                EventFact(
                    r.stage_id,
                    EventStatus(r.event_status),
                    given_date(r),
                    r.reading,
                    ConsentType(r.event_consent) if r.event_consent else None,
                    r.readings,
                    due_on=r.due_on,
                    recorded_on=recorded_on(r.event_recorded_at),
                    path=ProcedurePath(r.path),
                    effective_on=r.effective_on,
                    round=r.round or 1,
                )
                for r in rows
                if r.stage_id is not None
            ]
            signed = given_signature(first) if first.signed_on and first.signed_on <= as_of else None
            facts.append(
                PartyFacts(
                    first.state, signed, procedure_stages[first.procedure_id], events, acts.get(first.party_id, [])
                )
            )
            firsts.append(first)
        head = firsts[0]
        ended = head.terminated_on if head.terminated_on and head.terminated_on <= as_of else None
        treaty = TreatyFacts(
            kind=TreatyKind(head.kind),
            rule=resolve_rule(session, head, rule_of(head.rule)),
            withdrawal=WithdrawalRule.model_validate(head.withdrawal) if head.withdrawal else None,
            terminated_on=ended,
            published_in_force_on=head.published_in_force_on,
            **candidate_facts(session, head, [first.state for first in firsts if first.is_candidate]),
        )
        yield from fold_rows(treaty, list(zip(firsts, facts, strict=True)), as_of, filters.codes)


def fold_rows(
    treaty: Any, parties: list[tuple[Any, Any]], as_of: date, codes: frozenset[str] = frozenset()
) -> Iterator[dict[str, Any]]:
    """A treaty folded as of a date into status rows; `parties` pairs each party's row with its facts.

    The one path from facts to rows for every past or known-on report; a party
    row needs `slug`, `state`, `name` and `signed_on`. A participant whose first step comes after `as_of` is
    shown as one with no step at all (`not_signed`), not left out.
    """
    from ratify.rules.treaty import fold_treaty, treaty_in_force

    evaluation, outcomes = fold_treaty(treaty, [facts for _first, facts in parties], as_of)
    met = (
        evaluation.met_on if evaluation else None,
        *treaty_in_force(evaluation, treaty.published_in_force_on, as_of),
        treaty.published_in_force_on,
    )
    for (first, _fact), outcome in zip(parties, outcomes, strict=True):
        if not codes or first.state in codes:
            provisional = (outcome.provisional_from, outcome.provisional_until)
            reversal = (outcome.reversal, outcome.reversal_progress)
            party_row = (first.slug, first.state, first.name, given_signature(first))
            effect = (outcome.in_force_basis, outcome.in_force_published)
            yield _row(party_row, outcome.progress, outcome.standing, provisional, met, as_of, reversal, effect)


_RULES: dict[str, Any] = {}


def rule_of(data: dict | None) -> Any:
    """Parse a stored rule once per distinct rule, not once per treaty."""
    if not data:
        return None
    import json

    from ratify.rules.spec import Rule

    key = json.dumps(data, sort_keys=True)
    if key not in _RULES:
        _RULES[key] = Rule.model_validate(data)
    return _RULES[key]


def _row(
    party: tuple[str, str, str, date | None],
    progress: Progress,
    standing: Standing,
    provisional: tuple[date | None, date | None],
    treaty_dates: tuple[date | None, date | None, str | None, date | None],
    as_of: date,
    reversal: tuple[str | None, str | None] = (None, None),
    effect: tuple[EffectBasis | None, date | None] = (None, None),
    *,
    exact: bool = False,
) -> dict[str, Any]:
    """One status row; `party` is (treaty slug, party code, name, signature as recorded).

    `treaty_dates` is (rule met on, entry into force, where that comes from, entry into force as published);
    `effect` is where the party's date of effect comes from and its own published date of effect.

    `exact` says no date of the row is imprecise, so no `<field>_precision` key can be due.
    """
    slug, code, name, signed = party
    if signed is not None and signed > as_of:
        signed = None
    state = party_state(progress, standing, as_of)
    last_step = progress.last_step_on
    if last_step is None or last_step > as_of:
        last_step = signed
    settled = state in SETTLED
    met_on, treaty_in_force, treaty_basis, published_in_force = treaty_dates
    basis, own_published = effect
    stage, following = progress.stage, None if settled else progress.next_stage
    in_force_on, deposited_on = standing.in_force_on, progress.instrument_on
    ended = ending(standing, as_of, consented=deposited_on is not None or in_force_on is not None)
    row = {
        "treaty": slug,
        "party": code,
        "party_name": name,
        "state": state.value,
        "progress": "; ".join(filter(None, (describe(progress, state, standing, as_of), reversal[1]))),
        "stage": stage.kind.value if stage else None,
        "stage_body": stage.body if stage else None,
        "stage_date": progress.stage_on.isoformat() if progress.stage_on else None,
        "next_stage": following.kind.value if following else None,
        "next_stage_body": following.body if following else None,
        "next_scheduled": None if settled else _iso(progress.next_scheduled_on),
        "next_expected": progress.next_expected and not settled,
        "next_expected_by": None if settled else _iso(progress.next_expected_by),
        "signed": signed.isoformat() if signed else None,
        "last_step": last_step.isoformat() if last_step else None,
        "waiting_days": (as_of - last_step).days if last_step and not settled else None,
        "in_force_on": in_force_on.isoformat() if in_force_on and in_force_on <= as_of else None,
        "as_of": as_of.isoformat(),
        "consent": progress.consent.value if progress.consent else None,
        "deposited_on": deposited_on.isoformat() if deposited_on and deposited_on <= as_of else None,
        "withdrawn_on": _iso(standing.withdrawn_on),
        "provisional": _reached(provisional[0], as_of) and not _reached(provisional[1], as_of),
        "treaty_in_force_on": treaty_in_force.isoformat() if treaty_in_force and treaty_in_force <= as_of else None,
        "rule_met_on": met_on.isoformat() if met_on and met_on <= as_of else None,
        "waiting_for": _waiting_for(progress, state, settled),
        "reversal": reversal[0],
        "reversal_progress": reversal[1],
        "in_force_basis": basis.value if basis and _reached(in_force_on, as_of) else None,
        "in_force_published": _iso(own_published) if _reached(own_published, as_of) else None,
        "treaty_in_force_published": _iso(published_in_force) if _reached(published_in_force, as_of) else None,
        "published_differs": _published_differs(
            (treaty_in_force if treaty_basis == EffectBasis.COMPUTED else None, published_in_force),
            (in_force_on if basis == EffectBasis.COMPUTED else None, own_published),
            as_of,
        ),
        "next_laid_on": None if settled else _iso(progress.next_laid_on),
        "next_laid_until": None if settled else _iso(progress.next_laid_until),
        "bound": state in BOUND_STATES,
        "ended": ended[0].value if ended else None,
        "ended_on": ended[1].isoformat() if ended else None,
        # Plain days, as the cache holds them: a notice the depositary dates only "on or before" reads as that day.
        "withdrawal_notice_on": _iso_day(standing.withdrawal_notice_on)
        if _reached(standing.withdrawal_notice_on, as_of)
        else None,
        "notice_revoked_on": _iso_day(standing.notice_revoked_on)
        if _reached(standing.notice_revoked_on, as_of)
        else None,
        "member_since": _iso(standing.member_since) if _reached(standing.member_since, as_of) else None,
    }
    if not exact:
        row.update(
            precision_keys(
                stage_date=progress.stage_on,
                signed=signed,
                last_step=last_step,
                deposited_on=deposited_on if _reached(deposited_on, as_of) else None,
                rule_met_on=met_on if _reached(met_on, as_of) else None,
            )
        )
    return row


def _published_differs(
    treaty: tuple[date | None, date | None], party: tuple[date | None, date | None], as_of: date
) -> str | None:
    """Where a published date and the one the rule computes from the recorded instruments disagree, in words.

    Neither is preferred silently: status reads the computed date, and this says that a published one differs.
    """
    found = []
    for what, (computed, published) in (("entry into force", treaty), ("date of effect", party)):
        if computed is not None and published is not None and _reached(min(computed, published), as_of):
            if str(computed) != str(published):
                found.append(f"{what}: published {published.isoformat()}, computed {computed.isoformat()}")
    return "; ".join(found) or None


def _reached(day: date | None, as_of: date) -> bool:
    return day is not None and day <= as_of


def precision_keys(**dates: date | None) -> dict[str, str]:
    """`<field>_precision` for each date known only to the month or the year; JSON prints it beside the date."""
    return {f"{name}_precision": str(precision_of(day)) for name, day in dates.items() if precision_of(day)}


def _waiting_for(progress: Progress, state: PartyState, settled: bool) -> str | None:
    """What the party waits for, in words: the next stage's kind, or entry into force."""
    if settled:
        return None
    if progress.next_stage is not None:
        return progress.next_stage.kind.label
    return "entry into force" if state == PartyState.DEPOSITED else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _iso_day(day: date | None) -> str | None:
    """The latest day a date can be, as the cache's plain date columns hold it."""
    return exact_day(day).isoformat() if day else None
