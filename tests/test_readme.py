"""The README's tour runs as written: every `$ ratify ...` line and its output."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from ratify.cli import cli
from tests.conftest import ROOT

CONSOLE = re.compile(r"```console\n(.*?)```", re.S)


def tour_steps() -> list[tuple[list[str], str]]:
    steps: list[tuple[list[str], str]] = []
    for block in CONSOLE.findall((ROOT / "README.md").read_text()):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            steps.append((shlex.split(command), output))
    return steps


def test_the_tour(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    runner = CliRunner()
    demo = runner.invoke(cli, ["--db", "demo.db", "init"])
    assert demo.exit_code == 0
    treaties = sorted(str(path.relative_to(tmp_path)) for path in (tmp_path / "fixtures" / "treaties").glob("*.yaml"))
    assert runner.invoke(cli, ["--db", "demo.db", "load", *treaties]).exit_code == 0  # as `make demo` does
    steps = tour_steps()
    assert len(steps) > 10
    for words, expected in steps:
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            monkeypatch.setenv(name, value)
            continue
        assert words[0] == "ratify", words
        result = runner.invoke(cli, words[1:], terminal_width=100, prog_name="ratify")
        assert result.output == expected, " ".join(words)


# The README's example opens demo.db, a SQLite file in the working directory.
@pytest.mark.sqlite_only
def test_the_python_example(loaded, tmp_path, monkeypatch, capsys):
    code = re.search(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    monkeypatch.chdir(tmp_path)
    loaded.rename(tmp_path / "demo.db")
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == [
        "PRK signed signed, decree pending",
        "RUS in_legislature lower house passed, upper house pending",
    ]


SKETCH = re.compile(r"```sh\n(.*?)```", re.S)
#: Lines that need what the demo lacks: a server that keeps running, a spreadsheet of one's own, a parliament's
#: saved response for a treaty the demo does not hold (tests/test_import_congress.py and
#: tests/test_import_ukparliament.py run those commands).
NOT_RUN_HERE = ("ratify load events.csv", "ratify --db demo.db serve", "ratify import congress", "ratify import ukparliament")


def test_the_command_sketches_run_on_the_demo_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Every `ratify ...` line of the README's sketches, as written, on the database `make demo` builds."""
    from tests.untc_pages import ATT_NOTES, ATT_ROWS, page

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RATIFY_DB", "demo.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    treaties = sorted(str(path) for path in (ROOT / "fixtures" / "treaties").glob("*.yaml"))
    assert runner.invoke(cli, ["load", *treaties]).exit_code == 0  # as `make demo` does
    (tmp_path / "XXVI-8.html").write_text(page(list(ATT_ROWS.values()), signatories=8, parties=8, notes=ATT_NOTES))
    lines = [line.split("  #", 1)[0].strip() for block in SKETCH.findall((ROOT / "README.md").read_text())
             for line in block.splitlines() if line.startswith("ratify ")]  # fmt: skip
    assert len(lines) >= 14
    for line in lines:
        if line.startswith(NOT_RUN_HERE):
            continue
        words, _, redirect = line.partition(" > ")
        result = runner.invoke(cli, shlex.split(words)[1:], prog_name="ratify")
        assert result.exit_code == 0, (line, result.output)
        if redirect:
            assert result.stdout.strip(), line
    assert "Duma's own release" in runner.invoke(cli, ["history", "rus-prk-2024", "--all", "--format", "csv"]).stdout
