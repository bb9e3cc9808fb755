"""ratify treaty edit | remove, ratify party edit | remove | add-step: recorded changes to treaties and parties."""

from __future__ import annotations

from datetime import date

import click

from ratify.cli.completion import complete_slug, complete_state
from ratify.cli.context import (
    GIVEN_DATE,
    STAGE_KINDS,
    Settings,
    confirm_option,
    dry_run_option,
    pass_settings,
    reason_option,
    transaction,
    translated_errors,
)
from ratify.cli.output import echo_line
from ratify.vocab import Threshold

THRESHOLDS = [term.value for term in Threshold]


@click.command("edit")
@click.argument("slug", shell_complete=complete_slug)
@click.option("--title", help="The treaty's title.")
@click.option("--signed", type=GIVEN_DATE, help="Date of signature or adoption (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--place", help="Place of signature or adoption; '' clears it.")
@click.option("--source", "sources", multiple=True, metavar="URL", help="The sources, replacing the recorded ones.")
@click.option("--note", help="A free-text note; '' clears it.")
@click.option("--protocol-to", metavar="SLUG", help="It is a protocol to this recorded treaty.")
@click.option("--amends", metavar="SLUG", help="It amends this recorded treaty.")
@click.option("--extends", metavar="SLUG", help="It extends this recorded treaty.")
@reason_option
@pass_settings
def treaty_edit(
    settings: Settings,
    slug: str,
    title: str | None,
    signed: date | None,
    place: str | None,
    sources: tuple[str, ...],
    note: str | None,
    protocol_to: str | None,
    amends: str | None,
    extends: str | None,
    reason: str,
) -> None:
    """Record a new version of a treaty's title, signature, place, sources, note or parent treaty.

    A bilateral treaty's parties sign with it, so their signature follows a
    corrected date. A protocol recorded before its parent is linked to it once
    both are recorded (--protocol-to), and a rule that draws its group from the
    parent's parties can then be given. The earlier version is kept ('ratify
    history SLUG --all').

    \b
    Examples:
      ratify treaty edit rus-prk-2024 --place Pyongyang --reason "place per the MFA text"
      ratify treaty edit romania-protocol --protocol-to north-atlantic-treaty-1949 --reason "link"
    """
    from ratify.record.editing import edit_treaty

    links = [(r, p) for r, p in (("protocol", protocol_to), ("amendment", amends), ("extension", extends)) if p]
    if len(links) > 1:
        raise click.UsageError("give one of --protocol-to, --amends, --extends: a treaty belongs to one parent")
    changes = _given(title=title, signed=signed, place=place, note=note)
    if links:
        changes["relation"], changes["parent"] = links[0]
    if sources:
        changes["sources"] = list(sources)
    with transaction(settings, write=True) as session:
        edit_treaty(session, slug, changes, reason=reason)
    click.echo(f"Edited {slug}: {', '.join(changes)}.", err=True)


@click.command("edit")
@click.argument("slug", shell_complete=complete_slug)
@click.argument("state", shell_complete=complete_state)
@click.option("--signed", type=GIVEN_DATE, help="The party's date of signature (YYYY-MM-DD, YYYY-MM or YYYY).")
@click.option("--procedure", metavar="TEMPLATE", help="Procedure template; recorded events move to its stages.")
@click.option("--note", help="A free-text note; '' clears it.")
@reason_option
@pass_settings
def party_edit(
    settings: Settings, slug: str, state: str, signed: date | None, procedure: str | None, note: str | None, reason: str
) -> None:
    """Record a new version of a party's signature date, procedure template or note.

    The party's whole history is checked again under the new values; the
    earlier version is kept.

    Example: ratify party edit rus-prk-2024 PRK --procedure PRK-SPA --reason "ratified by the SPA Standing Committee"
    """
    from ratify.record.editing import edit_party

    changes = _given(signed=signed, procedure=procedure, note=note)
    with transaction(settings, write=True) as session:
        edited = edit_party(session, slug, state, changes, reason=reason)
    click.echo(f"Edited {edited.state} of {slug}: {', '.join(changes)}.", err=True)


@click.command("remove")
@click.argument("slug", shell_complete=complete_slug)
@confirm_option
@dry_run_option
@reason_option
@pass_settings
def treaty_remove(
    settings: Settings, slug: str, confirmed: bool, confirmed_as_yes: bool, dry_run: bool, reason: str
) -> None:
    """Remove a treaty with its parties, events and acts; every removed fact is kept as a version.

    Without --confirm, lists what would go and removes nothing (with --dry-run, successfully).

    \b
    Examples:
      ratify treaty remove test-treaty --reason "entered by mistake" --dry-run
      ratify treaty remove test-treaty --reason "entered by mistake" --confirm
    """
    _remove(settings, slug, None, reason, confirmed=confirmed or confirmed_as_yes, dry_run=dry_run)


@click.command("remove")
@click.argument("slug", shell_complete=complete_slug)
@click.argument("state", shell_complete=complete_state)
@confirm_option
@dry_run_option
@reason_option
@pass_settings
def party_remove(
    settings: Settings, slug: str, state: str, confirmed: bool, confirmed_as_yes: bool, dry_run: bool, reason: str
) -> None:
    """Remove a party with its events and acts; every removed fact is kept as a version.

    Without --confirm, lists what would go and removes nothing (with --dry-run, successfully).

    \b
    Examples:
      ratify party remove paris-2015 Narnia --reason "not a state" --dry-run
      ratify party remove paris-2015 Narnia --reason "not a state" --confirm
    """
    _remove(settings, slug, state, reason, confirmed=confirmed or confirmed_as_yes, dry_run=dry_run)


def _remove(settings: Settings, slug: str, state: str | None, reason: str, *, confirmed: bool, dry_run: bool) -> None:
    from ratify.record.editing import plan_removal, remove

    if confirmed and dry_run:
        raise click.UsageError("--dry-run and --confirm contradict each other (--dry-run lists, --confirm removes)")
    with transaction(settings, write=confirmed) as session:
        removal = plan_removal(session, slug, state)
        echo_line(f"{'Removing' if confirmed else 'Would remove'} {removal.describe()}")
        if removal.facts:
            click.echo("  " + " ".join(removal.facts))
        if dry_run:
            click.echo("Nothing removed (dry run; --confirm instead removes these).", err=True)
            return
        if not confirmed:
            # A removal is never the default: without a word either way, the preview is a refusal.
            raise click.ClickException("nothing removed (add --confirm to remove these)")
        remove(session, removal, reason=reason)
    click.echo(f"Removed; the versions are kept ('ratify history {slug} --all').", err=True)


def _given(**values) -> dict:
    """The options given; '' clears a text field."""
    return {name: (None if value == "" else value) for name, value in values.items() if value is not None}


@click.command("add-step")
@click.argument("slug", shell_complete=complete_slug)
@click.argument("state", shell_complete=complete_state)
@click.argument("key")
@click.option("--kind", type=click.Choice(STAGE_KINDS), required=True, help="The step's stage kind.")
@click.option("--body", required=True, help='Who takes the step ("Speaker of the Grand National Assembly").')
@click.option("--after", metavar="STAGE", help="It comes after this stage (key, kind or body).")
@click.option("--before", metavar="STAGE", help="It comes before this stage.")
@click.option("--optional", is_flag=True, help="Not every treaty takes it: it never blocks what follows.")
@click.option("--consultative", is_flag=True, help="Its result does not bind (a consultative referendum).")
@click.option("--seats", type=click.IntRange(min=1), help="A voting body's members.")
@click.option("--threshold", type=click.Choice(THRESHOLDS), default="none", show_default=True, help="What carries it.")
@click.option("--source", metavar="URL", help="Where the step is laid down or described.")
@click.option("--note", help="A free-text note.")
@reason_option
@pass_settings
def party_add_step(
    settings: Settings,
    slug: str,
    state: str,
    key: str,
    kind: str,
    body: str,
    after: str | None,
    before: str | None,
    optional: bool,
    consultative: bool,
    seats: int | None,
    threshold: str,
    source: str | None,
    note: str | None,
    reason: str,
) -> None:
    """Add a step (KEY) to one party's procedure, where its template lacks it.

    The party's template is copied under a new id with the step in place, and
    the party moves to the copy: its recorded events keep their stages, other
    parties keep the template, and the earlier version of the party is kept.

    \b
    Example:
      ratify party add-step nato-swe-2022 TUR speaker_signature --kind assent \\
          --body "Speaker of the Grand National Assembly" --after grand_national_assembly \\
          --source https://... --reason "the Speaker signs the approval law"
    """
    from ratify.record.inputs import StageSpec
    from ratify.record.procedures import stages_of
    from ratify.record.steps import add_step

    with translated_errors():
        stage = StageSpec(
            key=key,
            kind=kind,
            body=body,
            optional=optional,
            consultative=consultative,
            seats=seats,
            threshold=threshold,
            source=source,
            note=note,
        )
    with transaction(settings, write=True) as session:
        edited, procedure = add_step(session, slug, state, stage, after=after, before=before, reason=reason)
        keys = " > ".join(s.key for s in stages_of(session, procedure.id))
    click.echo(f"Added {key} to {edited.state}'s procedure in {slug}: {procedure.id} ({keys}).", err=True)
