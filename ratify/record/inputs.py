"""Validated input: what the CLI, the loader and Python callers hand to the library.

Validation lives here, so every way in rejects the same bad input with the
same message. Each model names a table in `ratify.store.models` that it creates.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, field_validator, model_validator
from pydantic import Field as PydanticField

from ratify.dates import GivenDate, IsoDate, certainly_before
from ratify.errors import Contradiction
from ratify.limits import MAX_INT, SOURCES_LIMIT, STATEMENT_LIMIT
from ratify.rules.spec import Rule, WithdrawalRule
from ratify.rules.votes import VoteCounts
from ratify.strict import (
    DepositaryNote,
    Input,
    Name,
    NonNegative,
    Note,
    Positive,
    Source,
    Sources,
    Statement,
    Title,
    check_text,
)
from ratify.vocab import (
    ActKind,
    ConsentType,
    Depositary,
    EventStatus,
    NotVoting,
    ProcedurePath,
    RevisionAction,
    StageKind,
    Threshold,
    TreatyKind,
    TreatyRelation,
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


class Provenance(Input):
    """Who recorded a fact and when: set by ratify, or carried over by an export."""

    recorded_at: AwareDatetime | None = None
    recorded_by: Name | None = PydanticField(default=None, min_length=1)


class StageSpec(Input):
    key: str = PydanticField(pattern=KEY_PATTERN)
    kind: StageKind
    body: Name = PydanticField(min_length=1)
    seats: Positive | None = None
    threshold: Threshold = Threshold.NONE
    quorum: Positive | None = None
    readings: Positive = 1
    optional: bool = False
    source: Source | None = None
    note: Note | None = None
    not_voting: NotVoting | None = None  # whether members not voting count as present (default: they do)
    min_yes: Positive | None = None  # yes votes needed whatever the turnout
    consultative: bool = False  # a consultation whose result does not bind: its "no" is no rejection

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
    name: Title = PydanticField(min_length=1)
    note: Note | None = None
    sources: Sources = []
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
    """The id an export carries for a fact, so that a load keeps it (t2, p5, e17, a3); at most 2^31-1 on both stores."""
    return PydanticField(default=None, pattern=rf"^{letter}[1-9][0-9]{{0,9}}$")


def _id_in_range(value: str) -> str:
    if int(value[1:]) > MAX_INT:
        raise ValueError(f"{value}: ids run up to {value[0]}{MAX_INT}")
    return value


FactId = Annotated[str, AfterValidator(_id_in_range)]


class DepositaryRecord(Input):
    """Where a depositary publishes the treaty's status, and what its page said when last imported."""

    name: Depositary
    id: Name | None = PydanticField(default=None, min_length=1, max_length=24)  # MTDSG "XXVI-8", CETS "185"
    registration: Name | None = PydanticField(default=None, min_length=1, max_length=24)  # UNTS number
    url: Source | None = None
    as_at: IsoDate | None = None  # the page's own "status as at" date
    in_force: Note | None = None  # the entry into force as the depositary words it


class PublishedDate(Input):
    """A date as a depositary, a gazette or a ministry published it, with where it was published.

    An entry into force is published with its day: a date known only to the month or year is refused.
    """

    date: IsoDate
    source: Source = PydanticField(min_length=1)


class TreatyCreate(Provenance):
    id: FactId | None = _fact_id("t")
    slug: str = PydanticField(pattern=SLUG_PATTERN)
    title: Title = PydanticField(min_length=1)
    kind: TreatyKind = TreatyKind.BILATERAL
    signed: GivenDate | None = None  # exact, or YYYY-MM / YYYY where the source gives no more
    place: Name | None = None
    note: Note | None = None
    sources: Sources = []
    rule: Rule | None = None  # entry into force; bilateral treaties default to the exchange of instruments
    withdrawal: WithdrawalRule | None = None
    terminated: IsoDate | None = None
    superseded_by: str | None = PydanticField(default=None, pattern=SLUG_PATTERN)
    termination_source: Source | None = None
    relation: TreatyRelation | None = None  # with `parent`: a protocol to, amendment of or extension of it
    parent: str | None = PydanticField(default=None, pattern=SLUG_PATTERN)
    depositary: DepositaryRecord | None = None
    published_in_force: PublishedDate | None = None  # the entry into force as published, beside the computed one

    @model_validator(mode="after")
    def _relation_names_its_parent(self) -> TreatyCreate:
        if (self.relation is None) != (self.parent is None):
            raise ValueError("relation: a protocol, amendment or extension names its parent treaty, and only one does")
        if self.parent == self.slug:
            raise ValueError(f"parent: {self.slug} cannot be a {self.relation} of itself")
        return self

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
    id: FactId | None = _fact_id("e")
    stage: Name = PydanticField(min_length=1)
    status: EventStatus | None = None  # for votes, derived from the tally when omitted
    date: GivenDate
    reading: Positive | None = None
    readings: Positive | None = None  # this passage's number of readings, where not the template's
    vote: Tally | None = None
    consent: ConsentType | None = None  # for the instrument stage; default ratification
    effective: IsoDate | None = None  # the depositary's published date of effect
    by: IsoDate | None = None  # an expected step: its deadline or announced sitting
    until: IsoDate | None = None  # a scrutiny period laid: the day it ends, as recorded (sitting days)
    path: ProcedurePath = ProcedurePath.RATIFICATION  # a revocation, suspension or withdrawal runs the stages too
    source: Source | None = None
    note: Note | None = None
    allow_out_of_order: bool = False
    round: int | None = PydanticField(default=None, ge=2, le=99)  # a new round of the procedure; none: the first


class ActCreate(Provenance):
    id: FactId | None = _fact_id("a")
    kind: ActKind
    date: GivenDate
    effective: IsoDate | None = None
    against: Name | None = None
    text: Statement | None = None
    source: Source | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _fits_its_kind(self) -> ActCreate:
        if (self.kind == ActKind.OBJECTION) != (self.against is not None):
            raise Contradiction("against: an objection names the party it answers, and only an objection does")
        if self.effective and certainly_before(self.effective, self.date):
            raise Contradiction(f"effective: {self.effective} is before the act itself ({self.date})")
        return self


class PartyCreate(Provenance):
    id: FactId | None = _fact_id("p")
    state: Name = PydanticField(min_length=1)
    signed: GivenDate | None = None
    procedure: Name | None = None
    organisation: Name | None = None  # the organisation's name, for a non-state party
    note: Note | None = None
    depositary_note: DepositaryNote | None = None  # the depositary's footnotes on the party's row, as imported
    candidate: bool = False  # the state an accession protocol admits: it joins the parent, it does not sign
    events: list[EventCreate] = []
    acts: list[ActCreate] = []


class TreatyFixture(TreatyCreate):
    parties: list[PartyCreate] = []


class RevisionEntry(Input):
    """A kept version of a fact, as `export` writes it: the fact as it was, and why it was replaced."""

    fact: FactId = PydanticField(pattern=r"^[tpea][1-9][0-9]{0,9}$")
    treaty: str = PydanticField(pattern=SLUG_PATTERN)
    treaty_id: Positive
    party: Name | None = None
    action: RevisionAction
    row: dict[str, Any]
    recorded_at: AwareDatetime
    recorded_by: Name = PydanticField(min_length=1)
    superseded_at: AwareDatetime
    superseded_by: Name = PydanticField(min_length=1)
    reason: Note = PydanticField(min_length=1)

    @field_validator("row")
    @classmethod
    def _row_is_plain(cls, row: dict[str, Any]) -> dict[str, Any]:
        """A stored row holds a fact's columns: bounded, printable text however deep it is kept."""
        if len(row) > _ROW_FIELDS_LIMIT:
            raise ValueError(f"a kept row has at most {_ROW_FIELDS_LIMIT} fields")
        for key, value in row.items():
            _check_kept(key, value, depth=0)
        return row


_ROW_FIELDS_LIMIT = 100


def _check_kept(key: str, value: Any, *, depth: int) -> None:
    if depth > 4:
        raise ValueError(f"{key}: nested too deep for a kept row")
    if isinstance(value, str):
        if len(value) > STATEMENT_LIMIT:
            raise ValueError(f"{key}: at most {STATEMENT_LIMIT} characters")
        try:
            check_text(value)
        except ValueError as problem:
            raise ValueError(f"{key}: {problem}") from None
    elif isinstance(value, bool) or value is None or isinstance(value, float):
        return
    elif isinstance(value, int):
        if abs(value) > MAX_INT:
            raise ValueError(f"{key}: {value} is beyond {MAX_INT}")
    elif isinstance(value, list):
        if len(value) > SOURCES_LIMIT:
            raise ValueError(f"{key}: at most {SOURCES_LIMIT} items")
        for item in value:
            _check_kept(key, item, depth=depth + 1)
    elif isinstance(value, dict):
        for inner_key, item in value.items():
            _check_kept(f"{key}.{inner_key}", item, depth=depth + 1)
    else:
        raise ValueError(f"{key}: not a value a kept row holds")


class Fixture(Input):
    """A fixture file: procedures, treaties with their parties and events, and kept versions."""

    procedures: list[ProcedureSpec] = []
    treaties: list[TreatyFixture] = []
    revisions: list[RevisionEntry] = []
