"""When a treaty enters into force, and for each party, from dated instruments.

Pure functions over `Deposit`s: no database, no clock. A rule is met on the
first day its condition holds counting the instruments deposited by then
(same-day deposits count together); the treaty enters into force after the
rule's delay, never before its floor date; a party whose consent came after
the rule was met takes effect by the rule for later parties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ratify.dates import earliest, exact, precision_of
from ratify.rules.spec import Delay, Rule
from ratify.vocab import ConsentType, DatePrecision, TreatyKind


@dataclass(frozen=True)
class Deposit:
    party: str
    type: ConsentType
    on: date
    withdrawn_on: date | None = None  # consent withdrawn, or withdrawal taken effect


@dataclass(frozen=True)
class Evaluation:
    met_on: date | None
    in_force_on: date | None
    words: str  # the rule in one line
    missing: str | None  # what is still needed, as of the evaluation date
    rule: Rule

    @property
    def earliest_in_force(self) -> date | None:
        """The first day the computed entry into force can be: met by instruments known only to the month or
        year, the rule was met on some day of that month or year, and `in_force_on` is the latest it can be."""
        if self.met_on is None or self.in_force_on is None:
            return None
        if not precision_of(self.met_on):
            return self.in_force_on
        first = self.rule.delay.apply(earliest(self.met_on))
        return max(first, self.rule.not_before) if self.rule.not_before else first

    def effective_for(self, deposit: Deposit | None) -> date | None:
        """When the treaty takes effect for the party that made this deposit."""
        if deposit is None or self.met_on is None or self.in_force_on is None:
            return None
        if deposit.withdrawn_on is not None and deposit.withdrawn_on <= self.met_on:
            return None
        joined_with_treaty = self.in_force_on if self.rule.later_from == "entry_into_force" else self.met_on
        if deposit.on <= joined_with_treaty:
            return self.in_force_on
        return max(self.in_force_on, self.rule.later_delay.apply(deposit.on))


def default_rule(kind: TreatyKind) -> Rule | None:
    """Bilateral treaties enter into force on the exchange of instruments unless a rule says otherwise."""
    return Rule(kind="exchange") if kind == TreatyKind.BILATERAL else None


def evaluate(rule: Rule, deposits: Sequence[Deposit], *, parties: Sequence[str], as_of: date) -> Evaluation:
    """Evaluate a rule over the deposits made on or before `as_of`."""
    if rule.kind == "any_of":
        return _earliest(rule, [evaluate(a, deposits, parties=parties, as_of=as_of) for a in rule.alternatives])
    counted = [
        d
        for d in deposits
        if d.on <= as_of and (rule.types is None or d.type in rule.types) and d.party not in rule.not_additional
    ]
    if rule.kind == "count":
        condition = _count_condition(rule)
    else:
        members = list(parties) if rule.kind in ("exchange", "notifications") else rule.groups[rule.group or ""].members
        label = "parties" if rule.kind in ("exchange", "notifications") else rule.groups[rule.group or ""].noun
        condition = _all_condition(members, label)
    met_on, missing = _first_day_met(condition, counted, as_of)
    in_force_on = None
    if met_on is not None:
        in_force_on = rule.delay.apply(met_on)
        if rule.not_before and in_force_on < rule.not_before:
            in_force_on = rule.not_before
    return Evaluation(met_on, in_force_on, describe_rule(rule), None if met_on else missing, rule)


def _earliest(rule: Rule, alternatives: list[Evaluation]) -> Evaluation:
    """The alternative that brings the treaty into force first decides; until one is met, each says what it lacks.

    Later parties follow the any_of rule's own `later`/`later_from` where it
    gives them, else the deciding alternative's.
    """
    met = [e for e in alternatives if e.met_on is not None and e.in_force_on is not None]
    words = describe_rule(rule)
    if not met:
        missing = "; or ".join(f"({i}) {e.missing}" for i, e in enumerate(alternatives, 1))
        return Evaluation(None, None, words, missing, rule)
    first = min(met, key=lambda e: (e.in_force_on, e.met_on))
    assert first.in_force_on is not None  # filtered above
    in_force_on = max(first.in_force_on, rule.not_before) if rule.not_before else first.in_force_on
    overrides: dict[str, object] = {
        name: getattr(rule, name) for name in ("later", "later_from") if name in rule.model_fields_set
    }
    later_rule = first.rule.model_copy(update=overrides) if overrides else first.rule
    return Evaluation(first.met_on, in_force_on, words, None, later_rule)


def _first_day_met(condition, counted: Sequence[Deposit], as_of: date) -> tuple[date | None, str]:
    """The first day the condition holds, or None and what it lacks as of `as_of`.

    Deposits made the same day count together; a consent withdrawn stops
    counting from its withdrawal.
    """
    changes = {exact(d.on) for d in counted}
    changes |= {exact(d.withdrawn_on) for d in counted if d.withdrawn_on and d.withdrawn_on <= as_of}
    for day in sorted(changes):
        met, _words = condition({d.party for d in counted if _active(d, day)})
        if met:
            return _as_precise_as(day, [d.on for d in counted if d.on == day]), ""
    return None, condition({d.party for d in counted if _active(d, as_of)})[1]


def _as_precise_as(day: date, deposited: Sequence[date]) -> date:
    """The day the rule was met, known no better than the least precise instrument deposited by its end.

    An instrument known only to the month counts from its month's last day, so
    the rule was met that day at the latest, and perhaps earlier in the month.
    """
    coarsest = max(deposited, key=lambda d: _COARSENESS[precision_of(d)], default=day)
    return coarsest if precision_of(coarsest) else day


_COARSENESS = {None: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2, DatePrecision.BY: 3}


def _active(deposit: Deposit, day: date) -> bool:
    return deposit.on <= day and (deposit.withdrawn_on is None or deposit.withdrawn_on > day)


def _all_condition(members: Sequence[str], label: str):
    def condition(parties: set[str]) -> tuple[bool, str]:
        lacking = sorted(set(members) - parties)
        if not members:
            return False, f"no {label} are recorded"
        if not lacking:
            return True, ""
        return False, f"needs {len(lacking)} more of the {len(members)} {label}: {', '.join(lacking)}"

    return condition


def _count_condition(rule: Rule):
    def condition(parties: set[str]) -> tuple[bool, str]:
        needed = rule.parties or 0
        met = len(parties) >= needed
        parts = [f"{len(parties)} of {needed} {_instrument_words(rule)}"]
        if rule.including:
            group = rule.groups[rule.including.group]
            inside = len(parties & set(group.members))
            met = met and inside >= rule.including.at_least
            parts.append(f"{inside} of {rule.including.at_least} {group.noun}")
        if rule.weight:
            table = rule.weights[rule.weight.table]
            share = sum(table.values.get(p, 0.0) for p in parties)
            met = met and share >= rule.weight.at_least
            parts.append(f"{share:.1f}% of {rule.weight.at_least:g}% of {table.label}")
        return met, "; ".join(parts)

    return condition


def _instrument_words(rule: Rule) -> str:
    if rule.types is None:
        return "instruments"
    return "instruments of " + _or([t.value.replace("_", " ") for t in rule.types])


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe_rule(rule: Rule, *, with_later: bool = True) -> str:
    """The rule in one line of words (an alternative's later-party clause left out where its any_of sets one)."""
    if rule.kind == "any_of":
        options = "; or ".join(
            f"({i}) {describe_rule(a, with_later=rule.later is None).removeprefix('in force ')}"
            for i, a in enumerate(rule.alternatives, 1)
        )
        text = f"on the earliest of: {options}"
        if rule.not_before:
            text += f"; not before {rule.not_before.isoformat()}"
        if rule.later is not None:
            who = "a party joining after entry into force" if rule.later_from == "entry_into_force" else "a later party"
            text += f"; for {who}, {rule.later.words('its own instrument')}"
        return "in force " + text
    if rule.kind == "exchange":
        text = rule.delay.words("the exchange of instruments")
    elif rule.kind == "notifications":
        text = rule.delay.words("the later of the parties' notifications that their procedures are complete")
    elif rule.kind == "all_of":
        group = rule.groups[rule.group or ""]
        text = rule.delay.words(f"the instruments of {group.every_member_words()}")
    else:
        event = f"the {_ordinal(rule.parties or 0)} {_instrument_words(rule).replace('instruments', 'instrument', 1)}"
        if rule.including:
            group = rule.groups[rule.including.group]
            event += f", including {rule.including.at_least} {group.noun}"
        if rule.weight:
            table = rule.weights[rule.weight.table]
            event += f", from parties holding {rule.weight.at_least:g}% of {table.label}"
        text = rule.delay.words(event)
    if rule.not_before:
        text += f", not before {rule.not_before.isoformat()}"
    later = rule.later_delay
    if with_later and rule.kind in ("count", "all_of") and (later != Delay() or rule.later_from == "entry_into_force"):
        who = "a party joining after entry into force" if rule.later_from == "entry_into_force" else "a later party"
        text += f"; for {who}, {later.words('its own instrument')}"
    return "in force " + text
