"""The first case ratify serves: the 2024 Russia-DPRK treaty, through the CLI."""

from __future__ import annotations

import json

from tests.conftest import RUS_PRK, run


def status_json(*args: str) -> list[dict]:
    result = run("status", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_as_of_the_day_after_the_duma_vote(loaded):
    rows = {row["party"]: row for row in status_json("rus-prk-2024", "--as-of", "2024-10-25")}
    assert rows["RUS"]["progress"] == "lower house passed, upper house pending"
    assert rows["RUS"]["state"] == "in_legislature"
    assert rows["RUS"]["stage"] == "lower_house"
    assert rows["RUS"]["stage_date"] == "2024-10-24"
    assert rows["RUS"]["next_stage"] == "upper_house"
    assert rows["RUS"]["waiting_days"] == 1
    assert rows["PRK"]["progress"] == "signed, decree pending"
    assert rows["PRK"]["state"] == "signed"
    assert rows["PRK"]["stage"] is None
    assert rows["PRK"]["next_stage"] == "decree"
    assert rows["PRK"]["waiting_days"] == 128  # since the signature on 2024-06-19


def test_today_in_force_for_both(loaded):
    rows = status_json()
    assert [(r["treaty"], r["party"], r["state"], r["in_force_on"]) for r in rows] == [
        ("rus-prk-2024", "PRK", "in_force", "2024-12-04"),
        ("rus-prk-2024", "RUS", "in_force", "2024-12-04"),
    ]
    assert all(r["waiting_days"] is None and r["next_stage"] is None for r in rows)


def test_the_eve_of_entry_into_force(loaded):
    rows = status_json("--as-of", "2024-12-03")
    assert {r["party"]: r["state"] for r in rows} == {"PRK": "ratified", "RUS": "ratified"}


def test_status_table(loaded):
    result = run("status", "rus-prk-2024", "--as-of", "2024-10-25")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "treaty        party    state           progress                                 stage_date    waiting_days",
        "------------  -------  --------------  ---------------------------------------  ------------  --------------",
        "rus-prk-2024  PRK      signed          signed, decree pending                                 128",
        "rus-prk-2024  RUS      in_legislature  lower house passed, upper house pending  2024-10-24    1",
    ]


def test_recording_the_case_by_hand(initialised):
    """The same steps typed as a journalist would, names and all."""
    steps = [
        [
            "treaty",
            "add",
            "rus-prk",
            "--title",
            "Treaty on Comprehensive Strategic Partnership",
            "--signed",
            "2024-06-19",
            "--place",
            "Pyongyang",
            "--party",
            "Russia",
            "--party",
            "North Korea",
        ],
        [
            "vote",
            "rus-prk",
            "russia",
            "State Duma",
            "--date",
            "2024-10-24",
            "--yes",
            "397",
            "--no",
            "0",
            "--unanimous",
            "--source",
            "https://www.themoscowtimes.com/2024/10/24/",
        ],
    ]
    for step in steps:
        result = run(*step)
        assert result.exit_code == 0, result.output
    assert result.stdout == "rus-prk RUS: lower house passed, upper house pending (state in_legislature)\n"
    assert "Recorded RUS duma passed on 2024-10-24." in result.stderr
    for step in (
        ["vote", "rus-prk", "RUS", "upper_house", "--date", "2024-11-06", "--unanimous"],
        ["advance", "rus-prk", "RU", "president", "--date", "2024-11-09"],
        ["advance", "rus-prk", "DPRK", "decree", "--date", "2024-11-11"],
        ["advance", "rus-prk", "RUS", "instrument", "--date", "2024-12-04"],
        ["advance", "rus-prk", "PRK", "instrument", "--date", "2024-12-04"],
    ):
        result = run(*step)
        assert result.exit_code == 0, result.output
    assert result.stdout == "rus-prk PRK: in force since 2024-12-04 (state in_force)\n"
    assert {r["party"]: r["state"] for r in status_json("rus-prk", "--as-of", "2024-10-25")} == {
        "PRK": "signed",
        "RUS": "in_legislature",
    }


def test_history_keeps_every_step_with_its_source(loaded):
    result = run("history", "rus-prk-2024", "RUS", "--format", "json")
    rows = json.loads(result.stdout)
    assert [(r["date"], r["stage"], r["status"]) for r in rows] == [
        ("2024-10-23", "duma_committee", "passed"),
        ("2024-10-24", "duma", "passed"),
        ("2024-11-06", "federation_council", "passed"),
        ("2024-11-09", "president", "passed"),
        ("2024-12-04", "instrument", "passed"),
    ]
    duma = rows[1]
    assert (duma["yes"], duma["no"], duma["seats"], duma["unanimous"]) == (397, 0, 450, True)
    assert all(r["source"] and r["recorded_by"] == "tester" for r in rows)


def test_loading_twice_changes_nothing(loaded):
    result = run("load", RUS_PRK)
    assert result.exit_code == 0, result.output
    assert result.stderr == "Loaded 1 file(s): treaties: 1 unchanged; parties: 2 unchanged; events: 7 unchanged.\n"
    assert "inserted" not in result.stderr
