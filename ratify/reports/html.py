"""The status report as one standalone HTML page: a table per treaty to read, an SVG timeline to see.

The page fetches nothing (no script, font, image or stylesheet), so it can be mailed, archived or
opened offline and look the same. Every string from the data is escaped, and no link is built from
data: a source URL shows as text and can never become a `javascript:` href.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from ratify.reports.escaping import html as escape
from ratify.reports.publish import Lane, Report, Step, TreatyReport

COLUMNS = (
    ("party", "Party"),
    ("party_name", "Name"),
    ("state", "State"),
    ("progress", "Progress"),
    ("stage_date", "Stage date"),
    ("waiting_days", "Waiting (days)"),
    ("in_force_on", "In force on"),
)


def _star(outer: float = 8.0, inner: float = 3.4) -> str:
    points = []
    for i in range(10):
        radius, angle = (outer if i % 2 == 0 else inner), math.pi * i / 5 - math.pi / 2
        points.append(f"{radius * math.cos(angle):.1f},{radius * math.sin(angle):.1f}")
    return f'<polygon points="{" ".join(points)}"/>'


# Each status has its own shape, so the timeline still reads in greyscale and for colour-blind readers.
SHAPES = {
    "signed": '<path d="M0,-7L7,0L0,7L-7,0Z"/>',
    "passed": '<circle r="6"/>',
    "failed": '<path d="M-5,-5L5,5M-5,5L5,-5"/>',
    "scheduled": '<circle r="5.5"/>',
    "skipped": '<rect x="-7" y="-2.5" width="14" height="5"/>',
    "act": '<path d="M0,-7L6.5,5H-6.5Z"/>',
    "in_force": _star(),
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
_UNKNOWN_SHAPE = '<rect x="-5" y="-5" width="10" height="10"/>'

# Plot geometry in SVG user units; the SVG scales down on narrow screens but never up.
WIDTH, LEFT, RIGHT, TOP, PAD = 1120, 200, 250, 40, 14
_MIN_GAP = 12  # markers a day apart would overlap at a multi-year scale
_CHAR = 6.1  # rough advance of one 11px sans-serif character, to keep visible labels apart

CSS = """
:root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--band:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px 48px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",
Arial,sans-serif;color:var(--ink);background:#fff;max-width:1200px}
h1{font-size:26px;margin:0 0 2px}h2{font-size:19px;margin:0 0 4px;line-height:1.3}
.asof{color:var(--muted);margin:0 0 10px}.totals{font-weight:600;margin:0 0 14px}
section.treaty{border-top:2px solid var(--line);padding-top:18px;margin-top:22px}
.slug{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted);font-size:13px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0 14px}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
table{border-collapse:collapse;margin:4px 0 16px;font-size:13px;min-width:60%}
caption{text-align:left;font-weight:600;padding:0 0 6px}
th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--band);border-bottom:2px solid var(--line)}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.state{display:inline-block;padding:0 7px;border-radius:9px;background:#eef1f4;font-size:12px;white-space:nowrap}
.state-in_force{background:#dafbe1}.state-rejected,.state-withdrawn,.state-terminated{background:#ffebe9}
.state-ratified,.state-deposited,.state-approved{background:#fff8c5}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;padding:8px 12px;margin:0 0 8px;
background:var(--band);border-radius:6px;font-size:13px}
ul.legend li{display:flex;align-items:center;gap:6px}
figure{margin:0}figcaption{font-weight:600;margin:0 0 4px}
svg.timeline{max-width:100%;height:auto;font-size:11px}
svg text{fill:var(--ink)}.axis text,.gutter,.state-text{fill:var(--muted)}
.tick{stroke:var(--line)}.tick.major{stroke:#afb8c1}.band{fill:#8c959f;fill-opacity:.08}
.track{stroke:#8c959f;stroke-width:2}.asof-line{stroke:#cf222e;stroke-dasharray:3 3}.asof-label{fill:#cf222e}
.pending line,.key-pending line{stroke:#bc4c00;stroke-width:2;stroke-dasharray:5 4}.pending text{fill:#bc4c00}
.party-code{font-weight:700}
.step-passed{fill:#1a7f37}.step-signed{fill:#6639ba}.step-act{fill:#0969da}
.step-failed{fill:none;stroke:#cf222e;stroke-width:3;stroke-linecap:round}
.step-scheduled{fill:#fff;stroke:#0969da;stroke-width:2}.step-skipped{fill:#8c959f;stroke:#fff;stroke-width:1}
.step-in_force{fill:#d4a72c;stroke:#7d4e00;stroke-width:1}.step-other{fill:#fff;stroke:#57606a;stroke-width:2}
g.step text{fill:var(--ink);stroke:none;font-size:10.5px}
"""


def render_html(report: Report) -> str:
    """One self-contained HTML5 document for the report."""
    title = f"ratify status report as of {report.as_of}"
    sections = [_treaty_section(treaty, report.as_of, index) for index, treaty in enumerate(report.treaties, 1)]
    body = "\n".join(sections) if sections else "<p>No treaties recorded.</p>"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>Treaty ratification status</h1>
<p class="asof">status as of <time datetime="{report.as_of}">{report.as_of}</time></p>
<p class="totals">{escape(report.totals_line)}</p>
{_legend()}
</header>
<main>
{body}
</main>
</body>
</html>
"""


def _legend() -> str:
    items = [
        f'<li><svg width="18" height="18" viewBox="-9 -9 18 18" aria-hidden="true">'
        f'<g class="key step-{status}">{shape}</g></svg>{escape(MEANINGS[status])}</li>'
        for status, shape in SHAPES.items()
    ]
    items.append(
        '<li><svg width="30" height="18" viewBox="0 -9 30 18" aria-hidden="true"><g class="key key-pending">'
        '<line x1="1" x2="29" y1="0" y2="0"/></g></svg>pending: the next stage, up to the report date</li>'
    )
    return f'<ul class="legend" aria-label="Timeline key">{"".join(items)}</ul>'


def _treaty_section(treaty: TreatyReport, as_of: date, index: int) -> str:
    signed = str(treaty.signed) if treaty.signed else "not recorded"
    if treaty.signed and treaty.place:
        signed += f" at {treaty.place}"
    facts = [
        ("Kind", treaty.kind),
        ("Signed", signed),
        ("Status", treaty.summary),
        ("Entry into force", treaty.rule or "no rule recorded"),
        ("Signatories", str(treaty.participation.signatories)),
        ("Parties (bound by consent)", str(treaty.participation.parties)),
    ]
    dl = "".join(f"<dt>{escape(term)}</dt><dd>{escape(value)}</dd>" for term, value in facts)
    timeline = _timeline(treaty, as_of, index) if treaty.lanes else "<p>No parties recorded.</p>"
    return f"""<section class="treaty" id="treaty-{index}" data-slug="{escape(treaty.slug)}">
<h2>{escape(treaty.title)}</h2>
<div class="slug">{escape(treaty.slug)}</div>
<dl class="facts">{dl}</dl>
{_table(treaty, as_of)}
{timeline}
</section>"""


def _table(treaty: TreatyReport, as_of: date) -> str:
    head = "".join(f'<th scope="col">{escape(label)}</th>' for _key, label in COLUMNS)
    body = []
    for row in treaty.rows:
        cells = []
        for key, _label in COLUMNS:
            value = row.get(key)
            text = "" if value is None else escape(str(value))
            if key == "party":
                cells.append(f'<th scope="row">{text}</th>')
            elif key == "state" and text:
                cells.append(f'<td><span class="state state-{_token(str(value))}">{text.replace("_", " ")}</span></td>')
            else:
                cells.append(f'<td class="num">{text}</td>' if key == "waiting_days" else f"<td>{text}</td>")
        body.append(f'<tr data-party="{escape(str(row.get("party", "")))}">{"".join(cells)}</tr>')
    return (
        f'<table class="status"><caption>Parties to {escape(treaty.slug)} as of {as_of}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table>"
    )


def _timeline(treaty: TreatyReport, as_of: date, index: int) -> str:
    days = [step.day for lane in treaty.lanes for step in lane.steps]
    start = min(days, default=as_of - timedelta(days=365))
    # Scheduled stages may lie after the report date; the axis must still reach them.
    end = max([as_of, *days])
    if (end - start).days < 30:
        start = end - timedelta(days=30)
    span = (end - start).days
    plot_right = WIDTH - RIGHT

    def x(day: date) -> float:
        return LEFT + PAD + (day - start).days / span * (plot_right - LEFT - 2 * PAD)

    count = len(treaty.lanes)
    # Few lanes get room for labels above and below the markers; hundreds get thin rows and tooltips only.
    lane_h, label_rows = (84, (-13, 23, -27, 37)) if count <= 10 else (40, (-11,)) if count <= 40 else (20, ())
    bottom_axis = count > 12
    height = TOP + count * lane_h + (TOP if bottom_axis else 12)
    ids = f"timeline-{index}"
    lanes = [_lane(lane, TOP + i * lane_h, lane_h, label_rows, x, x(as_of), i) for i, lane in enumerate(treaty.lanes)]
    desc = (
        f"One lane per party ({count}), from {start} to {end}; the report date {as_of} is the red dashed line. "
        "Each mark is a step at its date; the table above lists the same data."
    )
    return f"""<figure>
<figcaption>Timeline</figcaption>
<svg class="timeline" role="img" aria-labelledby="{ids}-title {ids}-desc" width="{WIDTH}" height="{height}" \
viewBox="0 0 {WIDTH} {height}">
<title id="{ids}-title">Timeline of {escape(treaty.slug)}</title>
<desc id="{ids}-desc">{escape(desc)}</desc>
{_axis(start, end, x, height, bottom_axis)}
{"".join(lanes)}
<line class="asof-line" x1="{x(as_of):.1f}" x2="{x(as_of):.1f}" y1="{TOP - 8}" y2="{height - 4}"/>
<text class="asof-label" x="{x(as_of) + 4:.1f}" y="{TOP - 10}">as of {as_of}</text>
</svg>
</figure>"""


def _axis(start: date, end: date, x, height: int, bottom: bool) -> str:
    span = (end - start).days
    ticks: list[tuple[date, str, bool]] = []
    if span <= 550:  # short spans get month ticks, else a year-long axis would show one tick or none
        month = date(start.year, start.month, 1)
        while month <= end:
            if month >= start:
                label = f"{month:%b %Y}" if month.month == 1 or not ticks else f"{month:%b}"
                ticks.append((month, label, month.month == 1))
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    else:
        step = _year_step(end.year - start.year)
        ticks = [(date(y, 1, 1), str(y), True) for y in range(start.year + 1, end.year + 1) if y % step == 0]
    parts = ['<g class="axis">']
    for day, label, major in ticks:
        at = x(day)
        parts.append(
            f'<line class="tick{" major" if major else ""}" x1="{at:.1f}" x2="{at:.1f}" '
            f'y1="{TOP - 6}" y2="{height - (TOP - 6 if bottom else 8)}"/>'
        )
        parts.append(f'<text x="{at:.1f}" y="{TOP - 22}" text-anchor="middle">{escape(label)}</text>')
        if bottom:
            parts.append(f'<text x="{at:.1f}" y="{height - 12}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</g>")
    return "".join(parts)


def _year_step(years: int) -> int:
    """Years between labelled ticks: 1, 2, 5, 10, 20, 50, 100 ... so that at most 14 are labelled.

    Dates centuries apart (a typo such as 1204 for 2024) still give an axis, however sparse.
    """
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            if years / (multiple * magnitude) <= 14:
                return multiple * magnitude
        magnitude *= 10


def _lane(lane: Lane, top: int, lane_h: int, label_rows: tuple[int, ...], x, as_of_x: float, i: int) -> str:
    mid = top + lane_h / 2
    small = lane_h < 30
    name = _short(lane.name, 16 if small else 24)
    parts = [
        f'<g class="lane" data-party="{escape(lane.party)}" data-state="{escape(lane.state)}">',
        f"<title>{escape(f'{lane.party} {lane.name}: {lane.state}')}</title>",
        f'<rect class="band" x="0" y="{top}" width="{WIDTH}" height="{lane_h}"/>' if i % 2 == 0 else "",
        f'<text class="gutter" x="8" y="{mid + 4:.1f}"><tspan class="party-code">{escape(lane.party)}</tspan> '
        f"{escape(name)}</text>",
    ]
    xs = _spread([x(step.day) for step in lane.steps])
    if xs:
        parts.append(f'<line class="track" x1="{xs[0]:.1f}" x2="{xs[-1]:.1f}" y1="{mid}" y2="{mid}"/>')
    gutter_x = WIDTH - RIGHT + 12
    if lane.pending is not None:
        text = f"pending: {lane.pending}"
        begin = xs[-1] if xs else LEFT + PAD
        parts.append(
            f'<g class="pending"><title>{escape(text)}</title>'
            f'<line x1="{begin:.1f}" x2="{max(as_of_x, begin):.1f}" y1="{mid}" y2="{mid}"/>'
            f'<text x="{gutter_x}" y="{mid + 4:.1f}">{escape(_short(text, 38))}</text></g>'
        )
    else:
        parts.append(
            f'<text class="state-text" x="{gutter_x}" y="{mid + 4:.1f}">{escape(lane.state.replace("_", " "))}</text>'
        )
    free = {row: -math.inf for row in label_rows}  # where each label row is free again, left to right
    for step, at in zip(lane.steps, xs, strict=True):
        label = ""
        short = _short(step.label, 20)
        half = len(short) * _CHAR / 2
        for row in label_rows:
            if at - half >= free[row] + 6:
                free[row] = at + half
                label = f'<text x="0" y="{row}" text-anchor="middle">{escape(short)}</text>'
                break
        kind = step.status if step.status in SHAPES else "other"
        parts.append(
            f'<g class="step step-{kind}" transform="translate({at:.1f},{mid})">'
            f"<title>{escape(_tooltip(lane, step))}</title>{SHAPES.get(step.status, _UNKNOWN_SHAPE)}{label}</g>"
        )
    parts.append("</g>\n")
    return "".join(parts)


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


def _token(value: str) -> str:
    """A CSS class token: states are vocabulary, but the page must stay valid whatever the data holds."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", value) or "other"
