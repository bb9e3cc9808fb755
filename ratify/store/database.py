"""Where ratify keeps its records: engine, schema, and one transaction per command."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel, create_engine

from ratify import __version__
from ratify.errors import DatabaseError
from ratify.store.versions import APPLICATION, FROZEN_SCHEMA_VERSION, WRITTEN_BY, SchemaState, read_state, refusal

LOCK_TIMEOUT_SECONDS = float(os.environ.get("RATIFY_LOCK_TIMEOUT", "5"))


def default_location() -> str:
    """The per-user database: RATIFY_DB, else ratify.db in the user data directory."""
    configured = os.environ.get("RATIFY_DB")
    if configured:
        return configured
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("ratify", appauthor=False)) / "ratify.db")


def database_url(location: str) -> str:
    """A SQLAlchemy URL for a path or a URL (postgresql://... uses psycopg 3)."""
    if "://" not in location:
        return f"sqlite:///{Path(location).expanduser()}"
    if location.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + location.split("://", 1)[1]
    return location


class Database:
    """A ratify database at a path or URL."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.url = make_url(database_url(location))
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            if self.is_sqlite:
                self._engine = create_engine(self.url, connect_args={"timeout": LOCK_TIMEOUT_SECONDS})
                event.listen(self._engine, "connect", _sqlite_connect)
                event.listen(self._engine, "begin", _sqlite_begin)
            else:
                self._engine = create_engine(self.url)
        return self._engine

    @property
    def path(self) -> Path | None:
        return Path(self.url.database).expanduser() if self.is_sqlite and self.url.database else None

    def describe(self) -> str:
        return str(self.path) if self.path else self.url.render_as_string(hide_password=True)

    def close(self) -> None:
        """Release pooled connections (a CLI process exits anyway; tests and callers may not)."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def exists(self) -> bool:
        return self.path.exists() if self.path else True

    def initialise(self) -> bool:
        """Create the schema if absent; True if it was created now."""
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._translated():
            tables = set(inspect(self.engine).get_table_names())
            if "meta" in tables:
                self.check()
                return False
            if tables:
                raise DatabaseError(
                    f"{self.describe()} holds other tables and is not a ratify database",
                    "give ratify a new file or an empty database with --db",
                )
            self._create_at_head()
        return True

    def _create_at_head(self) -> None:
        """Tables, meta and the Alembic stamp in one transaction: a killed init leaves nothing behind.

        The tables come from the models, not from replaying every revision: the
        same schema (tests/test_migrations.py compares them), in a fraction of the time.
        """
        from ratify.store.migrate import stamp_head

        with self.engine.begin() as connection:
            SQLModel.metadata.create_all(connection)
            connection.execute(
                SQLModel.metadata.tables["meta"].insert(),
                [
                    {"key": "application", "value": APPLICATION},
                    {"key": "schema_version", "value": FROZEN_SCHEMA_VERSION},
                    {"key": WRITTEN_BY, "value": __version__},
                ],
            )
            stamp_head(connection)

    def state(self) -> SchemaState:
        """What the database says about its schema; refuses what is not a ratify database."""
        if not self.exists():
            raise DatabaseError(
                f"no ratify database at {self.describe()}",
                "run 'ratify init' first, or point --db / RATIFY_DB at your database",
            )
        with self._translated():
            try:
                return read_state(self.engine)
            except (OperationalError, SADatabaseError) as error:
                if _is_lock(error):
                    raise
                raise DatabaseError(
                    f"{self.describe()} is not a ratify database",
                    "run 'ratify init' on a new file, or check --db / RATIFY_DB",
                ) from None

    def check(self) -> None:
        """Refuse anything that is not a ratify database at this ratify's schema revision, without writing."""
        problem = refusal(self.state(), self.describe())
        if problem is not None:
            raise problem

    @contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Session]:
        """One command, one transaction: committed on success, rolled back on any error.

        A writing transaction takes SQLite's write lock at its start, so that
        what it checks is still true when it commits.
        """
        self.check()
        bind = self.engine.execution_options(ratify_write=write)
        with self._translated(), Session(bind, expire_on_commit=False) as session:
            with session.begin():
                yield session

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except (OperationalError, SADatabaseError) as error:
            if _is_lock(error):
                raise DatabaseError(
                    f"the database {self.describe()} is locked by another process",
                    "try again when the other ratify command has finished",
                ) from None
            if isinstance(error.orig, sqlite3.DatabaseError) and "not a database" in str(error.orig):
                raise DatabaseError(f"{self.describe()} is not a ratify database", "check --db / RATIFY_DB") from None
            raise DatabaseError(f"database error: {error.orig}", "check --db / RATIFY_DB") from None


def _is_lock(error: Exception) -> bool:
    return "database is locked" in str(getattr(error, "orig", error))


def _sqlite_connect(connection, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when a transaction begins.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    write = connection.get_execution_options().get("ratify_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
