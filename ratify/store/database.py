"""Where ratify keeps its records: engine, schema, and one transaction per command."""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, inspect
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlmodel import Session, SQLModel, create_engine

from ratify import __version__
from ratify.errors import DatabaseError
from ratify.store.versions import APPLICATION, FROZEN_SCHEMA_VERSION, WRITTEN_BY, SchemaState, read_state, refusal

#: How long a writer waits for another's lock before it gives up. Long, since a desk would rather wait than
#: retype: forty writers at once on a busy 2-core machine queue for about 10 s (tests/test_concurrency.py).
DEFAULT_LOCK_TIMEOUT_SECONDS = 60.0
log = logging.getLogger(__name__)
#: Set to override RATIFY_LOCK_TIMEOUT in this process; None reads the environment when a database opens.
LOCK_TIMEOUT_SECONDS: float | None = None


def lock_timeout_seconds() -> float:
    """RATIFY_LOCK_TIMEOUT, read when a database opens rather than at import, so a bad value is one error line."""
    if LOCK_TIMEOUT_SECONDS is not None:
        return LOCK_TIMEOUT_SECONDS
    raw = os.environ.get("RATIFY_LOCK_TIMEOUT", "").strip()
    if not raw:
        return DEFAULT_LOCK_TIMEOUT_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and 0 <= seconds <= MAX_LOCK_TIMEOUT_SECONDS):
        shown = raw if len(raw) <= 40 else raw[:40] + "..."
        raise DatabaseError(
            f"RATIFY_LOCK_TIMEOUT={shown!r} is not a number of seconds",
            f"set it to a number from 0 to {MAX_LOCK_TIMEOUT_SECONDS:g}, such as 60, or unset it",
        )
    return seconds


#: A day: longer is a hang, not a wait (and PostgreSQL's lock_timeout is an int of milliseconds).
MAX_LOCK_TIMEOUT_SECONDS = 86400.0


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


#: The stores ratify runs on; any other URL scheme is refused before a driver is looked for.
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def parse_location(location: str) -> URL:
    """The URL of a --db value, or one line saying why ratify cannot use it."""
    if not location.strip():
        raise DatabaseError("--db is empty", "give a SQLite file path or a postgresql:// URL")
    if "\x00" in location:
        raise DatabaseError("--db contains a NUL character", "give a SQLite file path or a postgresql:// URL")
    if "://" in location and not location.isascii() and _undecodable(location):
        # A file may be named in any bytes; a URL cannot hold one that is not UTF-8.
        raise DatabaseError("--db is not valid UTF-8", "check the terminal's encoding, or give a SQLite file path")
    try:
        url = make_url(database_url(location))
    except (ValueError, ArgumentError) as error:
        raise DatabaseError(
            f"--db is not a valid URL ({_first_line(error)})",
            "write it as postgresql://USER@HOST:PORT/NAME, or give a SQLite file path",
        ) from None
    backend = url.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseError(
            f"--db: ratify cannot use {backend}:// databases", "give a SQLite file path or a postgresql:// URL"
        )
    if url.port is not None and not 0 < url.port < 65536:
        raise DatabaseError(f"--db: port {url.port} is not a port number", "ports run from 1 to 65535")
    return url


def _undecodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def sqlite_path(location: str) -> Path | None:
    """The file a SQLite --db value names; None for PostgreSQL or a value ratify cannot use."""
    try:
        url = parse_location(location)
    except DatabaseError:
        return None
    return Path(url.database).expanduser() if url.get_backend_name() == "sqlite" and url.database else None


#: The engines of the databases this process opened, by URL and lock timeout, the latest last.
#: SQLAlchemy keeps each statement's compiled form and what it learnt of the server on its engine;
#: a process that opens the same database again (a caller of the Python API, a test suite running
#: commands in-process) reuses them instead of compiling every statement again (docs/performance.md).
#: Closing a Database empties the engine's pool; a connection another Database still holds is closed
#: when that one returns it.
_ENGINES: OrderedDict[tuple[str, float], Engine] = OrderedDict()
_ENGINES_KEPT = 8
_ENGINES_LOCK = threading.Lock()


class Database:
    """A ratify database at a path or URL."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.url = parse_location(location)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        self.lock_timeout = lock_timeout_seconds()
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            log.info("database: %s (lock timeout %g s)", self.describe(), self.lock_timeout)
            url = self.url
            if self.path:
                # The driver makes a relative path absolute when the engine is made, so the key does too.
                url = url.set(database=os.path.abspath(self.path))
            key = (url.render_as_string(hide_password=False), self.lock_timeout)
            with _ENGINES_LOCK:
                engine = _ENGINES.pop(key, None) or self._new_engine()
                _ENGINES[key] = engine
                while len(_ENGINES) > _ENGINES_KEPT:
                    _ENGINES.popitem(last=False)  # its Database, if still open, keeps using it
            self._engine = engine
        return self._engine

    def _new_engine(self) -> Engine:
        if self.is_sqlite:
            engine = create_engine(self.url, connect_args={"timeout": self.lock_timeout})
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
            return engine
        try:
            engine = create_engine(self.url)
        except ImportError:
            raise DatabaseError(
                "PostgreSQL support is not installed", "install it with: pip install 'ratify[postgres]'"
            ) from None
        event.listen(engine, "begin", _postgres_begin)
        return engine

    @property
    def path(self) -> Path | None:
        return Path(self.url.database).expanduser() if self.is_sqlite and self.url.database else None

    def describe(self) -> str:
        if self.path:
            return str(self.path)
        # As the user wrote it: the driver suffix (+psycopg) is ratify's business.
        return self.url.set(drivername=self.url.get_backend_name()).render_as_string(hide_password=True)

    def close(self) -> None:
        """Release pooled connections (a CLI process exits anyway; tests and callers may not).

        The engine, its pool emptied, stays with the process for the next Database on this URL.
        """
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """`with Database(path) as database:` releases its connections on the way out, error or not."""
        self.close()

    def exists(self) -> bool:
        self._refuse_directory()
        return self.path.exists() if self.path else True

    def _refuse_directory(self) -> None:
        if self.path and self.path.is_dir():
            raise DatabaseError(
                f"{self.describe()} is a directory, not a database file",
                f"give a file inside it, e.g. --db {self.path / 'ratify.db'}",
            )

    def initialise(self) -> bool:
        """Create the schema if absent; True if it was created now."""
        self._refuse_directory()
        if self.path:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DatabaseError(
                    f"cannot create the directory {self.path.parent} ({error.strerror})", "check --db / RATIFY_DB"
                ) from None
        with self._translated():
            tables = set(inspect(self.engine).get_table_names())
            if "meta" in tables and self._unfinished(tables):
                self._create_at_head(replacing=tables)
                return True
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

    def _create_at_head(self, *, replacing: set[str] | None = None) -> None:
        """Tables, meta and the Alembic stamp in one transaction: a killed init leaves nothing behind.

        The tables come from the models, not from replaying every revision: the
        same schema (tests/test_migrations.py compares them), in a fraction of the time.
        `replacing` names empty tables an unfinished init left, dropped first in the same transaction.
        """
        from ratify.store.migrate import stamp_head

        with self.engine.begin() as connection:
            if replacing:
                if "alembic_version" in replacing:
                    connection.exec_driver_sql("DROP TABLE alembic_version")
                models = [table for name, table in SQLModel.metadata.tables.items() if name in replacing]
                SQLModel.metadata.drop_all(connection, tables=models)
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

    def _unfinished(self, tables: set[str]) -> bool:
        """Only ratify's tables, and not one row in any of them, meta included: an init from a release
        before init was one transaction, stopped between creating the tables and recording what they are."""
        from sqlalchemy import func, select, table

        if not tables <= set(SQLModel.metadata.tables) | {"alembic_version"}:
            return False
        with self.engine.connect() as connection:
            return all(
                connection.execute(select(func.count()).select_from(table(name))).scalar() == 0 for name in tables
            )

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
                if _is_lock(error) or _connection_failure(error):
                    raise
                if "disk i/o error" in str(error.orig).lower() or "unable to open" in str(error.orig).lower():
                    # A reader in write-ahead-log mode needs its small index file (-shm) beside the database.
                    raise DatabaseError(
                        f"cannot read {self.describe()} ({_first_line(error)})",
                        "check that the disk has space and that the database's directory may be written",
                    ) from None
                raise DatabaseError(
                    f"{self.describe()} is not a ratify database",
                    "run 'ratify init' on a new file, or check --db / RATIFY_DB",
                ) from None

    def check(self) -> None:
        """Refuse anything that is not a ratify database at this ratify's schema revision, without writing."""
        state = self.state()
        problem = refusal(state, self.describe())
        if problem is None:
            return
        if not state.meta:
            with self._translated():
                unfinished = self._unfinished(set(inspect(self.engine).get_table_names()))
            if unfinished:
                raise DatabaseError(f"{self.describe()} holds an unfinished 'ratify init'", "run 'ratify init' again")
        raise problem

    @contextmanager
    def transaction(self, *, write: bool = False, check: bool = True) -> Iterator[Session]:
        """One command, one transaction: committed on success, rolled back on any error.

        `check=False` skips the schema check, for a long-running reader (the web view) that
        checked once at start. A writing transaction takes the database's write lock at its start
        (SQLite's at BEGIN IMMEDIATE, an advisory lock on PostgreSQL), so that
        what it checks is still true when it commits.
        """
        if check:
            self.check()
        bind = self.engine.execution_options(ratify_write=write)
        with self._translated(), Session(bind, expire_on_commit=False) as session:
            with session.begin():
                yield session

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """Every database failure as one line that says what failed and how to fix it."""
        try:
            yield
        except IntegrityError as error:
            raise _integrity_error(error, self.describe()) from None
        except (OperationalError, SADatabaseError) as error:
            if _is_lock(error):
                raise DatabaseError(
                    f"the database {self.describe()} is locked by another process",
                    "try again when the other ratify command has finished",
                ) from None
            failure = _connection_failure(error)
            if failure:
                raise DatabaseError(f"cannot connect to {self.describe()}: {failure[0]}", failure[1]) from None
            if isinstance(error.orig, sqlite3.DatabaseError) and "not a database" in str(error.orig):
                raise DatabaseError(f"{self.describe()} is not a ratify database", "check --db / RATIFY_DB") from None
            raise DatabaseError(f"database error: {_first_line(error)}", "check --db / RATIFY_DB") from None


# PostgreSQL reports these when another transaction holds what this one needs:
# lock_not_available (lock_timeout ran out), serialization_failure, deadlock_detected.
_BUSY_SQLSTATES = {"55P03", "40001", "40P01"}


def _is_lock(error: Exception) -> bool:
    orig = getattr(error, "orig", error)
    return "database is locked" in str(orig) or getattr(orig, "sqlstate", None) in _BUSY_SQLSTATES


def _first_line(error: Exception) -> str:
    text = str(getattr(error, "orig", error)).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _integrity_error(error: IntegrityError, where: str) -> DatabaseError:
    """A constraint the checks should have caught first: say so in words, not the driver's."""
    text = str(error.orig).lower()
    if "unique" in text or "duplicate key" in text:
        what = "it would duplicate a record already stored"
    elif "foreign key" in text:
        what = "it refers to a record that is not stored"
    elif "null" in text:
        what = "a required value is missing"
    else:
        what = "the database refused it"
    return DatabaseError(
        f"nothing was written to {where}: {what}", "check what is stored now with 'ratify treaty show', and try again"
    )


# libpq's wording when no session could be opened; the server's own reasons
# (no such database, no such role) come back in the same exception.
_CONNECTION_FAILURES = (
    ("connection refused", "no server is listening there", "start PostgreSQL, or check the host and port in --db"),
    ("timeout expired", "the server did not answer", "check the host and port in --db, and that the server is up"),
    ("failed to resolve host", "unknown host", "check the host name in --db"),
    ("could not translate host name", "unknown host", "check the host name in --db"),
    ("does not exist", None, None),
    ("password authentication failed", "the password was refused", "check the user and password in --db or ~/.pgpass"),
    ("no password supplied", "a password is needed", "put it in ~/.pgpass or PGPASSWORD"),
    ("no pg_hba.conf entry", "the server does not accept this user from here", "ask its administrator for access"),
)


def _connection_failure(error: Exception) -> tuple[str, str] | None:
    """(what failed, how to fix it) if no PostgreSQL session could be opened at all."""
    orig = getattr(error, "orig", error)
    text = str(orig)
    if not (text.startswith(("connection failed", "failed to resolve host")) or "connection to server" in text):
        return None
    lowered = text.lower()
    for clue, what, fix in _CONNECTION_FAILURES:
        if clue not in lowered:
            continue
        if what is not None and fix is not None:
            return what, fix
        if 'database "' in text:
            name = _quoted(text, "database")
            return f"there is no database {name}", f"create it with 'createdb {name}', or check the name in --db"
        name = _quoted(text, "role")
        return f"there is no user {name}", f"create it with 'createuser {name}', or check the user in --db"
    return _first_line(error).removeprefix("connection failed: "), "check --db / RATIFY_DB"


def _quoted(text: str, after: str) -> str:
    head, _, tail = text.partition(f'{after} "')
    return tail.split('"', 1)[0] if tail else "?"


def _sqlite_connect(connection, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when a transaction begins.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    write = connection.get_execution_options().get("ratify_write", False)
    if write:
        _write_ahead_logging(connection.connection)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _write_ahead_logging(pooled) -> None:
    """Put the file in write-ahead-log mode, before its first write transaction (the mode cannot change inside one).

    Readers (the web view, reports) and the one writer then no longer block each other, so a desk that keeps
    `ratify serve` open can still record. The mode is kept in the file: set by ratify's first write to a
    database it has checked, so a file that is not a ratify database is never changed by being looked at.
    """
    if pooled.info.get("ratify_wal"):
        return
    driver = pooled.driver_connection
    if driver.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        driver.execute("PRAGMA journal_mode = WAL")
    pooled.info["ratify_wal"] = True


# Two-key advisory locks: a fixed class for ratify, and the schema that holds its tables,
# so that ratify databases kept in separate schemas of one PostgreSQL database stay independent.
_ADVISORY_CLASS = 0x72617469  # "rati"


def _postgres_begin(connection) -> None:
    if connection.get_execution_options().get("ratify_write", False):
        # Every writer queues here before it reads anything, so that what it checks
        # is still true when it commits, as under SQLite's BEGIN IMMEDIATE.
        milliseconds = max(1, int(lock_timeout_seconds() * 1000))
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {milliseconds}")
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_ADVISORY_CLASS}, hashtext(current_schema()))")
    else:
        # A report reads one snapshot, as on SQLite, not a mix from before and after a write.
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
