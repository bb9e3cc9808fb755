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
