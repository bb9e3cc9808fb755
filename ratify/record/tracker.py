"""Recording treaties, parties, stage events and international acts: the write API.

Each function checks every rule before it writes, and the functions a command
calls (`*_to`, `record_*`, `set_*`) leave the treaty's status cache rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session, col, select

from ratify.countries import is_known_code, is_organisation
from ratify.dates import certainly_before, earliest, exact, given_date, given_signature, in_the_future, precision_of
from ratify.errors import Conflict, InvalidInput
from ratify.record import procedures
from ratify.record.consent import check_withdrawable, consent_steps
from ratify.record.events import check_accessions, record_event
from ratify.record.inputs import ActCreate, DepositaryRecord, EventCreate, PartyCreate, PublishedDate, TreatyCreate
from ratify.record.provenance import now, recorder
from ratify.record.revisions import moment_now, replace
from ratify.rules.spec import Rule, WithdrawalRule
from ratify.rules.treaty import DEFAULT_WITHDRAWAL
from ratify.store.cache import refresh_treaty
from ratify.store.family import check_parent_groups
from ratify.store.lookup import get_party, get_treaty, resolve_party_code
from ratify.store.models import Act, Event, Party, Stage, Treaty
from ratify.vocab import ActKind, TreatyKind, TreatyRelation

# --------------------------------------------------------------------------- treaties


def add_treaty(
    session: Session, data: TreatyCreate, *, states: Sequence[str] = (), sign: bool = True, today: date | None = None
) -> Treaty:
    """Record a treaty with the parties named at its adoption, who sign on its date unless `sign` is false."""
    values = treaty_values(data, today=today or date.today())
    if session.exec(select(Treaty.id).where(Treaty.slug == data.slug)).first() is not None:
        raise Conflict(f"treaty: {data.slug!r} already exists", "choose another slug")
    treaty = Treaty(**values)
    if data.id is not None:
        treaty.id = int(data.id[1:])
    session.add(treaty)
    session.flush()
    signed = given_signature(treaty) if sign else None
    for state in states:
        add_party(session, treaty, PartyCreate(state=state, signed=signed))
    return treaty


def check_signature(signed: date | None, *, today: date, treaty_signed: date | None = None) -> None:
    """A signature has happened, and a party's comes no earlier than the treaty's own."""
    if signed and signed > today:
        raise InvalidInput(f"signed: {in_the_future(signed)}", "record the signature once it has happened")
    if signed and treaty_signed and certainly_before(signed, treaty_signed):
        raise InvalidInput(
            f"signed: {signed} is before the treaty was signed or adopted ({treaty_signed})", "check the date"
        )


def treaty_values(data: TreatyCreate, *, today: date) -> dict[str, Any]:
    """The columns of a new treaty, checked (no database: the slug's uniqueness is the caller's)."""
    check_signature(data.signed, today=today)
    treaty = SimpleNamespace(
        slug=data.slug,
        title=data.title,
        kind=data.kind,
        signed_on=exact(data.signed) if data.signed else None,
        signed_precision=precision_of(data.signed),
        place=data.place,
        note=data.note,
        sources=list(data.sources),
        relation=data.relation,
        parent=data.parent,
        **depositary_columns(data.depositary),
        **published_columns(data.published_in_force),
        recorded_at=data.recorded_at or now(),
        recorded_by=data.recorded_by or recorder(),
    )
    apply_terms(treaty, data)
    return vars(treaty)


def depositary_columns(record: DepositaryRecord | None) -> dict[str, Any]:
    """The treaty columns that hold where its depositary publishes its status."""
    if record is None:
        return dict.fromkeys(DEPOSITARY_COLUMNS)
    return {
        "depositary": record.name,
        "depositary_id": record.id,
        "registration": record.registration,
        "depositary_url": record.url,
        "depositary_as_at": record.as_at,
        "depositary_in_force": record.in_force,
    }


def published_columns(record: PublishedDate | None) -> dict[str, Any]:
    """The treaty columns that hold its entry into force as published, with the source."""
    if record is None:
        return {"published_in_force_on": None, "published_in_force_source": None}
    return {"published_in_force_on": record.date, "published_in_force_source": record.source}


DEPOSITARY_COLUMNS = (
    "depositary",
    "depositary_id",
    "registration",
    "depositary_url",
    "depositary_as_at",
    "depositary_in_force",
)


def apply_terms(treaty: Any, data: TreatyCreate) -> None:
    """The treaty's rules and termination, as given."""
    if data.superseded_by == treaty.slug:
        raise InvalidInput(f"superseded_by: {treaty.slug} cannot supersede itself", "name the later treaty")
    treaty.rule = data.rule.model_dump(mode="json", exclude_defaults=True) if data.rule else None
    treaty.withdrawal = data.withdrawal.model_dump(mode="json", exclude_defaults=True) if data.withdrawal else None
    treaty.terminated_on = data.terminated
    treaty.superseded_by = data.superseded_by
    treaty.termination_source = data.termination_source


def check_rule_states(session: Session, treaty: Treaty, rule: Rule) -> None:
    """States a rule names must be known; states it requires by name must be parties.

    A group may list states that have not joined (CTBT Annex 2 names states
    that never signed), so group members need only be real states or
    registered parties.
    """
    check_rule_parties(treaty, rule, set(session.exec(select(Party.state).where(Party.treaty_id == treaty.id))))


def check_rule_parties(treaty: Any, rule: Rule, parties: set[str]) -> None:
    """check_rule_states over the codes of the treaty's parties (no database)."""
    check_parent_groups(treaty, rule)
    for inner in rule.every_rule():
        for name, group in inner.groups.items():
            for code in group.members:
                if code not in parties:
                    _known_state(code, f"rule.groups.{name}")
        for name, table in inner.weights.items():
            for code in table.values:
                if code not in parties:
                    _known_state(code, f"rule.weights.{name}")
        for code in inner.not_additional:
            if code not in parties:
                raise InvalidInput(
                    f"rule.not_additional: {code} is not a party to {treaty.slug}", "add the party first, or drop it"
                )


def _known_state(code: str, field: str) -> None:
    if not is_known_code(code):
        raise InvalidInput(f"{field}: {code} is neither an ISO 3166-1 alpha-3 code nor a party", "check the code")


def set_rule(
    session: Session,
    slug: str,
    rule: Rule | None,
    withdrawal: WithdrawalRule | None = None,
    *,
    reason: str = "rule set",
) -> Treaty:
    """Give a treaty its entry-into-force (and withdrawal) rule, and recompute; the earlier terms are kept."""
    treaty = get_treaty(session, slug)
    terms: dict[str, Any] = {}
    if rule is not None:
        check_rule_states(session, treaty, rule)
        terms["rule"] = rule.model_dump(mode="json", exclude_defaults=True)
    if withdrawal is not None:
        terms["withdrawal"] = withdrawal.model_dump(mode="json", exclude_defaults=True)
    replace(session, treaty, terms, treaty=treaty, party=None, reason=reason, moment=moment_now())
    refresh_treaty(session, treaty)
    check_accessions(session, treaty)
    return treaty


def set_published_in_force(
    session: Session, slug: str, published: PublishedDate | None, *, reason: str = "published entry into force"
) -> Treaty:
    """Record the treaty's entry into force as published (None: take it back), and recompute; the earlier
    version is kept. Status uses it where the recorded instruments do not settle the entry into force. A date
    still to come is what a depositary announces ("will enter into force on"): it counts from that day."""
    treaty = get_treaty(session, slug)
    if published is None and treaty.published_in_force_on is None:
        raise InvalidInput(f"{slug}: no published entry into force is recorded", "nothing to take back")
    replace(
        session, treaty, published_columns(published), treaty=treaty, party=None, reason=reason, moment=moment_now()
    )
    refresh_treaty(session, treaty)
    check_accessions(session, treaty)
    return treaty


def terminate(
    session: Session,
    slug: str,
    *,
    on: date | None,
    superseded_by: str | None,
    source: str | None,
    reason: str = "termination recorded",
) -> Treaty:
    """End a treaty on a date, or when a later treaty enters into force; the earlier terms are kept."""
    treaty = get_treaty(session, slug)
    if on is None and superseded_by is None:
        raise InvalidInput("termination: give the date, the superseding treaty, or both", "use --date or --by")
    if superseded_by is not None:
        if superseded_by == slug:
            raise InvalidInput(f"by: {slug} cannot supersede itself", "name the later treaty")
        get_treaty(session, superseded_by)
    if on is not None and on > date.today():
        raise InvalidInput(f"date: {on} is in the future", "record a termination once it has happened")
    terms = {"terminated_on": on, "superseded_by": superseded_by, "termination_source": source}
    replace(session, treaty, terms, treaty=treaty, party=None, reason=reason, moment=moment_now())
    refresh_treaty(session, treaty)
    return treaty


# --------------------------------------------------------------------------- parties


def add_party(session: Session, treaty: Treaty, data: PartyCreate) -> Party:
    """Add a party. It signs on the treaty's date if bilateral; a multilateral party's
    signature is its own (none for a party that accedes)."""
    code, name = resolve_party_code(data.state, data.organisation)
    others = list(session.exec(select(Party.state).where(Party.treaty_id == treaty.id)))
    organisation = bool(data.organisation) or is_organisation(code)
    procedure_id = data.procedure or procedures.template_for(session, None if organisation else code)
    party = Party(**party_values(treaty, data, code=code, name=name, others=others, procedure_id=procedure_id))
    procedures.get_procedure(session, procedure_id)
    if data.id is not None:
        party.id = int(data.id[1:])
    session.add(party)
    session.flush()
    return party


def party_values(
    treaty: Any, data: PartyCreate, *, code: str, name: str, others: Sequence[str], procedure_id: str
) -> dict[str, Any]:
    """The columns of a new party, checked against the treaty and its other parties' codes (no database)."""
    if code in others:
        raise Conflict(f"party: {code} is already a party to {treaty.slug}", "see 'ratify treaty show'")
    if treaty.kind == TreatyKind.BILATERAL and len(others) >= 2:
        raise InvalidInput(
            f"party: {treaty.slug} is bilateral and already has two parties",
            "record the treaty as --kind multilateral",
        )
    if data.candidate:
        _check_candidate(treaty, data, code)
    signed = data.signed or (given_signature(treaty) if treaty.kind == TreatyKind.BILATERAL else None)
    check_signature(signed, today=date.today(), treaty_signed=given_signature(treaty))
    assert treaty.id is not None  # a stored row
    return {
        "treaty_id": treaty.id,
        "state": code,
        "name": name,
        "is_organisation": bool(data.organisation) or is_organisation(code),
        "signed_on": exact(signed) if signed else None,
        "signed_precision": precision_of(signed),
        "procedure_id": procedure_id,
        "note": data.note,
        "depositary_note": data.depositary_note,
        "candidate": data.candidate,
        "recorded_at": data.recorded_at or now(),
        "recorded_by": data.recorded_by or recorder(),
        "last_step_on": exact(signed) if signed else None,
        "last_step_precision": precision_of(signed),
    }


def _check_candidate(treaty: Any, data: PartyCreate, code: str) -> None:
    """A candidate belongs to an accession protocol, which it does not sign: it joins the parent treaty."""
    if treaty.relation != TreatyRelation.PROTOCOL or not treaty.parent:
        raise InvalidInput(
            f"candidate: {treaty.slug} is not a protocol to a treaty, so it admits no candidate",
            "link it first (ratify treaty edit SLUG --protocol-to PARENT --reason ...)",
        )
    if data.signed is not None:
        raise InvalidInput(
            f"signed: {code} is the candidate of {treaty.slug} and does not sign it",
            f"record its accession on {treaty.parent} (ratify advance {treaty.parent} {code} instrument "
            "--consent accession --date DATE)",
        )


# --------------------------------------------------------------------------- acts


def record_act(session: Session, treaty: Treaty, party: Party, data: ActCreate, *, today: date | None = None) -> Act:
    """Check an international act against the party's standing, then store it."""
    act = checked_act(session, treaty, party, data, today=today)
    session.add(act)
    session.flush()
    return act


def checked_act(
    session: Session,
    treaty: Treaty,
    party: Party,
    data: ActCreate,
    *,
    today: date | None = None,
    replacing: Act | None = None,
) -> Act:
    """The act `data` describes, checked against the party's standing and its other acts."""
    assert party.id is not None  # a stored row
    others = [a for a in acts_of(session, party.id) if replacing is None or a.id != replacing.id]
    values = act_values(
        treaty,
        party,
        data,
        against=lambda state: get_party(session, treaty, state).state,
        others=others,
        consent_steps=consent_steps(session, party),
        today=today or date.today(),
    )
    act = Act(**values)
    if data.id is not None:
        act.id = int(data.id[1:])
    return act


def act_values(
    treaty: Any,
    party: Any,
    data: ActCreate,
    *,
    against: Callable[[str], str],
    others: Sequence[Any],
    consent_steps: Sequence[date],
    today: date,
) -> dict[str, Any]:
    """The columns of an act, checked against the party's standing and its `others` acts (no database).

    `against` finds the recorded code of the party an objection answers; `consent_steps` are the
    dates of its passed ratifying and instrument steps (record.consent.consent_steps).
    """
    if data.date > today:
        raise InvalidInput(f"date: {in_the_future(data.date)}", "record an act once it has been made")
    if data.kind in (ActKind.WITHDRAWAL, ActKind.CONSENT_WITHDRAWN, ActKind.SUSPENSION):
        check_withdrawable(treaty, party, data.kind, data.date, others, consent_steps)
    if data.kind == ActKind.WITHDRAWAL_REVOKED:
        check_notice_revocable(treaty, party, data.date, others)
    consented = [step for step in consent_steps if exact(step) <= earliest(data.date)]  # certainly before
    if data.kind == ActKind.NOT_BECOMING_PARTY and consented:
        raise InvalidInput(
            f"not_becoming_party: {party.state} consented to {treaty.slug} on {consented[0]}",
            "a party leaves a treaty by withdrawal (ratify act ... withdrawal)",
        )
    objected = against(data.against) if data.against is not None else None
    if objected is not None and objected == party.state:
        raise InvalidInput("against: a party cannot object to itself", "name the party whose statement it answers")
    assert party.id is not None  # a stored row
    values = {
        "party_id": party.id,
        "kind": data.kind,
        "date": exact(data.date),
        "date_precision": precision_of(data.date),
        "effective_on": data.effective,
        "against": objected,
        "text": data.text,
        "source": data.source,
        "note": data.note,
        "recorded_at": data.recorded_at or now(),
        "recorded_by": data.recorded_by or recorder(),
    }
    check_openings(party, [*others, SimpleNamespace(**values)])
    return values


def check_notice_revocable(treaty: Any, party: Any, day: date, others: Sequence[Any]) -> None:
    """A notice of withdrawal is revoked while it stands: given, not yet revoked, not yet in effect.

    Once a withdrawal has taken effect the party has left, and it comes back by a new instrument.
    """
    notices = [a for a in others if a.kind == ActKind.WITHDRAWAL and not certainly_before(day, given_date(a))]
    if not notices:
        raise InvalidInput(
            f"withdrawal_revoked: {party.state} gave no notice of withdrawal from {treaty.slug} by {day}",
            f"record the notice first (ratify act {treaty.slug} {party.state} withdrawal --date DATE)",
        )
    notice = max(notices, key=lambda a: (a.date, a.id or 0))
    for act in others:
        if act.kind == ActKind.WITHDRAWAL_REVOKED and act.date >= notice.date:
            raise InvalidInput(
                f"withdrawal_revoked: {party.state}'s notice of {notice.date} was already revoked on {act.date}",
                f"if that act is misdated, correct it (ratify correct a{act.id} --date {day} --reason ...)",
            )
    rule = WithdrawalRule.model_validate(treaty.withdrawal) if treaty.withdrawal else DEFAULT_WITHDRAWAL
    effect = notice.effective_on or rule.delay.apply(notice.date)
    if not certainly_before(day, effect):
        raise InvalidInput(
            f"date: {party.state}'s withdrawal took effect on {effect}, so on {day} there is no notice to revoke",
            f"a party that left joins again by a new instrument (ratify advance {treaty.slug} {party.state} "
            "instrument --date DATE)",
        )


def acts_of(session: Session, party_id: int) -> list[Act]:
    return list(session.exec(select(Act).where(Act.party_id == party_id).order_by(col(Act.date), col(Act.id))))


_CLOSING = {
    ActKind.SUSPENSION_END: ActKind.SUSPENSION,
    ActKind.PROVISIONAL_APPLICATION_END: ActKind.PROVISIONAL_APPLICATION,
}


def check_openings(party: Any, acts: Sequence[Any]) -> None:
    """Every end of a suspension or of provisional application closes one that is open on its date, and every
    revoked notice of withdrawal was given."""
    ordered = sorted(acts, key=lambda a: (a.date, a.kind in _CLOSING))
    for index, act in enumerate(ordered):
        if act.kind == ActKind.WITHDRAWAL_REVOKED and not any(a.kind == ActKind.WITHDRAWAL for a in ordered[:index]):
            raise InvalidInput(
                f"withdrawal_revoked: {party.state} has no notice of withdrawal before its revocation of {act.date}",
                "record the notice first, or retract the revocation too",
            )
    for index, act in enumerate(ordered):
        if act.kind not in _CLOSING:
            continue
        opened = [a for a in ordered[:index] if a.kind in (_CLOSING[act.kind], act.kind)]
        if not opened or opened[-1].kind != _CLOSING[act.kind]:
            raise InvalidInput(
                f"{ActKind(act.kind).value}: {party.state} has no {_CLOSING[act.kind].value} open on {act.date}",
                f"record the {_CLOSING[act.kind].value} first",
            )


# --------------------------------------------------------------------------- what a command calls


def record_step(session: Session, slug: str, state: str, data: EventCreate) -> tuple[Event, Stage]:
    """Record one event for a party of a treaty and refresh the treaty's status."""
    treaty = get_treaty(session, slug)
    party = get_party(session, treaty, state)
    event = record_event(session, treaty, party, data)
    refresh_treaty(session, treaty)
    check_accessions(session, treaty)
    stage = session.get(Stage, event.stage_id)
    assert stage is not None
    return event, stage


def record_act_for(session: Session, slug: str, state: str, data: ActCreate) -> Act:
    treaty = get_treaty(session, slug)
    party = get_party(session, treaty, state)
    act = record_act(session, treaty, party, data)
    refresh_treaty(session, treaty)
    return act


def add_treaty_with_parties(session: Session, data: TreatyCreate, states: list[str], *, sign: bool = True) -> Treaty:
    if data.parent is not None:
        get_treaty(session, data.parent)  # a link typed by hand must name a recorded treaty
    treaty = add_treaty(session, data, states=states, sign=sign)
    if data.rule:
        check_rule_states(session, treaty, data.rule)
    refresh_treaty(session, treaty)
    return treaty


def add_party_to(session: Session, slug: str, data: PartyCreate) -> Party:
    return add_parties_to(session, slug, [data])[0]


def add_parties_to(session: Session, slug: str, parties: Sequence[PartyCreate]) -> list[Party]:
    """Add several parties in one transaction: all of them, or none if one is refused."""
    treaty = get_treaty(session, slug)
    added = [add_party(session, treaty, data) for data in parties]
    refresh_treaty(session, treaty)
    return added
