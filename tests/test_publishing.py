"""Reports people publish and data they move: report, pending groups, changes, durations, export, CSV."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, ROOT, RUS_PRK, ok, run, snapshot


def test_report_text_has_summaries_tables_and_totals(loaded):
    lines = ok("report", "rus-prk-2024", "--as-of", "2024-10-25").stdout.splitlines()
    assert lines[0] == (
        "rus-prk-2024: Treaty on Comprehensive Strategic Partnership between the Russian Federation and the "
        "Democratic People's Republic of Korea (bilateral, signed 2024-06-19; 2 signatories, 0 parties) - not in force: "
        "needs 2 more of the 2 parties: PRK, RUS"
    )
    assert "PRK      North Korea         signed          signed, decree pending" in "\n".join(lines)
    assert lines[-1] == "1 treaty, 2 parties: 1 signed, 1 in legislature"


def test_report_json(loaded):
    data = json.loads(ok("report", "--format", "json").stdout)
    assert [t["treaty"] for t in data["treaties"]] == ["rus-prk-2024"]
    assert data["treaties"][0]["summary"] == "in force since 2024-12-04"
    assert data["totals"] == {"parties": 2, "in_force": 2}


def test_report_markdown_and_output_file(loaded, tmp_path):
    target = tmp_path / "status.md"
    result = ok("report", "--format", "markdown", "--output", target)
    assert result.stdout == ""
    assert result.stderr == f"Wrote {target} (1 treaty).\n"
    text = target.read_text()
    assert "| party   | party_name" in text and "| RUS     | Russian Federation" in text


def test_report_html_is_one_safe_file(initialised, tmp_path):
    ok(
        "treaty",
        "add",
        "x",
        "--title",
        "<script>alert(1)</script>",
        "--signed",
        "2024-01-01",
        "--party",
        "FRA",
        "--party",
        "DEU",
    )
    target = tmp_path / "status.html"
    ok("report", "--format", "html", "--output", target)
    page = target.read_text()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count('class="lane"') == 2
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_failed_report_leaves_no_partial_file(loaded, tmp_path):
    target = tmp_path / "status.csv"
    result = run("report", "no-such-treaty", "--format", "csv", "--output", target)
    assert result.exit_code == 1
    assert not target.exists() and not list(tmp_path.glob("*.partial"))


def test_csv_cells_cannot_become_formulas(initialised):
    ok(
        "treaty",
        "add",
        "f",
        "--title",
        '=HYPERLINK("http://x")',
        "--signed",
        "2024-01-01",
        "--party",
        "FRA",
        "--party",
        "DEU",
        "--note",
        "+1",
    )
    ok("advance", "f", "FRA", "assemblee_nationale", "--date", "2024-02-01", "--source", "-cmd", "--status", "failed")
    report = list(csv.reader(io.StringIO(ok("history", "f", "--format", "csv").stdout)))
    sources = [row[report[0].index("source")] for row in report[1:]]
    assert sources == ["'-cmd"]
    listed = list(csv.DictReader(io.StringIO(ok("treaty", "list", "--format", "csv").stdout)))
    assert listed[0]["title"] == '\'=HYPERLINK("http://x")'


def test_pending_groups_by_what_parties_wait_for(initialised):
    ok("treaty", "add", "conv", "--title", "C", "--kind", "multilateral", "--signed", "2023-01-02")
    for state, signed in (("France", "2023-01-02"), ("Germany", "2023-02-01"), ("Japan", "2023-03-01")):
        ok("party", "add", "conv", state, "--signed", signed)
    ok("vote", "conv", "FRA", "assemblee_nationale", "--date", "2023-06-01", "--yes", "400", "--no", "100")
    text = ok("pending", "--as-of", "2023-07-01").stdout
    headings = [line for line in text.splitlines() if line.startswith("Waiting for")]
    assert headings == [
        "Waiting for lower house: 2 parties, the longest 150 days",
        "Waiting for upper house: 1 party, the longest 30 days",
    ]
    rows = json.loads(ok("pending", "--as-of", "2023-07-01", "--format", "json").stdout)
    assert [(r["party"], r["waiting_for"]) for r in rows] == [
        ("DEU", "lower house"),
        ("JPN", "lower house"),
        ("FRA", "upper house"),
    ]


def test_changes_since(loaded, monkeypatch):
    monkeypatch.setenv("RATIFY_USER", "desk")
    ok("treaty", "add", "new", "--title", "New", "--signed", "2024-01-01", "--party", "FRA", "--party", "DEU")
    ok(
        "vote",
        "new",
        "FRA",
        "assemblee_nationale",
        "--date",
        "2024-03-01",
        "--yes",
        "300",
        "--no",
        "200",
        "--source",
        "https://www.assemblee-nationale.fr/",
    )
    rows = json.loads(ok("changes", "--since", "2000-01-01", "--format", "json").stdout)
    mine = [r for r in rows if r["recorded_by"] == "desk"]
    assert [r["what"] for r in mine] == [
        "treaty added: New",
        "party added",
        "party added",
        "Assemblée nationale (assemblee_nationale) passed, 300-200",
    ]
    assert mine[-1]["source"] == "https://www.assemblee-nationale.fr/"
    assert json.loads(ok("changes", "--since", "2999-01-01", "--format", "json").stdout) == []


def test_durations(loaded):
    result = ok("durations", "rus-prk-2024", "--format", "json")
    rows = {r["party"]: r for r in json.loads(result.stdout)}
    assert rows["RUS"]["lower_house"] == 127  # 2024-06-19 to 2024-10-24
    assert rows["RUS"]["in_force"] == 168 and rows["PRK"]["decree"] == 145
    table = ok("durations", "rus-prk-2024").stdout
    assert "step" in table and "median" in table


# --------------------------------------------------------------------------- export and import


def test_export_of_the_fixtures_round_trips(initialised, tmp_path):
    # Every kind of record: rules with groups, acts, consent types, termination by a later treaty.
    names = ["budapest-2001", "fin-can-youth-mobility-2023", "rus-prk-2000", "rus-prk-2024"]
    ok("load", *[FIXTURES / "treaties" / f"{name}.yaml" for name in names])
    ok("act", "budapest-2001", "Hungary", "reservation", "--date", "2003-12-04", "--text", "Art. 9(4)")
    first = tmp_path / "first.yaml"
    ok("export", "--output", first)
    again = tmp_path / "again.db"
    ok("--db", again, "init")
    ok("--db", again, "load", first)
    second = tmp_path / "second.yaml"
    ok("--db", again, "export", "--output", second)
    assert first.read_text() == second.read_text()
    assert ok("--db", again, "export", "--format", "json").stdout == ok("export", "--format", "json").stdout
    repeat = ok("--db", again, "load", first)
    assert "inserted" not in repeat.stderr and "updated" not in repeat.stderr


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "ratify.db"
    assert run("--db", path, "init").exit_code == 0
    return path


operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("vote"),
            st.sampled_from(["RUS", "PRK"]),
            st.sampled_from(["duma", "federation_council"]),
            st.integers(0, 300),
            st.integers(0, 450),
        ),
        st.tuples(
            st.just("advance"),
            st.sampled_from(["RUS", "PRK"]),
            st.sampled_from(["duma_committee", "president", "decree", "instrument"]),
            st.integers(0, 300),
            st.sampled_from(["passed", "failed", "skipped", "scheduled"]),
        ),
        st.tuples(
            st.just("act"),
            st.sampled_from(["RUS", "PRK"]),
            st.sampled_from(["reservation", "declaration", "withdrawal"]),
            st.integers(0, 300),
            st.text(max_size=8),
        ),
    ),
    max_size=10,
)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
# A skip recorded after a deposit once left that deposit without a predecessor, which `load` then refused.
@example(steps=[("vote", "RUS", "duma", 0, 0), ("advance", "RUS", "instrument", 0, "passed"),
                ("advance", "RUS", "duma_committee", 0, "skipped")])  # fmt: skip
def test_export_load_export_is_identical(empty_template, tmp_path_factory, steps):
    """Whatever was recorded (accepted or refused), export -> load into an empty database -> export is exact."""
    from datetime import date, timedelta

    work = tmp_path_factory.mktemp("rt")
    source, target = work / "a.db", work / "b.db"
    shutil.copyfile(empty_template, source)
    shutil.copyfile(empty_template, target)
    run(
        "--db",
        source,
        "treaty",
        "add",
        "t",
        "--title",
        "T",
        "--signed",
        "2020-01-01",
        "--party",
        "RUS",
        "--party",
        "PRK",
    )
    start = date(2020, 1, 1)
    for kind, party, what, offset, extra in steps:
        day = (start + timedelta(days=offset)).isoformat()
        if kind == "vote":
            run("--db", source, "vote", "t", party, what, "--date", day, "--yes", str(extra), "--no", "10")
        elif kind == "advance":
            run("--db", source, "advance", "t", party, what, "--date", day, "--status", extra)
        else:
            run("--db", source, "act", "t", party, what, "--date", day, "--text", extra or "x")
    exported = work / "export.json"
    assert run("--db", source, "export", "--format", "json", "--output", exported).exit_code == 0
    assert run("--db", target, "load", exported).exit_code == 0
    again = run("--db", target, "export", "--format", "json").stdout
    assert again == exported.read_text()


EVENTS_CSV = """treaty,party,stage,status,date,yes,no,unanimous,source
rus-prk,Russia,State Duma,,2024-10-24,397,0,yes,https://www.themoscowtimes.com/2024/10/24/
rus-prk,RUS,federation_council,passed,2024-11-06,,,yes,https://tass.com/politics/1868051
rus-prk,DPRK,decree,passed,2024-11-11,,,,https://menafn.com/1108875469/
"""


@pytest.fixture
def bare_treaty(initialised):
    ok(
        "treaty",
        "add",
        "rus-prk",
        "--title",
        "Treaty on Comprehensive Strategic Partnership",
        "--signed",
        "2024-06-19",
        "--party",
        "Russia",
        "--party",
        "DPRK",
    )
    return initialised


def test_csv_import_of_events(bare_treaty, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS_CSV)
    result = ok("load", path)
    assert result.stderr == "Loaded 1 file(s): events: 3 inserted.\n"
    rows = {r["party"]: r for r in json.loads(ok("status", "rus-prk", "--format", "json").stdout)}
    assert (rows["RUS"]["stage"], rows["PRK"]["stage"]) == ("upper_house", "decree")
    assert "events: 3 unchanged" in ok("load", path).stderr


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("rus-prk,RUS,president,passed,2024-11-31,,,,", "row 5: date: 2024-11-31 does not exist"),
        ("rus-prk,RUS,president,passed,2024-11-01,,,,", "row 5: date: president cannot pass on 2024-11-01"),
        ("rus-prk,France,president,passed,2024-11-09,,,,", "row 5: party: FRA is not a party to rus-prk"),
        ("nope,RUS,president,passed,2024-11-09,,,,", "row 5: treaty: no treaty 'nope'"),
        ("rus-prk,RUS,duma,,2024-10-30,-3,0,,", "row 5: vote.yes: Input should be greater than or equal to 0"),
    ],
)
def test_a_bad_csv_row_rejects_the_whole_file(bare_treaty, tmp_path, bad_line, message):
    path = tmp_path / "events.csv"
    path.write_text(EVENTS_CSV + bad_line + "\n")
    before = snapshot(bare_treaty)
    result = run("load", path)
    assert result.exit_code == 1
    assert f"{path}: {message}" in result.stderr
    assert snapshot(bare_treaty) == before


def test_csv_with_unknown_columns(bare_treaty, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("treaty,party,stage,date,colour\n")
    result = run("load", path)
    assert result.exit_code == 1
    assert "unknown columns colour" in result.stderr


def test_no_progress_bar_on_a_pipe(initialised):
    result = ok("load", RUS_PRK)
    assert result.stderr == "Loaded 1 file(s): treaties: 1 inserted; parties: 2 inserted; events: 7 inserted.\n"


def test_published_schema_is_current():
    assert (ROOT / "docs" / "fixture.schema.json").read_text().strip() == ok("schema").stdout.strip()


def test_every_fixture_validates_against_the_schema():
    """The shipped fixtures are valid against the published JSON Schema (checked by pydantic, its source)."""
    from ratify.exchange.loader import read_fixture

    for path in sorted(FIXTURES.rglob("*.yaml")):
        read_fixture(path)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["export", "--output", "/nonexistent-dir/x.yaml"],
            "Error: Invalid value for '--output': the directory /nonexistent-dir does not exist",
        ),
        (
            ["report", "--output", "/nonexistent-dir/x.md"],
            "Error: Invalid value for '--output': the directory /nonexistent-dir does not exist",
        ),
        (["durations", "nope"], "Error: treaty: no treaty 'nope'"),
        (["changes", "--since", "2026-13-01"], "Error: Invalid value for '--since': 2026-13-01 does not exist"),
    ],
)
def test_publishing_errors_are_one_line(loaded, args, message):
    result = run(*args)
    assert result.exit_code in (1, 2)
    assert result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1
