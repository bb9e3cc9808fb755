"""Every output format over hostile text: markup, LaTeX, pipes, control characters, bidi controls, emoji.

Input with control characters is refused now, but a database written before may hold
them; the text is put straight into the tables, as such a database would hold it.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from contextlib import closing

import pytest
from tabulate import tabulate_formats

from ratify.reports.escaping import markdown, rst, terminal
from tests.conftest import RUS_PRK, run

HOSTILE = (
    ".. raw:: html <script>alert(1)</script> & \\textbf{x} $x$ % # _ | cell | *em* [a](javascript:alert(1)) "
    "`code` \x1b[31mred\x1b[0m \x07bell \x9b2J \u202eevil\u202c \u200fmark \u2066iso\u2069 \U0001f1f0\U0001f1f5 שלום"
)
#: Characters that must never reach the output raw, in any format.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: Formats whose readers render HTML tags written in the text.
HTML_PASSING = ("html", "unsafehtml", "github", "markdown", "pipe", "mediawiki", "textile")
FORMATS = sorted({*tabulate_formats, "markdown"})
COMMANDS = [
    ["treaty", "list"],  # the title in a cell, first in it
    ["treaty", "show", "rus-prk-2024", "--as-of", "2024-10-25"],  # the title and sources as lines, a body in a cell
    ["report", "rus-prk-2024", "--as-of", "2024-10-25"],  # the title in the summary line
    ["history", "rus-prk-2024", "RUS"],  # a source in a cell
]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory, initialised_template):
    path = tmp_path_factory.mktemp("hostile") / "ratify.db"
    shutil.copyfile(initialised_template, path)
    assert run("--db", path, "load", RUS_PRK).exit_code == 0
    with closing(sqlite3.connect(path)) as connection, connection:  # closed, and committed first
        connection.execute("UPDATE treaty SET title = ?, sources = ?", (HOSTILE, json.dumps([HOSTILE])))
        connection.execute("UPDATE event SET source = ?", (HOSTILE,))
        connection.execute("UPDATE stage SET body = ? WHERE procedure_id = 'RUS'", (HOSTILE,))
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_text_is_inert_in_every_format(hostile_db, fmt):
    for command in COMMANDS:
        result = run("--db", hostile_db, *command, "--format", fmt)
        assert result.exit_code == 0, (command, result.output)
        text = result.stdout
        assert RAW.search(text.replace("\t", "") if fmt == "tsv" else text) is None, command
        if fmt in HTML_PASSING:
            assert "<script>" not in text, command
        assert "\U0001f1f0\U0001f1f5" in text and "שלום" in text, command  # kept, not mangled
        if fmt.startswith("latex"):
            assert "\\textbf{x}" not in text and " $x$ " not in text, command
        if fmt in ("github", "markdown", "pipe"):
            assert "| cell |" not in text and "[a](" not in text, command
            assert markdown(HOSTILE).replace("\\x1b", "") in text.replace("\\x1b", ""), command
        if fmt == "rst":
            assert not any(line.lstrip().startswith(".. raw::") for line in text.splitlines()), command
            assert "|code|" not in text and "`code`" not in text.replace("\\`code\\`", ""), command


def test_plain_tables_show_control_characters_as_visible_escapes(hostile_db):
    text = run("--db", hostile_db, "history", "rus-prk-2024", "RUS").stdout
    assert "\\x1b[31mred\\x1b[0m \\x07bell \\x9b2J \\u202eevil\\u202c \\u200fmark" in text


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv"])
def test_machine_formats_keep_the_data_as_stored(hostile_db, fmt):
    """JSON escapes control characters itself; CSV carries the cell as it is, formula-safe."""
    text = run("--db", hostile_db, "history", "rus-prk-2024", "RUS", "--format", fmt).stdout
    if fmt == "csv":
        assert HOSTILE.replace("\x1b", "").replace("\x07", "")[:20] in text.replace("\x1b", "").replace("\x07", "")
    else:
        rows = [json.loads(line) for line in text.splitlines()] if fmt == "ndjson" else json.loads(text)
        assert {row["source"] for row in rows} == {HOSTILE}


def test_each_format_has_one_escaping_function():
    assert terminal("a\x1bb") == "a\\x1bb"
    assert markdown("a|b*c") == "a\\|b\\*c"
    assert rst(".. raw:: html") == "\\.. raw:: html"


FORMULA = "=cmd|' /C calc'!A0"
WIKI = "[[File:x]] {{https://example.org/x.png}} <<Include(FrontPage)>> [[attachment:y]]"


@pytest.fixture(scope="module")
def formula_db(tmp_path_factory, initialised_template):
    path = tmp_path_factory.mktemp("formula") / "ratify.db"
    shutil.copyfile(initialised_template, path)
    assert run("--db", path, "load", RUS_PRK).exit_code == 0
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE treaty SET title = ?", (f"@SUM(1+1) {WIKI}",))
        connection.execute("UPDATE event SET source = ?, note = ?", (FORMULA, "-2+3"))
    return path


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_no_delimited_format_lets_a_formula_through(formula_db, fmt):
    """`history --format tsv` once wrote `=cmd|...` raw: a spreadsheet opening the file would run it."""
    import csv
    import io

    for command in (["history", "rus-prk-2024", "RUS"], ["treaty", "list"], ["status"], ["report"]):
        text = run("--db", formula_db, *command, "--format", fmt).stdout
        delimiter = "\t" if fmt == "tsv" else ","
        cells = [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
        assert cells, command
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")], (command, text[:500])
    history = run("--db", formula_db, "history", "rus-prk-2024", "RUS", "--format", fmt).stdout
    assert "'=cmd|" in history


def test_moinmoin_lets_no_link_embed_or_macro_through(formula_db):
    text = run("--db", formula_db, "treaty", "list", "--format", "moinmoin").stdout
    for markup in ("[[", "]]", "{{", "}}", "<<", ">>"):
        assert markup not in text, markup
    assert "&#91;&#91;File:x&#93;&#93;" in text
