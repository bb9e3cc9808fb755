"""`ratify info`: which database, its size and revision, who records, what it holds."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from ratify import __version__
from ratify.store.versions import HEAD_REVISION
from tests.conftest import FIXTURES, ROOT, RUS_PRK, as_json, ok, run


def test_info_counts_the_record_and_db_status_tells_the_schema(initialised, store):
    ok("load", RUS_PRK)
    store = {"sqlite": "sqlite", "postgres": "postgresql"}[store]
    row = as_json("info")[0]
    assert (row["recorded_by"], row["treaties"], row["parties"], row["kept_versions"]) == ("tester", 1, 2, 0)
    assert row["events"] > 0
    # One job each: info shows what the record holds, db status where it is and its schema.
    text = ok("info").stdout.splitlines()
    assert [line.split(":")[0] for line in text] == [
        "database",
        "recorded_by",
        "treaties",
        "parties",
        "events",
        "acts",
        "kept_versions",
    ]
    assert text[2] == "treaties:      1" and not any(HEAD_REVISION in line for line in text)
    (schema,) = as_json("db", "status")
    assert (schema["database"], schema["store"], schema["revision"], schema["head"]) == (
        row["database"],
        store,
        HEAD_REVISION,
        HEAD_REVISION,
    )
    assert schema["upgrade_due"] is False and schema["size_bytes"] > 0
    assert "treaties" not in schema
    table = ok("db", "status").stdout.splitlines()
    assert table[0].split() == ["database", "revision", "head", "note", "store", "size_bytes"]
    # PostgreSQL's count moves with the server's other work: the form, not the figure.
    assert re.search(r" \d{1,3}(,\d{3})* \(\d+\.\d MiB\)$", table[2]), table[2]
    # Scripts that read the schema from info keep it until 2.0.
    assert (row["version"], row["store"], row["revision"], row["upgrade_due"]) == (
        __version__,
        store,
        HEAD_REVISION,
        False,
    )
    assert row["size_bytes"] > 0 and row["head"] == HEAD_REVISION


def test_a_default_format_comes_from_the_environment_and_the_flag_wins(initialised, monkeypatch):
    ok("load", RUS_PRK)
    monkeypatch.setenv("RATIFY_FORMAT", "csv")
    assert ok("treaty", "list").stdout.startswith("treaty,kind,signed,")
    assert ok("treaty", "list", "--format", "plain").stdout.startswith("treaty ")
    monkeypatch.setenv("RATIFY_FORMAT", "bogus")
    refused = run("treaty", "list")
    # The variable is named, since no --format was typed.
    assert refused.exit_code == 2 and refused.stderr.startswith("Error: RATIFY_FORMAT='bogus' is not a format (")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", [("status",), ("pending",)])
def test_a_reader_that_stops_early_ends_the_command_quietly(initialised, command):
    """`ratify status | head -1`: the closed pipe is not an error, and no cursor is left open to complain."""
    ok("load", *sorted((FIXTURES / "treaties").glob("*.yaml")))
    command = [sys.executable, "-m", "ratify", "--db", str(initialised), *command, "--format", "json"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"[\n"
    process.stdout.close()  # more than a pipe's buffer is still to come
    assert process.wait(timeout=60) == 0
    with process.stderr:
        assert process.stderr.read() == b""


def test_an_empty_answer_says_so_on_stderr_and_succeeds(initialised):
    for args, message in [
        (("status",), "No parties recorded yet.\n"),
        (("pending",), "No pending parties.\n"),
        (("pending", "--format", "json"), "No pending parties.\n"),
    ]:
        result = ok(*args)
        assert result.stderr == message, args
    ok("load", RUS_PRK)
    assert ok("pending").stderr == "No pending parties.\n"  # both in force
    assert ok("status", "rus-prk-2024", "--party", "RUS").stderr == ""


def test_a_dash_as_output_means_standard_output(initialised, tmp_path, monkeypatch):
    ok("load", RUS_PRK)
    monkeypatch.chdir(tmp_path)
    for command in (("report", "--format", "csv"), ("export", "--format", "json")):
        result = ok(*command, "--output", "-")
        assert result.stdout == ok(*command).stdout and result.stdout
        assert "Wrote" not in result.stderr
    assert not (tmp_path / "-").exists()


def test_a_dash_as_a_file_to_load_means_standard_input(initialised, tmp_path):
    ok("load", RUS_PRK)
    exported = ok("export", "--format", "json").stdout
    fresh = tmp_path / "fresh.db"
    ok("--db", fresh, "init")
    loaded = ok("--db", fresh, "load", "-", input=exported)
    assert "treaties: 1 inserted" in loaded.stderr
    assert ok("--db", fresh, "export", "--format", "json").stdout == exported
    assert "events: 7 unchanged" in ok("--db", fresh, "load", "-", input=RUS_PRK.read_text()).stderr
    rows = "treaty,party,stage,date,status\nrus-prk-2024,RUS,duma,2024-10-24,passed\n"
    as_csv = run("--db", fresh, "load", "-", input=rows)  # read as an events CSV: its rows are named
    assert as_csv.exit_code == 1 and as_csv.stderr.startswith("Error: -: row 2: RUS duma on 2024-10-24")
    broken = run("--db", fresh, "load", "-", input="garbage: [\n")
    assert broken.exit_code == 1 and broken.stderr.startswith("Error: -: not valid YAML")


def test_tables_wrap_to_the_width_and_columns_choose_the_fields(initialised, monkeypatch):
    ok("load", RUS_PRK)
    args = ("status", "rus-prk-2024", "--as-of", "2024-11-01")
    whole = ok(*args).stdout.splitlines()
    assert max(map(len, whole)) > 80  # a pipe or a file gets every cell on one line
    monkeypatch.setenv("RATIFY_WIDTH", "80")
    wrapped = ok(*args).stdout.splitlines()
    assert max(map(len, wrapped)) <= 80 and len(wrapped) > len(whole)
    assert "in_legislature" in ok(*args).stdout  # words are not cut
    assert "lower house passed, upper house pending" in ok(*args, "--format", "csv").stdout  # csv: never wrapped
    monkeypatch.delenv("RATIFY_WIDTH")
    assert ok(*args, "--columns", "party,state", "--format", "csv").stdout == (
        "party,state\nPRK,signed\nRUS,in_legislature\n"
    )
    assert as_json(*args, "--columns", "state,party") == [
        {"state": "signed", "party": "PRK"},
        {"state": "in_legislature", "party": "RUS"},
    ]
    assert ok(*args, "--columns", "party,next_stage").stdout.splitlines()[0].split() == ["party", "next_stage"]
    unknown = run(*args, "--columns", "party,bogus")
    assert unknown.exit_code == 2 and "'bogus' is not a field here" in unknown.stderr
