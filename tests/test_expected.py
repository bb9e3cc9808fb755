"""Expected steps, announced sittings and `upcoming`, driven through the CLI.

The real case: on 2024-10-24 the State Duma approved the Russia-DPRK treaty
397-0 and the Federation Council was expected to follow (it did, unanimously,
on 2024-11-06; fixtures/treaties/rus-prk-2024.yaml cites the sources).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import as_json, ok, run

MOSCOW_TIMES = (
    "https://www.themoscowtimes.com/2024/10/24/russian-parliament-ratifies-defense-treaty-with-north-korea-a86792"
)


def duma_passed() -> None:
    ok(
        "treaty",
        "add",
        "rus-prk-2024",
        "--title",
        "Treaty",
        "--signed",
        "2024-06-19",
        "--party",
        "RUS",
        "--party",
        "PRK",
    )
    ok("vote", "rus-prk-2024", "RUS", "duma", "--date", "2024-10-24", "--yes", "397", "--no", "0", "--seats", "450")


def expect_upper_house(*extra: str):
    return ok(
        "advance", "rus-prk-2024", "RUS", "federation_council", "--status", "expected",
        "--date", "2024-10-24", "--source", MOSCOW_TIMES, *extra,
    )  # fmt: skip


def russia() -> dict:
    return next(row for row in as_json("status", "rus-prk-2024") if row["party"] == "RUS")


@pytest.mark.slow
def test_an_expected_step_shows_until_the_step_itself_replaces_it(initialised):
    duma_passed()
    result = expect_upper_house()
    assert result.stderr == "Recorded RUS federation_council expected (reported 2024-10-24).\n"
    assert result.stdout == "rus-prk-2024 RUS: lower house passed, upper house expected (state in_legislature)\n"
    row = russia()
    assert (row["next_expected"], row["next_expected_by"], row["next_stage"]) == (True, None, "upper_house")
    assert "lower house passed, upper house expected" in ok("pending", "rus-prk-2024").stdout

    again = run("advance", "rus-prk-2024", "RUS", "federation_council", "--status", "expected", "--date", "2024-10-25")
    assert again.exit_code == 1
    assert again.stderr.startswith("Error: status: federation_council is already expected for RUS (e")
    assert "ratify correct e" in again.stderr

    ok("vote", "rus-prk-2024", "RUS", "federation_council", "--date", "2024-11-06", "--unanimous", "--result", "passed")
    row = russia()
    assert (row["next_expected"], row["progress"]) == (False, "upper house passed, assent pending")
    live = as_json("history", "rus-prk-2024")
    assert [e["status"] for e in live if e["stage"] == "federation_council"] == ["passed"]
    kept = [v for v in as_json("history", "rus-prk-2024", "--all") if v["status"] == "expected"]
    assert [(v["action"], v["source"]) for v in kept] == [("fulfilled", MOSCOW_TIMES)]
    assert kept[0]["reason"].startswith("recorded as e")


def test_a_deadline_is_shown_and_can_be_corrected(initialised):
    duma_passed()
    expect_upper_house("--by", "2024-11-06")
    assert russia()["progress"] == "lower house passed, upper house expected by 2024-11-06"
    assert russia()["next_expected_by"] == "2024-11-06"
    expected_id = next(e["id"] for e in as_json("history", "rus-prk-2024") if e["status"] == "expected")
    ok("correct", expected_id, "--by", "2024-11-20", "--reason", "the sitting was put back")
    assert russia()["next_expected_by"] == "2024-11-20"
    # Corrected into the step itself, it loses its deadline and is a passed vote like any other.
    ok("correct", expected_id, "--status", "passed", "--date", "2024-11-06", "--reason", "it sat on the 6th")
    assert russia()["progress"] == "upper house passed, assent pending"


def test_expectations_are_checked(initialised):
    duma_passed()
    cases = [
        (
            ["duma", "--status", "expected", "--date", "2024-10-25"],
            1,
            "Error: status: duma already passed on 2024-10-24",
        ),
        (["federation_council", "--status", "expected", "--date", "2024-10-24", "--by", "2024-10-01"], 1, "Error: by:"),
        (["federation_council", "--date", "2024-11-06", "--by", "2024-11-06"], 1, "Error: by: only an expected step"),
        (["federation_council"], 2, "--date: give the day it happened"),
    ]
    for args, code, message in cases:
        result = run("advance", "rus-prk-2024", "RUS", *args)
        assert result.exit_code == code, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
        assert russia()["next_expected"] is False
    tally = run("vote", "rus-prk-2024", "RUS", "federation_council", "--date", "2024-10-24", "--yes", "150")
    assert tally.exit_code == 0  # a vote is a vote; only `--status expected` makes an expectation
    refused = run(
        "vote", "rus-prk-2024", "RUS", "president", "--date", "2024-10-24", "--yes", "1", "--result", "passed"
    )
    assert refused.exit_code == 1


def test_without_a_date_an_expectation_is_reported_today(initialised):
    duma_passed()
    ok("advance", "rus-prk-2024", "RUS", "federation_council", "--status", "expected")
    expected = next(e for e in as_json("history", "rus-prk-2024") if e["status"] == "expected")
    assert expected["date"] == date.today().isoformat()
    # Not yet reported on the day of the Duma vote: the answer as of then has no expectation.
    past = next(r for r in as_json("status", "rus-prk-2024", "--as-of", "2024-10-24") if r["party"] == "RUS")
    assert (past["next_expected"], past["progress"]) == (False, "lower house passed, upper house pending")


def test_a_sitting_counts_as_of_any_day_after_it_was_announced(initialised, clock):
    duma_passed()
    clock(to=datetime(2024, 10, 30, 9, 0, tzinfo=UTC))
    ok("advance", "rus-prk-2024", "RUS", "federation_council", "--status", "scheduled", "--date", "2024-11-06")

    def progress_on(day: str) -> str:
        return next(r for r in as_json("status", "rus-prk-2024", "--as-of", day) if r["party"] == "RUS")["progress"]

    assert progress_on("2024-10-29") == "lower house passed, upper house pending"
    assert progress_on("2024-10-30") == "lower house passed, upper house scheduled 2024-11-06"
    assert progress_on("2024-11-05") == "lower house passed, upper house scheduled 2024-11-06"


def test_upcoming_lists_sittings_deadlines_and_entries_into_force_soonest_first(initialised):
    today = date.today()

    def day(offset: int) -> str:
        return (today + timedelta(days=offset)).isoformat()

    duma_passed()
    ok("advance", "rus-prk-2024", "RUS", "federation_council", "--status", "scheduled", "--date", day(20))
    ok("treaty", "add", "pact", "--title", "Pact", "--signed", day(-30), "--kind", "multilateral",
       "--party", "FRA", "--party", "DEU", "--party", "ITA")  # fmt: skip
    ok("treaty", "rule", "pact", "--kind", "count", "--parties", "2", "--days", "10")
    ok("advance", "pact", "FRA", "instrument", "--consent", "accession", "--date", day(-5))
    ok("advance", "pact", "DEU", "instrument", "--consent", "accession", "--date", day(-2))
    ok("advance", "pact", "ITA", "legislature", "--status", "expected", "--date", day(-1), "--by", day(5))

    rows = as_json("upcoming", "--days", "30")
    assert [(r["date"], r["what"], r["treaty"], r["party"]) for r in rows] == [
        (day(5), "expected", "pact", "ITA"),
        (day(8), "entry into force", "pact", None),
        (day(20), "sitting", "rus-prk-2024", "RUS"),
    ]
    assert rows[2]["detail"] == "upper house scheduled"
    assert [r["date"] for r in as_json("upcoming", "--days", "6")] == [day(5)]
    table = ok("upcoming").stdout.splitlines()
    assert table[0].split() == ["date", "what", "treaty", "party", "stage_body", "detail"]
    empty = ok("upcoming", "--days", "0")
    assert (empty.stdout, empty.stderr) == ("", "Nothing dated in the next 0 days.\n")
    assert json.loads(ok("upcoming", "--days", "0", "--format", "json").stdout) == []


def test_an_expectation_survives_export_and_load(initialised, tmp_path):
    duma_passed()
    expect_upper_house("--by", "2024-11-06")
    exported = ok("export", "--format", "json").stdout
    (tmp_path / "out.json").write_text(exported)
    fresh = tmp_path / "fresh.db"
    ok("--db", fresh, "init")
    ok("--db", fresh, "load", tmp_path / "out.json")
    assert ok("--db", fresh, "export", "--format", "json").stdout == exported
    assert "upper house expected by 2024-11-06" in ok("--db", fresh, "status", "rus-prk-2024").stdout


def test_upcoming_leaves_out_a_party_that_will_not_join(initialised):
    sitting = (date.today() + timedelta(days=10)).isoformat()
    ok("treaty", "add", "m", "--title", "M", "--signed", "2020-01-10", "--kind", "multilateral",
       "--party", "ARG", "--party", "BRA")  # fmt: skip
    # ARG and BRA sign with the treaty: they are named at its adoption.
    for state in ("ARG", "BRA"):
        ok("advance", "m", state, "legislature", "--status", "scheduled", "--date", sitting)
    assert [r["party"] for r in as_json("upcoming")] == ["ARG", "BRA"]
    ok("act", "m", "BRA", "not_becoming_party", "--date", date.today().isoformat())
    assert [r["party"] for r in as_json("upcoming")] == ["ARG"]
