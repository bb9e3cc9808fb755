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


def test_states_by_any_name_people_use(initialised):
    names = [
        "Turkiye",
        "Côte d’Ivoire",
        "Cote d'Ivoire",
        "Bolivia (Plurinational State of)",
        "Republic of Korea",
        "Democratic People's Republic of Korea",
        "United Kingdom of Great Britain and Northern Ireland",
        "State of Palestine",
        "Kosovo",
        "European Union",
        "USSR",
        "Yugoslavia",
    ]
    for name in names:
        ok("treaty", "add", f"t{names.index(name)}", "--title", "T", "--kind", "multilateral", "--party", name)
    codes = [row["party"] for row in sorted(as_json("status"), key=lambda r: int(r["treaty"][1:]))]
    assert codes == ["TUR", "CIV", "CIV", "BOL", "KOR", "PRK", "GBR", "PSE", "XKX", "EU", "SUN", "YUG"]
    assert {row["party_name"] for row in as_json("status") if row["party"] in ("SUN", "EU")} == {
        "USSR",
        "European Union",
    }
    typo = run("treaty", "add", "x", "--title", "T", "--party", "Russa")
    assert typo.stderr == "Error: state: 'Russa' is not a known country (did you mean 'Russia' or 'Aruba'?)\n"


def test_stage_bodies_by_their_words_in_any_order_and_any_accents(initialised):
    ok("treaty", "add", "t", "--title", "T", "--signed", "2024-01-10", "--party", "TUR", "--party", "FRA")
    ok("vote", "t", "TUR", "Turkiye Grand National Assembly", "--date", "2024-02-01", "--yes", "400", "--no", "10")
    assert [e["stage"] for e in as_json("history", "t")] == ["grand_national_assembly"]
