"""A depositary's status page as read: its header and one row per participant, before any name is resolved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ratify.vocab import ConsentType, Depositary


@dataclass(frozen=True)
class Participant:
    """One row of the participants table, as the depositary prints it."""

    name: str  # as the depositary names it: "Bolivia (Plurinational State of)"
    signed: date | None = None
    signed_by_succession: bool = False  # "d" in the signature column: the predecessor's signature, succeeded to
    consented: date | None = None
    consent: ConsentType | None = None
    provisional: date | None = None  # provisional application from
    withdrawn: date | None = None  # notification of withdrawal or denunciation
    # The row in square brackets: the participation ended. The withdrawal's notice and effect, where the row's
    # footnotes state them beyond doubt; the page's "status as at" date bounds what they leave unsaid.
    ended: bool = False
    withdrawal_effective: date | None = None
    notes: tuple[str, ...] = ()  # the depositary's footnotes on the row, whole: "1. Upon its approval ..."


@dataclass(frozen=True)
class StatusPage:
    depositary: Depositary
    identifier: str  # MTDSG "XXVI-8", CETS "185"
    title: str
    as_at: date
    participants: list[Participant]
    place: str | None = None
    adopted: date | None = None
    in_force: str | None = None  # "24 December 2014, in accordance with article 22."
    in_force_on: date | None = None
    registration: str | None = None  # UN Treaty Series number
    signatories: int | None = None  # the page's own header counts
    parties: int | None = None
    url: str | None = None
    columns: list[str] = field(default_factory=list)  # the table's headings, as printed

    @property
    def label(self) -> str:
        return f"{self.depositary.label} {self.identifier}"
