"""Dates as precise as the source, through the CLI: recorded, checked, shown, exported and reasoned about.

No published instrument known only to its month was found with a source to cite, so these
tests are synthetic: the Convention on Cybercrime's real deposits (fixtures/treaties/
budapest-2001.yaml) with Lithuania's 5th consent (2004-03-18) made known only to its month,
and a made-up bilateral treaty `t`. Nothing here goes into fixtures/.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import FIXTURES, as_json, ok, reloaded, run


def _budapest_known_to_the_month() -> str:
    """Lithuania's instrument known only to the month; its event's id."""
    ok("load", FIXTURES / "treaties" / "budapest-2001.yaml")
    (lithuania,) = [row["id"] for row in as_json("history", "budapest-2001") if row["party"] == "LTU"]
    ok("correct", lithuania, "--date", "2004-03", "--reason", "the source gives only the month")
    return lithuania


@pytest.fixture
def budapest(initialised, prepared):
    return prepared(_budapest_known_to_the_month)


def test_a_rule_met_by_an_instrument_known_to_the_month_says_so(budapest):
    shown = ok("treaty", "show", "budapest-2001", "--as-of", "2004-06-01").stdout
    assert "  status:  met in 2004-03; enters into force by 2004-07-01 (projected)\n" in shown
    assert "  status:  met in 2004-03; in force by 2004-07-01, as published\n" in ok("treaty", "show", "budapest-2001").stdout
    rows = {r["party"]: r for r in as_json("status", "budapest-2001", "--as-of", "2004-06-01")}
    dated = ("stage_date", "last_step", "deposited_on", "rule_met_on", "in_force_on", "treaty_in_force_on")
    shown = {k: v for k, v in rows["LTU"].items() if k.removesuffix("_precision") in dated}
    assert shown == {
        "stage_date": "2004-03",
        "stage_date_precision": "month",
        "last_step": "2004-03",
        "last_step_precision": "month",
        "in_force_on": None,
        "deposited_on": "2004-03",
        "deposited_on_precision": "month",
        "treaty_in_force_on": None,
        "rule_met_on": "2004-03",
        "rule_met_on_precision": "month",
    }
    # Each precision follows its date, in the JSON's order.
    keys = list(rows["LTU"])
    assert keys[keys.index("stage_date") + 1] == "stage_date_precision"
    # An exact deposit keeps its exact date, and no precision key.
    assert "deposited_on_precision" not in rows["ALB"] and rows["ALB"]["deposited_on"] == "2002-06-20"


def test_status_never_counts_a_step_before_the_last_day_its_month_allows(budapest):
    rows = {r["party"]: r for r in as_json("status", "budapest-2001", "--as-of", "2004-03-30")}
    assert rows["LTU"]["state"] == "signed" and rows["LTU"]["deposited_on"] is None
    assert rows["ALB"]["rule_met_on"] is None
    assert "not met as of 2004-03-30: 4 of 5" in ok("treaty", "show", "budapest-2001", "--as-of", "2004-03-30").stdout
    on_the_last_day = {r["party"]: r for r in as_json("status", "budapest-2001", "--as-of", "2004-03-31")}
    assert on_the_last_day["LTU"]["state"] == "deposited"


def test_history_shows_the_date_as_written_and_sorts_it_by_its_last_day(budapest):
    rows = as_json("history", "budapest-2001")
    lithuania = next(r for r in rows if r["party"] == "LTU")
    assert (lithuania["date"], lithuania["date_precision"]) == ("2004-03", "month")
    assert all("date_precision" not in r for r in rows if r["party"] != "LTU")
    order = [r["party"] for r in rows]
    assert order.index("HUN") < order.index("LTU")  # 2003-12-04, then 2004-03
    table = ok("history", "budapest-2001", "--columns", "id,date,party").stdout
    assert f"{budapest}    2004-03     LTU" in table
    assert "2004-03,LTU" in ok("history", "budapest-2001", "--format", "csv", "--columns", "date,party").stdout
    versions = [(r["version"], r["date"]) for r in as_json("history", "budapest-2001", "--all") if r["id"] == budapest]
    assert versions == [(1, "2004-03-18"), (2, "2004-03")]


def test_a_correction_can_make_a_date_exact_again(budapest):
    ok("correct", budapest, "--date", "2004-03-18", "--reason", "the depositary's table gives the day")
    assert "  status:  met on 2004-03-18; in force since 2004-07-01, as published\n" in ok("treaty", "show", "budapest-2001").stdout
    refused = run("correct", budapest, "--date", "2004-03-18", "--reason", "again")
    assert refused.exit_code == 1 and "already records these values" in refused.stderr


def test_export_and_load_keep_the_date_as_written(budapest, tmp_path):
    exported, fresh = reloaded(tmp_path)
    assert "date: '2004-03'" in exported or "date: 2004-03\n" in exported
    assert ok("--db", fresh, "export").stdout == exported
    assert ok("--db", fresh, "status", "budapest-2001").stdout == ok("status", "budapest-2001").stdout


@pytest.fixture
def bilateral(initialised):
    ok("treaty", "add", "t", "--title", "T", "--signed", "2024-06-19", "--party", "RUS", "--party", "PRK")


def test_a_step_in_the_month_of_the_signature_is_not_refused(bilateral):
    ok("vote", "t", "RUS", "duma", "--date", "2024-06", "--yes", "397", "--no", "0")
    refused = run("vote", "t", "PRK", "decree", "--date", "2024-05", "--result", "passed")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: date: 2024-05 is before PRK signed t on 2024-06-19 "
        "(check the date, or pass --allow-out-of-order to record it anyway)\n"
    )


def test_order_is_refused_only_when_it_is_certain(bilateral):
    ok("vote", "t", "RUS", "duma", "--date", "2024-10", "--yes", "397", "--no", "0")
    # The upper house on 2024-10-10 may well follow a lower house "in October".
    assert (
        "federation_council passed on 2024-10-10"
        in ok("advance", "t", "RUS", "federation_council", "--date", "2024-10-10").stderr
    )
    ok("retract", "e2", "--reason", "try another date")
    refused = run("advance", "t", "RUS", "federation_council", "--date", "2024-09-30")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: date: federation_council cannot pass on 2024-09-30 before duma")


def test_a_month_not_yet_over_is_refused(bilateral):
    this_month = date.today().strftime("%Y-%m")
    refused = run("vote", "t", "RUS", "duma", "--date", this_month, "--yes", "397", "--no", "0")
    if date.today().month == 12 and date.today().day == 31:
        pytest.skip("the month ends today")
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"Error: date: {this_month} is not over yet (a date known to the month counts")
    assert ok("history", "t").stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2024-02-30"], "Invalid value for '--date': 2024-02-30 does not exist in the calendar"),
        (["--date", "2024-13"], "Invalid value for '--date': 2024-13 does not exist in the calendar"),
        (["--date", "Oct 2024"], "Invalid value for '--date': 'Oct 2024' is not an ISO 8601 date"),
        (
            ["--date", "2024-10-10", "--effective", "2024-11"],
            "Invalid value for '--effective': '2024-11' is not an exact date",
        ),
    ],
)
def test_a_bad_date_names_its_field_and_writes_nothing(bilateral, args, message):
    result = run("advance", "t", "RUS", "instrument", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert ok("history", "t").stdout == ""


def test_points_in_time_stay_exact(bilateral):
    result = run("status", "--as-of", "2024-11")
    assert result.exit_code == 2 and "Invalid value for '--as-of': '2024-11' is not an exact date" in result.stderr


def test_signatures_keep_their_precision_and_an_edit_can_change_it(initialised):
    ok("treaty", "add", "m", "--title", "M", "--kind", "multilateral", "--signed", "2001-11")
    assert "  signed:  2001-11\n" in ok("treaty", "show", "m").stdout
    (listed,) = as_json("treaty", "list")
    assert (listed["signed"], listed["signed_precision"]) == ("2001-11", "month")
    ok("party", "add", "m", "FRA", "--signed", "2001")
    (row,) = as_json("status", "m")
    assert (row["signed"], row["signed_precision"], row["last_step"], row["last_step_precision"]) == (
        "2001",
        "year",
        "2001",
        "year",
    )
    ok("party", "edit", "m", "FRA", "--signed", "2001-11", "--reason", "the month is published")
    (row,) = as_json("status", "m")
    assert (row["signed"], row["signed_precision"]) == ("2001-11", "month")
    refused = run("party", "edit", "m", "FRA", "--signed", "2001-11", "--reason", "again")
    assert refused.exit_code == 1 and "already records these values" in refused.stderr
    assert [c["date"] for c in as_json("changes", "--since", "2000-01-01")] == ["2001-11", "2001-11", "2001"]
    # A ratification in the month of a signature known only to the month is not refused.
    ok("advance", "m", "FRA", "instrument", "--date", "2001-11-20")


def test_a_fixture_and_an_events_csv_take_imprecise_dates(initialised, tmp_path):
    fixture = tmp_path / "t.json"
    fixture.write_text(
        json.dumps(
            {
                "treaties": [
                    {
                        "slug": "t",
                        "title": "T",
                        "signed": "2024-06",
                        "parties": [
                            {"state": "RUS", "events": [{"stage": "duma", "status": "passed", "date": "2024-10"}]},
                            {"state": "PRK"},
                        ],
                    }
                ]
            }
        )
    )
    ok("load", fixture)
    events = tmp_path / "events.csv"
    events.write_text("treaty,party,stage,date,status\nt,RUS,federation_council,2024-11,passed\n")
    ok("load", events)
    assert [(r["stage"], r["date"], r.get("date_precision")) for r in as_json("history", "t")] == [
        ("duma", "2024-10", "month"),
        ("federation_council", "2024-11", "month"),
    ]
    assert "signed: '2024-06'" in ok("export").stdout or "signed: 2024-06\n" in ok("export").stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("treaty,party,stage,date,status\nt,RUS,assent,2024-11-31,passed\n")
    result = run("load", bad)
    assert result.exit_code == 1 and "row 2: date: 2024-11-31 does not exist in the calendar" in result.stderr


def test_a_status_row_with_imprecise_dates_follows_the_published_schema(budapest):
    import re

    text = (FIXTURES.parent / "docs" / "json.md").read_text()
    schema = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    (row,) = [r for r in as_json("status", "budapest-2001", "--as-of", "2004-06-01") if r["party"] == "LTU"]
    assert set(schema["required"]) < set(row) <= set(schema["properties"])
    for field in set(row) - set(schema["required"]):
        assert row[field] in schema["properties"][field]["enum"]
        assert re.fullmatch(
            schema["properties"][field.removesuffix("_precision")]["pattern"], row[field.removesuffix("_precision")]
        )


def test_an_act_in_the_month_of_an_imprecise_consent_is_not_refused(initialised):
    ok("treaty", "add", "m", "--title", "M", "--kind", "multilateral", "--signed", "2019-01-10")
    ok("party", "add", "m", "FRA", "--signed", "2019-01-10")
    ok("advance", "m", "FRA", "instrument", "--date", "2020-03")
    refused = run("act", "m", "FRA", "withdrawal", "--date", "2020-02-28")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: date: the withdrawal on 2020-02-28 is before FRA's consent on 2020-03")
    ok("act", "m", "FRA", "withdrawal", "--date", "2020-03-10")
    acts = [r for r in as_json("history", "m") if r["kind"] == "withdrawal"]
    assert [(r["date"], "date_precision" in r) for r in acts] == [("2020-03-10", False)]


def test_a_scheduled_sitting_takes_its_day(bilateral):
    refused = run("advance", "t", "RUS", "duma", "--status", "scheduled", "--date", "2024-11")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: date: a scheduled sitting takes its day, not 2024-11 "
        "(give the announced day (YYYY-MM-DD), or record --status expected with --by DATE)\n"
    )
    assert ok("history", "t").stdout == ""


def test_the_chart_gives_a_ratification_as_written(bilateral):
    ok("advance", "t", "PRK", "decree", "--date", "2024-11")
    (row,) = [r for r in as_json("treaty", "chart", "t") if r["participant"] == "North Korea"]
    assert row["ratified"] == "2024-11"


def test_a_date_known_only_as_on_or_before_a_day_is_kept_as_written(budapest, tmp_path):
    # Lithuania's notice made known only as "by" a day: stored as that day, shown as ISO 8601-2 writes it.
    ok("act", "budapest-2001", "LTU", "withdrawal", "--date", "[..2020-06-30]")
    (act,) = [row for row in as_json("history", "budapest-2001", "LTU") if row["kind"] == "withdrawal"]
    assert (act["date"], act["date_precision"]) == ("[..2020-06-30]", "by")
    assert as_json("status", "budapest-2001", "--party", "LTU")[0]["withdrawn_on"] == "2021-06-30"
    exported, fresh = reloaded(tmp_path)
    again = [row for row in as_json("--db", fresh, "history", "budapest-2001", "LTU") if row["kind"] == "withdrawal"]
    assert again[0]["date"] == "[..2020-06-30]"
    future = run("act", "budapest-2001", "LTU", "withdrawal", "--date", "[..2999-01-01]")
    assert future.exit_code == 1 and "[..2999-01-01] may be in the future" in future.stderr
    wrong = run("act", "budapest-2001", "LTU", "withdrawal", "--date", "[..2020-02-30]")
    assert wrong.exit_code == 2 and "[..2020-02-30] does not exist in the calendar" in wrong.stderr
    exact_only = run("status", "--as-of", "[..2020-06-30]")
    assert exact_only.exit_code == 2 and "is not an exact date" in exact_only.stderr
