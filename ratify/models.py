"""The stored records (SQLModel tables) and the validated input that creates them.

Tables hold facts as they were entered; the `Party` status columns are a cache
of what `ratify.rules.status` derives from the events, rebuilt on every write.
Input models carry the validation, so the CLI, the loader and Python callers
reject the same bad input with the same message.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from pydantic import AwareDatetime, field_validator, model_validator
from pydantic import Field as PydanticField
from sqlalchemy import JSON, Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from ratify.dates import IsoDate
from ratify.input import Input, NonNegative, Positive
from ratify.rules.spec import Rule, WithdrawalRule
from ratify.vocab import ActKind, ConsentType, EventStatus, PartyState, StageKind, Threshold, TreatyKind

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,79}$"
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"


def _enum_column(length: int = 32):
    return Field(sa_type=String(length))


# --------------------------------------------------------------------------- tables


class Meta(SQLModel, table=True):
    key: str = Field(primary_key=True, sa_type=String(40))
    value: str


class Procedure(SQLModel, table=True):
    id: str = Field(primary_key=True, sa_type=String(40))
    country: str | None = Field(default=None, sa_type=String(8))
    name: str
    note: str | None = None
    sources: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Stage(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("procedure_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    procedure_id: str = Field(foreign_key="procedure.id", index=True, sa_type=String(40))
    position: int
    key: str = Field(sa_type=String(40))
    kind: StageKind = _enum_column()
    body: str
    seats: int | None = None
    threshold: Threshold = _enum_column(40)
    quorum: int | None = None
    readings: int = 1
    optional: bool = False
    source: str | None = None
    note: str | None = None


class Treaty(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, sa_type=String(80))
    title: str
    kind: TreatyKind = _enum_column(16)
    signed_on: date | None = None
    place: str | None = None
    note: str | None = None
    sources: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    rule: dict | None = Field(default=None, sa_column=Column(JSON))  # rules.spec.Rule
    withdrawal: dict | None = Field(default=None, sa_column=Column(JSON))  # rules.spec.WithdrawalRule
    terminated_on: date | None = None
    superseded_by: str | None = Field(default=None, sa_type=String(80))  # a treaty slug
    termination_source: str | None = None
    recorded_at: datetime
    recorded_by: str
    # Cache of the derived entry into force (see rules.entry_into_force).
    rule_met_on: date | None = None
    in_force_on: date | None = None


class Party(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("treaty_id", "state"),
        # What `pending` filters and sorts on without touching the events.
        Index("ix_party_pending", "last_step_on", "in_force_on"),
        Index("ix_party_state_code", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    treaty_id: int = Field(foreign_key="treaty.id")
    state: str = Field(sa_type=String(16))  # ISO alpha-3, or an organisation's code
    name: str
    is_organisation: bool = False
    signed_on: date | None = None
    procedure_id: str = Field(foreign_key="procedure.id", sa_type=String(40))
    note: str | None = None
    recorded_at: datetime
    recorded_by: str
    # Cache of the derived status over every recorded event (see rules.status).
    status: PartyState = Field(default=PartyState.SIGNED, sa_type=String(16))
    stage_id: int | None = None
    stage_on: date | None = None
    next_stage_id: int | None = None
    failed_stage_id: int | None = None
    next_scheduled_on: date | None = None
    last_step_on: date | None = None
    in_force_on: date | None = None  # when the treaty takes effect for this party
    consent: ConsentType | None = Field(default=None, sa_type=String(24))
    deposited_on: date | None = None
    withdrawn_on: date | None = None  # when its withdrawal takes (or took) effect
    suspended_from: date | None = None
    suspended_until: date | None = None
    provisional_from: date | None = None
    provisional_until: date | None = None


class Event(SQLModel, table=True):
    __table_args__ = (Index("ix_event_party_date", "party_id", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id")
    stage_id: int = Field(foreign_key="stage.id")
    status: EventStatus = _enum_column(16)
    date: date
    reading: int | None = None
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    not_voting: int | None = None
    absent: int | None = None
    seats: int | None = None
    unanimous: bool = False
    consent: ConsentType | None = Field(default=None, sa_type=String(24))  # instrument stages only
    effective_on: date | None = None  # the date of effect the depositary published, if any
    source: str | None = None
    note: str | None = None
    out_of_order: bool = False  # entered with --allow-out-of-order
    recorded_at: datetime = Field(index=True)
    recorded_by: str


class Act(SQLModel, table=True):
    """An international act of a party other than its instrument: withdrawal, reservation, ..."""

    __table_args__ = (Index("ix_act_party_date", "party_id", "date"),)

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id")
    kind: ActKind = _enum_column(32)
    date: date
    effective_on: date | None = None
    against: str | None = Field(default=None, sa_type=String(16))  # the party an objection answers
    text: str | None = None
    source: str | None = None
    note: str | None = None
    recorded_at: datetime = Field(index=True)
    recorded_by: str


# --------------------------------------------------------------------------- input


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

    @model_validator(mode="after")
    def _quorum_within_seats(self) -> StageSpec:
        if self.quorum and self.seats and self.quorum > self.seats:
            raise ValueError(f"quorum {self.quorum} exceeds the {self.seats} seats")
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


class TreatyCreate(Provenance):
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
    seats: Positive | None = None
    unanimous: bool = False

    @model_validator(mode="after")
    def _adds_up(self) -> Tally:
        if self.unanimous and self.no:
            raise ValueError(f"a unanimous vote cannot have {self.no} against (drop unanimous or no)")
        counted = self.counted
        if self.seats is not None and counted > self.seats:
            raise ValueError(
                f"the counts add up to {counted}, more than the {self.seats} seats (check the counts or the seats)"
            )
        return self

    @property
    def counted(self) -> int:
        return sum(n or 0 for n in (self.yes, self.no, self.abstain, self.not_voting, self.absent))

    @property
    def has_counts(self) -> bool:
        return any(n is not None for n in (self.yes, self.no, self.abstain, self.not_voting))


class EventCreate(Provenance):
    stage: str = PydanticField(min_length=1)
    status: EventStatus | None = None  # for votes, derived from the tally when omitted
    date: IsoDate
    reading: Positive | None = None
    vote: Tally | None = None
    consent: ConsentType | None = None  # for the instrument stage; default ratification
    effective: IsoDate | None = None  # the depositary's published date of effect
    source: str | None = None
    note: str | None = None
    allow_out_of_order: bool = False


class ActCreate(Provenance):
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
            raise ValueError("against: an objection names the party it answers, and only an objection does")
        if self.effective and self.effective < self.date:
            raise ValueError(f"effective: {self.effective} is before the act itself ({self.date})")
        return self


class PartyCreate(Provenance):
    state: str = PydanticField(min_length=1)
    signed: IsoDate | None = None
    procedure: str | None = None
    organisation: str | None = None  # the organisation's name, for a non-state party
    note: str | None = None
    events: list[EventCreate] = []
    acts: list[ActCreate] = []


class TreatyFixture(TreatyCreate):
    parties: list[PartyCreate] = []


class Fixture(Input):
    """A fixture file: procedures, treaties with their parties and events."""

    procedures: list[ProcedureSpec] = []
    treaties: list[TreatyFixture] = []
