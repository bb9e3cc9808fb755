"""Corrections keep history: correct, retract, edits, removals, --known-on, and export of every version."""

from __future__ import annotations

import pytest

from tests.conftest import as_json, ok, run


@pytest.fixture
def recorded(initialised, clock):
    ok("treaty", "add", "t", "--title", "T", "--signed", "2024-06-19", "--party", "RUS", "--party", "PRK")
    ok("vote", "t", "RUS", "duma", "--date", "2024-10-24", "--yes", "397", "--no", "0")
    ok("vote", "t", "RUS", "federation_council", "--date", "2024-11-06", "--unanimous", "--result", "passed")
    return clock


def ids(slug: str = "t") -> dict[str, str]:
    return {row["stage"]: row["id"] for row in as_json("history", slug, "--format", "json")}


def test_history_shows_stable_ids(recorded):
    assert ids() == {"duma": "e1", "federation_council": "e2"}


def test_correct_records_a_new_version_and_keeps_the_old(recorded):
    recorded(1)
    result = ok("correct", "e1", "--yes", "396", "--reason", "tally from the Duma record")
    assert result.stderr == "Corrected e1 (version 2): RUS duma passed on 2024-10-24.\n"
    rows = [r for r in as_json("history", "t", "--all", "--format", "json") if r["id"] == "e1"]
    assert [(r["version"], r["yes"], r["action"], r["reason"]) for r in rows] == [
        (1, 397, "corrected", "tally from the Duma record"),
        (2, 396, None, None),
    ]
    assert ids() == {"duma": "e1", "federation_council": "e2"}
    changes = as_json("changes", "--since", "2026-01-01", "--format", "json")
    assert any(c["id"] == "e1" and c["reason"] == "tally from the Duma record" for c in changes)


def test_a_correction_is_checked_like_a_new_entry(recorded, initialised):
    before = ok("export").stdout
    result = run("correct", "e1", "--date", "2024-11-07", "--reason", "wrong day")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: date: federation_council already passed on 2024-11-06")
    result = run("correct", "e1", "--yes", "10", "--result", "passed", "--reason", "x")
    assert result.exit_code == 1 and "result: stated passed" in result.stderr
    assert (
        run("correct", "e1", "--reason", "x").stderr
        == "Error: e1: nothing to correct (give the options whose values change)\n"
    )
    assert ok("export").stdout == before


def test_retract_refuses_an_impossible_history_then_withdraws(recorded):
    refused = run("retract", "e1", "--reason", "wrong treaty")
    assert refused.exit_code == 1 and refused.stderr.startswith("Error: retracting e1 would break the record:")
    ok("retract", "e2", "--reason", "not yet voted")
    assert ids() == {"duma": "e1"}
    gone = run("correct", "e2", "--date", "2024-11-07", "--reason", "x")
    assert gone.exit_code == 1 and gone.stderr.startswith("Error: id: e2 was retracted on 2026-01-05 by")
    ok("vote", "t", "RUS", "federation_council", "--date", "2024-11-06", "--unanimous", "--result", "passed")
    assert ids()["federation_council"] == "e3", "an id is never reused"


def test_known_on_answers_as_the_database_stood(recorded):
    before = recorded(1)
    recorded(1)
    ok("retract", "e2", "--reason", "the upper house had not voted")
    then = as_json("status", "t", "--party", "RUS", "--known-on", before.isoformat(), "--format", "json")
    now = as_json("status", "t", "--party", "RUS", "--format", "json")
    assert then[0]["progress"] == "upper house passed, assent pending"
    assert now[0]["progress"] == "lower house passed, upper house pending"
    pending = as_json("pending", "--known-on", before.isoformat(), "--format", "json")
    assert {r["party"]: r["waiting_for"] for r in pending}["RUS"] == "assent"
    report = as_json("report", "t", "--known-on", before.isoformat(), "--format", "json")
    assert report["treaties"][0]["parties"][1]["progress"] == "upper house passed, assent pending"
    shown = ok("treaty", "show", "t", "--known-on", before.isoformat(), "--format", "json")
    assert shown.stdout == ok("status", "t", "--known-on", before.isoformat(), "--format", "json").stdout
    early = run("treaty", "show", "t", "--known-on", "2020-01-01")
    assert early.exit_code == 1 and "was not recorded yet" in early.stderr
    bad = run("status", "--known-on", "yesterday")
    assert bad.exit_code == 2 and "--known-on" in bad.stderr


def test_treaty_and_party_edits_are_versions(recorded):
    recorded(1)
    ok("treaty", "edit", "t", "--place", "Pyongyang", "--reason", "place per the published text")
    ok("party", "edit", "t", "PRK", "--procedure", "PRK-SPA", "--reason", "ratified by the Standing Committee")
    kinds = {(r["id"], r["version"], r["action"]) for r in as_json("history", "t", "--all", "--format", "json")}
    assert ("t1", 1, "corrected") in kinds and ("p2", 1, "corrected") in kinds
    assert run("party", "edit", "t", "PRK", "--signed", "2024-06-01", "--reason", "x").exit_code == 1


def test_remove_lists_first_and_needs_yes(recorded):
    listed = run("party", "remove", "t", "RUS", "--reason", "entered by mistake")
    assert listed.exit_code == 1
    assert listed.stdout == "Would remove RUS from t: 1 party, 2 events, 0 acts\n  e1 e2 p1\n"
    assert ids() == {"duma": "e1", "federation_council": "e2"}
    ok("party", "remove", "t", "RUS", "--reason", "entered by mistake", "--confirm")
    assert ids() == {}
    ok("treaty", "remove", "t", "--reason", "test treaty", "--yes")
    kept = as_json("history", "t", "--all", "--format", "json")
    assert {r["id"] for r in kept} == {"e1", "e2", "p1", "p2", "t1"}
    assert {r["action"] for r in kept} == {"removed"}


def test_export_carries_every_version_and_load_restores_it(recorded, tmp_path):
    recorded(1)
    ok("correct", "e1", "--yes", "396", "--reason", "tally")
    recorded(1)
    ok("retract", "e2", "--reason", "not yet")
    exported = tmp_path / "backup.yaml"
    ok("export", "--output", exported)
    fresh = tmp_path / "fresh.db"
    ok("--db", fresh, "init")
    ok("--db", fresh, "load", exported)
    assert ok("--db", fresh, "export").stdout == exported.read_text()
    assert ok("--db", fresh, "history", "t", "--all").stdout == ok("history", "t", "--all").stdout
    ok(
        "--db",
        fresh,
        "vote",
        "t",
        "RUS",
        "federation_council",
        "--date",
        "2024-11-06",
        "--unanimous",
        "--result",
        "passed",
    )
    assert ids_in(fresh)["federation_council"] == "e3"


def ids_in(db) -> dict[str, str]:
    return {row["stage"]: row["id"] for row in as_json("--db", db, "history", "t", "--format", "json")}


def test_load_update_keeps_the_replaced_version(loaded, tmp_path):
    # The tally, not a timestamp's microseconds that happen to read 397.
    exported = ok("export").stdout.replace("'yes': 397", "'yes': 396")
    assert exported != ok("export").stdout
    changed = tmp_path / "changed.yaml"
    changed.write_text(exported)
    assert run("load", changed).exit_code == 1
    ok("load", changed, "--update")
    kept = [r for r in as_json("history", "rus-prk-2024", "--all", "--format", "json") if r["action"]]
    assert [(r["yes"], r["reason"]) for r in kept] == [(397, f"updated from {changed}")]
