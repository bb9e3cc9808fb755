"""Rows to text: every tabulate format, plus csv, json and ndjson.

Machine formats stream row by row; tables need every row to size columns.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

import click

MACHINE_FORMATS = ("csv", "json", "ndjson")
#: Friendlier names for tabulate formats.
ALIASES = {"markdown": "github"}
FORMAT_HELP = (
    "Output format: any tabulate format (simple, github, grid, ...), markdown, csv, json or ndjson [env RATIFY_FORMAT]."
)
#: A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def check_format(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from tabulate import tabulate_formats

    value = ALIASES.get(value, value)
    if value not in MACHINE_FORMATS and value not in tabulate_formats:
        names = MACHINE_FORMATS + tuple(ALIASES) + tuple(sorted(tabulate_formats))
        raise click.BadParameter(f"{value!r} is not a format; use one of {', '.join(names)}")
    return value


def format_option(function):
    return click.option(
        "--format",
        "fmt",
        default="simple",
        show_default=True,
        envvar="RATIFY_FORMAT",
        callback=check_format,
        metavar="FMT",
        help=FORMAT_HELP,
    )(function)


def emit(
    rows: Iterable[dict[str, Any]],
    fmt: str,
    fields: Sequence[str],
    table_fields: Sequence[str] | None = None,
    out: TextIO | None = None,
) -> None:
    """Write rows in `fmt` (to stdout by default); tables show `table_fields`, other formats every field."""
    out = out or sys.stdout
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
        writer.writerows([_spreadsheet_safe(_cell(row[f])) for f in fields] for row in rows)
    else:
        from tabulate import tabulate

        columns = list(table_fields or fields)
        table = [[_cell(row[f]) for f in columns] for row in rows]
        if table:
            out.write(tabulate(table, headers=columns, tablefmt=fmt, disable_numparse=True) + "\n")


def _spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula is prefixed with a quote, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    return value


class destination:
    """stdout, or a file written whole only once the report is complete."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial") if path else None

    def __enter__(self) -> TextIO:
        if self.partial is None:
            return sys.stdout
        try:
            self.handle = self.partial.open("w", encoding="utf-8", newline="")
        except OSError as error:
            raise click.ClickException(
                f"output: cannot write {self.path} ({error.strerror}) (check that the directory exists and is writable)"
            ) from None
        return self.handle

    def __exit__(self, kind, error, _traceback) -> None:
        if self.path is None or self.partial is None:
            return
        self.handle.close()
        if error is None:
            self.partial.replace(self.path)
        else:
            self.partial.unlink(missing_ok=True)
