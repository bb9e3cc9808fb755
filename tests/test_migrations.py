"""Migrations: old databases written by real old releases come to head with every fact kept.

tests/data/schema-v1.sql and schema-v2.sql are `sqlite3 .dump`s of databases
that ratify a386997 (the last to write schema version 1) and 7c90c47 (the last
to write version 2) built with tests/data/build-dump.sh; beside each are that
release's own `export`, `status` and `report` output, which the upgraded
database must reproduce.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from conftest import ok, run
from sqlalchemy import MetaData, create_engine, inspect, select, text

from ratify.cli.db import INFO_FIELDS
from ratify.store.database import Database
from ratify.store.migrate import alembic_config, script_directory
from ratify.store.versions import HEAD_REVISION, REVISIONS

DATA = Path(__file__).resolve().parent / "data"
RELEASES = {"1": "0001", "2": "0002", "3": "0003"}
#: JSON fields added since the releases that wrote the dumps (docs/json.md lists each with its release).
ADDED_SINCE_0008 = {"bound", "ended", "ended_on", "withdrawal_notice_on", "notice_revoked_on", "member_since"}
ADDED_SINCE_0007 = {"in_force_basis", "in_force_published", "treaty_in_force_published", "published_differs"}
ADDED_SINCE_0008 |= {"next_laid_on", "next_laid_until"}
ADDED_SINCE_0007 |= ADDED_SINCE_0008
ADDED_FIELDS = {"next_expected", "next_expected_by", "reversal", "reversal_progress", "relation", "parent"}
ADDED_FIELDS |= ADDED_SINCE_0007


def restore(dump: str, path: Path) -> Path:
    connection = sqlite3.connect(path)
    connection.executescript((DATA / f"{dump}.sql").read_text())
    connection.close()
    return path


def migrate(location: str | Path, target: str) -> None:
    """Run the revisions up to `target` on a database, the way `ratify db upgrade` does."""
    from alembic import command

    database = Database(str(location))
    try:
        with database.engine.connect() as connection, connection.begin():
            command.upgrade(alembic_config(connection), target)
    finally:
        database.close()


def test_head_constant_is_the_script_directory_head():
    script = script_directory()
    assert script.get_current_head() == HEAD_REVISION
    assert tuple(reversed([r.revision for r in script.walk_revisions()])) == REVISIONS


def schema_sql(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name != 'alembic_version'")
        return {row[0] for row in rows}
    finally:
        connection.close()


def test_revision_0001_creates_exactly_what_version_1_created(tmp_path):
    migrate(tmp_path / "migrated.db", "0001")
    assert schema_sql(tmp_path / "migrated.db") == schema_sql(restore("schema-v1", tmp_path / "old.db"))


def test_versions_1_and_2_have_the_same_tables(tmp_path):
    assert schema_sql(restore("schema-v1", tmp_path / "v1.db")) == schema_sql(restore("schema-v2", tmp_path / "v2.db"))


@pytest.mark.parametrize("version", ["1", "2", "3"])
def test_upgrade_keeps_every_fact(version, isolated):
    restore(f"schema-v{version}", isolated)
    result = ok("db", "upgrade")
    backup = isolated.with_name(f"ratify.db.rev-{RELEASES[version]}.bak")
    assert result.stderr == (
        f"Copied {isolated} to {backup}.\nUpgraded {isolated} from {RELEASES[version]} to {HEAD_REVISION}.\n"
    )
    assert schema_sql(backup) == schema_sql(restore(f"schema-v{version}", isolated.with_name("fresh.db")))
    assert_same_as_release(version)


def test_populated_0007_database_upgrades_keeping_every_fact(isolated):
    """schema-0007.* were built by 10bb9bb (revision 0007) with build-dump.sh, EXTRA naming the Paris Agreement and
    the North Atlantic Treaty with its protocol; every later revision must bring it to head with every fact kept."""
    restore("schema-0007", isolated)
    result = ok("db", "upgrade")
    if HEAD_REVISION != "0007":
        assert result.stderr.endswith(f"Upgraded {isolated} from 0007 to {HEAD_REVISION}.\n")
    assert_same_as_release("0007")


def test_populated_0008_database_upgrades_keeping_every_fact(isolated):
    """schema-0008.* were built by 3574d18 (revision 0008) with build-dump.sh, EXTRA naming the Paris Agreement, the
    North Atlantic Treaty with its protocol and the CTBT (Russia's revoked ratification)."""
    restore("schema-0008", isolated)
    assert ok("db", "upgrade").stderr.endswith(f"Upgraded {isolated} from 0008 to {HEAD_REVISION}.\n")
    assert ok("export").stdout == (DATA / "schema-0008.export.yaml").read_text()
    # The one reading that changes on purpose: a withdrawn ratification now says so (issue 19).
    was = "signed, lower house pending"
    now = "ratification withdrawn 2023-11-03, signed, lower house pending"
    status = [" ".join(line.split()) for line in ok("status", "--as-of", "2025-06-01").stdout.splitlines()]
    expected = [" ".join(line.split()) for line in (DATA / "schema-0008.status.txt").read_text().splitlines()]
    changed = [(old, new) for old, new in zip(expected, status, strict=True) if old != new]
    assert [set(line) for line in changed[0]] == [{"-", " "}, {"-", " "}]  # the table's rule, one column wider
    assert changed[1:] == [(f"ctbt-1996 RUS signed {was} 576", f"ctbt-1996 RUS signed {now} 576")]
    report = without(json.loads(ok("report", "--as-of", "2025-06-01", "--format", "json").stdout), ADDED_SINCE_0008)
    rows = [row for treaty in report["treaties"] for row in treaty.get("parties", [])]
    revoked = [row for row in rows if row.get("progress") == now]
    assert len(revoked) == 1
    revoked[0]["progress"] = was
    assert report == json.loads((DATA / "schema-0008.report.json").read_text())
    connection = sqlite3.connect(isolated)
    try:
        cached = "SELECT consent_withdrawn_on FROM party WHERE consent_withdrawn_on IS NOT NULL"
        assert connection.execute(cached).fetchall() == [("2023-11-03",)]
        assert connection.execute("SELECT count(*) FROM stage WHERE consultative").fetchone() == (0,)
    finally:
        connection.close()


def assert_same_as_release(version: str, *db: str) -> None:
    release = f"schema-{version}" if len(version) == 4 else f"schema-v{version}"
    exported = ok(*db, "export").stdout
    if version in ("1", "2"):  # since revision 0003 an export carries each fact's id (t1, p2, e3, a4)
        exported = re.sub(r"(?m)^(\s*)(- )?id: [tpea]\d+\n(\s*)", lambda m: m[1] + (m[2] or ""), exported)
    assert exported == (DATA / f"{release}.export.yaml").read_text()
    assert ok(*db, "status", "--as-of", "2025-06-01").stdout == (DATA / f"{release}.status.txt").read_text()
    report = json.loads(ok(*db, "report", "--as-of", "2025-06-01", "--format", "json").stdout)
    report = without(report, ADDED_FIELDS if version in RELEASES else ADDED_SINCE_0007)
    assert report == json.loads((DATA / f"{release}.report.json").read_text())


@pytest.mark.parametrize("start", ["0005", "0006"])
def test_revision_0007_keeps_every_fact_and_leaves_every_date_exact(isolated, start):
    """A populated database at 0005 or 0006 (the version-3 dump, brought there) gains empty precision columns."""
    restore("schema-v3", isolated)
    migrate(isolated, start)
    counts_before = _counts(isolated)
    result = ok("db", "upgrade")
    assert result.stderr.endswith(f"Upgraded {isolated} from {start} to {HEAD_REVISION}.\n")
    assert _counts(isolated) == counts_before
    connection = sqlite3.connect(isolated)
    try:
        for table, names in PRECISION_COLUMNS.items():
            for name in names:
                assert connection.execute(f"SELECT count(*) FROM {table} WHERE {name} IS NOT NULL").fetchone() == (0,)
                assert connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
        laid = "SELECT count(*) FROM party WHERE next_laid_on IS NOT NULL OR next_laid_until IS NOT NULL"
        assert connection.execute(laid).fetchone() == (0,)
    finally:
        connection.close()
    assert_same_as_release("3")


PRECISION_COLUMNS = {
    "treaty": ("signed_precision", "rule_met_precision"),
    "party": ("signed_precision", "stage_precision", "last_step_precision", "deposited_precision"),
    "event": ("date_precision",),
    "act": ("date_precision",),
}


def _counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        tables = [t for (t,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        connection.close()


def without(value, keys: set[str]):
    """`value` with every mapping's `keys` left out, however deep."""
    if isinstance(value, dict):
        return {k: without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [without(v, keys) for v in value]
    return value


def test_upgraded_database_is_at_head_and_says_so(isolated):
    restore("schema-v2", isolated)
    ok("db", "upgrade")
    assert ok("db", "upgrade").stderr == f"{isolated} is already at head ({HEAD_REVISION}).\n"
    size = isolated.stat().st_size
    assert ok("db", "status", "--format", "json").stdout == (
        "[\n"
        f'  {{"database": "{isolated}", "revision": "{HEAD_REVISION}", "head": "{HEAD_REVISION}", '
        f'"upgrade_due": false, "written_by": "0.1.0", "note": "at head", "store": "sqlite", "size_bytes": {size}}}\n'
        "]\n"
    )


def test_backup_never_overwrites_an_earlier_copy(isolated):
    restore("schema-v2", isolated)
    earlier = isolated.with_name("ratify.db.rev-0002.bak")
    earlier.write_text("an earlier copy")
    result = ok("db", "upgrade")
    assert earlier.read_text() == "an earlier copy"
    second = isolated.with_name("ratify.db.rev-0002.2.bak")
    assert f"Copied {isolated} to {second}." in result.stderr
    assert schema_sql(second) == schema_sql(restore("schema-v2", isolated.with_name("fresh.db")))


def test_out_of_date_database_is_refused_with_one_line(isolated):
    restore("schema-v1", isolated)
    result = run("treaty", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {isolated} is at schema revision 0001, this ratify needs {HEAD_REVISION} "
        "(run 'ratify db upgrade'; it keeps a copy of a SQLite file first)\n"
    )
    assert ok("db", "status").stdout.splitlines()[2].split()[1:3] == ["0001", HEAD_REVISION]
    # info counts only a record it can read, and says where to look instead.
    held = ok("info")
    assert held.stdout.splitlines()[2:] == [f"{name + ':':14} -" for name in INFO_FIELDS[2:]]
    assert held.stderr == "Not counted: the schema is not at this ratify's head (see 'ratify db status').\n"


@pytest.mark.sqlite_only  # edits the file with sqlite3 directly
def test_newer_database_names_the_release_that_wrote_it(initialised):
    connection = sqlite3.connect(initialised)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
        connection.execute("UPDATE meta SET value = '0.7.0' WHERE key = 'schema_written_by'")
    connection.close()
    for command in (["status"], ["db", "upgrade"], ["init"]):
        result = run(*command)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: {initialised} is at schema revision 0099, written by ratify 0.7.0; "
            f"this ratify 0.1.0 knows revisions up to {HEAD_REVISION} (use ratify 0.7.0 or later)\n"
        )


def test_version_1_from_before_multilateral_treaties_is_refused(isolated):
    restore("schema-v1-early", isolated)
    result = run("db", "upgrade")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {isolated} has schema version 1 as written before multilateral treaties (no act table), "
        "which no revision upgrades (load its treaties into a new database made with 'ratify init')\n"
    )
    assert sorted(p.name for p in isolated.parent.iterdir() if p.name.startswith("ratify.db")) == ["ratify.db"]


def test_ids_are_never_reused_after_upgrade(isolated):
    restore("schema-v2", isolated)
    ok("db", "upgrade")
    connection = sqlite3.connect(isolated)
    with connection:
        (last,) = connection.execute("SELECT max(id) FROM act").fetchone()
        connection.execute("DELETE FROM act WHERE id = ?", (last,))
        connection.execute(
            "INSERT INTO act (party_id, kind, date, recorded_at, recorded_by) "
            "SELECT party_id, 'declaration', date, recorded_at, recorded_by FROM event LIMIT 1"
        )
        (new,) = connection.execute("SELECT max(id) FROM act").fetchone()
    connection.close()
    assert new == last + 1


def test_a_failed_init_leaves_nothing_behind(isolated, monkeypatch):
    import ratify.store.migrate

    def fail(_connection):
        raise KeyboardInterrupt

    # Only the interruption is undone: undoing every patch would point RATIFY_DB at the user's own database.
    with monkeypatch.context() as patched:
        patched.setattr(ratify.store.migrate, "stamp_head", fail)
        assert run("init").exit_code == 1  # click reports the interrupt as "Aborted!"
    assert schema_sql(isolated) == set()
    ok("init")
    ok("treaty", "list")


def differences(location: str) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    database = Database(location)
    try:
        with database.engine.connect() as connection:
            return compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    finally:
        database.close()


def test_models_and_migrations_agree(store_url):
    migrate(store_url, "head")
    assert differences(store_url) == []


def test_init_and_migrations_make_the_same_sqlite_tables(tmp_path):
    ok("--db", tmp_path / "init.db", "init")
    migrate(tmp_path / "migrated.db", "head")
    for path in (tmp_path / "init.db", tmp_path / "migrated.db"):
        database = Database(str(path))
        try:
            inspector = inspect(database.engine)
            described = {
                name: (
                    [(c["name"], str(c["type"]), c["nullable"], c["default"]) for c in inspector.get_columns(name)],
                    inspector.get_pk_constraint(name)["constrained_columns"],
                    sorted(map(str, inspector.get_foreign_keys(name))),
                    sorted(map(str, inspector.get_indexes(name))),
                    sorted(map(str, inspector.get_unique_constraints(name))),
                )
                for name in inspector.get_table_names()
            }
        finally:
            database.close()
        never_reused = {row for row in schema_sql(path) if "AUTOINCREMENT" in row}
        if path.name == "init.db":
            expected, expected_autoincrement = described, {row.split()[2].strip('"') for row in never_reused}
        else:
            assert described == expected
            assert {row.split()[2].strip('"') for row in never_reused} == expected_autoincrement
    assert expected_autoincrement == {"treaty", "party", "event", "act"}


@pytest.mark.postgres
@pytest.mark.parametrize("store_url", ["postgres"], indirect=True)  # SQLite: test_upgrade_keeps_every_fact
def test_populated_version_1_upgrades_on_postgresql(store_url, tmp_path):
    migrate(store_url, "0001")
    source = create_engine(f"sqlite:///{restore('schema-v1', tmp_path / 'v1.db')}")
    target = Database(store_url)
    try:
        old, new = MetaData(), MetaData()
        old.reflect(source)
        new.reflect(target.engine)
        with source.connect() as reading, target.engine.begin() as writing:
            writing.execute(text("DROP TABLE alembic_version"))  # as a release before migrations left it
            for table in old.sorted_tables:
                rows = [dict(row._mapping) for row in reading.execute(select(table))]
                if rows:
                    writing.execute(new.tables[table.name].insert(), rows)
                if "id" in table.c and table.c.id.autoincrement and table.name not in ("meta", "procedure"):
                    writing.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT coalesce(max(id), 1) FROM {table.name}))"
                        )
                    )
    finally:
        source.dispose()
        target.close()
    db = ("--db", store_url)
    assert run(*db, "status").exit_code == 1
    result = ok(*db, "db", "upgrade")
    assert result.stderr.endswith(f"from 0001 to {HEAD_REVISION}.\n")
    assert "Copied" not in result.stderr
    assert_same_as_release("1", *db)
    assert differences(store_url) == []
