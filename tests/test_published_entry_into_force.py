"""A published entry into force is a fact: recorded with its source, used where the instruments do not settle it.

Real cases: the Russia-DPRK treaty of 2024 entered into force on 2024-12-04 on the exchange of instruments
(fixtures/treaties/rus-prk-2024.yaml names KCNA and TASS); the Arms Trade Treaty on 2014-12-24 (UNTC XXVI-8,
fixtures/treaties/att-2013.yaml); the Protocol on the Accession of Romania to the North Atlantic Treaty on
2004-02-27, when every party had notified its acceptance (Art. II; fixtures/treaties/nato-1949-romania-protocol-2003.yaml).
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, as_json, ok, reloaded, run, snapshot

TASS = "FACTBOX: Release of new Russia-North Korea treaty, TASS, 2024-12-05 -- https://tass.com/politics/1882599"
UNTC_ATT = "UN Treaty Collection XXVI-8 -- https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXVI-8"
WETTEN = "wetten.overheid.nl BWBV0001632, 'Geldend van 27-02-2004' -- https://wetten.overheid.nl/BWBV0001632"


def bilateral_without_instruments() -> None:
    ok(
        "treaty", "add", "rus-prk-2024", "--title", "Treaty on Comprehensive Strategic Partnership",
        "--signed", "2024-06-19", "--party", "Russia", "--party", "North Korea",
    )  # fmt: skip


def test_a_bilateral_treaty_known_in_force_binds_both_parties_without_their_instruments(initialised):
    bilateral_without_instruments()
    assert {row["party"] for row in as_json("pending")} == {"PRK", "RUS"}
    shown = ok("treaty", "in-force", "rus-prk-2024", "--date", "2024-12-04", "--source", TASS).stdout
    assert shown == (
        "in force since 2024-12-04 as published; the instruments recorded do not meet the rule: "
        "needs 2 more of the 2 parties: PRK, RUS\n"
    )
    rows = {row["party"]: row for row in as_json("status", "rus-prk-2024")}
    for code in ("PRK", "RUS"):
        row = rows[code]
        assert (row["state"], row["in_force_on"], row["in_force_basis"]) == ("in_force", "2024-12-04", "published")
        assert row["progress"] == "in force since 2024-12-04 (as published; its instrument is not recorded)"
        assert (row["treaty_in_force_on"], row["treaty_in_force_published"]) == ("2024-12-04", "2024-12-04")
        assert row["deposited_on"] is None and row["published_differs"] is None
    result = run("pending")
    assert result.exit_code == 0 and result.stdout == ""
    listed = as_json("treaty", "list")[0]
    assert listed["in_force_on"] == "2024-12-04"
    shown = ok("treaty", "show", "rus-prk-2024").stdout
    assert "  in force as published: 2024-12-04 (FACTBOX: Release of new Russia-North Korea treaty" in shown


def test_before_the_published_date_the_treaty_is_not_in_force_yet(initialised):
    bilateral_without_instruments()
    ok("treaty", "in-force", "rus-prk-2024", "--date", "2024-12-04", "--source", TASS)
    before = {row["party"]: row for row in as_json("status", "rus-prk-2024", "--as-of", "2024-12-03")}
    assert {row["state"] for row in before.values()} == {"signed"}
    assert {row["treaty_in_force_on"] for row in before.values()} == {None}
    assert {row["party"] for row in as_json("pending", "--as-of", "2024-12-03")} == {"PRK", "RUS"}


def test_a_count_rule_not_met_by_the_instruments_recorded_takes_the_published_date(initialised):
    """The ATT's rule needs 50 instruments; a user following three states records only theirs."""
    ok("treaty", "add", "att-2013", "--title", "Arms Trade Treaty", "--kind", "multilateral", "--signed", "2013-04-02")
    ok(
        "treaty", "rule", "att-2013", "--kind", "count", "--parties", "50", "--types", "ratification",
        "--types", "acceptance", "--types", "approval", "--days", "90", "--later-from", "entry_into_force",
    )  # fmt: skip
    for state, deposited in (("ALB", "2014-03-19"), ("GBR", "2014-04-02")):
        ok("party", "add", "att-2013", state, "--signed", "2013-06-03")
        ok("advance", "att-2013", state, "instrument", "--date", deposited)
    assert {row["state"] for row in as_json("status", "att-2013")} == {"deposited"}
    ok("treaty", "in-force", "att-2013", "--date", "2014-12-24", "--source", UNTC_ATT)
    # Open to accession once in force, which the published date now says it is: 90 days later (Art. 22(2)).
    ok("party", "add", "att-2013", "CHN")
    ok("advance", "att-2013", "CHN", "instrument", "--date", "2020-07-06", "--consent", "accession")
    rows = {row["party"]: row for row in as_json("status", "att-2013")}
    assert {code: (row["state"], row["in_force_on"]) for code, row in rows.items()} == {
        "ALB": ("in_force", "2014-12-24"),
        "GBR": ("in_force", "2014-12-24"),
        "CHN": ("in_force", "2020-10-04"),
    }
    assert {row["in_force_basis"] for row in rows.values()} == {"published"}
    assert run("pending").stdout == ""


def test_computed_and_published_dates_that_differ_are_both_shown_and_neither_is_preferred_silently(initialised):
    ok("load", FIXTURES / "treaties" / "att-2013.yaml")
    # A user types the wrong day: the recorded instruments say 2014-12-24.
    ok("treaty", "in-force", "att-2013", "--date", "2014-12-25", "--source", "typed from memory")
    row = as_json("status", "att-2013", "--party", "ALB")[0]
    assert (row["treaty_in_force_on"], row["treaty_in_force_published"]) == ("2014-12-24", "2014-12-25")
    assert row["in_force_basis"] == "computed"
    assert row["published_differs"] == "entry into force: published 2014-12-25, computed 2014-12-24"
    shown = ok("treaty", "show", "att-2013").stdout
    assert "in force since 2014-12-24; published 2014-12-25, which differs (typed from memory)" in shown
    assert "  in force as published: 2014-12-25 (typed from memory); ratify's rule gives 2014-12-24: they differ" in (
        shown
    )
    report = as_json("report", "att-2013")["treaties"][0]
    assert report["summary"] == "in force since 2014-12-24; published 2014-12-25, which differs"
    ok("treaty", "in-force", "att-2013", "--date", "2014-12-24", "--source", UNTC_ATT, "--reason", "the UNTC page")
    row = as_json("status", "att-2013", "--party", "ALB")[0]
    assert (row["treaty_in_force_published"], row["published_differs"]) == ("2014-12-24", None)
    assert "met on 2014-09-25; in force since 2014-12-24, as published" in ok("treaty", "show", "att-2013").stdout


def test_a_partys_published_date_of_effect_counts_where_no_rule_computes_one(initialised):
    ok("treaty", "add", "t", "--title", "T", "--kind", "multilateral", "--signed", "2020-01-10")
    ok("party", "add", "t", "FRA", "--signed", "2020-01-10")
    ok("advance", "t", "FRA", "instrument", "--date", "2020-03-01", "--effective", "2020-06-01")
    row = as_json("status", "t")[0]
    assert (row["state"], row["in_force_on"], row["in_force_basis"], row["in_force_published"]) == (
        "in_force",
        "2020-06-01",
        "published",
        "2020-06-01",
    )


def test_a_published_date_is_corrected_or_taken_back_with_a_version_kept(initialised):
    bilateral_without_instruments()
    ok("treaty", "in-force", "rus-prk-2024", "--date", "2024-12-05", "--source", "a first report")
    ok("treaty", "in-force", "rus-prk-2024", "--date", "2024-12-04", "--source", TASS, "--reason", "TASS factbox")
    ok("treaty", "in-force", "rus-prk-2024", "--clear", "--reason", "to be confirmed by the MFA")
    assert {row["state"] for row in as_json("status", "rus-prk-2024")} == {"signed"}
    history = ok("history", "rus-prk-2024", "--all").stdout
    assert "TASS factbox" in history and "to be confirmed by the MFA" in history
    again = run("treaty", "in-force", "rus-prk-2024", "--clear")
    assert again.exit_code == 1
    assert again.stderr == "Error: rus-prk-2024: no published entry into force is recorded (nothing to take back)\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2024-12", "--source", "x"], "Error: Invalid value for '--date': '2024-12' is not an exact date"),
        (["--date", "2024-12-04"], "source"),
        ([], "give --date DATE with --source, or --clear"),
        (["--date", "2024-12-04", "--source", "x", "--clear"], "give --date DATE with --source, or --clear"),
    ],
)
def test_a_bad_published_date_is_refused_in_one_line_with_nothing_written(initialised, args, message):
    bilateral_without_instruments()
    before = snapshot(initialised)
    result = run("treaty", "in-force", "rus-prk-2024", *args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert snapshot(initialised) == before


def test_a_published_entry_into_force_travels_in_export_and_load(initialised, tmp_path):
    bilateral_without_instruments()
    ok("treaty", "in-force", "rus-prk-2024", "--date", "2024-12-04", "--source", TASS)
    exported, fresh = reloaded(tmp_path)
    assert f"  published_in_force:\n    date: '2024-12-04'\n    source: '{TASS}'\n" in exported
    assert ok("--db", fresh, "export").stdout == exported
    assert {row["state"] for row in as_json("--db", fresh, "status")} == {"in_force"}


def test_an_accession_protocol_in_force_binds_every_member_the_rule_names(initialised, tmp_path):
    """Protocol on the Accession of Romania: in force once each party had notified (Art. II); a user follows two."""
    ok("load", FIXTURES / "treaties" / "nato-1949-romania-protocol-2003.yaml")
    ok(
        "treaty", "add", "romania-protocol", "--title", "Protocol on the Accession of Romania", "--kind",
        "multilateral", "--signed", "2003-03-26", "--protocol-to", "north-atlantic-treaty-1949",
    )  # fmt: skip
    ok("treaty", "rule", "romania-protocol", "--kind", "all_of", "--parties-of-parent-as-of", "2003-03-26")
    for state in ("CAN", "FRA", "USA"):
        ok("party", "add", "romania-protocol", state, "--signed", "2003-03-26")
    ok("advance", "romania-protocol", "CAN", "instrument", "--date", "2003-03-28", "--consent", "acceptance")
    ok("advance", "romania-protocol", "FRA", "instrument", "--date", "2004-02-25", "--consent", "acceptance")
    ok("treaty", "in-force", "romania-protocol", "--date", "2004-02-27", "--source", WETTEN)
    rows = {row["party"]: row for row in as_json("status", "romania-protocol")}
    assert {code: (row["state"], row["in_force_on"]) for code, row in rows.items()} == {
        "CAN": ("in_force", "2004-02-27"),
        "FRA": ("in_force", "2004-02-27"),
        "USA": ("in_force", "2004-02-27"),
    }
    assert rows["USA"]["progress"].endswith("(as published; its instrument is not recorded)")
    assert not [row for row in as_json("pending") if row["treaty"] == "romania-protocol"]


def test_an_announced_entry_into_force_counts_from_its_day(initialised):
    """A depositary announces a date still to come; until it comes the parties are deposited, in force from it."""
    ok("treaty", "add", "t", "--title", "T", "--signed", "2024-01-10", "--party", "FRA", "--party", "DEU")
    ok("advance", "t", "FRA", "instrument", "--date", "2024-03-01")
    ok("treaty", "in-force", "t", "--date", "2999-01-01", "--source", "an announcement")
    row = as_json("status", "t", "--party", "FRA")[0]
    assert (row["state"], row["progress"], row["in_force_on"]) == (
        "deposited",
        "ratification deposited, in force from 2999-01-01",
        None,
    )
