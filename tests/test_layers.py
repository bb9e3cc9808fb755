"""Arrows point down: the pure rules import nothing from the layers built on them, nor the record and its reports
from the sources read into it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import ratify.rules

PACKAGE = Path(ratify.rules.__file__).parent.parent
RULES = PACKAGE / "rules"
ABOVE = ("ratify.record", "ratify.store", "ratify.exchange", "ratify.reports", "ratify.cli")
# A depositary's page or a parliament's record is read into the record; what the record says of a date is ratify.dates.
SOURCES = ("ratify.depositary", "ratify.parliament", "ratify.exchange", "ratify.web", "ratify.cli")

PROBE = """
import importlib, pkgutil, sys
import ratify.rules
for module in pkgutil.iter_modules(ratify.rules.__path__):
    importlib.import_module("ratify.rules." + module.name)
print("\\n".join(sorted(sys.modules)))
"""


def _above(name: str, layers: tuple[str, ...] = ABOVE) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in layers)


def _imports_of(folder: Path, layers: tuple[str, ...]) -> list[str]:
    """Every import statement, at the top or inside a function, read from the source."""
    found = []
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            found += [f"{path.name}:{node.lineno} {name}" for name in names if _above(name, layers)]
    return found


def test_rules_name_no_module_above_them():
    assert _imports_of(RULES, ABOVE) == []


@pytest.mark.parametrize("part", ["rules", "store", "record", "reports"])
def test_the_record_and_its_reports_name_no_source_read_into_them(part):
    assert _imports_of(PACKAGE / part, SOURCES) == []


def test_rules_load_no_module_above_them():
    """Importing every rules module, in a fresh interpreter, loads none of the layers above, even indirectly."""
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert [name for name in result.stdout.split() if _above(name)] == []


def test_no_module_imports_a_private_name_of_another():
    """A name two modules share is public where it lives: a `_name` is free to change inside its own module."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ratify"):
                found += [
                    f"{path.relative_to(PACKAGE)}:{node.lineno} {node.module}.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_") and not alias.name.startswith("__")
                ]
    assert found == []
