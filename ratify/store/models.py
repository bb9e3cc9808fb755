"""The stored records: SQLModel tables.

Tables hold each fact's current version; every version a correction, a
retraction or a removal replaced is kept whole in `Revision`. The `Party` and
`Treaty` status columns are a cache of what `ratify.rules` derives, rebuilt on
every write. The validated input that creates them is in `ratify.record.inputs`.

Fact tables never reuse an id (`sqlite_autoincrement`): an id names one fact
for ever, even after that fact is retracted or removed.
"""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, String, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from ratify.vocab import (
    ActKind,
    ConsentType,
    DatePrecision,
    Depositary,
    EffectBasis,
    EventStatus,
    NotVoting,
    PartyState,
    ProcedurePath,
    RevisionAction,
    StageKind,
    Threshold,
    TreatyKind,
    TreatyRelation,
)


def _enum_column(length: int = 32):
    return Field(sa_type=String(length))


_NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


def _precision_column():
    """How much of the date beside it the source gives (revision 0007); empty: the exact day.

    The date column holds the latest day the date can be, so every query reads it as before.
    """
    return Field(default=None, sa_type=String(8))


#: Each table's pydantic validator is built when first needed, not at import: rows are written through
#: the ORM, which never validates a table model, and building eight validators cost every command
#: about 3% of its start-up (bench/instructions.py).
_TABLE: Any = {"defer_build": True}


# --------------------------------------------------------------------------- tables


class Meta(SQLModel, table=True):
    model_config = _TABLE
    key: str = Field(primary_key=True, sa_type=String(40))
    value: str


class Procedure(SQLModel, table=True):
    model_config = _TABLE
    id: str = Field(primary_key=True, sa_type=String(40))
    country: str | None = Field(default=None, sa_type=String(8))
    name: str
    note: str | None = None
    sources: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Stage(SQLModel, table=True):
    model_config = _TABLE
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
    # Revision 0005 appends these (SQLite adds a column at the end).
    not_voting: NotVoting | None = Field(default=None, sa_type=String(8))  # None: counted present
    min_yes: int | None = None  # yes votes needed whatever the turnout (Turkey: a quarter of the seats plus one)
    # Revision 0009: a consultation whose result does not bind (its "no" is no rejection).
    consultative: bool = Field(default=False, sa_column_kwargs={"server_default": false()})


class Treaty(SQLModel, table=True):
    model_config = _TABLE
    __table_args__ = (
        Index("ix_treaty_parent", "parent"),
        Index("ix_treaty_depositary_id", "depositary_id"),
        _NEVER_REUSE_IDS,
    )

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
    # Cache of the derived entry into force (see rules.entry_into_force and rules.treaty.treaty_in_force): the
    # rule's over the recorded instruments, else the published date (`in_force_basis` says which).
    rule_met_on: date | None = None
    in_force_on: date | None = None
    # Added by revision 0004: a protocol to, amendment of or extension of the treaty `parent` (a slug).
    relation: TreatyRelation | None = Field(default=None, sa_type=String(16))
    parent: str | None = Field(default=None, sa_type=String(80))
    # Added by revision 0006: where the depositary publishes the treaty's status, as last imported.
    depositary: Depositary | None = Field(default=None, sa_type=String(8))
    depositary_id: str | None = Field(default=None, sa_type=String(24))  # MTDSG "XXVI-8", CETS "185"
    registration: str | None = Field(default=None, sa_type=String(24))  # UN Treaty Series registration number
    depositary_url: str | None = None
    depositary_as_at: date | None = None  # the status page's own "status as at" date
    depositary_in_force: str | None = None  # the entry into force as the depositary words it
    # Added by revision 0007: the precision of signed_on, and of the cached rule_met_on.
    signed_precision: DatePrecision | None = _precision_column()
    rule_met_precision: DatePrecision | None = _precision_column()
    # Added by revision 0008: the entry into force as published (depositary, gazette, ministry), with its source.
    # A fact, not a cache: `in_force_on` above stays what the rule computes from the recorded instruments.
    published_in_force_on: date | None = None
    published_in_force_source: str | None = None
    in_force_basis: EffectBasis | None = Field(default=None, sa_type=String(16))  # cache: where in_force_on comes from


class Party(SQLModel, table=True):
    model_config = _TABLE
    __table_args__ = (
        UniqueConstraint("treaty_id", "state"),
        # What `pending` filters and sorts on without touching the events.
        Index("ix_party_pending", "last_step_on", "in_force_on"),
        # `upcoming` asks for each kind of date in a range (revision 0004).
        Index("ix_party_next_scheduled", "next_scheduled_on"),
        Index("ix_party_next_expected_by", "next_expected_by"),
        Index("ix_party_in_force", "in_force_on"),
        Index("ix_party_state_code", "state"),
        _NEVER_REUSE_IDS,
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
    # Added by revision 0004 (columns added later come last, as ALTER TABLE puts them).
    next_expected: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    next_expected_by: date | None = None
    declined_on: date | None = None  # declared it does not intend to become a party
    reversal: ProcedurePath | None = Field(default=None, sa_type=String(16))  # a revocation ... under way
    reversal_progress: str | None = None  # "revocation: lower house passed, upper house pending"
    depositary_note: str | None = None  # the depositary's footnotes on the party's row (revision 0006)
    # Added by revision 0007: the precision of signed_on, and of the cached stage_on, last_step_on, deposited_on.
    signed_precision: DatePrecision | None = _precision_column()
    stage_precision: DatePrecision | None = _precision_column()
    last_step_precision: DatePrecision | None = _precision_column()
    deposited_precision: DatePrecision | None = _precision_column()
    # Added by revision 0007 too: a scrutiny period under way at the next stage (laid on, until).
    next_laid_on: date | None = None
    next_laid_until: date | None = None
    # Added by revision 0008, cache: where `in_force_on` comes from (computed by the rule, or a published date),
    # and the party's own date of effect as published on its instrument, if any.
    in_force_basis: EffectBasis | None = Field(default=None, sa_type=String(16))
    in_force_published: date | None = None
    # Added by revision 0009, cache: a ratification withdrawn (consent_withdrawn) with no consent since, and the
    # party's latest notice of withdrawal with the day it was revoked, if it was.
    consent_withdrawn_on: date | None = None
    withdrawal_notice_on: date | None = None
    notice_revoked_on: date | None = None
    progress_note: str | None = None  # what `progress` begins with: "round 2; consultative referendum: no"
    candidate: bool = Field(default=False, sa_column_kwargs={"server_default": false()})  # an accession protocol's
    member_since: date | None = None  # cache: a candidate's accession to the parent treaty


class Event(SQLModel, table=True):
    model_config = _TABLE
    __table_args__ = (Index("ix_event_party_date", "party_id", "date"), _NEVER_REUSE_IDS)

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
    effective_on: dt.date | None = None  # the date of effect the depositary published, if any
    source: str | None = None
    note: str | None = None
    out_of_order: bool = False  # entered with --allow-out-of-order
    recorded_at: datetime = Field(index=True)
    recorded_by: str
    due_on: dt.date | None = None  # an expected step: the deadline or announced sitting, if any (0004)
    path: ProcedurePath = Field(  # a reversal runs through the same stages (0004)
        default=ProcedurePath.RATIFICATION, sa_type=String(16), sa_column_kwargs={"server_default": "ratification"}
    )
    present: int | None = None  # as the body declared it (revision 0005)
    readings: int | None = None  # this passage's number of readings, where not the stage's (revision 0005)
    date_precision: DatePrecision | None = _precision_column()  # revision 0007
    round: int | None = None  # a new round of the party's procedure (2, 3...); none: the first (revision 0009)


class Act(SQLModel, table=True):
    model_config = _TABLE
    """An international act of a party other than its instrument: withdrawal, reservation, ..."""

    __table_args__ = (Index("ix_act_party_date", "party_id", "date"), _NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    party_id: int = Field(foreign_key="party.id")
    kind: ActKind = _enum_column(32)
    date: date
    effective_on: dt.date | None = None  # `date` names the field from here on
    against: str | None = Field(default=None, sa_type=String(16))  # the party an objection answers
    text: str | None = None
    source: str | None = None
    note: str | None = None
    recorded_at: datetime = Field(index=True)
    recorded_by: str
    date_precision: DatePrecision | None = _precision_column()  # revision 0007


class Revision(SQLModel, table=True):
    model_config = _TABLE
    """A version of a fact that stopped being the record: corrected, retracted or removed.

    `row` is the fact as it was, in the fixture format (natural keys: stage
    keys, state codes, slugs), so that it survives export and load and the
    removal of what it referred to. `recorded_at` is when that version was
    recorded, `superseded_at` when it stopped being the record: the version
    the database held at moment T has recorded_at <= T < superseded_at.
    """

    __table_args__ = (
        Index("ix_revision_fact", "fact"),
        Index("ix_revision_treaty", "treaty_id", "superseded_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    fact: str = Field(sa_type=String(24))  # "e17", "a3", "p5", "t2": kind letter and the fact's id
    treaty_id: int  # no foreign key: the treaty itself may have been removed
    treaty: str = Field(sa_type=String(80))  # its slug, for reading a removed treaty's revisions
    party: str | None = Field(default=None, sa_type=String(16))
    action: RevisionAction = _enum_column(16)
    row: dict = Field(sa_column=Column(JSON, nullable=False))
    recorded_at: datetime
    recorded_by: str
    superseded_at: datetime = Field(index=True)
    superseded_by: str
    reason: str
