"""Entry-into-force rules written with the treaty's own numbers, explained in --help with real treaties.

The Convention on Cluster Munitions, Art. 17(1): "on the first day of the sixth month after the month in which
the thirtieth instrument of ratification, acceptance, approval or accession has been deposited"; the 30th was
deposited on 2010-02-16 and the convention entered into force on 2010-08-01 (UN Treaty Collection XXVI-6).
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, as_json, ok, run, snapshot

CCM = ["treaty", "add", "ccm-2008", "--title", "Convention on Cluster Munitions", "--kind", "multilateral"]


def one_instrument_treaty(initialised) -> None:
    """A count rule of one instrument, so that one real deposit date meets it (the 30th, in the CCM's case)."""
    ok(*CCM, "--signed", "2008-05-30")
    ok("party", "add", "ccm-2008", "MDA", "--signed", "2008-12-03")
    ok("advance", "ccm-2008", "MDA", "instrument", "--date", "2010-02-16")


def test_the_first_day_of_the_sixth_month_after_the_month_is_written_with_the_treatys_six(initialised):
    one_instrument_treaty(initialised)
    shown = ok(
        "treaty", "rule", "ccm-2008", "--kind", "count", "--parties", "1", "--first-day-of-month", "6",
        "--later-first-day-of-month", "6", "--article", "Art. 17",
    ).stdout  # fmt: skip
    assert shown.startswith(
        "in force on the first day of the sixth month after the month of the 1st instrument; for a later party, "
        "on the first day of the sixth month after the month of its own instrument\n"
    )
    assert as_json("treaty", "list")[0]["in_force_on"] == "2010-08-01"
    # A later party: Lithuania deposited on 2011-03-24, so the first day of September 2011.
    ok("party", "add", "ccm-2008", "LTU", "--signed", "2008-12-03")
    ok("advance", "ccm-2008", "LTU", "instrument", "--date", "2011-03-24")
    assert as_json("status", "ccm-2008", "--party", "LTU")[0]["in_force_on"] == "2011-09-01"


def test_the_council_of_europe_wording_and_the_earlier_spelling_mean_the_same(initialised):
    one_instrument_treaty(initialised)
    for flag in ("--first-of-following-month", "--first-of-month"):
        shown = ok("treaty", "rule", "ccm-2008", "--kind", "count", "--parties", "1", "--months", "3", flag).stdout
        assert shown.startswith("in force on the first day of the month following 3 months after the 1st instrument;")
        assert as_json("treaty", "list")[0]["in_force_on"] == "2010-06-01"


def test_a_rule_that_mixes_the_two_wordings_is_refused_in_one_line(initialised):
    one_instrument_treaty(initialised)
    before = snapshot(initialised)
    result = run("treaty", "rule", "ccm-2008", "--kind", "count", "--parties", "1", "--months", "5",
                 "--first-day-of-month", "6")  # fmt: skip
    assert result.exit_code == 2
    assert "--first-day-of-month counts months from the event's month and stands alone" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(initialised) == before


def test_every_rule_kind_is_explained_with_a_real_treaty_in_help():
    text = ok("treaty", "rule", "--help").stdout
    for kind, example in (
        ("exchange", "rus-prk-2024"),
        ("notifications", "fin-can-youth-mobility-2023"),
        ("count", "Cluster Munitions, Art. 17"),
        ("all_of", "--parties-of-parent-as-of"),
        ("any_of", "--from-file"),
    ):
        assert kind in text and example in text


def test_rules_already_stored_keep_their_meaning(initialised):
    """Budapest's "first day of the month following three months" and Finland-Canada's second month."""
    ok("load", FIXTURES / "treaties" / "budapest-2001.yaml", FIXTURES / "treaties" / "fin-can-youth-mobility-2023.yaml")
    listed = {row["treaty"]: row["in_force_on"] for row in as_json("treaty", "list")}
    assert listed == {"budapest-2001": "2004-07-01", "fin-can-youth-mobility-2023": "2024-03-01"}
    shown = ok("treaty", "show", "fin-can-youth-mobility-2023").stdout
    assert "on the first day of the second month after the month of the later of the parties' notifications" in shown


@pytest.mark.parametrize("link", ["--protocol-to", "--amends", "--extends"])
def test_a_parent_is_set_after_treaty_add(initialised, link):
    ok("load", FIXTURES / "treaties" / "nato-1949-romania-protocol-2003.yaml")
    ok("treaty", "add", "p", "--title", "A protocol", "--kind", "multilateral", "--signed", "2003-03-26")
    refused = run("treaty", "rule", "p", "--kind", "all_of", "--parties-of-parent-as-of", "2003-03-26")
    assert refused.exit_code == 1 and "needs a parent treaty, and p has none" in refused.stderr
    ok("treaty", "edit", "p", link, "north-atlantic-treaty-1949", "--reason", "the protocol's title names it")
    listed = {row["treaty"]: row for row in as_json("treaty", "list")}
    assert listed["p"]["parent"] == "north-atlantic-treaty-1949"
    if link == "--protocol-to":
        ok("treaty", "rule", "p", "--kind", "all_of", "--parties-of-parent-as-of", "2003-03-26")
    unknown = run("treaty", "edit", "p", link, "nowhere", "--reason", "x")
    assert unknown.exit_code == 1 and "no treaty 'nowhere'" in unknown.stderr
