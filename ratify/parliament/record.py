"""A parliament's record of one treaty as read: the steps of the party's template it gives, before any comparison."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ratify.vocab import EventStatus


@dataclass(frozen=True)
class Step:
    """One step of the party's template, as the parliament's record gives it."""

    stage: str  # the template's stage key: "sfrc", "senate", "laid"
    status: EventStatus
    date: dt.date
    source: str
    yes: int | None = None
    no: int | None = None
    until: dt.date | None = None  # a scrutiny period's end, as published (with any extension)
    note: str | None = None

    @property
    def slot(self) -> tuple[str, str]:
        """Which recorded event this step is compared with: a laying and its outcome are two steps of one stage."""
        return (self.stage, "laid" if self.status == EventStatus.LAID else "outcome")

    def describe(self) -> str:
        words = [f"{self.stage} {self.status} {self.date}"]
        if self.yes is not None:
            words.append(f"{self.yes}-{self.no}")
        if self.until is not None:
            words.append(f"until {self.until}")
        return " ".join(words)


@dataclass(frozen=True)
class Unread:
    """An entry of the record that is not a step ratify reads: shown, never guessed at."""

    date: dt.date | None
    text: str


@dataclass(frozen=True)
class ParliamentRecord:
    source: str  # "Congress.gov API", "UK Parliament treaties API"
    reference: str  # "Treaty Doc. 117-3", "treaty eQx1LN3s"
    state: str  # the party whose steps these are
    titles: tuple[str, ...]
    steps: list[Step]
    url: str | None = None  # the record's address, without any key
    note: str | None = None  # the party's note the record gives (the Senate's conditions), or None
    note_heading: str | None = None  # how that note begins, so a later import knows it as its own
    unread: list[Unread] = field(default_factory=list)
    ignored: int = 0  # entries that are not steps of the template (referrals, calendar entries)

    @property
    def label(self) -> str:
        """How every source this import writes begins, so that a later import finds its own."""
        return f"{self.source}, {self.reference}"

    @property
    def citation(self) -> str:
        return f"{self.label} -- {self.url}" if self.url else self.label
