"""International acts, rules and termination through the CLI, with their bad inputs."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, as_json, ok, run, snapshot


def _budapest_and_russia() -> None:
    ok("load", FIXTURES / "treaties" / "budapest-2001.yaml")
    ok("party", "add", "budapest-2001", "Russia")  # Russia has never signed the Convention on Cybercrime


@pytest.fixture
def budapest(initialised, prepared):
    prepared(_budapest_and_russia)
    return initialised


def test_supersession_ends_the_older_treaty(initialised):
    ok("load", FIXTURES / "treaties" / "rus-prk-2024.yaml", FIXTURES / "treaties" / "rus-prk-2000.yaml")
    today = {r["party"]: r for r in as_json("status", "rus-prk-2000")}
    assert {r["state"] for r in today.values()} == {"terminated"}
    assert today["RUS"]["progress"] == "treaty terminated on 2024-12-04"
    eve = as_json("status", "rus-prk-2000", "--as-of", "2024-12-03")
    assert {r["state"] for r in eve} == {"signed"}
    assert not as_json("pending", "rus-prk-2000")


def test_terminate_on_a_date_and_by_a_later_treaty(loaded):
    ok(
        "treaty",
        "add",
        "rus-prk-2000",
        "--title",
        "Treaty of Friendship",
        "--signed",
        "2000-02-09",
        "--party",
        "RUS",
        "--party",
        "PRK",
    )
    result = ok("treaty", "terminate", "rus-prk-2000", "--by", "rus-prk-2024")
    assert result.stderr == "rus-prk-2000 ends on 2024-12-04.\n"
    assert {r["state"] for r in as_json("status", "rus-prk-2000")} == {"terminated"}


def test_rule_through_options(budapest):
    """The same rule, typed: the Council of Europe membership condition needs a file, so count alone here."""
    shown = ok(
        "treaty", "rule", "budapest-2001", "--kind", "count", "--parties", "5", "--months", "3", "--first-of-month"
    ).stdout
    assert shown.splitlines() == [
        "in force on the first day of the month following 3 months after the 5th instrument; for a later party, "
        "on the first day of the month following 3 months after its own instrument",
        "met on 2004-03-18; in force since 2004-07-01, as published",
    ]


def test_rule_from_a_file(budapest, tmp_path):
    rule = tmp_path / "rule.yaml"
    rule.write_text("kind: count\nparties: 6\ndelay: {days: 30}\n")
    shown = ok("treaty", "rule", "budapest-2001", "--from-file", rule).stdout.splitlines()
    assert shown[0] == "in force 30 days after the 6th instrument; for a later party, 30 days after its own instrument"


def test_withdrawal_by_default_twelve_months_after_notice(budapest):
    result = ok("act", "budapest-2001", "Albania", "withdrawal", "--date", "2020-03-02", "--source", "a test")
    assert result.stderr == "Recorded ALB withdrawal on 2020-03-02.\n"
    row = as_json("status", "budapest-2001", "--party", "ALB")[0]
    assert (row["state"], row["withdrawn_on"]) == ("withdrawn", "2021-03-02")
    ok("treaty", "rule", "budapest-2001", "--withdrawal-months", "3", "--withdrawal-first-of-month")
    row = as_json("status", "budapest-2001", "--party", "ALB")[0]
    assert row["withdrawn_on"] == "2020-07-01"  # CETS 185 Art. 47(2)


def test_suspension_and_provisional_application(budapest):
    ok("act", "budapest-2001", "HRV", "suspension", "--date", "2020-01-10")
    assert as_json("status", "budapest-2001", "--party", "HRV", "--as-of", "2020-02-01")[0]["state"] == "suspended"
    ok("act", "budapest-2001", "HRV", "suspension_end", "--date", "2020-06-01")
    assert as_json("status", "budapest-2001", "--party", "HRV")[0]["state"] == "in_force"
    assert as_json("status", "budapest-2001", "--party", "HRV", "--as-of", "2020-05-31")[0]["state"] == "suspended"


def test_statements_appear_in_the_chart(budapest):
    ok("act", "budapest-2001", "HUN", "reservation", "--date", "2003-12-04", "--text", "Art. 9(4)")
    ok("act", "budapest-2001", "EST", "objection", "--date", "2004-01-05", "--against", "Hungary", "--text", "x")
    chart = {r["participant"]: r for r in as_json("treaty", "chart", "budapest-2001")}
    assert chart["Hungary"]["notes"] == "reservation 2003-12-04: Art. 9(4)"
    assert chart["Estonia"]["notes"] == "objection 2004-01-05, against HUN: x"
    history = as_json("history", "budapest-2001", "HUN")
    assert [(r["kind"], r["text"]) for r in history if r["stage"] is None] == [("reservation", "Art. 9(4)")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["act", "budapest-2001", "RUS", "withdrawal", "--date", "2020-01-01"],
            "Error: withdrawal: RUS had not consented to budapest-2001 by 2020-01-01, so there is nothing to withdraw "
            "(record its instrument first (ratify advance budapest-2001 RUS instrument --date DATE))",
        ),
        (
            ["act", "budapest-2001", "ALB", "withdrawal", "--date", "2002-06-19"],
            "Error: date: the withdrawal on 2002-06-19 is before ALB's consent on 2002-06-20",
        ),
        (
            ["act", "budapest-2001", "ALB", "suspension_end", "--date", "2020-01-01"],
            "Error: suspension_end: ALB has no suspension open on 2020-01-01",
        ),
        (
            ["act", "budapest-2001", "ALB", "objection", "--date", "2020-01-01"],
            "Error: against: an objection names the party it answers, and only an objection does",
        ),
        (
            ["act", "budapest-2001", "ALB", "objection", "--date", "2020-01-01", "--against", "ALB"],
            "Error: against: a party cannot object to itself",
        ),
        (
            ["act", "budapest-2001", "ALB", "withdrawal", "--date", "2099-01-01"],
            "Error: date: 2099-01-01 is in the future",
        ),
        (
            ["treaty", "terminate", "budapest-2001", "--by", "budapest-2001"],
            "Error: by: budapest-2001 cannot supersede itself",
        ),
        (
            ["treaty", "terminate", "budapest-2001"],
            "Error: termination: give the date, the superseding treaty, or both",
        ),
        (["treaty", "rule", "budapest-2001", "--kind", "count"], "Error: a count rule needs `parties`"),
    ],
)
def test_bad_international_input(budapest, args, message):
    before = snapshot(budapest)
    result = run(*args)
    assert result.exit_code in (1, 2), result.output
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(budapest) == before


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (
            "kind: all_of\ngroup: annex\ngroups: {annex: {label: Annex, members: [FRA, XXX]}}\n",
            "rule.groups.annex: XXX is neither an ISO 3166-1 alpha-3 code nor a party",
        ),
        (
            "kind: count\nparties: 2\nweight: {table: w, at_least: 50}\n"
            "weights: {w: {label: shares, source: s, values: {FRA: 60, DEU: 60}}}\n",
            "shares add up to 120.00%, not 100%",
        ),
        ("kind: count\nparties: 2\nnot_additional: [EU]\n", "rule.not_additional: EU is not a party to budapest-2001"),
        ("kind: all_of\ngroup: missing\n", "group 'missing' is not defined under `groups`"),
        (
            "kind: count\nparties: 3\nincluding: {group: g, at_least: 5}\ngroups: {g: {label: G, members: [FRA]}}\n",
            "`including.at_least` cannot exceed `parties`",
        ),
    ],
)
def test_bad_rules_are_refused(budapest, tmp_path, rule, message):
    path = tmp_path / "rule.yaml"
    path.write_text(rule)
    before = snapshot(budapest)
    result = run("treaty", "rule", "budapest-2001", "--from-file", path)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert snapshot(budapest) == before


def test_an_accession_the_rule_excludes_is_refused_before_the_rule_is_met(initialised, tmp_path):
    """The ATT counts only ratification, acceptance and approval, and opens to accession once in force."""
    ok("treaty", "add", "att", "--title", "Arms Trade Treaty", "--kind", "multilateral", "--signed", "2013-04-02")
    ok(
        "treaty",
        "rule",
        "att",
        "--kind",
        "count",
        "--parties",
        "50",
        "--types",
        "ratification",
        "--types",
        "acceptance",
        "--types",
        "approval",
        "--days",
        "90",
    )
    ok("party", "add", "att", "Afghanistan")
    before = snapshot(initialised)
    result = run("advance", "att", "AFG", "instrument", "--consent", "accession", "--date", "2014-05-01")
    assert snapshot(initialised) == before, result.output
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: consent: att counts only ratification, acceptance, approval toward entry into force and is open "
        "to accession once the rule is met, so AFG cannot accede on 2014-05-01"
    )
    assert snapshot(initialised) == before


def test_a_deposit_needs_the_whole_procedure_once_any_step_is_known(initialised):
    """A deposit alone is taken from a depositary's table; once a domestic step is known, order rules apply."""
    ok("treaty", "add", "t", "--title", "T", "--signed", "2024-06-19", "--party", "Russia", "--party", "DPRK")
    ok("advance", "t", "PRK", "instrument", "--date", "2024-12-04")  # no domestic step recorded: accepted
    ok("vote", "t", "RUS", "duma", "--date", "2024-10-24", "--yes", "397", "--no", "0")
    before = snapshot(initialised)
    refused = run("advance", "t", "RUS", "instrument", "--date", "2024-12-04")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: date: instrument cannot pass on 2024-12-04 before federation_council")
    late = run("advance", "t", "PRK", "decree", "--date", "2024-11-11")
    assert late.exit_code == 0, late.output  # a decree before the deposit completes the record
    after = run("vote", "t", "PRK", "decree", "--date", "2024-12-05", "--result", "passed")
    assert after.exit_code == 1
    assert snapshot(initialised) != before
