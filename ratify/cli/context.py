"""What every command shares: the database option, transactions, errors, dates."""

from __future__ import annotations

import errno
import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ratify.vocab import ActKind, ConsentType, StageKind

if TYPE_CHECKING:
    from sqlmodel import Session

    from ratify.api import Tracker
    from ratify.store.database import Database


# Click >= 8.2 raises this for a bare group; its message is the help text itself.
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that subcommand runs or shows its help.

    `lazy` maps each name to ("module:attribute", short help): the short help is what the
    group's own --help lists, so listing the commands imports none of them.
    """

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            self.add_command(self.load(cmd_name))
        return super().get_command(ctx, cmd_name)

    def load(self, cmd_name: str) -> click.Command:
        module_name, attribute = self.lazy[cmd_name][0].split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command) or command.name != cmd_name:
            raise TypeError(f"{module_name}:{attribute} is not the command {cmd_name!r}")
        # A command loaded late checks its arguments as one loaded at start-up would.
        use_context_class(command, self.context_class)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        listed = [name for name in self.list_commands(ctx) if name in self.lazy or not self.commands[name].hidden]
        if not listed:
            return None
        limit = formatter.width - 6 - max(len(name) for name in listed)
        rows = [(name, self.listed_help(name, limit)) for name in listed]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
        return None

    def listed_help(self, cmd_name: str, limit: int) -> str:
        if cmd_name in self.commands:
            return self.commands[cmd_name].get_short_help_str(limit)
        return click.Command(cmd_name, help=self.lazy[cmd_name][1]).get_short_help_str(limit)


class RatifyGroup(LazyGroup):
    """The root group: every error, usage errors included, is one line on stderr.

    Click prints a usage banner above a bad parameter; a script or a careful
    reader needs only the line that names the field and the fix.
    """

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        if not standalone_mode:
            return super().main(*args, **kwargs)
        try:
            result = super().main(*args, **kwargs)
            sys.stdout.flush()  # a full disk shows here, not at exit as a traceback
            return result
        except _NO_ARGS_IS_HELP as error:
            error.show()
            sys.exit(error.exit_code)
        except click.ClickException as error:  # usage errors included
            _echo_error(error.format_message())
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except OSError as error:  # writing to stdout: a full disk, a closed pipe
            _silence_stdout()
            if error.errno == errno.EPIPE:  # a reader that stopped early (| head) got what it wanted
                sys.exit(0)
            _echo_error(f"cannot write the output ({error.strerror or error})")
            sys.exit(1)

    def invoke(self, ctx: click.Context) -> Any:
        # Click would turn a closed pipe into exit status 1 before main() sees it.
        try:
            return super().invoke(ctx)
        except OSError as error:
            if error.errno != errno.EPIPE:
                raise
            _silence_stdout()
            raise click.exceptions.Exit(0) from None


class RatifyContext(click.Context):
    """Every command's context: text arguments are checked before the command runs.

    A byte that is not UTF-8 reaches Python as a lone surrogate ('\\udcff'), which the database
    driver cannot encode: it is refused here, naming the argument. File names are left alone,
    since a file may be named in any bytes.
    """

    def invoke(self, callback: Any, /, *args: Any, **kwargs: Any) -> Any:
        if self.command is not None and callback is self.command.callback:
            _refuse_undecodable(self)
        return super().invoke(callback, *args, **kwargs)


def _refuse_undecodable(ctx: click.Context) -> None:
    for param in ctx.command.params:
        if isinstance(param.type, (click.Path, click.File)) or _names_a_file(param):
            continue
        value = ctx.params.get(param.name or "")
        for item in value if isinstance(value, (tuple, list)) else (value,):
            if isinstance(item, str) and not _is_utf8(item):
                shown = item.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                raise click.BadParameter(
                    f"'{shown}' is not valid UTF-8 (ratify reads arguments as UTF-8; check the terminal's encoding)",
                    ctx=ctx,
                    param=param,
                )


def _names_a_file(param: click.Parameter) -> bool:
    """A parameter whose value may be a file's name (a SQLite --db, --output, a page to import)."""
    return bool(getattr(param.type, "names_a_file", False) or getattr(param, "names_a_file", False))


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def use_ratify_context(command: click.Command) -> None:
    """Give `command` and every command under it, loaded now or later, the checking context."""
    use_context_class(command, RatifyContext)


def use_context_class(command: click.Command, context_class: type[click.Context]) -> None:
    command.context_class = context_class
    for child in getattr(command, "commands", {}).values():
        use_context_class(child, context_class)


def _echo_error(message: str) -> None:
    """The one line on stderr; a value quoted from the input cannot send the terminal an escape sequence,
    nor fill it (a long quoted value is cut)."""
    from ratify.errors import cut_quoted
    from ratify.reports.escaping import terminal

    click.echo(f"Error: {terminal(cut_quoted(message))}", err=True)


def _silence_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's last flush cannot fail again."""
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):  # not a real file (a test runner's buffer)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


class Settings:
    def __init__(self, location: str | None, *, pager: bool = True) -> None:
        self.location = location
        self.pager = pager

    def database(self) -> Database:
        from ratify.store.database import Database, default_location

        return Database(self.location or default_location())

    def tracker(self) -> Tracker:
        """The Python API on this command's database: commands that record go through it."""
        from ratify.api import Tracker

        with translated_errors():
            return Tracker(self.location)

    def database_file(self) -> Path | None:
        """The SQLite file the database lives in (None for PostgreSQL), without opening it."""
        from ratify.store.database import default_location, sqlite_path

        return sqlite_path(self.location or default_location())


pass_settings = click.make_pass_decorator(Settings)


@contextmanager
def using_tracker(settings: Settings) -> Iterator[Tracker]:
    """The Python API for one command, closed after it; library errors become one line."""
    with translated_errors():
        tracker = settings.tracker()
        try:
            yield tracker
        finally:
            tracker.close()


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn library errors into `Error: <what> (<how to fix>)`: exit 1, or 2 for a malformed value."""
    from pydantic import ValidationError

    from ratify.errors import Contradiction, MalformedInput, RatifyError
    from ratify.record.validation import render_validation_error

    try:
        yield
    except MalformedInput as error:
        raise click.UsageError(str(error)) from None
    except RatifyError as error:
        raise click.ClickException(str(error)) from None
    except ValidationError as error:
        # A malformed value is a usage error; values that contradict each other are a data error.
        contradictions = [isinstance(p.get("ctx", {}).get("error"), Contradiction) for p in error.errors()]
        if all(contradictions):
            raise click.ClickException(render_validation_error(error)) from None
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


class _Rehearsed(Exception):  # noqa: N818 - not a failure: the end of a dry run
    pass


@contextmanager
def rehearsed(settings: Settings, *, dry_run: bool) -> Iterator[Session]:
    """A writing transaction; on a dry run it is rolled back once the body is done, so that a dry run makes
    every check and every write the real command makes, and keeps none of them."""
    try:
        with transaction(settings, write=True) as session:
            yield session
            if dry_run:
                raise _Rehearsed
    except _Rehearsed:
        pass


# ratify.vocab imports nothing but the standard library, so choices cost --help nothing.
CONSENT_TYPES = [term.value for term in ConsentType]
ACT_KINDS = [term.value for term in ActKind]
STAGE_KINDS = [term.value for term in StageKind]


class DateType(click.ParamType):
    """A date option read by one of ratify.dates' parsers; what it refuses is a usage error."""

    name = "DATE"

    def __init__(self, parser: str) -> None:
        self.parser = parser  # the name in ratify.dates, imported when a value comes, not at --help

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        import ratify.dates

        try:
            return getattr(ratify.dates, self.parser)(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


#: A calendar date given as YYYY-MM-DD: points in time (--as-of, --since, --by ...).
ISO_DATE = DateType("to_date")
#: A fact's date as precise as its source: YYYY-MM-DD, or YYYY-MM or YYYY where no more is known.
GIVEN_DATE = DateType("to_day")


def as_of_option(function):
    return click.option(
        "--as-of",
        type=ISO_DATE,
        default=None,
        metavar="DATE",
        help="Report the state as it was on DATE (YYYY-MM-DD); default today.",
    )(function)


_TALLY = (
    ("--yes", "votes in favour"),
    ("--no", "votes against"),
    ("--abstain", "abstentions"),
    ("--not-voting", "members who did not vote (present or not, as the body counts them)"),
    ("--absent", "members absent"),
    ("--seats", "members of the body"),
    ("--present", "members present, as the body declared it"),
)


def tally_options(subject: str = ""):
    """The counts of a vote, as `vote` records them and `correct` changes them."""

    def decorate(function):
        for name, meaning in reversed(_TALLY):
            label = f"{subject}: {meaning}" if subject else meaning[0].upper() + meaning[1:]
            if name == "--seats" and not subject:
                label += " (default: the stage's seat count)"
            function = click.option(name, type=int, help=f"{label}.")(function)
        return function

    return decorate


def deprecated_alias(old: str, new: str):
    """An old spelling kept for a release: it still works, hidden from --help, and says what replaces it.

    The callback returns nothing; the command reads the old flag's value beside the new one's.
    """

    def warn(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value:
            click.echo(f"Warning: {old} is deprecated here and goes in ratify 2.0; use {new}.", err=True)
        return value

    return warn


def confirm_option(function):
    """--confirm, the one spelling of "yes, do it" (`--yes` is a vote's tally on `vote` and `correct`)."""
    function = click.option(
        "--yes",
        "confirmed_as_yes",
        is_flag=True,
        hidden=True,
        callback=deprecated_alias("--yes", "--confirm"),
    )(function)
    return click.option("--confirm", "confirmed", is_flag=True, help="Remove, after reading what goes.")(function)


def dry_run_option(function):
    """--dry-run: a preview asked for. On `remove` it is also what happens without --confirm, but as a refusal."""
    return click.option("--dry-run", is_flag=True, help="List what would go and remove nothing (exit status 0).")(
        function
    )


def reason_option(function):
    return click.option("--reason", required=True, help="Why the record changes; kept with the earlier version.")(
        function
    )


class MomentType(click.ParamType):
    """A moment in ISO 8601 (UTC unless an offset is given); a date alone means the end of that day."""

    name = "DATETIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        from ratify.dates import to_moment

        try:
            return to_moment(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


def known_on_option(function):
    return click.option(
        "--known-on",
        type=MomentType(),
        default=None,
        metavar="DATETIME",
        help="Answer from the record as it stood at DATETIME (ISO 8601, UTC unless an offset is given; "
        "a date alone means the end of that day), before any later correction.",
    )(function)
