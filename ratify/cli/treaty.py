"""ratify treaty add | list | show; the `treaty` group and its other commands are in groups.py."""

from __future__ import annotations

from datetime import date, datetime

import click

from ratify.cli.completion import complete_slug
from ratify.cli.context import (
    GIVEN_DATE,
    Settings,
    as_of_option,
    known_on_option,
    pass_settings,
    transaction,
    using_tracker,
)
from ratify.cli.output import Table, emit, format_option, wrapped
from ratify.cli.status import STATUS_TABLE


@click.command("add")
@click.argument("slug")
@click.option("--title", required=True, help="The treaty's title.")
@click.option("--kind", type=click.Choice(["bilateral", "multilateral"]), default="bilateral", show_default=True)
@click.option(
    "--signed", type=GIVEN_DATE, help="Date of signature or adoption (YYYY-MM-DD; YYYY-MM or YYYY if no more is known)."
)
@click.option("--place", help="Place of signature or adoption.")
@click.option(
    "--party",
    "parties",
    multiple=True,
    metavar="STATE",
    help="A party (code or name); repeatable. Parties named here sign on the treaty's date.",
)
@click.option(
    "--unsigned",
    is_flag=True,
    help="Multilateral: the parties named do not sign on the treaty's date (they sign or accede later).",
)
@click.option("--source", "sources", multiple=True, metavar="URL", help="A source for the treaty; repeatable.")
@click.option("--note", help="A free-text note.")
@click.option("--protocol-to", metavar="SLUG", help="It is a protocol to this treaty.")
@click.option("--amends", metavar="SLUG", help="It amends this treaty.")
@click.option("--extends", metavar="SLUG", help="It extends this treaty (its duration).")
@pass_settings
def treaty_add(
    settings: Settings,
    slug: str,
    title: str,
    kind: str,
    signed: date | None,
    place: str | None,
    parties: tuple[str, ...],
    unsigned: bool,
    sources: tuple[str, ...],
    note: str | None,
    protocol_to: str | None,
    amends: str | None,
    extends: str | None,
) -> None:
    """Record a treaty under a short id (SLUG), with its parties.

    Parties named with --party sign on the treaty's date, a multilateral
    treaty's as its adopters (--unsigned: they sign or accede later). A
    protocol, an amendment or an extension is a treaty of its own, linked to
    the treaty it belongs to; `treaty show` shows the link both ways.

    \b
    Examples:
      ratify treaty add rus-prk-2024 --title "Treaty on Comprehensive Strategic Partnership" \\
          --signed 2024-06-19 --place Pyongyang --party Russia --party DPRK
      ratify treaty add new-start-extension-2021 --title "Agreement to extend New START" \\
          --signed 2021-01-26 --extends new-start-2010 --party RUS --party USA
    """
    links = [
        (relation, parent)
        for relation, parent in (("protocol", protocol_to), ("amendment", amends), ("extension", extends))
        if parent
    ]
    if unsigned and kind == "bilateral":
        raise click.UsageError("--unsigned is for a multilateral treaty: a bilateral treaty's parties sign with it")
    if len(links) > 1:
        raise click.UsageError("give one of --protocol-to, --amends, --extends: a treaty belongs to one parent")
    relation, parent = links[0] if links else (None, None)
    with using_tracker(settings) as tracker:
        created = tracker.add_treaty(
            slug,
            title=title,
            parties=parties,
            kind=kind,
            signed=signed,
            place=place,
            sources=sources,
            note=note,
            relation=relation,
            parent=parent,
            sign=not unsigned,
        )
    count = len(parties)
    click.echo(f"Added {created} ({kind}, {count} part{'y' if count == 1 else 'ies'}).", err=True)


TREATY_TABLE = Table(
    full=("treaty", "kind", "signed", "signatories", "parties", "in_force_on", "title"),
    compact=("treaty", "parties", "in_force_on", "title"),
    wide=("treaty", "kind", "signed", "place", "signatories", "parties", "rule_met_on", "in_force_on", "title"),
)


@click.command("list")
@click.option(
    "--search",
    metavar="WORDS",
    help="Only treaties whose slug, title, place or depositary identifiers (XXVI-8, UNTS number) hold every word.",
)
@as_of_option
@format_option
@pass_settings
def treaty_list(settings: Settings, search: str | None, as_of: date | None, fmt: str) -> None:
    """List the treaties with their signatories, parties and entry into force.

    A party is bound by its consent (instrument deposited, no withdrawal in
    effect), as the depositaries count; `participants` (JSON) counts every
    state recorded against the treaty.

    \b
    Examples:
      ratify treaty list --format github
      ratify treaty list --search "nuclear test"
      ratify treaty list --as-of 2017-12-31
    """
    from ratify.reports.dossier import TREATY_FIELDS

    with using_tracker(settings) as tracker:
        rows = tracker.treaties(as_of=as_of, search=search)
    if not rows:
        click.echo(f"No treaty matches {search!r}." if search else "No treaties recorded yet.", err=True)
    emit(rows, fmt, TREATY_FIELDS, TREATY_TABLE)


@click.command("show")
@click.argument("slug", shell_complete=complete_slug)
@as_of_option
@known_on_option
@format_option
@pass_settings
def treaty_show(settings: Settings, slug: str, as_of: date | None, known_on: datetime | None, fmt: str) -> None:
    """Show a treaty, its entry-into-force rule, and where each party stands.

    Example: ratify treaty show rus-prk-2024 --as-of 2024-10-25
    """
    from ratify.dates import given_signature
    from ratify.reports.dossier import treaty_view
    from ratify.reports.effect import published_effect, summary
    from ratify.reports.rows import STATUS_FIELDS

    today = date.today()
    with transaction(settings) as session:
        view = treaty_view(session, slug, as_of or today, today=today, known_on=known_on)
        # Published dates are read from the record as it stands now; --known-on shows none.
        effect = None if known_on else summary(view.rows, published_effect(session, view.treaty, as_of or today))
        from ratify.parliament.shown import imported_lines

        imported = [] if known_on else imported_lines(session, view.treaty)
    if fmt in ("json", "ndjson", "csv"):
        emit(view.rows, fmt, STATUS_FIELDS)
        return
    record = view.treaty

    def say(text: str, fmt: str, indent: str = " " * 11) -> None:
        # On a terminal, long lines (a title, a source's citation and URL) wrap under their label, words whole.
        click.echo(wrapped(text, fmt, indent=indent))

    say(record.title, fmt, indent="")
    facts = [
        ("treaty", record.slug),
        ("id", f"t{record.id}"),
        ("kind", record.kind),
        ("signed", given_signature(record)),
        ("place", record.place),
    ]
    for label, value in facts:
        if value:
            say(f"  {label + ':':8} {value}", fmt)
    for source in record.sources:
        say(f"  source:  {source}", fmt)
    from ratify.reports.dossier import depositary_lines

    for label, text in depositary_lines(record):
        say(f"  {label + ':':8} {text}", fmt)
    for label, slugs in view.family:
        say(f"  {label}: {', '.join(slugs)}", fmt)
    if view.evaluation:
        say(f"  rule:    {view.evaluation.words}", fmt)
    say(f"  status:  {view.entry_into_force}", fmt)
    if effect:
        say(f"  effect:  {effect}", fmt)
    for line in imported:
        say(f"  imported: {line}", fmt)
    if record.withdrawal:
        from ratify.rules.spec import WithdrawalRule

        say(f"  withdrawal: {WithdrawalRule.model_validate(record.withdrawal).words()}", fmt)
    click.echo()
    emit(view.rows, fmt, STATUS_FIELDS, STATUS_TABLE)

