"""The status cache and a fresh derivation from the events always agree."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratify.errors import RatifyError
from ratify.record.inputs import EventCreate, TreatyCreate
from ratify.record.tracker import add_treaty_with_parties, record_step
from ratify.reports.rows import Filters, _cached_rows, _derived_rows, load_stages
from ratify.store.database import Database
from tests.conftest import run

STAGES = ["duma_committee", "duma", "federation_council", "president", "instrument", "decree"]

step = st.tuples(
    st.sampled_from(["RUS", "PRK"]),
    st.sampled_from(STAGES),
    st.sampled_from(["passed", "failed", "skipped", "scheduled"]),
    st.integers(min_value=0, max_value=400),
)


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "ratify.db"
    assert run("--db", path, "init").exit_code == 0
    return path


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, max_size=12))
def test_cached_and_derived_status_agree(empty_db, tmp_path_factory, steps):
    path = tmp_path_factory.mktemp("paths") / "ratify.db"
    shutil.copyfile(empty_db, path)
    database = Database(str(path))
    signed = date(2020, 1, 1)
    try:
        with database.transaction(write=True) as session:
            add_treaty_with_parties(session, TreatyCreate(slug="t", title="T", signed=signed), ["RUS", "PRK"])
        for party, stage, status, offset in steps:
            data = EventCreate(stage=stage, status=status, date=signed + timedelta(days=offset), vote=None)
            try:
                with database.transaction(write=True) as session:
                    record_step(session, "t", party, data)
            except RatifyError:
                continue  # refused input leaves nothing behind; the next step goes on
        today = date.today()
        with database.transaction() as session:
            stages = load_stages(session)
            cached = list(_cached_rows(session, stages, Filters(), today))
            derived = list(_derived_rows(session, stages, Filters(), today))
        assert cached == derived
    finally:
        database.close()


def test_the_cache_is_not_consulted_for_past_dates(loaded):
    """Derivation as of a past date works from the events alone: a wrong cache cannot leak in."""
    from sqlalchemy import text

    database = Database(str(loaded))
    try:
        with database.engine.begin() as connection:
            connection.execute(text("UPDATE party SET status = 'rejected', stage_id = NULL, in_force_on = NULL"))
    finally:
        database.close()
    rows = {r["party"]: r["state"] for r in _json(run("status", "--as-of", "2024-10-25", "--format", "json"))}
    assert rows == {"PRK": "signed", "RUS": "in_legislature"}
    today = {r["party"]: r["state"] for r in _json(run("status", "--format", "json"))}
    assert today == {"PRK": "rejected", "RUS": "rejected"}  # today's report reads the cache


def _json(result):
    import json

    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
