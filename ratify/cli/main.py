"""The root `ratify` group. It imports no database code, so --help stays fast."""

from __future__ import annotations

import sys

import click

from ratify import __version__
from ratify.cli import (
    act,
    correct,
    data,
    db,
    groups,
    party,
    procedure,
    publish,
    research,
    serve,
    status,
    vote,
)
from ratify.cli.context import RatifyGroup, Settings, use_ratify_context


@click.group(cls=RatifyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ratify")
@click.option(
    "--db",
    "location",
    envvar="RATIFY_DB",
    metavar="PATH_OR_URL",
    help="SQLite file or postgresql:// URL [env RATIFY_DB; default: ratify.db in the user data directory].",
)
@click.option(
    "--no-pager",
    "no_pager",
    is_flag=True,
    help="Print long tables straight to the terminal [pager: env RATIFY_PAGER, PAGER; default: less -FRX].",
)
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Say what ratify does on stderr: files read and written, the database (-vv: every SQL statement too).",
)
@click.pass_context
def cli(ctx: click.Context, location: str | None, no_pager: bool, verbose: int) -> None:
    """Track where treaties stand in each party's ratification.

    \b
    Quick start:
      ratify init
      ratify load fixtures/treaties/rus-prk-2024.yaml
      ratify status
    """
    ctx.obj = Settings(location, pager=not no_pager)
    if verbose or "logging" in sys.modules:  # -v, or to quiet what an earlier -v in this process turned on
        from ratify.logs import configure

        configure(verbose)


for module in (
    data,
    groups,
    party,
    vote,
    act,
    correct,
    status,
    publish,
    research,
    procedure,
    db,
    serve,
):
    for command in module.COMMANDS:
        cli.add_command(command)
use_ratify_context(cli)
# --db may name a SQLite file, in any bytes; a postgresql:// URL that is not UTF-8 is refused where it is parsed.
next(param for param in cli.params if param.name == "location").names_a_file = True  # type: ignore[attr-defined]
