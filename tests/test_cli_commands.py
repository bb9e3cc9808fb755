"""Every command through the CLI, as a user would type it."""

from __future__ import annotations

import csv
import io
import json

import pytest

from ratify import __version__
from tests.conftest import as_json, ok, run

THREE_READINGS = """
procedures:
  - id: TEST-3R
    name: "A test chamber that votes in three readings"
    stages:
      - {key: chamber, kind: legislature, body: Test Chamber, seats: 100, threshold: majority_of_all_members, readings: 3}
      - {key: head, kind: assent, body: Head of State}
      - {key: instrument, kind: instrument, body: Foreign Ministry}
"""


@pytest.fixture
def multilateral(initialised):
    ok(
        "treaty",
        "add",
        "conv",
        "--title",
        "A convention",
        "--kind",
        "multilateral",
        "--signed",
        "2023-03-01",
        "--place",
        "Geneva",
        "--source",
        "https://example.org/conv",
    )
    ok("party", "add", "conv", "Germany", "--signed", "2023-03-01")
    ok("party", "add", "conv", "United States", "--signed", "2023-05-02")
    ok("party", "add", "conv", "EU", "--organisation", "European Union", "--signed", "2023-03-01")
    return initialised


def test_version():
    assert ok("--version").stdout == f"ratify, version {__version__}\n"


def test_default_database_lives_in_the_user_data_directory(isolated, monkeypatch, tmp_path):
    monkeypatch.delenv("RATIFY_DB")
    result = ok("init")
    expected = tmp_path / "data-home" / "ratify" / "ratify.db"
    assert expected.exists()
    assert str(expected) in result.stderr


def test_db_flag_beats_the_environment(isolated, tmp_path):
    other = tmp_path / "other.db"
    ok("--db", other, "init")
    assert other.exists() and not isolated.exists()


def test_treaty_list_and_show(multilateral):
    rows = as_json("treaty", "list")
    assert rows == [
        {
            "treaty": "conv",
            "kind": "multilateral",
            "signed": "2023-03-01",
            "place": "Geneva",
            "title": "A convention",
            "parties": 0,
            "rule_met_on": None,
            "in_force_on": None,
            "signatories": 3,
            "participants": 3,
            "relation": None,
            "parent": None,
        }
    ]
    shown = ok("treaty", "show", "conv", "--as-of", "2023-06-01").stdout.splitlines()
    assert shown[:6] == [
        "A convention",
        "  treaty:  conv",
        "  id:      t1",
        "  kind:    multilateral",
        "  signed:  2023-03-01",
        "  place:   Geneva",
    ]
    assert "  source:  https://example.org/conv" in shown
    assert [line.split()[:3] for line in shown[-3:]] == [
        ["conv", "DEU", "signed"],
        ["conv", "EU", "signed"],
        ["conv", "USA", "signed"],
    ]


def test_parties_use_their_country_template(multilateral):
    rows = {r["party"]: r for r in as_json("status", "conv")}
    assert (rows["DEU"]["next_stage"], rows["DEU"]["next_stage_body"]) == ("lower_house", "Bundestag")
    assert rows["USA"]["next_stage"] == "committee"
    assert rows["EU"]["party_name"] == "European Union"
    assert rows["EU"]["next_stage"] == "legislature"  # the generic default


def test_organisation_filter_and_party_filter(multilateral):
    assert [r["party"] for r in as_json("status", "--party", "eu")] == ["EU"]
    assert [r["party"] for r in as_json("status", "conv", "--party", "america")] == ["USA"]


def test_pending_filters_and_order(multilateral):
    ok("vote", "conv", "USA", "sfrc", "--date", "2023-09-01", "--yes", "15", "--no", "6")
    ok("vote", "conv", "DEU", "Bundestag", "--date", "2023-10-01", "--yes", "500", "--no", "100")
    rows = as_json("pending", "--as-of", "2023-12-31")
    assert [(r["party"], r["next_stage"], r["waiting_days"]) for r in rows] == [
        ("EU", "legislature", 305),
        ("USA", "legislature", 121),
        ("DEU", "upper_house", 91),
    ]
    assert [r["party"] for r in as_json("pending", "--as-of", "2023-12-31", "--limit", "1")] == ["EU"]
    assert [r["party"] for r in as_json("pending", "--as-of", "2023-12-31", "--stage", "upper_house")] == ["DEU"]
    assert [r["party"] for r in as_json("pending", "--as-of", "2023-12-31", "--older-than", "100")] == ["EU", "USA"]
    assert [r["party"] for r in as_json("pending", "--party", "Germany")] == ["DEU"]
    # Today (cached path) and a past date (derived path) agree on order.
    assert [r["party"] for r in as_json("pending")] == ["EU", "USA", "DEU"]


def test_readings_pass_the_stage_only_at_the_last(initialised, tmp_path):
    procedure = tmp_path / "three.yaml"
    procedure.write_text(THREE_READINGS)
    ok("load", procedure)
    ok("treaty", "add", "bi", "--title", "Bilateral", "--signed", "2022-01-10", "--party", "Chile")
    ok("party", "add", "bi", "Peru", "--procedure", "TEST-3R")
    first = ok("vote", "bi", "PER", "chamber", "--reading", "1", "--date", "2022-02-01", "--yes", "60", "--no", "20")
    assert first.stdout == "bi PER: signed, legislature pending (state signed)\n"
    ok("vote", "bi", "PER", "chamber", "--reading", "2", "--date", "2022-02-08", "--yes", "58", "--no", "22")
    third = ok("vote", "bi", "PER", "chamber", "--reading", "3", "--date", "2022-02-15", "--yes", "61", "--no", "19")
    assert third.stdout == "bi PER: legislature passed, assent pending (state approved)\n"
    failed = run("vote", "bi", "PER", "chamber", "--reading", "3", "--date", "2022-02-16", "--yes", "40", "--no", "50")
    # The stage is decided: a later failing vote is refused, not read as a rejection (issue 19).
    assert failed.exit_code == 1
    assert failed.stderr.startswith("Error: status: chamber already passed on 2022-02-15 for PER, so a failed entry")
    assert [r["status"] for r in as_json("history", "bi", "Peru")] == ["passed", "passed", "passed"]


def test_scheduled_and_skipped(multilateral):
    scheduled = ok("advance", "conv", "DEU", "bundestag", "--status", "scheduled", "--date", "2099-01-15")
    assert scheduled.stdout == "conv DEU: signed, lower house scheduled 2099-01-15 (state signed)\n"
    skipped = ok(
        "advance",
        "conv",
        "USA",
        "sfrc",
        "--status",
        "skipped",
        "--date",
        "2023-06-01",
        "--note",
        "committee discharged",
    )
    assert skipped.stdout == "conv USA: signed, legislature pending (state signed)\n"


def test_procedure_list_and_show(initialised):
    listed = {r["id"]: r for r in as_json("procedure", "list")}
    assert set(listed) >= {
        "RUS",
        "PRK",
        "KOR",
        "USA",
        "GBR",
        "FRA",
        "DEU",
        "JPN",
        "CHN",
        "IND",
        "TUR",
        "HUN",
        "default",
    }
    assert listed["RUS"]["stages"] == "duma_committee > duma > federation_council > president > instrument"
    shown = as_json("procedure", "show", "Russia")
    assert [(s["key"], s["kind"], s["threshold"]) for s in shown][1] == (
        "duma",
        "lower_house",
        "majority_of_all_members",
    )
    text = ok("procedure", "show", "DPRK").stdout
    assert text.startswith("PRK: ")
    unknown = run("procedure", "show", "Narnia")
    assert unknown.exit_code == 1 and "'Narnia' is not a known country" in unknown.stderr
    assert as_json("procedure", "show", "Chile")[0]["key"] == "legislature"  # no template: the default


@pytest.mark.parametrize("fmt", ["github", "grid", "pipe", "rst", "html", "latex", "plain", "tsv"])
def test_every_tabulate_format(loaded, fmt):
    assert "rus-prk-2024" in ok("status", "--format", fmt).stdout


def test_csv_and_ndjson_carry_every_field(loaded):
    rows = list(csv.DictReader(io.StringIO(ok("status", "--format", "csv").stdout)))
    lines = [json.loads(line) for line in ok("status", "--format", "ndjson").stdout.splitlines()]
    assert [r["party"] for r in rows] == [r["party"] for r in lines] == ["PRK", "RUS"]
    assert set(rows[0]) == set(lines[0]) == set(as_json("status")[0])


def test_status_limit(loaded):
    assert len(as_json("status", "--limit", "1")) == 1
