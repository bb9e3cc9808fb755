"""The docs cannot drift: docs/cli.md holds every command's current --help.

Regenerate the help blocks with `python tests/test_docs.py`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
CLI_DOC = ROOT / "docs" / "cli.md"
BLOCK = re.compile(r"<!-- help: (?P<command>[^>]*?) -->\n```\n(?P<text>.*?)```\n<!-- /help -->", re.S)


def command_paths() -> list[str]:
    from ratify.cli import cli

    paths = []

    def walk(command: click.Command, prefix: list[str], ctx: click.Context) -> None:
        paths.append(" ".join(prefix))
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                child = command.get_command(ctx, name)
                assert child is not None, name
                walk(child, [*prefix, name], click.Context(child, parent=ctx, info_name=name))

    walk(cli, ["ratify"], click.Context(cli, info_name="ratify"))
    return paths


def help_text(path: str) -> str:
    from ratify.cli import cli

    result = CliRunner().invoke(cli, [*path.split()[1:], "--help"], terminal_width=100, prog_name="ratify")
    assert result.exit_code == 0, result.output
    return result.stdout


def regenerate(text: str) -> str:
    return BLOCK.sub(
        lambda m: f"<!-- help: {m['command']} -->\n```\n{help_text(m['command'])}```\n<!-- /help -->", text
    )


def test_every_command_is_documented():
    documented = {m["command"] for m in BLOCK.finditer(CLI_DOC.read_text())}
    assert set(command_paths()) - documented == set()


def test_every_example_in_help_stands_on_its_own_line():
    """No literal marker leaks into help, and examples are never run together into a paragraph."""
    for path in command_paths():
        for line in help_text(path).splitlines():
            text = line.strip()
            assert "\\b" not in text and not text.endswith("\\\\"), (path, line)
            if text.startswith(("Usage:", "ratify ", "Example: ratify ")):
                continue
            assert not re.search(r"\bExamples?:\s+\S", text), (path, line)


def test_help_in_the_docs_is_current():
    text = CLI_DOC.read_text()
    assert regenerate(text) == text, "docs/cli.md is stale: run python tests/test_docs.py"


def test_status_rows_follow_the_published_schema(loaded):
    """The JSON Schema in docs/json.md describes what `status --format json` prints."""
    import json

    from tests.conftest import run

    schema = json.loads(re.search(r"```json\n(.*?)```", (ROOT / "docs" / "json.md").read_text(), re.S).group(1))
    types = {"string": str, "integer": int, "boolean": bool, "null": type(None)}
    for as_of in ("2024-10-25", "2024-12-03", "2026-01-01"):
        for row in json.loads(run("status", "--as-of", as_of, "--format", "json").stdout):
            # The properties not required are the precision siblings of dates known only to the month or year.
            assert set(schema["required"]) <= set(row) <= set(schema["properties"])
            assert set(schema["properties"]) - set(schema["required"]) == {
                f"{name}_precision" for name in ("stage_date", "signed", "last_step", "deposited_on", "rule_met_on")
            }
            for field, rule in schema["properties"].items():
                if field not in row:
                    continue
                if "enum" in rule:
                    assert row[field] in rule["enum"]
                else:
                    allowed = rule["type"] if isinstance(rule["type"], list) else [rule["type"]]
                    assert isinstance(row[field], tuple(types[t] for t in allowed)), field


def test_readme_names_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme


def test_the_docs_name_only_files_that_exist():
    """A module the docs send a reader to is there: `store.py` after the store became a package was not."""
    import re
    import subprocess

    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    named = re.compile(r"`((?:[\w.-]+/)*[\w-]+\.(?:py|md|html|css|yaml))`")
    missing = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md"]:
        for path in named.findall(doc.read_text(encoding="utf-8")):
            if path.startswith("bench/out/"):  # what a benchmark writes, never committed
                continue
            if not any(file == path or file.endswith("/" + path) for file in tracked):
                missing.append(f"{doc.relative_to(ROOT)}: {path}")
    assert missing == []


def test_links_between_the_docs_lead_to_a_file_and_heading_that_exist():
    import re

    def anchors(text: str) -> set[str]:
        headings = re.findall(r"^#+ (.+)$", text, re.M)
        return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}

    broken = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md"]:
        for target in re.findall(r"\]\(([^)\s]+)\)", doc.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            path, _, anchor = target.partition("#")
            linked = (doc.parent / path).resolve() if path else doc
            if not linked.exists():
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
            elif anchor and linked.suffix == ".md" and anchor not in anchors(linked.read_text(encoding="utf-8")):
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert broken == []


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    CLI_DOC.write_text(regenerate(CLI_DOC.read_text()))
    print(f"updated {CLI_DOC}")
