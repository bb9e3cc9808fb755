"""The same store behaviour on SQLite and PostgreSQL, driven through the CLI."""

from __future__ import annotations

import json
import os

import pytest

from ratify.errors import DatabaseError
from tests.conftest import FIXTURES, MISSING_IN_CI, POSTGRES_URL, RUS_PRK, run, snapshot


def at(url: str, *args: str) -> list[str]:
    return ["--db", url, *args]


def test_init_is_idempotent(store_url):
    first = run(*at(store_url, "init"))
    assert first.exit_code == 0, first.output
    assert first.stderr.startswith("Created ") and first.stderr.endswith("; procedures: 14 inserted.\n")
    before = snapshot(store_url)
    again = run(*at(store_url, "init"))
    assert again.exit_code == 0
    assert again.stderr.startswith("Checked ") and again.stderr.endswith("; procedures: 14 unchanged.\n")
    assert snapshot(store_url) == before


def test_load_and_report(store_url):
    assert run(*at(store_url, "init")).exit_code == 0
    assert run(*at(store_url, "load", str(RUS_PRK))).exit_code == 0
    result = run(*at(store_url, "status", "--as-of", "2024-10-25", "--format", "json"))
    rows = json.loads(result.stdout)
    assert [(r["party"], r["state"], r["progress"]) for r in rows] == [
        ("PRK", "signed", "signed, decree pending"),
        ("RUS", "in_legislature", "lower house passed, upper house pending"),
    ]
    today = json.loads(run(*at(store_url, "status", "--format", "json")).stdout)
    assert {r["state"] for r in today} == {"in_force"}


def test_failed_command_rolls_back(store_url, tmp_path):
    """A command that fails part-way leaves no trace of the part that succeeded."""
    assert run(*at(store_url, "init")).exit_code == 0
    before = snapshot(store_url)
    # The treaty file loads fine, then the second file fails: nothing of the first may remain.
    bad = tmp_path / "second.json"
    bad.write_text(
        json.dumps({"treaties": [{"slug": "x", "title": "X", "parties": [{"state": "FRA", "procedure": "nope"}]}]})
    )
    result = run(*at(store_url, "load", str(RUS_PRK), str(bad)))
    assert result.exit_code == 1
    assert f"{bad}: treaties[0].parties[0]: procedure: no template 'nope'" in result.stderr
    assert snapshot(store_url) == before
    assert run(*at(store_url, "load", str(RUS_PRK))).exit_code == 0
    loaded = snapshot(store_url)
    contradiction = ["vote", "rus-prk-2024", "RUS", "duma", "--date", "2024-10-25", "--yes", "1", "--result", "passed"]
    assert run(*at(store_url, *contradiction)).exit_code == 1
    assert snapshot(store_url) == loaded


def test_pending_and_vote(store_url):
    assert run(*at(store_url, "init")).exit_code == 0
    steps = [
        [
            "treaty",
            "add",
            "kor-x",
            "--title",
            "Test treaty",
            "--signed",
            "2025-01-10",
            "--party",
            "South Korea",
            "--party",
            "USA",
        ],
        ["advance", "kor-x", "KOR", "cabinet", "--date", "2025-02-01"],
        [
            "vote",
            "kor-x",
            "KOR",
            "national_assembly",
            "--date",
            "2025-03-01",
            "--yes",
            "200",
            "--no",
            "50",
            "--abstain",
            "10",
        ],
    ]
    for step in steps:
        result = run(*at(store_url, *step))
        assert result.exit_code == 0, result.output
    rows = json.loads(run(*at(store_url, "pending", "--as-of", "2025-03-11", "--format", "json")).stdout)
    assert [(r["party"], r["state"], r["next_stage"], r["waiting_days"]) for r in rows] == [
        ("USA", "signed", "committee", 60),
        ("KOR", "approved", "decree", 10),
    ]


def test_not_a_ratify_database(store_url):
    from sqlalchemy import text

    from ratify.store.database import Database

    database = Database(store_url)
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (body TEXT)"))
    database.close()
    result = run(*at(store_url, "init"))
    assert result.exit_code == 1
    assert "holds other tables and is not a ratify database" in result.stderr
    status = run(*at(store_url, "status"))
    assert status.exit_code == 1
    assert "is not a ratify database" in status.stderr


def test_rules_acts_and_export_on_each_backend(store_url, tmp_path):
    """Rules stored as JSON, acts, and an export that matches SQLite's, line for line."""
    treaties = FIXTURES / "treaties"
    files = [str(treaties / f"{name}.yaml") for name in ("budapest-2001", "rus-prk-2000", "rus-prk-2024")]
    assert run(*at(store_url, "init")).exit_code == 0
    assert run(*at(store_url, "load", *files)).exit_code == 0
    listed = {r["treaty"]: r for r in json.loads(run(*at(store_url, "treaty", "list", "--format", "json")).stdout)}
    assert listed["budapest-2001"]["in_force_on"] == "2004-07-01"
    act = ["act", "budapest-2001", "Albania", "withdrawal", "--date", "2020-03-02", "--source", "test"]
    assert run(*at(store_url, *act)).exit_code == 0
    albania = json.loads(run(*at(store_url, "status", "budapest-2001", "--party", "ALB", "--format", "json")).stdout)
    assert (albania[0]["state"], albania[0]["withdrawn_on"]) == ("withdrawn", "2021-03-02")
    ended = json.loads(run(*at(store_url, "status", "rus-prk-2000", "--format", "json")).stdout)
    assert {r["state"] for r in ended} == {"terminated"}
    exported = run(*at(store_url, "export", "--format", "json")).stdout
    reference = tmp_path / "reference.db"
    assert run("--db", reference, "init").exit_code == 0
    assert run("--db", reference, "load", *files).exit_code == 0
    assert run("--db", reference, *act).exit_code == 0
    assert _without_provenance(exported) == _without_provenance(
        run("--db", reference, "export", "--format", "json").stdout
    )


def _without_provenance(text: str) -> str:
    """Exports of two loads differ only in when and by whom they were recorded."""
    import re

    return re.sub(r'"recorded_(at|by)": "[^"]*"', "", text)


def _unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server():
    """The test server's URL parts; these tests need no schema, only someone to answer."""
    from sqlalchemy.engine import make_url

    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail(MISSING_IN_CI)
        pytest.skip("needs RATIFY_TEST_DATABASE_URL")
    return make_url(POSTGRES_URL)


def test_postgres_server_down():
    port = _unused_port()
    result = run("--db", f"postgresql://postgres@127.0.0.1:{port}/test", "status")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot connect to postgresql://postgres@127.0.0.1:{port}/test: no server is listening there "
        "(start PostgreSQL, or check the host and port in --db)\n"
    )


def test_postgres_unknown_host():
    # .invalid is reserved (RFC 6761): no resolver may answer for it.
    result = run("--db", "postgresql://postgres@ratify-test.invalid/test", "init")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: cannot connect to postgresql://postgres@ratify-test.invalid/test: unknown host "
        "(check the host name in --db)\n"
    )


@pytest.mark.postgres
def test_postgres_unknown_database(server):
    url = server.set(database="ratify_no_such_database").render_as_string(hide_password=False)
    for command in ("init", "status"):
        result = run("--db", url, command)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: cannot connect to {url}: there is no database ratify_no_such_database "
            "(create it with 'createdb ratify_no_such_database', or check the name in --db)\n"
        )


@pytest.mark.postgres
def test_postgres_unknown_user(server):
    url = server.set(username="ratify_no_such_user").render_as_string(hide_password=False)
    result = run("--db", url, "treaty", "add", "x", "--title", "X")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot connect to {url}: there is no user ratify_no_such_user "
        "(create it with 'createuser ratify_no_such_user', or check the user in --db)\n"
    )


def test_a_constraint_violation_is_one_line(store_url):
    """Should a check ever miss a clash, the database's refusal still reads as one line."""
    from sqlalchemy import text

    from ratify.store.database import Database

    assert run(*at(store_url, "init")).exit_code == 0
    database = Database(store_url)
    try:
        with pytest.raises(DatabaseError) as raised, database.transaction(write=True) as session:
            session.execute(text("INSERT INTO meta (key, value) VALUES ('application', 'again')"))
    finally:
        database.close()
    assert str(raised.value).startswith("nothing was written to ")
    assert str(raised.value).endswith(
        ": it would duplicate a record already stored (check what is stored now with 'ratify treaty show', and try again)"
    )


def test_a_database_used_with_with_closes_its_connections(loaded):
    """`with Database(...) as database:` (the README's Python example) leaves no connection open, error or not."""
    from sqlalchemy import text

    from ratify.store.database import Database

    with Database(str(loaded)) as database, database.transaction() as session:
        assert session.execute(text("SELECT count(*) FROM treaty")).scalar() == 1
        pool = database.engine.pool
    assert database._engine is None and pool.checkedout() == 0
    with pytest.raises(RuntimeError), Database(str(loaded)) as failing:
        with failing.transaction() as session:
            session.execute(text("SELECT 1"))
            raise RuntimeError("a caller's own error")
    assert failing._engine is None
