"""Small UN Treaty Collection status pages for tests, in the structure of the real ones.

The real "ViewDetails" pages (learnt from public saved copies) put each header part in an
element with a fixed ASP.NET id and the participants in the table `..._tblgrid`, whose
first row (class thead-one, cells `td`) names the columns. Cells pad one-digit days with
`&nbsp;`, separate month and year with a tab, follow a date with its type's letter
("29 Jul\\t 2020 a"), mark an empty cell `&nbsp;`, put footnote numbers in `<SUP>` after
a name and the notes themselves in the table `..._dgNotesAll`.

Facts used here are the Arms Trade Treaty's (UN Treaty Collection XXVI-8); the counts in
each test page's header are those of the rows it holds, not the treaty's.
"""

from __future__ import annotations

from datetime import date

ID = "ctl00_ctl00_ContentPlaceHolder1_ContentPlaceHolderInnerPage_"
ATT_COLUMNS = (
    "Participant",
    "Signature",
    "Provisional application under article 23(n)",
    "Approval(AA), Acceptance(A), Accession(a), Ratification",
)


def cell_date(day: date | None, mark: str = "") -> str:
    """A date as the grid prints it: ' &nbsp;3 Jun\\t 2013 a<br>'."""
    if day is None:
        return "&nbsp;"
    padded = f" &nbsp;{day.day}" if day.day < 10 else str(day.day)
    return f"{padded} {day:%b}\t {day.year} {mark}<br>"


def page(
    rows: list[tuple[str, ...]],
    *,
    columns: tuple[str, ...] = ATT_COLUMNS,
    signatories: int | None,
    parties: int,
    as_at: str = "03-02-2026 10:16:18 EDT",
    chapter: str = "XXVI",
    number: str = "8",
    title: str = "Arms Trade Treaty",
    adopted: str = "New York, 2 April 2013",
    in_force: str = "24 December 2014, in accordance with article 22.",
    registration: str = "24 December 2014, No. 52373",
    notes: dict[str, str] | None = None,
) -> str:
    """A page; each row is the participant cell's inner HTML then the other cells'."""
    status = f"Parties : {parties}"
    if signatories is not None:
        status = f"Signatories :          {signatories}.            " + status
    heading = "".join(f'\t\t<td valign="bottom">{column}<br></td>\n' for column in columns)
    body = "".join(
        '\t<tr class="trBWhite">\n' + "".join(f"\t\t<td>{cell}</td>\n" for cell in row) + "\t</tr>\n" for row in rows
    )
    end_notes = "".join(
        f'<tr align="justify" valign="top"><td><div id="{ID}dgNotesAll_ctl0{i}_divNotesAll" class="divNotesAll">'
        f"<a name='{mark}'>{mark}</a><index></index> {text}<br><br></div></td></tr>"
        for i, (mark, text) in enumerate((notes or {}).items(), 2)
    )
    return f"""<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><title>UNTC</title></head>
<body id="ctl00_ctl00_htmlBody"><form name="aspnetForm" method="post">
<div id="{ID}div3" class="rows top-10 padd-5 heading-three">STATUS AS AT : {as_at}</div>
<div id="{ID}rptHead_ctl00_tcHead" style="font-weight: bold; text-align: center;">
    CHAPTER {chapter}
</div>
<div><div id="{ID}rptHead_ctl00_tcText" class="tcTextCenter bold">DISARMAMENT</div></div>
<table><tr><td><div id="{ID}rptTreaty_ctl00_tcTreaty" style="font-weight: bold" class="treatyCenter">
    {number}. \n    \n    {title}
</div></td></tr>
<tr><td><div id="{ID}rptTreaty_ctl00_tcText" class="treatyCenterSub normal">
    {adopted}
</div></td></tr></table>
<div id="{ID}rptEIF_ctl00_tcText">
    {in_force}
    <SUP><A onclick='ShowNoteAll()' href='#' class='noteIndex'></A> </SUP></div>
<div id="{ID}rptRegistration_ctl00_tcText">
    {registration}
    <SUP><A onclick='ShowNoteAll()' href='#' class='noteIndex'></A> </SUP></div>
<div id="{ID}rptStatus_ctl00_tcText">{status}</div>
<div class="table-responsive"><div>
<table id="{ID}tblgrid" class="table table-striped table-bordered table-hover table-condensed">
\t<tr class="thead-one">
{heading}\t</tr>
{body}</table>
</div></div>
<div id="{ID}divNotes" class="table-responsive"><div id="{ID}divAllNotes" class="end-notes">End Note</div>
<div><div><table class="table bullet-points-one" id="{ID}dgNotesAll">{end_notes}</table></div></div></div>
</form></body></html>
"""


def name(text: str, *marks: str, declarations: bool = False) -> str:
    """A participant cell: the name, a link when it made declarations, footnote numbers in <SUP>."""
    shown = (
        f"<A href='#EndDec' class='noteIndex' onclick='return ShowDeclarationsNew(getInnerText(this));'>{text}</A>"
        if declarations
        else text
    )
    sups = "".join(f" <SUP><A onclick='ShowNoteAll()' href='#{m}' class='noteIndex'>{m}</A> </SUP>" for m in marks)
    return f"{shown}{sups}<br>"


# The Arms Trade Treaty's rows for a few participants, as the depositary lists them (status as at 2026-02-03).
D = date
ATT_ROWS = {
    "AFG": (name("Afghanistan"), cell_date(None), cell_date(None), cell_date(D(2020, 7, 29), "a")),
    "ALB": (name("Albania"), cell_date(D(2013, 6, 3)), cell_date(None), cell_date(D(2014, 3, 19))),
    "ATG": (
        name("Antigua and Barbuda"),
        cell_date(D(2013, 6, 3)),
        cell_date(D(2013, 8, 12), "n"),
        cell_date(D(2013, 8, 12)),
    ),
    "BHS": (
        name("Bahamas (The)"),
        cell_date(D(2013, 6, 3)),
        cell_date(D(2014, 9, 25), "n"),
        cell_date(D(2014, 9, 25)),
    ),
    "BEL": (
        name("Belgium", declarations=True),
        cell_date(D(2013, 6, 3)),
        cell_date(None),
        cell_date(D(2014, 6, 3)),
    ),
    "DNK": (
        name("Denmark", "1"),
        cell_date(D(2013, 6, 3)),
        cell_date(D(2014, 4, 2), "n"),
        cell_date(D(2014, 4, 2), "AA"),
    ),
    "JPN": (name("Japan"), cell_date(D(2013, 6, 3)), cell_date(None), cell_date(D(2014, 5, 9), "A")),
    "PSE": (name("State of Palestine"), cell_date(None), cell_date(None), cell_date(D(2017, 12, 29), "a")),
    "TUR": (name("Türkiye"), cell_date(D(2013, 7, 2)), cell_date(None), cell_date(None)),
    "USA": (name("United States of America", "3"), cell_date(D(2013, 9, 25)), cell_date(None), cell_date(None)),
}
ATT_NOTES = {
    "1": "Upon its Approval of the Treaty, the Government of Denmark notified the Secretary-General of the "
    'following:<br><br>"The Treaty shall not apply to the Faroe Islands and Greenland until further notice."',
    "3": "In a communication received on 18 July 2019, the Government of the United States of America informed "
    "the Secretary-General of the following:<br><br>“This is to inform you, in connection with the Arms Trade "
    "Treaty, done at New York on April 2, 2013, that the United States does not intend to become a party to the "
    "treaty.”",
}
