"""An import applied: a new treaty through the loader's checks, a known one through recorded corrections.

Everything happens in the caller's one transaction, so a page that fails any check
half-way writes nothing. Each change to a recorded fact keeps the version it replaces,
with the page's "status as at" date as the reason, exactly as `ratify correct` does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlmodel import Session

from ratify.depositary.endings import ending
from ratify.depositary.page import Participant, StatusPage
from ratify.depositary.plan import PUBLISHED, Change, Plan, withdrawal_rule
from ratify.record import corrections, editing, tracker
from ratify.record.inputs import ActCreate, DepositaryRecord, EventCreate, PartyCreate, PublishedDate, TreatyFixture
from ratify.record.revisions import moment_now, replace
from ratify.record.validation import within_limits
from ratify.rules.spec import WithdrawalRule
from ratify.store.cache import refresh_treaty
from ratify.store.lookup import get_party, get_treaty
from ratify.vocab import ActKind, ConsentType, EventStatus, TreatyKind

#: The order changes are applied in: a party before its instrument, an instrument before what rests on it.
_ORDER = ("status as at", "entry into force", PUBLISHED, "new participant", "signature", "instrument", "consent")
_ACTS = {
    "provisional application": ActKind.PROVISIONAL_APPLICATION,
    "withdrawal": ActKind.WITHDRAWAL,
    "signature by succession": ActKind.SIGNATURE_BY_SUCCESSION,
}


def source_of(page: StatusPage) -> str:
    where = f" -- {page.url}" if page.url else ""
    return f"{page.label}, status as at {page.as_at}{where}"


def apply_plan(session: Session, plan: Plan, *, progress: Callable[[int], None] | None = None) -> None:
    """Write what the plan applies; a value of the page past ratify's limits stops it, naming the page."""
    with within_limits(plan.page.label):
        _apply(session, plan, progress)


def _apply(session: Session, plan: Plan, progress: Callable[[int], None] | None) -> None:
    if plan.treaty is None:
        _record_new(session, plan)
        if progress:
            progress(len(plan.page.participants))
        return
    reason = f"{plan.page.label}, status as at {plan.page.as_at}"
    by_name = {participant.name: participant for participant in plan.page.participants}
    corrected: dict[str, dict[str, Any]] = {}
    header = False
    for change in sorted(plan.applied, key=lambda c: _ORDER.index(c.what) if c.what in _ORDER else len(_ORDER)):
        if change.what in ("status as at", "entry into force", PUBLISHED):
            header = True
        elif change.what == "new participant":
            _add_participant(session, plan, by_name[change.name])
        elif change.what == "signature":
            signed = by_name[change.name].signed
            editing.edit_party(session, plan.slug, change.state, {"signed": signed}, reason=reason)
        elif change.fact is not None:  # a recorded instrument or act with another date or consent type
            participant = by_name[change.name]
            if change.what == "consent":
                corrected.setdefault(change.fact, {})["consent"] = participant.consent
            elif change.what == "withdrawal":
                # A later page that dates the end replaces the "on or before" with both its dates.
                end = ending(participant, plan.page.as_at, withdrawal_rule(plan.treaty))
                if end is not None:
                    corrected[change.fact] = {"date": end.notice, "effective": end.effective, "note": end.note}
            else:
                corrected.setdefault(change.fact, {})["date"] = _date_of(participant, change.what)
        elif change.what == "instrument":
            _instrument(session, plan, change.state, by_name[change.name])
        elif change.what in _ACTS:
            for act in _acts(by_name[change.name], plan.page, withdrawal_rule(plan.treaty)):
                if act.kind == _ACTS[change.what]:
                    tracker.record_act_for(session, plan.slug, change.state, act)
        elif change.what == "depositary note":
            _note(session, plan, change, reason)
        if progress:
            progress(1)
    for fact, values in corrected.items():
        corrections.correct(session, fact, values, reason=reason)
    if header:
        _header(session, plan, reason)


def _date_of(participant: Participant, what: str) -> date | None:
    return {
        "instrument": participant.consented,
        "provisional application": participant.provisional,
        "signature by succession": participant.signed if participant.signed_by_succession else None,
    }[what]


def _acts(participant: Participant, page: StatusPage, withdrawal: WithdrawalRule | None = None) -> list[ActCreate]:
    """The acts a row records besides its signature and instrument."""
    source = source_of(page)
    acts = []
    if participant.signed_by_succession and participant.signed:
        acts.append(ActCreate(kind=ActKind.SIGNATURE_BY_SUCCESSION, date=participant.signed, source=source))
    if participant.provisional:
        acts.append(ActCreate(kind=ActKind.PROVISIONAL_APPLICATION, date=participant.provisional, source=source))
    end = ending(participant, page.as_at, withdrawal)
    if end is not None:
        acts.append(
            ActCreate(kind=ActKind.WITHDRAWAL, date=end.notice, effective=end.effective, source=source, note=end.note)
        )
    return acts


def _record_new(session: Session, plan: Plan) -> None:
    """A treaty ratify has never seen, loaded as a fixture would be: every check of `load` applies."""
    from ratify.exchange.loader import Loading, Writer
    from ratify.record.revisions import reserve_ids

    page = plan.page
    data = TreatyFixture(
        slug=plan.slug,
        title=page.title,
        kind=TreatyKind.MULTILATERAL,
        signed=page.adopted,
        place=page.place,
        sources=[source_of(page)],
        depositary=_depositary(page),
        published_in_force=_published(page),
        parties=[_party(plan.codes[p.name], p, page) for p in page.participants],
    )
    writer = Writer(session)
    Loading(session, origin=page.label, update=False, counts=Counter(), writer=writer).treaty_entry(data, 0)
    writer.finish()
    reserve_ids(session)


def _party(
    code: str, participant: Participant, page: StatusPage, withdrawal: WithdrawalRule | None = None
) -> PartyCreate:
    events = []
    if participant.consented:
        events.append(_consent_event(participant, source_of(page)))
    note = "\n".join(participant.notes) or None
    acts = _acts(participant, page, withdrawal)
    return PartyCreate(state=code, signed=participant.signed, depositary_note=note, events=events, acts=acts)


def _consent_event(participant: Participant, source: str) -> EventCreate:
    return EventCreate(
        stage="instrument",
        status=EventStatus.PASSED,
        date=participant.consented,
        consent=participant.consent or ConsentType.RATIFICATION,
        source=source,
    )


def _add_participant(session: Session, plan: Plan, participant: Participant) -> None:
    code = plan.codes[participant.name]
    data = _party(code, participant, plan.page, withdrawal_rule(plan.treaty))
    tracker.add_party_to(session, plan.slug, data.model_copy(update={"events": [], "acts": []}))
    for event in data.events:
        tracker.record_step(session, plan.slug, code, event)
    for act in data.acts:
        tracker.record_act_for(session, plan.slug, code, act)


def _instrument(session: Session, plan: Plan, code: str, participant: Participant) -> None:
    # The depositary's word that the instrument is deposited stands even where the party's domestic
    # steps are not all recorded yet; history marks it as entered out of order, as --allow-out-of-order does.
    event = _consent_event(participant, source_of(plan.page)).model_copy(update={"allow_out_of_order": True})
    tracker.record_step(session, plan.slug, code, event)


def _note(session: Session, plan: Plan, change: Change, reason: str) -> None:
    treaty = get_treaty(session, plan.slug)
    party = get_party(session, treaty, change.state)
    replace(
        session,
        party,
        {"depositary_note": change.new},
        treaty=treaty,
        party=party.state,
        reason=reason,
        moment=moment_now(),
    )


def _depositary(page: StatusPage) -> DepositaryRecord:
    return DepositaryRecord(
        name=page.depositary,
        id=page.identifier,
        registration=page.registration,
        url=page.url,
        as_at=page.as_at,
        in_force=page.in_force,
    )


def _published(page: StatusPage) -> PublishedDate | None:
    """The page's entry into force as the treaty's published one ("Not yet in force" gives none)."""
    return PublishedDate(date=page.in_force_on, source=source_of(page)) if page.in_force_on else None


def _header(session: Session, plan: Plan, reason: str) -> None:
    """The treaty's depositary columns from the page, as a new version of the treaty."""
    treaty = get_treaty(session, plan.slug)
    values = tracker.depositary_columns(_depositary(plan.page))
    if any(c.what == PUBLISHED for c in plan.applied):
        values |= tracker.published_columns(_published(plan.page))
    # A page read from a file leaves the URL recorded by an earlier import.
    values = {k: v for k, v in values.items() if v is not None or k != "depositary_url"}
    replace(session, treaty, values, treaty=treaty, party=None, reason=reason, moment=moment_now())
    refresh_treaty(session, treaty)
