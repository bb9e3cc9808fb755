"""The command groups whose subcommands live in several modules, each with the full list of what it holds.

A command module defines commands and registers none: importing it changes no group,
so what `ratify treaty --help` offers is read here, not pieced together from side effects.
Each subcommand's module is imported when that subcommand runs or shows its help; the short
help beside it is what the group's --help lists (tests/test_cli_groups.py holds it to the command's own).
"""

from __future__ import annotations

import click

from ratify.cli.context import LazyGroup
from ratify.cli.party import party


@click.group(
    cls=LazyGroup,
    lazy={
        "add": ("ratify.cli.treaty:treaty_add", "Record a treaty under a short id (SLUG), with its parties."),
        "list": (
            "ratify.cli.treaty:treaty_list",
            "List the treaties with their signatories, parties and entry into force.",
        ),
        "show": (
            "ratify.cli.treaty:treaty_show",
            "Show a treaty, its entry-into-force rule, and where each party stands.",
        ),
        "edit": (
            "ratify.cli.amend:treaty_edit",
            "Record a new version of a treaty's title, signature, place, sources, note or parent treaty.",
        ),
        "remove": (
            "ratify.cli.amend:treaty_remove",
            "Remove a treaty with its parties, events and acts; every removed fact is kept as a version.",
        ),
        "rule": (
            "ratify.cli.terms:treaty_rule",
            "Give a treaty its entry-into-force rule (and withdrawal rule); status is recomputed.",
        ),
        "in-force": (
            "ratify.cli.terms:treaty_in_force",
            "Record a treaty's entry into force as published, with its source.",
        ),
        "terminate": (
            "ratify.cli.terms:treaty_terminate",
            "Record that a treaty ended, on a date or when a later treaty entered into force.",
        ),
        "chart": (
            "ratify.cli.terms:treaty_chart",
            "The depositary's chart: signature, consent (a, A, AA, d, s), entry into force, notes.",
        ),
    },
)
def treaty() -> None:
    """Record and inspect treaties."""


@click.group(
    name="import",
    cls=LazyGroup,
    lazy={
        "untc": (
            "ratify.cli.depositary:import_untc",
            "Import a UN Treaty Collection status page (MTDSG 'ViewDetails'): a saved file or its URL.",
        ),
        "congress": (
            "ratify.cli.parliament:import_congress",
            "Import the US Senate's record of a treaty document from the Congress.gov API (v3).",
        ),
        "ukparliament": (
            "ratify.cli.parliament:import_ukparliament",
            "Import the UK Parliament's record of a treaty laid under CRaG Part 2 (its treaties API).",
        ),
    },
)
def import_group() -> None:
    """Read a depositary's status table or a parliament's treaty record into the record."""


# `ratify init`, the README's first command, stays as the short form of `ratify db init`.
@click.group(
    cls=LazyGroup,
    lazy={
        "init": ("ratify.cli.data:init", "Create the database and store the built-in procedure templates."),
        "status": (
            "ratify.cli.db:db_status",
            "Where the database is, its schema revision against this ratify's head, and whether an upgrade is due.",
        ),
        "upgrade": (
            "ratify.cli.db:db_upgrade",
            "Bring the database to this ratify's schema revision, in one transaction.",
        ),
    },
)
def db() -> None:
    """The database: creating it, where it is, its schema revision, and upgrading it."""


# `party` keeps its steps (add, sign, ...) in party.py; a party's recorded edits live beside the treaty's.
party.lazy.update(
    {
        "edit": (
            "ratify.cli.amend:party_edit",
            "Record a new version of a party's signature date, procedure template or note.",
        ),
        "remove": (
            "ratify.cli.amend:party_remove",
            "Remove a party with its events and acts; every removed fact is kept as a version.",
        ),
        "add-step": (
            "ratify.cli.amend:party_add_step",
            "Add a step (KEY) to one party's procedure, where its template lacks it.",
        ),
    }
)
