"""ratify import ukparliament: a treaty laid under CRaG into GBR's `laid` stage, its period's end kept in sync."""

from __future__ import annotations

import http.server
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import as_json, ok, run, served, snapshot
from parliament_responses import UK_TITLE, UK_TREATY_ID, dump, uk_item, uk_items, uk_treaty

SLUG = "gbr-testland-science-2026"
TODAY = date.today()
LAID = TODAY - timedelta(days=10)
ENDS = TODAY + timedelta(days=11)
EXTENDED = TODAY + timedelta(days=25)


@pytest.fixture
def treaty(initialised):
    signed = (TODAY - timedelta(days=60)).isoformat()
    ok("treaty", "add", SLUG, "--title", UK_TITLE, "--signed", signed, "--party", "GBR", "--party", "FRA")
    return initialised


def laid(*more: dict) -> dict:
    return uk_items(
        uk_item(1, LAID.isoformat(), "Laid before the House of Commons", "Commons"),
        uk_item(2, LAID.isoformat(), "Laid before the House of Lords", "Lords"),
        uk_item(3, ENDS.isoformat(), "Objection period A ends"),
        *more,
    )


def saved(tmp_path: Path, items: dict, treaty: dict | None = None) -> list[str]:
    (tmp_path / "treaty.json").write_text(dump(treaty or uk_treaty()))
    (tmp_path / "items.json").write_text(dump(items))
    return [str(tmp_path / "treaty.json"), "--items", str(tmp_path / "items.json")]


def steps() -> list[dict]:
    return as_json("history", SLUG, "GBR")


def test_a_treaty_under_scrutiny_reads_laid_until_the_end_and_upcoming_lists_the_end(treaty, tmp_path):
    result = ok("import", "ukparliament", *saved(tmp_path, laid()))
    assert result.stderr.endswith(f"{SLUG} (UK Parliament treaties API, treaty {UK_TREATY_ID}): GBR 1 new step.\n")
    [step] = steps()
    assert (step["stage"], step["status"], step["date"], step["until"]) == (
        "laid",
        "laid",
        LAID.isoformat(),
        ENDS.isoformat(),
    )
    assert step["source"] == (
        f"UK Parliament treaties API, treaty {UK_TREATY_ID} -- https://treaties.parliament.uk/treaty/{UK_TREATY_ID}"
    )
    assert step["note"] == (
        "Business in Parliament (UK Parliament treaties API):\n"
        f"{LAID} Laid before the House of Commons\n{LAID} Laid before the House of Lords\n"
        f"{ENDS} Objection period A ends"
    )
    [gbr] = [row for row in as_json("status", SLUG) if row["party"] == "GBR"]
    assert gbr["progress"] == f"signed, laid {LAID}, under scrutiny until {ENDS}"
    [upcoming] = [row for row in as_json("upcoming") if row["treaty"] == SLUG]
    assert upcoming == {
        "date": ENDS.isoformat(),
        "what": "scrutiny ends",
        "treaty": SLUG,
        "party": "GBR",
        "party_name": "United Kingdom",
        "stage": "scrutiny",
        "stage_body": "Parliament",
        "detail": f"laid {LAID}, scrutiny period ends",
    }
    assert "nothing changed" in ok("import", "ukparliament", *saved(tmp_path, laid())).stderr


def test_an_extension_corrects_the_end_and_keeps_the_old_one(treaty, tmp_path):
    ok("import", "ukparliament", *saved(tmp_path, laid()))
    extended = laid(
        uk_item(
            4, (TODAY - timedelta(days=2)).isoformat(), "Ministerial statement: objection period A extended", "Commons"
        ),
        uk_item(5, EXTENDED.isoformat(), "Extended objection period A ends"),
    )
    result = ok("import", "ukparliament", *saved(tmp_path, extended))
    assert "GBR 1 step corrected;" in result.stderr
    [step] = steps()
    assert step["until"] == EXTENDED.isoformat()
    assert "Ministerial statement: objection period A extended (House of Commons)" in step["note"]
    versions = as_json("history", SLUG, "GBR", "--all")
    assert sorted(v["until"] for v in versions) == [ENDS.isoformat(), EXTENDED.isoformat()]
    [gbr] = [row for row in as_json("status", SLUG) if row["party"] == "GBR"]
    assert gbr["progress"].endswith(f"under scrutiny until {EXTENDED}")


def test_the_conclusion_passes_the_stage_and_committee_reports_are_kept(treaty, tmp_path):
    report = "Reported for information by the International Agreements Committee (IAC)"
    concluded = laid(
        uk_item(4, (TODAY - timedelta(days=5)).isoformat(), report, "Lords"),
        uk_item(
            5,
            (TODAY - timedelta(days=1)).isoformat(),
            "Parliamentary scrutiny concluded, Government can ratify treaty",
            "Commons",
            "Lords",
        ),
    )
    result = ok("import", "ukparliament", *saved(tmp_path, concluded, uk_treaty(parliamentaryConclusion="CanRatify")))
    assert "GBR 2 new steps; 1 other entry is not a step of the GBR template." in result.stderr
    laying, outcome = steps()
    assert f"{report} (House of Lords)" in laying["note"]
    assert (outcome["status"], outcome["date"]) == ("passed", (TODAY - timedelta(days=1)).isoformat())
    [gbr] = [row for row in as_json("status", SLUG) if row["party"] == "GBR"]
    assert gbr["progress"] == "scrutiny passed, decree pending"


def test_a_laying_entered_by_hand_with_another_end_is_kept_and_reported(treaty, tmp_path):
    ok("advance", SLUG, "GBR", "laid", "--status", "laid", "--date", LAID.isoformat(), "--until", EXTENDED.isoformat())
    result = ok("import", "ukparliament", *saved(tmp_path, laid()), "--format", "json")
    [conflict] = [row for row in json.loads(result.stdout) if row["state"] == "GBR"]
    assert (conflict["what"], conflict["applied"], conflict["old"], conflict["new"]) == (
        "conflict",
        False,
        f"laid laid {LAID} until {EXTENDED}",
        f"laid laid {LAID} until {ENDS}",
    )
    assert [s["until"] for s in steps()] == [EXTENDED.isoformat()]


def test_period_b_is_listed_as_not_read(treaty, tmp_path):
    items = laid(uk_item(4, TODAY.isoformat(), "Period B starts"))
    result = ok("import", "ukparliament", *saved(tmp_path, items))
    assert "1 entry not read" in result.stderr
    assert f"{TODAY}: Period B starts" in result.stdout


@pytest.mark.parametrize(
    ("treaty_response", "items", "message"),
    [
        (uk_treaty(parliamentaryConclusion="Maybe"), uk_items(), "value.parliamentaryConclusion: 'Maybe' is not one"),
        (uk_treaty(name=None), uk_items(), "value.name: missing"),
        (uk_treaty(), {"items": [{"value": {"stepName": "Laid before the House of Commons"}}]}, "itemDate: missing"),
        (uk_treaty(), {"items": [{"value": {"itemDate": "soon", "stepName": "x"}}]}, "'soon' is not a date"),
        (uk_treaty(), {"totalResults": 0}, "no business items"),
        (uk_treaty(), {**laid(), "totalResults": 21}, "the response holds 3 of the treaty's 21 business items"),
    ],
)
def test_a_response_off_the_documented_shape_is_one_line_and_writes_nothing(
    treaty, tmp_path, treaty_response, items, message
):
    before = snapshot(treaty)
    result = run("import", "ukparliament", *saved(tmp_path, items, treaty_response))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert message in result.stderr
    assert snapshot(treaty) == before


class _Api(http.server.BaseHTTPRequestHandler):
    paths: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        self.paths.append(self.path)
        body = {f"/api/Treaty/{UK_TREATY_ID}": uk_treaty(), f"/api/Treaty/{UK_TREATY_ID}/BusinessItems": laid()}
        found = body.get(self.path)
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(found or {}).encode())

    def log_message(self, *args) -> None:
        pass


def test_a_treaty_id_is_fetched_from_the_api_once_per_response(treaty, monkeypatch):
    _Api.paths = []
    with served(_Api) as address:
        monkeypatch.setenv("RATIFY_UK_TREATIES_API", f"{address}/api")
        result = ok("import", "ukparliament", UK_TREATY_ID)
        missing = run("import", "ukparliament", "Zz9Zz9Zz")
    assert "GBR 1 new step" in result.stderr
    assert _Api.paths[:2] == [f"/api/Treaty/{UK_TREATY_ID}", f"/api/Treaty/{UK_TREATY_ID}/BusinessItems"]
    assert missing.exit_code == 1 and "the server answered 404 Not Found (check the reference)" in missing.stderr
