"""The report as one JSON document, written a treaty at a time.

The text is byte for byte what `json.dump(document, ensure_ascii=False,
indent=2)` writes for the whole document (docs/json.md), but the document is
never held: each treaty is written as it comes, and the totals, counted on the
way, close it. The standard library indents in pure Python; status rows are
flat, so their fields are written here with its C string encoder, and anything
else is handed back to `json.dumps`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from json.encoder import encode_basestring  # the C encoder when there is one
from typing import Any, TextIO

from ratify.reports.publish import Tally, TreatyReport

INDENT = "  "


def write_report(out: TextIO, as_of: date, treaties: Iterable[TreatyReport], tally: Tally) -> None:
    """`{"as_of": ..., "treaties": [...], "totals": {...}}`; `treaties` must pass through `tally`."""
    out.write('{\n  "as_of": ' + indented(as_of.isoformat(), 1) + ',\n  "treaties": [')
    separator = "\n" + INDENT * 2
    for treaty in treaties:
        out.write(separator + indented(treaty_object(treaty), 2))
        separator = ",\n" + INDENT * 2
    out.write("]" if separator == "\n" + INDENT * 2 else "\n" + INDENT + "]")
    out.write(',\n  "totals": ' + indented(tally.totals, 1) + "\n}\n")


def treaty_object(treaty: TreatyReport) -> dict[str, Any]:
    """One treaty of the document: its facts, summary and status rows."""
    return {
        "treaty": treaty.slug,
        "title": treaty.title,
        "kind": treaty.kind,
        "signed": treaty.signed.isoformat() if treaty.signed else None,
        "place": treaty.place,
        "summary": treaty.summary,
        "rule": treaty.rule,
        "parties": treaty.rows,
    }


def indented(value: Any, depth: int) -> str:
    """`value` as `json.dumps(value, ensure_ascii=False, indent=2)` writes it when nested `depth` levels deep."""
    scalar = _SCALARS.get(type(value))
    if scalar is not None:
        return scalar(value)
    inner, outer = "\n" + INDENT * (depth + 1), "\n" + INDENT * depth
    if type(value) is dict and value:
        items = []
        for key, item in value.items():
            if type(key) is not str:
                break  # the standard library turns other keys into text its own way
            scalar = _SCALARS.get(type(item))
            items.append(f"{encode_basestring(key)}: {scalar(item) if scalar else indented(item, depth + 1)}")
        else:
            return "{" + inner + ("," + inner).join(items) + outer + "}"
    if type(value) is list and value:
        return "[" + inner + ("," + inner).join([indented(item, depth + 1) for item in value]) + outer + "]"
    # Empty containers, floats, tuples, subclasses (enums): exactly as the standard library writes them.
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", outer)


#: How the standard library writes each plain scalar, by exact type: one lookup and one call in C.
_SCALARS: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    bool: {True: "true", False: "false"}.__getitem__,
    type(None): {None: "null"}.__getitem__,
}
