"""Exact treaty date arithmetic: days, months, "the first day of the month following"."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def after(
    day: date,
    *,
    days: int = 0,
    months: int = 0,
    first_of_following_month: bool = False,
    first_day_of_month: int | None = None,
) -> date:
    """`day` moved on by a treaty's period, as the treaty words it.

    "Ninety days following the date of deposit" is `days=90`; "the first day of
    the month following the expiration of a period of three months after" is
    `months=3, first_of_following_month=True`; "the first day of the sixth month
    after the month in which" is `first_day_of_month=6`.
    """
    if first_day_of_month is not None:
        return add_months(date(day.year, day.month, 1), first_day_of_month)
    moved = add_months(day, months) + timedelta(days=days)
    return first_of_next_month(moved) if first_of_following_month else moved
