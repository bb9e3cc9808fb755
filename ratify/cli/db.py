"""ratify db status, ratify db upgrade: the schema revision of the database."""

from __future__ import annotations

import click

from ratify.cli.context import Settings, pass_settings, translated_errors
from ratify.cli.output import emit, format_option

STATUS_FIELDS = ("database", "revision", "head", "upgrade_due", "written_by", "note")


@click.group()
def db() -> None:
    """The database's schema: which revision it is at, and upgrading it."""


@db.command("status")
@format_option
@pass_settings
def db_status(settings: Settings, fmt: str) -> None:
    """The database, its schema revision, this ratify's head revision, and whether an upgrade is due.

    Example: ratify db status --format json
    """
    from ratify.store.migrate import status

    with translated_errors():
        database = settings.database()
        try:
            report = status(database)
        finally:
            database.close()
    if fmt in ("json", "ndjson", "csv"):
        emit([report.as_row()], fmt, STATUS_FIELDS)
    else:
        emit([report.as_row()], fmt, STATUS_FIELDS, table_fields=("database", "revision", "head", "note"))


@db.command("upgrade")
@pass_settings
def db_upgrade(settings: Settings) -> None:
    """Bring the database to this ratify's schema revision, in one transaction.

    A SQLite file is first copied beside itself (ratify.db.rev-0002.bak), never
    over an earlier copy. A database written before migrations (schema version
    1 or 2) is recognised and upgraded too.

    Example: ratify db upgrade
    """
    from ratify.store.migrate import upgrade

    with translated_errors():
        database = settings.database()
        try:
            result = upgrade(database)
        finally:
            database.close()
    if not result.upgraded:
        click.echo(f"{result.database} is already at head ({result.to_revision}).", err=True)
        return
    if result.backup is not None:
        click.echo(f"Copied {result.database} to {result.backup}.", err=True)
    click.echo(f"Upgraded {result.database} from {result.from_revision} to {result.to_revision}.", err=True)


COMMANDS = (db,)
