"""Tables fit the terminal: the usual columns where they fit, a compact set at 80 columns, --wide for more.

Measured through the CLI at RATIFY_WIDTH=80 (and, once, in a real terminal of COLUMNS=80), wide, and on a
pipe; csv and json carry every field whatever the width.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from ratify.cli.publish import REPORT_TABLE
from ratify.cli.research import CHANGES_TABLE
from ratify.cli.status import HISTORY_TABLE, PENDING_TABLE, STATUS_TABLE, UPCOMING_TABLE, VERSIONS_TABLE
from ratify.cli.treaty import TREATY_TABLE
from tests.conftest import FIXTURES, ROOT, RUS_PRK, ok

NATO = FIXTURES / "treaties" / "nato-1949-romania-protocol-2003.yaml"  # slugs of 26 and 34 characters
LONG = "a-treaty-with-a-slug-as-long-as-natos"
VIEWS = {
    "status": (["status"], STATUS_TABLE),
    "treaty list": (["treaty", "list"], TREATY_TABLE),
    "history": (["history", "north-atlantic-treaty-romania-2003"], HISTORY_TABLE),
    "history --all": (["history", "rus-prk-2024", "--all"], VERSIONS_TABLE),
    "changes": (["changes", "--since", "2000-01-01"], CHANGES_TABLE),
    "report": (["report"], REPORT_TABLE),
    "pending": (["pending"], PENDING_TABLE),
}


def _crowd() -> None:
    ok("load", NATO, RUS_PRK)
    ok("treaty", "add", LONG, "--title", "A treaty whose slug is long, for the tables' widths", "--signed", "2025-01-10",
       "--kind", "multilateral", "--party", "FRA", "--party", "Bosnia and Herzegovina")  # fmt: skip
    ok("correct", "e1", "--note", "checked against the committee's own record", "--reason", "a note for the versions")


@pytest.fixture
def crowded(initialised, prepared):
    """Long slugs, long titles, sources with URLs, a correction, and a party still waiting."""
    prepared(_crowd)
    return initialised


def lines(result) -> list[str]:
    return result.stdout.splitlines()


def headers(text: str) -> list[tuple[str, ...]]:
    """The header row of every table in the output (the line above each rule of dashes)."""
    rows = text.splitlines()
    return [tuple(rows[i - 1].split()) for i, row in enumerate(rows) if i and re.fullmatch(r"-+( +-+)*", row)]


@pytest.mark.parametrize("view", VIEWS)
def test_at_80_columns_every_view_fits_with_its_compact_columns(crowded, monkeypatch, view):
    args, table = VIEWS[view]
    piped = ok(*args)
    assert max(map(len, lines(piped))) > 80  # the usual columns, whole, would not fit
    assert set(headers(piped.stdout)) == {table.full}
    monkeypatch.setenv("RATIFY_WIDTH", "80")
    narrow = ok(*args)
    assert max(map(len, lines(narrow))) <= 80
    assert set(headers(narrow.stdout)) == {table.compact}


@pytest.mark.parametrize("view", VIEWS)
def test_wide_and_columns_show_more_and_machine_formats_lose_nothing(crowded, monkeypatch, view):
    args, table = VIEWS[view]
    every = ok(*args, "--format", "json").stdout
    monkeypatch.setenv("RATIFY_WIDTH", "80")
    assert set(headers(ok(*args, "--wide").stdout)) == {table.wide}
    assert set(table.full) < set(table.wide) and set(table.compact) < set(table.full)
    chosen = table.wide[-2:]
    assert set(headers(ok(*args, "--columns", ",".join(chosen)).stdout)) == {chosen}
    assert ok(*args, "--format", "json").stdout == every
    assert ok(*args, "--format", "csv", "--wide").stdout == ok(*args, "--format", "csv").stdout
    monkeypatch.setenv("RATIFY_WIDTH", "400")
    assert set(headers(ok(*args).stdout)) == {table.full}  # room enough: the usual columns, unwrapped


def test_text_wraps_at_word_breaks_and_ids_never_do(crowded, monkeypatch):
    monkeypatch.setenv("RATIFY_WIDTH", "80")
    shown = ok("treaty", "list").stdout
    slugs = {row["treaty"] for row in json.loads(ok("treaty", "list", "--format", "json").stdout)}
    assert slugs <= {line.split()[0] for line in shown.splitlines()[2:] if line[:1] != " "}
    # Each title comes back whole from its wrapped lines.
    title = "Protocol to the North Atlantic Treaty on the Accession of Romania"
    column = shown.splitlines()[0].index("title")
    start = next(i for i, line in enumerate(shown.splitlines()) if line.startswith("north-atlantic-treaty-romania"))
    pieces = []
    for line in shown.splitlines()[start:]:
        if pieces and line[:1] != " ":
            break
        pieces.append(line[column:].strip())
    assert " ".join(pieces) == title and len(pieces) > 1


def test_durations_keep_the_days_to_consent_and_to_entry_into_force_when_narrow(crowded, monkeypatch):
    piped = ok("durations", "--no-summary")
    assert max(map(len, lines(piped))) > 80
    every = headers(piped.stdout)[0]
    assert every[:3] == ("treaty", "party", "signed") and every[-2:] == ("instrument", "in_force")
    monkeypatch.setenv("RATIFY_WIDTH", "80")
    narrow = ok("durations")
    assert max(map(len, lines(narrow))) <= 80
    assert headers(narrow.stdout) == [
        ("treaty", "party", "instrument", "in_force"),
        ("step",) + tuple("parties median q1 q3 min max".split()),
    ]
    assert headers(ok("durations", "--wide").stdout)[0] == every


def test_pending_groups_share_one_choice_of_columns(crowded, monkeypatch):
    monkeypatch.setenv("RATIFY_WIDTH", "80")
    text = ok("pending").stdout
    assert len(headers(text)) >= 1 and set(headers(text)) == {PENDING_TABLE.compact}


def test_treaty_show_wraps_its_source_lines_under_their_label(crowded, monkeypatch):
    whole = ok("treaty", "show", "north-atlantic-treaty-romania-2003").stdout
    sources = [line for line in whole.splitlines() if line.startswith("  source:  ")]
    assert sources and max(map(len, sources)) > 80
    monkeypatch.setenv("RATIFY_WIDTH", "80")
    shown = ok("treaty", "show", "north-atlantic-treaty-romania-2003").stdout
    # Only a URL longer than a line may pass the edge: alone on its line, and whole.
    assert all(len(line) <= 80 or len(line.split()) == 1 for line in shown.splitlines())
    assert sum(len(line) > 80 for line in shown.splitlines()) < len(sources)
    # Put back together, the wrapped lines say exactly what the whole ones said.
    head = shown.split("\n\n")[0].splitlines()
    joined: list[str] = []
    for line in head:
        if line.startswith(" " * 11) and joined:
            joined[-1] += " " + line.strip()
        else:
            joined.append(line)
    assert [" ".join(line.split()) for line in joined] == [
        " ".join(line.split()) for line in whole.split("\n\n")[0].splitlines()
    ]
    urls = [word for line in whole.splitlines() for word in line.split() if word.startswith("http")]
    assert urls and all(url in shown.split() for url in urls)  # a URL is never cut


@pytest.mark.sqlite_only
def test_in_a_real_terminal_of_80_columns(crowded):
    """COLUMNS, as a terminal sets it, is what ratify measures; a pseudo-terminal stands in for one."""
    import pty

    env = {**os.environ, "COLUMNS": "80", "LINES": "50", "RATIFY_DB": str(crowded)}
    env.pop("RATIFY_WIDTH", None)
    main, child = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "ratify", "--no-pager", "status"], stdin=child, stdout=child, stderr=child, env=env
        )
        os.close(child)
        output = b""
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal closed: the command has ended
                break
            if not chunk:
                break
            output += chunk
        assert process.wait(timeout=60) == 0
    finally:
        os.close(main)
    text = output.decode().replace("\r\n", "\n")
    assert max(map(len, text.splitlines())) <= 80
    assert set(headers(text)) == {STATUS_TABLE.compact}


def test_the_docs_list_each_views_columns_as_the_code_has_them():
    page = (ROOT / "docs" / "cli.md").read_text()
    rows = {}
    for line in page.splitlines():
        cells = [cell.strip(" `") for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1] and cells[1] != "usual columns" and not set(cells[1]) <= {"-"}:
            rows[cells[0]] = tuple(cell.split() for cell in cells[1:])
    tables = {
        "status`, `treaty show": STATUS_TABLE,
        "pending": PENDING_TABLE,
        "treaty list": TREATY_TABLE,
        "history": HISTORY_TABLE,
        "history --all": VERSIONS_TABLE,
        "changes": CHANGES_TABLE,
        "report": REPORT_TABLE,
        "upcoming": UPCOMING_TABLE,
    }
    for view, table in tables.items():
        usual, compact, adds = rows[view]
        assert (tuple(usual), tuple(compact)) == (table.full, table.compact), view
        assert set(adds) == set(table.wide) - set(table.full), view
