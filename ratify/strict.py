"""The base every validated input shares: unknown fields are errors, text is trimmed and bounded.

The bounds are in `ratify.limits` (docs/limits.md).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ratify.limits import (
    DEPOSITARY_NOTE_LIMIT,
    MAX_INT,
    NAME_LIMIT,
    NOTE_LIMIT,
    SOURCE_LIMIT,
    SOURCES_LIMIT,
    STATEMENT_LIMIT,
    TITLE_LIMIT,
)

NonNegative = Annotated[int, Field(ge=0, le=MAX_INT)]
Positive = Annotated[int, Field(gt=0, le=MAX_INT)]

# Control characters would reach a terminal (escape sequences, the bell) or be refused by
# one store and kept by the other (NUL); a line break inside a one-line field breaks tables.
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _describe(character: str) -> str:
    if character == "\x00":
        return "a NUL character"
    if character in "\n\r":
        return "a line break (keep it to one line)"
    return f"a control character (U+{ord(character):04X})"


def check_line(value: str) -> str:
    """One line of printable text."""
    found = _CONTROL_IN_LINE.search(value)
    if found:
        raise ValueError(f"contains {_describe(found.group())}")
    return value


def check_text(value: str) -> str:
    """Printable text; tabs and line breaks allowed."""
    found = _CONTROL_IN_TEXT.search(value)
    if found:
        raise ValueError(f"contains {_describe(found.group())}")
    return value


Name = Annotated[str, Field(max_length=NAME_LIMIT), AfterValidator(check_line)]
Title = Annotated[str, Field(max_length=TITLE_LIMIT), AfterValidator(check_line)]
Source = Annotated[str, Field(max_length=SOURCE_LIMIT), AfterValidator(check_line)]
Note = Annotated[str, Field(max_length=NOTE_LIMIT), AfterValidator(check_text)]
Statement = Annotated[str, Field(max_length=STATEMENT_LIMIT), AfterValidator(check_text)]
DepositaryNote = Annotated[str, Field(max_length=DEPOSITARY_NOTE_LIMIT), AfterValidator(check_text)]
Sources = Annotated[list[Source], Field(max_length=SOURCES_LIMIT)]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
