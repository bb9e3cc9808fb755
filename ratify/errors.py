"""The exceptions ratify raises; the CLI turns each into one line and exit 1."""

from __future__ import annotations


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
