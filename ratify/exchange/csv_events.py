"""Events kept in a spreadsheet: one row each, validated like any other input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from ratify.errors import FixtureError
from ratify.record.inputs import EventCreate
from ratify.record.validation import render_validation_error

#: The columns of an events CSV; `treaty`, `party`, `stage` and `date` are required.
EVENT_CSV_COLUMNS = (
    "treaty",
    "party",
    "stage",
    "status",
    "date",
    "reading",
    "readings",
    "round",
    "yes",
    "no",
    "abstain",
    "not_voting",
    "absent",
    "seats",
    "present",
    "unanimous",
    "consent",
    "effective",
    "source",
    "note",
)
_CSV_TALLY = ("yes", "no", "abstain", "not_voting", "absent", "seats", "present")


def read_event_csv(path: Path) -> list[tuple[int, str, str, EventCreate]]:
    """(line, treaty, party, event) for each row; any invalid row rejects the whole file."""
    return list(event_rows(path))


def event_rows(path: Path) -> Iterator[tuple[int, str, str, EventCreate]]:
    """(line, treaty, party, event) for each row, read as they come: a file may be read twice, never held."""
    import csv
    import logging

    logging.getLogger(__name__).info("reading %s", path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            unknown = [name for name in header if name not in EVENT_CSV_COLUMNS]
            missing = [name for name in ("treaty", "party", "stage", "date") if name not in header]
            # csv.DictReader keeps the last of two same-named columns without a word.
            repeated = sorted({name for name in header if header.count(name) > 1})
            if repeated:
                raise FixtureError(
                    f"{path}: the column {', '.join(repeated)} appears more than once", "keep one of each column"
                )
            if unknown or missing:
                problem = (
                    f"unknown columns {', '.join(unknown)}" if unknown else f"missing columns {', '.join(missing)}"
                )
                raise FixtureError(f"{path}: {problem}", f"use the columns {', '.join(EVENT_CSV_COLUMNS)}")
            for line, row in enumerate(reader, start=2):
                yield _event(path, line, row)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise FixtureError(f"{path}: cannot be read as CSV ({error})") from None


def _event(path: Path, line: int, row: dict) -> tuple[int, str, str, EventCreate]:
    if None in row:  # cells beyond the header, which DictReader would set aside
        raise FixtureError(f"{path}: row {line} has more cells than the header has columns", "check its commas")
    values = {key: value.strip() for key, value in row.items() if key and value and value.strip()}
    try:
        tally = {field: values.pop(field) for field in _CSV_TALLY if field in values}
        if values.pop("unanimous", "").lower() in ("yes", "true", "1"):
            tally["unanimous"] = True
        treaty, party = values.pop("treaty", ""), values.pop("party", "")
        event = EventCreate.model_validate({**values, "vote": tally or None})
    except ValidationError as error:
        raise FixtureError(f"{path}: row {line}: {render_validation_error(error)}") from None
    return line, treaty, party, event
