"""The UK Parliament's record of a treaty laid under CRaG Part 2, as its treaties API gives it, read into GBR steps.

Read only as the API's OpenAPI document describes it (treaties-api.parliament.uk,
/swagger/v1/swagger.json): a treaty (`TreatyResource`: `value` with id, name,
commonsLayingDate, lordsLayingDate, parliamentaryConclusion, webLink) and its business
items (`BusinessItemResourceCollection`: `items[].value` with itemDate, stepName,
houses). The OpenAPI document gives no list of step names; they are read as
Parliament's own CRaG procedure map names its steps (ukparliament/ontologies,
procedure/maps/treaties/crag-treaties), and only these become steps of the GBR
template's `laid` stage:

- "Laid before the House of Commons" / "... of Lords": the laying (the earlier day);
- "Objection period A ends", "Extended objection period A ends": the period's end, the
  extended one where a Minister extended it (s. 21);
- "Parliamentary scrutiny concluded, Government can ratify treaty" (the stage passed) or
  "... cannot ratify treaty" (failed).

Committee reports, debates, motions and statements are kept, dated, in the laying's note;
period B ("Period B starts", "Objection period B ends") and a withdrawal of the treaty are
listed as not read.
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

SOURCE = "UK Parliament treaties API"
API = "https://treaties-api.parliament.uk/api"
#: A treaty's id in the API, as its paths take it.
TREATY_ID = re.compile(r"[A-Za-z0-9]{4,24}")
_LAID = ("laid before the house of commons", "laid before the house of lords")
_ENDS = "objection period a ends"
_EXTENDED_ENDS = "extended objection period a ends"
_CAN = "parliamentary scrutiny concluded, government can ratify treaty"
_CANNOT = "parliamentary scrutiny concluded, government cannot ratify treaty"
_NOT_READ = ("period b starts", "objection period b ends", "treaty withdrawn from the house of")
_CONCLUSIONS = ("NotConcluded", "CanRatify", "CantRatify")


def api_urls(treaty_id: str, base: str = API) -> tuple[str, str]:
    if TREATY_ID.fullmatch(treaty_id) is None:
        raise SourceError(f"{treaty_id}: not a treaty id of the treaties API", "give its id, or a saved response file")
    item = f"{base.rstrip('/')}/Treaty/{treaty_id}"
    return item, f"{item}/BusinessItems"


def read_ukparliament(treaty: Any, items: Any | None, *, origin: str) -> ParliamentRecord:
    """`treaty`: the treaty's response ({"value": ...}); `items`: its business items' ({"items": [...]}),
    or None when the treaty's file carries the business items' `items` list beside `value`."""
    shape = Shape(origin)
    root = shape.object(treaty, "the response")
    value = shape.object(root.get("value"), "value")
    treaty_id = shape.text(value, "id", "value")
    name = shape.text(value, "name", "value")
    assert treaty_id is not None and name is not None
    conclusion = shape.text(value, "parliamentaryConclusion", "value", required=False)
    if conclusion is not None and conclusion not in _CONCLUSIONS:
        raise shape.fail("value.parliamentaryConclusion", f"{conclusion!r} is not one of {', '.join(_CONCLUSIONS)}")
    holder = shape.object(items, "the business items response") if items is not None else root
    if holder.get("items") is None:
        raise SourceError(
            f"{origin}: no business items (the treaty's response does not carry them)",
            "save .../BusinessItems too and give it with --items FILE; nothing was written",
        )
    raw_items = shape.list(holder["items"], "items")
    total = holder.get("totalResults")
    if isinstance(total, int) and total > len(raw_items):
        raise SourceError(
            f"{origin}: the response holds {len(raw_items)} of the treaty's {total} business items",
            "save them all (the API's Take and Skip parameters) and import again; nothing was written",
        )
    listed = [_item(shape, raw, index, treaty_id) for index, raw in enumerate(raw_items)]
    listed.sort(key=lambda item: (item[0], item[3]))
    url = shape.text(value, "webLink", "value", required=False) or f"{API}/Treaty/{treaty_id}"
    reference = f"treaty {treaty_id}"
    source = f"{SOURCE}, {reference} -- {url}"
    laid_on = _laying(shape, value, listed)
    steps: list[Step] = []
    unread: list[Unread] = []
    ignored = 0
    if laid_on is not None:
        until = _end(listed)
        steps.append(Step("laid", EventStatus.LAID, laid_on, source, until=until, note=_business(listed)))
    concluded = [(day, step) for day, step, _, _ in listed if step.casefold() in (_CAN, _CANNOT)]
    for day, step in concluded[-1:]:
        status = EventStatus.PASSED if step.casefold() == _CAN else EventStatus.FAILED
        steps.append(Step("laid", status, day, source, note=step))
    if conclusion in ("CanRatify", "CantRatify") and not concluded:
        unread.append(Unread(None, f"parliamentaryConclusion {conclusion}, with no business item that dates it"))
    for day, step, houses, _ in listed:
        if step.casefold().startswith(_NOT_READ):
            unread.append(Unread(day, _named(step, houses)))
        elif step.casefold() not in (*_LAID, _ENDS, _EXTENDED_ENDS, _CAN, _CANNOT):
            ignored += 1
    return ParliamentRecord(
        source=SOURCE,
        reference=reference,
        state="GBR",
        titles=(" ".join(name.split()),),
        steps=steps,
        url=url,
        unread=unread,
        ignored=ignored,
    )


def _item(shape: Shape, raw: Any, index: int, treaty_id: str) -> tuple[date, str, str, int]:
    where = f"items[{index}].value"
    value = shape.object(shape.object(raw, f"items[{index}]").get("value"), where)
    day = shape.day(value, "itemDate", where)
    step = " ".join((shape.text(value, "stepName", where) or "").split())
    owner = shape.text(value, "treatyId", where, required=False)
    if owner is not None and owner != treaty_id:
        raise shape.fail(f"{where}.treatyId", f"{owner!r} is another treaty than {treaty_id!r}")
    houses = []
    for number, house in enumerate(value.get("houses") or []):
        houses.append(shape.text(shape.object(house, f"{where}.houses[{number}]"), "name", f"{where}.houses[{number}]"))
    sequence = value.get("sequence")
    return day, step, ", ".join(h for h in houses if h), sequence if isinstance(sequence, int) else index


def _laying(shape: Shape, value: dict[str, Any], listed: list[tuple[date, str, str, int]]) -> date | None:
    days = [day for day, step, _, _ in listed if step.casefold() in _LAID]
    for key in ("commonsLayingDate", "lordsLayingDate"):
        day = shape.day(value, key, "value", required=False)
        if day is not None and day.year > 1:  # .NET writes a missing date as 0001-01-01
            days.append(day)
    return min(days) if days else None


def _end(listed: list[tuple[date, str, str, int]]) -> date | None:
    extended = [day for day, step, _, _ in listed if step.casefold() == _EXTENDED_ENDS]
    ends = extended or [day for day, step, _, _ in listed if step.casefold() == _ENDS]
    return max(ends) if ends else None


def _named(step: str, houses: str) -> str:
    return f"{step} ({houses})" if houses and houses.casefold() not in step.casefold() else step


def _business(listed: list[tuple[date, str, str, int]]) -> str | None:
    """Every business item, dated, as the laying's note: committee reports, debates, motions, extensions."""
    lines = [f"{day} {_named(step, houses)}" for day, step, houses, _ in listed]
    if not lines:
        return None
    text = "\n".join(["Business in Parliament (UK Parliament treaties API):", *lines])
    if len(text) > NOTE_LIMIT:
        cut = f"\n[cut at {NOTE_LIMIT:,} characters]"
        text = text[: NOTE_LIMIT - len(cut)] + cut
    return text


def read_ukparliament_source(source: str, items: str | None = None) -> ParliamentRecord:
    """A saved treaty response (with its business items in `items` or beside `value`), or a treaty id fetched."""
    import os
    from pathlib import Path

    from ratify.parliament.fetch import download, read_saved

    if TREATY_ID.fullmatch(source) and not Path(source).exists():
        if items is not None:
            raise SourceError("--items: only with a saved response", "leave it out when fetching by id")
        treaty_url, items_url = api_urls(source, os.environ.get("RATIFY_UK_TREATIES_API") or API)
        return read_ukparliament(download(treaty_url), download(items_url), origin=source)
    fix = "give a saved JSON response, or the treaty's id in the treaties API"
    saved = read_saved(items, fix) if items is not None else None
    return read_ukparliament(read_saved(source, fix), saved, origin=source)
