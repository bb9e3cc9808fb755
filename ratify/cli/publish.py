"""ratify report: the full status report, for a document, a spreadsheet, a page or a script."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from ratify.cli.context import Settings, as_of_option, known_on_option, pass_settings, transaction
from ratify.cli.output import destination, emit, format_option, output_option, text_line

REPORT_TABLE = ("party", "party_name", "state", "progress", "stage_date", "waiting_days", "in_force_on")


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
    from ratify.reports.rows import STATUS_FIELDS

    today = date.today()
    as_of = as_of or today
    tally = Tally()
    with transaction(settings) as session:
        # One treaty at a time, from one pass over the status rows, and no event read; but the
        # page opens with the totals, so it is built whole first, and csv and ndjson need no summary.
        if fmt == "html":
            built = build_report(session, list(slugs), as_of, today=today, known_on=known_on)
        elif fmt in ("csv", "ndjson"):
            groups = treaty_rows(session, list(slugs), as_of, today=today, known_on=known_on)
        else:
            treaties = report_treaties(session, list(slugs), as_of, today=today, known_on=known_on, lanes=False)
        with destination(output) as out:
            if fmt == "html":
                from ratify.reports.html import render_html

                out.write(render_html(built))
            elif fmt == "json":
                from ratify.reports.jsondoc import write_report

                write_report(out, as_of, tally.counted(treaties), tally)
            elif fmt in ("csv", "ndjson"):
                emit(tally.rows_of(groups), fmt, STATUS_FIELDS, out=out)
            else:
                for treaty in tally.counted(treaties):
                    out.write(text_line(treaty.headline, fmt) + "\n\n")
                    emit(treaty.rows, fmt, STATUS_FIELDS, REPORT_TABLE, out=out)
                    out.write("\n")
                out.write(text_line(tally.line, fmt) + "\n")
    if output:
        count = len(built.treaties) if fmt == "html" else tally.treaties
        click.echo(f"Wrote {text_line(str(output))} ({count} treat{'y' if count == 1 else 'ies'}).", err=True)


COMMANDS = (report,)
