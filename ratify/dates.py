"""Strict ISO 8601 calendar dates: ratify never guesses a day or a month."""

from __future__ import annotations

import re
from datetime import date, datetime
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
        return value
    text = str(value).strip()
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"{text!r} is not an ISO 8601 date (use YYYY-MM-DD, e.g. 2024-10-24)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text} does not exist in the calendar (check the day and month)") from None


IsoDate = Annotated[date, BeforeValidator(to_date)]
