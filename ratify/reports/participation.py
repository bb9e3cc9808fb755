"""Signatories and parties as depositaries count them, from status rows.

A depositary's "party" is a state bound by its consent: its instrument is
deposited (in force for it or not yet) and no withdrawal has taken effect. A
signatory signed, whatever it did next, unless its participation ended: the UN
Treaty Collection puts the row of a state whose withdrawal took effect in
square brackets and leaves it out of both counts. The UN prints both counts at
the head of each status table ("Signatories: 130, Parties: 117" for the ATT).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ratify.vocab import PartyState


def is_signatory(row: dict[str, Any]) -> bool:
    return row["signed"] is not None and row["state"] != PartyState.WITHDRAWN


def is_party(row: dict[str, Any]) -> bool:
    return row["deposited_on"] is not None and row["state"] != PartyState.WITHDRAWN


@dataclass(frozen=True)
class Participation:
    participants: int  # every state recorded against the treaty
    signatories: int
    parties: int

    @property
    def words(self) -> str:
        return f"{_plural(self.signatories, 'signatory', 'signatories')}, {_plural(self.parties, 'party', 'parties')}"


def participation(rows: Iterable[dict[str, Any]]) -> Participation:
    participants = signatories = parties = 0
    for row in rows:
        participants += 1
        signatories += is_signatory(row)
        parties += is_party(row)
    return Participation(participants, signatories, parties)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
