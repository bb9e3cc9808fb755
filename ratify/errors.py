"""The exceptions ratify raises; the CLI turns each into one line and exit 1."""

from __future__ import annotations

import re


class RatifyError(Exception):
    """Something the user can fix; `hint` says how."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class Contradiction(ValueError):
    """Values that are each well formed but cannot all be true (a tally above the seats).

    Raised inside input validators, where pydantic needs a ValueError; the CLI
    reports it as a data error (exit 1), not a usage error (exit 2).
    """


class InvalidInput(RatifyError):
    """A value that is malformed or contradicts the rules."""


class MalformedInput(InvalidInput):
    """A value that does not parse (a date that is not a date, a negative count): the CLI's usage error, exit 2."""


class NotFound(RatifyError):
    """An unknown treaty, party, state, stage or procedure."""


class Conflict(RatifyError):
    """A record that already exists, or clashes with what is stored."""


class DatabaseError(RatifyError):
    """The database is missing, locked, or not a ratify database."""


class FixtureError(RatifyError):
    """An invalid entry in a fixture file; names the file and the entry."""


class OutputError(RatifyError):
    """An --output path ratify will not replace, or a write that failed (a full disk)."""


class SourceError(RatifyError):
    """A depositary's page that could not be fetched, or not read exactly (its format changed)."""


#: Characters of a quoted value an error line shows; the rest is counted, not echoed.
QUOTED_KEEP = 200
# A value quoted as repr() quotes it: the quote opens after no letter and closes before none (so an
# apostrophe in "page's" is never taken for one), and the same quote inside is escaped.
_LONG = QUOTED_KEEP + 1
_QUOTED = re.compile(
    rf"""(?<!\w)'((?:[^'\\\n]|\\.){{{_LONG},}})'(?!\w)|(?<!\w)"((?:[^"\\\n]|\\.){{{_LONG},}})"(?!\w)"""
)


def cut_quoted(message: str, keep: int = QUOTED_KEEP) -> str:
    """An error line with each long quoted value cut to its first `keep` characters and its length.

    A 50 MB participant's name once came back whole in the line that refused it.
    """

    def cut(found: re.Match[str]) -> str:
        quote = found.group(0)[0]
        value = found.group(1) if found.group(1) is not None else found.group(2)
        return f"{quote}{value[:keep]}{quote}... ({len(value):,} characters)"

    return _QUOTED.sub(cut, message) if len(message) > keep else message
