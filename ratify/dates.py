"""Strict ISO 8601 calendar dates: ratify never guesses a day or a month."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def to_date(value: Any) -> date:
    """Accept a `date` or a `YYYY-MM-DD` string; reject everything else.

    Raises ValueError so that pydantic reports it against the field.
    """
    if isinstance(value, datetime):
        raise ValueError("give a calendar date (YYYY-MM-DD), not a date and time")
    if isinstance(value, date):
        return _in_range(value)
    text = str(value).strip()
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not an ISO 8601 date (use YYYY-MM-DD, e.g. 2024-10-24)")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} does not exist in the calendar (check the day and month)") from None
    return _in_range(day)


#: The dates ratify keeps: wide enough for any treaty, narrow enough that adding a treaty's
#: delays or drawing a timeline never runs off Python's calendar (years 1 to 9999).
FIRST_DATE = date(1000, 1, 1)
LAST_DATE = date(2999, 12, 31)


def _in_range(day: date) -> date:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(f"{day} is outside the dates ratify keeps, {FIRST_DATE} to {LAST_DATE} (check the year)")
    return day


IsoDate = Annotated[date, BeforeValidator(to_date)]


_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?")


def to_moment(value: Any) -> datetime:
    """An ISO 8601 moment, in UTC unless it carries an offset; a date alone means the end of that day (UTC).

    The end of the day, because "what did the record say on 2024-10-25" means
    everything recorded that day.
    """
    from datetime import UTC, time

    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value).strip()
    if _ISO_DATE.fullmatch(text):
        return datetime.combine(to_date(text), time.max, tzinfo=UTC)
    if not _ISO_MOMENT.fullmatch(text):
        raise ValueError(
            f"{text!r} is not an ISO 8601 moment (use YYYY-MM-DDTHH:MM[:SS][+HH:MM], e.g. 2024-10-25T09:30Z)"
        )
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{text} does not exist in the calendar or on the clock (check it)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def recorded_on(moment: datetime) -> date:
    """The day (UTC) a fact entered the record; a naive moment is already UTC."""
    return moment.astimezone(UTC).date() if moment.tzinfo else moment.date()
