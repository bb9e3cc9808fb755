"""ratify party add."""

from __future__ import annotations

from datetime import date

import click

from ratify.cli.completion import complete_slug
from ratify.cli.context import GIVEN_DATE, LazyGroup, Settings, pass_settings, transaction, translated_errors


@click.group(cls=LazyGroup)
def party() -> None:
    """Add parties (states or organisations) to treaties."""


@party.command("add")
@click.argument("slug", shell_complete=complete_slug)
@click.argument("states", nargs=-1, required=True, metavar="STATE...")
@click.option(
    "--signed",
    type=GIVEN_DATE,
    help="The party's date of signature (bilateral: default the treaty's; multilateral: none until given); "
    "YYYY-MM or YYYY where no more is known.",
)
@click.option("--procedure", metavar="TEMPLATE", help="Procedure template (default: the state's own, else 'default').")
@click.option("--organisation", metavar="NAME", help="Register STATE as an organisation's code with this name.")
@click.option(
    "--candidate",
    is_flag=True,
    help="The state an accession protocol admits: it does not sign the protocol, it joins the parent treaty.",
)
@click.option("--note", help="A free-text note.")
@pass_settings
def party_add(
    settings: Settings,
    slug: str,
    states: tuple[str, ...],
    signed: date | None,
    procedure: str | None,
    organisation: str | None,
    candidate: bool,
    note: str | None,
) -> None:
    """Add each STATE (code or name: RUS, RU, Russia, DPRK...) as a party to a treaty.

    The parties of a bilateral treaty sign with it. A multilateral treaty's
    participants sign on their own dates, so without --signed a party stands
    `not_signed` until a signature (ratify party edit ... --signed) or an
    accession is recorded; several states signing the same day take one
    --signed. An accession protocol's candidate (--candidate) never signs it:
    its row reads its accession to the parent treaty. All are added, or none
    if one is refused.

    \b
    Examples:
      ratify party add paris-2015 "South Korea" --signed 2016-04-22
      ratify party add att-2013 France Germany Mexico --signed 2013-06-03
      ratify party add nato-fin-2022 Finland --candidate
    """
    from ratify.record.inputs import PartyCreate
    from ratify.record.tracker import add_parties_to

    if organisation and len(states) > 1:
        raise click.UsageError("--organisation names one party: add an organisation on its own")
    if len(set(states)) < len(states):
        raise click.BadParameter("a state is named twice", param_hint="STATE")
    with translated_errors():
        data = [
            PartyCreate(
                state=state,
                signed=signed,
                procedure=procedure,
                organisation=organisation,
                note=note,
                candidate=candidate,
            )
            for state in states
        ]
    with transaction(settings, write=True) as session:
        added = add_parties_to(session, slug, data)
    for party in added:
        click.echo(f"Added {party.state} ({party.name}) to {slug}, procedure {party.procedure_id}.", err=True)
