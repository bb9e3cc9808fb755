"""ratify import congress: the Senate's record of a treaty document into USA's steps, and again as corrections."""

from __future__ import annotations

import http.server
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import as_json, ok, run, served, snapshot
from hypothesis import given, settings
from hypothesis import strategies as st
from parliament_responses import NATO_TITLE, VOTE, congress_actions, congress_item, dump

SLUG = "nato-finland-sweden-2022"


@pytest.fixture
def nato(initialised):
    ok("treaty", "add", SLUG, "--title", NATO_TITLE, "--kind", "multilateral", "--signed", "2022-07-05")
    ok("party", "add", SLUG, "USA", "--signed", "2022-07-05")
    return initialised


def saved(tmp_path: Path, item: dict | None = None, actions: dict | None = None) -> list[str]:
    (tmp_path / "117-3.json").write_text(dump(item or congress_item()))
    (tmp_path / "117-3-actions.json").write_text(dump(actions or congress_actions()))
    return [str(tmp_path / "117-3.json"), "--actions", str(tmp_path / "117-3-actions.json")]


def steps() -> list[dict]:
    return as_json("history", SLUG, "USA")


def test_the_committee_report_and_the_vote_become_usa_steps_with_their_sources(nato, tmp_path):
    result = ok("import", "congress", *saved(tmp_path))
    assert result.stderr.endswith(
        f"{SLUG} (Congress.gov API, Treaty Doc. 117-3): USA 2 new steps; 1 note updated; "
        "1 other entry is not a step of the USA template.\n"
    )
    report, vote = steps()
    assert (report["stage"], report["status"], report["date"]) == ("sfrc", "passed", "2022-07-27")
    assert (vote["stage"], vote["date"], vote["yes"], vote["no"]) == ("senate", "2022-08-03", 95, 1)
    assert vote["source"] == (
        "Congress.gov API, Treaty Doc. 117-3, action of 2022-08-03, Record Vote Number 282 -- "
        "https://api.congress.gov/v3/treaty/117/3/actions"
    )
    assert vote["note"] == VOTE and vote["recorded_by"] == "tester"
    assert not vote["out_of_order"]
    [party] = as_json("status", SLUG)
    assert party["progress"] == "legislature passed, decree pending"
    note = _note()
    assert note.startswith("Senate resolution of advice and consent (Congress.gov API, Treaty Doc. 117-3):\n")
    assert "(1)Presidential Certification.-Prior to the deposit of the instrument of ratification" in note
    assert (
        "Congress.gov API, Treaty Doc. 117-3 -- https://api.congress.gov/v3/treaty/117/3"
        in ok("treaty", "show", SLUG).stdout
    )


def _note() -> str:
    exported = json.loads(ok("export", "--format", "json").stdout)
    [treaty] = [t for t in exported["treaties"] if t["slug"] == SLUG]
    [party] = [p for p in treaty["parties"] if p["state"] == "USA"]
    return party["note"]


def test_importing_the_same_record_again_changes_nothing(nato, tmp_path):
    ok("import", "congress", *saved(tmp_path))
    before = snapshot(nato)
    again = ok("import", "congress", *saved(tmp_path))
    assert "USA nothing changed" in again.stderr and again.stdout == ""
    assert snapshot(nato) == before


def test_a_later_record_corrects_the_imported_step_and_keeps_the_old_version(nato, tmp_path):
    ok("import", "congress", *saved(tmp_path))
    later = congress_actions(vote=VOTE.replace("95 - 1", "96 - 1"))
    result = ok("import", "congress", *saved(tmp_path, actions=later))
    assert "USA 1 step corrected;" in result.stderr
    vote = steps()[1]
    assert (vote["yes"], vote["no"]) == (96, 1)
    versions = [v for v in as_json("history", SLUG, "USA", "--all") if v["id"] == vote["id"]]
    assert sorted(v["yes"] for v in versions) == [95, 96]
    assert any(v["reason"] == "Congress.gov API, Treaty Doc. 117-3, as imported" for v in versions)


def test_a_step_entered_by_hand_is_never_changed_and_the_difference_is_reported(nato, tmp_path):
    ok("vote", SLUG, "USA", "sfrc", "--result", "passed", "--date", "2022-07-27")
    ok("vote", SLUG, "USA", "senate", "--yes", "94", "--no", "1", "--date", "2022-08-03", "--source", "my notes")
    result = ok("import", "congress", *saved(tmp_path), "--format", "json")
    rows = json.loads(result.stdout)
    conflict = [r for r in rows if r["what"] == "conflict"]
    assert conflict == [
        {
            "state": "USA",
            "what": "conflict",
            "old": "senate passed 2022-08-03 94-1",
            "new": "senate passed 2022-08-03 95-1",
            "applied": False,
            "fact": "e2",
        }
    ]
    assert "1 conflict with a step entered by hand" in result.stderr
    assert [(s["yes"], s["source"]) for s in steps()] == [(None, None), (94, "my notes")]


def test_a_vote_given_as_agreed_to_without_two_thirds_is_refused_and_nothing_written(nato, tmp_path):
    before = snapshot(nato)
    short = congress_actions(vote=VOTE.replace("95 - 1", "60 - 40"))
    result = run("import", "congress", *saved(tmp_path, actions=short))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: {tmp_path / '117-3.json'}: the vote of 2022-08-03 (60 - 40) is given as passed, but 60 yes of "
    )
    assert "60 yes of the members present means failed under two_thirds_of_members_present" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(nato) == before


def test_dry_run_runs_every_check_and_writes_nothing(nato, tmp_path):
    before = snapshot(nato)
    result = ok("import", "congress", *saved(tmp_path), "--dry-run")
    assert "USA 2 new steps; 1 note updated" in result.stderr and "(dry run: nothing written)" in result.stderr
    assert "senate passed 2022-08-03 95-1" in result.stdout
    assert snapshot(nato) == before
    ok("party", "edit", SLUG, "USA", "--signed", "2022-07-30", "--reason", "a later signature, to test the checks")
    # A dry run applies the import's steps through every check of the record, then writes nothing.
    dry = run("import", "congress", *saved(tmp_path), "--dry-run")
    real = run("import", "congress", *saved(tmp_path))
    assert dry.exit_code == real.exit_code == 1 and dry.stderr == real.stderr
    assert "2022-07-27 is before USA signed" in dry.stderr


def test_a_discharged_committee_and_an_unread_floor_action(nato, tmp_path):
    actions = congress_actions(report=None)
    actions["actions"].append(
        {"actionDate": "2022-07-20", "committee": None, "text": "Committee discharged by motion.", "type": "Discharge"}
    )
    actions["actions"].append(
        {
            "actionDate": "2022-08-02",
            "text": "Resolution of advice and consent to ratification agreed to by Voice Vote.",
            "type": "Floor",
        }
    )
    result = ok("import", "congress", *saved(tmp_path, actions=actions))
    assert "1 entry not read" in result.stderr
    assert "2022-08-02: Resolution of advice and consent to ratification agreed to by Voice Vote." in result.stdout
    assert [(s["stage"], s["status"]) for s in steps()] == [("sfrc", "skipped"), ("senate", "passed")]


def test_the_actions_may_sit_beside_the_treaty_in_one_file(nato, tmp_path):
    combined = {**congress_item(), **congress_actions()}
    path = tmp_path / "combined.json"
    path.write_text(dump(combined))
    ok("import", "congress", path)
    assert len(steps()) == 2


def test_the_treaty_is_found_by_title_then_by_its_mark_and_never_duplicated(nato, tmp_path):
    ok("import", "congress", *saved(tmp_path))
    ok("treaty", "edit", SLUG, "--title", "NATO accession protocols (Finland, Sweden)", "--reason", "shorter")
    assert "nothing changed" in ok("import", "congress", *saved(tmp_path)).stderr
    assert [t["treaty"] for t in as_json("treaty", "list")] == [SLUG]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "117-3.json: not JSON (Expecting property name enclosed in double quotes at line 1, column 2)"),
        ("[]", "117-3.json: the response: expected an object, found a list"),
        ("{}", "117-3.json: treaty: expected an object, found nothing"),
        (
            dump(
                {**congress_item(), **congress_actions(), "pagination": {"count": 300, "next": "https://x/?offset=250"}}
            ),
            "117-3.json: the actions continue on another page of the response",
        ),
        (dump({"treaty": {"congressReceived": 117, "number": 3, "titles": []}}), "treaty.titles: empty"),
        (dump({"treaty": {"congressReceived": "x", "number": 3}}), "treaty.congressReceived: expected a number"),
    ],
)
def test_a_response_that_is_not_the_documented_shape_is_one_line_and_writes_nothing(nato, tmp_path, content, message):
    before = snapshot(nato)
    path = tmp_path / "117-3.json"
    path.write_text(content)
    result = run("import", "congress", path)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert message in result.stderr
    assert snapshot(nato) == before


def test_the_item_level_alone_asks_for_its_actions(nato, tmp_path):
    path = tmp_path / "117-3.json"
    path.write_text(dump(congress_item()))
    result = run("import", "congress", path)
    assert result.stderr == (
        f"Error: {path}: the item level lists no actions, only their count (3) and address (save the actions level "
        "(.../actions) too and give it with --actions FILE; nothing was written)\n"
    )


def test_an_unknown_treaty_is_never_created(initialised, tmp_path):
    result = run("import", "congress", *saved(tmp_path))
    assert result.exit_code == 1
    assert "no recorded treaty is Treaty Doc. 117-3 or has its title" in result.stderr
    assert as_json("treaty", "list") == []


class _Api(http.server.BaseHTTPRequestHandler):
    keys: list[str] = []
    paths: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        self.keys.append(self.headers.get("X-Api-Key", ""))
        self.paths.append(self.path)
        path = self.path.split("?")[0]
        body = {"/v3/treaty/117/3": congress_item(), "/v3/treaty/117/3/actions": congress_actions()}.get(path)
        if self.headers.get("X-Api-Key") != "test-key-123":
            self.send_response(403)
            self.end_headers()
            return
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body or {}).encode())

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def api(monkeypatch) -> Iterator[str]:
    _Api.keys, _Api.paths = [], []
    with served(_Api) as address:
        monkeypatch.setenv("RATIFY_CONGRESS_API", f"{address}/v3")
        yield f"{address}/v3"


def test_a_reference_is_fetched_with_the_key_from_the_environment_in_a_header(nato, api, monkeypatch):
    monkeypatch.setenv("CONGRESS_API_KEY", "test-key-123")
    result = ok("import", "congress", "117-3")
    assert "USA 2 new steps" in result.stderr
    assert _Api.keys == ["test-key-123", "test-key-123"]
    assert all("test-key-123" not in path for path in _Api.paths)
    assert "test-key-123" not in result.output + json.dumps(steps())


def test_a_missing_or_refused_key_and_a_network_failure_are_one_line(nato, api, monkeypatch):
    monkeypatch.delenv("CONGRESS_API_KEY", raising=False)
    missing = run("import", "congress", "117-3")
    assert missing.stderr == (
        "Error: 117-3: no API key in the environment variable CONGRESS_API_KEY (set CONGRESS_API_KEY to your "
        "api.data.gov key, or import a saved response file)\n"
    )
    monkeypatch.setenv("CONGRESS_API_KEY", "wrong-key")
    refused = run("import", "congress", "117-3")
    assert refused.exit_code == 1 and "the server answered 403 Forbidden (check the key in the environment)" in (
        refused.stderr
    )
    assert "wrong-key" not in refused.output
    monkeypatch.setenv("RATIFY_CONGRESS_API", "http://127.0.0.1:9/v3")
    down = run("import", "congress", "117-3")
    assert down.exit_code == 1 and "could not connect (ConnectError)" in down.stderr
    assert steps() == []


def test_treaty_show_and_the_web_view_say_where_each_step_was_imported_from_and_when(nato, tmp_path):
    from starlette.testclient import TestClient

    from ratify.store.database import Database
    from ratify.web.app import create_app

    ok("import", "congress", *saved(tmp_path))
    vote = steps()[1]
    shown = [line for line in ok("treaty", "show", SLUG).stdout.splitlines() if line.startswith("  imported:")]
    assert shown[1] == (
        f"  imported: USA senate passed 2022-08-03 ({vote['id']}) from {vote['source']}, "
        f"recorded {vote['recorded_at']} by tester"
    )
    assert len(shown) == 2
    with Database(str(nato)) as database, TestClient(create_app(database, allowed_hosts=["testserver"])) as client:
        page = client.get(f"/treaties/{SLUG}").text
    assert "<th" in page and ">Recorded<" in page and vote["recorded_at"] in page
    assert "Record Vote Number 282" in page


def test_an_unreadable_source_is_one_line(nato, tmp_path):
    missing = run("import", "congress", tmp_path / "nowhere.json")
    assert missing.stderr == (
        f"Error: {tmp_path / 'nowhere.json'}: No such file or directory (give a saved JSON response, or a treaty "
        "document such as 117-3)\n"
    )
    directory = run("import", "congress", tmp_path)
    assert directory.exit_code == 1 and "not a regular file" in directory.stderr


def test_a_treaty_named_without_usa_gets_the_party_and_one_on_another_template_is_refused(initialised, tmp_path):
    ok("treaty", "add", "nato-protocols", "--title", "Accession protocols", "--kind", "multilateral")
    result = ok("import", "congress", *saved(tmp_path), "--treaty", "nato-protocols")
    assert "USA 1 new party; 2 new steps" in result.stderr
    ok("treaty", "add", "other", "--title", "Other", "--kind", "multilateral")
    ok("party", "add", "other", "USA", "--procedure", "default")
    refused = run("import", "congress", *saved(tmp_path), "--treaty", "other")
    assert refused.exit_code == 1
    assert "USA in other follows the procedure default, which has no stage 'senate'" in refused.stderr


def test_two_treaties_with_the_record_s_title_are_never_guessed_between(nato, tmp_path):
    ok("treaty", "add", "copy", "--title", NATO_TITLE.upper(), "--kind", "multilateral")
    result = run("import", "congress", *saved(tmp_path))
    assert result.exit_code == 1
    assert f"2 recorded treaties have the title of Treaty Doc. 117-3: copy, {SLUG}" in result.stderr


@settings(max_examples=60, deadline=None)
@given(yes=st.integers(0, 100), no=st.integers(0, 100), roll=st.integers(1, 999))
def test_any_documented_vote_reads_back_as_its_tally_and_record_vote_number(yes, no, roll):
    from ratify.parliament.congress import read_congress

    text = VOTE.replace("95 - 1", f"{yes} - {no}").replace("282", str(roll))
    record = read_congress(congress_item(), congress_actions(vote=text), origin="p")
    [vote] = [step for step in record.steps if step.stage == "senate"]
    assert (vote.yes, vote.no) == (yes, no)
    assert vote.source.startswith(
        f"Congress.gov API, Treaty Doc. 117-3, action of 2022-08-03, Record Vote Number {roll} "
    )
