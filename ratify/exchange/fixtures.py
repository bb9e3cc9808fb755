"""Fixture files -> validated entries, in the order `load` applies them.

A small file is read and validated whole first, so a broken file or a bad
entry is named before anything is written; a large one (an export) an entry at
a time, in the order export writes its sections.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ratify.errors import FixtureError
from ratify.exchange.reading import SECTIONS, read_entries, read_whole
from ratify.record.inputs import Fixture, ProcedureSpec, RevisionEntry, TreatyFixture
from ratify.record.validation import render_validation_error


def read_fixture(path: Path) -> Fixture:
    """Parse and validate one whole file (a small one: templates, examples)."""
    data = read_whole(path)
    try:
        return Fixture.model_validate(data)
    except ValidationError as error:
        raise FixtureError(f"{path}: {render_validation_error(error)}") from None


def read_rule(path: Path):
    """A rule file: the `rule` of a fixture, on its own."""
    from ratify.rules.spec import Rule

    data = read_whole(path)
    try:
        return Rule.model_validate(data)
    except ValidationError as error:
        raise FixtureError(f"{path}: {render_validation_error(error)}") from None


#: Files up to this size are validated whole before anything is written, and their sections may
#: come in any order; larger ones are read an entry at a time, in the order export writes them.
WHOLE_FILE_BYTES = 1 << 20
_MODELS: dict[str, Any] = {"procedures": ProcedureSpec, "treaties": TreatyFixture, "revisions": RevisionEntry}


def fixture_entries(path: Path, progress: Callable[[int], None] | None = None) -> Iterator[tuple[str, int, Any]]:
    """(section, index, validated entry) of a fixture file, procedures first and revisions last."""
    try:
        small = path.stat().st_size <= WHOLE_FILE_BYTES
    except OSError:
        small = True
    if small:
        # Read whole, then validated whole, then applied: a broken file is named before a bad entry.
        entries = _validated(path, iter(list(read_entries(path, progress))))
        yield from sorted(entries, key=lambda entry: SECTIONS.index(entry[0]))
        return
    rank = 0
    for entry in _validated(path, read_entries(path, progress)):
        if SECTIONS.index(entry[0]) < rank:
            raise FixtureError(
                f"{path}: {entry[0]} after {SECTIONS[rank]}",
                "in a file over 1 MiB put procedures first, then treaties, then revisions (as export does)",
            )
        rank = SECTIONS.index(entry[0])
        yield entry


def _validated(path: Path, entries: Iterator[tuple[str, int | None, Any]]) -> Iterator[tuple[str, int, Any]]:
    for key, index, value in entries:
        if index is None:
            # A whole top-level value: an unknown key, or a section that is not a plain list.
            try:
                Fixture.model_validate({key: value})
            except ValidationError as error:
                raise FixtureError(f"{path}: {render_validation_error(error)}") from None
            yield from _validated(path, ((key, position, item) for position, item in enumerate(value)))
            continue
        try:
            yield key, index, _MODELS[key].model_validate(value)
        except ValidationError as error:
            raise FixtureError(f"{path}: {render_validation_error(error, (key, index))}") from None


def fixture_schema() -> str:
    """The JSON Schema of the fixture format, generated from the models."""
    import json

    schema = Fixture.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ratify fixture"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False)
