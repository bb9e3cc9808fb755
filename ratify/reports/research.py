"""Reports for newsletters and papers: what changed since a date, how long each step took."""

from __future__ import annotations

import heapq
import statistics
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from ratify.dates import given_date, given_signature
from ratify.store.models import Act, Event, Party, Revision, Stage, Treaty
from ratify.vocab import StageKind

CHANGE_FIELDS = ("recorded_at", "recorded_by", "treaty", "party", "what", "date", "source", "id", "reason")


def changes_rows(session: Session, since: datetime) -> Iterator[dict[str, Any]]:
    """Everything recorded at or after `since`, oldest first: treaties, parties, events, acts,
    and every correction, retraction, edit and removal with its reason."""
    revisions = session.execute(
        select(Revision)
        .where(col(Revision.superseded_at) >= since)
        .order_by(col(Revision.superseded_at), col(Revision.id))
    ).scalars()
    revised = set(session.execute(select(col(Revision.fact)).where(col(Revision.superseded_at) >= since)).scalars())
    treaties = session.execute(
        select(
            col(Treaty.id),
            col(Treaty.recorded_at),
            col(Treaty.recorded_by),
            col(Treaty.slug),
            col(Treaty.title),
            col(Treaty.signed_on),
            col(Treaty.signed_precision),
        )
        .where(col(Treaty.recorded_at) >= since)
        .order_by(col(Treaty.recorded_at), col(Treaty.id))
    )
    parties = session.execute(
        select(
            col(Party.id),
            col(Party.recorded_at),
            col(Party.recorded_by),
            col(Treaty.slug),
            col(Party.state),
            col(Party.signed_on),
            col(Party.signed_precision),
        )
        .join(Treaty, col(Treaty.id) == col(Party.treaty_id))
        .where(col(Party.recorded_at) >= since)
        .order_by(col(Party.recorded_at), col(Party.id))
    )
    events = session.execute(
        select(Event, col(Treaty.slug), col(Party.state), col(Stage.key), col(Stage.body))
        .join(Party, col(Party.id) == col(Event.party_id))
        .join(Treaty, col(Treaty.id) == col(Party.treaty_id))
        .join(Stage, col(Stage.id) == col(Event.stage_id))
        .where(col(Event.recorded_at) >= since)
        .order_by(col(Event.recorded_at), col(Event.id))
    )
    acts = session.execute(
        select(Act, col(Treaty.slug), col(Party.state))
        .join(Party, col(Party.id) == col(Act.party_id))
        .join(Treaty, col(Treaty.id) == col(Party.treaty_id))
        .where(col(Act.recorded_at) >= since)
        .order_by(col(Act.recorded_at), col(Act.id))
    )

    def new(fact: str, words: str) -> str:
        return f"new version: {words}" if fact in revised else words

    streams = (
        (
            _change(
                r.recorded_at,
                r.recorded_by,
                r.slug,
                None,
                new(f"t{r.id}", f"treaty added: {r.title}"),
                given_signature(r),
                None,
                f"t{r.id}",
            )
            for r in treaties
        ),
        (
            _change(
                r.recorded_at,
                r.recorded_by,
                r.slug,
                r.state,
                new(f"p{r.id}", "party added"),
                given_signature(r),
                None,
                f"p{r.id}",
            )
            for r in parties
        ),
        (
            _change(
                e.recorded_at,
                e.recorded_by,
                slug,
                state,
                new(f"e{e.id}", _event_words(e, key, body)),
                given_date(e),
                e.source,
                f"e{e.id}",
            )
            for e, slug, state, key, body in events
        ),
        (
            _change(
                a.recorded_at,
                a.recorded_by,
                slug,
                state,
                new(f"a{a.id}", _act_words(a)),
                given_date(a),
                a.source,
                f"a{a.id}",
            )
            for a, slug, state in acts
        ),
        (
            _change(
                r.superseded_at,
                r.superseded_by,
                r.treaty,
                r.party,
                f"{r.action} {r.fact}: {r.reason}",
                r.row.get("date") or r.row.get("signed"),
                r.row.get("source"),
                r.fact,
                r.reason,
            )
            for r in revisions
        ),
    )
    return heapq.merge(*streams, key=lambda row: row["recorded_at"])


def _change(at, by, slug, party, what, day, source, fact, reason=None) -> dict[str, Any]:
    return {
        "recorded_at": at.isoformat(timespec="seconds"),
        "recorded_by": by,
        "treaty": slug,
        "party": party,
        "what": what,
        "date": day.isoformat() if hasattr(day, "isoformat") else day,
        "source": source,
        "id": fact,
        "reason": reason,
    }


def _event_words(event: Event, key: str, body: str) -> str:
    words = f"{body} ({key}) {event.status}"
    if event.reading:
        words += f", reading {event.reading}"
    if event.yes is not None or event.no is not None:
        words += f", {event.yes or 0}-{event.no or 0}"
        if event.abstain:
            words += f"-{event.abstain}"
    if event.unanimous:
        words += ", unanimous"
    if event.consent and event.consent != "ratification":
        words += f", {event.consent}"
    return words


def _act_words(act: Act) -> str:
    words = str(act.kind).replace("_", " ")
    if act.effective_on:
        words += f", effective {act.effective_on.isoformat()}"
    return words


DURATION_FIELDS_HEAD = ("treaty", "party", "signed")


def durations(
    session: Session, slugs: list[str], *, as_of: date
) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """Days from each party's signature to each kind of stage and to entry into force.

    Returns the column names, one row per (treaty, party) with a signature by `as_of`
    (counting only steps taken by then), and a summary per column (count, median, quartiles). Two queries.
    """
    firsts = (
        select(col(Event.party_id), col(Stage.kind), func.min(col(Event.date)).label("day"))
        .join(Stage, col(Stage.id) == col(Event.stage_id))
        .where(
            col(Event.status) == "passed",
            col(Event.date) <= as_of,
            (col(Event.reading).is_(None))
            | (col(Event.reading) >= func.coalesce(col(Event.readings), col(Stage.readings))),
        )
        .group_by(col(Event.party_id), col(Stage.kind))
    )
    reached: dict[int, dict[str, date]] = {}
    for party_id, kind, day in session.execute(firsts):
        reached.setdefault(party_id, {})[kind] = day
    query = (
        select(col(Party.id), col(Treaty.slug), col(Party.state), col(Party.signed_on), col(Party.in_force_on))
        .join(Treaty, col(Treaty.id) == col(Party.treaty_id))
        .where(col(Party.signed_on).is_not(None), col(Party.signed_on) <= as_of)
        .order_by(col(Treaty.slug), col(Party.state))
    )
    if slugs:
        from ratify.store.lookup import get_treaty

        for slug in slugs:
            get_treaty(session, slug)
        query = query.where(col(Treaty.slug).in_(slugs))
    kinds_seen: set[str] = set()
    rows = []
    for party_id, slug, state, signed, in_force in session.execute(query):
        row: dict[str, Any] = {"treaty": slug, "party": state, "signed": signed.isoformat()}
        for kind, day in reached.get(party_id, {}).items():
            row[kind] = (day - signed).days
            kinds_seen.add(kind)
        row["in_force"] = (in_force - signed).days if in_force and in_force <= as_of else None
        rows.append(row)
    columns = [kind.value for kind in StageKind if kind.value in kinds_seen] + ["in_force"]
    for row in rows:
        for column in columns:
            row.setdefault(column, None)
    return [*DURATION_FIELDS_HEAD, *columns], rows, _summary(columns, rows)


def _summary(columns: list[str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    summary = []
    for column in columns:
        values = sorted(row[column] for row in rows if row[column] is not None)
        if not values:
            continue
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
        summary.append(
            {
                "step": column,
                "parties": len(values),
                "median": median,
                "q1": q1,
                "q3": q3,
                "min": values[0],
                "max": values[-1],
            }
        )
    return summary
