"""Hostile and unlucky input: one line naming the field and the fix, the same on both stores, nothing written."""

from __future__ import annotations

import json

import pytest

from ratify.limits import MAX_INT, NAME_LIMIT, NOTE_LIMIT, SOURCE_LIMIT, TITLE_LIMIT
from tests.conftest import RUS_PRK, ok, run, snapshot

VOTE = ["vote", "rus-prk-2024", "RUS", "duma", "--date", "2024-10-25"]


def _one_line_error(result, code: int = 1) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def _refused(location, *args, code: int = 1) -> str:
    before = snapshot(location)
    line = _one_line_error(run(*args), code)
    assert snapshot(location) == before
    return line


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("count", [str(10**20), str(MAX_INT + 1)])
def test_a_tally_beyond_the_bound_is_refused_alike_on_both_stores(loaded, count):
    line = _refused(loaded, *VOTE, "--yes", count, "--seats", count, code=2)
    assert line == f"Error: vote.yes: Input should be less than or equal to {MAX_INT}; " + (
        f"vote.seats: Input should be less than or equal to {MAX_INT}"
    )


def test_a_tally_at_the_bound_is_kept_on_both_stores(loaded):
    ok(*VOTE, "--yes", str(MAX_INT), "--seats", str(MAX_INT), "--allow-out-of-order", "--round", "2")
    history = json.loads(ok("history", "rus-prk-2024", "RUS", "--format", "json").stdout)
    assert [row["yes"] for row in history if row["date"] == "2024-10-25"] == [MAX_INT]


def test_a_fixture_tally_or_id_beyond_the_bound_is_refused(initialised, tmp_path):
    tally = tmp_path / "tally.yaml"
    tally.write_text(RUS_PRK.read_text().replace('"yes": 397', f'"yes": {10**20}'))
    assert f"treaties[0].parties[0].events[1].vote.yes: Input should be less than or equal to {MAX_INT}" in (
        _refused(initialised, "load", tally)
    )
    ids = tmp_path / "ids.yaml"
    ids.write_text(f"treaties:\n  - id: t{MAX_INT + 1}\n    slug: x\n    title: X\n")
    assert f"treaties[0].id: t{MAX_INT + 1}: ids run up to t{MAX_INT}" in _refused(initialised, "load", ids)


def test_a_wait_or_limit_beyond_the_bound_is_a_usage_error(loaded):
    assert "Invalid value for '--older-than'" in _refused(loaded, "pending", "--older-than", str(10**20), code=2)
    assert "Invalid value for '--limit'" in _refused(loaded, "pending", "--limit", str(10**20), code=2)


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    ("character", "words"),
    [("\x00", "a NUL character"), ("\x1b", "a control character (U+001B)"), ("\x07", "a control character (U+0007)")],
)
def test_control_characters_are_refused_alike_on_both_stores(initialised, tmp_path, character, words):
    fixture = tmp_path / "nul.json"
    fixture.write_text(json.dumps({"treaties": [{"slug": "x", "title": f"A{character}B", "note": f"n{character}"}]}))
    line = _refused(initialised, "load", fixture)
    assert line == f"Error: {fixture}: treaties[0].title: contains {words}; treaties[0].note: contains {words}"
    csv = tmp_path / "events.csv"
    csv.write_text(f"treaty,party,stage,date,source\nrus-prk-2024,RUS,duma,2024-10-24,a{character}b\n")
    assert f"row 2: source: contains {words}" in _refused(initialised, "load", csv)


def test_a_line_break_in_a_one_line_field_is_refused_but_kept_in_a_note(loaded):
    line = _refused(loaded, "treaty", "add", "x", "--title", "two\nlines", code=2)
    assert line == "Error: title: contains a line break (keep it to one line)"
    ok("treaty", "add", "x", "--title", "One line", "--note", "first\nsecond")


@pytest.mark.parametrize(
    ("option", "limit", "field"),
    [
        ("--title", TITLE_LIMIT, "title"),
        ("--place", NAME_LIMIT, "place"),
        ("--source", SOURCE_LIMIT, "sources[0]"),
        ("--note", NOTE_LIMIT, "note"),
    ],
)
def test_text_beyond_its_limit_is_refused_at_the_limit_kept(loaded, option, limit, field):
    line = _refused(loaded, "treaty", "add", "too-long", "--title", "T", option, "x" * (limit + 1), code=2)
    assert line == f"Error: {field}: String should have at most {limit} characters"
    ok("treaty", "add", "just-fits", "--title", "T", option, "x" * limit)


def test_a_megabyte_title_in_a_fixture_is_refused_and_changes_stays_small(loaded, tmp_path):
    """A 1 MB title once made `changes` write 1.2 GB: it no longer gets in."""
    big = tmp_path / "big.yaml"
    big.write_text(f"treaties:\n  - slug: big\n    title: {'x' * 1_000_000}\n")
    assert f"treaties[0].title: String should have at most {TITLE_LIMIT} characters" in _refused(loaded, "load", big)
    big.write_text(f"treaties:\n  - slug: big\n    title: {'x' * TITLE_LIMIT}\n")
    ok("load", big)
    result = ok("changes", "--since", "2000-01-01")
    # Each row is padded to the widest; a title at the limit keeps the digest to kilobytes per row.
    assert len(result.stdout) < 20 * (TITLE_LIMIT + 200)


def test_a_reason_with_a_control_character_is_refused(loaded):
    line = _refused(loaded, "treaty", "edit", "rus-prk-2024", "--place", "X", "--reason", "a\x1bb")
    assert line == "Error: reason: contains a control character (U+001B)"


# --------------------------------------------------------------------------- CSV


def test_a_csv_with_a_repeated_column_is_refused(initialised, tmp_path):
    csv = tmp_path / "events.csv"
    csv.write_text("treaty,party,stage,date,date\nrus-prk-2024,RUS,duma,2024-10-24,2024-10-25\n")
    line = _refused(initialised, "load", csv)
    assert line == f"Error: {csv}: the column date appears more than once (keep one of each column)"


def test_a_csv_row_longer_than_its_header_is_refused(loaded, tmp_path):
    csv = tmp_path / "events.csv"
    csv.write_text("treaty,party,stage,date\nrus-prk-2024,RUS,duma,2024-10-24,extra\n")
    line = _refused(loaded, "load", csv)
    assert line == f"Error: {csv}: row 2 has more cells than the header has columns (check its commas)"


# --------------------------------------------------------------------------- dates


def test_a_treaty_signed_centuries_ago_still_renders_every_report(loaded):
    """1204 for 2024: a typo, but a date; the HTML axis once ran out of tick steps on it."""
    ok("treaty", "add", "typo", "--title", "Typo", "--signed", "1204-06-19", "--party", "RUS", "--party", "FRA")
    ok("advance", "typo", "RUS", "instrument", "--date", "2024-06-19", "--allow-out-of-order")
    page = ok("report", "--format", "html").stdout
    assert ">1500</text>" in page and ">2000</text>" in page
    for fmt in ("simple", "json", "csv"):
        ok("report", "--format", fmt)


@pytest.mark.parametrize("day", ["0999-12-31", "3000-01-01", "9999-12-31"])
def test_dates_outside_the_kept_range_are_refused(loaded, day):
    line = _refused(loaded, "treaty", "add", "x", "--title", "X", "--signed", day, code=2)
    assert f"{day} is outside the dates ratify keeps, 1000-01-01 to 2999-12-31 (check the year)" in line
    assert "outside the dates ratify keeps" in _refused(loaded, "status", "--as-of", day, code=2)


# --------------------------------------------------------------------------- --db


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("mysql://user@localhost/ratify", "--db: ratify cannot use mysql:// databases"),
        ("http://example.org/ratify.db", "--db: ratify cannot use http:// databases"),
        ("postgresql://user@localhost:port/ratify", "--db is not a valid URL"),
        ("postgresql://user@localhost:99999/ratify", "--db: port 99999 is not a port number (ports run from 1 to"),
    ],
)
def test_a_database_url_ratify_cannot_use_is_one_line(location, message):
    for args in (["status"], ["init"], ["db", "status"]):
        assert message in _one_line_error(run("--db", location, *args))


def test_a_directory_as_the_database_is_named_so(tmp_path):
    for args in (["status"], ["init"], ["db", "status"]):
        line = _one_line_error(run("--db", tmp_path, *args))
        assert line == (
            f"Error: {tmp_path} is a directory, not a database file (give a file inside it, e.g. --db "
            f"{tmp_path / 'ratify.db'})"
        )


# --------------------------------------------------------------------------- init


def test_init_finishes_what_an_interrupted_init_started(isolated, monkeypatch):
    """Killed after the schema but before the templates: the next init adds them."""

    def interrupted(_session):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr("ratify.exchange.loader.load_builtin_templates", interrupted)
        assert run("init").exit_code == 1
    assert "procedures: 14 inserted" in ok("init").stderr
    assert ok("procedure", "list", "--format", "json").stdout.count('"id"') == 14


def test_a_kept_version_with_a_nul_byte_is_refused(loaded, tmp_path):
    ok("correct", "e2", "--note", "checked", "--reason", "the Duma record")
    exported = tmp_path / "export.json"
    ok("export", "--format", "json", "--output", exported)
    document = json.loads(exported.read_text())
    document["revisions"][0]["row"]["note"] = "a\x00b"
    exported.write_text(json.dumps(document))
    line = _refused(loaded, "load", exported)
    assert line == f"Error: {exported}: revisions[0].row: note: contains a NUL character"


def test_an_error_quoting_the_input_shows_control_characters_as_escapes(loaded, tmp_path):
    for args in (
        ["treaty", "show", "\x1b[2J"],
        ["--db", tmp_path / "\x1b[2J.db", "status"],
        ["report", "--output", tmp_path / "\x1b[2J" / "x.html"],
    ):
        result = run(*args)
        assert result.exit_code in (1, 2)
        assert "\x1b" not in result.stderr and "\\x1b[2J" in result.stderr, result.stderr


def test_init_finishes_the_tables_an_older_init_left_without_their_version(store_url):
    """Releases before init was one transaction could stop after the tables, before meta's rows."""
    from sqlmodel import SQLModel

    from ratify.store.database import Database

    database = Database(store_url)
    try:
        SQLModel.metadata.create_all(database.engine)
    finally:
        database.close()
    line = _one_line_error(run("--db", store_url, "status"))
    assert line.endswith("holds an unfinished 'ratify init' (run 'ratify init' again)")
    assert ok("--db", store_url, "init").stderr.startswith("Created ")
    ok("--db", store_url, "load", RUS_PRK)
    assert "rus-prk-2024" in ok("--db", store_url, "status").stdout


def test_init_leaves_tables_that_hold_data_alone(store_url):
    from sqlalchemy import text
    from sqlmodel import SQLModel

    from ratify.store.database import Database

    database = Database(store_url)
    try:
        SQLModel.metadata.create_all(database.engine)
        with database.engine.begin() as connection:
            connection.execute(text("INSERT INTO procedure (id, name, sources) VALUES ('x', 'X', '[]')"))
    finally:
        database.close()
    before = snapshot(store_url)
    assert "is not a ratify database" in _one_line_error(run("--db", store_url, "init"))
    assert snapshot(store_url) == before
