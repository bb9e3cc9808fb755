"""The geometry of a multilateral treaty's consents chart: instruments in force over time, against the
number its entry-into-force rule asks for, with the day the rule was met and entry into force marked.

The dates come from the rule's own evaluation (`ratify.rules.entry_into_force`, through
`reports.summary.evaluate_rows`); nothing here decides whether a rule is met.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ratify.reports.publish import TreatyReport

WIDTH, LEFT, RIGHT, TOP, HEIGHT = 1120, 60, 250, 34, 220
_CHAR = 6.1


@dataclass(frozen=True)
class Threshold:
    y: float
    count: int
    label: str


@dataclass(frozen=True)
class Mark:
    x: float
    label: str
    y: float  # where its label sits, so that two marks close together do not write over each other
    kind: str  # met | in_force
    anchor: str  # the rule met is labelled left of its line, entry into force right of its own


@dataclass(frozen=True)
class ConsentsChart:
    id: str
    slug: str
    width: int
    height: int
    path: str  # the step line, in plot coordinates
    points: list[tuple[float, float, str]]  # each deposit: x, y, tooltip
    thresholds: list[Threshold]
    marks: list[Mark]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    top: int
    bottom: int
    left: int
    right: int
    desc: str


def thresholds(rule: Any, parties: int) -> list[tuple[int, str]]:
    """How many instruments the rule (or each of its alternatives) asks for, with its words."""
    found: dict[int, str] = {}
    for part in rule.every_rule():
        if part.kind == "count" and part.parties:
            found.setdefault(part.parties, f"{part.parties} instruments")
        elif part.kind == "all_of" and part.group in part.groups:
            group = part.groups[part.group]
            found.setdefault(len(group.members), f"all {len(group.members)} of {group.label}")
        elif part.kind in ("exchange", "notifications"):
            found.setdefault(parties, f"all {parties} parties")
    return sorted(found.items())


def consents_chart(treaty: TreatyReport, as_of: date, index: int) -> ConsentsChart | None:
    """The chart for a multilateral treaty with a rule; None for a bilateral one or one without a rule."""
    evaluation = treaty.evaluation
    if treaty.kind != "multilateral" or evaluation is None:
        return None
    changes: list[tuple[date, int, str]] = []
    for row in treaty.rows:
        if row.get("deposited_on"):
            changes.append((date.fromisoformat(row["deposited_on"]), 1, f"{row['party']} {row.get('consent') or ''}"))
        if row.get("deposited_on") and row.get("withdrawn_on") and row["withdrawn_on"] <= as_of.isoformat():
            changes.append((date.fromisoformat(row["withdrawn_on"]), -1, f"{row['party']} withdrew"))
    changes.sort(key=lambda change: change[0])
    wanted = thresholds(evaluation.rule, len(treaty.rows))
    marked = [day for day in (evaluation.met_on, evaluation.in_force_on) if day]
    days = [day for day, _delta, _who in changes] + marked
    start = min(days, default=as_of - timedelta(days=365))
    end = max([as_of, *days])
    if (end - start).days < 30:
        start = end - timedelta(days=30)
    if (end - start).days > 550:
        start = date(start.year, 1, 1)  # a year axis starts on a year, so the first year is labelled too
    span = (end - start).days
    bottom = HEIGHT - 30
    plot_right = WIDTH - RIGHT
    peak = max([1, *(count for count, _words in wanted), _running_peak(changes)])

    def x(day: date) -> float:
        return LEFT + (day - start).days / span * (plot_right - LEFT)

    def y(count: int) -> float:
        return bottom - count / peak * (bottom - TOP)

    count, path, points = 0, [f"M{x(start):.1f},{y(0):.1f}"], []
    for day, delta, who in changes:
        path.append(f"H{x(day):.1f}")
        count += delta
        path.append(f"V{y(count):.1f}")
        points.append((x(day), y(count), f"{day}: {who.strip()} ({count} in all)"))
    path.append(f"H{x(end):.1f}")
    marks: list[Mark] = []
    for kind, day, words in (("met", evaluation.met_on, "rule met"), ("in_force", evaluation.in_force_on, "in force")):
        if day:
            at, label = x(day), f"{words} {day}"
            left = kind == "met" and at - len(label) * _CHAR - 4 > LEFT
            # Labels either side of two lines never meet; one that has to go right of a near line goes up a row.
            crowded = not left and any(
                other.anchor == "start" and abs(at - other.x) < (len(other.label) + 4) * _CHAR for other in marks
            )
            marks.append(Mark(at, label, TOP - 20 if crowded else TOP - 8, kind, "end" if left else "start"))
    years = range(start.year, end.year + 1)
    step = max(1, -(-len(years) // 60))  # every year while they fit; past sixty, round ones
    x_ticks = [(x(date(year, 1, 1)), str(year)) for year in years if (year - start.year) % step == 0]
    if span <= 550:
        x_ticks = [(x(start), str(start)), (x(end), str(end))]
    y_step = max(1, -(-peak // 8))
    y_ticks = [(y(n), str(n)) for n in range(0, peak + 1, y_step)]
    lines = [Threshold(y(n), n, words) for n, words in wanted]
    desc = (
        f"Instruments deposited over time ({count} as of {as_of}) against "
        f"{' or '.join(words for _n, words in wanted) or 'no number of instruments'}; "
        + "; ".join(mark.label for mark in marks)
    )
    return ConsentsChart(
        f"consents-{index}",
        treaty.slug,
        WIDTH,
        HEIGHT,
        "".join(path),
        points,
        lines,
        marks,
        x_ticks,
        y_ticks,
        TOP,
        int(bottom),
        LEFT,
        plot_right,
        desc,
    )


def _running_peak(changes: list[tuple[date, int, str]]) -> int:
    count = peak = 0
    for _day, delta, _who in changes:
        count += delta
        peak = max(peak, count)
    return peak
