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


# Ended participations, as the depositary prints them: the row's dates in square brackets, the end told in a
# footnote. The Anti-Personnel Mine Ban Convention (XXVI-5) and the ICCPR's first Optional Protocol (IV-5), status
# as at 2026-02-03.
def bracketed(day: date, mark: str = "") -> str:
    """An ended participation's date: '[12 May 2004 a]'."""
    padded = f" {day.day}" if day.day < 10 else str(day.day)
    return f"[{padded} {day:%b} {day.year} {mark}]<br>"


OTTAWA = dict(
    number="5",
    title="Convention on the Prohibition of the Use, Stockpiling, Production and Transfer of Anti-Personnel Mines "
    "and on their Destruction",
    adopted="Oslo, 18 September 1997",
    in_force="1 March 1999, in accordance with article 17(1).",
    registration="1 March 1999, No. 35597",
    columns=("Participant", "Signature", "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)"),
)
OTTAWA_ROWS = [
    (name("Afghanistan"), cell_date(None), cell_date(D(2002, 9, 11), "a")),
    (name("Albania"), cell_date(D(1998, 9, 8)), cell_date(D(2000, 2, 29))),
    (name("Estonia", "1"), "&nbsp;", bracketed(D(2004, 5, 12), "a")),
    (name("Lithuania", "4"), bracketed(D(1999, 2, 26)), bracketed(D(2003, 5, 12))),
]
OTTAWA_NOTES = {
    "1": "On 27 June 2025, the Government of the Republic of Estonia deposited with the Secretary-General a "
    "notification of withdrawal (See depositary notification C.N.360.2025 .TREATIES-XXVI-5 of 3 July 2025). The "
    "withdrawal took effect for Estonia on 27 December 2025 in accordance with article 20 (3) of the Convention.",
    "4": "On 27 June 2025, the Government of the Republic of Lithuania deposited with the Secretary-General a "
    "notification of withdrawal (See depositary notification C.N.362.2025 .TREATIES-XXVI-5 of 3 July 2025). The "
    "withdrawal took effect for Lithuania on 27 December 2025 in accordance with article 20 (3) of the Convention.",
}

ICCPR_OP1 = dict(
    chapter="IV",
    number="5",
    title="Optional Protocol to the International Covenant on Civil and Political Rights",
    adopted="New York, 16 December 1966",
    in_force="23 March 1976, in accordance with article 9.",
    registration="23 March 1976, No. 14668",
    columns=("Participant", "Signature, Succession to signature(d)", "Ratification, Accession(a), Succession(d)"),
)
ICCPR_OP1_ROWS = [
    (name("Argentina"), "&nbsp;", cell_date(D(1986, 8, 8), "a")),
    (name("Belarus", "6"), "&nbsp;", bracketed(D(1992, 9, 30), "a")),
    (name("Jamaica", "3"), bracketed(D(1966, 12, 19)), bracketed(D(1975, 10, 3))),
    (name("North Macedonia"), cell_date(D(1994, 12, 12), "d"), cell_date(D(1994, 12, 12))),
    (name("Trinidad and Tobago", "1"), "&nbsp;", bracketed(D(1980, 11, 14), "a")),
]
ICCPR_OP1_NOTES = {
    "1": "The Government of Trinidad and Tobago acceded to the Optional Protocol on 14 November 1980. On 26 May 1998 "
    "the Government of Trinidad and Tobago informed the Secretary-General of its decision to denounce the Optional "
    "Protocol with effect from 26 August 1998. On 26 August 1998, the Government of Trinidad and Tobago re-acceded "
    "to the Optional Protocol with a reservation. On 27 March 2000, the Government of Trinidad and Tobago notified "
    "the Secretary-General that it had decided to denounce the Optional Protocol for the second time with effect "
    "from 27 June 2000.",
    "3": "On 23 October 1997, the Government of Jamaica notified the Secretary-General of its denunciation of the "
    "Protocol.",
    "6": "On 8 November 2022, the Government of Belarus notified the Secretary-General of its denunciation of the "
    "Optional Protocol with effect from 8 February 2023 in accordance with article 12(1) of the Optional Protocol "
    "(Refer to depositary notification C.N.400.2022 .TREATIES-IV.5 of 10 November 2022 )(Denunciation : Belarus)).",
}

# A protocol joined by "notification of consent to be bound" (CCW Art. 4): Amended Protocol IV to the CCW
# (XXVI-2-a), whose heading defines "P" before "d".
CCW_P4 = dict(
    number="2",
    title="a Additional Protocol to the Convention on Prohibitions or Restrictions on the Use of Certain Conventional "
    "Weapons which may be deemed to be Excessively Injurious or to have Indiscriminate Effects (Protocol IV, "
    "entitled Protocol on Blinding Laser Weapons)",
    adopted="Vienna, 13 October 1995",
    in_force="30 July 1998, in accordance with article 2 of the Additional Protocol.",
    registration="30 July 1998, No. 22495",
    columns=("Participant", "Consent to be bound(P), Succession(d)"),
)
CCW_P4_ROWS = [
    (name("Afghanistan"), cell_date(D(2017, 8, 9), "P")),
    (name("Albania"), cell_date(D(2002, 8, 28), "P")),
    (name("Holy See"), cell_date(D(1997, 7, 22), "P")),
]
