"""The public Python API: docs/python.md runs as written, the CLI records through it, and it stays lazy."""

from __future__ import annotations

import doctest
import subprocess
import sys
import tempfile
import types
import typing
from datetime import date, timedelta

import pytest

import ratify
from tests.conftest import ROOT, RUS_PRK, as_json, ok


def test_the_python_docs_run_as_written(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the page's mkdtemp() lands under tmp_path
    result = doctest.testfile(
        str(ROOT / "docs" / "python.md"), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert result.attempted > 20
    assert result.failed == 0


def test_what_the_api_records_the_cli_reports_the_same_way(initialised):
    with ratify.connect(initialised) as tracker:
        tracker.load(RUS_PRK)
        before = tracker.status("rus-prk-2024", as_of=date(2024, 10, 25))
        assert before == as_json("status", "rus-prk-2024", "--as-of", "2024-10-25")
        recorded = tracker.record_act("rus-prk-2024", "RUS", "declaration", date="2024-12-10", text="On record.")
        assert recorded.status_line == "rus-prk-2024 RUS: in force since 2024-12-04 (state in_force)"
        assert tracker.history("rus-prk-2024", "RUS") == as_json("history", "rus-prk-2024", "RUS")
        assert tracker.pending() == as_json("pending") == []
        assert tracker.treaties() == as_json("treaty", "list")
        tracker.add_treaty("pact", title="Pact", signed="2025-01-10", parties=["FRA", "DEU"])
        soon = (date.today() + timedelta(days=10)).isoformat()
        tracker.record_step("pact", "FRA", "assemblee_nationale", status="expected", date=date.today(), by=soon)
        ahead = tracker.upcoming()
        assert [(row["date"], row["what"], row["party"]) for row in ahead] == [(soon, "expected", "FRA")]
        assert ahead == as_json("upcoming")
        evaluation = tracker.evaluate("rus-prk-2024")
        assert (evaluation.met_on, evaluation.in_force_on) == (date(2024, 12, 4), date(2024, 12, 4))
        shown = ok("treaty", "show", "rus-prk-2024").stdout
        assert f"  rule:    {evaluation.rule}\n" in shown and f"  status:  {evaluation.status}\n" in shown


def test_a_failed_write_raises_a_ratify_error_and_writes_nothing(initialised):
    with ratify.connect(initialised) as tracker:
        tracker.load(RUS_PRK)
        history = tracker.history("rus-prk-2024")
        with pytest.raises(ratify.InvalidInput, match="unanimous"):
            tracker.record_vote("rus-prk-2024", "RUS", "duma", date="2024-10-24", yes=300, no=90, unanimous=True)
        with pytest.raises(ratify.MalformedInput, match="^vote.yes: Input should be greater than or equal to 0$"):
            tracker.record_vote("rus-prk-2024", "RUS", "duma", date="2024-10-24", yes=-1)
        with pytest.raises(ratify.NotFound):
            tracker.record_step("rus-prk-2024", "FRA", "instrument", date="2024-10-24")
        with pytest.raises(ratify.MalformedInput, match="stage_kind"):
            tracker.pending(stage_kind="senate")
        assert tracker.history("rus-prk-2024") == history


def test_the_cli_keeps_its_exit_codes_through_the_api(loaded):
    from tests.conftest import run

    malformed = run("vote", "rus-prk-2024", "RUS", "duma", "--date", "2024-10-24", "--yes", "-1")
    contradiction = run("vote", "rus-prk-2024", "RUS", "duma", "--date", "2024-10-24", "--yes", "300", "--no", "90",
                        "--unanimous")  # fmt: skip
    assert (malformed.exit_code, contradiction.exit_code) == (2, 1)


def test_import_ratify_loads_no_database_code_until_the_api_is_used():
    probe = (
        "import sys, ratify\n"
        "heavy = {'sqlalchemy', 'sqlmodel', 'pydantic'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
        "ratify.connect\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    lines = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split("\n")
    assert lines[0] == "[]"
    assert lines[1] == "[]"  # connect itself imports only ratify.api and ratify.errors
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        ratify.nothing  # noqa: B018


def test_every_public_name_is_documented():
    page = (ROOT / "docs" / "python.md").read_text()
    for name in ratify.__all__:
        if name != "__version__":
            assert f"`{name}`" in page or f"ratify.{name}" in page, name
    for method in ("init", "load", "add_treaty", "record_step", "record_vote", "record_act", "correct", "retract",
                   "status", "pending", "history", "treaties", "upcoming", "evaluate", "close"):  # fmt: skip
        assert f"{method}(" in page, method
        assert getattr(ratify.Tracker, method).__doc__


def test_rows_are_what_their_types_say(initialised):
    """Every row, on treaties with imprecise dates, corrections and removals, checks strictly against its type."""
    from ratify.reports.dossier import HISTORY_FIELDS, TREATY_FIELDS
    from ratify.reports.rows import STATUS_FIELDS

    for typed, fields in ((ratify.StatusRow, STATUS_FIELDS), (ratify.HistoryRow, HISTORY_FIELDS),
                          (ratify.TreatyRow, TREATY_FIELDS)):  # fmt: skip
        assert typed.__required_keys__ == frozenset(fields)
        assert all(key.endswith("_precision") for key in typed.__optional_keys__)
    nato = ROOT / "fixtures" / "treaties" / "nato-1949-romania-protocol-2003.yaml"
    with ratify.connect(initialised) as tracker:
        tracker.load(RUS_PRK, nato)
        tracker.correct("e1", note="checked", reason="a version to list")
        tracker.record_act("rus-prk-2024", "RUS", "declaration", date="2024-12", text="A statement.")
        tracker.retract("a1", reason="a retraction to list")
        tracker.add_treaty("vague-1998", title="Vague", signed="1998-03", parties=["RUS", "USA"])
        ok("party", "remove", "rus-prk-2024", "PRK", "--reason", "a removal to list", "--confirm")
        status = tracker.status() + tracker.status(as_of=date(1950, 1, 1)) + tracker.pending(as_of=date(1949, 6, 1))
        history = [row for treaty in tracker.treaties() for row in tracker.history(treaty["treaty"], all_versions=True)]
        treaties = tracker.treaties() + tracker.treaties(as_of=date(1949, 6, 1))
    for typed, rows in ((ratify.StatusRow, status), (ratify.HistoryRow, history), (ratify.TreatyRow, treaties)):
        for row in rows:
            assert set(typed.__required_keys__) <= set(row) <= set(typed.__annotations__)
            for key, value in row.items():
                assert _is(value, typing.get_type_hints(typed)[key]), (typed.__name__, key, value)
        if typed is not ratify.TreatyRow:  # treaty rows write an imprecise date without a sibling (json.md)
            assert any(key.endswith("_precision") for row in rows for key in row), typed.__name__


def _is(value: object, hint: object) -> bool:
    """Strictly of the hinted type: a bool is not an int, None only where the hint allows it."""
    allowed = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if isinstance(value, bool):
        return bool in allowed
    return any(value is None if kind is type(None) else isinstance(value, kind) for kind in allowed)  # type: ignore[arg-type]
