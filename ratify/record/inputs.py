"""Validated input: what the CLI, the loader and Python callers hand to the library.

Validation lives here, so every way in rejects the same bad input with the
same message. Each model names a table in `ratify.store.models` that it creates.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import AwareDatetime, field_validator, model_validator
from pydantic import Field as PydanticField

from ratify.dates import IsoDate
from ratify.errors import Contradiction
from ratify.rules.spec import Rule, WithdrawalRule
from ratify.rules.votes import VoteCounts
from ratify.strict import Input, NonNegative, Positive
from ratify.vocab import ActKind, ConsentType, EventStatus, NotVoting, RevisionAction, StageKind, Threshold, TreatyKind

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


class Provenance(Input):
    """Who recorded a fact and when: set by ratify, or carried over by an export."""

    recorded_at: AwareDatetime | None = None
    recorded_by: str | None = PydanticField(default=None, min_length=1)


class StageSpec(Input):
    key: str = PydanticField(pattern=KEY_PATTERN)
    kind: StageKind
    body: str = PydanticField(min_length=1)
    seats: Positive | None = None
    threshold: Threshold = Threshold.NONE
    quorum: Positive | None = None
    readings: Positive = 1
    optional: bool = False
    source: str | None = None
    note: str | None = None
    not_voting: NotVoting | None = None  # whether members not voting count as present (default: they do)
    min_yes: Positive | None = None  # yes votes needed whatever the turnout

    @model_validator(mode="after")
    def _quorum_within_seats(self) -> StageSpec:
        if self.quorum and self.seats and self.quorum > self.seats:
            raise Contradiction(f"quorum {self.quorum} exceeds the {self.seats} seats")
        if self.min_yes and self.seats and self.min_yes > self.seats:
            raise Contradiction(f"min_yes {self.min_yes} exceeds the {self.seats} seats")
        return self


class ProcedureSpec(Input):
    id: str = PydanticField(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")
    country: str | None = PydanticField(default=None, pattern=r"^[A-Z]{3}$")
    name: str = PydanticField(min_length=1)
    note: str | None = None
    sources: list[str] = []
    stages: list[StageSpec] = PydanticField(min_length=1)

    @field_validator("stages")
    @classmethod
    def _stages_are_coherent(cls, stages: list[StageSpec]) -> list[StageSpec]:
        keys = [stage.key for stage in stages]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"stage keys must be unique; repeated: {', '.join(duplicates)}")
        instruments = [i for i, stage in enumerate(stages) if stage.kind == StageKind.INSTRUMENT]
        if instruments and instruments != [len(stages) - 1]:
            raise ValueError("the instrument stage must be the last stage, and only one")
        return stages


def _fact_id(letter: str) -> Any:
    """The id an export carries for a fact, so that a load keeps it (t2, p5, e17, a3)."""
    return PydanticField(default=None, pattern=rf"^{letter}[1-9][0-9]{{0,17}}$")


class TreatyCreate(Provenance):
    id: str | None = _fact_id("t")
    slug: str = PydanticField(pattern=SLUG_PATTERN)
    title: str = PydanticField(min_length=1)
    kind: TreatyKind = TreatyKind.BILATERAL
    signed: IsoDate | None = None
    place: str | None = None
    note: str | None = None
    sources: list[str] = []
    rule: Rule | None = None  # entry into force; bilateral treaties default to the exchange of instruments
    withdrawal: WithdrawalRule | None = None
    terminated: IsoDate | None = None
    superseded_by: str | None = PydanticField(default=None, pattern=SLUG_PATTERN)
    termination_source: str | None = None

    @field_validator("slug", mode="before")
    @classmethod
    def _explain_slug(cls, value: object) -> object:
        if isinstance(value, str) and not re.fullmatch(SLUG_PATTERN, value.strip()):
            raise ValueError(
                f"{value!r} is not a slug (lower-case letters, digits, '-', '_', '.'; at most 80, e.g. rus-prk-2024)"
            )
        return value


class Tally(Input):
    """A vote's declared totals; each category is named, none is inferred."""

    yes: NonNegative | None = None
    no: NonNegative | None = None
    abstain: NonNegative | None = None
    not_voting: NonNegative | None = None
    absent: NonNegative | None = None
    present: NonNegative | None = None
    seats: Positive | None = None
    unanimous: bool = False

    @model_validator(mode="after")
    def _adds_up(self) -> Tally:
        if self.unanimous and self.no:
            raise Contradiction(f"a unanimous vote cannot have {self.no} against (drop unanimous or no)")
        voted = (self.yes or 0) + (self.no or 0) + (self.abstain or 0)
        if self.present is not None and self.present < voted:
            raise Contradiction(
                f"{self.present} present, but {voted} voted or abstained (check the counts or the present count)"
            )
        counted = self.counted
        if self.seats is not None and counted > self.seats:
            raise Contradiction(
                f"the counts add up to {counted}, more than the {self.seats} seats (check the counts or the seats)"
            )
        return self

    @property
    def counted(self) -> int:
        """Members the tally accounts for: each category, or those present and absent where that is more."""
        named = sum(n or 0 for n in (self.yes, self.no, self.abstain, self.not_voting, self.absent))
        return max(named, (self.present or 0) + (self.absent or 0))

    @property
    def has_counts(self) -> bool:
        return self.counts().has_counts

    def counts(self) -> VoteCounts:
        """The counts as the vote rules read them."""
        return VoteCounts(
            yes=self.yes,
            no=self.no,
            abstain=self.abstain,
            not_voting=self.not_voting,
            absent=self.absent,
            present=self.present,
            unanimous=self.unanimous,
        )


class EventCreate(Provenance):
    id: str | None = _fact_id("e")
    stage: str = PydanticField(min_length=1)
    status: EventStatus | None = None  # for votes, derived from the tally when omitted
    date: IsoDate
    reading: Positive | None = None
    readings: Positive | None = None  # this passage's number of readings, where not the template's
    vote: Tally | None = None
    consent: ConsentType | None = None  # for the instrument stage; default ratification
    effective: IsoDate | None = None  # the depositary's published date of effect
    source: str | None = None
    note: str | None = None
    allow_out_of_order: bool = False


class ActCreate(Provenance):
    id: str | None = _fact_id("a")
    kind: ActKind
    date: IsoDate
    effective: IsoDate | None = None
    against: str | None = None
    text: str | None = None
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _fits_its_kind(self) -> ActCreate:
        if (self.kind == ActKind.OBJECTION) != (self.against is not None):
            raise Contradiction("against: an objection names the party it answers, and only an objection does")
        if self.effective and self.effective < self.date:
            raise Contradiction(f"effective: {self.effective} is before the act itself ({self.date})")
        return self


class PartyCreate(Provenance):
    id: str | None = _fact_id("p")
    state: str = PydanticField(min_length=1)
    signed: IsoDate | None = None
    procedure: str | None = None
    organisation: str | None = None  # the organisation's name, for a non-state party
    note: str | None = None
    events: list[EventCreate] = []
    acts: list[ActCreate] = []


class TreatyFixture(TreatyCreate):
    parties: list[PartyCreate] = []


class RevisionEntry(Input):
    """A kept version of a fact, as `export` writes it: the fact as it was, and why it was replaced."""

    fact: str = PydanticField(pattern=r"^[tpea][1-9][0-9]{0,17}$")
    treaty: str = PydanticField(pattern=SLUG_PATTERN)
    treaty_id: Positive
    party: str | None = None
    action: RevisionAction
    row: dict[str, Any]
    recorded_at: AwareDatetime
    recorded_by: str = PydanticField(min_length=1)
    superseded_at: AwareDatetime
    superseded_by: str = PydanticField(min_length=1)
    reason: str = PydanticField(min_length=1)


class Fixture(Input):
    """A fixture file: procedures, treaties with their parties and events, and kept versions."""

    procedures: list[ProcedureSpec] = []
    treaties: list[TreatyFixture] = []
    revisions: list[RevisionEntry] = []
