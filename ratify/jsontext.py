"""Indented JSON as the standard library writes it, the bulk of it by the C encoder.

`json.dumps(value, indent=2)` runs the pure-Python encoder, several times slower
than the C one (an export's events: 0.53 s against 0.22 s at the benchmark's S).
The C encoder cannot indent, but it takes any
separator: a mapping or list holding no containers is written in one call with
",\\n" and the indentation as its item separator, which is the indented text
(a newline inside a string is always escaped, so the separator cannot clash).
Only the containers of containers above those are laid out here.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

INDENT = "  "
_scalar: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False).encode


def indented(value: Any, depth: int = 0) -> str:
    """json.dumps(value, ensure_ascii=False, indent=2), as written `depth` levels deep in a larger document."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        if _PLAIN.issuperset(map(type, value.values())):
            return _flat(value, depth)
        if not _TEXT.issuperset(map(type, value)):  # keys the encoder converts: its own rules
            return _standard(value, depth)
        inner = "\n" + INDENT * (depth + 1)
        return "{" + inner + ("," + inner).join(_members(value, depth)) + "\n" + INDENT * depth + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        if _PLAIN.issuperset(map(type, value)):
            return _flat(value, depth)
        inner = "\n" + INDENT * (depth + 1)
        items = (indented(item, depth + 1) for item in value)
        return "[" + inner + ("," + inner).join(items) + "\n" + INDENT * depth + "]"
    return _scalar(value)


#: Types written the same in one C call: exactly these, so that no container hides behind a subclass.
_PLAIN = frozenset({str, int, float, bool, type(None)})
_TEXT = frozenset({str})


def _members(mapping: dict, depth: int) -> list[str]:
    """A mapping's members as text, each run of plain values in one C call, each container laid out in turn."""
    members: list[str] = []
    run: dict = {}
    for key, item in mapping.items():
        if type(item) in _PLAIN:
            run[key] = item
            continue
        if run:
            members.append(_separated(depth)(run)[1:-1])
            run = {}
        members.append(f"{_scalar(key)}: {indented(item, depth + 1)}")
    if run:
        members.append(_separated(depth)(run)[1:-1])
    return members


def _flat(value: dict | list | tuple, depth: int) -> str:
    """A container of plain values: one C call; its brackets get their own lines as json.dumps gives them."""
    text = _separated(depth)(value)
    return text[0] + "\n" + INDENT * (depth + 1) + text[1:-1] + "\n" + INDENT * depth + text[-1]


@functools.cache
def _separated(depth: int) -> Callable[[Any], str]:
    """The C encoder with the indentation of `depth` as its item separator, built once per depth."""
    separator = ",\n" + INDENT * (depth + 1)
    if c_make_encoder is None:  # an interpreter without the C module: the same text, slower
        return json.JSONEncoder(ensure_ascii=False, separators=(separator, ": ")).encode
    # What JSONEncoder.iterencode builds on every call (ensure_ascii=False, allow_nan, no circular check:
    # an entry is a tree), built once: at tens of thousands of small mappings, building it was most of the cost.
    chunks = c_make_encoder(None, _refuse, encode_basestring, None, ": ", separator, False, False, True)
    return lambda value: "".join(chunks(value, 0))


def _refuse(value: Any) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _standard(value: Any, depth: int) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + INDENT * depth)
