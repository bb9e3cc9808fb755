"""A scrutiny period (UK: laid before Parliament for 21 sitting days, CRaG 2010 s. 20) through the CLI.

Sitting days cannot be computed from a calendar, so the end of the period is recorded
(`--until`). The treaty `t` and its dates are synthetic; the template is fixtures/procedures/GBR.yaml.
"""

from __future__ import annotations

import pytest

from tests.conftest import as_json, ok, reloaded, run


@pytest.fixture
def laid(initialised):
    ok("treaty", "add", "t", "--title", "T", "--kind", "multilateral", "--signed", "2023-12-01")
    ok("party", "add", "t", "GBR", "--signed", "2023-12-01")
    result = ok("advance", "t", "GBR", "laid", "--status", "laid", "--date", "2024-02-19", "--until", "2024-03-20")
    assert result.stderr.startswith("Recorded GBR laid: laid on 2024-02-19, under scrutiny until 2024-03-20.\n")


def progress(as_of: str | None = None) -> str:
    (row,) = as_json("status", "t", *(("--as-of", as_of) if as_of else ()))
    return row["progress"]


def test_a_scrutiny_period_reads_as_of_any_date(laid):
    assert progress("2024-02-18") == "signed, scrutiny pending"
    assert progress("2024-02-19") == "signed, laid 2024-02-19, under scrutiny until 2024-03-20"
    assert progress("2024-03-20") == "signed, laid 2024-02-19, under scrutiny until 2024-03-20"
    assert progress("2024-03-21") == "signed, laid 2024-02-19, scrutiny period ended 2024-03-20"
    # Today's report reads the status cache, and says the same.
    assert progress() == "signed, laid 2024-02-19, scrutiny period ended 2024-03-20"
    (row,) = as_json("status", "t", "--as-of", "2024-03-01")
    assert (row["state"], row["last_step"], row["waiting_for"]) == ("signed", "2024-02-19", "scrutiny")


def test_the_period_is_not_a_pass(laid):
    refused = run("advance", "t", "GBR", "ratification", "--date", "2024-03-25")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: date: ratification cannot pass on 2024-03-25 before laid (Parliament)")
    ok("advance", "t", "GBR", "laid", "--date", "2024-03-21", "--source", "no resolution against ratification")
    ok("advance", "t", "GBR", "ratification", "--date", "2024-03-25")
    assert progress() == "decree passed, instrument pending"
    assert progress("2024-03-01") == "signed, laid 2024-02-19, under scrutiny until 2024-03-20"


def test_history_export_and_load_keep_the_end_of_the_period(laid, tmp_path):
    (event,) = as_json("history", "t")
    assert (event["status"], event["date"], event["until"], event["by"]) == ("laid", "2024-02-19", "2024-03-20", None)
    exported, fresh = reloaded(tmp_path)
    assert "until: '2024-03-20'" in exported or "until: 2024-03-20\n" in exported
    assert ok("--db", fresh, "export").stdout == exported
    assert (
        ok("--db", fresh, "status", "t", "--as-of", "2024-03-01").stdout
        == ok("status", "t", "--as-of", "2024-03-01").stdout
    )


def test_a_correction_moves_the_end_of_the_period(laid):
    ok("correct", "e1", "--until", "2024-03-27", "--reason", "the Minister extended period A (s. 21)")
    assert progress("2024-03-25") == "signed, laid 2024-02-19, under scrutiny until 2024-03-27"
    versions = [(r["version"], r["until"]) for r in as_json("history", "t", "--all")]
    assert versions == [(1, "2024-03-20"), (2, "2024-03-27")]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["laid", "--status", "laid", "--date", "2024-02-19", "--until", "2024-02-18"],
            1,
            "Error: until: 2024-02-18 is before the treaty was laid (2024-02-19) (check the dates)",
        ),
        (
            ["ratification", "--status", "laid", "--date", "2024-02-19"],
            1,
            "Error: status: only a scrutiny stage is laid, not ratification (decree)",
        ),
        (
            ["laid", "--date", "2024-02-19", "--until", "2024-03-20"],
            1,
            "Error: until: only a scrutiny period laid has an end, not a passed step (record the laying with --status laid)",
        ),
        (
            ["laid", "--status", "laid", "--date", "2024-02-19", "--until", "2024-03"],
            2,
            "Invalid value for '--until': '2024-03' is not an exact date",
        ),
    ],
)
def test_a_bad_laying_names_its_field_and_writes_nothing(initialised, args, code, message):
    ok("treaty", "add", "t", "--title", "T", "--kind", "multilateral", "--signed", "2023-12-01")
    ok("party", "add", "t", "GBR", "--signed", "2023-12-01")
    result = run("advance", "t", "GBR", *args)
    assert result.exit_code == code
    assert message in result.stderr
    assert ok("history", "t").stdout == ""


def test_a_stage_already_passed_is_not_laid_again(laid):
    ok("advance", "t", "GBR", "laid", "--date", "2024-03-21")
    refused = run("advance", "t", "GBR", "laid", "--status", "laid", "--date", "2024-04-02", "--until", "2024-05-01")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: status: laid already passed on 2024-03-21 for GBR; nothing to lay")
