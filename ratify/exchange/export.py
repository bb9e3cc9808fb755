"""The whole database in the fixture format, so that `ratify load` brings it back whole.

Order is deterministic (treaties by slug, parties by code, events by date and
procedure order), so exporting, loading into an empty database and exporting
again gives the same text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlmodel import Session, col, select

from ratify.store.models import Act, Event, Party, Procedure, Stage, Treaty

_STAGE_FIELDS = ("key", "kind", "body", "seats", "threshold", "quorum", "readings", "optional", "source", "note")
_TALLY = ("yes", "no", "abstain", "not_voting", "absent", "seats")


def export_data(session: Session, *, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Everything, as one fixture mapping (procedures, then treaties). Six queries."""
    stages: dict[str, list[Stage]] = {}
    for stage in session.exec(select(Stage).order_by(Stage.procedure_id, col(Stage.position))):
        stages.setdefault(stage.procedure_id, []).append(stage)
    procedures = [
        _clean(
            {
                "id": p.id,
                "country": p.country,
                "name": p.name,
                "note": p.note,
                "sources": list(p.sources),
                "stages": [_clean({f: _plain(getattr(s, f)) for f in _STAGE_FIELDS}) for s in stages.get(p.id, [])],
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
    return {"procedures": procedures, "treaties": treaties}


def count_treaties(session: Session) -> int:
    from sqlalchemy import func

    return session.exec(select(func.count()).select_from(Treaty)).one()


def _treaty(treaty: Treaty, parties: list[Party], events, acts, stages: dict[int, Stage]) -> dict[str, Any]:
    return _clean(
        {
            "slug": treaty.slug,
            "title": treaty.title,
            "kind": _plain(treaty.kind),
            "signed": _plain(treaty.signed_on),
            "place": treaty.place,
            "note": treaty.note,
            "sources": list(treaty.sources),
            "rule": treaty.rule,
            "withdrawal": treaty.withdrawal,
            "terminated": _plain(treaty.terminated_on),
            "superseded_by": treaty.superseded_by,
            "termination_source": treaty.termination_source,
            "recorded_at": treaty.recorded_at.isoformat(),
            "recorded_by": treaty.recorded_by,
            "parties": [_party(p, events.get(p.id, []), acts.get(p.id, []), stages) for p in parties],
        }
    )


def _party(party: Party, events: list[Event], acts: list[Act], stages: dict[int, Stage]) -> dict[str, Any]:
    ordered = sorted(events, key=lambda e: (e.date, stages[e.stage_id].position, e.reading or 0, e.status, e.id))
    return _clean(
        {
            "state": party.state,
            "organisation": party.name if party.is_organisation else None,
            "signed": _plain(party.signed_on),
            "procedure": party.procedure_id,
            "note": party.note,
            "recorded_at": party.recorded_at.isoformat(),
            "recorded_by": party.recorded_by,
            "events": [_event(e, stages[e.stage_id]) for e in ordered],
            "acts": [_act(a) for a in acts],
        }
    )


def _event(event: Event, stage: Stage) -> dict[str, Any]:
    vote = _clean({field: getattr(event, field) for field in _TALLY})
    if event.unanimous:
        vote["unanimous"] = True
    return _clean(
        {
            "stage": stage.key,
            "status": _plain(event.status),
            "date": _plain(event.date),
            "reading": event.reading,
            "vote": vote or None,
            "consent": _plain(event.consent),
            "effective": _plain(event.effective_on),
            "source": event.source,
            "note": event.note,
            "allow_out_of_order": event.out_of_order or None,
            "recorded_at": event.recorded_at.isoformat(),
            "recorded_by": event.recorded_by,
        }
    )


def _act(act: Act) -> dict[str, Any]:
    return _clean(
        {
            "kind": _plain(act.kind),
            "date": _plain(act.date),
            "effective": _plain(act.effective_on),
            "against": act.against,
            "text": act.text,
            "source": act.source,
            "note": act.note,
            "recorded_at": act.recorded_at.isoformat(),
            "recorded_by": act.recorded_by,
        }
    )


def _plain(value: Any) -> Any:
    """Enums as their value and dates as ISO text, so YAML and JSON read them back alike."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return getattr(value, "value", value)


def _clean(mapping: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is empty, as a hand-written fixture would."""
    return {k: v for k, v in mapping.items() if v is not None and v != [] and v != {} and v is not False}


def dump(data: dict[str, Any], fmt: str) -> Iterator[str]:
    if fmt == "json":
        import json

        yield json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        return
    import yaml

    yield yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)
