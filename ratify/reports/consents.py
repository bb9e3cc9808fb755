"""The geometry of a multilateral treaty's consents chart: instruments in force over time, against the
number its entry-into-force rule asks for, with the day the rule was met and entry into force marked.

The dates come from the rule's own evaluation (`ratify.rules.entry_into_force`, through
`reports.summary.evaluate_rows`); nothing here decides whether a rule is met.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ratify.dates import exact, to_day
from ratify.reports.publish import TreatyReport
from ratify.reports.timeline import axis

WIDTH, LEFT, RIGHT, TOP, HEIGHT = 1120, 60, 250, 34, 220
_CHAR = 6.1


@dataclass(frozen=True)
class Threshold:
    y: float
    count: int
    label: str
    label_y: float = 0.0  # moved apart from the other labels at the right edge


@dataclass(frozen=True)
class Mark:
    x: float
    label: str
    y: float  # where its label sits, so that two marks close together do not write over each other
    kind: str  # met | in_force
    anchor: str  # the rule met is labelled left of its line, entry into force right of its own


@dataclass(frozen=True)
class Series:
    kind: str  # all | group: every instrument, or those of the group an all_of rule names
    label: str  # at the line's right end: "all instruments: 178"
    path: str  # the step line, in plot coordinates
    points: list[tuple[float, float, str]]  # each deposit: x, y, tooltip
    end_y: float
    label_y: float = 0.0  # moved apart from the other labels at the right edge


@dataclass(frozen=True)
class ConsentsChart:
    id: str
    slug: str
    width: int
    height: int
    series: list[Series]
    thresholds: list[Threshold]
    marks: list[Mark]
    x_ticks: list[tuple[float, str]]
    rotated: bool  # year labels stand upright where they would not fit side by side
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
    changes = _changes(treaty.rows, as_of)
    group = _group(evaluation.rule)
    members = _changes([row for row in treaty.rows if row["party"] in group[1]], as_of) if group else []
    wanted = thresholds(evaluation.rule, len(treaty.rows))
    marked = [day for day in (evaluation.met_on, evaluation.in_force_on) if day]
    days = [day for day, _delta, _who in changes] + marked
    start, end = axis(days, as_of)
    span = (end - start).days
    plot_right = WIDTH - RIGHT
    room = (plot_right - LEFT) * 365 / span
    rotated = span > 550 and room < 4 * _CHAR + 6
    bottom = HEIGHT - 30 - (14 if rotated else 0)
    peak = max([1, *(count for count, _words in wanted), _running_peak(changes)])

    def x(day: date) -> float:
        return LEFT + (day - start).days / span * (plot_right - LEFT)

    def y(count: int) -> float:
        return bottom - count / peak * (bottom - TOP)

    series = [_series("all", "all instruments", changes, start, end, x, y)]
    if group:
        series.append(_series("group", group[0], members, start, end, x, y))
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
    y_step = _nice(peak / 8)
    y_ticks = [(y(n), str(n)) for n in range(0, peak + 1, y_step)]
    lines = [Threshold(y(n), n, f"needed: {words}") for n, words in wanted]
    placed = _apart([line.y for line in lines] + [one.end_y for one in series])
    lines = [replace(line, label_y=at) for line, at in zip(lines, placed, strict=False)]
    series = [replace(one, label_y=at) for one, at in zip(series, placed[len(lines) :], strict=True)]
    desc = (
        f"Instruments deposited over time ({series[0].label}, as of {as_of}) against "
        f"{' or '.join(words for _n, words in wanted) or 'no number of instruments'}; "
        + "; ".join(mark.label for mark in marks)
    )
    return ConsentsChart(
        f"consents-{index}",
        treaty.slug,
        WIDTH,
        HEIGHT,
        series,
        lines,
        marks,
        x_ticks,
        rotated,
        y_ticks,
        TOP,
        int(bottom),
        LEFT,
        plot_right,
        desc,
    )


def _group(rule: Any) -> tuple[str, set[str]] | None:
    """(label, members) of the group an all_of rule (or alternative) names: its instruments are what count."""
    for part in rule.every_rule():
        if part.kind == "all_of" and part.group in part.groups:
            group = part.groups[part.group]
            return group.label, set(group.members)
    return None


def _changes(rows: list[dict[str, Any]], as_of: date) -> list[tuple[date, int, str]]:
    """Each deposit (+1) and each withdrawal of a deposited party (-1), by date.

    A deposit known only to the month or year ("1949") counts from its last day, as the rule counts it.
    """
    changes: list[tuple[date, int, str]] = []
    for row in rows:
        if row.get("deposited_on"):
            changes.append((exact(to_day(row["deposited_on"])), 1, f"{row['party']} {row.get('consent') or ''}"))
        if row.get("deposited_on") and row.get("withdrawn_on") and row["withdrawn_on"] <= as_of.isoformat():
            changes.append((date.fromisoformat(row["withdrawn_on"]), -1, f"{row['party']} withdrew"))
    changes.sort(key=lambda change: change[0])
    return changes


def _series(kind: str, words: str, changes: list[tuple[date, int, str]], start: date, end: date, x, y) -> Series:
    count, path, points = 0, [f"M{x(start):.1f},{y(0):.1f}"], []
    for day, delta, who in changes:
        path.append(f"H{x(day):.1f}")
        count += delta
        path.append(f"V{y(count):.1f}")
        points.append((x(day), y(count), f"{day}: {who.strip()} ({count} {words})"))
    path.append(f"H{x(end):.1f}")
    return Series(kind, f"{words}: {count}", "".join(path), points, y(count))


def _apart(ys: list[float], gap: float = 13) -> list[float]:
    """Label baselines near `ys`, in the same order, at least `gap` apart."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    out = list(ys)
    for before, after in zip(order, order[1:], strict=False):
        out[after] = max(out[after], out[before] + gap)
    return out


def _nice(raw: float) -> int:
    """A tick step of 1, 2, 5, 10, 20, 50 ... at least `raw`."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            if multiple * magnitude >= raw:
                return multiple * magnitude
        magnitude *= 10


def _running_peak(changes: list[tuple[date, int, str]]) -> int:
    count = peak = 0
    for _day, delta, _who in changes:
        count += delta
        peak = max(peak, count)
    return peak
