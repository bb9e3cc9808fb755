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
from ratify.store.models import Treaty


def evaluate_rows(session: Session, treaty: Treaty, rows: list[dict[str, Any]], as_of: date) -> Any:
    """The treaty's rule over the deposits its status rows carry (None without a rule).

    No query, except for a rule that draws a group from the parent treaty's parties.
    """
    from ratify.dates import to_day
    from ratify.rules.entry_into_force import Deposit, default_rule, evaluate
    from ratify.rules.spec import Rule
    from ratify.vocab import ConsentType, TreatyKind

    rule = Rule.model_validate(treaty.rule) if treaty.rule else default_rule(TreatyKind(treaty.kind))
    rule = resolve_rule(session, treaty, rule)
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
