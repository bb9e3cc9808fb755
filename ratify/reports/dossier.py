"""Per-treaty views: the list, one treaty with its rule, the depositary chart, the history."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from ratify.dates import as_given, given_date, given_signature, precision_of, published_date, to_day
from ratify.errors import NotFound
from ratify.reports.effect import differences, published_effect
from ratify.reports.participation import Participation, participation
from ratify.reports.rows import Filters, precision_keys, status_rows
from ratify.reports.summary import evaluate_rows
from ratify.rules.entry_into_force import Evaluation
from ratify.store.lookup import get_treaty
from ratify.store.models import Act, Event, Party, Revision, Stage, Treaty
from ratify.vocab import TEXT_KINDS, ActKind, ConsentType, EventStatus, TreatyRelation

TREATY_FIELDS = (
    "treaty",
    "kind",
    "signed",
    "place",
    "title",
    "parties",
    "rule_met_on",
    "in_force_on",
    "signatories",
    "participants",
    "relation",
    "parent",
)


def treaty_rows(session: Session, as_of: date, *, today: date, search: str | None = None) -> Iterator[dict[str, Any]]:
    """One row per treaty with its signatories, parties and entry into force, in two queries.

    `search` keeps the treaties whose slug, title, place or depositary identifiers (MTDSG number,
    UNTS registration, CETS number) hold every one of its words (any case).
    """
    query: Any = select(
        col(Treaty.slug),
        col(Treaty.kind),
        col(Treaty.signed_on),
        col(Treaty.signed_precision),
        col(Treaty.place),
        col(Treaty.title),
        col(Treaty.rule_met_on),
        col(Treaty.rule_met_precision),
        col(Treaty.in_force_on),
        col(Treaty.relation),
        col(Treaty.parent),
    ).order_by(col(Treaty.slug))
    if as_of < today:  # a look back leaves out the treaties not yet signed then
        query = query.where(or_(col(Treaty.signed_on).is_(None), col(Treaty.signed_on) <= as_of))
    for word in (search or "").split():
        pattern = f"%{word.lower()}%"
        fields = (
            col(Treaty.slug),
            col(Treaty.title),
            col(Treaty.place),
            col(Treaty.depositary_id),
            col(Treaty.registration),
        )
        query = query.where(or_(*(func.lower(field).like(pattern) for field in fields)))
    treaties = list(session.execute(query))
    scope = Filters(slugs=tuple(row.slug for row in treaties)) if search else Filters()
    # Counted a treaty at a time as the rows stream by (they come ordered by treaty): only the counts are kept.
    counted: dict[str, Participation] = {}
    if treaties:
        for slug, rows in itertools.groupby(status_rows(session, scope, as_of, today=today), key=itemgetter("treaty")):
            counted[slug] = participation(rows)
    for row in treaties:
        counts = counted.get(row.slug) or participation(())
        signed, met_on = given_signature(row), _known(as_given(row.rule_met_on, row.rule_met_precision), as_of)
        yield {
            "treaty": row.slug,
            "kind": row.kind,
            "signed": _iso(signed),
            "place": row.place,
            "title": row.title,
            "parties": counts.parties,
            "rule_met_on": _iso(met_on),
            "in_force_on": _iso(_known(row.in_force_on, as_of)),
            "signatories": counts.signatories,
            "participants": counts.participants,
            "relation": row.relation,
            "parent": row.parent,
            # As status rows carry theirs: JSON prints each beside its date, tables leave it out.
            **precision_keys(signed=signed, rule_met_on=met_on),
        }


@dataclass(frozen=True)
class TreatyView:
    treaty: Treaty
    evaluation: Evaluation | None
    as_of: date
    rows: list[dict[str, Any]]
    family: list[tuple[str, list[str]]] = field(default_factory=list)  # ("extended by", [slugs]), ...

    @property
    def entry_into_force(self) -> str:
        """Whether the rule is met, when, and the entry into force or what is missing; a published date beside it."""
        from ratify.rules.treaty import treaty_in_force
        from ratify.vocab import EffectBasis

        published = self.treaty.published_in_force_on
        day, basis = treaty_in_force(self.evaluation, published, self.as_of)
        if basis == EffectBasis.PUBLISHED and day is not None:
            evaluation = self.evaluation
            if evaluation is None:
                why = "no entry-into-force rule is recorded to compute it"
            elif evaluation.met_on is None:
                why = f"the instruments recorded do not meet the rule: {evaluation.missing}"
            else:
                why = (
                    f"the rule, met in {evaluation.met_on} by instruments known only to the month or year, "
                    f"says only 'by {evaluation.in_force_on}'"
                )
            return f"in force since {day} as published; {why}"
        words = self._computed()
        if published is not None and published <= self.as_of:
            if basis == EffectBasis.COMPUTED and day != published:
                return f"{words}; published {published}, which differs ({self.treaty.published_in_force_source})"
            if basis == EffectBasis.COMPUTED:
                return f"{words}, as published"
        return words

    def _computed(self) -> str:
        evaluation = self.evaluation
        if evaluation is None:
            return "no entry-into-force rule recorded (ratify treaty rule SLUG ...)"
        if evaluation.met_on is None:
            return f"not met as of {self.as_of}: {evaluation.missing}"
        when = evaluation.in_force_on
        # Met by an instrument known only to the month or year: when it was met is as precise as that,
        # and the entry into force computed from its last day is the latest it can have been.
        met = f"met in {evaluation.met_on}" if precision_of(evaluation.met_on) else f"met on {evaluation.met_on}"
        by = "by" if precision_of(evaluation.met_on) else "on"
        if when and when > self.as_of:
            return f"{met}; enters into force {by} {when} (projected)"
        return f"{met}; in force {'by' if precision_of(evaluation.met_on) else 'since'} {when}"


def treaty_view(
    session: Session, slug: str, as_of: date, *, today: date, known_on: datetime | None = None
) -> TreatyView:
    """A treaty with its status rows and its rule's evaluation, computed from those rows as `report` does."""
    treaty = get_treaty(session, slug)
    if known_on is not None:
        from ratify.reports.known import known_treaty

        known = known_treaty(session, slug, known_on)
        if known is None:
            raise NotFound(f"treaty: {slug} was not recorded yet at {known_on.isoformat()}", "give a later --known-on")
        treaty = known
    rows = list(status_rows(session, Filters(slug=slug), as_of, today=today, known_on=known_on))
    return TreatyView(treaty, evaluate_rows(session, treaty, rows, as_of), as_of, rows, family(session, treaty))


def family(session: Session, treaty: Treaty) -> list[tuple[str, list[str]]]:
    """The treaty's links both ways: what it belongs to, and its protocols, amendments and extensions."""
    links: list[tuple[str, list[str]]] = []
    if treaty.relation and treaty.parent:
        links.append((TreatyRelation(treaty.relation).of, [treaty.parent]))
    children: dict[TreatyRelation, list[str]] = {}
    query = select(col(Treaty.relation), col(Treaty.slug)).where(col(Treaty.parent) == treaty.slug)
    for relation, child in session.execute(query.order_by(col(Treaty.signed_on), col(Treaty.slug))):
        children.setdefault(TreatyRelation(relation), []).append(child)
    links += [(relation.by, slugs) for relation, slugs in children.items()]
    return links


CHART_FIELDS = ("participant", "signature", "ratified", "consent", "in_force", "notes", "in_force_published")


@dataclass(frozen=True)
class Chart:
    rows: list[dict[str, Any]]
    signatories: int
    parties: int
    signed_not_ratified: int

    @property
    def totals(self) -> str:
        return (
            f"Signatories: {self.signatories}. Parties: {self.parties}. "
            f"Signatures not followed by ratification: {self.signed_not_ratified}."
        )


def chart(session: Session, slug: str, as_of: date, *, today: date) -> Chart:
    """The depositary's view: one row per participant, by name, as the UN and the Council of Europe print it.

    `consent` is the date of deposit followed by its type's mark (a accession,
    A acceptance, AA approval, d succession, s definitive signature); `ratified`
    is the domestic act, where recorded.
    """
    view = treaty_view(session, slug, as_of, today=today)
    acts = _acts(session, view.treaty, as_of)
    ratified = _ratifying_dates(session, view.treaty, as_of)
    published = published_effect(session, view.treaty, as_of)
    differing = {d.party: d for d in differences(view.rows, published)}
    rows = []
    for status in view.rows:
        code = status["party"]
        consent = ""
        if status["deposited_on"]:
            mark = ConsentType(status["consent"] or "ratification").mark
            consent = status["deposited_on"] + (f" {mark}" if mark else "")
        notes = [_note(act) for act in acts.get(code, [])]
        signature = status["signed"]
        if signature and any(act.kind == ActKind.SIGNATURE_BY_SUCCESSION for act in acts.get(code, [])):
            signature += " d"  # as the UN Treaty Collection marks a succession to signature
        if code in differing:
            notes.append(f"depositary's date of effect {differing[code].published.isoformat()} differs")
        rows.append(
            {
                "participant": status["party_name"],
                "signature": signature,
                "ratified": ratified.get(code),
                "consent": consent or None,
                "in_force": status["in_force_on"],
                "notes": "; ".join(notes) or None,
                "in_force_published": _iso(published.get(code)),
            }
        )
    rows.sort(key=lambda row: row["participant"])
    counts = participation(view.rows)
    unratified = sum(1 for r in view.rows if r["signed"] and not r["deposited_on"])
    return Chart(rows, counts.signatories, counts.parties, unratified)


def _acts(session: Session, treaty: Treaty, as_of: date) -> dict[str, list[Act]]:
    query = (
        select(col(Party.state), Act)
        .join(Party, col(Party.id) == col(Act.party_id))
        .where(col(Party.treaty_id) == treaty.id, col(Act.date) <= as_of)
        .order_by(col(Act.date), col(Act.id))
    )
    grouped: dict[str, list[Act]] = {}
    for state, act in session.execute(query):
        grouped.setdefault(state, []).append(act)
    return grouped


def _ratifying_dates(session: Session, treaty: Treaty, as_of: date) -> dict[str, str]:
    """The date each party's domestic procedure completed (its assent or decree), if recorded, as written."""
    query = (
        select(col(Party.state), col(Event.date), col(Event.date_precision))
        .join(Event, col(Event.party_id) == col(Party.id))
        .join(Stage, col(Stage.id) == col(Event.stage_id))
        .where(col(Party.treaty_id) == treaty.id, col(Event.date) <= as_of, col(Event.status) == "passed")
        .where(col(Stage.kind).in_(["assent", "decree"]))
        .order_by(col(Party.state), col(Event.date), col(Event.id))
    )
    # The latest per party: ordered by date, each later row replaces the one before.
    return {state: as_given(day, precision).isoformat() for state, day, precision in session.execute(query)}


_NOTE_WORDS = {
    ActKind.WITHDRAWAL: "withdrawal notified",
    ActKind.CONSENT_WITHDRAWN: "consent withdrawn (remains a signatory)",
    ActKind.SUSPENSION: "suspended",
    ActKind.SUSPENSION_END: "suspension ended",
    ActKind.PROVISIONAL_APPLICATION: "provisional application",
    ActKind.PROVISIONAL_APPLICATION_END: "provisional application ended",
    ActKind.WITHDRAWAL_REVOKED: "notice of withdrawal revoked",
    ActKind.DATED_EVENT: "event",
}


def _note(act: Act) -> str:
    kind = ActKind(act.kind)
    words = _NOTE_WORDS.get(kind, kind.value.replace("_", " "))
    text = f"{words} {given_date(act).isoformat()}"
    if act.effective_on:
        text += f", effective {act.effective_on.isoformat()}"
    if act.against:
        text += f", against {act.against}"
    if kind in TEXT_KINDS and act.text:
        text += f": {act.text}"
    return text


HISTORY_FIELDS = (
    "id",
    "date",
    "party",
    "stage",
    "kind",
    "body",
    "status",
    "reading",
    "yes",
    "no",
    "abstain",
    "not_voting",
    "absent",
    "seats",
    "unanimous",
    "consent",
    "effective",
    "against",
    "text",
    "source",
    "note",
    "out_of_order",
    "by",
    "recorded_at",
    "recorded_by",
    "version",
    "superseded_at",
    "superseded_by",
    "action",
    "reason",
    "present",
    "readings",
    "until",
    "round",
)


def history_rows(
    session: Session,
    slug: str,
    party: str | None = None,
    *,
    all_versions: bool = False,
    as_of: date | None = None,
) -> Iterable[dict[str, Any]]:
    """Every recorded event and act of a treaty, in the order it happened.

    With `all_versions`, every version a correction, retraction, edit or
    removal replaced comes too, numbered, with who replaced it, when and why;
    a removed treaty's history is still there. With `as_of`, only what is
    dated on or before that day (a month or a year alone counts as its last day, as everywhere).
    """
    rows = _history_rows(session, slug, party, all_versions=all_versions)
    if as_of is None:
        return rows
    return (row for row in rows if row["date"] is None or to_day(row["date"]) <= as_of)


def _history_rows(session: Session, slug: str, party: str | None, *, all_versions: bool) -> Iterable[dict[str, Any]]:
    kept = list(
        session.scalars(
            select(Revision).where(col(Revision.treaty) == slug).order_by(col(Revision.superseded_at), col(Revision.id))
        )
    )
    if not (all_versions and kept):
        get_treaty(session, slug)
    rows = histories(session, [slug], party)
    if not all_versions:
        return rows
    return versions(rows, [r for r in kept if party is None or r.party == party])


def versions(current: Iterable[dict[str, Any]], kept: list[Revision]) -> list[dict[str, Any]]:
    """Current rows and kept versions together, each fact's versions numbered from 1."""
    by_fact: dict[str, list[Revision]] = {}
    for revision in kept:
        by_fact.setdefault(revision.fact, []).append(revision)
    rows = []
    for row in current:
        row["version"] = len(by_fact.get(row["id"], [])) + 1
        rows.append(row)
    for fact, revisions in by_fact.items():
        for number, revision in enumerate(revisions, start=1):
            rows.append(_revision_row(fact, number, revision))
    # Versions of one fact stay together, where its latest version falls in time.
    latest: dict[str, tuple[int, str]] = {}
    for row in rows:
        latest[row["id"]] = max(latest.get(row["id"], (0, "")), (row["version"], row["date"] or ""))
    rows.sort(key=lambda r: (latest[r["id"]][1], r["id"][0], int(r["id"][1:]), r["version"]))
    return rows


def _revision_row(fact: str, number: int, revision: Revision) -> dict[str, Any]:
    entry = revision.row
    row = _blank()
    vote = entry.get("vote") or {}
    kind = {"p": "party", "t": "treaty"}.get(fact[0], entry.get("kind"))
    row.update(
        id=fact,
        date=entry.get("date") or entry.get("signed"),
        party=revision.party,
        stage=entry.get("stage"),
        kind=kind,
        status=entry.get("status"),
        reading=entry.get("reading"),
        readings=entry.get("readings"),
        round=entry.get("round"),
        **{field: vote.get(field) for field in ("yes", "no", "abstain", "not_voting", "absent", "seats", "present")},
        unanimous=bool(vote.get("unanimous")),
        consent=entry.get("consent"),
        effective=entry.get("effective"),
        by=entry.get("by"),
        until=entry.get("until"),
        against=entry.get("against"),
        text=entry.get("text") or entry.get("title"),
        source=entry.get("source"),
        note=entry.get("note"),
        out_of_order=bool(entry.get("allow_out_of_order")),
        recorded_at=_seconds(revision.recorded_at),
        recorded_by=revision.recorded_by,
        version=number,
        superseded_at=_seconds(revision.superseded_at),
        superseded_by=revision.superseded_by,
        action=revision.action,
        reason=revision.reason,
    )
    return row


def _seconds(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def histories(session: Session, slugs: list[str] | None, party: str | None = None) -> Iterable[dict[str, Any]]:
    """Events and acts of several treaties (all when None), by date; each row names its treaty. Two queries."""
    events = (
        select(col(Treaty.slug), col(Party.state), col(Stage.key), col(Stage.kind), col(Stage.body), Event)
        .join(Party, col(Party.id) == col(Event.party_id))
        .join(Treaty, col(Treaty.id) == col(Party.treaty_id))
        .join(Stage, col(Stage.id) == col(Event.stage_id))
        .order_by(col(Event.date), col(Event.id))
    )
    acts = (
        select(col(Treaty.slug), col(Party.state), Act)
        .join(Party, col(Party.id) == col(Act.party_id))
        .join(Treaty, col(Treaty.id) == col(Party.treaty_id))
        .order_by(col(Act.date), col(Act.id))
    )
    if slugs is not None:
        events, acts = events.where(col(Treaty.slug).in_(slugs)), acts.where(col(Treaty.slug).in_(slugs))
    if party:
        events, acts = events.where(col(Party.state) == party), acts.where(col(Party.state) == party)
    event_rows = ({"treaty": slug, **_event_row(*rest)} for slug, *rest in session.execute(events))
    act_rows = ({"treaty": slug, **_act_row(*rest)} for slug, *rest in session.execute(acts).all())
    return heapq.merge(event_rows, act_rows, key=lambda row: to_day(row["date"]))


def _blank() -> dict[str, Any]:
    return dict.fromkeys(HISTORY_FIELDS)


def _event_row(state: str, key: str, kind: str, body: str, event: Event) -> dict[str, Any]:
    row = _blank()
    row.update(
        id=f"e{event.id}",
        date=given_date(event).isoformat(),
        party=state,
        stage=key,
        kind=kind,
        body=body,
        status=event.status,
        reading=event.reading,
        readings=event.readings,
        round=event.round,
        yes=event.yes,
        no=event.no,
        abstain=event.abstain,
        not_voting=event.not_voting,
        absent=event.absent,
        seats=event.seats,
        present=event.present,
        unanimous=event.unanimous,
        consent=event.consent,
        effective=_iso(event.effective_on),
        by=None if event.status == EventStatus.LAID else _iso(event.due_on),
        until=_iso(event.due_on) if event.status == EventStatus.LAID else None,
        source=event.source,
        note=event.note,
        out_of_order=event.out_of_order,
        recorded_at=event.recorded_at.isoformat(timespec="seconds"),
        recorded_by=event.recorded_by,
        **precision_keys(date=given_date(event)),
    )
    return row


def _act_row(state: str, act: Act) -> dict[str, Any]:
    row = _blank()
    row.update(
        id=f"a{act.id}",
        date=given_date(act).isoformat(),
        party=state,
        kind=act.kind,
        effective=_iso(act.effective_on),
        against=act.against,
        text=act.text,
        source=act.source,
        note=act.note,
        unanimous=False,
        out_of_order=False,
        recorded_at=act.recorded_at.isoformat(timespec="seconds"),
        recorded_by=act.recorded_by,
        **precision_keys(date=given_date(act)),
    )
    return row


def _known(day: date | None, as_of: date) -> date | None:
    return day if day is not None and day <= as_of else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def depositary_lines(record: Treaty) -> list[tuple[str, str]]:
    """Where the depositary publishes the treaty's status, and its entry into force as published: (label, text)."""
    lines = _depositary_lines(record, record.depositary) if record.depositary else []
    if record.published_in_force_on is not None:
        text = f"{record.published_in_force_on} ({record.published_in_force_source})"
        if record.in_force_basis == "computed" and record.in_force_on != record.published_in_force_on:
            text += f"; ratify's rule gives {record.in_force_on}: they differ"
        lines.append(("in force as published", text))
    return lines


def _depositary_lines(record: Treaty, depositary: str) -> list[tuple[str, str]]:
    from ratify.vocab import Depositary

    where = f"{Depositary(depositary).label} {record.depositary_id or ''}".rstrip()
    if record.depositary_as_at:
        where += f" (status as at {record.depositary_as_at})"
    if record.registration:
        where += f", UNTS registration {record.registration}"
    lines = [("depositary", where)]
    if record.depositary_url:
        lines.append(("page", record.depositary_url))
    if record.depositary_in_force:
        # "Not yet in force", or a clause with no date in it, is the depositary's word, not a date of entry into force.
        dated = published_date(record.depositary_in_force) is not None
        label = "published entry into force" if dated else "depositary on entry into force"
        lines.append((label, record.depositary_in_force))
    return lines
