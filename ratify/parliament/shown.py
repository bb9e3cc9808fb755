"""Where each step a parliament's record gave was imported from, and when: for `treaty show`."""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, col, select

from ratify.dates import given_date
from ratify.parliament import congress, ukparliament
from ratify.store.models import Event, Party, Stage, Treaty

#: How the sources of imported steps begin, one per parliament's importer.
SOURCES = (congress.SOURCE, ukparliament.SOURCE)


def imported_lines(session: Session, treaty: Treaty) -> list[str]:
    """One line per imported step: "USA senate passed 2022-08-03 (e2) from SOURCE, recorded AT by WHO"."""
    rows = session.exec(
        select(Event, Party.state, Stage.key)
        .join(Party, col(Party.id) == col(Event.party_id))
        .join(Stage, col(Stage.id) == col(Event.stage_id))
        .where(Party.treaty_id == treaty.id, or_(*(col(Event.source).startswith(f"{s},") for s in SOURCES)))
        .order_by(col(Party.state), col(Event.date), col(Event.id))
    )
    return [
        f"{state} {key} {event.status} {given_date(event)} (e{event.id}) from {event.source}, "
        f"recorded {event.recorded_at.isoformat(timespec='seconds')} by {event.recorded_by}"
        for event, state, key in rows
    ]
