"""A signatory that declares it will not become a party stops waiting: the United States and the ATT.

On 2019-07-18 the Secretary-General received the United States' communication that it "does not
intend to become a party" to the Arms Trade Treaty (fixtures/treaties/att-2013.yaml cites it).
"""

from __future__ import annotations

from tests.conftest import FIXTURES, as_json, ok, run

ATT = FIXTURES / "treaties" / "att-2013.yaml"


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
    pending_now = {row["party"] for row in as_json("pending", "--treaty", "att-2013")}
    pending_then = {row["party"] for row in as_json("pending", "--treaty", "att-2013", "--as-of", "2019-07-17")}
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
