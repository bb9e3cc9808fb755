"""Arrows point down: the pure rules import nothing from the layers built on them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import ratify.rules

RULES = Path(ratify.rules.__file__).parent
ABOVE = ("ratify.record", "ratify.store", "ratify.exchange", "ratify.reports", "ratify.cli")

PROBE = """
import importlib, pkgutil, sys
import ratify.rules
for module in pkgutil.iter_modules(ratify.rules.__path__):
    importlib.import_module("ratify.rules." + module.name)
print("\\n".join(sorted(sys.modules)))
"""


def _above(name: str) -> bool:
    return any(name == layer or name.startswith(layer + ".") for layer in ABOVE)


def test_rules_name_no_module_above_them():
    """Every import statement, at the top or inside a function, read from the source."""
    found = []
    for path in sorted(RULES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            found += [f"{path.name}:{node.lineno} {name}" for name in names if _above(name)]
    assert found == []


def test_rules_load_no_module_above_them():
    """Importing every rules module, in a fresh interpreter, loads none of the layers above, even indirectly."""
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert [name for name in result.stdout.split() if _above(name)] == []
