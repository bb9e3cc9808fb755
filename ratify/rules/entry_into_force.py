"""When a treaty enters into force, from its parties' instruments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ratify.vocab import TreatyKind


def in_force_on(kind: TreatyKind, instrument_dates: Sequence[date | None]) -> date | None:
    """A bilateral treaty enters into force when the second instrument is in.

    Exchange of instruments is the rule of most bilateral treaties (both are
    exchanged on one day; with notifications, the later one counts).
    Multilateral treaties need their own rule, which ratify does not yet model,
    so for them this returns None.
    """
    if kind != TreatyKind.BILATERAL or len(instrument_dates) != 2:
        return None
    if any(day is None for day in instrument_dates):
        return None
    return max(day for day in instrument_dates if day is not None)
