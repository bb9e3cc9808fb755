"""The geometry of a treaty's timeline: one lane per party, a mark per step, an axis of years or months.

Only numbers and plain text come out of here; the template (`templates/timeline.html`)
draws them, and its autoescape makes every label inert. The marker shapes are ratify's
own constant SVG, the one piece of markup passed through as it is.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

from ratify.reports.publish import Lane, Step, TreatyReport
from ratify.vocab import PartyState


def _star(outer: float = 8.0, inner: float = 3.4) -> str:
    points = []
    for i in range(10):
        radius, angle = (outer if i % 2 == 0 else inner), math.pi * i / 5 - math.pi / 2
        points.append(f"{radius * math.cos(angle):.1f},{radius * math.sin(angle):.1f}")
    return f'<polygon points="{" ".join(points)}"/>'


# Each status has its own shape, so the timeline still reads in greyscale and for colour-blind readers.
SHAPES = {
    "signed": Markup('<path d="M0,-7L7,0L0,7L-7,0Z"/>'),
    "passed": Markup('<circle r="6"/>'),
    "failed": Markup('<path d="M-5,-5L5,5M-5,5L5,-5"/>'),
    "scheduled": Markup('<circle r="5.5"/>'),
    "skipped": Markup('<rect x="-7" y="-2.5" width="14" height="5"/>'),
    "act": Markup('<path d="M0,-7L6.5,5H-6.5Z"/>'),
    "in_force": Markup(_star()),
}
MEANINGS = {
    "signed": "signature",
    "passed": "stage passed",
    "failed": "stage failed",
    "scheduled": "stage scheduled",
    "skipped": "stage skipped",
    "act": "act (withdrawal, suspension, reservation ...)",
    "in_force": "in force for the party",
}
UNKNOWN_SHAPE = Markup('<rect x="-5" y="-5" width="10" height="10"/>')

# Plot geometry in SVG user units; the SVG scales down on narrow screens but never up.
WIDTH, LEFT, RIGHT, TOP, PAD = 1120, 200, 250, 40, 14
_MIN_GAP = 12  # markers a day apart would overlap at a multi-year scale
_CHAR = 6.1  # rough advance of one 11px sans-serif character, to keep visible labels apart
_LINE = 12  # height of one line of label text
_YEAR_LABEL = 4 * _CHAR + 6  # a horizontal year label and a little air

#: Lanes from the furthest along to the least: in force first, then by how far each got.
PROGRESS = (
    PartyState.IN_FORCE,
    PartyState.SUSPENDED,
    PartyState.DEPOSITED,
    PartyState.RATIFIED,
    PartyState.APPROVED,
    PartyState.IN_LEGISLATURE,
    PartyState.SIGNED,
    PartyState.NOT_SIGNED,
    PartyState.DECLINED,
    PartyState.REJECTED,
    PartyState.WITHDRAWN,
    PartyState.TERMINATED,
)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    major: bool


@dataclass(frozen=True)
class Label:
    dx: float  # from the marker, moved in so that it is not cut at either edge of the plot
    lines: list[str]
    ys: list[float]  # baseline of each line, from the lane's middle
    anchor: str


@dataclass(frozen=True)
class Marker:
    x: float
    kind: str  # a key of SHAPES, or "other"
    shape: Markup
    tooltip: str
    label: Label | None


@dataclass(frozen=True)
class LaneDrawing:
    party: str
    state: str
    tooltip: str
    top: float
    height: float
    mid: float
    banded: bool
    name_lines: list[str]
    track: tuple[float, float] | None
    pending: tuple[float, float, list[str], str] | None  # from x, to x, shown lines, whole text
    markers: list[Marker]


@dataclass(frozen=True)
class Timeline:
    id: str
    slug: str
    width: int
    height: int
    top: int
    ticks: list[Tick]
    rotated: bool  # every year labelled, turned upright where they would not fit side by side
    bottom_axis: bool
    lanes: list[LaneDrawing]
    as_of: date
    as_of_x: float
    gutter_x: float
    desc: str


def ordered(lanes: list[Lane]) -> list[Lane]:
    """Lanes by progress: the furthest along first; among equals, who got there first."""
    rank = {state.value: i for i, state in enumerate(PROGRESS)}

    def key(lane: Lane) -> tuple:
        latest = max((step.day for step in lane.steps), default=date.max)
        return (rank.get(lane.state, len(rank)), latest, lane.party)

    return sorted(lanes, key=key)


def axis(days: list[date], as_of: date) -> tuple[date, date]:
    """The first and last day a time axis shows: every day given, the report date, a month at least."""
    start = min(days, default=as_of - timedelta(days=365))
    end = max([as_of, *days])
    if (end - start).days < 30:
        start = end - timedelta(days=30)
    if (end - start).days > 550:
        start = date(start.year, 1, 1)  # a year axis starts on a year, so the first year is labelled too
    return start, end


def timeline(treaty: TreatyReport, as_of: date, index: int) -> Timeline:
    lanes = ordered(treaty.lanes)
    days = [step.day for lane in lanes for step in lane.steps]
    # Scheduled stages may lie after the report date; the axis must still reach them.
    start, end = axis(days, as_of)
    span = (end - start).days
    plot_right = WIDTH - RIGHT

    def x(day: date) -> float:
        return LEFT + PAD + (day - start).days / span * (plot_right - LEFT - 2 * PAD)

    ticks, rotated = _axis(start, end, x)
    top = TOP + (22 if rotated else 0)
    count = len(lanes)
    # Few lanes get room for labels of up to three lines above and below the markers; dozens get one
    # row of short labels; hundreds get thin rows and tooltips only.
    # Few lanes get four lines of label room above and below the markers; dozens get a line each side;
    # hundreds get thin rows and tooltips only.
    slots: tuple[tuple[float, ...], tuple[float, ...]]
    widths: tuple[int, ...]
    if count <= 10:
        lane_h, slots, widths = 144, ((-12, -24, -36, -48, -60), (21, 33, 45, 57, 69)), (22, 14)
    elif count <= 40:
        lane_h, slots, widths = 40, ((-10,), (18,)), (40, 20)  # whole if there is room, else shortened
    else:
        lane_h, slots, widths = 20, ((), ()), ()
    bottom_axis = count > 12
    height = top + count * lane_h + (TOP if bottom_axis else 12)
    drawings = [
        _lane(lane, top + i * lane_h, lane_h, (slots, widths), x, x(as_of), i) for i, lane in enumerate(lanes)
    ]
    desc = (
        f"One lane per party ({count}), the furthest along first, from {start} to {end}; the report date {as_of} "
        "is the red dashed line. Each mark is a step at its date; the table lists the same data."
    )
    return Timeline(
        f"timeline-{index}",
        treaty.slug,
        WIDTH,
        height,
        top,
        ticks,
        rotated,
        bottom_axis,
        drawings,
        as_of,
        x(as_of),
        WIDTH - RIGHT + 12,
        desc,
    )


def _axis(start: date, end: date, x) -> tuple[list[Tick], bool]:
    """Ticks for the axis, and whether their labels stand upright to fit."""
    span = (end - start).days
    ticks: list[Tick] = []
    if span <= 550:  # short spans get month ticks, else a year-long axis would show one tick or none
        month = date(start.year, start.month, 1)
        while month <= end:
            if month >= start:
                label = f"{month:%b %Y}" if month.month == 1 or not ticks else f"{month:%b}"
                ticks.append(Tick(x(month), label, month.month == 1))
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return ticks, False
    years = range(start.year, end.year + 1)
    room = x(date(start.year + 1, 1, 1)) - x(date(start.year, 1, 1))
    if room >= _YEAR_LABEL:
        return [Tick(x(date(y, 1, 1)), str(y), True) for y in years], False
    if room >= _LINE:
        return [Tick(x(date(y, 1, 1)), str(y), True) for y in years], True
    # Centuries of dates (a typo such as 1204 for 2024) still give an axis: the first year, then round ones.
    step = _year_step(end.year - start.year)
    return [Tick(x(date(y, 1, 1)), str(y), True) for y in years if y == start.year or y % step == 0], True


def _year_step(years: int) -> int:
    """Years between labelled ticks: 1, 2, 5, 10, 20, 50, 100 ... so that at most 60 are labelled."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            if years / (multiple * magnitude) <= 60:
                return multiple * magnitude
        magnitude *= 10


def _lane(lane: Lane, top: int, lane_h: int, labels: tuple, x, as_of_x: float, i: int) -> LaneDrawing:
    slots, widths = labels
    mid = top + lane_h / 2
    name = f"{lane.party} {lane.name}"
    name_lines = _wrap(lane.name, 28, 2 if lane_h > 60 else 1)
    xs = _spread([x(step.day) for step in lane.steps])
    pending = None
    if lane.pending is not None:
        text = f"pending: {lane.pending}"
        begin = xs[-1] if xs else LEFT + PAD
        pending = (begin, max(as_of_x, begin), _wrap(text, 38, 2 if lane_h > 60 else 1), text)
    # Where each line of label room is free again, left to right: above the markers, then below.
    free = [[-math.inf] * len(side) for side in slots]
    markers = []
    for step, at in zip(lane.steps, xs, strict=True):
        label = None
        for width in widths:
            label = _place(step.label, width, at, slots, free)
            if label:
                break
        kind = step.status if step.status in SHAPES else "other"
        markers.append(Marker(at, kind, SHAPES.get(step.status, UNKNOWN_SHAPE), _tooltip(lane, step), label))
    return LaneDrawing(
        party=lane.party,
        state=lane.state,
        tooltip=f"{name}: {lane.state}",
        top=top,
        height=lane_h,
        mid=mid,
        banded=i % 2 == 0,
        name_lines=name_lines,
        track=(xs[0], xs[-1]) if xs else None,
        pending=pending,
        markers=markers,
    )


def _place(text: str, width: int, at: float, slots: tuple, free: list[list[float]]) -> Label | None:
    """The label wrapped to `width` in the first free run of lines, above or below the marker, nearest first;
    None if it fits nowhere (the marker's tooltip still holds it)."""
    wrapped = _wrap(text, width, max((len(side) for side in slots), default=0))
    if not wrapped:
        return None
    half = max(len(line) for line in wrapped) * _CHAR / 2
    # Moved in at the plot's edges, so that no label is cut by the gutter or the page.
    centre = min(max(at, LEFT + half), WIDTH - RIGHT + 8 - half)
    count = len(wrapped)
    for side, (ys, room) in enumerate(zip(slots, free, strict=True)):
        for offset in range(len(ys) - count + 1):
            taken = range(offset, offset + count)
            if all(centre - half >= room[k] + 6 for k in taken):
                # The line either side stays empty over this label too, so that two labels stacked
                # one over the other never read as one.
                for k in range(max(0, offset - 1), min(len(ys), offset + count + 1)):
                    room[k] = max(room[k], centre + half)
                # Above, the last line sits nearest the marker; below, the first does.
                order = [offset + count - 1 - j for j in range(count)] if side == 0 else list(taken)
                return Label(centre - at, wrapped, [ys[k] for k in order], "middle")
    return None


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """Text in at most `lines` lines of `width` characters, broken at spaces; cut with an ellipsis only
    when even that is not room enough."""
    if lines <= 0:
        return []
    wrapped = textwrap.wrap(text, width, break_long_words=True) or [""]
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    kept[-1] = _short(kept[-1] + " " + wrapped[lines], width)
    return kept


def _spread(xs: list[float]) -> list[float]:
    """Nudge markers right so that steps days apart stay visibly separate; the tooltip keeps the exact date."""
    out: list[float] = []
    for at in xs:
        out.append(max(at, out[-1] + _MIN_GAP) if out else at)
    return out


def _tooltip(lane: Lane, step: Step) -> str:
    detail = f" ({step.detail})" if step.detail else ""
    return f"{lane.party}: {step.label}, {step.status.replace('_', ' ')} on {step.day}{detail}"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"
