"""Every test gets its own database under tmp_path; none touches real user data.

Tests that use a ratify database (`initialised` and what builds on it) run once
per store: a SQLite file, and a PostgreSQL schema of their own when
RATIFY_TEST_DATABASE_URL is set. Tests about SQLite files themselves are marked
`sqlite_only`. Tests that touch no database run once.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner, Result

from ratify.cli import cli
from tests import forked as forked_commands
from tests.schemas import Schemas

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
RUS_PRK = FIXTURES / "treaties" / "rus-prk-2024.yaml"
POSTGRES_URL = os.environ.get("RATIFY_TEST_DATABASE_URL")
T = TypeVar("T")
MISSING_IN_CI = "RATIFY_TEST_DATABASE_URL must be set in CI: the PostgreSQL tests may not skip there"


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not POSTGRES_URL:
        raise pytest.UsageError(MISSING_IN_CI)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "store" not in metafunc.fixturenames:
        return
    stores: list = ["sqlite"]
    if POSTGRES_URL and metafunc.definition.get_closest_marker("sqlite_only") is None:
        stores.append(pytest.param("postgres", marks=pytest.mark.postgres))
    metafunc.parametrize("store", stores, indirect=True)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    database = tmp_path / "ratify.db"
    monkeypatch.setenv("RATIFY_DB", str(database))
    monkeypatch.setenv("RATIFY_USER", "tester")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    return database


@contextmanager
def served(handler: type[http.server.BaseHTTPRequestHandler], server: type = http.server.HTTPServer) -> Iterator[str]:
    """A local HTTP server answering with `handler` in a thread of its own: its address, http://127.0.0.1:PORT."""
    listening = server(("127.0.0.1", 0), handler)
    # shutdown() waits for serve_forever's next poll: a short interval ends each test at once.
    threading.Thread(target=listening.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listening.server_port}"
    finally:
        listening.shutdown()
        listening.server_close()


def run(*args: str | Path, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)


def ok(*args: str | Path, input: str | None = None) -> Result:
    """Run a command that must succeed."""
    result = run(*args, input=input)
    assert result.exit_code == 0, result.output
    return result


def reloaded(directory: Path) -> tuple[str, Path]:
    """Export the database, load that export into a new SQLite file: the export and the new file."""
    exported = ok("export").stdout
    path = directory / "reloaded-export.yaml"
    path.write_text(exported)
    fresh = directory / "reloaded.db"
    ok("--db", fresh, "init")
    ok("--db", fresh, "load", path)
    return exported, fresh


def as_json(*args: str | Path) -> list | dict:
    """Run a command with --format json and parse what it printed."""
    import json

    return json.loads(ok(*args, "--format", "json").stdout)


T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch):
    """A controllable clock for provenance: `clock(hours)` moves it on; it starts at T0.

    Lets --known-on and --as-of ask about exact moments of recording.
    """
    moments = {"now": T0}
    for module in ("provenance", "revisions", "tracker", "events"):
        monkeypatch.setattr(f"ratify.record.{module}.now", lambda: moments["now"])

    def advance(hours: float = 0, *, to: datetime | None = None) -> datetime:
        moments["now"] = to or moments["now"] + timedelta(hours=hours)
        return moments["now"]

    return advance


@pytest.fixture
def forked(tmp_path: Path) -> Iterator[Callable[..., forked_commands.Command]]:
    """`forked(db, args, **environment)` starts `ratify --db DB ARGS` in a process of its own
    (tests/forked.py); every one still running when the test ends is killed and reaped."""
    try:
        yield functools.partial(forked_commands.start, logs=tmp_path)
    finally:
        forked_commands.stop_all()


@pytest.fixture
def invoke():
    return run


@pytest.fixture(scope="session")
def initialised_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`ratify init` once per run; each test gets a copy (init parses every template)."""
    path = tmp_path_factory.mktemp("initialised") / "ratify.db"
    result = CliRunner().invoke(cli, ["--db", str(path), "init"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="session")
def postgres_schemas() -> Iterator[Schemas]:
    """`ratify init` once per run into a schema, kept as the SQL that recreates it, and the schemas
    made from it (tests/schemas.py). Replaying the script costs milliseconds; `ratify init` a second."""
    import psycopg
    from sqlmodel import SQLModel

    import ratify.store.models  # noqa: F401 -- the tables, for the order in which they are emptied

    assert POSTGRES_URL
    template = f"ratify_template_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(run_database(), autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {template}")
    try:
        result = CliRunner().invoke(cli, ["--db", schema_url(template), "init"])
        assert result.exit_code == 0, result.output
        script, rows = dumped(template), dumped(template, "--data-only")
    finally:
        with psycopg.connect(run_database(), autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {template} CASCADE")
    tables = [table.name for table in reversed(SQLModel.metadata.sorted_tables)] + ["alembic_version"]
    schemas = Schemas(run_database(), script, rows, tables)
    try:
        yield schemas
    finally:
        schemas.drop_all()


def dumped(schema: str, *options: str) -> str:
    """The SQL that recreates `schema` and its rows, with `{schema}` where its name was."""
    dump = subprocess.run(
        ["pg_dump", "--schema", schema, "--inserts", "--no-owner", "--no-privileges", *options, run_database()],
        capture_output=True,
        text=True,
        check=True,
    )
    # pg_dump names every object with its schema; the random name cannot occur elsewhere.
    # Its psql meta-commands (\restrict) mean nothing to the server.
    script = "\n".join(line for line in dump.stdout.splitlines() if not line.startswith("\\"))
    return script.replace(schema, "{schema}")


def schema_url(schema: str) -> str:
    """This run's database URL with `schema` first on the search path."""
    url = run_database()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


_run_database: list[str] = []


def run_database() -> str:
    """A database of this test process's own on the test server, made on first use, dropped at the end.

    Every PostgreSQL test makes and drops schemas; with autovacuum off (as on the CI server), the
    catalogs of a shared database keep every dead row, and after a few runs each connection spent
    more time reading them than running the test. A new database starts with small catalogs.
    """
    if not _run_database:
        import psycopg
        from sqlalchemy.engine import make_url

        assert POSTGRES_URL
        name = f"ratify_run_{uuid.uuid4().hex[:12]}"
        try:
            with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
                connection.execute(f"CREATE DATABASE {name}")
        except psycopg.errors.InsufficientPrivilege:
            _run_database.append(POSTGRES_URL)  # a user who may not create one: the database it names
        else:
            _run_database.append(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
    return _run_database[0]


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not _run_database or _run_database[0] == POSTGRES_URL:
        return
    import psycopg
    from sqlalchemy.engine import make_url

    name = make_url(_run_database.pop()).database
    assert POSTGRES_URL
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def store(request: pytest.FixtureRequest) -> str:
    """Which store the test's ratify database lives in (see pytest_generate_tests)."""
    return request.param


@pytest.fixture
def initialised(
    store: str, isolated: Path, initialised_template: Path, request: pytest.FixtureRequest, monkeypatch
) -> Iterator[Path | str]:
    """An initialised database, as RATIFY_DB: a file, or a URL on PostgreSQL."""
    if store == "sqlite":
        shutil.copyfile(initialised_template, isolated)
        yield isolated
        return
    schemas = request.getfixturevalue("postgres_schemas")
    schema = schemas.take()
    url = schema_url(schema)
    monkeypatch.setenv("RATIFY_DB", url)
    try:
        yield url
    finally:
        schemas.give_back(schema)


@pytest.fixture(scope="session")
def prepared_states() -> dict[tuple[str, str, str], tuple[Path | str, object]]:
    """What each `prepared` build left, by build and store: a file, or the SQL of a schema."""
    return {}


@pytest.fixture
def prepared(
    initialised: Path | str,
    store: str,
    prepared_states: dict,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Callable[[Callable[[], T]], T]:
    """`prepared(build)`: the test's database as the commands in `build()` leave it, and what
    `build` returned. The first test to ask builds it and keeps a copy for this run and store;
    later ones restore the copy (a file copied, its rows put in the schema), since loading the same
    fixtures before each of a hundred tests was a fifth of the suite. A test that moves the
    clock builds its own, as the copy was recorded at another moment."""

    def restored_or_built(build: Callable[[], T]) -> T:
        key = (build.__module__, build.__qualname__, store)
        if "clock" in request.fixturenames:
            return build()
        if key not in prepared_states:
            value = build()
            prepared_states[key] = (_kept(initialised, tmp_path_factory), value)
            return value
        kept, value = prepared_states[key]
        if isinstance(initialised, Path):
            shutil.copyfile(kept, initialised)
        else:
            request.getfixturevalue("postgres_schemas").refill(_schema_of(initialised), kept)
        return value  # type: ignore[return-value]

    return restored_or_built


def _kept(location: Path | str, tmp_path_factory: pytest.TempPathFactory) -> Path | str:
    """A copy of the file, or the rows of the schema (its structure is init's, as every schema's here)."""
    if isinstance(location, Path):
        # Every command has closed the file, so SQLite has folded its log into it.
        assert not Path(f"{location}-wal").exists(), "a connection to the test database is still open"
        copy = tmp_path_factory.mktemp("prepared") / location.name
        shutil.copyfile(location, copy)
        return copy
    return dumped(_schema_of(location), "--data-only")


def _schema_of(url: str) -> str:
    return url.rsplit("search_path%3D", 1)[1]


def _load_rus_prk() -> None:
    ok("load", RUS_PRK)


@pytest.fixture
def loaded(initialised: Path | str, prepared) -> Path | str:
    prepared(_load_rus_prk)
    return initialised


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on each backend: a file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
        return
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail(MISSING_IN_CI)
        pytest.skip("PostgreSQL tests need RATIFY_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)")
    import psycopg

    schema = f"ratify_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(run_database(), autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema_url(schema)
    finally:
        with psycopg.connect(run_database(), autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


def snapshot(location: str | Path) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a failed command wrote nothing.

    Rows are sorted by their text rather than by a reflected primary key: reflecting every
    table costs a PostgreSQL schema tens of queries, and this runs twice in many tests.
    """
    from sqlalchemy import inspect, text

    from ratify.store.database import Database

    database = Database(str(location))
    try:
        with database.engine.connect() as connection:
            names = sorted(inspect(connection).get_table_names())
            preparer = connection.dialect.identifier_preparer
            return {
                name: sorted(
                    (tuple(row) for row in connection.execute(text(f"SELECT * FROM {preparer.quote(name)}"))),
                    key=repr,
                )
                for name in names
            }
    finally:
        database.close()
