"""The standalone HTML report: escaping, structure, no external fetches, and a real headless-browser render."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ratify.reports.html import SHAPES, render_html
from ratify.reports.publish import Lane, Report, Step, TreatyReport
from tests.conftest import RUS_PRK, run

EVIL = "<script>alert(1)</script>"
EVIL_PARTY = '"><script>x</script>'
SOURCE_URL = "https://example.org/treaty?a=1&b=2"
COLUMNS = ("party", "party_name", "state", "progress", "stage_date", "waiting_days", "in_force_on")


class Page(HTMLParser):
    """The parts of a page the tests look at, as the browser's parser sees them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.rows: dict[str, list[str]] = {}
        self.text: list[str] = []
        self._row: str | None = None
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "tr" and attributes.get("data-party") is not None:
            self._row = attributes["data-party"]
            self.rows[self._row] = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self.rows[self._row].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    def having(self, tag: str, *classes: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == tag and set(classes) <= set((a.get("class") or "").split())]


def _row(party: str, name: str, state: str = "signed", **extra) -> dict:
    row = dict.fromkeys((*COLUMNS, "signed", "deposited_on"))
    row.update(party=party, party_name=name, state=state, progress=f"{state} so far", **extra)
    return row


def _treaty(lanes: list[Lane], title: str = "A treaty", summary: str = "not in force") -> TreatyReport:
    rows = [_row(lane.party, lane.name, lane.state, waiting_days=3) for lane in lanes]
    return TreatyReport(
        "demo-2020", title, "bilateral", date(2020, 1, 2), "Geneva", summary, "in force on exchange", rows, lanes
    )


def _every_status_lane() -> Lane:
    steps = [
        Step(date(2020, 1, 2), "signature", "signed"),
        Step(date(2020, 3, 1), "Committee", "passed", "12-3"),
        Step(date(2020, 4, 1), "Senate", "failed", "40-60"),
        Step(date(2020, 5, 1), "Senate again", "scheduled"),
        Step(date(2020, 6, 1), "House", "skipped"),
        Step(date(2020, 7, 1), "reservation", "act", SOURCE_URL),
        Step(date(2020, 8, 1), "in force", "in_force"),
    ]
    return Lane("USA", "United States", "in_force", steps, None)


@pytest.fixture
def hostile() -> tuple[Report, str]:
    lanes = [
        _every_status_lane(),
        Lane(EVIL_PARTY, EVIL, "signed", [Step(date(2020, 1, 2), EVIL, "signed", EVIL)], EVIL),
        Lane("CHE", "Switzerland", "approved", [Step(date(2020, 1, 2), "signature", "signed")], "Federal Council"),
    ]
    report = Report(date(2021, 6, 30), [_treaty(lanes, EVIL, f"see {SOURCE_URL}")], {"parties": 3, "signed": 1})
    return report, render_html(report)


def test_data_is_escaped_in_text_and_attributes(hostile):
    _report, page = hostile
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parsed = Page(page)
    # Round trip: what the parser reads back is exactly the data, in element text and in attributes alike.
    assert EVIL in "".join(parsed.text)
    assert EVIL_PARTY in [lane["data-party"] for lane in parsed.having("g", "lane")]
    assert EVIL_PARTY in parsed.rows
    assert parsed.rows[EVIL_PARTY][:2] == [EVIL_PARTY, EVIL]
    allowed = """html head meta title style body header main section h1 h2 p time div dl dt dd span ul li table caption
        thead tbody tr th td figure figcaption svg desc g path circle rect polygon line text tspan""".split()
    assert {tag for tag, _ in parsed.elements} <= set(allowed)


def test_nothing_is_fetched_and_no_link_is_built_from_text_that_is_not_a_source(hostile):
    """The page fetches nothing, so it is inert offline; only a source's http(s) URL becomes a link (see
    test_every_http_source_is_a_link_and_nothing_else_is), and this report records no source."""
    _report, page = hostile
    assert not re.search(r"\b(src|href|xlink:href|action|poster|srcset)\s*=", page, re.I)
    assert not re.search(r"url\(|@import|<link|<script|<img|<iframe|<object|<embed", page, re.I)
    assert "https://example.org/treaty?a=1&amp;b=2" in page  # in the summary and the act's tooltip, as text
    assert "http://" not in page


def test_every_http_source_is_a_link_and_nothing_else_is():
    sources = (
        "javascript:alert(1)",
        SOURCE_URL,
        "Interfax, 2023-11-03 -- http://interfax.com/x/1 ; TASS",
        "data:text/html,x",
    )
    lane = Lane(
        "USA", "United States", "signed", [Step(date(2020, 3, 1), "Senate", "passed", "", "javascript:y()")], None
    )
    treaty = _treaty([lane])
    page = render_html(Report(date(2021, 6, 30), [replace(treaty, sources=sources)]))
    parsed = Page(page)
    links = [a["href"] for tag, a in parsed.elements if tag == "a"]
    assert links == [SOURCE_URL, "http://interfax.com/x/1"]
    text = "".join(parsed.text)
    for source in ("javascript:alert(1)", "data:text/html,x", "javascript:y()", "Interfax, 2023-11-03 -- "):
        assert source in text
    assert not re.search(r"\b(src|xlink:href|action)\s*=", page, re.I)


def test_every_year_is_labelled_the_first_included():
    steps = [Step(date(2013, 3, 1), "signature", "signed"), Step(date(2019, 9, 9), "Senate", "passed")]
    page = render_html(Report(date(2021, 6, 30), [_treaty([Lane("USA", "United States", "signed", steps, None)])]))
    labels = re.findall(r'<text x="[\d.]+" y="\d+" text-anchor="middle">(\d{4})</text>', page)
    assert labels == [str(year) for year in range(2013, 2022)]


def test_step_labels_in_few_lanes_are_wrapped_whole_not_cut():
    bodies = ["State Duma Committee on International Affairs", "State Duma", "Federation Council",
              "President of the Russian Federation"]  # fmt: skip
    days = [date(2024, 10, 15), date(2024, 10, 24), date(2024, 11, 6), date(2024, 11, 9)]
    steps = [Step(day, body, "passed") for day, body in zip(days, bodies, strict=True)]
    lanes = [Lane("RUS", "Russian Federation", "ratified", steps, None)]
    page = render_html(Report(date(2024, 12, 1), [_treaty(lanes)]))
    assert "\u2026" not in page
    shown = re.findall(r"<tspan x=\"-?[\d.]+\" y=\"(-?[\d.]+)\">([^<]*)</tspan>", page)
    words = " ".join(text for _y, text in shown)
    for body in bodies:
        assert body in words or all(word in words for word in body.split())
    assert "President of the" in words and "Russian Federation" in words
    # No two lines of label text share a line of room where they overlap.
    from ratify.reports.timeline import _CHAR, timeline

    placed = [
        (y, marker.x + marker.label.dx - len(text) * _CHAR / 2, marker.x + marker.label.dx + len(text) * _CHAR / 2)
        for lane in timeline(_treaty(lanes), date(2024, 12, 1), 1).lanes
        for marker in lane.markers
        if marker.label
        for text, y in zip(marker.label.lines, marker.label.ys, strict=True)
    ]
    assert len(placed) >= 7  # every body, whole, some on two or three lines
    for i, (y, left, right) in enumerate(placed):
        for other_y, other_left, other_right in placed[i + 1 :]:
            assert y != other_y or right <= other_left or other_right <= left


def test_document_shape_and_accessibility(hostile):
    report, page = hostile
    assert page.startswith("<!DOCTYPE html>")
    assert f'status as of <time datetime="{report.as_of}">{report.as_of}</time>' in page
    parsed = Page(page)
    assert "".join(parsed.text).count(report.totals_line) == 1
    assert [a for t, a in parsed.elements if t == "caption"] and [a for t, a in parsed.elements if t == "thead"]
    assert [a.get("scope") for t, a in parsed.elements if t == "th"] == ["col"] * len(COLUMNS) + ["row"] * 3
    (svg,) = parsed.having("svg", "timeline")
    assert svg["role"] == "img"
    assert set(svg["aria-labelledby"].split()) == {"timeline-1-title", "timeline-1-desc"}
    for part in ("demo-2020", "bilateral", "2020-01-02 at Geneva", "see https://example.org", "in force on exchange"):
        assert part in page


def test_one_lane_per_party_the_furthest_along_first(hostile):
    _report, page = hostile
    lanes = Page(page).having("g", "lane")
    # in force, then approved, then signed: the order of progress, not of the rows
    assert [lane["data-party"] for lane in lanes] == ["USA", "CHE", EVIL_PARTY]


def test_each_status_has_its_own_marker_class_and_shape(hostile):
    _report, page = hostile
    for status in SHAPES:
        expected = 3 if status == "signed" else 1
        assert page.count(f'class="step step-{status}"') == expected, status
    assert len(set(SHAPES.values())) == len(SHAPES), "two statuses share a shape: colour alone would tell them apart"
    legend = Page(page).having("g", "key")
    assert [a["class"] for a in legend] == [f"key step-{status}" for status in SHAPES] + ["key key-pending"]
    # The key stands beside the timeline it explains: in its figure, between the caption and the drawing.
    drawing = page.index('<svg class="timeline"')
    figure = page[page.rindex("<figure>", 0, drawing) : drawing]
    assert figure.startswith("<figure>\n<figcaption>Timeline</figcaption>\n") and '<ul class="legend"' in figure
    assert page.count('<ul class="legend"') == page.count('<svg class="timeline"')


def test_tooltips_and_pending():
    page = render_html(Report(date(2021, 6, 30), [_treaty([_every_status_lane()])]))
    assert "<title>USA: Senate, failed on 2020-04-01 (40-60)</title>" in page
    pending = render_html(Report(date(2021, 6, 30), [_treaty([Lane("CHE", "Switzerland", "approved", [], "Council")])]))
    assert '<g class="pending"><title>pending: Council</title>' in pending


def test_unknown_status_still_renders_with_a_neutral_marker():
    lane = Lane("FRA", "France", "signed", [Step(date(2020, 2, 2), "odd", 'x" onmouseover="y')], None)
    page = render_html(Report(date(2021, 1, 1), [_treaty([lane])]))
    assert 'class="step step-other"' in page
    assert not any("onmouseover" in attributes for _tag, attributes in Page(page).elements)


def test_hundreds_of_parties_render_with_capped_lane_height():
    lanes = [
        Lane(f"P{i:03}", f"Party {i}", "signed", [Step(date(2000 + i % 20, 1 + i % 12, 1), "signature", "signed")], "L")
        for i in range(300)
    ]
    page = render_html(Report(date(2024, 1, 1), [_treaty(lanes)]))
    parsed = Page(page)
    assert len(parsed.having("g", "lane")) == 300
    (svg,) = parsed.having("svg", "timeline")
    assert 300 * 15 < int(svg["height"]) <= 300 * 24 + 200
    assert all(label in page for label in ("2005", "2010", "2020"))


def test_empty_report_is_a_page():
    page = render_html(Report(date(2024, 1, 1), []))
    assert "No treaties recorded." in page and "0 treaties, 0 parties" in page


# --- a real browser ------------------------------------------------------------------------------------------


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is required in CI for the HTML report browser test (apt-get install chromium)")
    pytest.skip("chromium not found on PATH: install it (apt-get install chromium) to render the HTML report")


def _browse(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = """--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
        --disable-component-update --disable-sync --hide-scrollbars""".split()
    command = [chromium, *flags, f"--user-data-dir={profile}", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def _fixture_report(tmp_path: Path, as_of: date) -> Report:
    from ratify.reports.publish import build_report
    from ratify.store.database import Database

    database = tmp_path / "browser.db"
    assert run("--db", database, "init").exit_code == 0
    loaded = run("--db", database, "load", RUS_PRK)
    assert loaded.exit_code == 0, loaded.output
    store = Database(str(database))
    try:
        with store.transaction() as session:
            return build_report(session, [], as_of, today=date.today())
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.parametrize("as_of", [date(2024, 11, 20), date.today()], ids=["2024-11-20", "today"])
def test_real_browser_renders_the_fixture_report(tmp_path: Path, as_of: date):
    chromium = _chromium()
    report = _fixture_report(tmp_path, as_of)
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    profile = tmp_path / "chromium-profile"

    dom = Page(_browse(chromium, profile, "--dump-dom", page.as_uri()).stdout)
    (treaty,) = report.treaties
    expected = {
        row["party"]: ["" if row[key] is None else str(row[key]).replace("_", " ") for key in COLUMNS]
        for row in treaty.rows
    }
    assert dom.rows == expected
    assert sorted(lane["data-party"] for lane in dom.having("g", "lane")) == ["PRK", "RUS"]
    if as_of == date(2024, 11, 20):
        assert len(dom.having("g", "pending")) == 2
        assert dom.rows["RUS"][2:4] == ["ratified", "assent passed, instrument pending"]
    else:
        assert len(dom.having("g", "step", "step-in_force")) == 2 and not dom.having("g", "pending")

    screenshot = tmp_path / "report.png"
    _browse(chromium, profile, f"--screenshot={screenshot}", "--window-size=1280,1600", page.as_uri())
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 10_000
    if os.environ.get("RATIFY_SCREENSHOT_DIR"):
        keep = Path(os.environ["RATIFY_SCREENSHOT_DIR"])
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(screenshot, keep / f"report-{as_of}.png")


def test_consents_chart_counts_the_group_an_all_of_rule_names(tmp_path: Path):
    """CTBT: 178 instruments, but the rule waits for all 44 Annex 2 states, of which 35 are in."""
    from ratify.reports.consents import consents_chart
    from ratify.reports.publish import build_report
    from ratify.store.database import Database

    database = tmp_path / "ctbt.db"
    assert run("--db", database, "init").exit_code == 0
    assert run("--db", database, "load", RUS_PRK.parent / "ctbt-1996.yaml").exit_code == 0
    store = Database(str(database))
    try:
        with store.transaction() as session:
            (treaty,) = build_report(session, ["ctbt-1996"], date(2026, 1, 1), today=date.today()).treaties
    finally:
        store.close()
    chart = consents_chart(treaty, date(2026, 1, 1), 1)
    assert chart is not None
    assert [(s.kind, s.label) for s in chart.series] == [
        ("all", "all instruments: 178"),
        ("group", "Annex 2 states: 35"),
    ]
    assert [t.count for t in chart.thresholds] == [44]
    assert [label for _x, label in chart.x_ticks] == [str(year) for year in range(1996, 2027)]
    assert chart.rotated and not chart.marks  # not in force: nothing to mark
    labels = sorted([t.label_y for t in chart.thresholds] + [s.label_y for s in chart.series])
    assert all(b - a >= 13 for a, b in zip(labels, labels[1:], strict=False))
    assert consents_chart(replace(treaty, kind="bilateral"), date(2026, 1, 1), 1) is None


def test_every_mark_stands_at_its_date_and_crowded_marks_are_stacked(initialised):
    """rus-prk-2024: the deposits and entry into force of 2024-12-04 all fall before the 2025 gridline."""
    assert run("load", RUS_PRK).exit_code == 0
    page = run("report", "rus-prk-2024", "--format", "html", "--as-of", "2026-01-01").stdout
    gridline = re.search(r'<line class="tick major" x1="([\d.]+)"[^>]*/>\n<text [^>]*>2025</text>', page)
    assert gridline, "the year axis labels 2025"
    marks = re.findall(r'<g class="step step-(\w+)" transform="translate\(([\d.]+),([\d.]+)\)"><title>(\w+): [^<]* on (\d{4}-\d\d-\d\d)', page)
    december = [(kind, float(x), float(y)) for kind, x, y, _party, day in marks if day == "2024-12-04"]
    assert {kind for kind, _x, _y in december} >= {"in_force", "passed"}
    assert all(x < float(gridline.group(1)) for _kind, x, _y in december)
    for party in ("RUS", "PRK"):
        same_day = [(float(x), float(y)) for _k, x, y, who, day in marks if who == party and day == "2024-12-04"]
        assert len({x for x, _y in same_day}) == 1  # one date, one x
        assert len({y for _x, y in same_day}) == len(same_day)  # stacked, each one visible


def test_marks_days_apart_keep_their_order_and_dates():
    from ratify.reports.timeline import timeline

    days = [date(2020, 1, 1), date(2024, 12, 3), date(2024, 12, 4), date(2024, 12, 4), date(2024, 12, 5)]
    steps = [Step(day, f"step {i}", "passed") for i, day in enumerate(days)]
    drawn = timeline(_treaty([Lane("RUS", "Russian Federation", "ratified", steps, None)]), date(2025, 6, 1), 1)
    (lane,) = drawn.lanes
    xs = [marker.x for marker in lane.markers]
    span = xs[-1] - xs[0]
    for day, at in zip(days, xs, strict=True):  # linear in the date: no mark is pushed along the axis
        assert at - xs[0] == pytest.approx(span * (day - days[0]).days / (days[-1] - days[0]).days, abs=0.01)
    assert len({marker.dy for marker in lane.markers[1:]}) == 4
    assert all(abs(marker.dy) < lane.height / 2 for marker in lane.markers)
