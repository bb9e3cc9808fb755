"""A rule whose group is every party of the parent treaty on a date (an accession protocol).

The data here is invented for the test (a parent treaty "Base Treaty" and a
protocol to it): who the parent's parties were, who joined it after the
protocol's date and who had left it, so each of them is tested on its own.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import FIXTURES, as_json, ok, run

AS_OF = "2022-07-05"


def _instrument(day: str, consent: str = "ratification") -> dict:
    return {"stage": "instrument", "status": "passed", "date": day, "consent": consent}


def _parent() -> dict:
    """In force on the first instrument; FRA and DEU founders, ITA acceded, GRC acceded after AS_OF, ISL left."""
    return {
        "slug": "base",
        "title": "Base Treaty",
        "kind": "multilateral",
        "signed": "1949-04-04",
        "rule": {"kind": "count", "parties": 1},
        "parties": [
            {"state": "FRA", "signed": "1949-04-04", "events": [_instrument("1949-06-01")]},
            {"state": "DEU", "signed": "1949-04-04", "events": [_instrument("1949-07-01")]},
            {"state": "ITA", "events": [_instrument("1955-05-05", "accession")]},
            {"state": "GRC", "events": [_instrument("2023-01-10", "accession")]},
            {
                "state": "ISL",
                "events": [_instrument("1960-01-01", "accession")],
                "acts": [{"kind": "withdrawal", "date": "2020-01-01", "effective": "2021-01-01"}],
            },
        ],
    }


def _protocol(deposits: dict[str, str], rule: dict | None = None) -> dict:
    return {
        "slug": "proto",
        "title": "Protocol on the accession of Finland",
        "kind": "multilateral",
        "relation": "protocol",
        "parent": "base",
        "signed": AS_OF,
        "rule": rule or _drawn(),
        "parties": [
            {
                "state": state,
                "signed": AS_OF,
                "events": [_instrument(deposits[state], "acceptance")] if state in deposits else [],
            }
            for state in ("DEU", "FRA", "ITA", "GRC", "ISL")
        ],
    }


def _drawn(as_of: str = AS_OF) -> dict:
    return {"kind": "all_of", "group": "allies", "groups": {"allies": {"parties_of_parent": {"as_of": as_of}}}}


def _load(tmp_path: Path, *treaties: dict) -> None:
    path = tmp_path / f"treaties-{len(list(tmp_path.glob('treaties-*')))}.json"
    path.write_text(json.dumps({"treaties": list(treaties)}))
    ok("load", path)


def _in_force(slug: str) -> str | None:
    [row] = [t for t in as_json("treaty", "list") if t["treaty"] == slug]
    return row["in_force_on"]


def test_the_protocol_enters_into_force_when_every_party_of_the_parent_on_the_date_has_accepted(initialised, tmp_path):
    deposits = {"FRA": "2022-08-01", "DEU": "2022-09-01"}
    _load(tmp_path, _parent(), _protocol(deposits))
    shown = ok("treaty", "show", "proto").stdout
    assert (
        "  rule:    in force on the day of the instruments of every party of the Base Treaty as of 2022-07-05 (3)\n"
    ) in shown
    # GRC joined the parent after the date and ISL had left it: only ITA is lacking.
    assert (
        "  status:  not met as of " in shown
        and ": needs 1 more of the 3 parties of the Base Treaty as of 2022-07-05: ITA\n" in shown
    ), shown
    assert _in_force("proto") is None
    ok("advance", "proto", "ITA", "instrument", "--date", "2023-03-30", "--consent", "acceptance")
    assert _in_force("proto") == "2023-03-30"
    assert "met on 2023-03-30; in force since 2023-03-30" in ok("treaty", "show", "proto").stdout
    in_force = {row["party"]: row["in_force_on"] for row in as_json("status", "proto")}
    assert in_force == {"DEU": "2023-03-30", "FRA": "2023-03-30", "GRC": None, "ISL": None, "ITA": "2023-03-30"}
    # The same answer as of a past date, folded again from the events.
    past = {row["party"]: row["state"] for row in as_json("status", "proto", "--as-of", "2023-03-29")}
    assert past["ITA"] == "signed" and past["FRA"] == "deposited"


def test_a_later_member_of_the_parent_is_required_by_a_later_date(initialised, tmp_path):
    # Drawn on 2023-02-01, the group holds GRC (acceded 2023-01-10): the protocol waits for it.
    deposits = {"FRA": "2023-02-02", "DEU": "2023-02-02", "ITA": "2023-02-02"}
    _load(tmp_path, _parent(), _protocol(deposits, _drawn("2023-02-01")))
    assert (
        "needs 1 more of the 4 parties of the Base Treaty as of 2023-02-01: GRC" in ok("treaty", "show", "proto").stdout
    )
    assert _in_force("proto") is None


def test_a_withdrawal_not_yet_in_effect_on_the_date_leaves_the_party_required(initialised, tmp_path):
    parent = _parent()
    parent["parties"][4]["acts"][0]["effective"] = "2023-01-01"  # ISL still bound on 2022-07-05
    _load(tmp_path, parent, _protocol({"FRA": "2022-08-01", "DEU": "2022-08-01", "ITA": "2022-08-01"}))
    assert (
        "needs 1 more of the 4 parties of the Base Treaty as of 2022-07-05: ISL" in ok("treaty", "show", "proto").stdout
    )


def test_the_protocol_follows_a_change_in_the_parent_record(initialised, tmp_path):
    # The parent's parties are recorded after the protocol: the protocol's status follows them.
    parent = _parent()
    parent["parties"] = parent["parties"][:2]
    _load(tmp_path, parent, _protocol({"FRA": "2022-08-01", "DEU": "2022-09-01", "ITA": "2022-10-01"}))
    assert _in_force("proto") == "2022-09-01"
    ok("party", "add", "base", "ITA")
    ok("advance", "base", "ITA", "instrument", "--date", "1955-05-05", "--consent", "accession")
    assert _in_force("proto") == "2022-10-01"


def test_the_rule_from_the_command_line_and_in_words(initialised, tmp_path):
    _load(tmp_path, _parent())
    ok("treaty", "add", "proto", "--kind", "multilateral", "--title", "P", "--signed", AS_OF, "--protocol-to", "base")
    result = ok("treaty", "rule", "proto", "--parties-of-parent-as-of", AS_OF)
    assert result.stdout.splitlines()[0] == (
        "in force on the day of the instruments of every party of the Base Treaty as of 2022-07-05 (3)"
    )
    [stored] = [t for t in json.loads(ok("export", "--format", "json").stdout)["treaties"] if t["slug"] == "proto"]
    # The group is stored as drawn, not as the members it resolved to.
    assert stored["rule"]["groups"] == {"parent_parties": {"parties_of_parent": {"as_of": AS_OF}}}, stored["rule"]
    refused = run("treaty", "rule", "proto", "--kind", "count", "--parties", "2", "--parties-of-parent-as-of", AS_OF)
    assert refused.exit_code == 2 and "--kind all_of takes --parties-of-parent-as-of DATE" in refused.stderr


def test_a_treaty_without_a_parent_is_refused_in_one_line(initialised, tmp_path):
    ok("treaty", "add", "lone", "--kind", "multilateral", "--title", "Lone", "--signed", AS_OF, "--party", "FRA")
    before = ok("export", "--format", "json").stdout
    refused = run("treaty", "rule", "lone", "--parties-of-parent-as-of", AS_OF)
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: rule.groups: parties_of_parent needs a parent treaty, and lone has none (record it as a protocol "
        "first (ratify treaty add lone --protocol-to PARENT), or list the group's members)\n"
    )
    assert ok("export", "--format", "json").stdout == before
    orphan = _protocol({})
    del orphan["relation"], orphan["parent"]
    path = tmp_path / "orphan.json"
    path.write_text(json.dumps({"treaties": [orphan]}))
    result = run("load", path)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {path}: treaties[0].rule: rule.groups: parties_of_parent needs a parent treaty, and proto has none"
    ), result.stderr


def test_a_drawn_group_lists_no_members_and_takes_no_label(initialised, tmp_path):
    _load(tmp_path, _parent())
    for group, message in (
        ({"parties_of_parent": {"as_of": AS_OF}, "members": ["FRA"]}, "lists `members` or draws them"),
        ({"parties_of_parent": {"as_of": AS_OF}, "label": "allies"}, "drop `label`"),
        ({"label": "allies"}, "needs `members` (the states) or `parties_of_parent: {as_of: DATE}`"),
    ):
        rule = {"kind": "all_of", "group": "g", "groups": {"g": group}}
        path = tmp_path / "rule.json"
        path.write_text(json.dumps(rule))
        result = run("treaty", "rule", "base", "--from-file", path)
        assert result.exit_code == 1 and message in result.stderr, result.stderr


def test_a_drawn_group_composes_with_any_of_and_including(initialised, tmp_path):
    # (1) every party of the parent on AS_OF, or (2) 4 instruments including 2 of those parties.
    groups = {"allies": {"parties_of_parent": {"as_of": AS_OF}}}
    rule = {
        "kind": "any_of",
        "alternatives": [
            _drawn(),
            {"kind": "count", "parties": 4, "including": {"group": "allies", "at_least": 2}, "groups": groups},
        ],
    }
    deposits = {"FRA": "2022-08-01", "GRC": "2022-09-01", "ISL": "2022-10-01", "DEU": "2022-11-01"}
    _load(tmp_path, _parent(), _protocol(deposits, rule))
    shown = ok("treaty", "show", "proto").stdout
    assert (
        "  rule:    in force on the earliest of: (1) on the day of the instruments of every party of the Base "
        "Treaty as of 2022-07-05 (3); or (2) on the day of the 4th instrument, including 2 parties of the Base "
        "Treaty as of 2022-07-05\n"
    ) in shown, shown
    # The fourth instrument (DEU's) is the second from the parent's parties on AS_OF: GRC and ISL are not.
    assert "met on 2022-11-01; in force since 2022-11-01" in shown
    assert as_json("status", "proto", "--as-of", "2022-10-31")[0]["treaty_in_force_on"] is None


def test_the_report_and_the_record_as_known_then_draw_the_same_group(initialised, tmp_path):
    _load(tmp_path, _parent(), _protocol({"FRA": "2022-08-01", "DEU": "2022-09-01", "ITA": "2023-03-30"}))
    [summary] = as_json("report", "proto")["treaties"]
    assert summary["summary"] == "in force since 2023-03-30", summary
    assert summary["rule"] == (
        "in force on the day of the instruments of every party of the Base Treaty as of 2022-07-05 (3)"
    )
    known = {row["party"]: row["in_force_on"] for row in as_json("status", "proto", "--known-on", "2100-01-01")}
    assert known["ITA"] == "2023-03-30" and known["GRC"] is None
    shown = ok("treaty", "show", "proto", "--known-on", "2100-01-01").stdout
    assert "every party of the Base Treaty as of 2022-07-05 (3)" in shown


ROMANIA = FIXTURES / "treaties" / "nato-1949-romania-protocol-2003.yaml"


def test_the_romania_protocol_enters_into_force_on_the_published_date(initialised):
    # The real record: the 19 parties of the North Atlantic Treaty on 2003-03-26 (eleven founders known to the
    # year only) and their notifications of acceptance (Trb. 2004, 107; Verdragenbank 010618). Published entry
    # into force: 2004-02-27 (wetten.overheid.nl BWBV0001632), the day of the last two notifications, TUR and USA.
    ok("load", ROMANIA)
    shown = ok("treaty", "show", "north-atlantic-treaty-romania-2003").stdout
    assert (
        "  rule:    in force on the day of the instruments of every party of the North Atlantic Treaty as of "
        "2003-03-26 (19)\n"
    ) in shown, shown
    assert "  status:  met on 2004-02-27; in force since 2004-02-27, as published\n" in shown, shown
    assert "  effect:  19 published date(s) of effect, all as computed\n" in shown, shown
    assert _in_force("north-atlantic-treaty-romania-2003") == "2004-02-27"
    status = as_json("status", "north-atlantic-treaty-romania-2003")
    assert {row["in_force_on"] for row in status} == {"2004-02-27"} and len(status) == 19
    # The day before, the last two notifications are lacking.
    before = ok("treaty", "show", "north-atlantic-treaty-romania-2003", "--as-of", "2004-02-26").stdout
    assert ": needs 2 more of the 19 parties of the North Atlantic Treaty as of 2003-03-26: TUR, USA\n" in before, (
        before
    )
