"""Domestic procedure templates: the built-in ones, and finding a stage in one."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from sqlmodel import Session, col, delete, select

from ratify.errors import Conflict, NotFound
from ratify.record.inputs import ProcedureSpec
from ratify.store.models import Procedure, Stage

DEFAULT_TEMPLATE = "default"


def templates_dir() -> Path:
    """The procedure templates shipped with ratify.

    A wheel carries them inside the package; a source checkout keeps them in
    fixtures/procedures, where they are edited and reviewed with their sources.
    """
    packaged = Path(str(resources.files("ratify"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "fixtures" / "procedures"


def template_for(session: Session, country: str | None) -> str:
    """The template a party uses when none is named: its country's, else the default."""
    if country and session.get(Procedure, country):
        return country
    return DEFAULT_TEMPLATE


def get_procedure(session: Session, procedure_id: str) -> Procedure:
    procedure = session.get(Procedure, procedure_id)
    if procedure is None:
        known = session.exec(select(Procedure.id).order_by(Procedure.id)).all()
        raise NotFound(
            f"procedure: no template {procedure_id!r}",
            f"known templates: {', '.join(known) or 'none (run ratify init)'}",
        )
    return procedure


def stages_of(session: Session, procedure_id: str) -> list[Stage]:
    return list(session.exec(select(Stage).where(Stage.procedure_id == procedure_id).order_by(col(Stage.position))))


def list_procedures(session: Session) -> list[tuple[Procedure, list[Stage]]]:
    procedures = session.exec(select(Procedure).order_by(Procedure.id)).all()
    stages: dict[str, list[Stage]] = {}
    for stage in session.exec(select(Stage).order_by(Stage.procedure_id, col(Stage.position))):
        stages.setdefault(stage.procedure_id, []).append(stage)
    return [(procedure, stages.get(procedure.id, [])) for procedure in procedures]


def find_stage(stages: Sequence[Stage], text: str, *, procedure_id: str) -> Stage:
    """A stage by its key, its kind, or its body's name, whatever the case and accents.

    A body may also be named by its words in any order ("Turkiye Grand National
    Assembly" for the "Grand National Assembly of Türkiye") when one body alone has them all.
    """
    from ratify.countries import fold_text

    wanted = text.strip().casefold().replace("-", "_")
    words = set(fold_text(text).split()) - {"of", "the"}
    for matches in (
        [s for s in stages if s.key == wanted],
        [s for s in stages if s.kind == wanted],
        [s for s in stages if fold_text(s.body) == fold_text(text)],
        [s for s in stages if words and words <= set(fold_text(s.body).split())],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise NotFound(
                f"stage: {text!r} matches several stages of {procedure_id}",
                "use one of the keys " + ", ".join(s.key for s in matches),
            )
    raise NotFound(
        f"stage: {procedure_id} has no stage {text!r}",
        "use a key, kind or body: " + ", ".join(f"{s.key} ({s.body})" for s in stages),
    )


def save_procedure(session: Session, spec: ProcedureSpec, *, replace: bool = False) -> str:
    """Store a template; returns "inserted", "updated" or "unchanged".

    A template that parties already use cannot be restructured, because their
    recorded events point at its stages: its texts may change, and stages may be
    added between the recorded ones (which keep their rows), nothing else.
    """
    existing = session.get(Procedure, spec.id)
    new_stages = [_stage_row(spec.id, position, stage) for position, stage in enumerate(spec.stages)]
    if existing is None:
        session.add(Procedure(id=spec.id, country=spec.country, name=spec.name, note=spec.note, sources=spec.sources))
        session.add_all(new_stages)
        session.flush()
        return "inserted"
    old_stages = stages_of(session, spec.id)
    if _same(existing, old_stages, spec, new_stages):
        return "unchanged"
    if not replace:
        raise Conflict(
            f"procedure {spec.id}: the stored template differs from the one given",
            "pass --update to replace it",
        )
    existing.country, existing.name, existing.note, existing.sources = (
        spec.country,
        spec.name,
        spec.note,
        list(spec.sources),
    )
    if [(s.key, s.kind) for s in old_stages] == [(s.key, s.kind) for s in new_stages]:
        for old, new in zip(old_stages, new_stages, strict=True):
            for field in STAGE_FIELDS[2:]:
                setattr(old, field, getattr(new, field))
    elif _grows(old_stages, new_stages):
        # Stages added between the recorded ones: each recorded stage keeps its row (events point at it),
        # moved to its new place; the new ones are added.
        kept = {stage.key: stage for stage in old_stages}
        for added in new_stages:
            recorded = kept.get(added.key)
            if recorded is None:
                session.add(added)
                continue
            recorded.position = added.position
            for field in STAGE_FIELDS[2:]:
                setattr(recorded, field, getattr(added, field))
    else:
        from ratify.store.models import Party

        if session.exec(select(Party.id).where(Party.procedure_id == spec.id).limit(1)).first():
            raise Conflict(
                f"procedure {spec.id}: parties use it, so its stages cannot change",
                "add the new procedure under another id",
            )
        session.exec(delete(Stage).where(col(Stage.procedure_id) == spec.id))
        session.add_all(new_stages)
    session.flush()
    return "updated"


def _grows(old: list[Stage], new: list[Stage]) -> bool:
    """Whether `new` keeps every stage of `old` (same key and kind), in the same order, and adds some."""
    remaining = iter((s.key, s.kind) for s in new)
    return len(new) > len(old) and all((s.key, s.kind) in remaining for s in old)


def _stage_row(procedure_id: str, position: int, spec) -> Stage:
    return Stage(procedure_id=procedure_id, position=position, **spec.model_dump())


#: A stage's fields as a template file gives them (and `export` writes them).
STAGE_FIELDS = (
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
    "consultative",
)


def _same(existing: Procedure, old: list[Stage], spec: ProcedureSpec, new: list[Stage]) -> bool:
    head = (existing.country, existing.name, existing.note, list(existing.sources))
    if head != (spec.country, spec.name, spec.note, list(spec.sources)) or len(old) != len(new):
        return False
    return all(getattr(a, f) == getattr(b, f) for a, b in zip(old, new, strict=True) for f in STAGE_FIELDS)


def procedure_with_stages(session: Session, name: str) -> tuple[Procedure, list[Stage]]:
    """A template by id, or the template a state would use (RUS, Russia, DPRK)."""
    procedure = session.get(Procedure, name) or session.get(Procedure, name.upper())
    if procedure is None:
        from ratify.countries import resolve_country

        procedure = get_procedure(session, template_for(session, resolve_country(name).code))
    return procedure, stages_of(session, procedure.id)
