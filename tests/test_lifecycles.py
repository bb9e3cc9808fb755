"""Lifecycles as governments live them: notices taken back, consultative votes, second rounds, and a status
that says what ended a party's participation."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, as_json, ok, reloaded, run


def web_page(location, path: str) -> str:
    """A page of the web view over the test's database."""
    from starlette.testclient import TestClient

    from ratify.store.database import Database
    from ratify.web.app import create_app

    database = Database(str(location))
    try:
        with TestClient(
            create_app(database, base_url="https://t.example.org/"), base_url="https://t.example.org"
        ) as web:
            response = web.get(path)
            assert response.status_code == 200, response.text
            return response.text
    finally:
        database.close()


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
            f"Error: status: assemblee_nationale already passed on 2020-02-01 for FRA, so a {result} entry on "
            "2020-03-01 would decide it twice (if that entry is wrong, correct it (ratify correct e1 ...); "
            "if this vote is one of its readings, give --reading N; if the approval was submitted again, give --round N)\n"
        )
    # A failure before the pass is what the pass overcame; a vote after a new consent began is a new decision.
    ok("vote", "t", "FRA", "assemblee_nationale", "--date", "2020-01-20", "--yes", "100", "--no", "300")
    assert as_json("status", "t", "--party", "FRA")[0]["state"] == "in_legislature"
    assert len(as_json("history", "t", "FRA")) == 2


GAMBIA_RESCISSION = (
    "http://www.africa-newsroom.com/press/statement-attributable-to-the-spokesman-for-the-secretarygeneral-on-the-"
    "occasion-of-the-gambias-notification-of-rescission-of-its-withdrawal-from-the-rome-statute-of-the-"
    "international-criminal-court?lang=en"
)


def rome_gambia() -> None:
    """A notice taken back: the Gambia notified withdrawal from the Rome Statute on 2016-11-10 (in effect a year
    later, Art. 127(1)) and delivered its rescission on 2017-02-10 (the UN Spokesperson's statement of
    17 February 2017, GAMBIA_RESCISSION).
    The treaty's other dates here are the test's own."""
    ok("treaty", "add", "rome", "--title", "Rome Statute", "--kind", "multilateral", "--signed", "1998-07-17")
    ok("treaty", "rule", "rome", "--kind", "count", "--parties", "1", "--withdrawal-months", "12")
    ok("party", "add", "rome", "Gambia", "--signed", "1998-12-04")
    ok("advance", "rome", "GMB", "instrument", "--date", "2002-06-28")
    ok("act", "rome", "GMB", "withdrawal", "--date", "2016-11-10", "--source", "C.N.862.2016.TREATIES-XVIII.10")


def test_a_notice_of_withdrawal_revoked_leaves_the_party_never_having_left(initialised):
    rome_gambia()
    url = GAMBIA_RESCISSION
    revoked = ok("act", "rome", "GMB", "withdrawal_revoked", "--date", "2017-02-10", "--source", url)
    assert revoked.stdout == (
        "rome GMB: in force since 2002-06-28; notice of withdrawal of 2016-11-10 revoked 2017-02-10 (state in_force)\n"
    )

    def on(day: str) -> dict:
        return as_json("status", "rome", "--party", "GMB", "--as-of", day)[0]

    pending = on("2016-12-01")
    assert (pending["state"], pending["withdrawn_on"], pending["withdrawal_notice_on"]) == (
        "in_force",
        "2017-11-10",
        "2016-11-10",
    )
    assert pending["progress"] == "in force since 2002-06-28, withdrawal takes effect 2017-11-10"
    for row in (on("2018-01-01"), as_json("status", "rome", "--party", "GMB")[0]):
        assert (row["state"], row["bound"], row["ended"], row["withdrawn_on"]) == ("in_force", True, None, None)
        assert (row["withdrawal_notice_on"], row["notice_revoked_on"]) == ("2016-11-10", "2017-02-10")
        assert row["progress"] == "in force since 2002-06-28; notice of withdrawal of 2016-11-10 revoked 2017-02-10"
    kinds = [(e["kind"], e["date"]) for e in as_json("history", "rome", "GMB") if e.get("kind")]
    assert ("withdrawal", "2016-11-10") in kinds and ("withdrawal_revoked", "2017-02-10") in kinds



def test_a_notice_given_before_the_treaty_binds_the_party_is_shown_too(initialised):
    """A party that deposited and gave notice before the treaty entered into force for it: the notice is part of
    where it stands, pending and then taken back (the dates are the test's own)."""
    ok("treaty", "add", "t", "--title", "T", "--kind", "multilateral", "--signed", "2020-01-01")
    ok("treaty", "rule", "t", "--kind", "count", "--parties", "2", "--withdrawal-months", "12")
    ok("party", "add", "t", "France", "--signed", "2020-01-01")
    ok("advance", "t", "FRA", "instrument", "--date", "2021-01-01")
    ok("act", "t", "FRA", "withdrawal", "--date", "2021-06-01")
    (pending,) = as_json("status", "t", "--as-of", "2021-07-01")
    assert pending["progress"] == "ratification deposited, entry into force pending, withdrawal takes effect 2022-06-01"
    ok("act", "t", "FRA", "withdrawal_revoked", "--date", "2021-09-01")
    (row,) = as_json("status", "t")
    assert row["progress"] == (
        "ratification deposited, entry into force pending; notice of withdrawal of 2021-06-01 revoked 2021-09-01"
    )
    assert (row["bound"], row["ended"], row["withdrawn_on"]) == (False, None, None)

@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2016-11-01", "Error: withdrawal_revoked: GMB gave no notice of withdrawal from rome by 2016-11-01 ("),
        ("2017-11-10", "Error: date: GMB's withdrawal took effect on 2017-11-10, so on 2017-11-10 there is no notice"),
    ],
)
def test_only_a_standing_notice_can_be_revoked(initialised, day, message):
    rome_gambia()
    refused = run("act", "rome", "GMB", "withdrawal_revoked", "--date", day)
    assert refused.exit_code == 1 and refused.stderr.startswith(message), refused.stderr
    ok("act", "rome", "GMB", "withdrawal_revoked", "--date", "2017-02-10")
    twice = run("act", "rome", "GMB", "withdrawal_revoked", "--date", "2017-03-01")
    assert twice.exit_code == 1
    assert twice.stderr.startswith("Error: withdrawal_revoked: GMB's notice of 2016-11-10 was already revoked on")


def test_a_withdrawal_in_effect_and_a_ratification_withdrawn_say_what_ended_them(initialised):
    ok("treaty", "add", "m", "--title", "M", "--kind", "multilateral", "--signed", "2020-01-10")
    ok("treaty", "rule", "m", "--kind", "count", "--parties", "1")
    ok("party", "add", "m", "FRA", "--signed", "2020-01-10")
    ok("party", "add", "m", "DEU", "--signed", "2020-01-10")
    ok("advance", "m", "FRA", "instrument", "--date", "2020-03-01")
    ok("advance", "m", "DEU", "instrument", "--date", "2020-04-01")
    ok("act", "m", "FRA", "withdrawal", "--date", "2021-01-04", "--effective", "2021-07-01")
    ok("act", "m", "DEU", "consent_withdrawn", "--date", "2021-02-01")
    for args in ((), ("--as-of", "2022-01-01")):
        rows = {r["party"]: r for r in as_json("status", "m", *args)}
        fra, deu = rows["FRA"], rows["DEU"]
        assert (fra["state"], fra["bound"], fra["ended"], fra["ended_on"]) == (
            "withdrawn",
            False,
            "withdrawal",
            "2021-07-01",
        )
        assert (deu["state"], deu["bound"], deu["ended"], deu["ended_on"]) == (
            "signed",
            False,
            "consent_withdrawn",
            "2021-02-01",
        )
        assert deu["progress"] == "ratification withdrawn 2021-02-01, signed, lower house pending"
    before = {r["party"]: r for r in as_json("status", "m", "--as-of", "2020-12-31")}
    assert [(r["bound"], r["ended"]) for r in before.values()] == [(True, None), (True, None)]


def test_a_revoked_notice_goes_through_export_corrections_reports_and_the_web_view(initialised, tmp_path):
    rome_gambia()
    ok("act", "rome", "GMB", "withdrawal_revoked", "--date", "2017-02-10")
    ok("correct", "a2", "--source", GAMBIA_RESCISSION, "--reason", "the Spokesperson's statement")
    late = run("correct", "a2", "--date", "2018-01-01", "--reason", "misread")
    assert late.exit_code == 1 and "no notice to revoke" in late.stderr
    orphan = run("retract", "a1", "--reason", "mistake")
    assert (
        orphan.exit_code == 1 and "GMB has no notice of withdrawal before its revocation of 2017-02-10" in orphan.stderr
    )
    versions = [(e["kind"], e["version"], e["source"]) for e in as_json("history", "rome", "--all") if e["id"] == "a2"]
    assert versions == [("withdrawal_revoked", 1, None), ("withdrawal_revoked", 2, GAMBIA_RESCISSION)]
    expected = as_json("status", "rome")
    _, fresh = reloaded(tmp_path)
    assert as_json("--db", fresh, "status", "rome") == expected
    words = "notice of withdrawal of 2016-11-10 revoked 2017-02-10"
    page = ok("report", "--format", "html").stdout
    assert words in page and "GMB: withdrawal revoked, act on 2017-02-10" in page
    shown = web_page(initialised, "/treaties/rome")
    assert words in shown and "withdrawal revoked" in shown


CONSULTING = """
procedures:
  - id: TEST-CONSULT
    name: "A parliament whose approval law may be put to a consultative referendum"
    stages:
      - {key: lower, kind: lower_house, body: Lower House, threshold: majority_of_votes_cast}
      - {key: upper, kind: upper_house, body: Upper House, threshold: majority_of_votes_cast}
      - {key: referendum, kind: referendum, body: Electorate, threshold: majority_of_votes_cast, optional: true,
         consultative: true}
      - {key: assent, kind: assent, body: Head of State}
      - {key: instrument, kind: instrument, body: Ministry}
"""


def test_a_consultative_no_is_reported_and_never_a_rejection(initialised, tmp_path):
    # The shape of the Dutch 2016 referendum on an approval law already passed; the dates and counts are the test's.
    template = tmp_path / "consult.yaml"
    template.write_text(CONSULTING)
    ok("load", template)
    assert "consultative: true" in ok("export").stdout
    ok("treaty", "add", "t", "--title", "T", "--signed", "2014-06-27", "--party", "FRA", "--party", "NLD")
    ok("party", "edit", "t", "NLD", "--procedure", "TEST-CONSULT", "--reason", "the consultative referendum law")
    ok("vote", "t", "NLD", "lower", "--date", "2015-04-01", "--yes", "120", "--no", "25")
    ok("vote", "t", "NLD", "upper", "--date", "2015-07-01", "--yes", "55", "--no", "20")
    said_no = ok("vote", "t", "NLD", "referendum", "--date", "2016-04-01", "--yes", "1500", "--no", "2500")
    assert said_no.stdout == "t NLD: consultative referendum: no; upper house passed, assent pending (state approved)\n"
    row = as_json("status", "t", "--party", "NLD")[0]
    assert (row["state"], row["next_stage"]) == ("approved", "assent")
    past = as_json("status", "t", "--party", "NLD", "--as-of", "2016-05-01")[0]
    assert past["progress"] == "consultative referendum: no; upper house passed, assent pending"
    ok("advance", "t", "NLD", "assent", "--date", "2017-05-01")
    ok("advance", "t", "NLD", "instrument", "--date", "2017-06-01")
    assert as_json("status", "t", "--party", "NLD")[0]["state"] == "deposited"
    held = [(e["stage"], e["status"]) for e in as_json("history", "t", "NLD")]
    assert ("referendum", "failed") in held
    page = ok("report", "--as-of", "2016-05-01", "--format", "html").stdout
    assert "consultative referendum: no; upper house passed, assent pending" in page
    shown = ok("procedure", "show", "TEST-CONSULT", "--format", "json").stdout
    assert '"consultative": true' in shown
    _, fresh = reloaded(tmp_path)
    assert as_json("--db", fresh, "status", "t", "--as-of", "2016-05-01") == as_json(
        "status", "t", "--as-of", "2016-05-01"
    )


def test_a_step_accepted_out_of_order_once_does_not_need_the_flag_again(initialised):
    ok("treaty", "add", "t", "--title", "T", "--signed", "2020-01-01", "--party", "FRA", "--party", "DEU")
    refused = run("vote", "t", "FRA", "senat", "--date", "2020-03-01", "--yes", "200", "--no", "100")
    assert refused.exit_code == 1 and "before assemblee_nationale" in refused.stderr
    ok("vote", "t", "FRA", "senat", "--date", "2020-03-01", "--yes", "200", "--no", "100", "--allow-out-of-order")
    ok("advance", "t", "FRA", "promulgation", "--date", "2020-03-10")
    ok("vote", "t", "FRA", "assemblee_nationale", "--date", "2020-03-05", "--yes", "300", "--no", "100")
    ok("advance", "t", "FRA", "ratification", "--date", "2020-03-20")
    ok("advance", "t", "FRA", "instrument", "--date", "2020-04-01")
    marked = [e["out_of_order"] for e in as_json("history", "t", "FRA")]
    assert marked == [True, False, False, False, False]
    assert as_json("status", "t", "--party", "FRA")[0]["state"] == "deposited"
    # Steps that disagree with the rest of the record, not with the accepted one, are still refused.
    early = run("advance", "t", "DEU", "instrument", "--date", "2019-12-01")
    assert early.exit_code == 1 and "is before DEU signed t on 2020-01-01" in early.stderr


def test_party_repeated_keeps_every_party_named(initialised):
    ok("treaty", "add", "m", "--title", "M", "--kind", "multilateral", "--signed", "2020-01-10")
    for state in ("FRA", "DEU", "TUR", "HUN"):
        ok("party", "add", "m", state, "--signed", "2020-01-10")
    for args in ((), ("--as-of", "2021-01-01"), ("--known-on", "2099-01-01")):
        rows = as_json("status", "m", "--party", "Turkey", "--party", "Hungary", *args)
        assert [r["party"] for r in rows] == ["HUN", "TUR"]
        pending = as_json("pending", "--party", "TUR", "--party", "FRA", *args)
        assert sorted(r["party"] for r in pending) == ["FRA", "TUR"]


def test_parties_named_at_adoption_sign_on_its_date_and_several_sign_together(initialised):
    ok("treaty", "add", "m", "--title", "M", "--kind", "multilateral", "--signed", "2013-04-02", "--party", "FRA",
       "--party", "DEU")  # fmt: skip
    assert {r["party"]: r["signed"] for r in as_json("status", "m")} == {"DEU": "2013-04-02", "FRA": "2013-04-02"}
    added = ok("party", "add", "m", "Mexico", "Japan", "--signed", "2013-06-03")
    assert added.stderr.splitlines() == [
        "Added MEX (Mexico) to m, procedure default.",
        "Added JPN (Japan) to m, procedure JPN.",
    ]
    assert as_json("status", "m", "--party", "MEX", "--party", "JPN", "--columns", "party,signed") == [
        {"party": "JPN", "signed": "2013-06-03"},
        {"party": "MEX", "signed": "2013-06-03"},
    ]
    # One refused, none added.
    refused = run("party", "add", "m", "Chile", "FRA", "--signed", "2013-06-03")
    assert refused.exit_code == 1 and "FRA is already a party to m" in refused.stderr
    assert "CHL" not in {r["party"] for r in as_json("status", "m")}
    ok("treaty", "add", "u", "--title", "U", "--kind", "multilateral", "--signed", "2013-04-02", "--party", "FRA",
       "--unsigned")  # fmt: skip
    assert as_json("status", "u")[0]["state"] == "not_signed"
    bilateral = run("treaty", "add", "b", "--title", "B", "--signed", "2013-04-02", "--party", "FRA", "--unsigned")
    assert bilateral.exit_code == 2 and "--unsigned is for a multilateral treaty" in bilateral.stderr


def test_a_second_round_votes_again_with_the_first_kept_and_shown(initialised, tmp_path):
    ok("treaty", "add", "t", "--title", "T", "--signed", "2020-01-01", "--party", "FRA", "--party", "DEU")
    ok("vote", "t", "FRA", "assemblee_nationale", "--date", "2020-02-01", "--yes", "300", "--no", "100")
    ok("vote", "t", "FRA", "senat", "--date", "2020-03-01", "--yes", "100", "--no", "200")
    assert as_json("status", "t", "--party", "FRA")[0]["state"] == "rejected"
    # Without a round the new lower-house vote follows the old upper house's, and is refused.
    refused = run("vote", "t", "FRA", "assemblee_nationale", "--date", "2020-06-01", "--yes", "310", "--no", "90")
    assert refused.exit_code == 1 and "--round N" in refused.stderr
    gap = run("vote", "t", "FRA", "assemblee_nationale", "--date", "2020-06-01", "--yes", "310", "--round", "3")
    assert gap.exit_code == 1 and "FRA has no round 2 recorded, so there is no round 3" in gap.stderr
    early = run("vote", "t", "FRA", "assemblee_nationale", "--date", "2020-01-15", "--yes", "310", "--round", "2")
    assert (
        early.exit_code == 1 and "round 2 cannot begin on 2020-01-15, before round 1 began (2020-02-01)" in early.stderr
    )
    second = ok("vote", "t", "FRA", "assemblee_nationale", "--date", "2020-06-01", "--yes", "310", "--no", "90",
                "--round", "2")  # fmt: skip
    assert second.stderr == "Recorded FRA assemblee_nationale (round 2) passed on 2020-06-01.\n"
    assert second.stdout == "t FRA: round 2; lower house passed, upper house pending (state in_legislature)\n"
    ok("vote", "t", "FRA", "senat", "--date", "2020-07-01", "--yes", "200", "--no", "100", "--round", "2")
    row = as_json("status", "t", "--party", "FRA")[0]
    assert (row["state"], row["progress"]) == ("approved", "round 2; upper house passed, assent pending")
    then = as_json("status", "t", "--party", "FRA", "--as-of", "2020-04-01")[0]
    assert (then["state"], then["progress"]) == ("rejected", "upper house failed")
    history = [(e["stage"], e["status"], e["round"]) for e in as_json("history", "t", "FRA")]
    assert history == [
        ("assemblee_nationale", "passed", None),
        ("senat", "failed", None),
        ("assemblee_nationale", "passed", 2),
        ("senat", "passed", 2),
    ]
    late = run("correct", "e4", "--round", "1", "--reason", "recorded in the wrong round")
    assert late.exit_code == 1 and "round 2 began on 2020-06-01, so a step of round 1 cannot come on 2020-07-01" in (
        late.stderr
    )
    ok("correct", "e3", "--date", "2020-05-01", "--reason", "the vote was in May")
    ok("correct", "e3", "--date", "2020-06-01", "--reason", "June after all")
    assert "FRA: Assemblée nationale, passed on 2020-06-01 (round 2, 310-90)" in ok("report", "--format", "html").stdout
    assert "round 2; upper house passed, assent pending" in web_page(initialised, "/treaties/t")
    ok("retract", "e1", "--reason", "entered twice")
    lone = run("retract", "e2", "--reason", "mistake")  # the last step of round 1
    assert lone.exit_code == 1 and "FRA would keep a round 2 with no round 1 before it" in lone.stderr
    exported, fresh = reloaded(tmp_path)
    assert "round: 2" in exported
    assert as_json("--db", fresh, "status", "t") == as_json("status", "t")
    assert [v["date"] for v in as_json("history", "t", "FRA", "--all") if v["id"] == "e3"] == [
        "2020-06-01",
        "2020-05-01",
        "2020-06-01",
    ]


def test_a_step_one_party_takes_is_added_to_its_procedure_alone(initialised, tmp_path):
    ok("treaty", "add", "t", "--title", "T", "--kind", "multilateral", "--signed", "2022-07-05", "--party", "TUR",
       "--party", "HUN")  # fmt: skip
    ok("vote", "t", "TUR", "grand_national_assembly", "--date", "2024-01-23", "--yes", "287", "--no", "55")
    missing = run("advance", "t", "TUR", "speaker_signature", "--date", "2024-01-24")
    assert missing.exit_code == 1 and "TUR has no stage 'speaker_signature'" in missing.stderr
    added = ok("party", "add-step", "t", "TUR", "speaker_signature", "--kind", "assent", "--body",
               "Speaker of the Grand National Assembly", "--after", "grand_national_assembly", "--reason",
               "the Speaker signs the approval law")  # fmt: skip
    assert added.stderr == (
        "Added speaker_signature to TUR's procedure in t: TUR-t (committee > grand_national_assembly > "
        "speaker_signature > promulgation > ratification > instrument).\n"
    )
    ok("advance", "t", "TUR", "speaker_signature", "--date", "2024-01-24")
    row = as_json("status", "t", "--party", "TUR")[0]
    assert row["progress"] == "assent passed, assent pending"
    assert "speaker_signature" not in ok("procedure", "show", "TUR").stdout
    assert as_json("status", "t", "--party", "HUN")[0]["progress"] == "signed, legislature pending"
    again = run("party", "add-step", "t", "TUR", "speaker_signature", "--kind", "assent", "--body", "Speaker",
                "--after", "promulgation", "--reason", "twice")  # fmt: skip
    assert again.exit_code == 1 and "TUR-t already has a stage 'speaker_signature'" in again.stderr
    nowhere = run("party", "add-step", "t", "HUN", "x", "--kind", "decree", "--body", "B", "--reason", "r")
    assert nowhere.exit_code == 1 and "give --after STAGE or --before STAGE" in nowhere.stderr
    versions = [v for v in as_json("history", "t", "TUR", "--all") if v["kind"] == "party"]
    assert [v["action"] for v in versions] == ["corrected"]  # the earlier version, on the template TUR
    _, fresh = reloaded(tmp_path)
    assert as_json("--db", fresh, "status", "t") == as_json("status", "t")


def test_a_court_ruling_is_recorded_with_its_source_and_shown_beside_the_procedure(initialised, tmp_path):
    # The shape of South Africa's 2016-2017 notice, the High Court's ruling and the revocation; dates are the test's.
    ok("treaty", "add", "rome", "--title", "Rome Statute", "--kind", "multilateral", "--signed", "1998-07-17")
    ok("party", "add", "rome", "ZAF", "--signed", "1998-07-17")
    ok("advance", "rome", "ZAF", "instrument", "--date", "2000-11-27")
    ok("act", "rome", "ZAF", "withdrawal", "--date", "2016-10-19")
    holding = "the notice of withdrawal, given without Parliament's prior approval, is unconstitutional and invalid"
    case = "Democratic Alliance v Minister of International Relations and Cooperation 2017 (3) SA 212 (GP)"
    ruled = ok("act", "rome", "ZAF", "court_ruling", "--date", "2017-02-20", "--text", holding, "--source", case)
    # A ruling changes nothing by itself: until the notice is revoked it takes effect.
    assert ruled.stdout == "rome ZAF: withdrawn since 2017-10-19 (state withdrawn)\n"
    ok("act", "rome", "ZAF", "withdrawal_revoked", "--date", "2017-03-07", "--note", "after the High Court's ruling")
    row = as_json("status", "rome")[0]
    assert (row["state"], row["ended"], row["notice_revoked_on"]) == ("deposited", None, "2017-03-07")
    rows = [
        (e["kind"], e["date"], e["text"], e["source"]) for e in as_json("history", "rome", "ZAF") if e["id"][0] == "a"
    ]
    assert rows[1] == ("court_ruling", "2017-02-20", holding, case)
    notes = as_json("treaty", "chart", "rome")[0]["notes"]
    assert f"court ruling 2017-02-20: {holding}" in notes and "notice of withdrawal revoked 2017-03-07" in notes
    assert "ZAF: court ruling, act on 2017-02-20" in ok("report", "--format", "html").stdout
    assert "court ruling" in web_page(initialised, "/treaties/rome")
    _, fresh = reloaded(tmp_path)
    assert as_json("--db", fresh, "history", "rome") == as_json("history", "rome")


def test_the_end_of_a_treaty_ends_the_consent_of_its_parties_only(initialised):
    ok("treaty", "add", "m", "--title", "M", "--kind", "multilateral", "--signed", "2020-01-10")
    ok("treaty", "rule", "m", "--kind", "count", "--parties", "1")
    ok("party", "add", "m", "FRA", "DEU", "--signed", "2020-01-10")
    ok("advance", "m", "FRA", "instrument", "--date", "2020-03-01")
    ok("treaty", "terminate", "m", "--date", "2022-01-01")
    rows = {r["party"]: (r["state"], r["bound"], r["ended"], r["ended_on"]) for r in as_json("status", "m")}
    assert rows == {"FRA": ("terminated", False, "termination", "2022-01-01"), "DEU": ("terminated", False, None, None)}


def test_an_accession_protocols_candidate_joins_the_parent_and_its_membership_shows_on_the_protocol(
    initialised, tmp_path
):
    # The shape of the 2022 protocols on Finland's and Sweden's accession; dates are the test's own.
    ok("treaty", "add", "alliance", "--title", "A", "--kind", "multilateral", "--signed", "1949-04-04", "--party",
       "FRA", "--party", "DEU")  # fmt: skip
    for state in ("FRA", "DEU"):
        ok("advance", "alliance", state, "instrument", "--date", "1950-01-01")
    ok("treaty", "add", "alliance-fin", "--title", "P", "--kind", "multilateral", "--signed", "2022-07-05",
       "--protocol-to", "alliance", "--party", "FRA", "--party", "DEU")  # fmt: skip
    signed = run("party", "add", "alliance-fin", "FIN", "--candidate", "--signed", "2022-07-05")
    assert signed.exit_code == 1 and "FIN is the candidate of alliance-fin and does not sign it" in signed.stderr
    lone = run("party", "add", "alliance", "FIN", "--candidate")
    assert lone.exit_code == 1 and "alliance is not a protocol to a treaty, so it admits no candidate" in lone.stderr
    ok("party", "add", "alliance-fin", "FIN", "--candidate")
    step = run("advance", "alliance-fin", "FIN", "instrument", "--date", "2023-01-01")
    assert step.exit_code == 1 and "FIN is the candidate of alliance-fin: it takes no step" in step.stderr
    ok("act", "alliance-fin", "FIN", "dated_event", "--date", "2022-05-18", "--text", "application for membership")
    row = as_json("status", "alliance-fin", "--party", "FIN")[0]
    assert (row["state"], row["progress"]) == ("candidate", "candidate: its accession to the parent treaty pending")
    assert "FIN" not in {r["party"] for r in as_json("pending")}
    for state in ("FRA", "DEU"):
        ok("advance", "alliance-fin", state, "instrument", "--date", "2023-03-01", "--consent", "acceptance")
    ok("party", "add", "alliance", "FIN")
    ok("advance", "alliance", "FIN", "instrument", "--consent", "accession", "--date", "2023-04-04")
    joined = "candidate: member of the parent treaty since 2023-04-04"
    row = as_json("status", "alliance-fin", "--party", "FIN")[0]
    assert (row["progress"], row["member_since"], row["bound"]) == (joined, "2023-04-04", False)
    assert as_json("status", "alliance-fin", "--party", "FIN", "--as-of", "2023-04-01")[0]["progress"] == (
        "candidate: its accession to the parent treaty pending"
    )
    assert as_json("status", "alliance-fin", "--party", "FIN", "--known-on", "2099-01-01")[0]["progress"] == joined
    assert joined in web_page(initialised, "/treaties/alliance-fin")
    assert joined in ok("report", "--format", "html").stdout
    exported, fresh = reloaded(tmp_path)
    assert "candidate: true" in exported
    assert as_json("--db", fresh, "status", "alliance-fin") == as_json("status", "alliance-fin")


def test_a_pass_entered_after_a_later_failure_is_refused_as_well(initialised):
    ok("treaty", "add", "t", "--title", "T", "--signed", "2020-01-01", "--party", "FRA", "--party", "PRK")
    ok("advance", "t", "PRK", "decree", "--date", "2020-03-01", "--status", "failed")
    refused = run("advance", "t", "PRK", "decree", "--date", "2020-02-01")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: status: decree already failed on 2020-03-01 for PRK, so a passed entry")
    ok("advance", "t", "PRK", "decree", "--date", "2020-04-01")  # after the failure: what overcame it


def test_a_template_in_use_gains_the_step_its_sources_name_and_keeps_its_records(initialised, tmp_path):
    # The template as an earlier release stored it, without the Speaker's signature.
    old = tmp_path / "hun-old.yaml"
    text = (FIXTURES / "procedures" / "HUN.yaml").read_text()
    start, end = text.index("      - key: speaker_signature"), text.index("      - key: president")
    old.write_text(text[:start] + text[end:])
    ok("load", old, "--update")
    assert "speaker_signature" not in ok("procedure", "show", "HUN").stdout
    ok("treaty", "add", "t", "--title", "T", "--signed", "2020-01-01", "--party", "HUN", "--party", "FRA")
    ok("vote", "t", "HUN", "national_assembly", "--date", "2020-02-01", "--yes", "150", "--no", "20")
    ok("advance", "t", "HUN", "president", "--date", "2020-02-10")
    before = as_json("history", "t", "HUN")
    assert ok("init").stderr.endswith("; procedures: 13 unchanged, 1 updated.\n")
    assert [s["key"] for s in as_json("procedure", "show", "HUN")] == [
        "committee",
        "national_assembly",
        "speaker_signature",
        "president",
        "instrument",
    ]
    assert as_json("history", "t", "HUN") == before
    ok("advance", "t", "HUN", "speaker_signature", "--date", "2020-02-05")
    ok("advance", "t", "HUN", "instrument", "--date", "2020-03-01")
    assert as_json("status", "t", "--party", "HUN")[0]["state"] == "deposited"


def test_an_events_csv_records_a_second_round(initialised, tmp_path):
    ok("treaty", "add", "t", "--title", "T", "--signed", "2020-01-01", "--party", "FRA", "--party", "DEU")
    events = tmp_path / "events.csv"
    events.write_text(
        "treaty,party,stage,status,date,round,yes,no\n"
        "t,FRA,assemblee_nationale,passed,2020-02-01,,300,100\n"
        "t,FRA,senat,failed,2020-03-01,,100,200\n"
        "t,FRA,assemblee_nationale,passed,2020-06-01,2,310,90\n"
    )
    ok("load", events)
    history = [(e["stage"], e["status"], e["round"]) for e in as_json("history", "t", "FRA")]
    assert history == [("assemblee_nationale", "passed", None), ("senat", "failed", None),
                       ("assemblee_nationale", "passed", 2)]  # fmt: skip
    assert as_json("status", "t", "--party", "FRA")[0]["progress"] == "round 2; lower house passed, upper house pending"
    events.write_text("treaty,party,stage,status,date,round\nt,FRA,senat,passed,2020-07-01,1\n")
    refused = run("load", events)
    assert refused.exit_code == 1 and "round: " in refused.stderr and "row 2" in refused.stderr


def test_the_help_of_load_names_every_column_an_events_csv_takes():
    from ratify.exchange.csv_events import EVENT_CSV_COLUMNS

    text = " ".join(ok("load", "--help").stdout.split())
    listed = text.split("with the columns ", 1)[1].split(".", 1)[0]
    assert tuple(listed.split(", ")) == EVENT_CSV_COLUMNS


def test_the_events_csv_example_in_the_fixture_docs_loads_as_written(initialised, tmp_path):
    text = (FIXTURES.parent / "docs" / "fixtures.md").read_text()
    example = text.split("## Events from a spreadsheet (CSV)", 1)[1].split("```\n", 2)[1]
    events = tmp_path / "events.csv"
    events.write_text(example)
    ok("treaty", "add", "rus-prk-2024", "--title", "T", "--signed", "2024-06-19", "--party", "RUS", "--party", "PRK")
    ok("load", events)
    (vote,) = as_json("history", "rus-prk-2024")
    assert (vote["party"], vote["stage"], vote["date"], vote["yes"], vote["no"]) == ("RUS", "duma", "2024-10-24", 397, 0)
