"""What the Python API returns: what a write recorded, a rule's evaluation, and typed report rows.

The rows are the objects `--format json` prints (docs/json.md). Dates in them are ISO 8601 text;
one known only to the month or year is written as given (`2024-11`) and followed by
`<field>_precision` (`month` or `year`), present only then. tests/test_python_api.py checks the row
types against the report modules' field lists and against real rows.
"""

from dataclasses import dataclass
from datetime import date
from typing import NotRequired, TypedDict

_Day = date  # Recorded has a field named `date`


@dataclass(frozen=True)
class Recorded:
    """What a write recorded, and where the party stands after it."""

    fact: str  #: its id: e12 an event, a3 an act (what `correct` and `retract` take)
    treaty: str  #: the treaty's slug
    party: str  #: the party's code (ISO alpha-3, or an organisation's code)
    what: str  #: the stage's key for an event; the act's kind for an act
    status: str | None  #: an event's status (passed, failed, scheduled, expected, laid, ...); None for an act
    date: str  #: as precise as it was given: YYYY-MM-DD, YYYY-MM or YYYY
    reading: int | None  #: which reading, for a stage voted in several
    round: int | None  #: which round of the party's procedure, from the second; None for the first and for an act
    path: str | None  #: the procedure an event belongs to (ratification, revocation, ...); None for an act
    due_on: _Day | None  #: an expected step's deadline, or the end of a scrutiny period laid
    effective_on: _Day | None  #: a date of effect: an instrument's as published, an act's
    version: int  #: 1 for a new record; a correction's version number
    state: str  #: the party's state afterwards (docs/json.md, `state`)
    progress: str  #: the party's progress afterwards, in words

    @property
    def status_line(self) -> str:
        """`rus-prk-2024 RUS: lower house passed, upper house pending (state in_legislature)`."""
        return f"{self.treaty} {self.party}: {self.progress} (state {self.state})"


@dataclass(frozen=True)
class Evaluation:
    """A treaty's entry-into-force rule evaluated on a date, from the instruments recorded by then."""

    treaty: str
    as_of: _Day
    rule: str | None  #: the rule in words; None if the treaty has none recorded
    met_on: _Day | None  #: when the rule was met, if it was by `as_of`
    in_force_on: _Day | None  #: the entry into force the rule gives, once met
    missing: str | None  #: what is still needed, while the rule is not met
    status: str  #: the treaty's entry into force in words, with a published date beside it if one differs


class StatusRow(TypedDict):
    """A party of a treaty on a date: `status`, `pending`, `treaty show` (docs/json.md, status rows)."""

    treaty: str
    party: str
    party_name: str
    state: str
    progress: str
    stage: str | None
    stage_body: str | None
    stage_date: str | None
    next_stage: str | None
    next_stage_body: str | None
    next_scheduled: str | None
    next_expected: bool
    next_expected_by: str | None
    signed: str | None
    last_step: str | None
    waiting_days: int | None
    in_force_on: str | None
    as_of: str
    consent: str | None
    deposited_on: str | None
    withdrawn_on: str | None
    provisional: bool
    treaty_in_force_on: str | None
    rule_met_on: str | None
    waiting_for: str | None
    reversal: str | None
    reversal_progress: str | None
    in_force_basis: str | None
    in_force_published: str | None
    treaty_in_force_published: str | None
    published_differs: str | None
    next_laid_on: str | None
    next_laid_until: str | None
    bound: bool
    ended: str | None
    ended_on: str | None
    withdrawal_notice_on: str | None
    notice_revoked_on: str | None
    member_since: str | None
    stage_date_precision: NotRequired[str]
    signed_precision: NotRequired[str]
    last_step_precision: NotRequired[str]
    deposited_on_precision: NotRequired[str]
    rule_met_on_precision: NotRequired[str]


class HistoryRow(TypedDict):
    """A recorded event or act, or with all_versions an earlier version of one: `history` (event rows)."""

    id: str
    date: str | None
    party: str | None
    stage: str | None
    kind: str | None
    body: str | None
    status: str | None
    reading: int | None
    readings: int | None
    yes: int | None
    no: int | None
    abstain: int | None
    not_voting: int | None
    absent: int | None
    seats: int | None
    present: int | None
    unanimous: bool
    consent: str | None
    effective: str | None
    by: str | None
    until: str | None
    against: str | None
    text: str | None
    source: str | None
    note: str | None
    out_of_order: bool
    recorded_at: str | None
    recorded_by: str | None
    version: int | None
    superseded_at: str | None
    superseded_by: str | None
    action: str | None
    reason: str | None
    round: int | None
    date_precision: NotRequired[str]


class UpcomingRow(TypedDict):
    """A dated step or entry into force ahead: `upcoming` (upcoming rows)."""

    date: str
    what: str
    treaty: str
    party: str | None
    party_name: str | None
    stage: str | None
    stage_body: str | None
    detail: str


class TreatyRow(TypedDict):
    """A treaty with its counts and entry into force: `treaty list` (treaty rows)."""

    treaty: str
    kind: str
    signed: str | None
    place: str | None
    title: str
    parties: int
    rule_met_on: str | None
    in_force_on: str | None
    signatories: int
    participants: int
    relation: str | None
    parent: str | None
    signed_precision: NotRequired[str]
    rule_met_on_precision: NotRequired[str]
