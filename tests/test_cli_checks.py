"""Corrections found while checking real records: one derivation, hints that lead somewhere, exit codes."""

from __future__ import annotations

from tests.conftest import FIXTURES, as_json, ok, run, snapshot

# Arms Trade Treaty, UN Treaty Collection XXVI-8: adopted 2013-04-02; Albania signed 2013-06-03 and
# ratified 2014-03-19 (the status table cited in fixtures/treaties/att-2013.yaml).
ATT = ["treaty", "add", "att-2013", "--title", "Arms Trade Treaty", "--kind", "multilateral", "--signed", "2013-04-02"]
UNTC = "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXVI-8&chapter=26&clang=_en"


def test_a_multilateral_participant_is_not_signed_until_it_signs(initialised):
    ok(*ATT)
    ok("party", "add", "att-2013", "Albania")
    row = as_json("status", "att-2013", "--party", "ALB")[0]
    assert (row["state"], row["progress"], row["signed"]) == ("not_signed", "not signed, legislature pending", None)
    assert "multilateral: none until given" in ok("party", "add", "--help").stdout


def test_a_consent_dated_before_the_signature_is_refused_with_a_hint_that_leads_somewhere(initialised):
    ok(*ATT)
    ok("party", "add", "att-2013", "Albania", "--signed", "2014-06-03")  # a mistyped year
    before = snapshot(initialised)
    refused = run("advance", "att-2013", "ALB", "instrument", "--date", "2014-03-19", "--consent", "ratification")
    assert refused.exit_code == 1
    assert "is before ALB signed att-2013 on 2014-06-03" in refused.stderr
    assert snapshot(initialised) == before
    ok("party", "edit", "att-2013", "ALB", "--signed", "2013-06-03", "--reason", f"signature from {UNTC}")
    ok("advance", "att-2013", "ALB", "instrument", "--date", "2014-03-19", "--consent", "ratification")
    row = as_json("status", "att-2013", "--party", "ALB")[0]
    assert (row["state"], row["signed"], row["deposited_on"]) == ("deposited", "2013-06-03", "2014-03-19")


def test_a_consent_without_a_signature_is_recorded_as_it_stands(initialised):
    """The UN depositary records acceptances from states that never signed (CCW XXVI-2: Chile, 2003-10-15)."""
    ok(*ATT)
    ok("party", "add", "att-2013", "Albania")
    ok(
        "advance",
        "att-2013",
        "ALB",
        "instrument",
        "--date",
        "2014-03-19",
        "--consent",
        "ratification",
        "--source",
        UNTC,
    )
    row = as_json("status", "att-2013", "--party", "ALB")[0]
    assert (row["state"], row["signed"], row["consent"]) == ("deposited", None, "ratification")
    assert "out of order" not in ok("history", "att-2013", "ALB").stdout


def test_a_back_dated_withdrawal_is_judged_on_its_own_date(initialised):
    """Russia deposited its CTBT ratification on 2000-06-30 and withdrew it on 2023-11-03 (ctbt-1996.yaml)."""
    ok("load", FIXTURES / "treaties" / "ctbt-1996.yaml")
    before = snapshot(initialised)
    again = run("act", "ctbt-1996", "RUS", "consent_withdrawn", "--date", "2023-10-01")
    assert again.exit_code == 1
    assert "RUS's consent is already withdrawn on 2023-11-03" in again.stderr
    assert "ratify correct a" in again.stderr and "--date 2023-10-01" in again.stderr
    assert "nothing to withdraw" not in again.stderr
    too_early = run("act", "ctbt-1996", "RUS", "consent_withdrawn", "--date", "1999-01-01")
    assert too_early.exit_code == 1
    assert "Error: date: the consent_withdrawn on 1999-01-01 is before RUS's consent on 2000-06-30" in too_early.stderr
    assert snapshot(initialised) == before


def test_a_step_recorded_out_of_order_gives_one_reading(initialised):
    """The Federation Council approved the Russia-DPRK treaty on 2024-11-06 (TASS, https://tass.com/politics/1868051).

    Entered before the Duma's vote, with --allow-out-of-order, the state and the progress both say the
    legislature is done and assent is next; the cache and a fresh derivation agree.
    """
    ok("treaty", "add", "rus-prk-2024", "--title", "Treaty on Comprehensive Strategic Partnership",
       "--signed", "2024-06-19", "--party", "Russia", "--party", "DPRK")  # fmt: skip
    ok("vote", "rus-prk-2024", "RUS", "federation_council", "--date", "2024-11-06", "--unanimous",
       "--allow-out-of-order", "--source", "https://tass.com/politics/1868051")  # fmt: skip
    cached = as_json("status", "rus-prk-2024", "--party", "RUS")[0]
    derived = as_json("status", "rus-prk-2024", "--party", "RUS", "--as-of", "2024-11-06")[0]
    for row in (cached, derived):
        assert (row["state"], row["progress"]) == ("approved", "upper house passed, assent pending")
