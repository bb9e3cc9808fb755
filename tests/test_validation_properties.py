"""Validation of arbitrary input: it is accepted whole, or refused with nothing written."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ratify.countries import ORGANISATIONS, resolve_country
from ratify.dates import to_date
from ratify.errors import NotFound
from ratify.record.inputs import Tally
from tests.conftest import RUS_PRK, run, snapshot

# Hypothesis over whole commands, or processes racing: `make check` leaves these out.
pytestmark = pytest.mark.slow


@given(st.one_of(st.text(max_size=12), st.dates().map(date.isoformat), st.from_regex(r"\d{4}-\d{2}-\d{2}")))
def test_dates_parse_exactly_or_not_at_all(text):
    try:
        parsed = to_date(text)
    except ValueError as error:
        # A year or a month alone ("0000", "2024-10") is refused as not exact: these dates take the day.
        reasons = ("ISO 8601", "does not exist", "outside the dates", "is not an exact date")
        assert any(reason in str(error) for reason in reasons)
    else:
        assert parsed.isoformat() == text.strip()


counts = st.one_of(st.none(), st.integers(min_value=-5, max_value=600))


@given(yes=counts, no=counts, abstain=counts, absent=counts, seats=counts, unanimous=st.booleans())
def test_tallies_add_up_or_are_refused(yes, no, abstain, absent, seats, unanimous):
    try:
        tally = Tally(yes=yes, no=no, abstain=abstain, absent=absent, seats=seats, unanimous=unanimous)
    except ValidationError:
        values = [v for v in (yes, no, abstain, absent) if v is not None]
        assert (
            any(v < 0 for v in values)
            or (seats is not None and (seats <= 0 or sum(values) > seats))
            or (unanimous and bool(no))
        )
    else:
        assert tally.seats is None or tally.counted <= tally.seats
        assert not (tally.unanimous and tally.no)


@given(st.text(max_size=30))
def test_state_names_resolve_or_suggest(text):
    try:
        country = resolve_country(text)
    except NotFound as error:
        assert str(error).startswith("state: ")
    else:  # a state's alpha-3 code (or Kosovo's XKX), or an organisation's code
        assert (len(country.code) == 3 or country.code in ORGANISATIONS) and country.code.isupper()


@pytest.fixture(scope="module")
def template_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "ratify.db"
    assert run("--db", path, "init").exit_code == 0
    assert run("--db", path, "load", RUS_PRK).exit_code == 0
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    yes=st.integers(-2, 500) | st.none(),
    no=st.integers(-2, 500) | st.none(),
    abstain=st.integers(0, 100) | st.none(),
    unanimous=st.booleans(),
    result=st.sampled_from([None, "passed", "failed"]),
)
def test_any_vote_is_recorded_faithfully_or_not_at_all(template_db, tmp_path, yes, no, abstain, unanimous, result):
    database = tmp_path / "vote.db"
    shutil.copyfile(template_db, database)
    before = snapshot(database)
    args = ["--db", database, "vote", "rus-prk-2024", "RUS", "duma", "--date", "2024-10-20"]
    for flag, value in (("--yes", yes), ("--no", no), ("--abstain", abstain), ("--result", result)):
        if value is not None:
            args += [flag, str(value)]
    if unanimous:
        args.append("--unanimous")
    outcome = run(*args)
    if outcome.exit_code == 0:
        history = json.loads(run("--db", database, "history", "rus-prk-2024", "RUS", "--format", "json").stdout)
        recorded = [row for row in history if row["date"] == "2024-10-20"]
        assert len(recorded) == 1
        row = recorded[0]
        assert (row["yes"], row["no"], row["abstain"], row["unanimous"]) == (yes, no, abstain, unanimous)
        assert result is None or row["status"] == result
    else:
        assert outcome.exit_code in (1, 2)
        assert len([line for line in outcome.stderr.splitlines() if "Error" in line]) == 1
        assert snapshot(database) == before
