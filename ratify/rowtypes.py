"""The rows the Python API returns, typed: the objects `--format json` prints (docs/json.md).

Dates are ISO 8601 text; one known only to the month or year is written as given (`2024-11`) and
followed by `<field>_precision` (`month` or `year`), present only then. tests/test_python_api.py
checks these against the report modules' field lists and against real rows.
"""

from typing import NotRequired, TypedDict


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
