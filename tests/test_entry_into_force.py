"""Entry into force computed from real treaties' deposits, checked against published dates."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from ratify.exchange.loader import read_fixture
from ratify.rules.calendar import add_months, after, first_of_next_month
from ratify.rules.entry_into_force import Deposit, evaluate
from ratify.rules.spec import Rule
from ratify.vocab import ConsentType
from tests.conftest import FIXTURES, run

TREATIES = FIXTURES / "treaties"


@pytest.fixture(scope="module")
def everything(tmp_path_factory) -> Path:
    """Every shipped fixture in one database (loaded once: it holds some 650 parties)."""
    path = tmp_path_factory.mktemp("eif") / "ratify.db"
    assert run("--db", path, "init").exit_code == 0
    result = run("--db", path, "load", *sorted(TREATIES.glob("*.yaml")))
    assert result.exit_code == 0, result.output
    return path


def rows(database: Path, *args: str) -> list[dict]:
    result = run("--db", database, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# Each form of rule against the treaty's published entry into force.
@pytest.mark.parametrize(
    ("slug", "met_on", "in_force_on"),
    [
        # 1. exchange of instruments, on the day (Art. 22) ...
        ("rus-prk-2024", "2024-12-04", "2024-12-04"),
        # ... or 180 days after it (Art. 41(2)).
        ("che-usa-mlat-1973", "1976-07-27", "1977-01-23"),
        # 2. the later of two notifications; the first day of the second month after it.
        ("fin-can-youth-mobility-2023", "2024-01-22", "2024-03-01"),
        # 3. the 50th instrument of ratification, acceptance or approval (accession excluded), plus 90 days;
        #    eight states deposited together on the day the 50th was reached.
        ("att-2013", "2014-09-25", "2014-12-24"),
        #    the 50th instrument of any type (accession included), plus 90 days.
        ("tpnw-2017", "2020-10-24", "2021-01-22"),
        # 5. 55 parties holding 55% of global emissions, plus 30 days; the EU's instrument not additional.
        ("paris-2015", "2016-10-05", "2016-11-04"),
        # 6. 5 states including 3 Council of Europe members; first day of the month after three months.
        ("budapest-2001", "2004-03-18", "2004-07-01"),
        # 4. every Annex 2 state, 180 days, not before 1998-09-24: not met.
        ("ctbt-1996", None, None),
    ],
)
def test_published_entry_into_force(everything, slug, met_on, in_force_on):
    treaty = next(r for r in rows(everything, "treaty", "list") if r["treaty"] == slug)
    assert (treaty["rule_met_on"], treaty["in_force_on"]) == (met_on, in_force_on)


def test_every_published_date_of_effect_is_computed(everything):
    """Where the depositary published a party's date of effect, ratify computes the same date.

    A party that joined twice (the United States and the Paris Agreement) is compared for its latest
    instrument here; tests/test_leaving.py checks its first period as of a date within it.
    """
    with closing(sqlite3.connect(everything)) as connection:
        pairs = connection.execute(
            "SELECT t.slug, p.state, e.effective_on, p.in_force_on FROM event e "
            "JOIN party p ON p.id = e.party_id JOIN treaty t ON t.id = p.treaty_id WHERE e.effective_on IS NOT NULL "
            "AND e.date = (SELECT max(later.date) FROM event later "
            "WHERE later.party_id = e.party_id AND later.effective_on IS NOT NULL)"
        ).fetchall()
    assert len(pairs) > 200
    assert [pair for pair in pairs if pair[2] != pair[3]] == []


def test_a_later_party_takes_effect_by_its_own_deposit(everything):
    # Afghanistan acceded to the ATT on 2020-07-29: in force for it 90 days later (UNTS 52373).
    afghanistan = rows(everything, "status", "att-2013", "--party", "Afghanistan")[0]
    assert (afghanistan["consent"], afghanistan["deposited_on"], afghanistan["in_force_on"]) == (
        "accession",
        "2020-07-29",
        "2020-10-27",
    )


def test_same_day_deposits_cross_the_threshold_together(everything):
    eve = next(r for r in rows(everything, "treaty", "list") if r["treaty"] == "att-2013")
    assert eve["rule_met_on"] == "2014-09-25"
    before = run("--db", everything, "treaty", "show", "att-2013", "--as-of", "2014-09-24").stdout
    assert "status:  not met as of 2014-09-24: 45 of 50 instruments of ratification, acceptance or approval" in before
    on_the_day = run("--db", everything, "treaty", "show", "att-2013", "--as-of", "2014-09-25").stdout
    assert "status:  met on 2014-09-25; enters into force on 2014-12-24 (projected)" in on_the_day


@pytest.mark.parametrize(("party", "deposited"), [("GIN", "2014-10-21"), ("NLD", "2014-12-18")])
def test_a_deposit_before_entry_into_force_takes_effect_with_the_treaty(everything, party, deposited):
    """ATT Art. 22(2) runs a later party's 90 days only from deposits "subsequent to the entry into force".

    Guinea and the Netherlands deposited after the 50th instrument (2014-09-25) but before 2014-12-24:
    the Dutch treaty database (Verdragenbank 012758, Trb. 2015, 1) gives both 2014-12-24.
    """
    row = rows(everything, "status", "att-2013", "--party", party)[0]
    assert (row["deposited_on"], row["in_force_on"]) == (deposited, "2014-12-24")
    shown = run("--db", everything, "treaty", "show", "att-2013").stdout
    assert "for a party joining after entry into force, 90 days after its own instrument" in shown


@pytest.mark.slow
def test_the_later_parties_clock_is_part_of_the_rule(tmp_path):
    """The same deposits under "after the Nth deposit" (TPNW Art. 15(2)'s form) give Guinea deposit + 90 days."""
    database = tmp_path / "att.db"
    assert run("--db", database, "init").exit_code == 0
    assert run("--db", database, "load", TREATIES / "att-2013.yaml").exit_code == 0
    words = run(
        "--db", database, "treaty", "rule", "att-2013", "--kind", "count", "--parties", "50",
        "--types", "ratification", "--types", "acceptance", "--types", "approval", "--days", "90",
        "--later-from", "rule_met",
    )  # fmt: skip
    assert words.exit_code == 0, words.output
    assert "for a later party, 90 days after its own instrument" in words.stdout
    assert rows(database, "status", "att-2013", "--party", "GIN")[0]["in_force_on"] == "2015-01-19"
    # The published date of effect is kept and the difference flagged, not silently resolved either way.
    shown = run("--db", database, "treaty", "show", "att-2013").stdout
    assert (
        "  effect:  2 of 14 published date(s) of effect differ from the computed: "
        "GIN published 2014-12-24, computed 2015-01-19; NLD published 2014-12-24, computed 2015-03-18"
    ) in shown
    chart = {r["participant"]: r for r in rows(database, "treaty", "chart", "att-2013")}
    assert (chart["Guinea"]["in_force"], chart["Guinea"]["in_force_published"]) == ("2015-01-19", "2014-12-24")
    assert chart["Guinea"]["notes"] == "depositary's date of effect 2014-12-24 differs"
    table = run("--db", database, "treaty", "chart", "att-2013").stdout
    assert "depositary's date of effect 2014-12-24 differs" in table
    assert run(
        "--db", database, "treaty", "rule", "att-2013", "--kind", "count", "--parties", "50",
        "--types", "ratification", "--types", "acceptance", "--types", "approval", "--days", "90",
        "--later-from", "entry_into_force",
    ).exit_code == 0  # fmt: skip
    assert rows(database, "status", "att-2013", "--party", "GIN")[0]["in_force_on"] == "2014-12-24"
    shown = run("--db", database, "treaty", "show", "att-2013").stdout
    assert "  effect:  14 published date(s) of effect, all as computed" in shown


def test_the_ctbt_withdrawal_rule(everything):
    """CTBT Art. IX(3): withdrawal by notice six months in advance."""
    shown = run("--db", everything, "treaty", "show", "ctbt-1996").stdout
    assert "  withdrawal: takes effect 6 months after notice (Article IX(3))" in shown
    assert "for a party joining after entry into force, 30 days after its own instrument" in shown


@pytest.mark.parametrize(("slug", "party"), [("att-2013", "ALB"), ("paris-2015", "CHN"), ("tpnw-2017", "HND")])
def test_the_eve_of_entry_into_force_is_not_in_force(everything, slug, party):
    treaty = next(r for r in rows(everything, "treaty", "list") if r["treaty"] == slug)
    entry = date.fromisoformat(treaty["in_force_on"])
    eve = rows(everything, "status", slug, "--party", party, "--as-of", (entry - timedelta(days=1)).isoformat())[0]
    day = rows(everything, "status", slug, "--party", party, "--as-of", entry.isoformat())[0]
    assert (eve["state"], day["state"]) == ("deposited", "in_force")


def test_paris_weights_as_published(everything):
    # UNFCCC, 4 October 2016: 63 Parties, 52.11% of emissions; the threshold fell the next day.
    shown = run("--db", everything, "treaty", "show", "paris-2015", "--as-of", "2016-10-04").stdout
    assert "not met as of 2016-10-04: 63 of 55 instruments; 52.1% of 55% of global greenhouse gas emissions" in shown


def test_a_withdrawn_ratification_stops_counting(everything):
    """Russia withdrew its CTBT ratification in 2023: a signatory again, and one more Annex 2 state missing."""
    before = rows(everything, "status", "ctbt-1996", "--party", "RUS", "--as-of", "2023-11-02")[0]
    after = rows(everything, "status", "ctbt-1996", "--party", "RUS", "--as-of", "2023-11-03")[0]
    assert (before["state"], before["consent"]) == ("deposited", "ratification")
    assert (after["state"], after["consent"], after["signed"]) == ("signed", None, "1996-09-24")
    shown = run("--db", everything, "treaty", "show", "ctbt-1996").stdout
    assert "needs 9 more of the 44 Annex 2 states: CHN, EGY, IND, IRN, ISR, PAK, PRK, RUS, USA" in shown
    earlier = run("--db", everything, "treaty", "show", "ctbt-1996", "--as-of", "2023-01-01").stdout
    assert "needs 8 more of the 44 Annex 2 states: CHN, EGY, IND, IRN, ISR, PAK, PRK, USA" in earlier


def test_withdrawal_takes_effect_on_its_date(everything):
    """The United States notified its withdrawal from the Paris Agreement on 2025-01-27, effective 2026-01-27."""
    before = rows(everything, "status", "paris-2015", "--party", "USA", "--as-of", "2026-01-26")[0]
    after = rows(everything, "status", "paris-2015", "--party", "USA", "--as-of", "2026-01-27")[0]
    assert (before["state"], before["withdrawn_on"]) == ("in_force", "2026-01-27")
    assert before["progress"] == "in force since 2021-02-19, withdrawal takes effect 2026-01-27"
    assert (after["state"], after["progress"]) == ("withdrawn", "withdrawn since 2026-01-27")
    pending = rows(everything, "pending", "paris-2015", "--as-of", "2026-06-01")
    assert pending and "USA" not in {r["party"] for r in pending}
    assert "USA" not in {r["party"] for r in rows(everything, "pending", "paris-2015")}


def test_signatories_and_parties_as_the_depositary_counts_them(everything, tmp_path):
    """UN Treaty Collection XXVI-8 (status 2026-02-03): ATT Signatories 130, Parties 117; CTBT (XXVI-4) 187 and 178."""
    listed = {r["treaty"]: r for r in rows(everything, "treaty", "list")}
    att, ctbt = listed["att-2013"], listed["ctbt-1996"]
    assert (att["signatories"], att["parties"], att["participants"]) == (130, 117, 142)
    assert (ctbt["signatories"], ctbt["parties"]) == (187, 178)
    chart = run("--db", everything, "treaty", "chart", "att-2013").stdout
    assert "Signatories: 130. Parties: 117." in chart
    page = tmp_path / "att.html"
    assert run("--db", everything, "report", "att-2013", "--format", "html", "--output", page).exit_code == 0
    html = page.read_text()
    assert "<dt>Signatories</dt><dd>130</dd>" in html
    assert "<dt>Parties (bound by consent)</dt><dd>117</dd>" in html


def test_the_chart(everything):
    result = run("--db", everything, "treaty", "chart", "att-2013", "--as-of", "2014-12-31", "--format", "json")
    chart = {row["participant"]: row for row in json.loads(result.stdout)}
    assert chart["Albania"] == {
        "participant": "Albania",
        "signature": "2013-06-03",
        "ratified": None,
        "consent": "2014-03-19",
        "in_force": "2014-12-24",
        "notes": None,
        "in_force_published": "2014-12-24",  # UN Treaty Series 52373
    }
    text = run("--db", everything, "treaty", "chart", "att-2013", "--as-of", "2014-12-31").stdout
    assert text.splitlines()[-1] == "Signatories: 130. Parties: 61. Signatures not followed by ratification: 69."


def test_chart_marks_consent_types_as_the_un_does(everything):
    chart = json.loads(run("--db", everything, "treaty", "chart", "att-2013", "--format", "json").stdout)
    consents = {row["participant"]: row["consent"] for row in chart}
    assert consents["Afghanistan"] == "2020-07-29 a"
    assert any(value and value.endswith(" AA") for value in consents.values())


# --------------------------------------------------------------------------- date arithmetic


@pytest.mark.parametrize(
    ("start", "kwargs", "expected"),
    [
        ("2014-09-25", {"days": 90}, "2014-12-24"),  # ATT Art. 22
        ("1976-07-27", {"days": 180}, "1977-01-23"),  # Switzerland-US MLAT Art. 41(2)
        ("2004-03-18", {"months": 3, "first_of_following_month": True}, "2004-07-01"),  # CETS 185 Art. 36(3)
        ("2014-04-22", {"months": 3, "first_of_following_month": True}, "2014-08-01"),  # CETS 210 Art. 75(3)
        ("2024-01-22", {"first_day_of_month": 2}, "2024-03-01"),  # Finland-Canada: "first day of the second month"
        # Cluster Munitions Art. 17(1): "the first day of the sixth month after the month in which the thirtieth
        # instrument ... has been deposited": 2010-02-16, in force 2010-08-01 (UNTC XXVI-6).
        ("2010-02-16", {"first_day_of_month": 6}, "2010-08-01"),
        ("1998-09-16", {"first_day_of_month": 6}, "1999-03-01"),  # Ottawa Art. 17(1), 40th instrument (UNTC XXVI-5)
        # Rome Statute Art. 126(1): "the first day of the month after the 60th day following the date of the
        # deposit of the 60th instrument": 2002-04-11, in force 2002-07-01 (UNTC XVIII-10).
        ("2002-04-11", {"days": 60, "first_of_following_month": True}, "2002-07-01"),
        ("2024-12-31", {"first_day_of_month": 1}, "2025-01-01"),
        ("2024-01-01", {"first_day_of_month": 12}, "2025-01-01"),
        ("2016-10-05", {"days": 30}, "2016-11-04"),  # Paris Art. 21(1)
        ("2004-11-30", {"months": 3, "first_of_following_month": True}, "2005-03-01"),
        ("2023-11-30", {"months": 1}, "2023-12-30"),
        ("2024-01-31", {"months": 1}, "2024-02-29"),  # the month's last day where it is shorter
        ("2023-01-31", {"months": 1}, "2023-02-28"),
        ("2024-12-15", {"months": 0, "first_of_following_month": True}, "2025-01-01"),
        ("2025-01-27", {"months": 12}, "2026-01-27"),  # Paris Art. 28(2)
    ],
)
def test_treaty_date_arithmetic(start, kwargs, expected):
    assert after(date.fromisoformat(start), **kwargs) == date.fromisoformat(expected)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.integers(0, 240))
def test_months_never_overflow_or_go_back(day, months):
    moved = add_months(day, months)
    assert (moved.year - day.year) * 12 + moved.month - day.month == months
    assert moved.day <= day.day
    assert first_of_next_month(moved) > moved and first_of_next_month(moved).day == 1


# --------------------------------------------------------------------------- properties


def att_rule_and_deposits():
    fixture = read_fixture(TREATIES / "att-2013.yaml").treaties[0]
    deposits = [
        Deposit(p.state, p.events[0].consent or ConsentType.RATIFICATION, p.events[0].date)
        for p in fixture.parties
        if p.events
    ]
    return fixture.rule, deposits


ATT_RULE, ATT_DEPOSITS = att_rule_and_deposits()
HORIZON = date(2030, 1, 1)


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(min_value=date(2013, 6, 3), max_value=date(2016, 12, 31)),
    consent=st.sampled_from(list(ConsentType)),
)
def test_adding_a_deposit_never_moves_the_date_later(day, consent):
    base = evaluate(ATT_RULE, ATT_DEPOSITS, parties=[], as_of=HORIZON)
    more = evaluate(ATT_RULE, [*ATT_DEPOSITS, Deposit("ZZZ", consent, day)], parties=[], as_of=HORIZON)
    assert more.met_on <= base.met_on
    assert more.in_force_on <= base.in_force_on


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(ATT_DEPOSITS) - 1), unique=True, max_size=30))
def test_removing_deposits_never_moves_the_date_earlier(dropped):
    kept = [d for i, d in enumerate(ATT_DEPOSITS) if i not in set(dropped)]
    base = evaluate(ATT_RULE, ATT_DEPOSITS, parties=[], as_of=HORIZON)
    fewer = evaluate(ATT_RULE, kept, parties=[], as_of=HORIZON)
    assert fewer.met_on is None or fewer.met_on >= base.met_on


def test_accessions_do_not_count_where_the_rule_excludes_them():
    """Had the ATT's 2014-09-25 ratifications been accessions, the 50th would have come later."""
    relabelled = [
        Deposit(d.party, ConsentType.ACCESSION, d.on) if d.on == date(2014, 9, 25) else d for d in ATT_DEPOSITS
    ]
    assert evaluate(ATT_RULE, relabelled, parties=[], as_of=HORIZON).met_on > date(2014, 9, 25)


# --------------------------------------------------------------------------- alternatives (any_of)

P5 = {"label": "permanent members of the Security Council", "members": ["CHN", "FRA", "GBR", "RUS", "USA"]}
ANY_OF = {
    "kind": "any_of",
    "later": {"days": 90},
    "later_from": "entry_into_force",
    "alternatives": [
        {"kind": "count", "parties": 50, "types": ["ratification", "acceptance", "approval"], "delay": {"days": 90}},
        {"kind": "all_of", "group": "p5", "groups": {"p5": P5}, "delay": {"days": 30}},
    ],
}


def test_any_of_enters_into_force_on_the_earliest_alternative(tmp_path):
    """The ATT's own Art. 22 beside an alternative its deposits never met (no P5 clause exists in the text):
    the alternative that is met decides, and the one that is not says what it lacks."""
    database = tmp_path / "att.db"
    assert run("--db", database, "init").exit_code == 0
    assert run("--db", database, "load", TREATIES / "att-2013.yaml").exit_code == 0
    rule_file = tmp_path / "rule.json"
    rule_file.write_text(json.dumps(ANY_OF))
    words = run("--db", database, "treaty", "rule", "att-2013", "--from-file", rule_file)
    assert words.exit_code == 0, words.output
    assert words.stdout.startswith(
        "in force on the earliest of: (1) 90 days after the 50th instrument of ratification, acceptance or approval; "
        "or (2) 30 days after the instruments of all 5 permanent members of the Security Council; "
        "for a party joining after entry into force, 90 days after its own instrument"
    )
    before = run("--db", database, "treaty", "show", "att-2013", "--as-of", "2014-09-24").stdout
    assert (
        "not met as of 2014-09-24: (1) 45 of 50 instruments of ratification, acceptance or approval; "
        "or (2) needs 3 more of the 5 permanent members of the Security Council: CHN, RUS, USA"
    ) in before
    att = next(r for r in rows(database, "treaty", "list") if r["treaty"] == "att-2013")
    assert (att["rule_met_on"], att["in_force_on"]) == ("2014-09-25", "2014-12-24")
    assert rows(database, "status", "att-2013", "--party", "GIN")[0]["in_force_on"] == "2014-12-24"


def test_any_of_takes_the_alternative_that_comes_first():
    rule = Rule.model_validate(ANY_OF | {"later_from": "rule_met"})
    p5 = [Deposit(code, ConsentType.RATIFICATION, date(2014, 1, 1)) for code in P5["members"]]
    result = evaluate(rule, [*ATT_DEPOSITS, *p5], parties=[], as_of=HORIZON)
    assert (result.met_on, result.in_force_on) == (date(2014, 1, 1), date(2014, 1, 31))


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"kind": "any_of", "alternatives": [ANY_OF["alternatives"][0]]}, "at least two `alternatives`"),
        ({"kind": "count", "parties": 5, "alternatives": ANY_OF["alternatives"]}, "only an any_of rule"),
        (ANY_OF | {"delay": {"days": 3}}, "takes no `delay`"),
    ],
)
def test_any_of_is_validated(rule, message):
    with pytest.raises(ValidationError, match=message):
        Rule.model_validate(rule)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.integers(0, 119))
def test_the_two_wordings_of_the_first_of_a_month_meet(day, months):
    """ "The first day of the month following the expiration of N months after" is "the first day of the (N+1)th
    month after the month in which": both wordings exist in real treaties, and each is kept as its treaty words it."""
    assert after(day, months=months, first_of_following_month=True) == after(day, first_day_of_month=months + 1)
