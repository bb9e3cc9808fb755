"""The report as one JSON document, written a treaty at a time.

The text is byte for byte what `json.dump(document, ensure_ascii=False,
indent=2)` writes for the whole document (docs/json.md), but the document is
never held: each treaty is written as it comes, and the totals, counted on the
way, close it. The text of each part comes from `ratify.jsontext`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, TextIO

from ratify.jsontext import INDENT, indented
from ratify.reports.publish import Tally, TreatyReport


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
