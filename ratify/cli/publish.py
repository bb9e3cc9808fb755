"""ratify report: the full status report, for a document, a spreadsheet, a page or a script."""

from __future__ import annotations

import json
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
    from ratify.reports.publish import build_report
    from ratify.reports.rows import STATUS_FIELDS

    today = date.today()
    with transaction(settings) as session:
        built = build_report(session, list(slugs), as_of or today, today=today, known_on=known_on)
    with destination(output) as out:
        if fmt == "html":
            from ratify.reports.html import render_html

            out.write(render_html(built))
        elif fmt == "json":
            json.dump(_as_json(built), out, ensure_ascii=False, indent=2)
            out.write("\n")
        elif fmt in ("csv", "ndjson"):
            emit((row for treaty in built.treaties for row in treaty.rows), fmt, STATUS_FIELDS, out=out)
        else:
            for treaty in built.treaties:
                out.write(text_line(treaty.headline, fmt) + "\n\n")
                emit(treaty.rows, fmt, STATUS_FIELDS, REPORT_TABLE, out=out)
                out.write("\n")
            out.write(text_line(built.totals_line, fmt) + "\n")
    if output:
        count = len(built.treaties)
        click.echo(f"Wrote {text_line(str(output))} ({count} treat{'y' if count == 1 else 'ies'}).", err=True)


def _as_json(built) -> dict:
    return {
        "as_of": built.as_of.isoformat(),
        "treaties": [
            {
                "treaty": treaty.slug,
                "title": treaty.title,
                "kind": treaty.kind,
                "signed": treaty.signed.isoformat() if treaty.signed else None,
                "place": treaty.place,
                "summary": treaty.summary,
                "rule": treaty.rule,
                "parties": treaty.rows,
            }
            for treaty in built.treaties
        ],
        "totals": built.totals,
    }


COMMANDS = (report,)
