"""The root `ratify` group. It imports no database code, so --help stays fast."""

from __future__ import annotations

import sys

import click

from ratify import __version__
from ratify.cli.context import RatifyGroup, Settings, use_ratify_context

# Each command's module is imported when the command runs or shows its help; the short help
# beside it is what `ratify --help` lists (tests/test_cli_groups.py holds it to the command's own).
COMMANDS = {
    "act": (
        "ratify.cli.act:act",
        "Record an international act: withdrawal, a ratification withdrawn, suspension, provisional application, "
        "a reservation, declaration or objection.",
    ),
    "advance": (
        "ratify.cli.vote:advance",
        "Record a step without a vote: assent, decree, a deposit, a scheduled sitting.",
    ),
    "changes": (
        "ratify.cli.research:changes",
        "What was recorded since a date, with who recorded it and the source: a digest.",
    ),
    "correct": (
        "ratify.cli.correct:correct",
        "Record a corrected version of an event or act (ID from 'ratify history').",
    ),
    "db": ("ratify.cli.groups:db", "The database: creating it, where it is, its schema revision, and upgrading it."),
    "durations": (
        "ratify.cli.research:durations",
        "Days from each party's signature to each stage and to entry into force.",
    ),
    "export": (
        "ratify.cli.data:export",
        "Write the whole database in the fixture format; `ratify load` brings it back.",
    ),
    "history": (
        "ratify.cli.status:history",
        "Every recorded step and act of a treaty (or one party), with its id, votes and sources.",
    ),
    "import": (
        "ratify.cli.groups:import_group",
        "Read a depositary's status table or a parliament's treaty record into the record.",
    ),
    "info": (
        "ratify.cli.db:info",
        "What the record holds: how many treaties, parties, events, acts and kept versions, and who records.",
    ),
    "init": ("ratify.cli.data:init", "Create the database and store the built-in procedure templates."),
    "load": (
        "ratify.cli.data:load",
        "Load fixtures (YAML or JSON: procedures, treaties, parties, events, acts) or a CSV of events.",
    ),
    "party": ("ratify.cli.groups:party", "Add parties (states or organisations) to treaties."),
    "pending": ("ratify.cli.status:pending", "Parties for which nothing is settled yet, the longest wait first."),
    "procedure": ("ratify.cli.procedure:procedure", "Domestic procedure templates."),
    "report": (
        "ratify.cli.publish:report",
        "The full status report: per treaty a summary line and its parties; totals at the end.",
    ),
    "retract": (
        "ratify.cli.correct:retract",
        "Withdraw a mistaken event or act (ID from 'ratify history'); its last version is kept.",
    ),
    "schema": (
        "ratify.cli.data:schema",
        "Print the JSON Schema of the fixture format (what `load` reads and `export` writes).",
    ),
    "serve": (
        "ratify.cli.serve:serve",
        "Serve the database read-only on the web: treaties, pending, upcoming, changes.",
    ),
    "status": ("ratify.cli.status:status", "Where each party stands: one row per treaty and party."),
    "treaty": ("ratify.cli.groups:treaty", "Record and inspect treaties."),
    "upcoming": (
        "ratify.cli.status:upcoming",
        "What comes next: announced sittings, expected steps with a date, entries into force.",
    ),
    "vote": (
        "ratify.cli.vote:vote",
        'Record a vote at a STAGE (key, kind or body: duma, lower_house, "State Duma").',
    ),
}


@click.group(
    cls=RatifyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
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


use_ratify_context(cli)
# --db may name a SQLite file, in any bytes; a postgresql:// URL that is not UTF-8 is refused where it is parsed.
next(param for param in cli.params if param.name == "location").names_a_file = True  # type: ignore[attr-defined]
