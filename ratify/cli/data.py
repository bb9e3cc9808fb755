"""ratify init, ratify load."""

from __future__ import annotations

from pathlib import Path

import click

from ratify.cli.context import Settings, pass_settings, transaction, translated_errors


@click.command()
@pass_settings
def init(settings: Settings) -> None:
    """Create the database and store the built-in procedure templates.

    Safe to run again: it adds templates that are new and leaves data alone.

    Example: ratify --db treaties.db init
    """
    from ratify.loader import load_builtin_templates

    with translated_errors():
        database = settings.database()
        try:
            created = database.initialise()
        finally:
            database.close()
    with transaction(settings, write=True) as session:
        counts = load_builtin_templates(session)
    verb = "Created" if created else "Checked"
    click.echo(f"{verb} {database.describe()}; {summarise(counts)}.", err=True)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--update", is_flag=True, help="Where a file and the database disagree, take the file's value.")
@pass_settings
def load(settings: Settings, files: tuple[Path, ...], update: bool) -> None:
    """Load YAML or JSON fixtures: procedures, treaties, parties, events.

    All files load in one transaction: one invalid entry and nothing is written.
    Loading the same file twice changes nothing.

    Example: ratify load fixtures/treaties/*.yaml
    """
    from ratify.loader import load_files

    with transaction(settings, write=True) as session:
        counts = load_files(session, list(files), update=update)
    click.echo(f"Loaded {len(files)} file(s): {summarise(counts)}.", err=True)


def summarise(counts) -> str:
    """{"events inserted": 7, "events unchanged": 2} -> "events: 7 inserted, 2 unchanged"."""
    nouns: dict[str, list[str]] = {}
    for key in sorted(counts):
        noun, outcome = key.split(" ", 1)
        nouns.setdefault(noun, []).append(f"{counts[key]} {outcome}")
    order = ["procedures", "treaties", "parties", "events", "acts"]
    return "; ".join(f"{noun}: {', '.join(nouns[noun])}" for noun in order if noun in nouns) or "nothing to load"


COMMANDS = (init, load)
