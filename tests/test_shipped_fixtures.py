"""Every shipped fixture's computed entry into force and dates of effect equal the published ones beside them.

A fixture carries the entry into force as published (`published_in_force`, with its source) and, where
published, each party's date of effect (`effective` on its instrument); ratify computes both from the
instruments and the treaty's rule. A difference means a deposit, a rule or a published date is wrong.
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, as_json, ok

TREATIES = sorted((FIXTURES / "treaties").glob("*.yaml"))
#: Not in force (the CTBT: UNTC XXVI-4, "Not yet in force"), or its entry into force not found (rus-prk-2000).
WITHOUT_PUBLISHED_ENTRY_INTO_FORCE = {"ctbt-1996", "rus-prk-2000"}


def _load_shipped() -> None:
    ok("load", *TREATIES)


@pytest.fixture
def shipped(initialised, prepared):
    prepared(_load_shipped)
    return initialised


def test_every_published_entry_into_force_is_the_computed_one(shipped):
    rows = as_json("status")
    published = {row["treaty"]: row["treaty_in_force_published"] for row in rows if row["treaty_in_force_published"]}
    slugs = {row["treaty"] for row in rows}
    assert slugs - set(published) == WITHOUT_PUBLISHED_ENTRY_INTO_FORCE
    for row in rows:
        if row["treaty"] in published:
            assert row["treaty_in_force_on"] == published[row["treaty"]], row
    listed = {row["treaty"]: row["in_force_on"] for row in as_json("treaty", "list")}
    assert {slug: listed[slug] for slug in published} == published


def test_every_published_date_of_effect_is_the_computed_one(shipped):
    rows = as_json("status")
    differing = [(row["treaty"], row["party"], row["published_differs"]) for row in rows if row["published_differs"]]
    assert differing == []
    effects = [row for row in rows if row["in_force_published"]]
    assert len(effects) > 250  # the ATT's, the Paris Agreement's, Budapest's, the NATO founders' ...
    for row in effects:
        assert row["in_force_on"] == row["in_force_published"], row


def test_no_shipped_treaty_waits_for_an_entry_into_force_that_was_published(shipped):
    waiting = {(row["treaty"], row["party"]) for row in as_json("pending") if row["waiting_for"] == "entry into force"}
    assert {treaty for treaty, _party in waiting} <= WITHOUT_PUBLISHED_ENTRY_INTO_FORCE
