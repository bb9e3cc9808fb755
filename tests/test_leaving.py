"""Leaving and coming back: a signatory that will not become a party, a party that withdrew and joined again.

The real cases: on 2019-07-18 the Secretary-General received the United States' communication that
it "does not intend to become a party" to the Arms Trade Treaty; the United States withdrew from
the Paris Agreement with effect from 2020-11-04, accepted it again on 2021-01-20 (in force for it
from 2021-02-19) and notified a second withdrawal on 2025-01-27 (fixtures/treaties/att-2013.yaml
and paris-2015.yaml cite every source).
"""

from __future__ import annotations

from tests.conftest import FIXTURES, as_json, ok, run

ATT = FIXTURES / "treaties" / "att-2013.yaml"
PARIS = FIXTURES / "treaties" / "paris-2015.yaml"


def usa(*args: str) -> dict:
    return as_json("status", "att-2013", "--party", "USA", *args)[0]


def test_a_declared_signatory_is_settled_and_no_longer_pending(initialised):
    ok("load", ATT)
    now = usa()
    assert (now["state"], now["progress"]) == (
        "declined",
        "declared on 2019-07-18 it does not intend to become a party",
    )
    assert (now["waiting_for"], now["waiting_days"], now["next_stage"]) == (None, None, None)
    before = usa("--as-of", "2019-07-17")
    assert (before["state"], before["progress"]) == ("signed", "signed, committee pending")
    pending_now = {row["party"] for row in as_json("pending", "att-2013")}
    pending_then = {row["party"] for row in as_json("pending", "att-2013", "--as-of", "2019-07-17")}
    assert "USA" in pending_then and "USA" not in pending_now


def test_the_declaration_is_for_signatories_and_a_later_consent_outweighs_it(initialised):
    ok("treaty", "add", "t", "--title", "T", "--signed", "2020-01-10", "--party", "FRA", "--party", "DEU")
    ok("advance", "t", "FRA", "instrument", "--date", "2020-03-01")
    refused = run("act", "t", "FRA", "not_becoming_party", "--date", "2020-06-01")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: not_becoming_party: FRA consented to t on 2020-03-01 (")
    ok("act", "t", "DEU", "not_becoming_party", "--date", "2020-06-01")
    assert as_json("status", "t", "--party", "DEU")[0]["state"] == "declined"
    ok("advance", "t", "DEU", "instrument", "--date", "2021-06-01")
    assert as_json("status", "t", "--party", "DEU")[0]["state"] == "in_force"


def test_a_party_that_withdrew_and_joined_again_keeps_both_periods(initialised):
    ok("load", PARIS)

    def on(day: str) -> tuple[str, str]:
        row = as_json("status", "paris-2015", "--party", "USA", "--as-of", day)[0]
        return row["state"], row["progress"]

    assert on("2019-12-01") == ("in_force", "in force since 2016-11-04, withdrawal takes effect 2020-11-04")
    assert on("2020-12-01") == ("withdrawn", "withdrawn since 2020-11-04")
    assert on("2021-02-01") == ("deposited", "acceptance deposited, in force from 2021-02-19")
    assert on("2022-01-01") == ("in_force", "in force since 2021-02-19")
    assert on("2026-12-01") == ("withdrawn", "withdrawn since 2026-01-27")
    history = as_json("history", "paris-2015")
    deposits = [e["date"] for e in history if e["party"] == "USA" and e["stage"] == "instrument"]
    assert deposits == ["2016-09-03", "2021-01-20"]


def test_a_rejoined_partys_first_period_still_counts_in_every_view(initialised):
    # The United States' 2016 acceptance helped meet Art. 21; its later rejoining must not move the date.
    ok("load", PARIS)
    for day in ("2016-12-31", "2025-06-01"):
        shown = ok("treaty", "show", "paris-2015", "--as-of", day).stdout
        assert "  status:  met on 2016-10-05; in force since 2016-11-04, as published\n" in shown
        report = as_json("report", "--as-of", day)
        assert report["treaties"][0]["summary"] == "in force since 2016-11-04"
    assert as_json("treaty", "list")[0]["rule_met_on"] == "2016-10-05"


def test_joining_again_needs_the_withdrawal_first(initialised):
    ok("treaty", "add", "m", "--title", "M", "--signed", "2020-01-10", "--kind", "multilateral", "--party", "FRA")
    ok("advance", "m", "FRA", "instrument", "--consent", "accession", "--date", "2020-03-01")
    again = run("advance", "m", "FRA", "instrument", "--consent", "accession", "--date", "2021-03-01")
    assert again.exit_code == 1 and "FRA already deposited its instrument for m on 2020-03-01" in again.stderr
    ok("act", "m", "FRA", "withdrawal", "--date", "2020-06-01", "--effective", "2020-12-01")
    ok("advance", "m", "FRA", "instrument", "--consent", "accession", "--date", "2021-03-01")


CTBT = FIXTURES / "treaties" / "ctbt-1996.yaml"


def test_a_revocation_runs_through_the_chambers_and_ends_in_its_act(initialised):
    """Russia revoked its CTBT ratification: Duma 2023-10-18, Federation Council 2023-10-25 (156-0), law 2023-11-02."""
    ok("load", CTBT)

    def on(day: str) -> dict:
        return as_json("status", "ctbt-1996", "--party", "RUS", "--as-of", day)[0]

    assert on("2023-10-17")["reversal"] is None
    during = on("2023-10-20")
    assert (during["state"], during["reversal"]) == ("deposited", "revocation")
    assert during["reversal_progress"] == "revocation: lower house passed, upper house pending"
    assert during["progress"].endswith("; revocation: lower house passed, upper house pending")
    assert on("2023-11-02")["reversal_progress"] == "revocation: assent passed, notification pending"
    after = on("2023-11-05")
    assert (after["state"], after["reversal"], after["consent"]) == ("signed", None, None)
    votes = [e for e in as_json("history", "ctbt-1996") if e["party"] == "RUS" and e["stage"] == "federation_council"]
    assert [(e["yes"], e["no"], e["status"]) for e in votes] == [(156, 0, "passed")]


def test_a_reversal_is_checked_like_a_ratification(initialised):
    ok("treaty", "add", "t", "--title", "T", "--signed", "2020-01-10", "--party", "RUS", "--party", "FRA")
    early = run("vote", "t", "RUS", "duma", "--path", "revocation", "--date", "2020-02-01", "--yes", "400")
    assert early.exit_code == 1 and "RUS had not consented to t by 2020-02-01" in early.stderr
    ok("vote", "t", "RUS", "duma", "--date", "2020-03-01", "--yes", "400")
    ok("vote", "t", "RUS", "federation_council", "--date", "2020-03-10", "--unanimous", "--result", "passed")
    ok("advance", "t", "RUS", "president", "--date", "2020-03-20")
    ok("advance", "t", "RUS", "instrument", "--date", "2020-04-01")
    # The revocation's upper house cannot pass before its own lower house, whatever the ratification did.
    skipped = run("vote", "t", "RUS", "federation_council", "--path", "revocation", "--date", "2021-01-10",
                  "--unanimous", "--result", "passed")  # fmt: skip
    assert skipped.exit_code == 1 and "before duma" in skipped.stderr
    recorded = ok("vote", "t", "RUS", "duma", "--path", "revocation", "--date", "2021-01-05", "--yes", "400")
    assert recorded.stderr == "Recorded RUS duma (revocation) passed on 2021-01-05.\n"
    assert recorded.stdout.endswith("; revocation: lower house passed, upper house pending (state deposited)\n")
    notice = run("advance", "t", "RUS", "instrument", "--path", "revocation", "--date", "2021-02-01")
    assert notice.exit_code == 1 and "record it with 'ratify act t RUS consent_withdrawn --date DATE'" in notice.stderr
