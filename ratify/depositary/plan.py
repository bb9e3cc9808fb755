"""What importing a status page would change: every difference from the record, each a `Change`.

Only the international side a depositary publishes is compared: signatures, instruments
of consent, provisional application, withdrawal, and its notes on a row. Domestic stages,
votes and a user's own notes are never read here, so an import can never touch them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from ratify.countries import fold_text, resolve_country
from ratify.dates import given_date, given_signature
from ratify.depositary.endings import ending
from ratify.depositary.page import Participant, StatusPage
from ratify.errors import NotFound, SourceError
from ratify.rules.spec import WithdrawalRule
from ratify.store.models import Act, Event, Party, Stage, Treaty
from ratify.vocab import ActKind, ConsentType, DatePrecision, EventStatus, ProcedurePath, StageKind


@dataclass(frozen=True)
class Change:
    """One difference between the page and the record; `applied` is False where it is only reported."""

    state: str
    name: str
    what: str  # "new participant", "signature", "instrument", "consent", "provisional application", ...
    old: str | None
    new: str | None
    applied: bool = True
    fact: str | None = None  # the recorded fact a correction replaces (e17, a3)


@dataclass
class Recorded:
    """A party's international facts as recorded, with the ids a correction needs."""

    party: Party
    instrument: Event | None = None
    acts: dict[ActKind, Act] = field(default_factory=dict)


@dataclass
class Plan:
    page: StatusPage
    slug: str
    treaty: Treaty | None  # None: the import records a new treaty
    codes: dict[str, str]  # participant name -> state code
    changes: list[Change]

    @property
    def applied(self) -> list[Change]:
        return [change for change in self.changes if change.applied]

    def count(self, what: str) -> int:
        return sum(1 for change in self.applied if change.what == what)


def resolve_names(page: StatusPage, origin: str) -> dict[str, str]:
    """Every participant's code; all or nothing: one unknown name stops the import and every one is listed."""
    codes: dict[str, str] = {}
    unknown: list[str] = []
    for participant in page.participants:
        try:
            codes[participant.name] = resolve_country(participant.name).code
        except NotFound:
            unknown.append(participant.name)
    if unknown:
        raise SourceError(
            f"{origin}: {len(unknown)} participant name(s) ratify cannot resolve: "
            + ", ".join(repr(name) for name in unknown),
            "nothing was written; report the names so they can be added",
        )
    seen: dict[str, str] = {}
    for name, code in codes.items():
        if code in seen:
            raise SourceError(f"{origin}: {seen[code]!r} and {name!r} both name {code}", "nothing was written")
        seen[code] = name
    return codes


def slug_for(page: StatusPage) -> str:
    """A slug from the title's first words and the year of adoption: "arms-trade-treaty-2013"."""
    words = re.findall(r"[a-z0-9]+", page.title.lower())
    stem = "-".join(words)[:60].strip("-") or page.identifier.lower()
    return f"{stem}-{page.adopted.year}" if page.adopted else stem


def find_treaty(session: Session, page: StatusPage, slug: str | None, origin: str = "the page") -> Treaty | None:
    """The treaty a page refreshes: the one named, else the one carrying the page's identifier, else the one
    recorded without identifiers (from a fixture or by hand) under the page's title and date of adoption."""
    if slug is not None:
        return session.exec(select(Treaty).where(Treaty.slug == slug)).first()
    query = select(Treaty).where(Treaty.depositary == page.depositary, Treaty.depositary_id == page.identifier)
    found = session.exec(query).first()
    if found is not None or page.adopted is None:
        return found
    wanted = _folded(page.title)
    same = [
        treaty
        for treaty in session.exec(
            select(Treaty).where(col(Treaty.depositary_id).is_(None), Treaty.signed_on == page.adopted)
        )
        if _folded(treaty.title) == wanted
    ]
    if len(same) > 1:
        slugs = ", ".join(sorted(t.slug for t in same))
        raise SourceError(
            f"{origin}: {len(same)} treaties are recorded as {page.title!r} of {page.adopted}: {slugs}",
            "nothing was written; pass --treaty SLUG to say which one this page refreshes",
        )
    return same[0] if same else None


def _folded(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold_text(title)))


def plan_import(session: Session, page: StatusPage, *, slug: str | None, origin: str) -> Plan:
    codes = resolve_names(page, origin)
    treaty = find_treaty(session, page, slug, origin)
    target = treaty.slug if treaty is not None else (slug or slug_for(page))
    if treaty is None:
        taken = session.exec(select(Treaty.slug).where(Treaty.slug == target)).first()
        if taken is not None:
            raise SourceError(
                f"{origin}: {target} is already recorded, without {page.identifier} as its depositary identifier",
                f"pass --treaty {target} to refresh it from this page, or --treaty NEW-SLUG to record another",
            )
        changes = [_new_participant(codes[p.name], p) for p in page.participants]
        return Plan(page, target, None, codes, changes)
    if treaty.depositary_id not in (None, page.identifier):
        raise SourceError(
            f"{origin}: the page is {page.identifier} but {treaty.slug} is {treaty.depositary_id}",
            "import it under another --treaty, or check the page",
        )
    recorded = _recorded(session, treaty)
    changes = _header_changes(treaty, page)
    for participant in page.participants:
        code = codes[participant.name]
        if code in recorded:
            changes += _differences(code, participant, recorded[code], page.as_at, withdrawal_rule(treaty))
        else:
            changes.append(_new_participant(code, participant))
    on_page = set(codes.values())
    for code, facts in sorted(recorded.items()):
        if code not in on_page:
            changes.append(Change(code, facts.party.name, "not on the page", "recorded", None, applied=False))
    return Plan(page, target, treaty, codes, changes)


def withdrawal_rule(treaty: Treaty | None) -> WithdrawalRule | None:
    """The treaty's own withdrawal rule, where one is recorded."""
    return WithdrawalRule.model_validate(treaty.withdrawal) if treaty is not None and treaty.withdrawal else None


def _new_participant(code: str, participant: Participant) -> Change:
    return Change(code, participant.name, "new participant", None, describe(participant))


def describe(participant: Participant) -> str:
    """A row in words: "signed 2013-06-03; ratification 2014-03-19"."""
    parts = []
    if participant.signed:
        parts.append(
            f"{'succeeded to the signature' if participant.signed_by_succession else 'signed'} {participant.signed}"
        )
    if participant.consented and participant.consent:
        parts.append(f"{participant.consent.value.replace('_', ' ')} {participant.consented}")
    if participant.provisional:
        parts.append(f"provisional application {participant.provisional}")
    if participant.withdrawn:
        parts.append(f"withdrawal {participant.withdrawn}")
    if participant.ended:
        effect = participant.withdrawal_effective
        parts.append(f"participation ended{f' {effect}' if effect else ''} (in square brackets)")
    return "; ".join(parts) or "listed without a date"


def _header_changes(treaty: Treaty, page: StatusPage) -> list[Change]:
    changes = []
    wanted = (
        ("status as at", treaty.depositary_as_at, page.as_at),
        ("entry into force", treaty.depositary_in_force, page.in_force),
    )
    for what, old, new in wanted:
        if new is not None and old != new:
            changes.append(Change("", treaty.slug, what, _text(old), _text(new)))
    published = treaty.published_in_force_on
    if page.in_force_on is not None and published != page.in_force_on:
        # A date the user recorded from another source is theirs: the page's is reported beside it, never written.
        ours = published is None or (treaty.published_in_force_source or "").startswith(page.label)
        changes.append(Change("", treaty.slug, PUBLISHED, _text(published), _text(page.in_force_on), applied=ours))
    return changes


#: The change that records the page's entry into force as the treaty's published one.
PUBLISHED = "published entry into force"


def _differences(
    code: str, participant: Participant, facts: Recorded, as_at: date, withdrawal: WithdrawalRule | None
) -> list[Change]:
    party, name = facts.party, participant.name
    changes = []

    def compare(what: str, old: date | str | None, new: date | str | None, fact: str | None = None) -> None:
        if old == new and str(old) == str(new):  # a date known only to the month differs from the exact day
            return
        # What the page no longer shows is reported, never removed.
        changes.append(Change(code, name, what, _text(old), _text(new), applied=new is not None, fact=fact))

    compare("signature", given_signature(party), participant.signed)
    instrument = facts.instrument
    if instrument is None:
        compare("instrument", None, participant.consented)
    else:
        compare("instrument", given_date(instrument), participant.consented, f"e{instrument.id}")
        if participant.consent and instrument.consent != participant.consent:
            compare("consent", _consent(instrument.consent), _consent(participant.consent), f"e{instrument.id}")
    end = ending(participant, as_at, withdrawal)
    recorded_end = facts.acts.get(ActKind.WITHDRAWAL)
    if end is not None and recorded_end is not None and recorded_end.date_precision == DatePrecision.BY:
        if getattr(end.notice, "precision", None) == DatePrecision.BY:
            end = None  # still unknown: the "on or before" recorded from an earlier page stands
    for kind, what, new in (
        (ActKind.PROVISIONAL_APPLICATION, "provisional application", participant.provisional),
        (ActKind.WITHDRAWAL, "withdrawal", end.notice if end else None),
        (
            ActKind.SIGNATURE_BY_SUCCESSION,
            "signature by succession",
            participant.signed if participant.signed_by_succession else None,
        ),
    ):
        act = facts.acts.get(kind)
        if kind == ActKind.WITHDRAWAL and end is None and act is not None and participant.ended:
            continue
        compare(what, given_date(act) if act else None, new, f"a{act.id}" if act else None)
    note = "\n".join(participant.notes) or None
    if note != party.depositary_note:
        changes.append(Change(code, name, "depositary note", party.depositary_note, note))
    return changes


def _consent(consent: ConsentType | str | None) -> str | None:
    return ConsentType(consent).value.replace("_", " ") if consent else None


def _text(value: date | str | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def _recorded(session: Session, treaty: Treaty) -> dict[str, Recorded]:
    """Each party's latest instrument of consent and its acts, in three queries."""
    parties = {p.id: Recorded(p) for p in session.exec(select(Party).where(Party.treaty_id == treaty.id))}
    instruments = session.exec(
        select(Event)
        .join(Stage, col(Stage.id) == col(Event.stage_id))
        .join(Party, col(Party.id) == col(Event.party_id))
        .where(
            Party.treaty_id == treaty.id,
            Stage.kind == StageKind.INSTRUMENT,
            Event.status == EventStatus.PASSED,
            Event.path == ProcedurePath.RATIFICATION,
        )
        .order_by(col(Event.date))
    )
    for event in instruments:
        parties[event.party_id].instrument = event  # the latest: a party that rejoined consented again
    kinds = (ActKind.PROVISIONAL_APPLICATION, ActKind.WITHDRAWAL, ActKind.SIGNATURE_BY_SUCCESSION)
    acts = session.exec(
        select(Act)
        .join(Party, col(Party.id) == col(Act.party_id))
        .where(Party.treaty_id == treaty.id, col(Act.kind).in_(kinds))
        .order_by(col(Act.date))
    )
    for act in acts:
        parties[act.party_id].acts[ActKind(act.kind)] = act
    return {facts.party.state: facts for facts in parties.values()}
