"""Reading fixture files one entry at a time, within bounds a hostile file cannot push.

A fixture is a mapping of a few sections (`procedures`, `treaties`,
`revisions`), each a list. The readers here yield one list entry at a time as
plain Python data, so memory grows with the largest entry (one treaty with
its parties and events), never with the file. YAML goes through libyaml's
event stream when PyYAML has it; JSON through the standard decoder, one
entry at a time. Aliases may not expand past `MAX_ALIAS_NODES` nodes,
nothing may nest deeper than `MAX_DEPTH`, one entry may not take more than
`MAX_ENTRY_BYTES` of the file and the file no more than `MAX_INPUT_BYTES`: each
is a one-line error. Only regular files are read: a device, FIFO or directory is
refused before it is opened (`regular_file`).
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import stat
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import IO, Any

from ratify.errors import FixtureError
from ratify.limits import MAX_ENTRY_BYTES, MAX_INPUT_BYTES

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


def regular_file(path: Path) -> None:
    """Refuse, before it is opened, what is not a regular file within `MAX_INPUT_BYTES`: a device such as
    /dev/zero would never end, a FIFO with no writer would block forever, a directory cannot be read."""
    try:
        found = os.stat(path)
    except OSError as error:
        raise FixtureError(f"{path}: cannot be read ({error.strerror or error})", "check the path") from None
    if not stat.S_ISREG(found.st_mode):
        raise FixtureError(
            f"{path}: not a regular file (a directory, device, pipe or socket)",
            "give a fixture or CSV file, or '-' for standard input",
        )
    if found.st_size > MAX_INPUT_BYTES:
        what, fix = _too_large(found.st_size)
        raise FixtureError(f"{path}: {what}", fix)


def spool(stream: IO[bytes], target: Path, name: str = "-") -> None:
    """Standard input copied to `target`, within `MAX_INPUT_BYTES`: `load - < /dev/zero` stops at once, since no
    fixture or CSV holds a NUL byte, and an endless stream of anything else stops at the limit."""
    copied = 0
    with target.open("wb") as out:
        while piece := stream.read(1 << 20):
            if b"\x00" in piece:
                raise FixtureError(f"{name}: holds a NUL byte, which no fixture or CSV file does", "check the input")
            copied += len(piece)
            if copied > MAX_INPUT_BYTES:
                raise FixtureError(f"{name}: {_too_large()[0]}", _too_large()[1])
            out.write(piece)


def _too_large(size: int | None = None) -> tuple[str, str]:
    weighs = f" ({size:,} bytes)" if size is not None else ""
    return f"larger than {MAX_INPUT_BYTES:,} bytes{weighs}", "split it into several files"


def read_entries(path: Path, progress: Callable[[int], None] | None = None) -> Iterator[Entry]:
    """The top-level entries of a fixture file, one at a time; `progress` hears of the bytes read."""
    regular_file(path)
    logging.getLogger(__name__).info("reading %s", path)
    try:
        counted = _Counted(path.open("rb", buffering=0))
    except OSError as error:
        raise FixtureError(f"{path}: cannot be read ({error})", "check the path") from None
    handle = io.TextIOWrapper(io.BufferedReader(counted), encoding="utf-8")
    is_json = path.suffix.lower() == ".json"
    with handle:
        try:
            entries = _json_entries(handle) if is_json else _yaml_entries(handle)
            done = 0
            for entry in entries:
                yield entry
                counted.entry_began = counted.position
                if progress is not None:
                    progress(counted.position - done)
                    done = counted.position
        except _Oversized as error:
            raise FixtureError(f"{path}: {error.args[0]}", error.args[1]) from None
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


class _Oversized(Exception):
    """(what, how to fix it): the file, or one entry of it, is past its limit."""


class _Counted(io.RawIOBase):
    """A file that counts what is read from it and stops past the limits, whatever reads it (libyaml too)."""

    def __init__(self, raw: io.RawIOBase) -> None:
        self.raw = raw
        self.position = 0
        self.entry_began = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.raw.readinto(buffer) or 0
        self.position += count
        if self.position > MAX_INPUT_BYTES:
            raise _Oversized(*_too_large())
        if self.position - self.entry_began > MAX_ENTRY_BYTES:
            raise _Oversized(
                f"one entry runs past {MAX_ENTRY_BYTES:,} bytes",
                "check the file; the largest real treaty, parties, events and acts included, takes 137 KB",
            )
        return count

    def close(self) -> None:
        self.raw.close()
        super().close()


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
        if "exceeded maximum nesting depth" in str(error):  # libyaml's own bound, far above ours
            raise RecursionError from None
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
        self.next_event = loader.get_event
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.aliased = 0
        self.nodes = 0
        self.plain: dict[str, Any] = {}  # plain scalars seen, as constructed
        self.kinds = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)

    def entries(self) -> Iterator[Entry]:
        yaml, next_event, value = self.yaml, self.next_event, self.make_reader()
        next_event()  # stream start
        event = next_event()
        if type(event) is yaml.StreamEndEvent:
            return
        event = next_event()  # the document's first node
        if type(event) is yaml.MappingStartEvent:
            if event.tag not in self._KNOWN_COLLECTIONS or event.anchor is not None:
                raise NotReadable("a tag or an anchor on the top-level mapping is not supported")
            while True:
                event = next_event()
                if type(event) is yaml.MappingEndEvent:
                    break
                key = value(event, 1)
                event = next_event()
                if key == "<<":
                    raise NotReadable("a merge key at the top of the file is not supported")
                if (
                    key in SECTIONS
                    and type(event) is yaml.SequenceStartEvent
                    and event.anchor is None
                    and event.tag in self._KNOWN_COLLECTIONS
                ):
                    index = 0
                    while True:
                        event = next_event()
                        if type(event) is yaml.SequenceEndEvent:
                            break
                        yield key, index, value(event, 2)
                        index += 1
                    continue
                yield key, None, value(event, 1)
        elif value(event, 0) is not None:
            raise _NotAMapping
        next_event()  # document end
        if type(next_event()) is not yaml.StreamEndEvent:
            raise NotReadable("expected a single document in the stream, but found another document")

    def make_reader(self) -> Callable[[Any, int], Any]:
        """The function that builds a node from its first event; closures, since it runs for every event."""
        yaml = self.yaml
        next_event, plain_cache, known = self.next_event, self.plain, self._KNOWN_COLLECTIONS
        scalar, mapping, sequence, alias = self.kinds
        mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        construct, anchored, merge = self.scalar, self.anchored, self.merge

        def value(event: Any, depth: int) -> Any:
            kind = type(event)
            if kind is scalar:
                if event.anchor is None:
                    if event.tag is None:
                        if not event.implicit[0]:
                            return event.value  # quoted: text
                        try:
                            return plain_cache[event.value]
                        except KeyError:
                            pass
                    return construct(event)
                return anchored(event.anchor, construct(event), 1)
            if kind is alias:
                return self.alias(event)
            if depth >= MAX_DEPTH:
                raise RecursionError
            if event.tag not in known:
                raise NotReadable(f"unsupported tag {event.tag}")
            first = self.nodes
            result: Any
            if kind is mapping:
                result = {}
                merged: list[tuple[Any, Any]] = []
                while True:
                    key_event = next_event()
                    if type(key_event) is mapping_end:
                        break
                    if (
                        type(key_event) is scalar
                        and key_event.value == "<<"
                        and key_event.tag is None
                        and key_event.implicit[0]
                    ):
                        merged.extend(merge(value(next_event(), depth + 1)))
                        continue
                    key = value(key_event, depth + 1)
                    item = value(next_event(), depth + 1)
                    try:
                        result[key] = item
                    except TypeError:
                        raise NotReadable(f"found an unhashable key {key!r}") from None
                    self.nodes += 2
                if merged:
                    # As PyYAML builds it: merged keys first, the first source of each winning, then the
                    # mapping's own keys over them.
                    base: dict = {}
                    for pair_key, pair_value in merged:
                        base.setdefault(pair_key, pair_value)
                    base.update(result)
                    result = base
            elif kind is sequence:
                result = []
                while True:
                    item_event = next_event()
                    if type(item_event) is sequence_end:
                        break
                    result.append(value(item_event, depth + 1))
                    self.nodes += 1
            else:  # pragma: no cover - the parser only yields nodes here
                raise NotReadable(f"unexpected {event}")
            if event.anchor is not None:
                anchored(event.anchor, result, self.nodes - first + 1)
            return result

        return value

    def merge(self, value: Any) -> list[tuple[Any, Any]]:
        """A merge key's pairs: a mapping's, or those of a list of mappings in order."""
        if isinstance(value, dict):
            return list(value.items())
        if isinstance(value, list) and all(isinstance(item, dict) for item in value):
            return [pair for item in value for pair in item.items()]
        raise NotReadable("a merge key (<<) takes a mapping or a list of mappings")

    def scalar(self, event: Any) -> Any:
        """Resolve and construct a scalar exactly as the loader does; plain untagged ones are remembered."""
        loader, tag = self.loader, event.tag
        plain = (tag is None or tag == "!") and event.implicit[0]
        if tag is None or tag == "!":
            tag = loader.resolve(self.yaml.ScalarNode, event.value, event.implicit)
        constructor = loader.yaml_constructors.get(tag)
        if constructor is None:
            raise NotReadable(f"could not determine a constructor for the tag {tag!r}")
        try:
            result = constructor(loader, self.yaml.ScalarNode(tag, event.value, style=event.style))
        except ValueError:
            # A number past Python's digit limit (4,300): left as text, for validation to name its field.
            if tag != "tag:yaml.org,2002:int":
                raise
            result = event.value
        if plain:
            if len(self.plain) > 100_000:
                self.plain.clear()
            self.plain[event.value] = result
        return result

    def anchored(self, anchor: str, value: Any, size: int) -> Any:
        self.anchors[anchor] = (value, size)
        return value

    def alias(self, event: Any) -> Any:
        try:
            value, size = self.anchors[event.anchor]
        except KeyError:
            raise NotReadable(f"found undefined alias {event.anchor!r}") from None
        self.aliased += size
        self.nodes += size  # an anchor around this alias holds the expanded size
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
        if reader.value() is not None or reader.next_char() != "":
            raise _NotAMapping
        return  # `null`: an empty file, as YAML's `~`
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


def _whole_number(text: str) -> int | str:
    """A JSON integer; past Python's digit limit (4,300) left as text, for validation to name its field."""
    try:
        return int(text)
    except ValueError:
        return text


class _JsonReader:
    """The standard decoder over a window of the file: one value at a time, the window refilled as needed."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.buffer = ""
        self.position = 0
        self.lines_before = 0  # newlines in the text already dropped from the window
        self.finished = False
        self.decoder = json.JSONDecoder(parse_int=_whole_number)

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
