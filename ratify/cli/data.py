"""ratify db init (or ratify init), ratify load."""

from __future__ import annotations

from pathlib import Path

import click

from ratify.cli.context import Settings, pass_settings, transaction, translated_errors
from ratify.cli.output import destination, output_option, text_line


@click.command()
@pass_settings
def init(settings: Settings) -> None:
    """Create the database and store the built-in procedure templates.

    Safe to run again: it adds templates that are new and leaves data alone.
    `ratify init` is the short form of `ratify db init`.

    \b
    Examples:
      ratify db init
      ratify --db treaties.db init
    """
    from ratify.exchange.loader import load_builtin_templates

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
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path, allow_dash=True)
)
@click.option("--update", is_flag=True, help="Where a file and the database disagree, take the file's value.")
@pass_settings
def load(settings: Settings, files: tuple[Path, ...], update: bool) -> None:
    """Load fixtures (YAML or JSON: procedures, treaties, parties, events, acts) or a CSV of events.

    All files load in one transaction: one invalid entry and nothing is written.
    Loading the same file twice changes nothing. A CSV has one event per row,
    with the columns treaty, party, stage, status, date, reading, readings, round,
    yes, no, abstain, not_voting, absent, seats, present, unanimous, consent,
    effective, source, note.

    A FILE of '-' is standard input (JSON, YAML or an events CSV, told apart by how it begins).

    \b
    Examples:
      ratify load fixtures/treaties/*.yaml
      ratify --db other.db export --format json | ratify load -
    """
    import tempfile

    from ratify.exchange.loader import load_files

    with tempfile.TemporaryDirectory(prefix="ratify-stdin-") as scratch:
        names: dict[Path, str] = {}
        paths = []
        for path in files:
            if str(path) == "-":
                path = _stdin_to_file(Path(scratch))
                names[path] = "-"
            paths.append(path)
        size = sum(path.stat().st_size for path in paths)
        with transaction(settings, write=True) as session, progress_bar(size, "Loading") as bar:
            counts = load_files(session, paths, update=update, progress=bar.update, names=names)
    click.echo(f"Loaded {len(files)} file(s): {summarise(counts)}.", err=True)


def _stdin_to_file(directory: Path) -> Path:
    """Standard input copied to a file whose suffix says what it holds, so it loads like any file."""
    import sys

    from ratify.exchange.reading import spool

    spooled = directory / "stdin"
    with translated_errors():
        spool(sys.stdin.buffer, spooled)
    with spooled.open("rb") as handle:
        start = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    first_line = start.split(b"\n", 1)[0].lower()
    if start[:1] in (b"{", b"["):
        suffix = ".json"
    elif b"treaty" in first_line and b"party" in first_line and b"," in first_line:
        suffix = ".csv"
    else:
        suffix = ".yaml"
    return spooled.rename(spooled.with_suffix(suffix))


@click.command()
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@output_option
@pass_settings
def export(settings: Settings, fmt: str, output: Path | None) -> None:
    """Write the whole database in the fixture format; `ratify load` brings it back.

    Example: ratify export --output backup.yaml
    """
    from ratify.exchange.export import count_treaties, export_text

    with transaction(settings) as session:
        count = count_treaties(session)
        with progress_bar(count, "Exporting") as bar, destination(output) as out:
            for chunk in export_text(session, fmt, progress=bar.update):
                out.write(chunk)
    if output:
        click.echo(f"Wrote {text_line(str(output))} ({count} treaties).", err=True)


@click.command()
def schema() -> None:
    """Print the JSON Schema of the fixture format (what `load` reads and `export` writes).

    Example: ratify schema > fixture.schema.json
    """
    from ratify.exchange.loader import fixture_schema

    click.echo(fixture_schema())


class progress_bar:
    """A progress bar on a terminal, nothing on a pipe or in a file."""

    def __init__(self, length: int, label: str) -> None:
        import sys

        self.bar = click.progressbar(length=length, label=label, file=sys.stderr) if sys.stderr.isatty() else None

    def __enter__(self):
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def update(self, steps: int) -> None:
        if self.bar is not None:
            self.bar.update(steps)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


def summarise(counts) -> str:
    """{"events inserted": 7, "events unchanged": 2} -> "events: 7 inserted, 2 unchanged"."""
    nouns: dict[str, list[str]] = {}
    for key in sorted(counts):
        noun, outcome = key.split(" ", 1)
        nouns.setdefault(noun, []).append(f"{counts[key]} {outcome}")
    order = ["procedures", "treaties", "parties", "events", "acts"]
    return "; ".join(f"{noun}: {', '.join(nouns[noun])}" for noun in order if noun in nouns) or "nothing to load"
