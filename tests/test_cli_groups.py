"""Each command group lists its subcommands in one place: a command module registers nothing by being imported."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import click
import pytest

import ratify.cli
from ratify.cli import cli
from ratify.cli.context import LazyGroup, RatifyContext
from tests.conftest import ok

CLI = Path(ratify.cli.__file__).parent
# The modules that put commands into groups: the root group's list, and the groups spread over several modules.
ASSEMBLERS = {"main.py", "groups.py"}

# ratify.cli's __init__ imports main, which assembles every group: load the package without it.
PROBE = """
import importlib, pkgutil, sys, types
from pathlib import Path
import ratify
package = types.ModuleType("ratify.cli")
package.__path__ = [str(Path(ratify.__file__).parent / "cli")]
sys.modules["ratify.cli"] = package
for module in pkgutil.iter_modules(package.__path__):
    if module.name not in ("main", "groups", "__main__"):
        importlib.import_module("ratify.cli." + module.name)
assert "ratify.cli.main" not in sys.modules and "ratify.cli.groups" not in sys.modules
import click
for name, module in sorted(sys.modules.items()):
    if name.startswith("ratify.cli."):
        for group in vars(module).values():
            if isinstance(group, click.Group):
                for command in group.commands.values():
                    if command.callback.__module__ != group.callback.__module__:
                        print(group.name, command.name, command.callback.__module__)
print("checked")
"""


def _help_commands(*group: str) -> list[str]:
    text = ok(*group, "--help").stdout
    listed = text[text.index("Commands:") :].splitlines()[1:]
    return [line.split()[0] for line in listed if line.startswith("  ") and line.split()]


@pytest.mark.parametrize(
    ("group", "commands"),
    [
        ("treaty", ["add", "chart", "edit", "in-force", "list", "remove", "rule", "show", "terminate"]),
        ("import", ["congress", "ukparliament", "untc"]),
    ],
)
def test_a_group_offers_every_command_it_lists(group, commands):
    assert _help_commands(group) == commands


def test_a_partys_edits_are_offered_beside_its_steps():
    assert {"edit", "remove", "add"} <= set(_help_commands("party"))


def test_the_treaty_commands_from_three_modules_all_run(initialised):
    ok("treaty", "add", "t-1", "--title", "A treaty", "--party", "RUS", "--party", "PRK", "--signed", "2024-06-19")
    ok("treaty", "rule", "t-1", "--kind", "exchange")
    ok("treaty", "edit", "t-1", "--title", "A renamed treaty", "--reason", "typo")
    assert "A renamed treaty" in ok("treaty", "show", "t-1").stdout
    assert ok("treaty", "list", "--format", "csv").stdout.splitlines()[1].startswith("t-1,")


def test_no_command_module_adds_to_a_group_it_imports():
    found = []
    for path in sorted(CLI.glob("*.py")):
        if path.name in ASSEMBLERS:
            continue
        tree = ast.parse(path.read_text(), str(path))
        imported = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ratify.cli")
            for alias in node.names
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("command", "group", "add_command")
                and isinstance(node.value, ast.Name)
                and node.value.id in imported
            ):
                found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    assert found == []


def test_importing_every_command_module_puts_no_command_into_another_modules_group():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["checked"]


def _lazy_groups(group: click.Group, ctx: click.Context) -> list[tuple[click.Context, LazyGroup]]:
    found = [(ctx, group)] if isinstance(group, LazyGroup) else []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found += _lazy_groups(command, click.Context(command, parent=ctx, info_name=name))
    return found


def test_each_lazily_loaded_command_is_listed_with_its_own_short_help():
    for ctx, group in _lazy_groups(cli, click.Context(cli, info_name="ratify")):
        for name in group.lazy:
            # The group's --help lists the map's text until the command is loaded: it must read the same.
            listed = click.Command(name, help=group.lazy[name][1])
            shown = [listed.get_short_help_str(limit) for limit in range(20, 200)]
            command = group.get_command(ctx, name)
            assert command is not None and command.name == name
            assert command.context_class is RatifyContext, name
            assert shown == [command.get_short_help_str(limit) for limit in range(20, 200)], name


def test_a_lazy_entry_naming_another_command_is_refused():
    group = LazyGroup(lazy={"show": ("ratify.cli.treaty:treaty_list", "List.")})
    with pytest.raises(TypeError, match="is not the command 'show'"):
        group.get_command(click.Context(group), "show")
