"""Rows as JSON: the one text that `--format json` and `ndjson` print and the web view's JSON twins send.

Every field asked for, in order; a date known only to the month or the year is followed by its
`<field>_precision` (docs/json.md), so that no reader takes `1949-12-31` for a day the source gave.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

#: One encoder for every row: json.dumps with an option builds a new one per call.
row_text = json.JSONEncoder(ensure_ascii=False).encode


def with_precisions(row: Mapping[str, Any], fields: Sequence[str]) -> Mapping[str, Any]:
    """The fields, each date known only to the month or year followed by its `<field>_precision`."""
    if len(row) == len(fields) and tuple(row) == tuple(fields):
        return row  # exactly the fields, in order: nothing to add or leave out (most rows of a long report)
    shown = {}
    for name in fields:
        shown[name] = row[name]
        precision = row.get(f"{name}_precision")
        if precision is not None:
            shown[f"{name}_precision"] = precision
    return shown


def json_array(rows: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> Iterator[str]:
    """The rows as one JSON array, a row a line, written as the rows come."""
    separator = "\n  "
    yield "["
    for row in rows:
        yield separator + row_text(with_precisions(row, fields))
        separator = ",\n  "
    yield "]\n" if separator == "\n  " else "\n]\n"


def json_lines(rows: Iterable[Mapping[str, Any]], fields: Sequence[str]) -> Iterator[str]:
    """The rows as newline-delimited JSON, one object a line."""
    for row in rows:
        yield row_text(with_precisions(row, fields)) + "\n"
