"""Arbitrary arguments, fixtures and CSV files through the CLI: never a traceback, exit 0, 1 or 2,
and a refused command leaves the database as it was.

SQLite only: the store answers the same through validation (tests/test_hostile_input.py runs
the bounds on both stores), and a fresh copy of a file per example keeps this fast.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratify.cli import cli
from tests.conftest import RUS_PRK, snapshot

# Hypothesis over whole commands, or processes racing: `make check` leaves these out.
pytestmark = pytest.mark.slow

# Few examples per run keep the suite fast; RATIFY_FUZZ_EXAMPLES=1000 searches harder.
EXAMPLES = settings(
    max_examples=int(os.environ.get("RATIFY_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

COMMANDS = [
    ["status"],
    ["pending"],
    ["history", "rus-prk-2024"],
    ["treaty", "add"],
    ["treaty", "show"],
    ["treaty", "list"],
    ["treaty", "edit", "rus-prk-2024"],
    ["treaty", "rule", "rus-prk-2024"],
    ["treaty", "chart"],
    ["party", "add", "rus-prk-2024"],
    ["party", "edit", "rus-prk-2024"],
    ["vote", "rus-prk-2024", "RUS"],
    ["advance", "rus-prk-2024", "PRK"],
    ["act", "rus-prk-2024", "RUS"],
    ["correct", "e2"],
    ["retract"],
    ["report"],
    ["export"],
    ["changes"],
    ["durations"],
    ["procedure", "show"],
    ["upcoming"],
]
OPTIONS = [
    "--title", "--date", "--signed", "--place", "--party", "--source", "--note", "--reason", "--format",
    "--yes", "--no", "--seats", "--reading", "--abstain", "--unanimous", "--status", "--result", "--as-of",
    "--known-on", "--limit", "--older-than", "--output", "--kind", "--parties", "--days", "--months",
    "--allow-out-of-order", "--since", "--stage", "--text", "--against", "--effective", "--consent", "--all",
    "--db",
]  # fmt: skip
SPECIAL = [
    "", "-", "--", ".", "..", "'", '"', str(10**20), str(2**31), "-1", "0", "1e3", "nan",
    "2024-10-25", "2024-02-30", "1204-06-19", "9999-12-31", "0000-01-01", "2024-10-25T25:00Z",
    "e2", "e99999999999999999", "a1", "t1", "RUS", "PRK", "Russia", "duma", "instrument", "passed",
    "html", "latex", "rst", "github", "csv", "json", "mysql://x/y", "http://x", "postgresql://u@h:bad/x",
    "ratify.db", "out.txt", "\x1b[2J", "\x07", "\u202e", "<script>", "|", "\n", "\t", "rus-prk-2024",
    "\udcff", "caf\udce9", "http://[::1", "https://", "http://[::1]:99999/", "=cmd|' /C calc'!A0", "[[File:x]]",
    "1000000000000", "1" * 5001, "/dev/zero", "-",
]  # fmt: skip
# argv cannot carry a NUL byte, so no argument holds one; files can, and do below.
text = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=12)
# Built, not listed: a long literal would swell every failure report.
long_text = st.sampled_from([201, 1001, 2001, 10_001]).map(lambda n: "x" * n)
# Bytes that are not UTF-8 reach Python as lone surrogates ('\udcff'), as the shell passes them.
undecodable = st.binary(min_size=1, max_size=8).map(lambda raw: raw.decode("utf-8", "surrogateescape"))
huge = st.integers(min_value=2**31, max_value=10**30).map(str)
argument = st.one_of(
    st.sampled_from(OPTIONS), st.sampled_from(SPECIAL), text, long_text, st.integers().map(str), undecodable, huge
)


@pytest.fixture(scope="module")
def template(tmp_path_factory, initialised_template) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "template.db"
    shutil.copyfile(initialised_template, path)
    result = CliRunner().invoke(cli, ["--db", str(path), "load", str(RUS_PRK)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def template_rows(template) -> dict:
    return snapshot(template)


@pytest.fixture
def workdir(tmp_path_factory) -> Path:
    """Where the commands run, so that a random --output lands in a temporary directory."""
    return tmp_path_factory.mktemp("work")


def _invoke(template: Path, template_rows: dict, workdir: Path, args: list[str]) -> None:
    database = workdir / "ratify.db"
    shutil.copyfile(template, database)
    here = os.getcwd()
    os.chdir(workdir)
    try:
        result = CliRunner().invoke(cli, ["--db", str(database), *args], catch_exceptions=True)
    finally:
        os.chdir(here)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"ratify {args!r} raised {result.exception!r}") from result.exception
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    if result.exit_code != 0:
        assert "Traceback" not in result.output
        assert snapshot(database) == template_rows, f"refused {args!r} changed the database"


@EXAMPLES
@given(command=st.sampled_from(COMMANDS), rest=st.lists(argument, max_size=6))
def test_any_arguments(template, template_rows, workdir, command, rest):
    _invoke(template, template_rows, workdir, [*command, *rest])


LONG_NUMBER = "__a_number_of_5001_digits__"
scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(SPECIAL + ["\x00", "2024-10-24", "rus-prk-2024", "RUS", "duma", LONG_NUMBER]),
    long_text,
)
FIELDS = [
    "slug", "title", "kind", "signed", "place", "note", "sources", "rule", "parties", "state", "procedure",
    "events", "acts", "stage", "date", "status", "vote", "yes", "no", "seats", "unanimous", "source", "id",
    "text", "against", "effective", "consent", "reading", "terminated", "superseded_by", "withdrawal",
]  # fmt: skip


def _nested(inner: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5))


value = st.recursive(scalar, _nested, max_leaves=12)
treaty = st.fixed_dictionaries(
    {"slug": st.sampled_from(["rus-prk-2024", "new-2024", "Bad Slug", ""]), "title": scalar},
    optional={name: value for name in ("kind", "signed", "place", "note", "sources", "parties", "rule", "id")},
)
fixture = st.fixed_dictionaries({}, optional={"treaties": st.lists(treaty, max_size=2), "procedures": value})


@EXAMPLES
@given(document=fixture, as_json=st.booleans())
def test_any_fixture(template, template_rows, workdir, document, as_json):
    path = workdir / ("fixture.json" if as_json else "fixture.yaml")
    if as_json:
        written = json.dumps(document, allow_nan=True, default=str)
    else:
        import yaml

        written = yaml.safe_dump(document, allow_unicode=True)
    # A number past Python's 4,300-digit limit, written as a number, not as the text the dump would quote.
    for quoted in (f'"{LONG_NUMBER}"', f"'{LONG_NUMBER}'", LONG_NUMBER):
        written = written.replace(quoted, "9" * 5001)
    path.write_text(written, errors="surrogatepass")
    _invoke(template, template_rows, workdir, ["load", str(path)])


COLUMNS = ["treaty", "party", "stage", "status", "date", "yes", "no", "seats", "unanimous", "source", "note", "colour"]
cell = st.one_of(
    st.sampled_from(["rus-prk-2024", "RUS", "PRK", "duma", "federation_council", "2024-10-24", "2024-11-06"]),
    st.sampled_from(SPECIAL + ["\x00", "=cmd()", "yes", "450", str(10**20)]),
    st.text(max_size=10),
)


@EXAMPLES
@given(
    header=st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=7),
    rows=st.lists(st.lists(cell, max_size=8), max_size=3),
)
def test_any_csv(template, template_rows, workdir, header, rows):
    import csv

    path = workdir / "events.csv"
    with path.open("w", newline="", encoding="utf-8", errors="surrogatepass") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    _invoke(template, template_rows, workdir, ["load", str(path)])
