"""`report` writes one treaty at a time, and writes what it always wrote.

The reference for every format is the report built whole (`build_report`) and
rendered as `ratify report` rendered it before it streamed: `json.dump` of the
whole document, `emit` of every row, the tables one treaty after another.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ratify.cli.output import emit, text_line
from ratify.errors import DatabaseError
from ratify.jsontext import indented
from ratify.reports.publish import Report, build_report
from ratify.reports.rows import STATUS_FIELDS, Filters, status_rows
from ratify.store.database import Database
from tests.conftest import FIXTURES, ok, run

REPORT_TABLE = ("party", "party_name", "state", "progress", "stage_date", "waiting_days", "in_force_on")
FORMATS = ["csv", "ndjson", "json", "simple", "github", "html"]
#: Today (the cache), a date before most records, the day the RUS-PRK fixture is about (derived), what was known then.
WHEN: list[tuple[str, ...]] = [(), ("--as-of", "2010-01-01"), ("--as-of", "2024-10-25"), ("--known-on", "2099-01-01")]
NAMED = ["rus-prk-2024", "paris-2015", "north-atlantic-treaty-romania-2003", "ctbt-1996"]


def _load_everything() -> None:
    ok("load", *sorted((FIXTURES / "treaties").glob("*.yaml")))


@pytest.fixture
def everything(initialised, prepared):
    prepared(_load_everything)
    return initialised


def before_streaming(location, fmt: str, slugs: list[str], when: tuple[str, ...]) -> str:
    """What `ratify report` printed when it built the whole report first."""
    return printed_whole(whole_report(location, slugs, when), fmt)


def whole_report(location, slugs: list[str], when: tuple[str, ...]) -> Report:
    """The report built whole, as `ratify report` built it before it streamed (one build for every format)."""
    today = date.today()
    as_of = date.fromisoformat(when[1]) if when[:1] == ("--as-of",) else today
    known_on = datetime.fromisoformat(when[1] + "T00:00+00:00") if when[:1] == ("--known-on",) else None
    database = Database(str(location))
    try:
        with database.transaction() as session:
            built = build_report(session, slugs, as_of, today=today, known_on=known_on)
            scope = Filters(slugs=tuple(slugs)) if slugs else Filters()
            # The rows each treaty gets, paired by a dict rather than by the one pass `report` makes.
            by_treaty: dict[str, list[dict[str, Any]]] = {}
            for row in status_rows(session, scope, as_of, today=today, known_on=known_on):
                by_treaty.setdefault(row["treaty"], []).append(row)
    finally:
        database.close()
    assert [treaty.rows for treaty in built.treaties] == [by_treaty.get(t.slug, []) for t in built.treaties]
    return built


def printed_whole(built: Report, fmt: str) -> str:
    out = io.StringIO()
    if fmt == "html":
        from ratify.reports.html import render_html

        out.write(render_html(built))
    elif fmt == "json":
        json.dump(_as_json(built), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt in ("csv", "ndjson"):
        emit((row for treaty in built.treaties for row in treaty.rows), fmt, STATUS_FIELDS, out=out)
    else:
        for treaty in built.treaties:
            out.write(text_line(treaty.headline, fmt) + "\n\n")
            emit(treaty.rows, fmt, STATUS_FIELDS, REPORT_TABLE, out=out)
            out.write("\n")
        out.write(text_line(built.totals_line, fmt) + "\n")
    return out.getvalue()


def _as_json(built: Report) -> dict:
    return {
        "as_of": built.as_of.isoformat(),
        "treaties": [
            {
                "treaty": treaty.slug,
                "title": treaty.title,
                "kind": treaty.kind,
                "signed": treaty.signed.isoformat() if treaty.signed else None,
                "place": treaty.place,
                "summary": treaty.summary,
                "rule": treaty.rule,
                "parties": treaty.rows,
            }
            for treaty in built.treaties
        ],
        "totals": built.totals,
    }


@pytest.mark.slow
@pytest.mark.parametrize("when", WHEN, ids=lambda when: "-".join(when) or "today")
def test_every_format_prints_what_the_whole_report_printed(everything, when):
    for slugs in ([], NAMED, ["paris-2015", "att-2013", "paris-2015"]):
        built = whole_report(everything, slugs, when)
        for fmt in FORMATS:
            printed = ok("report", *slugs, "--format", fmt, *when).stdout
            assert printed == printed_whole(built, fmt), (fmt, when, slugs)


def test_the_output_file_is_what_stdout_gets(everything, tmp_path):
    for fmt in ("csv", "json", "ndjson", "simple"):
        target = tmp_path / f"report.{fmt}"
        result = ok("report", "--format", fmt, "--output", target)
        assert result.stderr == f"Wrote {target} (13 treaties).\n"
        assert target.read_text() == ok("report", "--format", fmt).stdout


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson", "simple"])
def test_an_empty_database_reports_nothing_as_before(initialised, fmt):
    assert ok("report", "--format", fmt).stdout == before_streaming(initialised, fmt, [], ())


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson", "simple"])
def test_rows_are_written_before_the_last_treaty_is_read(everything, monkeypatch, fmt):
    """By the time the rows of the last treaty are read, the first treaty is already out."""
    import ratify.reports.publish as publish

    real, seen = publish.status_rows, {}

    def watched(*args, **kwargs):
        for row in real(*args, **kwargs):
            if row["treaty"] == "tpnw-2017" and "printed" not in seen:  # the last treaty by slug
                sys.stdout.flush()
                seen["printed"] = sys.stdout.buffer.getvalue().decode()  # type: ignore[attr-defined]
            yield row

    monkeypatch.setattr(publish, "status_rows", watched)
    everything_printed = ok("report", "--format", fmt).stdout
    assert "tpnw-2017" not in seen["printed"]
    assert "att-2013" in seen["printed"]  # the first treaty by slug
    assert everything_printed.startswith(seen["printed"])


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson", "simple"])
def test_a_failure_half_way_leaves_the_earlier_file_whole(everything, monkeypatch, tmp_path, caplog, fmt):
    import gc

    import ratify.reports.publish as publish

    real = publish.status_rows

    def failing(*args, **kwargs):
        for row in real(*args, **kwargs):
            if row["treaty"] == "paris-2015":
                raise DatabaseError("the connection was lost", "try again")
            yield row

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "status.out"
    target.write_text("the earlier report\n")
    monkeypatch.setattr(publish, "status_rows", failing)
    result = run("report", "--format", fmt, "--output", target)
    assert result.exit_code == 1
    assert result.stderr == "Error: the connection was lost (try again)\n"
    assert target.read_text() == "the earlier report\n"
    assert [path.name for path in folder.iterdir()] == ["status.out"]
    del result  # its traceback holds the report's frames
    gc.collect()
    assert not caplog.records  # every cursor was closed inside the transaction, none left to the collector


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        # Keys that are not text are made text by the standard library's own rules.
        | st.dictionaries(st.text(max_size=8) | st.integers() | st.booleans() | st.none(), inner, max_size=3)
    ),
    max_leaves=20,
)


@given(value=json_values, depth=st.integers(min_value=0, max_value=3))
def test_indented_json_is_the_standard_librarys(value, depth):
    nested: Any = value
    for _ in range(depth):
        nested = [nested]
    whole = json.dumps(nested, ensure_ascii=False, indent=2)
    opening = "".join("[\n" + "  " * (level + 1) for level in range(depth))
    closing = "".join("\n" + "  " * level + "]" for level in reversed(range(depth)))
    assert whole == opening + indented(value, depth) + closing
