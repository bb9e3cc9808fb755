"""A treaty's entry-into-force summary, from the status rows a report already has.

`treaty show` and `report` both call `evaluate_rows`, so they can never tell
two stories about one treaty.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ratify.store.models import Treaty


def evaluate_rows(treaty: Treaty, rows: list[dict[str, Any]], as_of: date) -> Any:
    """The treaty's rule over the deposits its status rows carry (None without a rule); no query."""
    from ratify.dates import to_day
    from ratify.rules.entry_into_force import Deposit, default_rule, evaluate
    from ratify.rules.spec import Rule
    from ratify.vocab import ConsentType, TreatyKind

    rule = Rule.model_validate(treaty.rule) if treaty.rule else default_rule(TreatyKind(treaty.kind))
    if rule is None:
        return None
    deposits = [
        Deposit(row["party"], ConsentType(row["consent"] or "ratification"), to_day(row["deposited_on"]))
        for row in rows
        if row["deposited_on"]
    ]
    return evaluate(rule, deposits, parties=[row["party"] for row in rows], as_of=as_of)
