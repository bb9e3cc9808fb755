"""Reading fixture files one entry at a time, within bounds a hostile file cannot push.

A fixture is a mapping of a few sections (`procedures`, `treaties`,
`revisions`), each a list. The readers here yield one list entry at a time as
plain Python data, so memory grows with the largest entry (one treaty with
its parties and events), never with the file. YAML goes through libyaml's
event stream when PyYAML has it; JSON through the standard decoder, one
entry at a time. Aliases may not expand past `MAX_ALIAS_NODES` nodes, and
nothing may nest deeper than `MAX_DEPTH`: both are one-line errors.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import IO, Any

from ratify.errors import FixtureError

#: Sections whose entries are read one at a time, in the order they are applied.
SECTIONS = ("procedures", "treaties", "revisions")
#: Deeper than any fixture: treaty, parties, party, events, event, vote is six.
MAX_DEPTH = 48
#: Nodes that aliases may bring in, in all: enough for shared sources, far too few for an alias bomb.
MAX_ALIAS_NODES = 10_000

#: (key, index, value): a section's entry and its index, or a top-level key, None and its whole value.
Entry = tuple[str, int | None, Any]

_IMPLICIT_TAGS_DROPPED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class NotReadable(ValueError):
    """The file is not well-formed YAML or JSON, or goes past a bound; the message says where."""


def read_entries(path: Path, progress: Callable[[int], None] | None = None) -> Iterator[Entry]:
    """The top-level entries of a fixture file, one at a time; `progress` hears of the bytes read."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as error:
        raise FixtureError(f"{path}: cannot be read ({error})", "check the path") from None
    is_json = path.suffix.lower() == ".json"
    with handle:
        try:
            entries = _json_entries(handle) if is_json else _yaml_entries(handle)
            if progress is None:
                yield from entries
            else:
                done = 0
                for entry in entries:
                    yield entry
                    position = handle.buffer.tell()  # type: ignore[attr-defined]  # an opened file's buffer
                    progress(position - done)
                    done = position
        except UnicodeDecodeError as error:
            raise FixtureError(f"{path}: cannot be read ({error})", "check the path") from None
        except RecursionError:
            raise FixtureError(f"{path}: nested too deep (a fixture needs a few levels; at most {MAX_DEPTH})") from None
        except NotReadable as error:
            detail = " ".join(str(error).split())
            raise FixtureError(f"{path}: not valid {'JSON' if is_json else 'YAML'}: {detail}") from None
        except _NotAMapping:
            raise FixtureError(f"{path}: expected a mapping at the top of the file") from None


def read_whole(path: Path) -> dict[str, Any]:
    """The whole file as one mapping (for small files: rules, the shipped templates)."""
    data: dict[str, Any] = {}
    for key, index, value in read_entries(path):
        if index is None:
            data[key] = value
        elif index == 0 or not isinstance(data.get(key), list):
            data[key] = [value]
        else:
            data[key].append(value)
    return data


class _NotAMapping(Exception):
    pass


# --------------------------------------------------------------------------- YAML


@cache
def strict_loaders() -> tuple[type, ...]:
    """PyYAML's safe loaders with YAML 1.2 booleans and no implicit timestamps: C first, if built.

    `yes:` and `no:` stay keys (YAML 1.1 would read them as booleans), and dates
    stay text, so that ratify's own date check names the entry of a bad one.
    Both loaders resolve every scalar the same way (tests hold them to it).
    """
    import yaml

    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag not in _IMPLICIT_TAGS_DROPPED]
        for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loaders = []
    bases = [yaml.SafeLoader] + ([yaml.CSafeLoader] if getattr(yaml, "__with_libyaml__", False) else [])
    for base in reversed(bases):

        class Strict(base):  # type: ignore[valid-type,misc]
            pass

        Strict.yaml_implicit_resolvers = {first: list(entries) for first, entries in resolvers.items()}
        Strict.add_implicit_resolver("tag:yaml.org,2002:bool", _YAML12_BOOL, list("tTfF"))
        Strict.__name__ = Strict.__qualname__ = f"Strict{base.__name__}"
        loaders.append(Strict)
    return tuple(loaders)


def _yaml_entries(handle: IO[str]) -> Iterator[Entry]:
    import yaml

    loader = strict_loaders()[0](handle)
    try:
        builder = _YamlBuilder(loader)
        yield from builder.entries()
    except yaml.YAMLError as error:
        raise NotReadable(str(error)) from None
    finally:
        loader.dispose()


class _YamlBuilder:
    """Plain data from the parser's events, as the strict loader would construct it.

    Scalars are resolved and constructed by the loader itself (with a cache,
    since keys and dates repeat); only mappings, sequences, anchors and merge
    keys are assembled here, with the depth and alias bounds checked as they come.
    """

    _MERGE = "tag:yaml.org,2002:merge"
    _KNOWN_COLLECTIONS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")

    def __init__(self, loader: Any) -> None:
        import yaml

        self.yaml = yaml
        self.loader = loader
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.aliased = 0
        self.nodes = 0
        self.scalars: dict[tuple[str | None, str, bool], Any] = {}

    def entries(self) -> Iterator[Entry]:
        yaml, loader = self.yaml, self.loader
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return
        loader.get_event()  # document start
        if loader.check_event(yaml.MappingStartEvent):
            start = loader.get_event()
            if start.tag not in self._KNOWN_COLLECTIONS:
                raise NotReadable(f"unsupported tag {start.tag} at the top of the file")
            while not loader.check_event(yaml.MappingEndEvent):
                key = self.value(1)
                if key in SECTIONS and loader.check_event(yaml.SequenceStartEvent):
                    opening = loader.peek_event()
                    if opening.anchor is None and opening.tag in self._KNOWN_COLLECTIONS:
                        loader.get_event()
                        index = 0
                        while not loader.check_event(yaml.SequenceEndEvent):
                            yield key, index, self.value(2)
                            index += 1
                        loader.get_event()
                        continue
                if key == "<<":
                    raise NotReadable("a merge key at the top of the file is not supported")
                yield key, None, self.value(1)
            loader.get_event()
        else:
            value = self.value(0)
            if value is not None:
                raise _NotAMapping
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            raise NotReadable("expected a single document in the stream, but found another document")

    def value(self, depth: int) -> Any:
        yaml, loader = self.yaml, self.loader
        if depth > MAX_DEPTH:
            raise RecursionError
        event = loader.get_event()
        self.nodes += 1
        kind = type(event)
        if kind is yaml.ScalarEvent:
            result = self.scalar(event)
        elif kind is yaml.AliasEvent:
            return self.alias(event)
        elif kind is yaml.MappingStartEvent:
            self.collection_tag(event)
            first = self.nodes
            result = self.mapping(depth)
            return self.anchored(event.anchor, result, first)
        elif kind is yaml.SequenceStartEvent:
            self.collection_tag(event)
            first = self.nodes
            result = []
            while not loader.check_event(yaml.SequenceEndEvent):
                result.append(self.value(depth + 1))
            loader.get_event()
            return self.anchored(event.anchor, result, first)
        else:  # pragma: no cover - the parser only yields nodes here
            raise NotReadable(f"unexpected {event}")
        return self.anchored(event.anchor, result, self.nodes)

    def mapping(self, depth: int) -> dict:
        yaml, loader = self.yaml, self.loader
        pairs: list[tuple[Any, Any]] = []
        merged: list[tuple[Any, Any]] = []
        while not loader.check_event(yaml.MappingEndEvent):
            key_event = loader.peek_event()
            key = self.value(depth + 1)
            value = self.value(depth + 1)
            if key == "<<" and type(key_event) is yaml.ScalarEvent and key_event.tag is None and key_event.implicit[0]:
                merged = self.merge(value) + merged
                continue
            try:
                hash(key)
            except TypeError:
                raise NotReadable(f"found an unhashable key {key!r}") from None
            pairs.append((key, value))
        loader.get_event()
        return dict(merged + pairs)

    def merge(self, value: Any) -> list[tuple[Any, Any]]:
        """A merge key's pairs, as SafeConstructor.flatten_mapping orders them (explicit keys win)."""
        if isinstance(value, dict):
            return list(value.items())
        if isinstance(value, list) and all(isinstance(item, dict) for item in value):
            pairs: list[tuple[Any, Any]] = []
            for item in reversed(value):
                pairs.extend(item.items())
            return pairs
        raise NotReadable("a merge key (<<) takes a mapping or a list of mappings")

    def collection_tag(self, event: Any) -> None:
        if event.tag not in self._KNOWN_COLLECTIONS:
            raise NotReadable(f"unsupported tag {event.tag}")

    def scalar(self, event: Any) -> Any:
        tag, plain = event.tag, event.implicit[0]
        if tag == "!":
            tag = None
        key = (tag, event.value, plain)
        try:
            return self.scalars[key]
        except KeyError:
            pass
        loader = self.loader
        if tag is None:
            tag = loader.resolve(self.yaml.ScalarNode, event.value, event.implicit)
        constructor = loader.yaml_constructors.get(tag)
        if constructor is None:
            raise NotReadable(f"could not determine a constructor for the tag {tag!r}")
        result = constructor(loader, self.yaml.ScalarNode(tag, event.value, style=event.style))
        if len(self.scalars) > 50_000:
            self.scalars.clear()
        self.scalars[key] = result
        return result

    def anchored(self, anchor: str | None, value: Any, first: int) -> Any:
        if anchor is not None:
            self.anchors[anchor] = (value, self.nodes - first + 1)
        return value

    def alias(self, event: Any) -> Any:
        try:
            value, size = self.anchors[event.anchor]
        except KeyError:
            raise NotReadable(f"found undefined alias {event.anchor!r}") from None
        self.aliased += size
        if self.aliased > MAX_ALIAS_NODES:
            raise NotReadable(
                f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes (write the entries out, or split the file)"
            )
        return value


# --------------------------------------------------------------------------- JSON

_CHUNK = 1 << 20
_WHITESPACE = " \t\n\r"


def _json_entries(handle: IO[str]) -> Iterator[Entry]:
    reader = _JsonReader(handle)
    if reader.next_char() == "":
        raise NotReadable(reader.where("Expecting value"))
    if reader.next_char() != "{":
        reader.value()
        raise _NotAMapping
    reader.take("{")
    if reader.next_char() == "}":
        reader.take("}")
    else:
        while True:
            key = reader.value()
            if not isinstance(key, str):
                raise NotReadable(reader.where("Expecting property name enclosed in double quotes"))
            reader.take(":")
            if key in SECTIONS and reader.next_char() == "[":
                reader.take("[")
                if reader.next_char() == "]":
                    reader.take("]")
                else:
                    index = 0
                    while True:
                        yield key, index, reader.value()
                        index += 1
                        if reader.next_char() == ",":
                            reader.take(",")
                            continue
                        reader.take("]")
                        break
            else:
                yield key, None, reader.value()
            if reader.next_char() == ",":
                reader.take(",")
                continue
            reader.take("}")
            break
    if reader.next_char() != "":
        raise NotReadable(reader.where("Extra data"))


class _JsonReader:
    """The standard decoder over a window of the file: one value at a time, the window refilled as needed."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.buffer = ""
        self.position = 0
        self.lines_before = 0  # newlines in the text already dropped from the window
        self.finished = False
        self.decoder = json.JSONDecoder()

    def fill(self) -> bool:
        if self.finished:
            return False
        if self.position > _CHUNK:
            dropped = self.buffer[: self.position]
            self.lines_before += dropped.count("\n")
            self.buffer, self.position = self.buffer[self.position :], 0
        chunk = self.handle.read(max(_CHUNK, len(self.buffer)))
        if not chunk:
            self.finished = True
            return False
        self.buffer += chunk
        return True

    def next_char(self) -> str:
        while True:
            while self.position < len(self.buffer) and self.buffer[self.position] in _WHITESPACE:
                self.position += 1
            if self.position < len(self.buffer):
                return self.buffer[self.position]
            if not self.fill():
                return ""

    def take(self, expected: str) -> None:
        if self.next_char() != expected:
            names = {":": "':' delimiter", ",": "',' delimiter", "]": "',' delimiter", "}": "',' delimiter"}
            raise NotReadable(self.where(f"Expecting {names.get(expected, repr(expected))}"))
        self.position += 1

    def value(self) -> Any:
        self.next_char()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.position)
            except json.JSONDecodeError as error:
                if self.fill():
                    continue
                raise NotReadable(self.where(error.msg, error.pos)) from None
            # A number may go on past the window's edge: decode it again with more text.
            if end == len(self.buffer) and self.fill():
                continue
            self.position = end
            return value

    def where(self, message: str, position: int | None = None) -> str:
        position = self.position if position is None else position
        line = self.lines_before + self.buffer.count("\n", 0, position) + 1
        return f"{message}: line {line}"
