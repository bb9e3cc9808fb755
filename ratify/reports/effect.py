"""Dates of effect the depositary published, set beside the dates ratify computes.

Neither is silently preferred: where they differ, the views that show a
party's entry into force flag it, and the reader decides which is wrong (the
recorded deposit, the rule, or the published date).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from ratify.store.models import Event, Party, Stage, Treaty


def published_effect(session: Session, treaty: Treaty, as_of: date) -> dict[str, date]:
    """Each party's published date of effect, from its latest passed instrument event by `as_of`."""
    query = (
        select(col(Party.state), col(Event.effective_on))
        .join(Event, col(Event.party_id) == col(Party.id))
        .join(Stage, col(Stage.id) == col(Event.stage_id))
        .where(col(Party.treaty_id) == treaty.id, col(Event.date) <= as_of, col(Event.status) == "passed")
        .where(col(Stage.kind) == "instrument", col(Event.effective_on).is_not(None))
        .order_by(col(Event.date), col(Event.id))
    )
    return {state: day for state, day in session.execute(query)}


@dataclass(frozen=True)
class Difference:
    party: str
    published: date
    computed: str | None  # ISO date, or None where ratify computes no entry into force

    @property
    def words(self) -> str:
        return f"{self.party} published {self.published.isoformat()}, computed {self.computed or 'none'}"


def differences(rows: Iterable[dict[str, Any]], published: dict[str, date]) -> list[Difference]:
    """The parties whose published date of effect is not the computed one."""
    found = []
    for row in rows:
        day = published.get(row["party"])
        if day is not None and row["in_force_on"] != day.isoformat():
            found.append(Difference(row["party"], day, row["in_force_on"]))
    return found


def summary(rows: list[dict[str, Any]], published: dict[str, date]) -> str | None:
    """One line for `treaty show`: how many dates of effect were published, and which differ."""
    if not published:
        return None
    differing = differences(rows, published)
    if not differing:
        return f"{len(published)} published date(s) of effect, all as computed"
    listed = "; ".join(d.words for d in differing)
    return f"{len(differing)} of {len(published)} published date(s) of effect differ from the computed: {listed}"
