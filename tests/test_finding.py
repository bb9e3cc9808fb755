"""Finding what you mean: treaties by words of their title, and the nearest slug to a typo."""

from __future__ import annotations

from tests.conftest import FIXTURES, as_json, ok, run


def test_search_keeps_treaties_holding_every_word_in_any_case(initialised):
    ok("load", FIXTURES / "treaties" / "new-start-2010.yaml", FIXTURES / "treaties" / "rus-prk-2024.yaml")
    assert [t["treaty"] for t in as_json("treaty", "list", "--search", "STRATEGIC offensive")] == [
        "new-start-2010",
        "new-start-extension-2021",
    ]
    assert [t["treaty"] for t in as_json("treaty", "list", "--search", "pyongyang")] == ["rus-prk-2024"]
    empty = ok("treaty", "list", "--search", "cybercrime")
    assert (empty.stdout, empty.stderr) == ("", "No treaty matches 'cybercrime'.\n")


def test_a_mistyped_slug_suggests_the_nearest(initialised):
    ok("load", FIXTURES / "treaties" / "new-start-2010.yaml")
    typo = run("status", "new-strat-2010")
    assert typo.exit_code == 1
    assert typo.stderr.startswith("Error: treaty: no treaty 'new-strat-2010' (did you mean new-start-2010")
    unrelated = run("treaty", "show", "zzz")
    assert unrelated.stderr == "Error: treaty: no treaty 'zzz' (see 'ratify treaty list --search WORDS')\n"
