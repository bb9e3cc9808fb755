"""A step one party's procedure has and its template lacks: the template copied with the step added."""

from __future__ import annotations

import re

from sqlmodel import Session

from ratify.errors import Conflict, InvalidInput
from ratify.record import procedures
from ratify.record.editing import edit_party
from ratify.record.inputs import ProcedureSpec, StageSpec
from ratify.store.lookup import get_party, get_treaty
from ratify.store.models import Party, Procedure


def add_step(
    session: Session,
    slug: str,
    state: str,
    stage: StageSpec,
    *,
    after: str | None = None,
    before: str | None = None,
    reason: str,
) -> tuple[Party, Procedure]:
    """Give one party a step its template lacks (a speaker's signature, a government decision).

    The party's template is copied under a new id with the step in place, and the party moves to
    the copy as `party edit --procedure` moves it: its recorded events keep their stages, the earlier
    version of the party is kept, and its whole history is checked again. Other parties keep theirs.
    """
    if (after is None) == (before is None):
        raise InvalidInput("after: say where the step goes", "give --after STAGE or --before STAGE")
    treaty = get_treaty(session, slug)
    party = get_party(session, treaty, state)
    template = procedures.get_procedure(session, party.procedure_id)
    stages = procedures.stages_of(session, template.id)
    if any(s.key == stage.key for s in stages):
        raise Conflict(f"key: {template.id} already has a stage {stage.key!r}", "choose another key for the new step")
    anchor = procedures.find_stage(stages, after or before or "", procedure_id=template.id)
    index = stages.index(anchor) + (1 if after else 0)
    specs = [StageSpec.model_validate({f: getattr(s, f) for f in procedures.STAGE_FIELDS}) for s in stages]
    specs.insert(index, stage)
    spec = ProcedureSpec(
        id=_free_id(session, f"{party.state}-{slug}"),
        country=template.country,
        name=f"{template.name}, with {stage.key} for {slug}"[:200],
        note=f"{template.id} with the step {stage.key} ({stage.body}) added for {party.state} in {slug}: {reason}",
        sources=[*template.sources, *([stage.source] if stage.source else [])],
        stages=specs,
    )
    procedures.save_procedure(session, spec)
    edited = edit_party(session, slug, party.state, {"procedure": spec.id}, reason=reason)
    return edited, procedures.get_procedure(session, spec.id)


def _free_id(session: Session, wanted: str) -> str:
    """A template id from `wanted` (letters, digits, '-' and '_'), numbered if it is taken."""
    base = re.sub(r"[^A-Za-z0-9_-]", "_", wanted)[:36]
    for number in range(1, 1000):
        candidate = base if number == 1 else f"{base}-{number}"
        if session.get(Procedure, candidate) is None:
            return candidate
    raise Conflict(f"procedure: every id from {base} is taken", "remove the templates no party uses")
