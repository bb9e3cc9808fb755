"""ratify report: the full status report, for a document, a spreadsheet, a page or a script."""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from ratify.cli.context import Settings, as_of_option, known_on_option, pass_settings, transaction
from ratify.cli.output import Table, destination, emit, format_option, output_option, text_line, wrapped

if TYPE_CHECKING:
    from ratify.reports.publish import Tally

REPORT_TABLE = Table(
    full=("party", "party_name", "state", "progress", "stage_date", "waiting_days", "in_force_on"),
    compact=("party", "party_name", "progress", "waiting_days"),
    wide=("party", "party_name", "state", "progress", "stage_date", "next_expected_by", "last_step", "waiting_days")
    + ("deposited_on", "in_force_on"),
)


@click.command()
@click.argument("slugs", nargs=-1, metavar="[SLUG]...")
@as_of_option
@known_on_option
@format_option
@output_option
@pass_settings
def report(
    settings: Settings,
    slugs: tuple[str, ...],
    as_of: date | None,
    known_on: datetime | None,
    fmt: str,
    output: Path | None,
) -> None:
    """The full status report: per treaty a summary line and its parties; totals at the end.

    --format html writes one self-contained page with a timeline per treaty.

    \b
    Examples:
      ratify report rus-prk-2024 --as-of 2024-10-25
      ratify report --format html --output status.html
      ratify report --format csv --output status.csv
    """
    from ratify.reports.publish import Tally, build_report, report_treaties, treaty_rows

    today = date.today()
    as_of = as_of or today
    with transaction(settings) as session:
        if fmt == "html":  # the page opens with the totals: built whole first
            from ratify.reports.html import render_html

            built = build_report(session, list(slugs), as_of, today=today, known_on=known_on)
            with destination(output) as out:
                out.write(render_html(built))
            count = len(built.treaties)
        else:  # one treaty at a time, from one pass over the status rows; no event is read
            tally = Tally()
            if fmt in ("csv", "ndjson"):  # rows only: no summary is made
                stream: Generator = treaty_rows(session, list(slugs), as_of, today=today, known_on=known_on)
            else:
                stream = report_treaties(session, list(slugs), as_of, today=today, known_on=known_on, lanes=False)
            # Closed before the transaction ends, even when writing fails half-way.
            with contextlib.closing(stream), destination(output) as out:
                _write(out, fmt, as_of, stream, tally)
            count = tally.treaties
    if output:
        click.echo(f"Wrote {text_line(str(output))} ({count} treat{'y' if count == 1 else 'ies'}).", err=True)


def _write(out: TextIO, fmt: str, as_of: date, stream: Generator, tally: Tally) -> None:
    from ratify.reports.rows import STATUS_FIELDS

    if fmt == "json":
        from ratify.reports.jsondoc import write_report

        write_report(out, as_of, tally.counted(stream), tally)
    elif fmt in ("csv", "ndjson"):
        emit(tally.rows_of(stream), fmt, STATUS_FIELDS, out=out)
    else:
        for treaty in tally.counted(stream):
            out.write(wrapped(treaty.headline, fmt, indent="  ", out=out) + "\n\n")
            emit(treaty.rows, fmt, STATUS_FIELDS, REPORT_TABLE, out=out)
            out.write("\n")
        out.write(wrapped(tally.line, fmt, indent="  ", out=out) + "\n")
