"""ratify act: a party's international acts besides its instrument."""

from __future__ import annotations

from datetime import date

import click

from ratify.cli.completion import complete_slug, complete_state
from ratify.cli.context import ACT_KINDS, GIVEN_DATE, ISO_DATE, Settings, pass_settings, using_tracker
from ratify.cli.output import echo_line


@click.command()
@click.argument("slug", shell_complete=complete_slug)
@click.argument("state", shell_complete=complete_state)
@click.argument("kind", type=click.Choice(ACT_KINDS))
@click.option(
    "--date",
    "day",
    type=GIVEN_DATE,
    required=True,
    help="Date of the act or its notification (YYYY-MM-DD; YYYY-MM or YYYY if no more is known).",
)
@click.option("--effective", type=ISO_DATE, help="When it takes effect, if published (a withdrawal: default by rule).")
@click.option("--against", metavar="STATE", help="For an objection: the party whose statement it answers.")
@click.option("--text", help="The reservation's, declaration's or objection's text.")
@click.option("--source", metavar="URL", help="Where this is published (URL or citation).")
@click.option("--note", help="A free-text note.")
@pass_settings
def act(
    settings: Settings,
    slug: str,
    state: str,
    kind: str,
    day: date,
    effective: date | None,
    against: str | None,
    text: str | None,
    source: str | None,
    note: str | None,
) -> None:
    """Record an international act: withdrawal, a ratification withdrawn, suspension,
    provisional application, a reservation, declaration or objection.

    A withdrawal takes effect by the treaty's withdrawal rule (twelve months
    after notice unless the treaty says otherwise) or on --effective; a
    notice taken back before then is withdrawal_revoked, and the party never left.

    \b
    Examples:
      ratify act istanbul-2011 Turkey withdrawal --date 2021-03-22 --effective 2021-07-01
      ratify act ctbt-1996 Russia consent_withdrawn --date 2023-11-02
      ratify act rome-1998 Gambia withdrawal_revoked --date 2017-02-10
    """
    with using_tracker(settings) as tracker:
        recorded = tracker.record_act(
            slug, state, kind, date=day, effective=effective, against=against, text=text, source=source, note=note
        )
    effect = f", effective {recorded.effective_on}" if recorded.effective_on else ""
    click.echo(f"Recorded {recorded.party} {recorded.what} on {recorded.date}{effect}.", err=True)
    echo_line(recorded.status_line)
