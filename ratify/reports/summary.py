"""A treaty's entry-into-force summary, from the status rows a report already has.

`treaty show` and `report` both call `evaluate_rows`, so they can never tell
two stories about one treaty.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlmodel import Session

from ratify.store.family import resolve_rule


class Rules:
    """Each treaty's rule, parsed and resolved once per distinct rule rather than once per treaty.

    A report of the whole database meets the same few rules thousands of times, and a rule that
    draws a group from a parent treaty folds that parent: without this, one query or more per
    treaty. A treaty is anything with `slug`, `kind`, `rule` and `parent` (a `Treaty`, or a row of
    those columns).
    """

    def __init__(self) -> None:
        self._resolved: dict[tuple[str, str | None, str | None], Any] = {}

    def of(self, session: Session, treaty: Any) -> Any:
        import json

        from ratify.rules.entry_into_force import default_rule
        from ratify.rules.spec import Rule
        from ratify.vocab import TreatyKind

        text = json.dumps(treaty.rule, sort_keys=True) if treaty.rule else None
        key = (str(treaty.kind), treaty.parent, text)
        if key not in self._resolved:
            rule = Rule.model_validate(treaty.rule) if treaty.rule else default_rule(TreatyKind(treaty.kind))
            # Not kept when it raises: each treaty with a bad parent names itself in the error.
            self._resolved[key] = resolve_rule(session, treaty, rule)
        return self._resolved[key]


def evaluate_rows(
    session: Session, treaty: Any, rows: list[dict[str, Any]], as_of: date, *, rules: Rules | None = None
) -> Any:
    """The treaty's rule over the deposits its status rows carry (None without a rule).

    `treaty` is a `Treaty` or a row with its columns. No query, except for a rule that draws a
    group from the parent treaty's parties; pass one `rules` for many treaties to draw it once.
    """
    from ratify.dates import to_day
    from ratify.rules.entry_into_force import Deposit, evaluate
    from ratify.vocab import ConsentType

    rule = (rules or Rules()).of(session, treaty)
    if rule is None:
        return None
    deposits = [
        Deposit(row["party"], ConsentType(row["consent"] or "ratification"), to_day(row["deposited_on"]))
        for row in rows
        if row["deposited_on"]
    ]
    evaluation = evaluate(rule, deposits, parties=[row["party"] for row in rows], as_of=as_of)
    # A row carries a party's current consent only; one that withdrew and joined again counted toward
    # the rule in its first period too (the Paris Agreement and the United States). The treaty's cache
    # is folded over every period, and once its date has come it is the answer for any later day.
    met_on = getattr(treaty, "rule_met_on", None)
    if met_on is not None and met_on <= as_of and (evaluation.met_on is None or evaluation.met_on > met_on):
        evaluation = replace(evaluation, met_on=met_on, in_force_on=treaty.in_force_on, missing=None)
    return evaluation
