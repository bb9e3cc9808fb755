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
