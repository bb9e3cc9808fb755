"""ratify import congress / ukparliament: a parliament's treaty record into a party's steps, and again to sync."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from ratify.cli.context import Settings, pass_settings, rehearsed, translated_errors
from ratify.cli.output import emit, format_option
from ratify.parliament.congress import read_congress_source
from ratify.parliament.ukparliament import read_ukparliament_source

if TYPE_CHECKING:
    from ratify.parliament.record import ParliamentRecord


def _run(
    settings: Settings, read: Callable[[], ParliamentRecord], *, slug: str | None, origin: str, dry_run: bool, fmt: str
) -> None:
    from ratify.parliament.sync import CHANGE_FIELDS, CHANGE_TABLE, import_record

    with translated_errors():
        record = read()
    with rehearsed(settings, dry_run=dry_run) as session:
        changes, line = import_record(session, record, slug=slug, origin=origin, dry_run=dry_run)
    if changes:
        emit((change.row() for change in changes), fmt, CHANGE_FIELDS, CHANGE_TABLE)
    click.echo(line, err=True)


_TREATY = "The treaty to update [default: the one an earlier import marked, else the one with the record's title]."


@click.command(name="congress")
@click.argument("source", metavar="SOURCE")
@click.option(
    "--actions",
    "actions",
    metavar="FILE",
    help="The saved actions-level response (.../actions), when SOURCE is the item level alone.",
)
@click.option("--treaty", "slug", metavar="SLUG", help=_TREATY)
@click.option("--dry-run", is_flag=True, help="Run every check, print what would change and write nothing.")
@format_option
@pass_settings
def import_congress(
    settings: Settings, source: str, actions: str | None, slug: str | None, dry_run: bool, fmt: str
) -> None:
    """Import the US Senate's record of a treaty document from the Congress.gov API (v3).

    SOURCE is a saved JSON response of the treaty endpoint's item level (with
    --actions, its actions level), or a treaty document such as 117-3, fetched with
    the API key in the environment variable CONGRESS_API_KEY (never an option, never
    shown). The Foreign Relations Committee's report and the Senate's vote (tally and
    record vote number, checked against the two thirds) become the party USA's steps;
    the resolution's declarations and conditions become its note. Importing again
    corrects what an earlier import recorded (the old version kept); steps entered by
    hand are never changed, a difference is reported as a conflict.

    \b
    Examples:
      ratify import congress 117-3.json --actions 117-3-actions.json --dry-run
      CONGRESS_API_KEY=... ratify import congress 117-3 --treaty nato-finland-sweden-2022
    """
    _run(settings, lambda: read_congress_source(source, actions), slug=slug, origin=source, dry_run=dry_run, fmt=fmt)


@click.command(name="ukparliament")
@click.argument("source", metavar="SOURCE")
@click.option(
    "--items",
    "items",
    metavar="FILE",
    help="The saved business items response (.../BusinessItems), when SOURCE is the treaty's alone.",
)
@click.option("--treaty", "slug", metavar="SLUG", help=_TREATY)
@click.option("--dry-run", is_flag=True, help="Run every check, print what would change and write nothing.")
@format_option
@pass_settings
def import_ukparliament(
    settings: Settings, source: str, items: str | None, slug: str | None, dry_run: bool, fmt: str
) -> None:
    """Import the UK Parliament's record of a treaty laid under CRaG Part 2 (its treaties API).

    SOURCE is a saved JSON response for the treaty (api/Treaty/ID; with --items, its
    api/Treaty/ID/BusinessItems), or the treaty's id, fetched. The laying, the end of the
    objection period (an extension replacing it) and Parliament's conclusion become the
    party GBR's `laid` stage; committee reports, debates and motions are kept, dated, in
    the laying's note. A treaty under scrutiny reads "laid DATE, under scrutiny until
    DATE" and `upcoming` lists the period's end. Importing again corrects what an earlier
    import recorded; steps entered by hand are never changed.

    \b
    Examples:
      ratify import ukparliament treaty.json --items business-items.json --dry-run
      ratify import ukparliament "$TREATY_ID" --treaty SLUG
    """
    _run(settings, lambda: read_ukparliament_source(source, items), slug=slug, origin=source, dry_run=dry_run, fmt=fmt)

