"""`ratify db upgrade` killed (SIGKILL) at any moment leaves the old database or the new one, whole.

Each old schema a release wrote (tests/data/schema-v1, -v2, -v3, populated) is upgraded once
cleanly, to know the new database; then copies are upgraded in real processes killed at moments
spread over that run. The processes are forked from one that has imported ratify (tests/forked.py),
so that the moments fall in the upgrade rather than in Python's start. After each kill the file must read as the old database or as the new one,
row for row, and a second `db upgrade` must finish the job.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from tests.forked import Command, finish
from tests.test_migrations import restore

#: Where in a clean upgrade's run the kills land, as fractions of its length.
MOMENTS = (0.3, 0.5, 0.65, 0.8, 0.9, 1.0)


def _upgraded(forked, path: Path) -> None:
    (outcome,) = finish([forked(path, ["db", "upgrade"])], timeout=300)
    assert outcome.code == 0, outcome.stderr


def _contents(path: Path) -> dict[str, object]:
    """Each table's columns, indexes, references and rows, in an order that does not depend on how the
    upgrade happened to issue its statements (it creates indexes in a set's order); the log read in."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        found: dict[str, object] = {}
        for table in sorted(tables):
            columns = sorted(tuple(row[1:]) for row in connection.execute(f'PRAGMA table_info("{table}")'))
            names = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            rows = sorted(
                repr(sorted(zip(names, row, strict=True))) for row in connection.execute(f'SELECT * FROM "{table}"')
            )
            indexes = sorted(
                sql or name
                for name, sql in connection.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,)
                )
            )
            references = sorted(tuple(row[2:]) for row in connection.execute(f'PRAGMA foreign_key_list("{table}")'))
            autoincrement = (
                "AUTOINCREMENT"
                in connection.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
            )
            found[table] = (columns, indexes, references, autoincrement, rows)
        return found
    finally:
        connection.close()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("schema", ["schema-v1", "schema-v2", "schema-v3"])
def test_a_killed_upgrade_leaves_the_old_database_or_the_new_one(tmp_path, schema, capsys, forked):
    old = _contents(restore(schema, tmp_path / "old.db"))
    clean = restore(schema, tmp_path / "clean.db")
    began = time.monotonic()
    _upgraded(forked, clean)
    length = time.monotonic() - began
    new = _contents(clean)
    assert new != old

    outcomes: Counter[str] = Counter()
    for number, moment in enumerate(MOMENTS):
        path = restore(schema, tmp_path / f"killed-{number}.db")
        upgrade: Command = forked(path, ["db", "upgrade"])
        upgrade.process.join(length * moment)
        upgrade.process.kill()  # SIGKILL; nothing if it has ended
        upgrade.process.join(60)
        found = _contents(path)
        assert found in (old, new), f"killed at {moment:.0%} of the run: neither the old database nor the new one"
        outcomes["old" if found == old else "new"] += 1
        _upgraded(forked, path)
        assert _contents(path) == new
    with capsys.disabled():
        print(f"\n{schema}: {len(MOMENTS)} kills of db upgrade, {outcomes['old']} old, {outcomes['new']} new")


@pytest.mark.sqlite_only
def test_the_upgrade_copy_holds_what_is_still_in_the_write_ahead_log(tmp_path, forked):
    """A row committed but not yet folded into the file (another connection keeps the log open) is in the copy."""
    path = restore("schema-v2", tmp_path / "logged.db")
    keeper = sqlite3.connect(path, isolation_level=None)
    try:
        keeper.execute("PRAGMA journal_mode = WAL")
        keeper.execute("PRAGMA wal_autocheckpoint = 0")
        keeper.execute("INSERT INTO meta (key, value) VALUES ('only_in_the_log', 'kept')")
        assert Path(f"{path}-wal").stat().st_size > 0
        _upgraded(forked, path)
    finally:
        keeper.close()
    (copy,) = tmp_path.glob("logged.db.rev-*.bak")
    with closing(sqlite3.connect(copy)) as connection, connection:
        assert connection.execute("SELECT value FROM meta WHERE key = 'only_in_the_log'").fetchone() == ("kept",)
