"""Keeping every version: a fact about to change or go is first copied whole into `Revision`.

A correction, a retraction, an edit and a removal all pass through here, so
no fact is overwritten or deleted without its earlier version, who replaced
it, when and why.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import func, text
from sqlmodel import Session, select

from ratify.errors import InvalidInput, NotFound
from ratify.limits import NOTE_LIMIT
from ratify.record.provenance import now, recorder
from ratify.store.entries import act_entry, event_entry, fact_id, party_entry, treaty_entry
from ratify.store.models import Act, Event, Party, Revision, Stage, Treaty
from ratify.strict import check_text
from ratify.vocab import RevisionAction

_FACT_ID = re.compile(r"^([tpea])([1-9][0-9]{0,17})$")
TABLES: dict[str, Any] = {"t": Treaty, "p": Party, "e": Event, "a": Act}


def parse_fact_id(text_id: str) -> tuple[str, int]:
    """'e17' -> ('e', 17); anything else is refused with a hint."""
    match = _FACT_ID.match(text_id.strip().lower())
    if match is None:
        raise InvalidInput(
            f"id: {text_id!r} is not a fact id",
            "use an id from 'ratify history', such as e17 (an event) or a3 (an act)",
        )
    return match.group(1), int(match.group(2))


def find_fact(session: Session, text_id: str, *, letters: str = "tpea") -> Any:
    """The live row a fact id names; a retracted or removed fact says when and why it went."""
    letter, number = parse_fact_id(text_id)
    if letter not in letters:
        noun, command = (
            ("treaty", "ratify treaty edit SLUG") if letter == "t" else ("party", "ratify party edit SLUG STATE")
        )
        raise InvalidInput(f"id: {text_id} names a {noun}, not an event or act", f"use '{command}' for its attributes")
    record = session.get(TABLES[letter], number)
    if record is not None:
        return record
    gone = session.exec(
        select(Revision)
        .where(Revision.fact == f"{letter}{number}", Revision.action != RevisionAction.CORRECTED)
        .order_by(Revision.superseded_at.desc())  # type: ignore[attr-defined]
    ).first()
    if gone is not None:
        raise InvalidInput(
            f"id: {letter}{number} was {gone.action} on {gone.superseded_at:%Y-%m-%d} by {gone.superseded_by} "
            f"({gone.reason})",
            "see 'ratify history SLUG --all'; record it anew if it was right after all",
        )
    raise NotFound(f"id: no fact {letter}{number}", "see the ids in 'ratify history SLUG'")


def entry_of(session: Session, record: Any) -> dict[str, Any]:
    """A live row in the fixture format."""
    if isinstance(record, Event):
        stage = session.get(Stage, record.stage_id)
        assert stage is not None
        return event_entry(record, stage.key)
    if isinstance(record, Act):
        return act_entry(record)
    if isinstance(record, Party):
        return party_entry(record)
    return treaty_entry(record)


def keep_version(
    session: Session,
    record: Any,
    *,
    treaty: Treaty,
    party: str | None,
    action: RevisionAction,
    reason: str,
    moment: datetime,
) -> Revision:
    """Copy a fact's current version into Revision before it is replaced or deleted at `moment`."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("reason: say why the record changes", "give --reason TEXT")
    try:
        check_text(reason)
    except ValueError as problem:
        raise InvalidInput(f"reason: {problem}") from None
    if len(reason) > NOTE_LIMIT:
        raise InvalidInput(f"reason: at most {NOTE_LIMIT} characters", "shorten it")
    revision = Revision(
        fact=fact_id(record),
        treaty_id=row_id(treaty),
        treaty=treaty.slug,
        party=party,
        action=action,
        row=entry_of(session, record),
        recorded_at=record.recorded_at,
        recorded_by=record.recorded_by,
        superseded_at=moment,
        superseded_by=recorder(),
        reason=reason,
    )
    session.add(revision)
    return revision


def replace(
    session: Session,
    record: Any,
    values: dict[str, Any],
    *,
    treaty: Treaty,
    party: str | None,
    reason: str,
    moment: datetime,
) -> None:
    """Keep a fact's current version, then give it `values` as a new version recorded at `moment`."""
    keep_version(
        session, record, treaty=treaty, party=party, action=RevisionAction.CORRECTED, reason=reason, moment=moment
    )
    for column, value in values.items():
        setattr(record, column, value)
    stamp(record, moment)
    session.add(record)


def row_id(record: Any) -> int:
    assert record.id is not None, "a stored row has an id"
    return int(record.id)


def stamp(record: Any, moment: datetime) -> None:
    """The new version is recorded now, by whoever is recording."""
    record.recorded_at = moment
    record.recorded_by = recorder()


def moment_now() -> datetime:
    """One instant for a whole change: the old version ends when the new one begins."""
    return now()


def reserve_ids(session: Session) -> None:
    """Make sure new rows never take an id that a kept version still names.

    A load may bring facts whose ids are known only from their kept versions
    (retracted or removed before the export); the id counters must pass them.
    """
    highest: dict[str, int] = {}
    for fact in session.exec(select(Revision.fact)):
        letter, number = fact[0], int(fact[1:])
        highest[letter] = max(highest.get(letter, 0), number)
    dialect = session.get_bind().dialect.name
    for letter, number in highest.items():
        table = TABLES[letter].__tablename__
        live = session.exec(select(func.max(TABLES[letter].id))).one() or 0
        target = max(number, live)
        params = {"n": target, "t": table}
        if dialect == "sqlite":
            present = session.execute(text("SELECT 1 FROM sqlite_sequence WHERE name = :t"), params).first()
            statement = (
                "UPDATE sqlite_sequence SET seq = max(seq, :n) WHERE name = :t"
                if present
                else "INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :n)"
            )
            session.execute(text(statement), params)
        elif dialect == "postgresql":
            session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), :n)"), params)
