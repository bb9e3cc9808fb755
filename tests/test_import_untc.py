"""ratify import untc: a status page read exactly, imported whole or not at all, and refreshed as corrections."""

from __future__ import annotations

import http.server
import json
import socket
from datetime import date
from pathlib import Path

import pytest
from conftest import as_json, ok, reloaded, run, served, snapshot
from hypothesis import given, settings
from hypothesis import strategies as st
from untc_pages import (
    ATT_COLUMNS,
    ATT_NOTES,
    ATT_ROWS,
    CCW_P4,
    CCW_P4_ROWS,
    ICCPR_OP1,
    ICCPR_OP1_NOTES,
    ICCPR_OP1_ROWS,
    OTTAWA,
    OTTAWA_NOTES,
    OTTAWA_ROWS,
    bracketed,
    cell_date,
    name,
    page,
)

from ratify.depositary.endings import ending_in_notes
from ratify.depositary.untc import read_status_page
from ratify.errors import SourceError

SLUG = "arms-trade-treaty-2013"


def write(tmp_path: Path, html: str, file: str = "XXVI-8.html") -> Path:
    path = tmp_path / file
    path.write_text(html, encoding="utf-8")
    return path


def first_page(tmp_path: Path) -> Path:
    return write(tmp_path, page(list(ATT_ROWS.values()), signatories=8, parties=8, notes=ATT_NOTES))


def test_a_page_is_read_with_every_column_kind_and_its_notes():
    parsed = read_status_page(page(list(ATT_ROWS.values()), signatories=8, parties=8, notes=ATT_NOTES))
    assert (parsed.identifier, parsed.title, parsed.as_at) == ("XXVI-8", "Arms Trade Treaty", date(2026, 2, 3))
    assert (parsed.place, parsed.adopted, parsed.registration) == ("New York", date(2013, 4, 2), "52373")
    assert parsed.in_force == "24 December 2014, in accordance with article 22."
    assert parsed.in_force_on == date(2014, 12, 24)
    rows = {p.name: p for p in parsed.participants}
    assert rows["Afghanistan"].consent == "accession" and rows["Afghanistan"].signed is None
    assert rows["Denmark"].consent == "approval" and rows["Denmark"].provisional == date(2014, 4, 2)
    assert rows["Japan"].consent == "acceptance"
    assert rows["Albania"].consented == date(2014, 3, 19) and rows["Albania"].consent == "ratification"
    assert rows["Belgium"].signed == date(2013, 6, 3)  # a name inside the declarations link
    assert rows["Denmark"].notes[0].startswith("1. Upon its Approval of the Treaty, the Government of Denmark")
    assert "does not intend to become a party" in rows["United States of America"].notes[0]
    assert rows["United States of America"].consented is None  # a note is kept, never read as a date


def test_other_column_variants_succession_definitive_signature_and_withdrawal():
    columns = (
        "Participant",
        "Signature, Succession to signature(d)",
        "Ratification, Accession(a), Succession(d), Definitive signature(s)",
        "Withdrawal",
    )
    rows = [
        (name("Czech Republic"), cell_date(None), cell_date(date(1993, 2, 22), "d"), "&nbsp;"),
        (name("Slovakia"), cell_date(date(1993, 5, 28), "d"), cell_date(date(1993, 5, 28)), "&nbsp;"),
        (name("Holy See"), cell_date(None), cell_date(date(2001, 1, 2), "s"), "&nbsp;"),
        (name("Cook Islands"), cell_date(date(2000, 1, 1)), cell_date(date(2001, 3, 4)), cell_date(date(2020, 1, 10))),
    ]
    parsed = read_status_page(page(rows, columns=columns, signatories=2, parties=3))
    by = {p.name: p for p in parsed.participants}
    assert by["Czech Republic"].consent == "succession"
    assert by["Slovakia"].signed == date(1993, 5, 28) and by["Slovakia"].consent == "ratification"
    assert by["Holy See"].consent == "definitive_signature"
    assert by["Cook Islands"].withdrawn == date(2020, 1, 10)  # withdrawn: not counted among the parties
    # A definitive signature printed in the signature column is a signature and a consent at once.
    columns = ("Participant", "Signature, Definitive signature(s)", "Ratification, Accession(a)")
    rows = [(name("Holy See"), cell_date(date(2001, 1, 2), "s"), "&nbsp;")]
    (holy_see,) = read_status_page(page(rows, columns=columns, signatories=1, parties=1)).participants
    assert (holy_see.signed, holy_see.consented, holy_see.consent) == (
        date(2001, 1, 2),
        date(2001, 1, 2),
        "definitive_signature",
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(signatories=9, parties=8), "the page's header says 9 signatories but its table has 8"),
        (dict(signatories=8, parties=7), "the page's header says 7 parties but its table has 8"),
        (dict(signatories=8, parties=8, as_at="3 February 2026"), "no 'STATUS AS AT' date on the page"),
    ],
)
def test_a_page_whose_counts_or_header_do_not_fit_is_refused_and_nothing_written(
    initialised, tmp_path, change, message
):
    html = page(list(ATT_ROWS.values()), notes=ATT_NOTES, **change)
    result = run("import", "untc", write(tmp_path, html))
    assert result.exit_code == 1
    assert message in result.stderr
    assert "nothing was written" in result.stderr or "ratify never dates a page itself" in result.stderr
    assert as_json("treaty", "list") == []


def test_an_unknown_column_an_unreadable_date_or_mark_is_a_format_change(tmp_path):
    rows = list(ATT_ROWS.values())
    unknown = page(rows, columns=(*ATT_COLUMNS[:3], "Objection(o)"), signatories=8, parties=8)
    with pytest.raises(SourceError, match="a column ratify does not know: 'Objection\\(o\\)'"):
        read_status_page(unknown, origin="p")
    bad_date = [(name("Albania"), "3 Juin 2013", "&nbsp;", "&nbsp;")]
    with pytest.raises(SourceError, match="'3 Juin 2013' is not a date such as '3 Jun 2013 a'"):
        read_status_page(page(bad_date, signatories=1, parties=0), origin="p")
    bad_mark = [(name("Albania"), "&nbsp;", "&nbsp;", cell_date(date(2014, 3, 19), "x"))]
    with pytest.raises(SourceError, match="the mark 'x' .* is not one the heading defines"):
        read_status_page(page(bad_mark, signatories=0, parties=1), origin="p")
    missing_note = [(name("Denmark", "4"), "&nbsp;", "&nbsp;", "&nbsp;")]
    with pytest.raises(SourceError, match="refers to note 4, which the page does not have"):
        read_status_page(page(missing_note, signatories=0, parties=0), origin="p")


@settings(max_examples=40, deadline=None)
@given(
    day=st.dates(min_value=date(1945, 1, 1), max_value=date(2030, 12, 31)), mark=st.sampled_from(["", "a", "A", "AA"])
)
def test_any_real_date_reads_back_as_itself_with_its_type(day, mark):
    row = (name("Albania"), cell_date(None), cell_date(None), cell_date(day, mark))
    parsed = read_status_page(page([row], signatories=0, parties=1)).participants[0]
    assert parsed.consented == day
    assert parsed.consent == {"": "ratification", "a": "accession", "A": "acceptance", "AA": "approval"}[mark]


def test_unknown_names_are_all_listed_and_nothing_is_written(initialised, tmp_path):
    rows = [*ATT_ROWS.values(), (name("Atlantis"), cell_date(date(2013, 6, 3)), "&nbsp;", "&nbsp;")]
    rows.append((name("Lemuria (Republic of)"), cell_date(date(2013, 6, 3)), "&nbsp;", "&nbsp;"))
    result = run("import", "untc", write(tmp_path, page(rows, signatories=10, parties=8, notes=ATT_NOTES)))
    assert result.exit_code == 1
    assert "2 participant name(s) ratify cannot resolve: 'Atlantis', 'Lemuria (Republic of)'" in result.stderr
    assert as_json("treaty", "list") == []


def test_a_new_treaty_is_imported_with_its_identifiers_and_its_published_entry_into_force(initialised, tmp_path):
    result = ok("import", "untc", first_page(tmp_path))
    assert result.stderr == (
        f"{SLUG} (UN Treaty Collection XXVI-8): 8 signatories, 8 parties as at 2026-02-03; recorded 10 participants; "
        "in force from 2014-12-24 as published; no entry-into-force rule yet, so a later party's date of effect "
        "stays empty (add one with 'ratify treaty rule').\n"
    )
    listed = as_json("treaty", "list")[0]
    assert (listed["signatories"], listed["parties"], listed["in_force_on"]) == (8, 8, "2014-12-24")
    rows = {row["party"]: row for row in as_json("status", SLUG)}
    assert rows["DNK"]["consent"] == "approval" and rows["PSE"]["consent"] == "accession"
    assert rows["TUR"]["state"] == "signed"
    shown = ok("treaty", "show", SLUG).stdout
    assert "  depositary: UN Treaty Collection XXVI-8 (status as at 2026-02-03), UNTS registration 52373" in shown
    assert "  published entry into force: 24 December 2014, in accordance with article 22." in shown
    assert as_json("treaty", "list", "--search", "XXVI-8")[0]["treaty"] == SLUG
    assert as_json("treaty", "list", "--search", "52373")[0]["treaty"] == SLUG
    page_html = ok("report", "--format", "html").stdout  # the web view's treaty page shares this template
    assert (
        "<dt>Depositary</dt><dd>UN Treaty Collection XXVI-8 (status as at 2026-02-03), UNTS registration 52373</dd>"
        in page_html
    )
    assert "<dt>Published entry into force</dt><dd>24 December 2014, in accordance with article 22.</dd>" in page_html
    history = ok("history", SLUG, "ATG").stdout
    assert "provisional_application" in history or "provisional application" in history


def test_the_published_entry_into_force_is_shown_and_a_rule_that_disagrees_is_flagged(initialised, tmp_path):
    ok("import", "untc", first_page(tmp_path))
    rule = ("treaty", "rule", SLUG, "--kind", "count", "--types", "ratification", "--types", "acceptance")
    ok(*rule, "--types", "approval", "--parties", "3", "--days", "90")  # not the ATT's rule: three, not fifty
    shown = ok("treaty", "show", SLUG).stdout
    assert "met on 2014-04-02; in force since 2014-07-01" in shown
    assert "  published entry into force: 24 December 2014, in accordance with article 22.\n" in shown
    assert (
        "  in force as published: 2014-12-24 (UN Treaty Collection XXVI-8, status as at 2026-02-03); "
        "ratify's rule gives 2014-07-01: they differ\n"
    ) in shown
    assert "met on 2014-04-02; in force since 2014-07-01; published 2014-12-24, which differs" in shown
    row = as_json("status", SLUG, "--party", "ALB")[0]
    assert row["published_differs"] == "entry into force: published 2014-12-24, computed 2014-07-01"


def test_importing_the_same_page_twice_changes_nothing(initialised, tmp_path):
    source = first_page(tmp_path)
    ok("import", "untc", source)
    exported = ok("export").stdout
    again = ok("import", "untc", source)
    assert again.stdout == ""
    assert "; nothing changed; no entry-into-force rule recorded." in again.stderr
    assert ok("export").stdout == exported


def later_page(tmp_path: Path) -> Path:
    """The same treaty a year on: Türkiye ratified, Albania's signature corrected, Japan's instrument re-dated,
    Gambia acceded, the Bahamas left off the page, Denmark's note reworded."""
    rows = dict(ATT_ROWS)
    rows["TUR"] = (name("Türkiye"), cell_date(date(2013, 7, 2)), "&nbsp;", cell_date(date(2026, 5, 4)))
    rows["ALB"] = (name("Albania"), cell_date(date(2013, 6, 4)), "&nbsp;", cell_date(date(2014, 3, 19)))
    rows["JPN"] = (name("Japan"), cell_date(date(2013, 6, 3)), "&nbsp;", cell_date(date(2014, 5, 10), "AA"))
    rows["GMB"] = (name("Gambia"), "&nbsp;", "&nbsp;", cell_date(date(2024, 6, 13), "a"))
    del rows["BHS"]
    notes = {**ATT_NOTES, "1": ATT_NOTES["1"].replace("notified", "informed")}
    html = page(list(rows.values()), signatories=7, parties=9, notes=notes, as_at="05-06-2026 09:00:00 EDT")
    return write(tmp_path, html, "XXVI-8-later.html")


def test_a_later_page_is_a_sync_reported_change_by_change(initialised, tmp_path, clock):
    ok("import", "untc", first_page(tmp_path))
    ok("vote", SLUG, "TUR", "grand_national_assembly", "--yes", "300", "--no", "10", "--date", "2026-04-20")
    clock(1)
    dry = ok("import", "untc", later_page(tmp_path), "--dry-run", "--format", "json")
    changes = {(c["state"], c["what"]): c for c in __import__("json").loads(dry.stdout)}
    assert changes[("TUR", "instrument")]["new"] == "2026-05-04"
    assert (changes[("ALB", "signature")]["old"], changes[("ALB", "signature")]["new"]) == ("2013-06-03", "2013-06-04")
    assert changes[("JPN", "instrument")]["old"] == "2014-05-09" and changes[("JPN", "consent")]["new"] == "approval"
    assert changes[("GMB", "new participant")]["new"] == "accession 2024-06-13"
    assert changes[("BHS", "not on the page")]["applied"] is False
    assert changes[("DNK", "depositary note")]["applied"] is True
    assert "(dry run: nothing written)" in dry.stderr
    assert as_json("status", SLUG, "--party", "TUR")[0]["state"] != "deposited"  # the dry run wrote nothing

    done = ok("import", "untc", later_page(tmp_path))
    assert done.stderr.endswith(
        "7 signatories, 9 parties as at 2026-06-05; 1 new participant; 3 instrument changes; 1 date change; "
        "2 depositary details updated; 1 difference reported, not applied; no entry-into-force rule recorded.\n"
    )
    rows = {row["party"]: row for row in as_json("status", SLUG)}
    assert rows["TUR"]["state"] == "deposited" and rows["GMB"]["consent"] == "accession"
    assert rows["BHS"]["state"] == "in_force"  # missing from the page: reported, never deleted
    assert rows["JPN"]["consent"] == "approval"
    assert "grand_national_assembly" in ok("history", SLUG, "TUR").stdout  # the user's vote is untouched
    corrected = as_json("changes", "--since", "2026-01-01")
    reasons = {row.get("reason") for row in corrected}
    assert "UN Treaty Collection XXVI-8, status as at 2026-06-05" in reasons
    assert "2014-05-09" in ok("history", SLUG, "JPN", "--all").stdout  # the old version is kept
    again = ok("import", "untc", later_page(tmp_path), "--format", "csv")  # once more: only the report is left
    assert again.stdout.splitlines()[1:] == ["BHS,Bahamas,not on the page,recorded,,,"]


def test_a_page_for_a_treaty_recorded_by_hand_refreshes_it(initialised, tmp_path):
    ok("treaty", "add", SLUG, "--title", "Arms Trade Treaty", "--kind", "multilateral", "--signed", "2013-04-02")
    ok("party", "add", SLUG, "ALB", "--signed", "2013-06-03")
    ok("vote", SLUG, "ALB", "legislature", "--yes", "100", "--no", "0", "--date", "2014-02-27")
    result = ok("import", "untc", first_page(tmp_path))  # found by its title and date of adoption
    assert "9 new participants" in result.stderr
    assert [t["treaty"] for t in as_json("treaty", "list")] == [SLUG]
    assert "legislature" in ok("history", SLUG, "ALB").stdout
    assert as_json("status", SLUG, "--party", "ALB")[0]["consent"] == "ratification"
    again = ok("import", "untc", first_page(tmp_path))  # now by its identifier
    assert "nothing changed" in again.stderr


def test_the_same_treaty_under_another_slug_is_found_by_title_and_date_never_copied(initialised, tmp_path):
    ok("treaty", "add", "att", "--title", "ARMS TRADE  treaty", "--kind", "multilateral", "--signed", "2013-04-02")
    result = ok("import", "untc", first_page(tmp_path))
    assert result.stderr.startswith("att (UN Treaty Collection XXVI-8): 8 signatories, 8 parties")
    assert [t["treaty"] for t in as_json("treaty", "list")] == ["att"]


def test_a_slug_taken_by_another_treaty_is_refused_and_two_candidates_are_named(initialised, tmp_path):
    ok("treaty", "add", SLUG, "--title", "Another treaty", "--kind", "multilateral", "--signed", "2013-04-02")
    clash = run("import", "untc", first_page(tmp_path))
    assert clash.exit_code == 1
    assert clash.stderr.endswith(
        f"{SLUG} is already recorded, without XXVI-8 as its depositary identifier (pass --treaty {SLUG} to refresh "
        "it from this page, or --treaty NEW-SLUG to record another)\n"
    )
    for slug in ("att-a", "att-b"):
        ok("treaty", "add", slug, "--title", "Arms Trade Treaty", "--kind", "multilateral", "--signed", "2013-04-02")
    both = run("import", "untc", first_page(tmp_path))
    assert both.exit_code == 1
    assert "2 treaties are recorded as 'Arms Trade Treaty' of 2013-04-02: att-a, att-b" in both.stderr
    assert "pass --treaty SLUG" in both.stderr
    assert len(as_json("treaty", "list")) == 3


def test_ended_participations_in_square_brackets_are_history_and_out_of_both_counts(initialised, tmp_path):
    html = page(OTTAWA_ROWS, signatories=1, parties=2, notes=OTTAWA_NOTES, **OTTAWA)
    result = ok("import", "untc", write(tmp_path, html, "XXVI-5.html"), "--treaty", "ottawa")
    assert "2 participations ended (in square brackets), out of both counts" in result.stderr
    assert "on or before" not in result.stderr  # each footnote dates its end
    listed = as_json("treaty", "list")[0]
    assert (listed["signatories"], listed["parties"]) == (1, 2)
    rows = {row["party"]: row for row in as_json("status", "ottawa")}
    assert rows["LTU"]["state"] == "withdrawn" and rows["LTU"]["signed"] == "1999-02-26"
    assert (rows["LTU"]["deposited_on"], rows["LTU"]["withdrawn_on"]) == ("2003-05-12", "2025-12-27")
    assert (rows["EST"]["consent"], rows["EST"]["withdrawn_on"]) == ("accession", "2025-12-27")
    history = as_json("history", "ottawa", "EST")
    withdrawal = next(row for row in history if row["kind"] == "withdrawal")
    assert (withdrawal["date"], withdrawal["effective"]) == ("2025-06-27", "2025-12-27")
    assert "nothing changed" in ok("import", "untc", write(tmp_path, html, "XXVI-5.html")).stderr


def test_an_end_the_footnotes_do_not_date_beyond_doubt_is_on_or_before_the_status_date(initialised, tmp_path):
    html = page(ICCPR_OP1_ROWS, signatories=1, parties=2, notes=ICCPR_OP1_NOTES, **ICCPR_OP1)
    source = write(tmp_path, html, "IV-5.html")
    result = ok("import", "untc", source, "--treaty", "iccpr-op1")
    assert (
        "3 participations ended (in square brackets), out of both counts; the page does not fully date the end of "
        "Trinidad and Tobago: what it leaves unsaid is recorded as on or before 2026-02-03, the page's status date "
        "(each withdrawal's note says what)."
    ) in result.stderr
    listed = as_json("treaty", "list")[0]
    assert (listed["signatories"], listed["parties"]) == (1, 2)
    acts = {row["party"]: row for row in as_json("history", "iccpr-op1") if row["kind"] == "withdrawal"}
    # Two denunciations in one note: neither is picked; the page's status date bounds the end.
    assert (acts["TTO"]["date"], acts["TTO"]["effective"]) == ("[..2026-02-03]", "2026-02-03")
    assert (acts["BLR"]["date"], acts["BLR"]["effective"]) == ("2022-11-08", "2023-02-08")
    assert (acts["JAM"]["date"], acts["JAM"]["effective"]) == ("1997-10-23", None)  # the withdrawal rule's
    statuses = {row["party"]: row for row in as_json("status", "iccpr-op1")}
    assert statuses["JAM"]["withdrawn_on"] == "1998-10-23"
    assert {code for code, row in statuses.items() if row["state"] == "withdrawn"} == {"BLR", "JAM", "TTO"}
    again = ok("import", "untc", source)  # the "on or before" stands while the page says no more
    assert "nothing changed" in again.stderr
    exported, fresh = reloaded(tmp_path)  # "on or before" survives export and load
    assert "[..2026-02-03]" in exported
    again_acts = as_json("--db", fresh, "history", "iccpr-op1", "TTO")
    assert [row["date"] for row in again_acts if row["kind"] == "withdrawal"] == ["[..2026-02-03]"]


@pytest.mark.parametrize(
    ("note", "notice", "effect"),
    [
        (OTTAWA_NOTES["1"], date(2025, 6, 27), date(2025, 12, 27)),
        (ICCPR_OP1_NOTES["6"], date(2022, 11, 8), date(2023, 2, 8)),
        (ICCPR_OP1_NOTES["3"], date(1997, 10, 23), None),
        (ICCPR_OP1_NOTES["1"], None, None),  # two denunciations: neither is picked
        (
            # A statement's withdrawal is not the participation's: its "took effect" is never read as the end.
            "On 10 May 2001, the Government of Denmark notified the Secretary-General of its decision to withdraw "
            "the reservation made upon ratification. The withdrawal took effect on 10 June 2001.",
            None,
            None,
        ),
    ],
)
def test_an_end_is_read_from_footnotes_only_where_they_state_it_beyond_doubt(note, notice, effect):
    assert ending_in_notes((f"1. {note}",)) == (notice, effect)


def test_a_day_the_month_lacks_in_a_footnote_states_no_end():
    """A slip in the depositary's words leaves the date unknown (bounded by the page), never stops the import."""
    note = (
        "On 31 June 2025, the Government of Latvia deposited with the Secretary-General a notification of "
        "withdrawal from the Convention. The withdrawal took effect for Latvia on 27 December 2025."
    )
    assert ending_in_notes((f"1. {note}",)) == (None, date(2025, 12, 27))


def test_an_end_the_withdrawal_rule_would_place_after_the_page_is_bounded_by_the_page(initialised, tmp_path):
    # The note's first sentence alone: notice on 2025-06-27, no effect stated; twelve months would be 2026-06-27.
    notes = {"1": OTTAWA_NOTES["1"].split(". The withdrawal")[0] + "."}
    html = page(OTTAWA_ROWS[:3], signatories=1, parties=2, notes=notes, **OTTAWA)
    result = ok("import", "untc", write(tmp_path, html, "XXVI-5.html"), "--treaty", "mbc")
    assert "the page does not fully date the end of Estonia" in result.stderr
    (act,) = [row for row in as_json("history", "mbc", "EST") if row["kind"] == "withdrawal"]
    assert (act["date"], act["effective"]) == ("2025-06-27", "2026-02-03")
    assert "before the date the withdrawal rule gives (2026-06-27)" in act["note"]
    assert as_json("status", "mbc", "--party", "EST")[0]["state"] == "withdrawn"


def test_a_later_page_that_dates_an_end_replaces_the_on_or_before(initialised, tmp_path):
    undated = [*OTTAWA_ROWS[:2], (name("Estonia"), "&nbsp;", bracketed(date(2004, 5, 12), "a"))]
    ok(
        "import",
        "untc",
        write(tmp_path, page(undated, signatories=1, parties=2, **OTTAWA), "a.html"),
        "--treaty",
        "mbc",
    )
    (act,) = [row for row in as_json("history", "mbc", "EST") if row["kind"] == "withdrawal"]
    assert (act["date"], act["effective"]) == ("[..2026-02-03]", "2026-02-03")
    assert "on or before 2026-02-03" in act["note"]
    dated = page(
        OTTAWA_ROWS[:3], signatories=1, parties=2, notes=OTTAWA_NOTES, as_at="05-06-2026 09:00:00 EDT", **OTTAWA
    )
    result = ok("import", "untc", write(tmp_path, dated, "b.html"), "--format", "csv")
    assert f"EST,Estonia,withdrawal,[..2026-02-03],2025-06-27,yes,{act['id']}" in result.stdout
    (now,) = [row for row in as_json("history", "mbc", "EST") if row["kind"] == "withdrawal"]
    assert (now["date"], now["effective"], now["note"]) == ("2025-06-27", "2025-12-27", None)
    assert as_json("status", "mbc", "--party", "EST")[0]["withdrawn_on"] == "2025-12-27"


def test_a_party_whose_row_turns_to_brackets_on_a_later_page_withdraws(initialised, tmp_path):
    before = [*OTTAWA_ROWS[:2], (name("Estonia"), "&nbsp;", cell_date(date(2004, 5, 12), "a"))]
    html = page(before, signatories=1, parties=3, as_at="13-05-2025 03:15:39 EDT", **OTTAWA)
    ok("import", "untc", write(tmp_path, html, "a.html"), "--treaty", "mbc")
    after = page(OTTAWA_ROWS[:3], signatories=1, parties=2, notes=OTTAWA_NOTES, **OTTAWA)
    result = ok("import", "untc", write(tmp_path, after, "b.html"), "--format", "json")
    changes = {(c["state"], c["what"]): c for c in json.loads(result.stdout)}
    assert (changes["EST", "withdrawal"]["old"], changes["EST", "withdrawal"]["new"]) == (None, "2025-06-27")
    assert "1 participation ended (in square brackets), out of both counts" in result.stderr
    (act,) = [row for row in as_json("history", "mbc", "EST") if row["kind"] == "withdrawal"]
    assert (act["date"], act["effective"]) == ("2025-06-27", "2025-12-27")
    listed = as_json("treaty", "list")[0]
    assert (listed["signatories"], listed["parties"]) == (1, 2)
    assert as_json("status", "mbc", "--party", "EST", "--as-of", "2025-12-26")[0]["state"] != "withdrawn"


def test_succession_to_a_signature_is_kept_as_a_succession_and_shown_as_such(initialised, tmp_path):
    html = page(ICCPR_OP1_ROWS, signatories=1, parties=2, notes=ICCPR_OP1_NOTES, **ICCPR_OP1)
    ok("import", "untc", write(tmp_path, html, "IV-5.html"), "--treaty", "iccpr-op1")
    row = as_json("status", "iccpr-op1", "--party", "MKD")[0]
    assert (row["signed"], row["deposited_on"], row["consent"]) == ("1994-12-12", "1994-12-12", "ratification")
    history = as_json("history", "iccpr-op1", "MKD")
    assert [(h["kind"], h["date"]) for h in history if h["kind"] == "signature_by_succession"] == [
        ("signature_by_succession", "1994-12-12")
    ]
    chart = {row["participant"]: row for row in as_json("treaty", "chart", "iccpr-op1")}
    assert chart["North Macedonia"]["signature"] == "1994-12-12 d"
    assert "signature by succession 1994-12-12" in chart["North Macedonia"]["notes"]


def test_every_mark_a_heading_defines_is_read_consent_to_be_bound_included(initialised, tmp_path):
    html = page(CCW_P4_ROWS, signatories=None, parties=3, **CCW_P4)
    ok("import", "untc", write(tmp_path, html, "XXVI-2-a.html"), "--treaty", "ccw-p4")
    rows = {row["party"]: row for row in as_json("status", "ccw-p4")}
    assert {row["consent"] for row in rows.values()} == {"consent_to_be_bound"}
    assert rows["AFG"]["deposited_on"] == "2017-08-09"
    parsed = read_status_page(html)
    assert (parsed.identifier, parsed.parties) == ("XXVI-2-a", 3)
    # The order of a heading's terms is the page's own; an unknown term is named with its column.
    reordered = page(
        CCW_P4_ROWS,
        signatories=None,
        parties=3,
        **{**CCW_P4, "columns": ("Participant", "Succession(d), Consent to be bound(P)")},
    )
    assert read_status_page(reordered).participants[0].consent == "consent_to_be_bound"
    worded = ("Participant", "Notification of consent to be bound(P), Succession(d)")
    spelt_out = page(CCW_P4_ROWS, signatories=None, parties=3, **{**CCW_P4, "columns": worded})
    assert read_status_page(spelt_out).participants[0].consent == "consent_to_be_bound"
    unknown = page(
        CCW_P4_ROWS,
        signatories=None,
        parties=3,
        **{**CCW_P4, "columns": ("Participant", "Ratification, Notification(N)")},
    )
    with pytest.raises(
        SourceError, match="column 'Ratification, Notification\\(N\\)' defines 'Notification' \\(mark 'N'\\)"
    ):
        read_status_page(unknown, origin="p")


def test_a_row_half_in_brackets_is_refused_naming_page_row_and_columns(initialised, tmp_path):
    rows = [(name("Lithuania"), bracketed(date(1999, 2, 26)), cell_date(date(2003, 5, 12)))]
    html = page(rows, signatories=0, parties=1, **OTTAWA)
    result = run("import", "untc", write(tmp_path, html, "XXVI-5.html"))
    assert result.exit_code == 1
    assert (
        "XXVI-5.html: the row of 'Lithuania' has dates in square brackets in column 'Signature' but not in "
        "'Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)'"
    ) in result.stderr
    assert as_json("treaty", "list") == []


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("The former Yugoslav Republic of Macedonia", "MKD"),  # the WHO FCTC's page as at 2016-11-28
        ("Libyan Arab Jamahiriya", "LBY"),
        ("Zaire", "COD"),
        ("Byelorussian Soviet Socialist Republic", "BLR"),
        ("Swaziland", "SWZ"),
    ],
)
def test_names_of_every_vintage_resolve(initialised, tmp_path, printed, code):
    rows = [(name(printed), cell_date(date(2013, 6, 3)), "&nbsp;", "&nbsp;")]
    ok("import", "untc", write(tmp_path, page(rows, signatories=1, parties=0)))
    assert as_json("status", SLUG)[0]["party"] == code


def test_long_depositary_notes_are_kept_whole(initialised, tmp_path):
    # Real notes on one row run to 47,374 characters (the United Kingdom's on CEDAW); this one to 60,000.
    text = "Upon ratification: " + "the Government reserves the right to apply article 9. " * 1_100
    html = page([ATT_ROWS["DNK"]], signatories=1, parties=1, notes={"1": text})
    ok("import", "untc", write(tmp_path, html))
    import yaml

    (treaty,) = yaml.safe_load(ok("export").stdout)["treaties"]
    assert treaty["parties"][0]["depositary_note"] == "1. " + " ".join(text.split())


def test_not_yet_in_force_in_the_header_is_no_date(initialised, tmp_path):
    for slug, words in (
        (
            "ctbt",
            "[see article XIV]. This Treaty will enter into force 180 days after the date of deposit of the "
            "instruments of ratification by all States listed in Annex 2 to this Treaty",
        ),
        ("not-yet", "Not yet in force"),
    ):
        html = page([ATT_ROWS["ALB"]], signatories=1, parties=1, in_force=words, registration="")
        result = ok("import", "untc", write(tmp_path, html), "--treaty", slug)
        assert "in force from" not in result.stderr
        assert as_json("treaty", "list", "--search", slug)[0]["in_force_on"] is None
        shown = ok("treaty", "show", slug).stdout
        assert f"  depositary on entry into force: {words}" in shown
        assert "published entry into force" not in shown and "in force as published" not in shown


def test_a_dry_run_makes_every_check_the_import_makes(initialised, tmp_path):
    # A title past the limit is refused only when the treaty is recorded, not when the page is read.
    html = page(list(ATT_ROWS.values()), signatories=8, parties=8, notes=ATT_NOTES, title="Arms Trade Treaty " * 60)
    source = write(tmp_path, html)
    dry = run("import", "untc", source, "--treaty", "att", "--dry-run")
    real = run("import", "untc", source, "--treaty", "att")
    assert dry.exit_code == real.exit_code != 0
    assert "title" in dry.stderr and dry.stderr == real.stderr
    assert as_json("treaty", "list") == []
    fine = ok("import", "untc", first_page(tmp_path), "--dry-run")
    assert fine.stderr.endswith("(dry run: nothing written).\n")
    assert as_json("treaty", "list") == []


class _Page(http.server.BaseHTTPRequestHandler):
    body = b""
    agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        self.agents.append(self.headers.get("User-Agent", ""))
        self.send_response(200 if self.path.startswith("/Pages/") else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:
        pass


def test_a_url_is_fetched_once_with_a_user_agent_naming_ratify(initialised):
    _Page.body = page(list(ATT_ROWS.values()), signatories=8, parties=8, notes=ATT_NOTES).encode()
    _Page.agents = []
    with served(_Page) as address:
        url = f"{address}/Pages/ViewDetails.aspx?mtdsg_no=XXVI-8"
        ok("import", "untc", url)
        missing = run("import", "untc", f"{address}/gone")
    assert _Page.agents[0].startswith("ratify/")
    assert len(_Page.agents) == 2  # no retries
    assert (
        "depositary: UN Treaty Collection XXVI-8 (status as at 2026-02-03), UNTS registration 52373"
        in ok("treaty", "show", SLUG).stdout
    )
    assert url in ok("treaty", "show", SLUG).stdout
    assert missing.exit_code == 1 and "the server answered 404 Not Found (check the URL)" in missing.stderr


def test_a_server_that_is_down_gives_one_clear_line(initialised):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the import asks: nothing listens there
    result = run("import", "untc", f"http://127.0.0.1:{port}/Pages/ViewDetails.aspx")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: http://127.0.0.1:{port}/Pages/ViewDetails.aspx: could not connect (ConnectError) "
        "(check that you are online, or save the page in a browser and import the file)\n"
    )


def test_a_value_past_the_limits_stops_the_import_in_one_line_naming_the_page(initialised, tmp_path):
    """The longest real treaty titles run to a few hundred characters; a page whose title runs past 1,000 is
    not read as a status page, and says so as a data error (exit 1), not as a mistyped command."""
    before = snapshot(initialised)
    html = page(list(ATT_ROWS.values()), signatories=8, parties=8, notes=ATT_NOTES, title="Convention " + "x" * 1200)
    result = run("import", "untc", write(tmp_path, html))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: UN Treaty Collection XXVI-8: title: ") and "docs/limits.md" in result.stderr
    assert result.stderr.count("\n") == 1
    assert snapshot(initialised) == before
