"""Indented JSON exactly as `json.dumps(value, ensure_ascii=False, indent=2)` writes it, mostly by orjson.

The standard library lays indented text out in Python before 3.13, several times slower than
orjson (an export's events at the benchmark's S: docs/performance.md). orjson's `OPT_INDENT_2`
text is the standard library's wherever both accept a value, except for floats (`1e-05` is
`0.00001` there, `NaN` is `null`), integers beyond 64 bits and lone surrogates, which it refuses,
and the types it writes but the standard library refuses (dates, enums, dataclasses). So orjson
writes a container only when it holds nothing but text keys, text, integers, booleans, None,
lists, tuples and mappings, and anything else is laid out here, down to the standard library's
own text for each value orjson cannot be trusted with.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson

INDENT = "  "
_scalar: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False).encode

#: Exactly these types, so that nothing hides behind a subclass (an enum, a float).
_SCALARS = frozenset({str, int, bool, type(None)})
_TEXT = frozenset({str})


def indented(value: Any, depth: int = 0) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), as written `depth` levels deep in a larger document."""
    if _orjson_writes_it(value):
        try:
            return _deeper(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode(), depth)
        except orjson.JSONEncodeError:  # an integer beyond 64 bits, a lone surrogate: laid out below
            pass
    kind = type(value)
    inner = "\n" + INDENT * (depth + 1)
    if isinstance(value, dict) and value and _TEXT.issuperset(map(type, value)):
        members = (f"{_scalar(key)}: {indented(item, depth + 1)}" for key, item in value.items())
        return "{" + inner + ("," + inner).join(members) + "\n" + INDENT * depth + "}"
    if (kind is list or kind is tuple or isinstance(value, (list, tuple))) and value:
        items = (indented(item, depth + 1) for item in value)
        return "[" + inner + ("," + inner).join(items) + "\n" + INDENT * depth + "]"
    if isinstance(value, (dict, list, tuple)):  # empty, or with keys the standard library converts (1, None)
        return _deeper(json.dumps(value, ensure_ascii=False, indent=2), depth)
    return _scalar(value)  # a float, a big integer, a lone surrogate, any other type: the standard library's text


def _orjson_writes_it(value: Any) -> bool:
    """Whether `value` holds only what orjson writes as the standard library does (see the module's docstring)."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is dict:
        if not _TEXT.issuperset(map(type, value)):
            return False
        items = value.values()
    elif kind is list or kind is tuple:
        items = value
    else:
        return False
    if _SCALARS.issuperset(map(type, items)):
        return True
    return all(_orjson_writes_it(item) for item in items if type(item) not in _SCALARS)


def _deeper(text: str, depth: int) -> str:
    """Text laid out at the top level, moved `depth` levels in (a newline inside a string is always escaped)."""
    return text.replace("\n", "\n" + INDENT * depth) if depth else text
