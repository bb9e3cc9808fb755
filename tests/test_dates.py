"""Dates as precise as their source: the parser, and how an imprecise date compares."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ratify.dates import Day, as_given, certainly_before, earliest, exact, precision_of, published_date, to_date, to_day
from ratify.vocab import DatePrecision


@pytest.mark.parametrize(
    ("text", "shown", "latest", "first", "precision"),
    [
        ("2024-11-05", "2024-11-05", date(2024, 11, 5), date(2024, 11, 5), None),
        ("2024-11", "2024-11", date(2024, 11, 30), date(2024, 11, 1), DatePrecision.MONTH),
        ("2024-02", "2024-02", date(2024, 2, 29), date(2024, 2, 1), DatePrecision.MONTH),
        ("2023-02", "2023-02", date(2023, 2, 28), date(2023, 2, 1), DatePrecision.MONTH),
        ("1998", "1998", date(1998, 12, 31), date(1998, 1, 1), DatePrecision.YEAR),
        (" 1998-03 ", "1998-03", date(1998, 3, 31), date(1998, 3, 1), DatePrecision.MONTH),
    ],
)
def test_a_date_keeps_the_precision_it_was_given(text, shown, latest, first, precision) -> None:
    day = to_day(text)
    assert (day.isoformat(), str(day), f"{day}") == (shown, shown, shown)
    assert (day == latest, exact(day), earliest(day), precision_of(day)) == (True, latest, first, precision)
    assert as_given(exact(day), precision) == day and str(as_given(exact(day), precision)) == shown


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13", "2024-13 does not exist in the calendar (check the month and year)"),
        ("2023-02-29", "2023-02-29 does not exist in the calendar (check the day and month)"),
        ("0000", "0000 does not exist in the calendar (check the year)"),
        ("2024-1", "'2024-1' is not an ISO 8601 date (use YYYY-MM-DD, or YYYY-MM or YYYY"),
        ("24-11", "'24-11' is not an ISO 8601 date"),
        ("March 1998", "'March 1998' is not an ISO 8601 date"),
        ("0999", "0999 is outside the dates ratify keeps"),
        ("3000-01", "3000-01 is outside the dates ratify keeps"),
    ],
)
def test_a_bad_date_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        to_day(text)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize("text", ["2024-11", "2024", Day(2024, 11, None, DatePrecision.MONTH)])
def test_exact_dates_stay_strict(text) -> None:
    with pytest.raises(ValueError, match="is not an exact date: this date takes the day"):
        to_date(text)
    assert to_date("2024-11-05") == date(2024, 11, 5) and type(to_date("2024-11-05")) is date


def test_arithmetic_on_an_imprecise_date_counts_from_its_latest_day() -> None:
    march = to_day("2004-03")
    later = march + timedelta(days=1)
    assert (type(later), later) == (date, date(2004, 4, 1))
    assert date(2004, 4, 30) - march == timedelta(days=30)
    assert sorted([to_day("2004-03"), date(2004, 3, 31), date(2004, 3, 18)])[0] == date(2004, 3, 18)


@pytest.mark.parametrize(
    ("first", "second", "certain"),
    [
        ("2024-11-05", "2024-11", False),  # the month may be later in November
        ("2024-11", "2024-11-05", False),  # or earlier
        ("2024-10", "2024-11-01", True),
        ("2024-11-05", "2024-11-04", False),
        ("2024-11-03", "2024-11-04", True),
        ("2023", "2024-01", True),
        ("2024", "2024-06", False),
    ],
)
def test_only_a_certain_order_counts_as_before(first: str, second: str, certain: bool) -> None:
    assert certainly_before(to_day(first), to_day(second)) is certain


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("24 December 2014, in accordance with article 22.", date(2014, 12, 24)),
        ("1 July 2002", date(2002, 7, 1)),
        ("Not yet in force", None),
        ("In accordance with article 14, 30 February 2001 or 3 March 2001", date(2001, 3, 3)),
        ("1 Juillet 2002, then 2 July 2002", date(2002, 7, 2)),  # a month that is not one is passed over
        ("30 days after the deposit of the tenth instrument", None),
        ("2014-12-24", None),
        ("", None),
        (None, None),
    ],
)
def test_a_depositary_writes_a_date_out_in_words(text, found) -> None:
    assert published_date(text) == found
