"""ratify vote, ratify advance: record what happened at a stage."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from ratify.cli.completion import complete_slug, complete_stage, complete_state
from ratify.cli.context import (
    CONSENT_TYPES,
    GIVEN_DATE,
    ISO_DATE,
    Settings,
    pass_settings,
    tally_options,
    using_tracker,
)
from ratify.cli.output import echo_line
from ratify.vocab import EventStatus, ProcedurePath

_COMMON = (
    click.option(
        "--path",
        type=click.Choice([path.value for path in ProcedurePath]),
        default="ratification",
        show_default=True,
        help="Which procedure the step belongs to: a revocation, suspension or withdrawal runs the same stages.",
    ),
    click.option("--source", metavar="URL", help="Where this is published (URL or citation)."),
    click.option("--note", help="A free-text note."),
    click.option(
        "--allow-out-of-order",
        is_flag=True,
        help="Record a step dated before the signature or before the stage it follows; the event is marked.",
    ),
    click.option(
        "--round",
        "round_number",
        type=click.IntRange(min=1, max=99),
        help="A new round of the party's procedure (the approval submitted again): 2, 3...; the earlier round "
        "is kept [default: 1].",
    ),
)

if TYPE_CHECKING:
    from ratify.api import Recorded


def _common(function):
    for option in reversed(_COMMON):
        function = option(function)
    return function


_GIVEN = "YYYY-MM-DD; YYYY-MM or YYYY if no more is known"
_DATE = click.option("--date", "day", type=GIVEN_DATE, required=True, help=f"When it happened ({_GIVEN}).")
_DATE_UNLESS_EXPECTED = click.option(
    "--date",
    "day",
    type=GIVEN_DATE,
    help=f"When it happened ({_GIVEN}); with --status expected, when it was reported expected [default: today].",
)


def _said(recorded: Recorded) -> None:
    """What was recorded (stderr), then where the party stands (stdout)."""
    reading = f" (reading {recorded.reading})" if recorded.reading else ""
    if recorded.round:
        reading += f" (round {recorded.round})"
    if recorded.path != ProcedurePath.RATIFICATION:
        reading += f" ({recorded.path})"
    party, stage, day = recorded.party, recorded.what, recorded.date
    if recorded.status == EventStatus.LAID:
        until = f", under scrutiny until {recorded.due_on}" if recorded.due_on else ""
        click.echo(f"Recorded {party} {stage}: laid on {day}{until}.", err=True)
    elif recorded.status == EventStatus.EXPECTED:
        by = f" by {recorded.due_on}" if recorded.due_on else ""
        click.echo(f"Recorded {party} {stage} expected{by} (reported {day}).", err=True)
    else:
        click.echo(f"Recorded {party} {stage}{reading} {recorded.status} on {day}.", err=True)
    echo_line(recorded.status_line)


@click.command()
@click.argument("slug", shell_complete=complete_slug)
@click.argument("state", shell_complete=complete_state)
@click.argument("stage", shell_complete=complete_stage)
@_DATE
@_common
@tally_options()
@click.option("--unanimous", is_flag=True, help="Carried with no vote against (counts optional).")
@click.option(
    "--result", type=click.Choice(["passed", "failed"]), help="The stated result; checked against the counts."
)
@click.option("--reading", type=int, help="Which reading (1, 2, 3...); the stage passes with its final one.")
@click.option(
    "--readings",
    type=click.IntRange(min=1),
    help="How many readings this passage had, where not the template's (three Duma readings).",
)
@pass_settings
def vote(
    settings: Settings,
    slug: str,
    state: str,
    stage: str,
    day: date,
    path: str,
    source: str | None,
    note: str | None,
    allow_out_of_order: bool,
    round_number: int | None,
    yes: int | None,
    no: int | None,
    abstain: int | None,
    not_voting: int | None,
    absent: int | None,
    seats: int | None,
    present: int | None,
    unanimous: bool,
    result: str | None,
    reading: int | None,
    readings: int | None,
) -> None:
    """Record a vote at a STAGE (key, kind or body: duma, lower_house, "State Duma").

    The result follows from the counts and the stage's threshold; a stated
    --result must agree with them.

    Example: ratify vote rus-prk-2024 RUS duma --date 2024-10-24 --yes 397 --no 0 --unanimous
    """
    with using_tracker(settings) as tracker:
        recorded = tracker.record_vote(
            slug,
            state,
            stage,
            date=day,
            yes=yes,
            no=no,
            abstain=abstain,
            not_voting=not_voting,
            absent=absent,
            seats=seats,
            present=present,
            unanimous=unanimous,
            result=result,
            reading=reading,
            readings=readings,
            path=path,
            source=source,
            note=note,
            allow_out_of_order=allow_out_of_order,
            round=round_number,
        )
    _said(recorded)


@click.command()
@click.argument("slug", shell_complete=complete_slug)
@click.argument("state", shell_complete=complete_state)
@click.argument("stage", shell_complete=complete_stage)
@_DATE_UNLESS_EXPECTED
@_common
@click.option(
    "--status",
    type=click.Choice(["passed", "failed", "scheduled", "skipped", "expected", "laid"]),
    default="passed",
    show_default=True,
    help="What happened at the stage; 'expected' when it is foreseen but not dated; "
    "'laid' when a scrutiny period began (the treaty was laid before the legislature).",
)
@click.option(
    "--by",
    type=ISO_DATE,
    help="With --status expected: the deadline or announced sitting, if one is known (YYYY-MM-DD).",
)
@click.option(
    "--until",
    type=ISO_DATE,
    help="With --status laid: the day the scrutiny period ends, as published (sitting days cannot be computed).",
)
@click.option(
    "--consent", type=click.Choice(CONSENT_TYPES), help="For the instrument: its type [default: ratification]."
)
@click.option("--effective", type=ISO_DATE, help="For the instrument: the date of effect the depositary published.")
@pass_settings
def advance(
    settings: Settings,
    slug: str,
    state: str,
    stage: str,
    day: date | None,
    path: str,
    source: str | None,
    note: str | None,
    allow_out_of_order: bool,
    round_number: int | None,
    status: str,
    by: date | None,
    until: date | None,
    consent: str | None,
    effective: date | None,
) -> None:
    """Record a step without a vote: assent, decree, a deposit, a scheduled sitting.

    For the instrument stage, --consent gives its type (accession needs no
    signature; ratification, acceptance and approval follow one). A step
    reported as coming but not dated is recorded with --status expected
    (and --by, if a deadline is known); the step itself replaces it. A
    scrutiny stage (UK: laid before Parliament for 21 sitting days) is
    recorded with --status laid and --until, the end of its period.

    \b
    Examples:
      ratify advance rus-prk-2024 RUS president --date 2024-11-09 --source https://...
      ratify advance att-2013 AFG instrument --consent accession --date 2020-07-29
      ratify advance rus-prk-2024 RUS federation_council --status expected --date 2024-10-24
      ratify advance some-treaty GBR laid --status laid --date 2024-02-19 --until 2024-03-20
    """
    if day is None:
        if status != EventStatus.EXPECTED:
            raise click.UsageError("--date: give the day it happened (YYYY-MM-DD); only --status expected may omit it")
        day = date.today()
    with using_tracker(settings) as tracker:
        recorded = tracker.record_step(
            slug,
            state,
            stage,
            date=day,
            status=status,
            consent=consent,
            effective=effective,
            by=by,
            until=until,
            path=path,
            source=source,
            note=note,
            allow_out_of_order=allow_out_of_order,
            round=round_number,
        )
    _said(recorded)
