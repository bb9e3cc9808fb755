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


INFO_FIELDS = (
    "version",
    "database",
    "store",
    "size_bytes",
    "revision",
    "head",
    "upgrade_due",
    "recorded_by",
    "treaties",
    "parties",
    "events",
    "acts",
    "kept_versions",
)


@click.command()
@format_option
@pass_settings
def info(settings: Settings, fmt: str) -> None:
    """Which database ratify uses, its size and schema revision, who records, and what it holds.

    Example: ratify info --format json
    """
    from ratify import __version__
    from ratify.record.provenance import recorder
    from ratify.store.migrate import info as database_info

    with translated_errors():
        database = settings.database()
        try:
            found = database_info(database)
        finally:
            database.close()
    row: dict[str, object] = {
        "version": __version__,
        "database": found.status.database,
        "store": found.store,
        "size_bytes": found.size_bytes,
        "revision": found.status.revision,
        "head": found.status.head,
        "upgrade_due": found.status.upgrade_due,
        "recorded_by": recorder(),
        **{name: found.counts.get(name) for name in INFO_FIELDS[8:]},
    }
    if fmt in ("json", "ndjson", "csv"):
        emit([row], fmt, INFO_FIELDS)
        return
    width = max(map(len, INFO_FIELDS)) + 1
    for name in INFO_FIELDS:
        value = row[name]
        if name == "size_bytes" and isinstance(value, int):
            value = f"{value:,} ({value / 2**20:.1f} MiB)"
        click.echo(f"{name + ':':{width}} {'-' if value is None else value}")


COMMANDS = (db, info)
