"""The US Senate's record of a treaty document, as the Congress.gov API (v3) gives it, read into USA steps.

Read only as documented in the Library of Congress's api.congress.gov repository
(Documentation/TreatyEndpoint.md and its OpenAPI file): the item level (`treaty`:
congressReceived, number, suffix, titles, relatedDocs, resolutionText) and the actions
level (`actions`: actionDate, type, text, committee). The steps read are those whose
wording the documentation shows, or whose type it names:

- a `Committee` action "Reported by ..." (the committees level's activity name) is the
  Foreign Relations Committee's report, stage `sfrc`; a `Discharge` action skips it;
- a `Floor` action "Resolution of advice and consent to ratification agreed to [as
  amended] in Senate by Yea-Nay Vote. 95 - 1. Record Vote Number: 282." is the Senate's
  vote, stage `senate`, with its tally, checked against the two thirds;
- any other action on the resolution of advice and consent (no documented wording) is
  reported as not read, never guessed at.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ratify.errors import SourceError
from ratify.limits import NOTE_LIMIT
from ratify.parliament.fetch import Shape
from ratify.parliament.record import ParliamentRecord, Step, Unread
from ratify.vocab import EventStatus

SOURCE = "Congress.gov API"
API = "https://api.congress.gov/v3"
KEY_VARIABLE = "CONGRESS_API_KEY"
#: A treaty document as the Senate numbers it: congress, number, and a part's letter.
REFERENCE = re.compile(r"(\d{1,3})-(\d{1,4})([A-Za-z]?)")
_VOTE = re.compile(
    r"Resolution of advice and consent to ratification agreed to(?: as amended)? in Senate by Yea-Nay Vote\."
    r"\s*(\d+)\s*-\s*(\d+)\.\s*Record Vote Number:\s*(\d+)\.?"
)
_RESOLUTION = re.compile(r"advice and consent", re.IGNORECASE)
NOTE_HEADING = "Senate resolution of advice and consent"


def api_urls(reference: str, base: str = API) -> tuple[str, str]:
    """The item and actions addresses of a treaty document ("117-3"); the key goes in a header, never here."""
    found = REFERENCE.fullmatch(reference.strip())
    if found is None:
        raise SourceError(f"{reference}: not a treaty document such as 117-3", "give CONGRESS-NUMBER, or a saved file")
    congress, number, suffix = found.groups()
    item = f"{base.rstrip('/')}/treaty/{congress}/{number}" + (f"/{suffix.upper()}" if suffix else "")
    return item, f"{item}/actions"


def read_congress(item: Any, actions: Any | None, *, origin: str) -> ParliamentRecord:
    """`item`: the item level's JSON ({"treaty": ...}); `actions`: the actions level's ({"actions": [...]}),
    or None when `item` holds both (a saved file may carry the actions level's list beside `treaty`)."""
    shape = Shape(origin)
    root = shape.object(item, "the response")
    treaty = shape.object(root.get("treaty"), "treaty")
    congress = shape.integer(treaty, "congressReceived", "treaty")
    number = shape.integer(treaty, "number", "treaty")
    suffix = shape.text(treaty, "suffix", "treaty", required=False) or ""
    reference = f"Treaty Doc. {congress}-{number}{suffix}"
    titles = tuple(_titles(shape, treaty))
    holder = shape.object(actions, "the actions response") if actions is not None else root
    listed = holder.get("actions")
    if listed is None:
        summary = treaty.get("actions")
        count = summary.get("count") if isinstance(summary, dict) else None
        raise SourceError(
            f"{origin}: the item level lists no actions, only their count ({count if count is not None else 'none'})"
            " and address",
            "save the actions level (.../actions) too and give it with --actions FILE; nothing was written",
        )
    pagination = holder.get("pagination")
    if isinstance(pagination, dict) and pagination.get("next"):
        raise SourceError(
            f"{origin}: the actions continue on another page of the response",
            "save the actions with a larger limit (limit=250) and import again; nothing was written",
        )
    url = f"{API}/treaty/{congress}/{number}" + (f"/{suffix}" if suffix else "")
    steps, unread, ignored = _steps(shape, shape.list(listed, "actions"), reference, url, treaty)
    return ParliamentRecord(
        source=SOURCE,
        reference=reference,
        state="USA",
        titles=titles,
        steps=steps,
        url=url,
        note=_conditions(treaty, reference, url),
        note_heading=NOTE_HEADING,
        unread=unread,
        ignored=ignored,
    )


def _titles(shape: Shape, treaty: dict[str, Any]) -> list[str]:
    titles = []
    for index, entry in enumerate(shape.list(treaty.get("titles"), "treaty.titles")):
        title = shape.text(shape.object(entry, f"treaty.titles[{index}]"), "title", f"treaty.titles[{index}]")
        assert title is not None
        titles.append(" ".join(title.split()))
    if not titles:
        raise shape.fail("treaty.titles", "empty")
    return titles


def _steps(
    shape: Shape, actions: list[Any], reference: str, url: str, treaty: dict[str, Any]
) -> tuple[list[Step], list[Unread], int]:
    steps: list[Step] = []
    unread: list[Unread] = []
    ignored = 0
    reports = [str(doc["name"]) for doc in treaty.get("relatedDocs") or [] if isinstance(doc, dict) and doc.get("name")]
    for index, raw in enumerate(actions):
        where = f"actions[{index}]"
        action = shape.object(raw, where)
        day: date = shape.day(action, "actionDate", where)
        kind = shape.text(action, "type", where, required=False) or ""
        text = " ".join((shape.text(action, "text", where) or "").split())
        vote = _VOTE.fullmatch(text)
        cited = f"{SOURCE}, {reference}, action of {day}"
        if kind == "Floor" and vote:
            yes, no, roll = (int(n) for n in vote.groups())
            source = f"{cited}, Record Vote Number {roll} -- {url}/actions"
            steps.append(Step("senate", EventStatus.PASSED, day, source, yes=yes, no=no, note=text))
        elif kind == "Committee" and re.search(r"\bReported by\b", text):
            note = text + (f" ({', '.join(reports)})" if reports else "")
            steps.append(Step("sfrc", EventStatus.PASSED, day, f"{cited} -- {url}/actions", note=note))
        elif kind == "Discharge":
            steps.append(Step("sfrc", EventStatus.SKIPPED, day, f"{cited} -- {url}/actions", note=text))
        elif kind == "Floor" and _RESOLUTION.search(text):
            unread.append(Unread(day, text))
        else:
            ignored += 1
    _one_each(shape, steps)
    return steps, unread, ignored


def _one_each(shape: Shape, steps: list[Step]) -> None:
    seen: dict[tuple[str, str], Step] = {}
    for step in steps:
        if step.slot in seen:
            raise shape.fail(
                "actions", f"two {step.stage} steps ({seen[step.slot].date} and {step.date}); ratify reads one of each"
            )
        seen[step.slot] = step


def _conditions(treaty: dict[str, Any], reference: str, url: str) -> str | None:
    """The resolution of advice and consent as text, its declarations and conditions included."""
    html = treaty.get("resolutionText")
    if not isinstance(html, str) or not html.strip():
        return None
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["head", "title", "script", "style"]):
        tag.decompose()
    paragraphs = [" ".join(p.get_text(" ").split()) for p in soup.find_all("p")]
    lines = [line for line in paragraphs if line] or [" ".join(soup.get_text(" ").split())]
    heading = f"{NOTE_HEADING} ({SOURCE}, {reference}):"
    text = "\n".join([heading, *lines])
    if len(text) > NOTE_LIMIT:
        cut = f"\n[cut at {NOTE_LIMIT:,} characters; the whole text: {url}]"
        text = text[: NOTE_LIMIT - len(cut)] + cut
    return text


def read_congress_source(source: str, actions: str | None = None) -> ParliamentRecord:
    """A saved item-level response (with its actions in `actions` or beside `treaty`), or a treaty
    document reference such as 117-3 fetched from the API with the key in CONGRESS_API_KEY."""
    import os
    from pathlib import Path

    from ratify.parliament.fetch import api_key, download, read_saved

    if REFERENCE.fullmatch(source.strip()) and not Path(source).exists():
        if actions is not None:
            raise SourceError("--actions: only with a saved response", "leave it out when fetching by reference")
        key = api_key(KEY_VARIABLE, source)
        item_url, actions_url = api_urls(source, os.environ.get("RATIFY_CONGRESS_API") or API)
        headers = {"X-Api-Key": key}
        item = download(f"{item_url}?format=json", headers=headers)
        listed = download(f"{actions_url}?format=json&limit=250", headers=headers)
        return read_congress(item, listed, origin=source)
    fix = "give a saved JSON response, or a treaty document such as 117-3"
    saved = read_saved(actions, fix) if actions is not None else None
    return read_congress(read_saved(source, fix), saved, origin=source)
