"""`ratify --help` and `--version` stay light: no database stack at start-up."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "tabulate", "yaml", "pycountry", "alembic", "starlette", "uvicorn", "jinja2")

PROBE = """
import sys
from ratify.cli import cli
try:
    cli({args!r})
except SystemExit:
    pass
print("loaded:" + ",".join(sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))))
print("cli:" + ",".join(sorted(m for m in sys.modules if m.startswith("ratify.cli."))))
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["status", "--help"], ["vote", "-h"], ["db", "--help"], ["serve", "--help"]])
def test_help_imports_no_database_code(args):
    probe = PROBE.format(args=args, heavy=HEAVY)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-2] == "loaded:"


@pytest.mark.parametrize(
    ("args", "modules"),
    [
        (["--help"], "ratify.cli.context,ratify.cli.main"),
        (["--version"], "ratify.cli.context,ratify.cli.main"),
        (
            ["treaty", "--help"],
            "ratify.cli.completion,ratify.cli.context,ratify.cli.groups,ratify.cli.main,ratify.cli.party",
        ),
    ],
)
def test_help_imports_only_the_command_modules_it_shows(args, modules):
    probe = PROBE.format(args=args, heavy=HEAVY)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "cli:" + modules


def test_ordinary_commands_check_the_schema_without_alembic(initialised):
    probe = f"""
import sys
from ratify.cli import cli
try:
    cli(["--db", {str(initialised)!r}, "treaty", "list"])
except SystemExit as exit:
    assert not exit.code, exit.code
print("alembic" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "False"
