"""ISO 8601 calendar dates: exact where a source gives the day, and only as precise as the source otherwise.

ratify never guesses a day or a month. A fact known only to the month or the
year ("ratified in March 1998") is a `Day`: the latest day it can be, which is
what sorting, filtering and status compare, carrying how much of it is known,
which is what is shown ("1998-03"). A fact known only to have happened by a
given day ("ended on or before 2026-02-03") is a `Day` of precision `by`,
written as ISO 8601-2 (EDTF) writes "that day or some earlier one":
"[..2026-02-03]".
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from ratify.vocab import DatePrecision

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_ISO_YEAR = re.compile(r"\d{4}")
_ON_OR_BEFORE = re.compile(r"\[\.\.(\d{4}-\d{2}-\d{2})\]")


class Day(date):
    """A date known to the month or the year: the latest day it can be, and its precision.

    It compares, sorts and stores as that latest day, so a step "in 2024-11" is
    never taken to have happened before 2024-11-30; `earliest` is the first day
    it can be, and `isoformat()` gives it as written (`2024-11`, `2024`).
    Arithmetic gives plain dates: a delay counted from it is exact.
    """

    precision: DatePrecision

    def __new__(cls, year: int, month: int = 12, day: int | None = None, precision: Any = DatePrecision.DAY) -> Day:
        precision = DatePrecision(precision)
        if day is None:
            day = calendar.monthrange(year, month)[1]
        self = super().__new__(cls, year, month, day)
        self.precision = precision
        return self

    def __reduce__(self) -> Any:
        return (Day, (self.year, self.month, self.day, self.precision.value))

    @property
    def earliest(self) -> date:
        if self.precision == DatePrecision.BY:
            return FIRST_DATE
        if self.precision == DatePrecision.YEAR:
            return date(self.year, 1, 1)
        if self.precision == DatePrecision.MONTH:
            return date(self.year, self.month, 1)
        return date(self.year, self.month, self.day)

    def isoformat(self) -> str:
        if self.precision == DatePrecision.BY:
            return f"[..{date(self.year, self.month, self.day).isoformat()}]"
        if self.precision == DatePrecision.YEAR:
            return f"{self.year:04d}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.year:04d}-{self.month:02d}"
        return date(self.year, self.month, self.day).isoformat()

    def __str__(self) -> str:
        return self.isoformat()

    def __format__(self, spec: str) -> str:
        return self.isoformat() if not spec else date(self.year, self.month, self.day).__format__(spec)

    def __repr__(self) -> str:
        return f"Day({self.isoformat()!r})"

    def __add__(self, other: Any) -> Any:
        return exact(self) + other

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        return exact(self) - (exact(other) if isinstance(other, date) else other)

    def __rsub__(self, other: Any) -> Any:
        return other - exact(self)


def exact(day: date) -> date:
    """The plain date: for a `Day`, the latest day it can be."""
    return date(day.year, day.month, day.day) if type(day) is not date else day


def precision_of(day: date | None) -> DatePrecision | None:
    """What a date column's precision holds: None for an exact day (or no date)."""
    precision = getattr(day, "precision", None)
    return None if precision in (None, DatePrecision.DAY) else precision


def as_given(day: date | None, precision: str | None) -> Any:
    """A stored date (the latest day) with its stored precision: a `Day` unless exact."""
    if day is None or not precision or precision == DatePrecision.DAY:
        return day
    if precision == DatePrecision.YEAR:
        return Day(day.year, 12, 31, DatePrecision.YEAR)
    if precision == DatePrecision.BY:
        return on_or_before(day)
    return Day(day.year, day.month, None, DatePrecision.MONTH)


def on_or_before(day: date) -> Day:
    """A fact known only to have happened by `day`: stored as `day`, shown as "[..YYYY-MM-DD]"."""
    return Day(day.year, day.month, day.day, DatePrecision.BY)


def in_the_future(day: date) -> str:
    """Why a date that has not happened yet is refused, in words: an imprecise one counts from its last day."""
    if precision_of(day) == DatePrecision.BY:
        return f"{day} may be in the future (a date known only as on or before a day counts as that day)"
    if precision_of(day):
        return f"{day} is not over yet (a date known to the {precision_of(day)} counts from its last day, {exact(day)})"
    return f"{day} is in the future"


def given_date(row: Any) -> Any:
    """An event's or act's date as recorded (a row, a kept version, anything with `date` and `date_precision`)."""
    return as_given(row.date, getattr(row, "date_precision", None))


def given_signature(row: Any) -> Any:
    """A treaty's or party's signature as recorded (`signed_on` and `signed_precision`)."""
    return as_given(row.signed_on, getattr(row, "signed_precision", None))


def earliest(day: date) -> date:
    """The first day a date can be: itself if exact, else the first of its month or year."""
    return day.earliest if isinstance(day, Day) else day


def certainly_before(first: date, second: date) -> bool:
    """Whether `first` is before `second` however an imprecise one turns out: latest day before earliest."""
    return exact(first) < earliest(second)


def _parse(value: Any, *, field_precise: bool) -> date:
    if isinstance(value, datetime):
        raise ValueError("give a calendar date (YYYY-MM-DD), not a date and time")
    if isinstance(value, date):
        if field_precise and precision_of(value):
            raise ValueError(f"{value} is not an exact date: this date takes the day (YYYY-MM-DD, e.g. 2024-10-24)")
        return _in_range(value)
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an ISO 8601 date (use YYYY-MM-DD, e.g. 2024-10-24)")
    text = str(value).strip()
    if _ISO_DATE.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{text} does not exist in the calendar (check the day and month)") from None
        return _in_range(day)
    if field_precise:
        if _ISO_MONTH.fullmatch(text) or _ISO_YEAR.fullmatch(text) or _ON_OR_BEFORE.fullmatch(text):
            raise ValueError(f"{text!r} is not an exact date: this date takes the day (YYYY-MM-DD, e.g. 2024-10-24)")
        raise ValueError(f"{text!r} is not an ISO 8601 date (use YYYY-MM-DD, e.g. 2024-10-24)")
    before = _ON_OR_BEFORE.fullmatch(text)
    if before:
        try:
            return _in_range(on_or_before(date.fromisoformat(before.group(1))))
        except ValueError as error:
            if "outside the dates" in str(error):
                raise
            raise ValueError(f"{text} does not exist in the calendar (check the day and month)") from None
    month = _ISO_MONTH.fullmatch(text)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        if not 1 <= number <= 12 or not year:
            raise ValueError(f"{text} does not exist in the calendar (check the month and year)")
        return _in_range(Day(year, number, None, DatePrecision.MONTH))
    if _ISO_YEAR.fullmatch(text):
        if not int(text):
            raise ValueError(f"{text} does not exist in the calendar (check the year)")
        return _in_range(Day(int(text), 12, 31, DatePrecision.YEAR))
    raise ValueError(
        f"{text!r} is not an ISO 8601 date (use YYYY-MM-DD, or YYYY-MM or YYYY where the source gives no more, "
        "e.g. 2024-10-24, 2024-10)"
    )


def to_date(value: Any) -> date:
    """Accept a `date` or a `YYYY-MM-DD` string; reject everything else, a month or a year alone included.

    For the dates that must be exact: points in time a report asks about
    (`--as-of`, `--since`), deadlines and dates of effect. Raises ValueError
    so that pydantic reports it against the field.
    """
    return exact(_parse(value, field_precise=True))


def to_day(value: Any) -> date:
    """A recorded fact's date, as precise as its source: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` as a `Day`.

    An exact day is a plain `date`, as strict as `to_date`; a `Day` passed in keeps its precision.
    """
    return _parse(value, field_precise=False)


#: The dates ratify keeps: wide enough for any treaty, narrow enough that adding a treaty's
#: delays or drawing a timeline never runs off Python's calendar (years 1 to 9999).
FIRST_DATE = date(1000, 1, 1)
LAST_DATE = date(2999, 12, 31)


def _in_range(day: date) -> date:
    if not (FIRST_DATE <= earliest(day) and exact(day) <= LAST_DATE):
        raise ValueError(f"{day} is outside the dates ratify keeps, {FIRST_DATE} to {LAST_DATE} (check the year)")
    return day


IsoDate = Annotated[date, BeforeValidator(to_date)]
#: A fact's date, exact or known only to the month or the year (a `Day`).
GivenDate = Annotated[
    date,
    BeforeValidator(to_day),
    PlainSerializer(lambda day: day.isoformat(), when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|\[\.\.[0-9]{4}-[0-9]{2}-[0-9]{2}\])$",
            "description": "YYYY-MM-DD; YYYY-MM or YYYY where the source gives no more; [..YYYY-MM-DD] for 'on or"
            " before' that day",
        }
    ),
]


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


#: Depositaries write months in English; strptime's %B would read them in the locale a caller set.
_MONTHS = {
    name: number
    for number, name in enumerate(
        "january february march april may june july august september october november december".split(), start=1
    )
}


def date_in_words(text: str) -> date | None:
    """ "24 December 2014" -> 2014-12-24; None for a month that is not one or a day the month lacks."""
    day, month, year = text.split()
    number = _MONTHS.get(month.lower())
    try:
        return date(int(year), number, int(day)) if number else None
    except ValueError:
        return None


def published_date(text: str | None) -> date | None:
    """The first date written out in words: "24 December 2014, in accordance with article 22." -> 2014-12-24."""
    for found in re.finditer(r"(\d{1,2}) ([A-Z][a-z]+) (\d{4})", text or ""):
        day = date_in_words(found.group(0))
        if day is not None:
            return day
    return None
