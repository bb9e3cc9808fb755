"""What changed since a date as an Atom feed (RFC 4287), for a feed reader to follow.

`ratify changes --format atom` and the web view's /changes.atom render the same rows
(`reports.research.changes_rows`) through the same autoescaping template.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from ratify.reports.rendering import first_link, render

FEED_ID = "urn:ratify:changes"


def moment(text: str) -> str:
    """An RFC 3339 timestamp: the store keeps UTC, and SQLite hands it back without its offset."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def render_atom(rows: Iterable[dict[str, Any]], since: date, *, site: str | None = None) -> str:
    """The feed, newest entry first; `site` (the web view's address) links each entry to its treaty's page."""
    entries = []
    for row in rows:
        updated = moment(row["recorded_at"])
        subject = f"{row['treaty']} {row['party']}" if row["party"] else row["treaty"]
        entries.append(
            {
                "id": f"{FEED_ID}:{row['id']}:{updated}",
                "title": f"{subject}: {row['what']}",
                "updated": updated,
                "author": row["recorded_by"] or "unknown",
                "row": row,
                "source": first_link(row["source"]),
                "page": f"{site.rstrip('/')}/treaties/{row['treaty']}" if site and row["treaty"] else None,
            }
        )
    entries.reverse()
    latest = entries[0]["updated"] if entries else moment(datetime.combine(since, datetime.min.time()).isoformat())
    return render("changes.atom", since=since, updated=latest, entries=entries, feed_id=FEED_ID, site=site)
