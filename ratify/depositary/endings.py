"""Ended participations: a row in square brackets, the dates its footnotes give, and the withdrawal it records.

A depositary keeps the row of a state whose withdrawal or denunciation took
effect, its dates in square brackets, and tells the end in a footnote, in
words. Only a date a footnote states beyond doubt is taken; what it leaves
unsaid is bounded by the page's "status as at" date, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ratify.dates import date_in_words, on_or_before
from ratify.depositary.page import Participant, StatusPage
from ratify.rules.spec import WithdrawalRule

_LONG = r"(\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})"
#: "On 27 June 2025, the Government of ... deposited ... a notification of withdrawal", "On 8 November 2022, ...
#: notified the Secretary-General of its denunciation": the date a sentence about leaving the treaty opens with.
_NOTICE = re.compile(
    r"\bOn " + _LONG + r",?[^.]*?\b(?:notification of withdrawal|withdraw from|withdrawal from|decision to withdraw"
    r"|denounc|denunciation)",
    re.IGNORECASE,
)
#: "The withdrawal took effect for Latvia on 27 December 2025", "... with effect from 8 February 2023".
_EFFECT = re.compile(r"\b(?:took effect|take effect|takes effect|with effect from|effective)\b[^.\d]{0,80}?" + _LONG)
#: A sentence about a statement: its "withdrawal" or "effect" is the statement's, not the participation's.
_STATEMENT = re.compile(r"reservation|declaration|objection", re.IGNORECASE)


def ending_in_notes(notes: tuple[str, ...]) -> tuple[date | None, date | None]:
    """The notice and the effect of the withdrawal or denunciation that ended a participation, as the row's
    footnotes state them: each only where the notes name exactly one such date. A note telling of two
    denunciations, or of none, leaves the date unknown: ratify never picks one."""
    text = " ".join(" ".join(notes).split())
    sentences = re.split(r"(?<=\.)\s+(?=[A-Z(])", text)
    about_statements = [s for s in sentences if _STATEMENT.search(s)]
    sentences = [s for s in sentences if s not in about_statements]
    found = []
    for pattern in (_NOTICE, _EFFECT):
        # A day the month lacks (a slip in a footnote) states nothing: the end is then bounded, not refused.
        days = {day for s in sentences for words in pattern.findall(s) if (day := date_in_words(words))}
        found.append(days.pop() if len(days) == 1 else None)
    notice, effect = found
    if any(re.search(r"withdr|effect", s, re.IGNORECASE) for s in about_statements):
        effect = None  # "the withdrawal took effect" may then be a reservation's: never guess whose
    if notice is not None and effect is not None and effect < notice:
        return None, None  # the notes speak of more than one end: never guess which
    return notice, effect


@dataclass(frozen=True)
class Ending:
    """The withdrawal that ended a participation, as the page tells it and no more precisely."""

    notice: date  # exact where a footnote states it, else "on or before" (a `Day` of precision `by`)
    effective: date | None  # None: the treaty's withdrawal rule gives it
    note: str | None  # what the page left unsaid, in words, kept with the act


def ending(participant: Participant, as_at: date, withdrawal: WithdrawalRule | None = None) -> Ending | None:
    """The withdrawal act a row calls for: its Withdrawal column, or its square brackets with their footnotes.

    A bracketed row ended by the page's "status as at" date at the latest: a notice or an effect that no
    footnote states beyond doubt is recorded as "on or before" that bound, never as a guessed day.
    """
    if not participant.ended:
        return Ending(participant.withdrawn, None, None) if participant.withdrawn else None
    notice, effective = participant.withdrawn, participant.withdrawal_effective
    if notice is not None and effective is None:
        by_rule = (withdrawal or WithdrawalRule()).delay.apply(notice)
        if by_rule <= as_at:
            return Ending(notice, None, None)
        note = (
            f"the withdrawal had taken effect by {as_at}, as the depositary's page shows (its row in square "
            f"brackets), before the date the withdrawal rule gives ({by_rule}); recorded as effective {as_at}, "
            "the latest it can be"
        )
        return Ending(notice, as_at, note)
    if notice is None:
        bound = effective or as_at
        unsaid = "when notice was given" + ("" if effective else " nor when the withdrawal took effect")
        note = (
            f"the depositary's page shows this participation as ended (its row in square brackets) without stating "
            f"{unsaid}: notice on or before {bound}"
            + ("" if effective else f", effect on or before {as_at}, recorded as {as_at}, the latest it can be")
        )
        return Ending(on_or_before(bound), effective or as_at, note)
    return Ending(notice, effective, None)


def unknown_ends(page: StatusPage, withdrawal: WithdrawalRule | None = None) -> list[str]:
    """The participants whose end the page leaves partly undated, recorded as "on or before" its status date."""
    return [
        p.name
        for p in page.participants
        if p.ended and (end := ending(p, page.as_at, withdrawal)) is not None and end.note is not None
    ]
