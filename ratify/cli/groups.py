"""The command groups whose subcommands live in several modules, each with the full list of what it holds.

A command module defines commands and registers none: importing it changes no group,
so what `ratify treaty --help` offers is read here, not pieced together from side effects.
"""

from __future__ import annotations

import click

from ratify.cli.amend import party_add_step, party_edit, party_remove, treaty_edit, treaty_remove
from ratify.cli.data import init
from ratify.cli.db import db_status, db_upgrade
from ratify.cli.depositary import import_untc
from ratify.cli.parliament import import_congress, import_ukparliament
from ratify.cli.party import party
from ratify.cli.terms import treaty_chart, treaty_in_force, treaty_rule, treaty_terminate
from ratify.cli.treaty import treaty_add, treaty_list, treaty_show


@click.group()
def treaty() -> None:
    """Record and inspect treaties."""


for command in (
    treaty_add,
    treaty_list,
    treaty_show,
    treaty_edit,
    treaty_remove,
    treaty_rule,
    treaty_in_force,
    treaty_terminate,
    treaty_chart,
):
    treaty.add_command(command)


@click.group(name="import")
def import_group() -> None:
    """Read a depositary's status table or a parliament's treaty record into the record."""


for command in (import_untc, import_congress, import_ukparliament):
    import_group.add_command(command)


@click.group()
def db() -> None:
    """The database: creating it, where it is, its schema revision, and upgrading it."""


# `ratify init`, the README's first command, stays as the short form of `ratify db init`.
for command in (init, db_status, db_upgrade):
    db.add_command(command)

# `party` keeps its steps (add, sign, ...) in party.py; a party's recorded edits live beside the treaty's.
for command in (party_edit, party_remove, party_add_step):
    party.add_command(command)

COMMANDS = (treaty, import_group, db)
