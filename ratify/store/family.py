"""A rule's groups drawn from the parent treaty: its parties on a date, from its own folded status.

An accession protocol enters into force when "each of the Parties" to the
parent treaty has accepted it. The rule names the date (`parties_of_parent:
{as_of: DATE}`); here the parent is folded as of that date by the same path
as every status report, and its parties passed to the pure rule as a list.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from ratify.errors import InvalidInput, NotFound
from ratify.rules.spec import Rule
from ratify.rules.status import party_state
from ratify.store.models import Treaty
from ratify.vocab import PartyState

#: A party of the parent on a date: bound by it then (suspension does not end membership).
_BOUND = (PartyState.IN_FORCE, PartyState.SUSPENDED)

#: How far up a family a drawn group may reach (a protocol to a protocol ...): a loop of parents stops here.
DEPTH = 8


def check_parent_groups(treaty: Any, rule: Rule) -> None:
    """A rule that draws a group from the parent treaty needs a treaty that has one."""
    dates = rule.parent_dates()
    if dates and getattr(treaty, "parent", None) is None:
        raise InvalidInput(
            f"rule.groups: parties_of_parent needs a parent treaty, and {treaty.slug} has none",
            f"record it as a protocol first (ratify treaty add {treaty.slug} --protocol-to PARENT), "
            "or list the group's members",
        )


def resolve_rule(session: Session, treaty: Any, rule: Rule | None, *, depth: int = 0) -> Rule | None:
    """The rule with every `parties_of_parent` group filled in from the parent's record."""
    if rule is None or not rule.parent_dates():
        return rule
    check_parent_groups(treaty, rule)
    parent = session.exec(select(Treaty).where(Treaty.slug == treaty.parent)).first()
    if parent is None:
        raise NotFound(f"parent: no treaty {treaty.parent!r} for {treaty.slug}", "record the parent treaty first")
    if depth >= DEPTH:
        raise InvalidInput(f"parent: {treaty.slug}'s parents go round in a loop", "correct the parent of one of them")
    parties_on = {day: parent_parties(session, parent, day, depth=depth + 1) for day in rule.parent_dates()}
    return rule.with_parent_parties(_title_phrase(parent.title), parties_on)


def parent_parties(session: Session, parent: Treaty, on: date, *, depth: int = 0) -> list[str]:
    """The parties bound by a treaty on a date: consent given and in force for them, not withdrawn.

    A parent recorded without an entry-into-force rule says nothing of when
    it binds a party, so there a deposited instrument counts.
    """
    from ratify.store.cache import fold

    _rows, evaluation, outcomes = fold(session, parent, on, depth=depth)
    bound = _BOUND if evaluation is not None else (*_BOUND, PartyState.DEPOSITED)
    return [o.code for o in outcomes if party_state(o.progress, o.standing, on) in bound]


def _title_phrase(title: str) -> str:
    """ "North Atlantic Treaty" -> "the North Atlantic Treaty", to read inside a sentence."""
    return title if title.lower().startswith("the ") else f"the {title}"
