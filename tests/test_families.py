"""Treaty families: a protocol, amendment or extension is a treaty of its own, linked both ways.

The real case: New START (2010, in force 2011-02-05) and the agreement of 2021
that extended it (fixtures/treaties/new-start-2010.yaml names every source).
"""

from __future__ import annotations

import json

from tests.conftest import FIXTURES, as_json, ok, reloaded, run

NEW_START = FIXTURES / "treaties" / "new-start-2010.yaml"


def test_an_extension_is_linked_both_ways_and_leaves_the_original_alone(initialised):
    ok("load", NEW_START)
    original = ok("treaty", "show", "new-start-2010").stdout
    assert "  extended by: new-start-extension-2021\n" in original
    assert "in force since 2011-02-05" in original
    extension = ok("treaty", "show", "new-start-extension-2021").stdout
    assert "  extension of: new-start-2010\n" in extension
    assert "met on 2021-02-03; in force since 2021-02-03" in extension
    listed = {row["treaty"]: row for row in as_json("treaty", "list")}
    assert (listed["new-start-extension-2021"]["relation"], listed["new-start-extension-2021"]["parent"]) == (
        "extension",
        "new-start-2010",
    )
    assert (listed["new-start-2010"]["relation"], listed["new-start-2010"]["parent"]) == (None, None)


def test_a_second_exchange_of_instruments_is_refused_with_the_way_forward(initialised):
    ok("load", NEW_START)
    before = ok("export", "--format", "json").stdout
    result = run("advance", "new-start-2010", "RUS", "instrument", "--date", "2021-02-03")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: date: RUS already exchanged its instrument for new-start-2010 on 2011-02-05 (an extension, "
        "amendment or protocol is a treaty of its own (ratify treaty add SLUG --extends new-start-2010); "
        "a wrong date is corrected with 'ratify correct')\n"
    )
    assert ok("export", "--format", "json").stdout == before
    in_force = {row["party"]: row["in_force_on"] for row in as_json("status", "new-start-2010")}
    assert in_force == {"RUS": "2011-02-05", "USA": "2011-02-05"}


def test_a_consent_taken_back_can_be_given_again(initialised):
    ok("treaty", "add", "t", "--title", "T", "--signed", "2020-01-10", "--party", "FRA", "--party", "DEU")
    ok("advance", "t", "FRA", "instrument", "--date", "2020-03-01")
    ok("act", "t", "FRA", "consent_withdrawn", "--date", "2020-06-01")
    ok("advance", "t", "FRA", "instrument", "--date", "2020-09-01")
    assert [e["date"] for e in as_json("history", "t") if e["stage"] == "instrument"] == ["2020-03-01", "2020-09-01"]


def test_a_link_names_one_recorded_parent(initialised):
    ok("treaty", "add", "base", "--title", "Base", "--signed", "2020-01-10", "--party", "FRA", "--party", "DEU")
    unknown = run("treaty", "add", "p1", "--title", "P", "--protocol-to", "nowhere", "--party", "FRA")
    assert unknown.exit_code == 1 and unknown.stderr.startswith("Error: treaty: no treaty 'nowhere'"), unknown.stderr
    both = run("treaty", "add", "p1", "--title", "P", "--protocol-to", "base", "--amends", "base")
    assert both.exit_code == 2 and "give one of --protocol-to, --amends, --extends" in both.stderr
    ok("treaty", "add", "p1", "--title", "Protocol", "--signed", "2021-01-10", "--protocol-to", "base")
    ok("treaty", "add", "a1", "--title", "Amendment", "--signed", "2022-01-10", "--amends", "base")
    shown = ok("treaty", "show", "base").stdout
    assert "  protocols: p1\n" in shown and "  amended by: a1\n" in shown
    assert [t["treaty"] for t in as_json("treaty", "list") if t["parent"] == "base"] == ["a1", "p1"]


def test_a_second_exchange_is_refused_in_a_fixture_and_in_an_events_csv(initialised, tmp_path):
    twice = tmp_path / "twice.json"
    parties = [
        {
            "state": "FRA",
            "events": [{"stage": "instrument", "status": "passed", "date": d} for d in ("2020-03-01", "2021-03-01")],
        },
        {"state": "DEU"},
    ]
    twice.write_text(
        json.dumps({"treaties": [{"slug": "t", "title": "T", "signed": "2020-01-10", "parties": parties}]})
    )
    refused = run("load", twice)
    assert refused.exit_code == 1 and "FRA already exchanged its instrument for t on " in refused.stderr
    assert as_json("treaty", "list") == []
    ok("load", NEW_START)
    rows = tmp_path / "events.csv"
    rows.write_text("treaty,party,stage,status,date\nnew-start-2010,RUS,instrument,passed,2021-02-03\n")
    again = run("load", rows)
    assert again.exit_code == 1 and "RUS already exchanged its instrument for new-start-2010" in again.stderr


def test_an_export_lists_a_parent_before_what_links_to_it_so_it_loads_back(initialised, tmp_path):
    ok("treaty", "add", "zz-base", "--title", "Base", "--signed", "2020-01-10", "--party", "FRA", "--party", "DEU")
    ok("treaty", "add", "aa-protocol", "--title", "Protocol", "--signed", "2021-01-10", "--protocol-to", "zz-base")
    exported, fresh = reloaded(tmp_path)
    assert exported.index("slug: zz-base") < exported.index("slug: aa-protocol")
    assert ok("--db", fresh, "export").stdout == exported
