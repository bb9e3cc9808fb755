"""ratify db status | upgrade: where the database is and its schema revision; ratify info: what the record holds."""

from __future__ import annotations

import click

from ratify.cli.context import Settings, pass_settings, translated_errors
from ratify.cli.output import emit, format_option
from ratify.record.provenance import recorder

STATUS_FIELDS = ("database", "revision", "head", "upgrade_due", "written_by", "note", "store", "size_bytes")


@click.command("status")
@format_option
@pass_settings
def db_status(settings: Settings, fmt: str) -> None:
    """Where the database is, its schema revision against this ratify's head, and whether an upgrade is due.

    What the record holds is `ratify info`'s.

    Example: ratify db status --format json
    """
    from ratify.store.migrate import status

    with translated_errors():
        database = settings.database()
        try:
            report = status(database)
        finally:
            database.close()
    row = report.as_row()
    if fmt in ("json", "ndjson", "csv"):
        emit([row], fmt, STATUS_FIELDS)
        return
    if isinstance(report.size_bytes, int):
        row["size_bytes"] = f"{report.size_bytes:,} ({report.size_bytes / 2**20:.1f} MiB)"
    emit([row], fmt, STATUS_FIELDS, table_fields=("database", "revision", "head", "note", "store", "size_bytes"))


@click.command("upgrade")
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


# What the record holds. The schema's standing is `db status`'s; csv and json keep the fields they
# carried before (in this order) until ratify 2.0, as scripts read them (docs/json.md).
INFO_FIELDS = ("database", "recorded_by", "treaties", "parties", "events", "acts", "kept_versions")
INFO_MACHINE_FIELDS = (
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
COUNTS = INFO_FIELDS[2:]


@click.command()
@format_option
@pass_settings
def info(settings: Settings, fmt: str) -> None:
    """What the record holds: how many treaties, parties, events, acts and kept versions, and who records.

    Where the database is and its schema revision are `ratify db status`'s.

    Example: ratify info --format json
    """
    from ratify import __version__
    from ratify.store.migrate import info as database_info

    with translated_errors():
        database = settings.database()
        try:
            found = database_info(database)
        finally:
            database.close()
    schema = found.status
    row: dict[str, object] = {
        "version": __version__,
        "database": schema.database,
        "store": schema.store,
        "size_bytes": schema.size_bytes,
        "revision": schema.revision,
        "head": schema.head,
        "upgrade_due": schema.upgrade_due,
        "recorded_by": recorder(),
        **{name: found.counts.get(name) for name in COUNTS},
    }
    if fmt in ("json", "ndjson", "csv"):
        emit([row], fmt, INFO_MACHINE_FIELDS)
        return
    width = max(map(len, INFO_FIELDS)) + 1
    for name in INFO_FIELDS:
        value = row[name]
        click.echo(f"{name + ':':{width}} {'-' if value is None else value}")
    if not found.counts:
        click.echo("Not counted: the schema is not at this ratify's head (see 'ratify db status').", err=True)
