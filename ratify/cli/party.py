"""ratify party add."""

from __future__ import annotations

from datetime import date

import click

from ratify.cli.completion import complete_slug
from ratify.cli.context import GIVEN_DATE, Settings, pass_settings, transaction, translated_errors


@click.group()
def party() -> None:
    """Add parties (states or organisations) to treaties."""


@party.command("add")
@click.argument("slug", shell_complete=complete_slug)
@click.argument("state")
@click.option(
    "--signed",
    type=GIVEN_DATE,
    help="The party's date of signature (bilateral: default the treaty's; multilateral: none until given); "
    "YYYY-MM or YYYY where no more is known.",
)
@click.option("--procedure", metavar="TEMPLATE", help="Procedure template (default: the state's own, else 'default').")
@click.option("--organisation", metavar="NAME", help="Register STATE as an organisation's code with this name.")
@click.option("--note", help="A free-text note.")
@pass_settings
def party_add(
    settings: Settings,
    slug: str,
    state: str,
    signed: date | None,
    procedure: str | None,
    organisation: str | None,
    note: str | None,
) -> None:
    """Add STATE (code or name: RUS, RU, Russia, DPRK...) as a party to a treaty.

    The parties of a bilateral treaty sign with it. A multilateral treaty's
    participants sign on their own dates, so without --signed the party stands
    `not_signed` until a signature (ratify party edit ... --signed) or an
    accession is recorded.

    Example: ratify party add paris-2015 "South Korea" --signed 2016-04-22
    """
    from ratify.record.inputs import PartyCreate
    from ratify.record.tracker import add_party_to

    with translated_errors():
        data = PartyCreate(state=state, signed=signed, procedure=procedure, organisation=organisation, note=note)
    with transaction(settings, write=True) as session:
        added = add_party_to(session, slug, data)
    click.echo(f"Added {added.state} ({added.name}) to {slug}, procedure {added.procedure_id}.", err=True)


COMMANDS = (party,)
