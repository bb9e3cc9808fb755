"""Rows to text: every tabulate format, plus csv, json and ndjson.

Machine formats stream row by row; tables need every row to size columns.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

MACHINE_FORMATS = ("csv", "json", "ndjson")
FORMAT_HELP = "Output format: any tabulate format (simple, github, grid, ...), csv, json or ndjson."


def check_format(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from tabulate import tabulate_formats

    if value not in MACHINE_FORMATS and value not in tabulate_formats:
        raise click.BadParameter(
            f"{value!r} is not a format; use one of {', '.join(MACHINE_FORMATS + tuple(sorted(tabulate_formats)))}"
        )
    return value


def format_option(function):
    return click.option(
        "--format", "fmt", default="simple", show_default=True, callback=check_format, metavar="FMT", help=FORMAT_HELP
    )(function)


def emit(
    rows: Iterable[dict[str, Any]], fmt: str, fields: Sequence[str], table_fields: Sequence[str] | None = None
) -> None:
    """Write rows to stdout in `fmt`; tables show `table_fields`, other formats every field."""
    out = sys.stdout
    if fmt == "json":
        separator = "\n  "
        out.write("[")
        for row in rows:
            out.write(separator + json.dumps({f: row[f] for f in fields}, ensure_ascii=False))
            separator = ",\n  "
        out.write("]\n" if separator == "\n  " else "\n]\n")
    elif fmt == "ndjson":
        for row in rows:
            out.write(json.dumps({f: row[f] for f in fields}, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows([_cell(row[f]) for f in fields] for row in rows)
    else:
        from tabulate import tabulate

        columns = list(table_fields or fields)
        table = [[_cell(row[f]) for f in columns] for row in rows]
        if table:
            out.write(tabulate(table, headers=columns, tablefmt=fmt, disable_numparse=True) + "\n")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    return value
