"""ratify treaty add | list | show (and, from terms.py, rule | terminate | chart)."""

from __future__ import annotations

from datetime import date, datetime

import click

from ratify.cli.context import (
    ISO_DATE,
    Settings,
    as_of_option,
    known_on_option,
    pass_settings,
    transaction,
    translated_errors,
)
from ratify.cli.output import echo_line, emit, format_option
from ratify.cli.status import STATUS_TABLE


@click.group()
def treaty() -> None:
    """Record and inspect treaties."""


@treaty.command("add")
@click.argument("slug")
@click.option("--title", required=True, help="The treaty's title.")
@click.option("--kind", type=click.Choice(["bilateral", "multilateral"]), default="bilateral", show_default=True)
@click.option("--signed", type=ISO_DATE, help="Date of signature or adoption (YYYY-MM-DD).")
@click.option("--place", help="Place of signature or adoption.")
@click.option("--party", "parties", multiple=True, metavar="STATE", help="A party (code or name); repeatable.")
@click.option("--source", "sources", multiple=True, metavar="URL", help="A source for the treaty; repeatable.")
@click.option("--note", help="A free-text note.")
@pass_settings
def treaty_add(
    settings: Settings,
    slug: str,
    title: str,
    kind: str,
    signed: date | None,
    place: str | None,
    parties: tuple[str, ...],
    sources: tuple[str, ...],
    note: str | None,
) -> None:
    """Record a treaty under a short id (SLUG), with its parties.

    Example: ratify treaty add rus-prk-2024 --title "Treaty on Comprehensive
    Strategic Partnership" --signed 2024-06-19 --place Pyongyang --party Russia --party DPRK
    """
    from ratify.record.inputs import TreatyCreate
    from ratify.record.tracker import add_treaty_with_parties

    with translated_errors():
        data = TreatyCreate(
            slug=slug, title=title, kind=kind, signed=signed, place=place, sources=list(sources), note=note
        )
    with transaction(settings, write=True) as session:
        created = add_treaty_with_parties(session, data, list(parties))
        count = len(parties)
    click.echo(f"Added {created.slug} ({created.kind}, {count} part{'y' if count == 1 else 'ies'}).", err=True)


TREATY_TABLE = ("treaty", "kind", "signed", "parties", "in_force_on", "title")


@treaty.command("list")
@format_option
@pass_settings
def treaty_list(settings: Settings, fmt: str) -> None:
    """List the treaties with their parties and entry into force.

    Example: ratify treaty list --format github
    """
    from ratify.reports.dossier import TREATY_FIELDS, treaty_rows

    with transaction(settings) as session:
        emit(treaty_rows(session, date.today()), fmt, TREATY_FIELDS, TREATY_TABLE)


@treaty.command("show")
@click.argument("slug")
@as_of_option
@known_on_option
@format_option
@pass_settings
def treaty_show(settings: Settings, slug: str, as_of: date | None, known_on: datetime | None, fmt: str) -> None:
    """Show a treaty, its entry-into-force rule, and where each party stands.

    Example: ratify treaty show rus-prk-2024 --as-of 2024-10-25
    """
    from ratify.reports.dossier import treaty_view
    from ratify.reports.rows import STATUS_FIELDS

    today = date.today()
    with transaction(settings) as session:
        view = treaty_view(session, slug, as_of or today, today=today, known_on=known_on)
    if fmt in ("json", "ndjson", "csv"):
        emit(view.rows, fmt, STATUS_FIELDS)
        return
    record = view.treaty
    echo_line(record.title, fmt)
    facts = [
        ("treaty", record.slug),
        ("id", f"t{record.id}"),
        ("kind", record.kind),
        ("signed", record.signed_on),
        ("place", record.place),
    ]
    for label, value in facts:
        if value:
            echo_line(f"  {label + ':':8} {value}", fmt)
    for source in record.sources:
        echo_line(f"  source:  {source}", fmt)
    if view.evaluation:
        echo_line(f"  rule:    {view.evaluation.words}", fmt)
    echo_line(f"  status:  {view.entry_into_force}", fmt)
    click.echo()
    emit(view.rows, fmt, STATUS_FIELDS, STATUS_TABLE)


COMMANDS = (treaty,)
