"""A stored row in the fixture format: what `export` writes and what a kept version holds.

Entries name what they refer to by natural keys (stage keys, state codes,
slugs), never by row ids, so they read the same in any database.
"""

from __future__ import annotations

from typing import Any

from ratify.dates import given_date, given_signature
from ratify.store.models import Act, Event, Party, Treaty

TALLY_FIELDS = ("yes", "no", "abstain", "not_voting", "absent", "seats", "present")


def fact_id(record: Treaty | Party | Event | Act) -> str:
    """The short id a fact keeps for ever: its kind's letter and its row id (e17, a3, p5, t2)."""
    return f"{_LETTERS[type(record)]}{record.id}"


_LETTERS: dict[type, str] = {Event: "e", Act: "a", Party: "p", Treaty: "t"}


# Each entry names its kind's letter itself, so a plain result row (the export's) serves as well as a model.


def treaty_entry(treaty: Treaty | Any) -> dict[str, Any]:
    return clean(
        {
            "id": f"t{treaty.id}",
            "slug": treaty.slug,
            "title": treaty.title,
            "kind": plain(treaty.kind),
            "signed": plain(given_signature(treaty)),
            "place": treaty.place,
            "note": treaty.note,
            "sources": list(treaty.sources),
            "rule": treaty.rule,
            "withdrawal": treaty.withdrawal,
            "terminated": plain(treaty.terminated_on),
            "superseded_by": treaty.superseded_by,
            "termination_source": treaty.termination_source,
            "relation": plain(treaty.relation),
            "parent": treaty.parent,
            "depositary": depositary_entry(treaty),
            "published_in_force": published_entry(treaty),
            "recorded_at": treaty.recorded_at.isoformat(),
            "recorded_by": treaty.recorded_by,
        }
    )


def depositary_entry(treaty: Treaty | Any) -> dict[str, Any] | None:
    """Where the depositary publishes the treaty's status, as the fixture's `depositary` mapping."""
    return (
        clean(
            {
                "name": plain(treaty.depositary),
                "id": treaty.depositary_id,
                "registration": treaty.registration,
                "url": treaty.depositary_url,
                "as_at": plain(treaty.depositary_as_at),
                "in_force": treaty.depositary_in_force,
            }
        )
        or None
    )


def published_entry(treaty: Treaty | Any) -> dict[str, Any] | None:
    """The treaty's entry into force as published, as the fixture's `published_in_force` mapping."""
    if treaty.published_in_force_on is None:
        return None
    return {"date": treaty.published_in_force_on.isoformat(), "source": treaty.published_in_force_source}


def party_entry(party: Party | Any) -> dict[str, Any]:
    return clean(
        {
            "id": f"p{party.id}",
            "state": party.state,
            "organisation": party.name if party.is_organisation else None,
            "signed": plain(given_signature(party)),
            "procedure": party.procedure_id,
            "note": party.note,
            "depositary_note": party.depositary_note,
            "candidate": getattr(party, "candidate", False) or None,
            "recorded_at": party.recorded_at.isoformat(),
            "recorded_by": party.recorded_by,
        }
    )


def event_entry(event: Event | Any, stage_key: str) -> dict[str, Any]:
    vote = clean({field: getattr(event, field) for field in TALLY_FIELDS})
    if event.unanimous:
        vote["unanimous"] = True
    return clean(
        {
            "id": f"e{event.id}",
            "stage": stage_key,
            "status": plain(event.status),
            "date": plain(given_date(event)),
            "reading": event.reading,
            "readings": event.readings,
            "round": event.round,
            "vote": vote or None,
            "consent": plain(event.consent),
            "effective": plain(event.effective_on),
            "by": None if event.status == "laid" else plain(event.due_on),
            "until": plain(event.due_on) if event.status == "laid" else None,
            "path": None if event.path == "ratification" else plain(event.path),
            "source": event.source,
            "note": event.note,
            "allow_out_of_order": event.out_of_order or None,
            "recorded_at": event.recorded_at.isoformat(),
            "recorded_by": event.recorded_by,
        }
    )


def act_entry(act: Act | Any) -> dict[str, Any]:
    return clean(
        {
            "id": f"a{act.id}",
            "kind": plain(act.kind),
            "date": plain(given_date(act)),
            "effective": plain(act.effective_on),
            "against": act.against,
            "text": act.text,
            "source": act.source,
            "note": act.note,
            "recorded_at": act.recorded_at.isoformat(),
            "recorded_by": act.recorded_by,
        }
    )


def plain(value: Any) -> Any:
    """Enums as their value and dates as ISO text, so YAML and JSON read them back alike."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return getattr(value, "value", value)


def clean(mapping: dict[str, Any]) -> dict[str, Any]:
    """Leave out what is empty, as a hand-written fixture would."""
    return {k: v for k, v in mapping.items() if v is not None and v != [] and v != {} and v is not False}
