"""Rows to text: every tabulate format, plus csv, json and ndjson.

Machine formats stream row by row; tables need every row to size columns.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import click
from click.core import ParameterSource

from ratify.cli.context import Settings, translated_errors
from ratify.errors import OutputError
from ratify.reports.escaping import FORMULA_STARTS, for_cells, for_format
from ratify.reports.jsonrows import json_array, json_lines

MACHINE_FORMATS = ("csv", "json", "ndjson")
#: Friendlier names for tabulate formats.
ALIASES = {"markdown": "github"}
FORMAT_HELP = (
    "Output format: any tabulate format (simple, github, grid, ...), markdown, csv, json or ndjson [env RATIFY_FORMAT]."
)


def check_format(ctx: click.Context, param: click.Parameter, value: str, extra: Sequence[str] = ()) -> str:
    from tabulate import tabulate_formats

    value = ALIASES.get(value, value)
    if value not in MACHINE_FORMATS and value not in tabulate_formats and value not in extra:
        names = ", ".join(format_names(extra))
        if ctx.get_parameter_source(param.name or "") is ParameterSource.ENVIRONMENT:
            # The user typed no --format: the line must point at where the value came from.
            raise click.UsageError(
                f"RATIFY_FORMAT={value!r} is not a format (set it to one of {names}, or unset it)", ctx=ctx
            )
        raise click.BadParameter(f"{value!r} is not a format; use one of {names}")
    return value


def format_names(extra: Sequence[str] = ()) -> tuple[str, ...]:
    """Every --format value, the commonest first."""
    from tabulate import tabulate_formats

    return MACHINE_FORMATS + tuple(extra) + tuple(ALIASES) + tuple(sorted(tabulate_formats))


def _complete_format(extra: Sequence[str]):
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(name) for name in format_names(extra) if name.startswith(incomplete)]

    return complete


def format_option(function):
    return format_option_with()(function)


def format_option_with(*extra: str):
    """--format, with formats only this command writes (`changes` also writes an Atom feed)."""
    help_text = FORMAT_HELP
    if extra:
        help_text = FORMAT_HELP.replace(" or ndjson", f", ndjson or {', '.join(extra)}")

    def decorate(function):
        return click.option(
            "--format",
            "fmt",
            default="simple",
            show_default=True,
            envvar="RATIFY_FORMAT",
            callback=lambda ctx, param, value: check_format(ctx, param, value, extra),
            metavar="FMT",
            shell_complete=_complete_format(extra),
            help=help_text,
        )(_columns_option(_paging(function)))

    return decorate


#: Formats that are data for another program, or a page: never through the pager.
UNPAGED = (*MACHINE_FORMATS, "atom", "html", "unsafehtml")


def _paging(function):
    """Tables printed to a terminal go through the pager, unless --no-pager or the command writes to a file."""
    import functools

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        from ratify.cli.pager import paged

        settings = click.get_current_context().find_object(Settings)
        wanted = bool(settings and settings.pager) and kwargs.get("fmt") not in UNPAGED and not kwargs.get("output")
        with paged(wanted):
            return function(*args, **kwargs)

    return run


def _columns_option(function):
    """--columns and --wide: which fields a table shows; kept aside for emit(), not passed to the command."""

    def keep(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value:
            ctx.meta["ratify.columns"] = [name.strip() for name in value.split(",") if name.strip()]

    def keep_wide(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta["ratify.wide"] = True

    function = click.option(
        "--wide",
        is_flag=True,
        expose_value=False,
        callback=keep_wide,
        help="Tables: the wide view's columns, whatever the terminal's width (csv and json carry every field).",
    )(function)
    return click.option(
        "--columns",
        metavar="A,B,...",
        expose_value=False,
        callback=keep,
        help="Only these fields, in this order (names as in --format json).",
    )(function)


@dataclass(frozen=True)
class Table:
    """A view's table columns, chosen by the room there is, as gh and kubectl do.

    `full` when it fits the terminal (and always on a pipe or in a file, where nothing wraps);
    `compact` when it does not, chosen to fit 80 columns; `wide` with --wide. csv, json and
    ndjson are not tables: they carry every field whatever is chosen here.
    """

    full: tuple[str, ...]
    compact: tuple[str, ...]
    wide: tuple[str, ...] = ()

    def choose(self, width: int | None, cells: Callable[[Sequence[str]], list[list[Any]]]) -> tuple[str, ...]:
        """The columns to show at `width` (None: no terminal, nothing wraps), given the rows' cells for any set."""
        if _wanted("ratify.wide"):
            return self.wide or self.full
        if width is None or _fits(cells(self.full), self.full, width):
            return self.full
        return self.compact


def _wanted(key: str) -> Any:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(key) if ctx else None


def chosen_columns(available: Sequence[str], shown: Sequence[str]) -> list[str]:
    """The fields --columns asks for (each checked against `available`), else `shown`."""
    wanted = _wanted("ratify.columns")
    if not wanted:
        return list(shown)
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise click.BadParameter(
            f"{unknown[0]!r} is not a field here; use some of {', '.join(available)}", param_hint="'--columns'"
        )
    return list(wanted)


def _floors(table: list[list[Any]], headers: Sequence[str]) -> tuple[list[int], list[int]]:
    """Each column's natural width, and the narrowest it may wrap to.

    A column never gets narrower than its header (tabulate pads it by two) or its longest word, a
    hyphenated word counting by its parts (the wrapper breaks after a hyphen); a column without a
    space in any cell (an id, a slug, a date, a number) is never wrapped at all.
    """
    widest = [max([len(str(h)) + 2, *(len(str(r[i])) for r in table)]) for i, h in enumerate(headers)]
    floors = []
    for i, header in enumerate(headers):
        cells = [str(r[i]) for r in table]
        if any(" " in cell for cell in cells):
            pieces = (len(piece) for cell in cells for word in cell.split() for piece in _HYPHEN_BREAK.split(word))
            floors.append(max([len(str(header)) + 2, *pieces]))
        else:
            floors.append(widest[i])
    return widest, floors


#: Where textwrap may break a word: after a hyphen between letters or digits.
_HYPHEN_BREAK = re.compile(r"(?<=\w-)(?=\w)")


def _fits(table: list[list[Any]], headers: Sequence[str], width: int) -> bool:
    """Whether wrapping the text columns can bring the table within `width`."""
    return not table or sum(_floors(table, headers)[1]) + 2 * (len(headers) - 1) <= width


def fit_to_width(table: list[list[Any]], headers: Sequence[str], width: int) -> list[int | None]:
    """Column widths that wrap the widest text columns, at word breaks, until a table fits `width`.

    A table that still does not fit is left to the terminal to wrap (see _floors).
    """
    widest, floors = _floors(table, headers)
    limits: list[int | None] = [None] * len(headers)
    budget = width - 2 * (len(headers) - 1)  # the simple formats put two spaces between columns
    sizes = list(widest)
    while sum(sizes) > budget:
        shrinkable = [k for k in range(len(sizes)) if sizes[k] > floors[k]]
        if not shrinkable:
            break
        i = max(shrinkable, key=lambda k: sizes[k] - floors[k])
        sizes[i] -= 1
        limits[i] = sizes[i]
    return limits


def _terminal_width(out: TextIO) -> int | None:
    """RATIFY_WIDTH if set, else the terminal's width when writing to one; None: never wrap (a pipe, a file)."""
    import os
    import shutil

    if os.environ.get("RATIFY_WIDTH", "").isdigit():
        return int(os.environ["RATIFY_WIDTH"])
    try:
        return shutil.get_terminal_size().columns if out.isatty() else None
    except (AttributeError, ValueError, OSError):
        return None


def emit(
    rows: Iterable[Mapping[str, Any]],
    fmt: str,
    fields: Sequence[str],
    table_fields: Sequence[str] | Table | None = None,
    out: TextIO | None = None,
) -> None:
    """Write rows in `fmt` (to stdout by default); tables show `table_fields`, other formats every field.

    --columns chooses the fields in every format. A table written to a terminal (or at RATIFY_WIDTH)
    shows the columns of `table_fields` that fit (a Table chooses) and wraps its widest cells to fit;
    csv, json and ndjson keep every value whole.
    """
    out = out or sys.stdout
    if isinstance(table_fields, Table):
        if fmt in MACHINE_FORMATS or _wanted("ratify.columns"):
            table_fields = table_fields.full
        else:
            rows = list(rows)  # the columns depend on what the rows hold
            table_fields = table_fields.choose(_terminal_width(out), lambda names: _cells(rows, names, fmt))
    shown = chosen_columns(fields, fields if fmt in MACHINE_FORMATS else (table_fields or fields))
    if fmt in MACHINE_FORMATS:
        fields = shown
    if fmt == "json":
        out.writelines(json_array(rows, fields))
    elif fmt == "ndjson":
        out.writelines(json_lines(rows, fields))
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows(_csv_cells(row, fields) for row in rows)
    else:
        from tabulate import tabulate

        columns = shown
        table = _cells(rows, columns, fmt)
        if table:
            width = _terminal_width(out)
            limits = fit_to_width(table, columns, width) if width else None
            text = tabulate(table, headers=columns, tablefmt=fmt, disable_numparse=True, maxcolwidths=limits)
            out.write(text + "\n")


def _cells(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], fmt: str) -> list[list[Any]]:
    """The table's cells as printed: empty for no value, yes for true, escaped for the format."""
    escape = for_cells(fmt)
    return [[_inert(_cell(row[f]), escape) for f in columns] for row in rows]


def choose_columns(rows: Sequence[Mapping[str, Any]], table: Table, fmt: str) -> tuple[str, ...]:
    """One choice for several tables of one report (pending's groups), so that they share their columns."""
    if _wanted("ratify.columns") or fmt in MACHINE_FORMATS:
        return table.full
    return table.choose(_terminal_width(sys.stdout), lambda names: _cells(rows, names, fmt))


def wrapped(text: str, fmt: str = "simple", *, indent: str = "", out: TextIO | None = None) -> str:
    """Free text beside a table, escaped for the format, wrapped to the terminal (continued under `indent`).

    A word longer than the line (a long URL) keeps a line of its own, whole, so that it can still be copied.
    """
    line = text_line(text, fmt)
    width = _terminal_width(out or sys.stdout)
    if width is None or len(line) <= width:
        return line
    import textwrap

    return (
        "\n".join(
            textwrap.wrap(
                line,
                width=max(width, len(indent) + 20),
                subsequent_indent=indent,
                break_on_hyphens=False,
                break_long_words=False,
            )
        )
        or line
    )


def _inert(value: Any, escape: Callable[[str], str]) -> Any:
    return escape(value) if isinstance(value, str) else value


def text_line(text: str, fmt: str = "simple") -> str:
    """Free text printed beside a table (a title, a summary), escaped for the format."""
    return for_format(fmt)(text)


def echo_line(text: str, fmt: str = "simple") -> None:
    click.echo(text_line(text, fmt))


def _csv_cells(row: Mapping[str, Any], fields: Sequence[str]) -> list[Any]:
    """A row's cells for a spreadsheet: no value as empty, yes/no as "yes"/empty, no text run as a formula.

    Text a spreadsheet would run as a formula is prefixed with a quote, so it stays text.
    """
    return [
        value
        if value is None  # the csv module writes None as an empty cell
        else (
            ("yes" if value else "")
            if value is True or value is False
            else ("'" + value if isinstance(value, str) and value[:1] in _FORMULA_FIRST else value)
        )
        for value in map(row.__getitem__, fields)
    ]


_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    return value


class OutputPathType(click.ParamType):
    """A path ratify may write a report to: refused at once if it is the database, a link, a device..."""

    name = "FILE"
    names_a_file = True  # any bytes may name a file: not refused as text that is not UTF-8

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path | None:
        from ratify.outfile import check_target

        if value == "-":  # standard output, as Unix tools read it
            return None
        path = Path(value)  # '' becomes '.', which check_target refuses as no file name
        try:
            check_target(path, protected=_protected(ctx))
        except OutputError as error:
            self.fail(str(error).removeprefix("output: "), param, ctx)
        return path


def output_option(function):
    return click.option(
        "--output",
        type=OutputPathType(),
        default=None,
        help="Write to FILE ('-': stdout, the default): a new file, or a regular file it replaces whole once complete.",
    )(function)


def _protected(ctx: click.Context | None) -> list[Path]:
    """The database's own file, which no output may replace."""
    settings = ctx.find_object(Settings) if ctx else None
    path = settings.database_file() if settings else None
    return [path] if path else []


@contextmanager
def destination(path: Path | None) -> Iterator[TextIO]:
    """stdout, or a file written whole only once the report is complete (see ratify.outfile)."""
    if path is None:
        yield sys.stdout
        return
    from ratify.outfile import replacing

    with translated_errors(), replacing(path, protected=_protected(click.get_current_context(silent=True))) as out:
        yield out


class Counted:
    """An iterable that counts what passes through it, so a command can say when nothing did."""

    def __init__(self, rows: Iterable[Any]) -> None:
        self._rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Any]:
        for row in self._rows:
            self.count += 1
            yield row
