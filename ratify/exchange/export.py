"""The whole database in the fixture format, so that `ratify load` brings it back whole.

Order is deterministic (treaties by slug, parties by code, events by date and
procedure order), so exporting, loading into an empty database and exporting
again gives the same text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlmodel import Session, col, select

from ratify.store.entries import act_entry, clean, event_entry, party_entry, plain, treaty_entry
from ratify.store.models import Act, Event, Party, Procedure, Revision, Stage, Treaty

_STAGE_FIELDS = (
    "key",
    "kind",
    "body",
    "seats",
    "threshold",
    "quorum",
    "readings",
    "optional",
    "source",
    "note",
    "not_voting",
    "min_yes",
)


def export_data(session: Session, *, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Everything, as one fixture mapping (procedures, then treaties). Six queries."""
    stages: dict[str, list[Stage]] = {}
    for stage in session.exec(select(Stage).order_by(Stage.procedure_id, col(Stage.position))):
        stages.setdefault(stage.procedure_id, []).append(stage)
    procedures = [
        clean(
            {
                "id": p.id,
                "country": p.country,
                "name": p.name,
                "note": p.note,
                "sources": list(p.sources),
                "stages": [clean({f: plain(getattr(s, f)) for f in _STAGE_FIELDS}) for s in stages.get(p.id, [])],
            }
        )
        for p in session.exec(select(Procedure).order_by(Procedure.id))
    ]
    position = {stage.id: stage for rows in stages.values() for stage in rows if stage.id is not None}
    events: dict[int, list[Event]] = {}
    for event in session.exec(select(Event)):
        events.setdefault(event.party_id, []).append(event)
    acts: dict[int, list[Act]] = {}
    for act in session.exec(select(Act).order_by(col(Act.date), col(Act.id))):
        acts.setdefault(act.party_id, []).append(act)
    parties: dict[int, list[Party]] = {}
    for party in session.exec(select(Party).order_by(Party.state)):
        parties.setdefault(party.treaty_id, []).append(party)
    treaties = []
    for treaty in session.exec(select(Treaty).order_by(Treaty.slug)):
        assert treaty.id is not None  # a stored row
        treaties.append(_treaty(treaty, parties.get(treaty.id, []), events, acts, position))
        if progress:
            progress(1)
    revisions = [
        clean(
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
        for r in session.exec(select(Revision).order_by(col(Revision.superseded_at), col(Revision.id)))
    ]
    data: dict[str, Any] = {"procedures": procedures, "treaties": treaties}
    if revisions:
        data["revisions"] = revisions
    return data


def count_treaties(session: Session) -> int:
    from sqlalchemy import func

    return session.exec(select(func.count()).select_from(Treaty)).one()


def _treaty(treaty: Treaty, parties: list[Party], events, acts, stages: dict[int, Stage]) -> dict[str, Any]:
    entry = treaty_entry(treaty)
    entry["parties"] = [_party(p, events.get(p.id, []), acts.get(p.id, []), stages) for p in parties]
    return clean(entry)


def _party(party: Party, events: list[Event], acts: list[Act], stages: dict[int, Stage]) -> dict[str, Any]:
    ordered = sorted(events, key=lambda e: (e.date, stages[e.stage_id].position, e.reading or 0, e.status, e.id))
    entry = party_entry(party)
    entry["events"] = [event_entry(e, stages[e.stage_id].key) for e in ordered]
    entry["acts"] = [act_entry(a) for a in acts]
    return clean(entry)


def dump(data: dict[str, Any], fmt: str) -> Iterator[str]:
    if fmt == "json":
        import json

        yield json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        return
    import yaml

    yield yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
