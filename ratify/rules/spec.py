"""Entry-into-force and withdrawal rules as data, validated like every other input."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from ratify.dates import IsoDate
from ratify.rules.calendar import after
from ratify.strict import Input, Name, Positive, Source
from ratify.vocab import ConsentType

StateCode = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9]{1,15}$")]


class Delay(Input):
    """A period after an event, in the treaty's own words.

    - `days`, `months`: "ninety days after" (`days: 90`), "six months after" (`months: 6`);
    - with `first_of_following_month`: then the first day of the month following, as in "the first day of the
      month following the expiration of a period of three months after" (`months: 3`, Council of Europe treaties)
      or "the first day of the month after the sixtieth day following" (`days: 60`, Rome Statute Art. 126);
    - `first_day_of_month: N` alone: "the first day of the Nth month after the month in which" (Convention on
      Cluster Munitions and Ottawa Convention, Art. 17: the sixth).
    """

    days: Annotated[int, Field(ge=0, le=3660)] = 0
    months: Annotated[int, Field(ge=0, le=120)] = 0
    first_of_following_month: bool = False
    first_day_of_month: Annotated[int, Field(ge=1, le=120)] | None = None

    @model_validator(mode="after")
    def _one_wording(self) -> Delay:
        if self.first_day_of_month is not None and (self.days or self.months or self.first_of_following_month):
            raise ValueError(
                "first_day_of_month counts months from the event's month and stands alone: "
                "drop days, months and first_of_following_month"
            )
        return self

    def apply(self, day: date) -> date:
        return after(
            day,
            days=self.days,
            months=self.months,
            first_of_following_month=self.first_of_following_month,
            first_day_of_month=self.first_day_of_month,
        )

    def words(self, event: str) -> str:
        if self.first_day_of_month is not None:
            return f"on the first day of the {_ordinal_word(self.first_day_of_month)} month after the month of {event}"
        period = " and ".join(part for part in (_plural(self.months, "month"), _plural(self.days, "day")) if part)
        if self.first_of_following_month:
            return f"on the first day of the month following {period + ' after ' if period else ''}{event}"
        return f"{period} after {event}" if period else f"on the day of {event}"


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth")  # fmt: skip


def _ordinal_word(n: int) -> str:
    if n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}" if count else ""


class ParentParties(Input):
    """The group is every party of the treaty's parent on a date (an accession protocol's "each of the Parties")."""

    as_of: IsoDate


class Group(Input):
    """A named list of states a rule refers to (an annex, an organisation's members).

    Either typed (`members`) or drawn from the record (`parties_of_parent`): the
    parent treaty's parties as of a date. A drawn group is resolved by the store,
    which fills in `members` (and the parent's title as `label`) before the rule
    is evaluated; the rules never look the parent up themselves.
    """

    label: Name | None = Field(default=None, min_length=1)
    members: list[StateCode] = []
    parties_of_parent: ParentParties | None = None
    source: Source | None = None

    @field_validator("members")
    @classmethod
    def _distinct(cls, members: list[str]) -> list[str]:
        repeated = sorted({m for m in members if members.count(m) > 1})
        if repeated:
            raise ValueError(f"members are listed twice: {', '.join(repeated)}")
        return members

    @model_validator(mode="after")
    def _typed_or_drawn(self) -> Group:
        if self.parties_of_parent is not None:
            if self.members:
                raise ValueError("a group lists `members` or draws them with `parties_of_parent`, not both")
            if self.label is not None:
                raise ValueError(
                    "a group drawn with `parties_of_parent` is named after the parent treaty: drop `label`"
                )
            return self
        if not self.members:
            raise ValueError("a group needs `members` (the states) or `parties_of_parent: {as_of: DATE}`")
        if self.label is None:
            raise ValueError("a group of listed `members` needs a `label` (e.g. Annex 2 states)")
        return self

    @property
    def noun(self) -> str:
        """The members as a plural noun: "Annex 2 states", "parties of the North Atlantic Treaty as of 2022-07-05"."""
        if self.parties_of_parent is None:
            return self.label or ""
        return f"parties of {self.label or 'the parent treaty'} as of {self.parties_of_parent.as_of.isoformat()}"

    def every_member_words(self) -> str:
        """ "all 44 Annex 2 states", or "every party of the North Atlantic Treaty as of 2022-07-05 (30)"."""
        if self.parties_of_parent is None:
            return f"all {len(self.members)} {self.label}"
        as_of = self.parties_of_parent.as_of.isoformat()
        count = f" ({len(self.members)})" if self.label is not None else ""
        return f"every party of {self.label or 'the parent treaty'} as of {as_of}{count}"


class WeightTable(Input):
    """Each state's share of a whole (e.g. of emissions), in percent, with its source."""

    label: Name = Field(min_length=1)
    values: dict[StateCode, Annotated[float, Field(ge=0, le=100)]] = Field(min_length=1)
    source: Source = Field(min_length=1)
    as_of: Name | None = None

    @field_validator("values")
    @classmethod
    def _adds_up(cls, values: dict[str, float]) -> dict[str, float]:
        total = sum(values.values())
        if not 99.5 <= total <= 100.5:
            raise ValueError(
                f"shares add up to {total:.2f}%, not 100% (give every state's share; rounding may leave 0.5)"
            )
        return values


class Including(Input):
    group: Name
    at_least: Positive


class WeightCondition(Input):
    table: Name
    at_least: Annotated[float, Field(gt=0, le=100)]  # percent


class Rule(Input):
    """When a treaty enters into force, and for a later party.

    kinds:
    - `exchange`: every party's instrument is in (bilateral exchange);
    - `notifications`: every party has notified the end of its procedures;
    - `count`: the Nth instrument (of the listed consent types), optionally with
      at least M of a group, or parties holding at least W% of a weight table;
    - `all_of`: every member of a group has consented (an annex, or every party of
      the parent treaty on a date: an accession protocol);
    - `any_of`: the earliest of several `alternatives`, each a rule of any kind
      (N instruments by original signatories, or else M of them after a deadline).

    A later party's clock (`later_from`) runs from the day the rule was met
    (`rule_met`: "after the deposit of the Nth instrument") or only for instruments
    deposited after the treaty's own entry into force (`entry_into_force`:
    "subsequent to the entry into force", ATT Art. 22(2), CTBT Art. XIV(5)); an
    instrument deposited in between then takes effect with the treaty.
    """

    kind: Literal["exchange", "notifications", "count", "all_of", "any_of"]
    parties: Positive | None = None
    types: list[ConsentType] | None = None
    including: Including | None = None
    weight: WeightCondition | None = None
    not_additional: list[StateCode] = []  # organisations whose instrument does not count beside their members'
    group: Name | None = None
    delay: Delay = Delay()
    not_before: IsoDate | None = None
    later: Delay | None = None
    later_from: Literal["rule_met", "entry_into_force"] = "rule_met"
    groups: dict[Name, Group] = {}
    weights: dict[Name, WeightTable] = {}
    alternatives: list[Rule] = []
    article: Name | None = None
    source: Source | None = None

    @model_validator(mode="after")
    def _coherent(self) -> Rule:
        if (self.kind == "any_of") != bool(self.alternatives):
            raise ValueError("an any_of rule, and only an any_of rule, lists `alternatives`")
        if self.kind == "any_of" and len(self.alternatives) < 2:
            raise ValueError("an any_of rule needs at least two `alternatives`")
        if self.kind == "any_of" and self.delay != Delay():
            raise ValueError("an any_of rule takes no `delay`: each alternative has its own")
        if self.kind == "count" and self.parties is None:
            raise ValueError("a count rule needs `parties`: how many instruments")
        if self.kind == "all_of" and self.group is None:
            raise ValueError("an all_of rule needs `group`: the states that must all consent")
        if self.kind != "count" and (self.parties or self.including or self.weight):
            raise ValueError(f"`parties`, `including` and `weight` apply to count rules, not {self.kind}")
        named = [self.group, self.including.group if self.including else None]
        for name in filter(None, named):
            if name not in self.groups:
                raise ValueError(f"group {name!r} is not defined under `groups`")
        if self.weight and self.weight.table not in self.weights:
            raise ValueError(f"weight table {self.weight.table!r} is not defined under `weights`")
        if self.including and self.including.at_least > (self.parties or 0):
            raise ValueError("`including.at_least` cannot exceed `parties`")
        return self

    @property
    def later_delay(self) -> Delay:
        return self.later if self.later is not None else self.delay

    def every_rule(self) -> list[Rule]:
        """This rule and every alternative nested in it (for checks over groups and tables)."""
        return [self, *(inner for alternative in self.alternatives for inner in alternative.every_rule())]

    def parent_dates(self) -> list[date]:
        """The dates on which a group of this rule (or a nested one) draws the parent treaty's parties."""
        days = {
            group.parties_of_parent.as_of
            for inner in self.every_rule()
            for group in inner.groups.values()
            if group.parties_of_parent is not None
        }
        return sorted(days)

    def with_parent_parties(self, title: str, parties_on: Mapping[date, Sequence[str]]) -> Rule:
        """A copy whose drawn groups hold the parent's parties on their dates, labelled with the parent's title."""
        groups = {
            name: group.model_copy(
                update={"members": sorted(parties_on[group.parties_of_parent.as_of]), "label": title}
            )
            if group.parties_of_parent is not None
            else group
            for name, group in self.groups.items()
        }
        alternatives = [a.with_parent_parties(title, parties_on) for a in self.alternatives]
        return self.model_copy(update={"groups": groups, "alternatives": alternatives})


class WithdrawalRule(Input):
    """When a withdrawal (denunciation) takes effect after its notice."""

    delay: Delay = Delay(months=12)
    article: Name | None = None
    source: Source | None = None

    def words(self) -> str:
        text = "takes effect " + self.delay.words("notice")
        return text + (f" ({self.article})" if self.article else "")
