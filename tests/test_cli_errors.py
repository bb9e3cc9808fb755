"""Bad input: one clear line naming the field, a non-zero exit, and nothing written."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import RUS_PRK, ok, run, snapshot

VOTE = ["vote", "rus-prk-2024", "RUS"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            [*VOTE, "duma", "--date", "24/10/2024", "--yes", "1"],
            2,
            "Invalid value for '--date': '24/10/2024' is not an ISO 8601 date (use YYYY-MM-DD, or YYYY-MM or YYYY where the source gives no more",
        ),
        (
            [*VOTE, "duma", "--date", "2024-02-30", "--yes", "1"],
            2,
            "Invalid value for '--date': 2024-02-30 does not exist in the calendar (check the day and month)",
        ),
        (
            ["advance", "rus-prk-2024", "PRK", "decree", "--date", "2024-06-01"],
            1,
            "Error: date: 2024-06-01 is before PRK signed rus-prk-2024 on 2024-06-19 "
            "(check the date, or pass --allow-out-of-order to record it anyway)",
        ),
        (
            ["advance", "rus-prk-2024", "PRK", "instrument", "--date", "2024-11-01"],
            1,
            "Error: date: decree passed on 2024-11-11, after this instrument on 2024-11-01 "
            "(check the dates, or pass --allow-out-of-order)",
        ),
        (
            ["advance", "rus-prk-2024", "PRK", "decree", "--date", "2024-12-10"],
            1,
            "Error: date: instrument already passed on 2024-12-04, before this decree on 2024-12-10",
        ),
        (
            [*VOTE, "duma", "--date", "2024-10-25", "--yes", "-1"],
            2,
            "Error: vote.yes: Input should be greater than or equal to 0",
        ),
        (
            [*VOTE, "duma", "--date", "2024-10-25", "--yes", "400", "--no", "100"],
            1,
            "Error: vote: the counts add up to 500, more than the 450 seats of State Duma (check the counts, or give --seats)",
        ),
        (
            [*VOTE, "duma", "--date", "2024-10-25", "--yes", "100", "--no", "300", "--result", "passed"],
            1,
            "Error: result: stated passed, but 100 yes of 450 seats means failed under majority_of_all_members",
        ),
        (
            [*VOTE, "duma", "--date", "2024-10-25", "--unanimous", "--no", "3"],
            1,
            "Error: vote: a unanimous vote cannot have 3 against (drop unanimous or no)",
        ),
        (
            [*VOTE, "duma", "--date", "2024-10-25", "--yes", "30", "--seats", "10"],
            1,
            "Error: vote: the counts add up to 30, more than the 10 seats (check the counts or the seats)",
        ),
        (
            [*VOTE, "president", "--date", "2024-11-10", "--yes", "3"],
            1,
            "Error: vote: President of the Russian Federation (assent) takes no vote",
        ),
        (
            ["vote", "no-such-treaty", "RUS", "duma", "--date", "2024-10-25", "--yes", "1"],
            1,
            "Error: treaty: no treaty 'no-such-treaty' (see 'ratify treaty list --search WORDS')",
        ),
        (
            ["vote", "rus-prk-2024", "Russa", "duma", "--date", "2024-10-25", "--yes", "1"],
            1,
            "Error: state: 'Russa' is not a known country (did you mean 'Russia' or 'Aruba'?)",
        ),
        (
            ["vote", "rus-prk-2024", "France", "duma", "--date", "2024-10-25", "--yes", "1"],
            1,
            "Error: party: FRA is not a party to rus-prk-2024 (add it with 'ratify party add rus-prk-2024 FRA')",
        ),
        ([*VOTE, "senate", "--date", "2024-10-25", "--yes", "1"], 1, "Error: stage: RUS has no stage 'senate'"),
        (
            [*VOTE, "duma", "--date", "2099-01-01", "--yes", "1"],
            1,
            "Error: date: 2099-01-01 is in the future (only a scheduled event may be dated ahead (--status scheduled))",
        ),
        (
            [*VOTE, "duma", "--date", "2024-10-24", "--yes", "397", "--no", "0", "--unanimous"],
            1,
            "Error: event: duma passed on 2024-10-24 is already recorded for RUS",
        ),
        (
            [*VOTE, "duma", "--date", "2024-10-25", "--reading", "2", "--yes", "300"],
            1,
            "Error: reading: State Duma votes in 1 reading(s) (its template says), not 2",
        ),
        (
            ["treaty", "add", "rus-prk-2024", "--title", "Again"],
            1,
            "Error: treaty: 'rus-prk-2024' already exists (choose another slug)",
        ),
        (["treaty", "add", "Bad Slug", "--title", "X"], 2, "Error: slug: 'Bad Slug' is not a slug"),
        (
            ["party", "add", "rus-prk-2024", "China"],
            1,
            "Error: party: rus-prk-2024 is bilateral and already has two parties (record the treaty as --kind multilateral)",
        ),
        (["party", "add", "rus-prk-2024", "RUS"], 1, "Error: party: RUS is already a party to rus-prk-2024"),
        (["status", "--format", "yaml"], 2, "Invalid value for '--format': 'yaml' is not a format"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(loaded, args, code, message):
    before = snapshot(loaded)
    result = run(*args)
    assert result.exit_code == code, result.output
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error") or "Invalid value" in line]
    assert len(error_lines) == 1, result.stderr
    assert message in error_lines[0]
    assert snapshot(loaded) == before


def test_out_of_order_is_allowed_explicitly_and_marked(initialised):
    # A decree dated before the signature (the loaded treaty's PRK decree is already recorded: one decision only).
    ok("treaty", "add", "rus-prk-2024", "--title", "T", "--signed", "2024-06-19", "--party", "RUS", "--party", "PRK")
    result = run(
        "advance",
        "rus-prk-2024",
        "PRK",
        "decree",
        "--date",
        "2024-06-01",
        "--allow-out-of-order",
        "--note",
        "date as first reported",
    )
    assert result.exit_code == 0, result.output
    history = run("history", "rus-prk-2024", "PRK", "--format", "csv").stdout.splitlines()
    header = history[0].split(",")
    first = dict(zip(header, history[1].split(","), strict=True))
    assert (first["date"], first["out_of_order"], first["note"]) == ("2024-06-01", "yes", "date as first reported")


def test_a_fixture_with_one_bad_entry_is_rejected_whole(initialised, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(RUS_PRK.read_text().replace("date: 2024-11-06", "date: 2024-11-31"))
    before = snapshot(initialised)
    result = run("load", RUS_PRK, bad)
    assert result.exit_code == 1
    assert f"Error: {bad}: treaties[0].parties[0].events[2].date: 2024-11-31 does not exist" in result.stderr
    assert snapshot(initialised) == before


def test_a_fixture_rule_violation_names_the_entry(initialised, tmp_path):
    bad = tmp_path / "order.yaml"
    bad.write_text(RUS_PRK.read_text().replace("date: 2024-11-09", "date: 2024-11-01"))
    before = snapshot(initialised)
    result = run("load", bad)
    assert result.exit_code == 1
    assert f"Error: {bad}: treaties[0].parties[0].events[3]: date: president cannot pass on 2024-11-01" in result.stderr
    assert snapshot(initialised) == before


def test_unknown_fixture_field(initialised, tmp_path):
    bad = tmp_path / "typo.yaml"
    bad.write_text("treaties:\n  - slug: x\n    title: X\n    signd: 2024-01-01\n")
    result = run("load", bad)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {bad}: treaties[0].signd: is not a known field (check its spelling)"


def test_missing_database(isolated):
    result = run("status")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: no ratify database at {isolated} (run 'ratify init' first, or point --db / RATIFY_DB at your database)"
    )
    assert not isolated.exists()


@pytest.mark.parametrize("content", [b"not a database at all\n" * 10, None])
def test_not_a_ratify_database(isolated, content):
    if content is None:
        with closing(sqlite3.connect(isolated)) as connection, connection:  # closed, and committed first
            connection.execute("CREATE TABLE notes (body TEXT)")
    else:
        isolated.write_bytes(content)
    before = isolated.read_bytes()
    for args in (["status"], ["init"], ["treaty", "add", "x", "--title", "X"]):
        result = run(*args)
        assert result.exit_code == 1, args
        assert "is not a ratify database" in result.stderr or "holds other tables" in result.stderr
    assert isolated.read_bytes() == before


def test_locked_database(loaded, monkeypatch):
    """A writer that cannot get the write lock in time is refused, whatever holds it."""
    monkeypatch.setattr("ratify.store.database.LOCK_TIMEOUT_SECONDS", 0.1)
    if isinstance(loaded, Path):
        holder = sqlite3.connect(loaded, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
    else:
        import psycopg

        # Another writer, on PostgreSQL: it holds the advisory lock every writer takes first.
        holder = psycopg.connect(loaded)
        holder.execute("SELECT pg_advisory_xact_lock(1918989417, hashtext(current_schema()))")
    try:
        result = run(*VOTE, "federation_council", "--date", "2024-11-07", "--unanimous")
    finally:
        holder.close()  # and with it the other writer's transaction
    assert result.exit_code == 1
    assert "is locked by another process (try again when the other ratify command has finished)" in result.stderr


def test_an_event_file_path_that_does_not_exist(initialised):
    result = run("load", Path("nowhere.yaml"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
