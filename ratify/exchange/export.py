"""The whole database in the fixture format, so that `ratify load` brings it back whole.

Order is deterministic (treaties by slug, parties by code, events by date and
procedure order), so exporting, loading into an empty database and exporting
again gives the same text. The text is written a treaty at a time, from four
row streams read side by side in that order: memory holds one treaty, never
the database.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from itertools import groupby
from typing import Any

from sqlalchemy import case
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from ratify.jsontext import indented
from ratify.record.procedures import STAGE_FIELDS
from ratify.store.entries import act_entry, clean, event_entry, party_entry, plain, treaty_entry
from ratify.store.models import Act, Event, Party, Procedure, Revision, Stage, Treaty

_ROWS_PER_FETCH = 2_000


def export_data(session: Session, *, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Everything, as one fixture mapping (procedures, then treaties): for a small database or a test."""
    data: dict[str, Any] = {"procedures": procedures(session), "treaties": list(treaties(session, progress))}
    kept = list(revisions(session))
    if kept:
        data["revisions"] = kept
    return data


def export_text(session: Session, fmt: str, *, progress: Callable[[int], None] | None = None) -> Iterator[str]:
    """The export as text, a treaty at a time: the same text `dump(export_data(...))` gives."""
    kept = revisions(session)
    first_revision = next(kept, None)
    sections: list[tuple[str, Iterator[dict[str, Any]]]] = [
        ("procedures", iter(procedures(session))),
        ("treaties", treaties(session, progress)),
    ]
    if first_revision is not None:
        sections.append(("revisions", _chain(first_revision, kept)))
    if fmt == "json":
        yield from _json_text(sections)
    else:
        yield from _yaml_text(sections)


def dump(data: dict[str, Any], fmt: str) -> Iterator[str]:
    """A fixture mapping as text, whole."""
    if fmt == "json":
        yield indented(data) + "\n"
        return
    yield _yaml_dump(data)


def count_treaties(session: Session) -> int:
    from sqlalchemy import func

    return session.exec(select(func.count()).select_from(Treaty)).one()


# --------------------------------------------------------------------------- the rows, in export order


def procedures(session: Session) -> list[dict[str, Any]]:
    stages: dict[str, list[Stage]] = {}
    for stage in session.exec(select(Stage).order_by(Stage.procedure_id, col(Stage.position))):
        stages.setdefault(stage.procedure_id, []).append(stage)
    return [
        clean(
            {
                "id": p.id,
                "country": p.country,
                "name": p.name,
                "note": p.note,
                "sources": list(p.sources),
                "stages": [clean({f: plain(getattr(s, f)) for f in STAGE_FIELDS}) for s in stages.get(p.id, [])],
            }
        )
        for p in session.exec(select(Procedure).order_by(Procedure.id))
    ]


def treaties(session: Session, progress: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """Each treaty's entry with its parties, events and acts: treaties of their own first, then protocols,
    amendments and extensions, each by slug, so that a load meets a parent before what links to it."""
    stage_rows = session.exec(select(Stage.id, Stage.key, Stage.position)).all()
    stages: dict[Any, tuple[str, int]] = {stage_id: (key, position) for stage_id, key, position in stage_rows}
    treaty, party = Treaty.__table__, Party.__table__  # type: ignore[attr-defined]
    event, act = Event.__table__, Act.__table__  # type: ignore[attr-defined]
    # Every query walks the treaties in the same order, so each follows the one above it in step.
    first = (case((treaty.c.parent.is_(None), 0), else_=1), treaty.c.slug)
    joined = party.join(treaty, party.c.treaty_id == treaty.c.id)
    parties = _rows(session, core_select(party).select_from(joined).order_by(*first, party.c.state))
    events = _rows(
        session,
        core_select(event, party.c.treaty_id)
        .select_from(event.join(party, event.c.party_id == party.c.id).join(treaty, party.c.treaty_id == treaty.c.id))
        .order_by(*first, party.c.state),
    )
    acts = _rows(
        session,
        core_select(act, party.c.treaty_id)
        .select_from(act.join(party, act.c.party_id == party.c.id).join(treaty, party.c.treaty_id == treaty.c.id))
        .order_by(*first, party.c.state, act.c.date, act.c.id),
    )
    events_of = _Follow(events, key=lambda row: row.party_id)
    acts_of = _Follow(acts, key=lambda row: row.party_id)
    parties_of = _Follow(parties, key=lambda row: row.treaty_id)
    for row in _rows(session, core_select(treaty).order_by(*first)):
        entry = treaty_entry(row)
        entry["parties"] = [
            _party(p, events_of.take(p.id), acts_of.take(p.id), stages) for p in parties_of.take(row.id)
        ]
        yield clean(entry)
        if progress:
            progress(1)


def revisions(session: Session) -> Iterator[dict[str, Any]]:
    for r in session.exec(select(Revision).order_by(col(Revision.superseded_at), col(Revision.id))):
        yield clean(
            {
                "fact": r.fact,
                "treaty": r.treaty,
                "treaty_id": r.treaty_id,
                "party": r.party,
                "action": plain(r.action),
                "row": r.row,
                "recorded_at": r.recorded_at.isoformat(),
                "recorded_by": r.recorded_by,
                "superseded_at": r.superseded_at.isoformat(),
                "superseded_by": r.superseded_by,
                "reason": r.reason,
            }
        )


def _party(party: Any, events: list[Any], acts: list[Any], stages: dict[int, tuple[str, int]]) -> dict[str, Any]:
    ordered = sorted(events, key=lambda e: (e.date, stages[e.stage_id][1], e.reading or 0, e.status, e.id))
    entry = party_entry(party)
    entry["events"] = [event_entry(e, stages[e.stage_id][0]) for e in ordered]
    entry["acts"] = [act_entry(a) for a in acts]
    return clean(entry)


def _rows(session: Session, statement: Any) -> Iterator[Any]:
    """Result rows fetched a slice at a time (a server-side cursor on PostgreSQL)."""
    result = session.execute(statement, execution_options={"yield_per": _ROWS_PER_FETCH})
    yield from result


class _Follow:
    """A sorted row stream read alongside its parents' stream: the rows of each parent, in turn.

    Rows are grouped by `key`; a parent with no rows gets none. The streams
    share the parents' order, so each group is read exactly once.
    """

    def __init__(self, rows: Iterator[Any], key: Callable[[Any], int]) -> None:
        self.groups = groupby(rows, key=key)
        self.pending: tuple[int, list[Any]] | None = None
        self.finished = False

    def take(self, parent: int) -> list[Any]:
        if self.pending is None and not self.finished:
            group = next(self.groups, None)
            if group is None:
                self.finished = True
            else:
                self.pending = (group[0], list(group[1]))
        if self.pending is not None and self.pending[0] == parent:
            rows, self.pending = self.pending[1], None
            return rows
        return []


def _chain(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest


# --------------------------------------------------------------------------- text


def _json_text(sections: list[tuple[str, Iterator[dict[str, Any]]]]) -> Iterator[str]:
    """json.dumps(data, indent=2) of the whole mapping, written an entry at a time."""
    yield "{"
    for number, (name, entries) in enumerate(sections):
        yield ("," if number else "") + f"\n  {json.dumps(name)}: ["
        empty = True
        for entry in entries:
            yield ("\n    " if empty else ",\n    ") + indented(entry, 2)
            empty = False
        yield "]" if empty else "\n  ]"
    yield "\n}\n"


def _yaml_text(sections: list[tuple[str, Iterator[dict[str, Any]]]]) -> Iterator[str]:
    """The YAML of the whole mapping, written an entry at a time (a block list in a mapping is not indented)."""
    writer = _YamlWriter()
    for name, entries in sections:
        empty = True
        for entry in entries:
            if empty:
                yield f"{name}:\n"
                empty = False
            yield writer.dump_list([entry])
        if empty:
            yield f"{name}: []\n"


def _yaml_dump(data: Any) -> str:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)


class _YamlWriter:
    """yaml.dump of plain data, the emitter fed directly: the same text, half the time.

    PyYAML's representer and serializer build a node for every value and ask the
    resolver about every string in Python; an export's values are only text,
    numbers, booleans, nulls, lists and mappings, whose events are built here,
    with the resolver's answer for each string remembered (tests compare the text
    with yaml.dump's).
    """

    _STR = "tag:yaml.org,2002:str"

    def __init__(self) -> None:
        import yaml

        self.yaml = yaml
        self.dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        self.resolver = yaml.resolver.Resolver()
        self.representer = yaml.representer.SafeRepresenter()
        self.plain: dict[str, bool] = {}

    def dump_list(self, items: list[Any]) -> str:
        import io

        yaml = self.yaml
        stream = io.StringIO()
        dumper = self.dumper(stream, sort_keys=False, allow_unicode=True, width=120)
        events: list[Any] = [yaml.StreamStartEvent(), yaml.DocumentStartEvent(explicit=False)]
        self.events(items, events)
        events += [yaml.DocumentEndEvent(explicit=False), yaml.StreamEndEvent()]
        for event in events:
            dumper.emit(event)
        dumper.dispose()
        return stream.getvalue()

    def events(self, value: Any, out: list[Any]) -> None:
        yaml, kind = self.yaml, type(value)
        if kind is str:
            out.append(yaml.ScalarEvent(None, None, (self.plain_is_text(value), True), value))
        elif kind is dict:
            out.append(yaml.MappingStartEvent(None, None, True, flow_style=False))
            for key, item in value.items():
                self.events(key, out)
                self.events(item, out)
            out.append(yaml.MappingEndEvent())
        elif kind is list:
            out.append(yaml.SequenceStartEvent(None, None, True, flow_style=False))
            for item in value:
                self.events(item, out)
            out.append(yaml.SequenceEndEvent())
        else:  # numbers, booleans, null: as the representer writes them
            node = self.representer.represent_data(value)
            self.representer.represented_objects.clear()
            detected = self.resolver.resolve(yaml.ScalarNode, node.value, (True, False))
            default = self.resolver.resolve(yaml.ScalarNode, node.value, (False, True))
            implicit = (node.tag == detected, node.tag == default)
            out.append(yaml.ScalarEvent(None, None, implicit, node.value, style=node.style))

    def plain_is_text(self, value: str) -> bool:
        """Whether the string reads back as text when written plain (else the emitter quotes it)."""
        known = self.plain.get(value)
        if known is None:
            known = self.resolver.resolve(self.yaml.ScalarNode, value, (True, False)) == self._STR
            if len(self.plain) > 100_000:
                self.plain.clear()
            self.plain[value] = known
        return known
