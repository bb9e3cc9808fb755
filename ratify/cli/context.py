"""What every command shares: the database option, transactions, errors, dates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from sqlmodel import Session

    from ratify.store import Database


class Settings:
    def __init__(self, location: str | None) -> None:
        self.location = location

    def database(self) -> Database:
        from ratify.store import Database, default_location

        return Database(self.location or default_location())


pass_settings = click.make_pass_decorator(Settings)


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn library errors into `Error: <what> (<how to fix>)` and exit 1."""
    from pydantic import ValidationError

    from ratify.errors import RatifyError
    from ratify.validation import render_validation_error

    try:
        yield
    except RatifyError as error:
        raise click.ClickException(str(error)) from None
    except ValidationError as error:
        raise click.UsageError(render_validation_error(error)) from None


@contextmanager
def transaction(settings: Settings, *, write: bool = False) -> Iterator[Session]:
    """One command, one transaction; nothing is written if anything fails."""
    with translated_errors():
        database = settings.database()
        try:
            with database.transaction(write=write) as session:
                yield session
        finally:
            database.close()


class IsoDateType(click.ParamType):
    """A calendar date given as YYYY-MM-DD; anything else is a usage error."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        from ratify.dates import to_date

        try:
            return to_date(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


ISO_DATE = IsoDateType()


def as_of_option(function):
    return click.option(
        "--as-of",
        type=ISO_DATE,
        default=None,
        metavar="DATE",
        help="Report the state as it was on DATE (YYYY-MM-DD); default today.",
    )(function)
