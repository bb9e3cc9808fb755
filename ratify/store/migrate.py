"""Bring a database to this ratify's schema revision, keeping a copy of a SQLite file first.

The revisions are Alembic scripts in `ratify/store/migrations/`, configured here
rather than in an alembic.ini, so they work from an installed package. Only
`ratify db`, `ratify init` and error paths import this module (and Alembic).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from ratify import __version__
from ratify.errors import DatabaseError
from ratify.store.versions import HEAD_REVISION, WRITTEN_BY, refusal

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy.engine import Connection

    from ratify.store.database import Database

SCRIPT_LOCATION = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code; `connection` is the one every revision runs on."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def stamp_head(connection: Connection) -> None:
    """Record, in the caller's transaction, that a schema made from the models is at the head revision."""
    from alembic.runtime.migration import MigrationContext

    MigrationContext.configure(connection).stamp(script_directory(), HEAD_REVISION)


@dataclass(frozen=True)
class DatabaseStatus:
    database: str
    revision: str | None
    head: str
    upgrade_due: bool
    written_by: str | None
    note: str
    store: str
    size_bytes: int | None

    def as_row(self) -> dict[str, object]:
        return {
            "database": self.database,
            "revision": self.revision,
            "head": self.head,
            "upgrade_due": self.upgrade_due,
            "written_by": self.written_by,
            "note": self.note,
            "store": self.store,
            "size_bytes": self.size_bytes,
        }


def status(database: Database) -> DatabaseStatus:
    """Where the database's schema stands against this ratify's head revision."""
    state = database.state()
    problem = refusal(state, database.describe())
    if not state.is_ratify:
        raise problem  # type: ignore[misc]
    if state.revision is None and state.effective_revision:
        note = f"schema version {state.meta.get('schema_version')}, written before migrations"
    else:
        note = str(problem).split(" (")[0] if problem else "at head"
    if state.upgrade_due:
        note += "; run 'ratify db upgrade'"
    return DatabaseStatus(
        database=database.describe(),
        revision=state.effective_revision if not state.too_new else state.revision,
        head=HEAD_REVISION,
        upgrade_due=state.upgrade_due,
        written_by=state.written_by,
        note=note,
        store="sqlite" if database.is_sqlite else "postgresql",
        size_bytes=_size(database),
    )


def _size(database: Database) -> int | None:
    """The file's size, or the PostgreSQL database's as the server counts it."""
    if database.is_sqlite:
        return database.path.stat().st_size if database.path is not None else None
    with database.engine.connect() as connection:
        return connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one()


@dataclass(frozen=True)
class UpgradeResult:
    database: str
    from_revision: str
    to_revision: str
    backup: Path | None

    @property
    def upgraded(self) -> bool:
        return self.from_revision != self.to_revision


def upgrade(database: Database) -> UpgradeResult:
    """Bring the database to the head revision, in one transaction.

    A database written before migrations (meta.schema_version "1" or "2", no
    alembic_version table) is first stamped at the matching revision, in the
    same transaction. A SQLite file is copied beside itself first.
    """
    state = database.state()
    problem = refusal(state, database.describe())
    if problem is not None and not state.upgrade_due:
        raise problem
    current = state.effective_revision
    assert current is not None  # refusal() let through only known revisions
    if current == HEAD_REVISION:
        return UpgradeResult(database.describe(), current, current, None)
    backup = None
    with database._translated(), _migration_connection(database) as connection:
        if state.revision is None:
            _refuse_early_version_1(connection, database.describe())
        if database.path is not None:
            # Copied while this transaction holds the write lock: the copy is exactly what is upgraded.
            backup = _copy_beside(database.path, current)
        from alembic import command

        config = alembic_config(connection)
        if state.revision is None:
            command.stamp(config, current)
        command.upgrade(config, "head")
        rebuild_status_cache(connection)
        connection.execute(text('DELETE FROM meta WHERE "key" = :key'), {"key": WRITTEN_BY})
        connection.execute(
            text('INSERT INTO meta ("key", value) VALUES (:key, :value)'), {"key": WRITTEN_BY, "value": __version__}
        )
        if database.is_sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
            raise DatabaseError(
                f"upgrading {database.describe()} would break a reference between rows; nothing was changed",
                "report this with the database attached",
            )
    return UpgradeResult(database.describe(), current, HEAD_REVISION, backup)


def rebuild_status_cache(connection: Connection) -> None:
    """Every treaty's cached status folded again with this release's rules, in the upgrade's transaction.

    The cache is derived from the facts and may be rebuilt at any time; a revision that adds a cache column,
    or a release whose rules read the facts more fully, leaves it right only once it is rebuilt.
    """
    from sqlmodel import Session, col, select

    from ratify.store.cache import refresh_treaty
    from ratify.store.models import Treaty

    with Session(bind=connection) as session:
        for treaty in session.exec(select(Treaty).order_by(col(Treaty.id))).all():
            refresh_treaty(session, treaty)
        session.flush()


@contextmanager
def _migration_connection(database: Database) -> Iterator[Connection]:
    """One connection in one transaction; on SQLite with foreign keys off, as a table copy needs.

    SQLite's DROP TABLE deletes the rows first, which a table that others refer
    to refuses while foreign keys are enforced; the pragma is ignored inside a
    transaction, so it is set before one begins. `foreign_key_check` runs at the end instead.
    """
    with database.engine.execution_options(ratify_write=True).connect() as connection:
        driver = connection.connection.driver_connection
        if database.is_sqlite and driver is not None:
            driver.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                yield connection
        finally:
            if database.is_sqlite and driver is not None:
                driver.execute("PRAGMA foreign_keys = ON")


def _refuse_early_version_1(connection: Connection, where: str) -> None:
    # Releases before b260849 wrote schema version "1" without the act table and the
    # multilateral columns; no revision describes that schema.
    if not inspect(connection).has_table("act"):
        raise DatabaseError(
            f"{where} has schema version 1 as written before multilateral treaties (no act table), "
            "which no revision upgrades",
            "load its treaties into a new database made with 'ratify init'",
        )


def _copy_beside(path: Path, revision: str) -> Path:
    """A consistent copy of a SQLite file next to it, never overwriting an earlier copy."""
    number = 1
    while True:
        suffix = "" if number == 1 else f".{number}"
        copy = path.with_name(f"{path.name}.rev-{revision}{suffix}.bak")
        try:
            copy.open("xb").close()  # claims the name; fails if a copy is already there
            break
        except FileExistsError:
            number += 1
    source, target = sqlite3.connect(path), sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return copy


@dataclass(frozen=True)
class DatabaseInfo:
    """What `ratify info` tells: what the record holds, beside the schema's standing (`ratify db status`)."""

    status: DatabaseStatus
    counts: dict[str, int]


_COUNTED = {"treaties": "treaty", "parties": "party", "events": "event", "acts": "act", "kept_versions": "revision"}


def info(database: Database) -> DatabaseInfo:
    """What the record holds; counted only when its schema is the one this ratify reads."""
    report = status(database)
    counts: dict[str, int] = {}
    if not report.upgrade_due and report.revision == report.head:
        counted = ", ".join(f"(SELECT count(*) FROM {table})" for table in _COUNTED.values())
        with database.engine.connect() as connection:
            counts = dict(zip(_COUNTED, connection.execute(text(f"SELECT {counted}")).one(), strict=True))
    return DatabaseInfo(report, counts)
