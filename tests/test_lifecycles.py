"""Lifecycles as governments live them: notices taken back, consultative votes, second rounds, and a status
that says what ended a party's participation."""

from __future__ import annotations

import pytest

from tests.conftest import as_json, ok, run


def turkey_through_deposit() -> None:
    ok("treaty", "add", "t", "--title", "T", "--signed", "2020-01-01", "--party", "FRA", "--party", "TUR")
    for reading in ("1", "2"):
        day = f"2020-02-0{int(reading) * 2}"
        ok("vote", "t", "TUR", "grand_national_assembly", "--date", day, "--reading", reading, "--readings", "2",
           "--result", "passed")  # fmt: skip
    ok("advance", "t", "TUR", "promulgation", "--date", "2020-02-05")
    ok("advance", "t", "TUR", "ratification", "--date", "2020-02-07")
    ok("advance", "t", "TUR", "instrument", "--date", "2020-02-10")


@pytest.mark.parametrize(
    "command",
    [
        ("party", "edit", "t", "TUR", "--note", "checked against the Official Gazette", "--reason", "note"),
        ("correct", "e1", "--note", "first reading", "--reason", "note"),
        ("correct", "e5", "--date", "2020-02-11", "--reason", "exchange a day later"),
    ],
)
def test_a_history_with_readings_and_a_deposit_is_checked_again_without_a_traceback(initialised, command):
    turkey_through_deposit()
    ok(*command)
    assert as_json("status", "t", "--party", "TUR")[0]["state"] == "deposited"


def test_retracting_a_step_a_deposit_rests_on_is_refused_in_one_line(initialised):
    turkey_through_deposit()
    refused = run("retract", "e3", "--reason", "mistake")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: retracting e3 would break the record: date: with grand_national_assembly")
    assert len(as_json("history", "t", "TUR")) == 5


def test_the_state_waits_for_the_ratifying_decree_its_progress_waits_for(initialised):
    # Turkey: the approval law is promulgated (assent), then the President's decision ratifies (decree).
    ok("treaty", "add", "t", "--title", "T", "--signed", "2020-01-01", "--party", "FRA", "--party", "TUR")
    ok("vote", "t", "TUR", "grand_national_assembly", "--date", "2020-02-01", "--result", "passed")
    ok("advance", "t", "TUR", "promulgation", "--date", "2020-02-05")
    row = as_json("status", "t", "--party", "TUR")[0]
    assert (row["state"], row["progress"]) == ("approved", "assent passed, decree pending")
    ok("advance", "t", "TUR", "ratification", "--date", "2020-02-07")
    row = as_json("status", "t", "--party", "TUR")[0]
    assert (row["state"], row["progress"]) == ("ratified", "decree passed, instrument pending")
    past = as_json("status", "t", "--party", "TUR", "--as-of", "2020-02-06")[0]
    assert (past["state"], past["progress"]) == ("approved", "assent passed, decree pending")


def test_a_participant_before_its_first_step_reads_as_one_with_no_step(initialised):
    ok("treaty", "add", "m", "--title", "M", "--kind", "multilateral", "--signed", "2020-01-10")
    ok("party", "add", "m", "FRA", "--signed", "2020-03-01")
    ok("party", "add", "m", "DEU")
    for args in ((), ("--party", "FRA"), ("--party", "DEU")):
        rows = as_json("status", "m", "--as-of", "2020-02-01", *args)
        assert {r["party"]: (r["state"], r["progress"]) for r in rows} == {
            code: ("not_signed", "not signed, lower house pending") for code in (args[1:] or ("DEU", "FRA"))
        }


def test_a_stage_passed_once_is_not_decided_again_by_a_second_vote(initialised):
    ok("treaty", "add", "t", "--title", "T", "--signed", "2020-01-01", "--party", "FRA", "--party", "DEU")
    ok("vote", "t", "FRA", "assemblee_nationale", "--date", "2020-02-01", "--yes", "300", "--no", "100")
    for result, yes, no in (("passed", "310", "90"), ("failed", "100", "300")):
        again = run("vote", "t", "FRA", "assemblee_nationale", "--date", "2020-03-01", "--yes", yes, "--no", no)
        assert again.exit_code == 1
        assert again.stderr == (
            f"Error: status: assemblee_nationale already passed on 2020-02-01 for FRA, so a {result} vote on "
            "2020-03-01 would decide it twice (if that entry is wrong, correct it (ratify correct e1 ...); "
            "if this vote is one of its readings, give --reading N)\n"
        )
    # A failure before the pass is what the pass overcame; a vote after a new consent began is a new decision.
    ok("vote", "t", "FRA", "assemblee_nationale", "--date", "2020-01-20", "--yes", "100", "--no", "300")
    assert as_json("status", "t", "--party", "FRA")[0]["state"] == "in_legislature"
    assert len(as_json("history", "t", "FRA")) == 2
