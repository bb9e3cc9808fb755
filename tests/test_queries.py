"""Reports run a fixed number of statements, however many treaties there are."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.conftest import FIXTURES, ok, run


@pytest.fixture
def statements(monkeypatch):
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    yield seen
    event.remove(Engine, "before_cursor_execute", count)


def add_treaties(start: int, count: int) -> None:
    for number in range(start, start + count):
        slug = f"t{number}"
        assert (
            run(
                "treaty",
                "add",
                slug,
                "--title",
                slug,
                "--signed",
                "2020-01-01",
                "--kind",
                "multilateral",
                "--party",
                "France",
                "--party",
                "Japan",
                "--party",
                "KOR",
            ).exit_code
            == 0
        )
        assert (
            run(
                "vote", slug, "FRA", "assemblee_nationale", "--date", "2020-03-01", "--yes", "300", "--no", "10"
            ).exit_code
            == 0
        )


#: Read-only commands: each runs on the same database with 2 treaties, then with 10.
COMMANDS = [
    ["status", "--format", "csv"],
    ["status", "--as-of", "2020-02-01", "--format", "csv"],
    ["pending", "--limit", "5"],
    ["pending", "--as-of", "2020-02-01", "--stage", "lower_house"],
    ["treaty", "list"],
    ["report", "--format", "csv"],
    ["report", "--as-of", "2020-02-01", "--format", "json"],
    ["report", "--format", "json"],
    ["report", "--format", "ndjson"],
    ["report"],
    ["report", "--as-of", "2020-02-01"],
    ["report", "--format", "html"],
    ["report", "t0", "t1", "--format", "json"],
]


def test_query_count_does_not_grow(initialised, statements):
    add_treaties(0, 2)
    few = {}
    for command in COMMANDS:
        statements.clear()
        assert run(*command).exit_code == 0, command
        few[" ".join(command)] = len(statements)
    add_treaties(2, 8)
    for command in COMMANDS:
        statements.clear()
        result = run(*command)
        assert result.exit_code == 0, command
        # A bounded number: pending may skip its second query once the first fills the limit.
        assert len(statements) <= few[" ".join(command)] <= 7, command


@pytest.mark.parametrize("fmt", ["csv", "json", "simple"])
def test_protocols_drawing_on_one_parent_cost_no_statement_each(initialised, statements, tmp_path, fmt):
    """Each protocol's rule draws its group from the parent's parties on a date: drawn once per report."""
    fixture = FIXTURES / "treaties" / "nato-1949-romania-protocol-2003.yaml"
    ok("load", fixture)
    protocol = fixture.read_text().split("\n- slug: north-atlantic-treaty-romania-2003\n", 1)[1]
    statements.clear()
    ok("report", "--format", fmt)
    few = len(statements)
    copies = tmp_path / "copies.yaml"
    copies.write_text(
        "treaties:\n" + "".join(f"- slug: north-atlantic-treaty-copy-{n}\n{protocol}\n" for n in range(5))
    )
    ok("load", copies)
    statements.clear()
    ok("report", "--format", fmt)
    assert len(statements) == few
