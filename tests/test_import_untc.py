"""ratify import untc: a status page read exactly, imported whole or not at all, and refreshed as corrections."""

from __future__ import annotations

import http.server
import socket
import threading
from datetime import date
from pathlib import Path

import pytest
from conftest import as_json, ok, run
from hypothesis import given, settings
from hypothesis import strategies as st
from untc_pages import ATT_COLUMNS, ATT_NOTES, ATT_ROWS, cell_date, name, page

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


def test_a_new_treaty_is_imported_with_its_identifiers_and_no_guessed_entry_into_force(initialised, tmp_path):
    result = ok("import", "untc", first_page(tmp_path))
    assert result.stderr == (
        f"{SLUG} (UN Treaty Collection XXVI-8): 8 signatories, 8 parties as at 2026-02-03; recorded 10 participants; "
        "no entry-into-force rule yet: computed dates stay empty (add one with 'ratify treaty rule').\n"
    )
    listed = as_json("treaty", "list")[0]
    assert (listed["signatories"], listed["parties"], listed["in_force_on"]) == (8, 8, None)
    rows = {row["party"]: row for row in as_json("status", SLUG)}
    assert rows["DNK"]["consent"] == "approval" and rows["PSE"]["consent"] == "accession"
    assert rows["TUR"]["state"] == "signed"
    shown = ok("treaty", "show", SLUG).stdout
    assert "  depositary: UN Treaty Collection XXVI-8 (status as at 2026-02-03), UNTS registration 52373" in shown
    assert "  published entry into force: 24 December 2014, in accordance with article 22." in shown
    assert as_json("treaty", "list", "--search", "XXVI-8")[0]["treaty"] == SLUG
    assert as_json("treaty", "list", "--search", "52373")[0]["treaty"] == SLUG
    page_html = ok("report", "--format", "html").stdout  # the web view's treaty page shares this template
    assert "<dt>Depositary</dt><dd>UN Treaty Collection XXVI-8 (status as at 2026-02-03), UNTS registration 52373</dd>" in page_html
    assert "<dt>Published entry into force</dt><dd>24 December 2014, in accordance with article 22.</dd>" in page_html
    history = ok("history", SLUG, "ATG").stdout
    assert "provisional_application" in history or "provisional application" in history


def test_the_published_entry_into_force_is_shown_and_a_rule_that_disagrees_is_flagged(initialised, tmp_path):
    ok("import", "untc", first_page(tmp_path))
    rule = ("treaty", "rule", SLUG, "--kind", "count", "--types", "ratification", "--types", "acceptance")
    ok(*rule, "--types", "approval", "--parties", "3", "--days", "90")  # not the ATT's rule: three, not fifty
    shown = ok("treaty", "show", SLUG).stdout
    assert "met on 2014-04-02; in force since 2014-07-01" in shown
    assert (
        "  published entry into force: 24 December 2014, in accordance with article 22. "
        "(ratify's rule gives 2014-07-01: they differ)"
    ) in shown


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
    assert rows["BHS"]["state"] == "deposited"  # missing from the page: reported, never deleted
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
    clash = run("import", "untc", first_page(tmp_path))
    assert clash.exit_code == 1
    assert clash.stderr.endswith(
        f"{SLUG} is already recorded, without XXVI-8 as its depositary identifier (pass --treaty {SLUG} to refresh "
        "it from this page, or --treaty NEW-SLUG to record another)\n"
    )
    ok("party", "add", SLUG, "ALB", "--signed", "2013-06-03")
    ok("vote", SLUG, "ALB", "legislature", "--yes", "100", "--no", "0", "--date", "2014-02-27")
    result = ok("import", "untc", first_page(tmp_path), "--treaty", SLUG)
    assert "9 new participants" in result.stderr
    assert "legislature" in ok("history", SLUG, "ALB").stdout
    assert as_json("status", SLUG, "--party", "ALB")[0]["consent"] == "ratification"


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
    server = http.server.HTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/Pages/ViewDetails.aspx?mtdsg_no=XXVI-8"
        ok("import", "untc", url)
        missing = run("import", "untc", f"http://127.0.0.1:{server.server_port}/gone")
    finally:
        server.shutdown()
        server.server_close()
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
