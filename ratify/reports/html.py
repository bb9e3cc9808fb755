"""The status report as one standalone HTML page: a table per treaty to read, an SVG timeline to see.

The page fetches nothing (no script, font, image or stylesheet), so it can be mailed, archived or
opened offline and look the same. It is rendered from the templates the web view uses
(`ratify.reports.rendering`), whose autoescape makes every string from the data inert; a source
becomes a link only when it is an http or https URL, so a `javascript:` source stays text.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ratify.reports.consents import consents_chart
from ratify.reports.publish import Report, TreatyReport
from ratify.reports.rendering import render
from ratify.reports.timeline import MEANINGS, SHAPES, timeline

__all__ = ["COLUMNS", "MEANINGS", "SHAPES", "render_html", "treaty_section"]

COLUMNS = (
    ("party", "Party"),
    ("party_name", "Name"),
    ("state", "State"),
    ("progress", "Progress"),
    ("stage_date", "Stage date"),
    ("waiting_days", "Waiting (days)"),
    ("in_force_on", "In force on"),
)


def render_html(report: Report) -> str:
    """One self-contained HTML5 document for the report."""
    sections = [treaty_section(treaty, report.as_of, index) for index, treaty in enumerate(report.treaties, 1)]
    return render(
        "report.html", **page_context(f"ratify status report as of {report.as_of}"), report=report, sections=sections
    )


def page_context(title: str, *, stylesheet: str | None = None, feed: str | None = None) -> dict[str, Any]:
    """What every page's frame needs: the standalone report inlines its style, the web view links it."""
    return {
        "title": title,
        "stylesheet": stylesheet,
        "feed": feed,
        "columns": COLUMNS,
        "shapes": SHAPES,
        "meanings": MEANINGS,
    }


def treaty_section(treaty: TreatyReport, as_of: date, index: int) -> dict[str, Any]:
    """One treaty as the templates draw it: facts, status table, timeline, consents chart, sources."""
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
        *((label.capitalize(), text) for label, text in treaty.depositary),
    ]
    sources: list[tuple[str, str]] = [("", text) for text in treaty.sources]
    for lane in treaty.lanes:
        sources += [(f"{lane.party}, {step.label}, {step.day}", step.source) for step in lane.steps if step.source]
    return {
        "treaty": treaty,
        "as_of": as_of,
        "index": index,
        "facts": facts,
        "timeline": timeline(treaty, as_of, index) if treaty.lanes else None,
        "consents": consents_chart(treaty, as_of, index),
        "sources": sources,
    }
