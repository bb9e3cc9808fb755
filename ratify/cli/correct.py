"""ratify correct, ratify retract: new versions of recorded events and acts."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from ratify.cli.context import (
    ACT_KINDS,
    CONSENT_TYPES,
    GIVEN_DATE,
    ISO_DATE,
    Settings,
    pass_settings,
    reason_option,
    tally_options,
    using_tracker,
)
from ratify.cli.output import echo_line

if TYPE_CHECKING:
    from ratify.api import Recorded


@click.command()
@click.argument("fact_id", metavar="ID")
@click.option(
    "--date", "day", type=GIVEN_DATE, help="When it happened (YYYY-MM-DD; YYYY-MM or YYYY if no more is known)."
)
@click.option("--stage", help="Event: the stage (key, kind or body).")
@click.option(
    "--status",
    type=click.Choice(["passed", "failed", "scheduled", "skipped", "expected", "laid"]),
    help="Event: what happened.",
)
@click.option("--result", type=click.Choice(["passed", "failed"]), help="Event: the stated result of a vote.")
@click.option("--reading", type=int, help="Event: which reading.")
@click.option("--readings", type=click.IntRange(min=1), help="Event: how many readings the passage had.")
@click.option("--round", "round", type=click.IntRange(min=1, max=99), help="Event: the round of the procedure.")
@tally_options("Event")
@click.option("--unanimous/--not-unanimous", default=None, help="Event: carried with no vote against, or not.")
@click.option("--consent", type=click.Choice(CONSENT_TYPES), help="Event (instrument): its type.")
@click.option("--allow-out-of-order/--in-order", default=None, help="Event: whether it may break the stage order.")
@click.option("--kind", type=click.Choice(ACT_KINDS), help="Act: its kind.")
@click.option("--effective", type=ISO_DATE, help="The date of effect (instrument or act).")
@click.option("--by", type=ISO_DATE, help="Event (expected): the deadline or announced sitting.")
@click.option("--until", type=ISO_DATE, help="Event (laid): the day the scrutiny period ends.")
@click.option(
    "--path",
    type=click.Choice(["ratification", "revocation", "suspension", "withdrawal"]),
    help="Event: the procedure it belongs to.",
)
@click.option("--against", metavar="STATE", help="Act (objection): the party whose statement it answers.")
@click.option("--text", help="Act: the statement's text.")
@click.option("--source", metavar="URL", help="Where this is published; '' clears it.")
@click.option("--note", help="A free-text note; '' clears it.")
@reason_option
@pass_settings
def correct(
    settings: Settings, fact_id: str, reason: str, day: date | None, result: str | None, **options: Any
) -> None:
    """Record a corrected version of an event or act (ID from 'ratify history').

    Give only what changes; everything else stays as recorded. The correction
    is checked like a new entry against the party's whole history, and the
    earlier version is kept with who, when and why.

    \b
    Examples:
      ratify correct e2 --date 2024-10-24 --reason "the vote was on the 24th (Duma record)"
      ratify correct e2 --yes 397 --no 0 --reason "tally from the Duma's own record"
    """
    changes = {name: value for name, value in options.items() if value is not None}
    if changes.get("round") == 1:
        changes["round"] = None  # the first round is recorded as none
    if day is not None:
        changes["date"] = day
    if result is not None:
        if "status" in changes:
            raise click.UsageError("give --result (a vote) or --status (a step), not both")
        changes["status"] = result
    for name in ("source", "note", "text"):
        if changes.get(name) == "":
            changes[name] = None
    with using_tracker(settings) as tracker:
        changed = tracker.correct(fact_id, reason=reason, **changes)
    click.echo(f"Corrected {changed.fact} (version {changed.version}): {_words(changed)}.", err=True)
    echo_line(changed.status_line)


@click.command()
@click.argument("fact_id", metavar="ID")
@reason_option
@pass_settings
def retract(settings: Settings, fact_id: str, reason: str) -> None:
    """Withdraw a mistaken event or act (ID from 'ratify history'); its last version is kept.

    Refused if what remains would be an impossible history (a later step
    whose predecessor this was): retract or correct that one first.

    Example: ratify retract e5 --reason "entered for the wrong treaty"
    """
    with using_tracker(settings) as tracker:
        changed = tracker.retract(fact_id, reason=reason)
    click.echo(f"Retracted {changed.fact}: {_words(changed)}.", err=True)
    echo_line(changed.status_line)


def _words(changed: Recorded) -> str:
    if changed.status is not None:
        reading = f" (reading {changed.reading})" if changed.reading else ""
        return f"{changed.party} {changed.what}{reading} {changed.status} on {changed.date}"
    return f"{changed.party} {changed.what} on {changed.date}"
