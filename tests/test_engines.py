"""A process that opens the same database again reuses its engine, and only its engine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from ratify.store.database import Database
from tests.conftest import ok


def _treaties(location: Path | str) -> list[str]:
    with Database(str(location)) as database, database.transaction() as session:
        return list(session.execute(text("SELECT slug FROM treaty ORDER BY slug")).scalars())


def test_a_database_opened_again_reuses_the_engine_with_none_of_its_connections(loaded):
    with Database(str(loaded)) as first:
        engine = first.engine
        assert _treaties(loaded) == ["rus-prk-2024"]
    with Database(str(loaded)) as again:
        assert again.engine is engine
        assert again.engine.pool.checkedout() == 0


@pytest.mark.sqlite_only
def test_a_file_replaced_between_opens_is_read_anew(initialised, tmp_path):
    """A file moved over the database (a new inode) is what the next command reads: a connection kept from
    before would still read the old one."""
    assert _treaties(initialised) == []
    other = tmp_path / "other.db"
    ok("--db", other, "init")
    ok("--db", other, "treaty", "add", "t", "--title", "T", "--party", "FRA", "--party", "DEU")
    os.replace(other, initialised)
    assert _treaties(initialised) == ["t"]


def test_one_relative_path_in_two_directories_is_two_databases(tmp_path, monkeypatch):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        monkeypatch.chdir(tmp_path / name)
        ok("--db", "here.db", "init")
        ok("--db", "here.db", "treaty", "add", name, "--title", name.upper(), "--party", "FRA", "--party", "DEU")
    assert _treaties(tmp_path / "a" / "here.db") == ["a"]
    assert _treaties("here.db") == ["b"]


def test_another_lock_timeout_is_another_engine(initialised, monkeypatch):
    with Database(str(initialised)) as usual:
        engine = usual.engine
    monkeypatch.setenv("RATIFY_LOCK_TIMEOUT", "5")
    with Database(str(initialised)) as patient:
        assert patient.engine is not engine
