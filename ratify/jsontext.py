"""Indented JSON as the standard library writes it, the bulk of it by the C encoder.

`json.dumps(value, indent=2)` runs the pure-Python encoder, which costs more than
everything else in an export. The C encoder cannot indent, but it takes any
separator: a mapping or list holding no containers is written in one call with
",\\n" and the indentation as its item separator, which is the indented text
(a newline inside a string is always escaped, so the separator cannot clash).
Only the containers of containers above those are laid out here.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

_INDENT = "  "
_scalar: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False).encode


def indented(value: Any, depth: int = 0) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), as written `depth` levels deep in a larger document."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not all(key.__class__ is str for key in value):  # keys the encoder converts: its own rules
            return _standard(value, depth)
        if not any(isinstance(item, (dict, list, tuple)) for item in value.values()):
            return _flat(value, depth)
        inner = "\n" + _INDENT * (depth + 1)
        items = (f"{_scalar(key)}: {indented(item, depth + 1)}" for key, item in value.items())
        return "{" + inner + ("," + inner).join(items) + "\n" + _INDENT * depth + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if not any(isinstance(item, (dict, list, tuple)) for item in value):
            return _flat(value, depth)
        inner = "\n" + _INDENT * (depth + 1)
        items = (indented(item, depth + 1) for item in value)
        return "[" + inner + ("," + inner).join(items) + "\n" + _INDENT * depth + "]"
    return _scalar(value)


def _flat(value: dict | list | tuple, depth: int) -> str:
    """A container of plain values: one C call; its brackets get their own lines as json.dumps gives them."""
    text = _separated(depth)(value)
    return text[0] + "\n" + _INDENT * (depth + 1) + text[1:-1] + "\n" + _INDENT * depth + text[-1]


@functools.cache
def _separated(depth: int) -> Callable[[Any], str]:
    return json.JSONEncoder(ensure_ascii=False, separators=(",\n" + _INDENT * (depth + 1), ": ")).encode


def _standard(value: Any, depth: int) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + _INDENT * depth)
