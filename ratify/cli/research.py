"""ratify changes, ratify durations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import click

from ratify.cli.context import ISO_DATE, Settings, as_of_option, pass_settings, transaction
from ratify.cli.output import Table, emit, format_option, format_option_with

CHANGES_TABLE = Table(
    full=("recorded_at", "recorded_by", "treaty", "party", "what", "date"),
    compact=("treaty", "party", "what", "date"),
    wide=("recorded_at", "recorded_by", "treaty", "party", "what", "date", "id", "source", "reason"),
)


@click.command()
@click.option("--since", type=ISO_DATE, required=True, help="List what was recorded on or after this date.")
@format_option_with("atom")
@pass_settings
def changes(settings: Settings, since: date, fmt: str) -> None:
    """What was recorded since a date, with who recorded it and the source: a digest.

    --format atom writes an Atom feed, the one 'ratify serve' publishes at /changes.atom.

    \b
    Examples:
      ratify changes --since 2024-11-01 --format markdown
      ratify changes --since 2024-11-01 --format atom > changes.atom
    """
    from ratify.reports.research import CHANGE_FIELDS, changes_rows

    with transaction(settings) as session:
        rows = changes_rows(session, datetime.combine(since, time.min, tzinfo=UTC))
        if fmt == "atom":
            from ratify.reports.atom import render_atom

            click.echo(render_atom(rows, since), nl=False)
        else:
            emit(rows, fmt, CHANGE_FIELDS, CHANGES_TABLE)


@click.command()
@click.argument("slugs", nargs=-1, metavar="[SLUG]...")
@click.option("--summary/--no-summary", default=True, help="Add the median and quartiles per step (tables only).")
@as_of_option
@format_option
@pass_settings
def durations(settings: Settings, slugs: tuple[str, ...], summary: bool, as_of: date | None, fmt: str) -> None:
    """Days from each party's signature to each stage and to entry into force.

    \b
    Examples:
      ratify durations --format csv > durations.csv
      ratify durations tpnw-2017 --as-of 2021-01-22
    """
    from ratify.reports.research import durations as compute

    with transaction(settings) as session:
        columns, rows, stats = compute(session, list(slugs), as_of=as_of or date.today())
    # Narrow, the days to consent and to entry into force: what most readers of these figures compare.
    compact = ("treaty", "party", *(name for name in ("instrument", "in_force") if name in columns))
    emit(rows, fmt, columns, Table(full=tuple(columns), compact=compact))
    if summary and fmt not in ("csv", "json", "ndjson") and stats:
        click.echo()
        emit(stats, fmt, ("step", "parties", "median", "q1", "q3", "min", "max"))
