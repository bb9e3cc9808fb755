"""The UN Treaty Collection's status page of one treaty (MTDSG "ViewDetails"), read exactly or not at all.

The page is an ASP.NET form: the header's parts sit in elements with fixed ids
(`..._rptTreaty_ctl00_tcTreaty` for the title, `..._rptStatus_ctl00_tcText` for
"Signatories : 130. Parties : 117"), and the participants in the table
`..._tblgrid`, whose first row names its columns. The columns differ from
treaty to treaty, so each is recognised by its heading; a heading ratify does
not know, a date it cannot read, a mark the heading does not define, or counts
that disagree with the page's own header stop the import: a tracker that
misreads a changed page is worse than none.

Each heading defines its own marks ("Consent to be bound(P)", "Succession(d)"),
in whatever order the page prints them. A row whose dates stand in square
brackets is a participation that ended (a withdrawal or denunciation took
effect): its signature and consent are history, and the header's counts leave
it out. The end's dates come from the row's footnotes only where they state
them beyond doubt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ratify.dates import published_date
from ratify.depositary.endings import ending_in_notes
from ratify.depositary.page import Participant, StatusPage
from ratify.errors import SourceError
from ratify.vocab import ConsentType, Depositary

_ID = "ctl00_ctl00_ContentPlaceHolder1_ContentPlaceHolderInnerPage_"
_MONTHS = {
    m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)
}
_CELL_DATE = re.compile(r"(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})(?: ([A-Za-z]{1,2}))?")
_LONG_DATE = re.compile(
    r"(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})"
)
_TERMS = {
    "ratification": ConsentType.RATIFICATION,
    "acceptance": ConsentType.ACCEPTANCE,
    "approval": ConsentType.APPROVAL,
    "accession": ConsentType.ACCESSION,
    "succession": ConsentType.SUCCESSION,
    "definitive signature": ConsentType.DEFINITIVE_SIGNATURE,
    "formal confirmation": ConsentType.FORMAL_CONFIRMATION,
    "consent to be bound": ConsentType.CONSENT_TO_BE_BOUND,
}
#: One term of a heading and the mark it defines: "Acceptance(A)", "Ratification".
_TERM = re.compile(r"\s*([^(),]+?)\s*(?:\(\s*([A-Za-z]{1,2})\s*\))?\s*")
_BRACKETED = re.compile(r"\[\s*(.*?)\s*\]")


@dataclass
class _Column:
    kind: str  # participant, signature, consent, provisional, withdrawal
    heading: str
    marks: dict[str, ConsentType | None] = field(default_factory=dict)  # the letters its dates may carry
    succession: str | None = None  # a signature column's mark for a succession to signature ("d")


def read_status_page(html: bytes | str, *, url: str | None = None, origin: str = "the page") -> StatusPage:
    """Every fact on the page, checked against the page's own counts; SourceError names what did not fit.

    Bytes are decoded by the charset the page declares (a byte-order mark, then `<meta charset>`), else as UTF-8,
    else as windows-1252: a page saved from a browser keeps the encoding the server sent.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    notes = _end_notes(soup)
    table = soup.find(id=f"{_ID}tblgrid")
    if table is None:
        raise SourceError(
            f"{origin}: no participants table (id {_ID}tblgrid)",
            "is this a UN Treaty Collection 'ViewDetails' status page? If so, its format changed",
        )
    rows = table.find_all("tr")
    if not rows:
        raise SourceError(f"{origin}: the participants table is empty", "the page's format changed")
    columns = [_column(_text(cell), origin) for cell in rows[0].find_all(["td", "th"])]
    if not columns or columns[0].kind != "participant":
        raise SourceError(f"{origin}: the table's first column is not 'Participant'", "the page's format changed")
    participants = [_participant(row, columns, notes, origin) for row in rows[1:] if row.find_all(["td", "th"])]
    chapter = _part(soup, "rptHead_ctl00_tcHead", origin)
    number, title = _numbered_title(_part(soup, "rptTreaty_ctl00_tcTreaty", origin), origin)
    place, adopted = _place_and_date(_optional(soup, "rptTreaty_ctl00_tcText"))
    in_force = _optional(soup, "rptEIF_ctl00_tcText")
    registration = _optional(soup, "rptRegistration_ctl00_tcText")
    signatories, parties = _counts(_optional(soup, "rptStatus_ctl00_tcText"), origin)
    page = StatusPage(
        depositary=Depositary.UNTC,
        identifier=f"{_roman(chapter, origin)}-{number}",
        title=title,
        as_at=_as_at(soup, origin),
        participants=participants,
        place=place,
        adopted=adopted,
        in_force=in_force or None,
        in_force_on=published_date(in_force),
        registration=_registration(registration),
        signatories=signatories,
        parties=parties,
        url=url,
        columns=[column.heading for column in columns],
    )
    check_counts(page, origin)
    return page


def check_counts(page: StatusPage, origin: str) -> None:
    """The rows must add up to the page's own "Signatories : N. Parties : M"."""
    # A participation that ended (its row in square brackets) is in neither count.
    signed = sum(1 for p in page.participants if p.signed and not p.ended)
    bound = sum(1 for p in page.participants if p.consented and not p.withdrawn and not p.ended)
    for noun, header, counted in (("signatories", page.signatories, signed), ("parties", page.parties, bound)):
        if header is not None and header != counted:
            raise SourceError(
                f"{origin}: the page's header says {header} {noun} but its table has {counted}",
                "nothing was written; the page's format may have changed, or it was saved incomplete",
            )


# --------------------------------------------------------------------------- the table


def _column(heading: str, origin: str) -> _Column:
    lowered = heading.lower()
    if lowered.startswith("participant"):
        return _Column("participant", heading)
    if "provisional application" in lowered:
        return _Column("provisional", heading, {mark: None for mark in ("", *_letters(heading))})
    if "withdrawal" in lowered or "denunciation" in lowered:
        return _Column("withdrawal", heading, {"": None})
    if lowered.startswith("signature"):
        # "Signature, Succession to signature(d)": both are signatures; the mark says which.
        column = _Column("signature", heading, {"": None, **{mark: None for mark in _letters(heading)}})
        for term, mark in _terms(heading):
            if mark and "succession" in term.lower():
                column.succession = mark
            elif mark:
                # "Definitive signature(s)" here is a signature that is itself the consent to be bound.
                column.marks[mark] = _consent_of(term)
        return column
    terms = _terms(heading)
    if terms and any(_consent_of(term) for term, _mark in terms):
        marks: dict[str, ConsentType | None] = {}
        for term, mark in terms:
            consent = _consent_of(term)
            if consent is None:
                raise SourceError(
                    f"{origin}: column {heading!r} defines {term!r}"
                    + (f" (mark {mark!r})" if mark else "")
                    + ", a kind of consent ratify does not know",
                    "nothing was written; report the heading so the kind can be added",
                )
            marks[mark] = consent
        return _Column("consent", heading, marks)
    raise SourceError(
        f"{origin}: the participants table has a column ratify does not know: {heading!r}",
        "nothing was written; the page's format changed or this treaty needs a new column kind",
    )


def _consent_of(term: str) -> ConsentType | None:
    """The kind of consent a heading's term names, in the words of the page: "Accession", and also
    "Notification of consent to be bound" or "Instrument of ratification", which end in a known term."""
    lowered = term.lower()
    if lowered in _TERMS:
        return _TERMS[lowered]
    ends = [key for key in _TERMS if lowered.endswith(" " + key)]
    return _TERMS[max(ends, key=len)] if ends else None


def _terms(heading: str) -> list[tuple[str, str]]:
    """The heading's legend: "Approval(AA), Ratification" -> [("Approval", "AA"), ("Ratification", "")]."""
    terms = []
    for part in heading.split(","):
        found = _TERM.fullmatch(part)
        if found is not None and found.group(1):
            terms.append((" ".join(found.group(1).split()), found.group(2) or ""))
    return terms


def _letters(heading: str) -> list[str]:
    return re.findall(r"\(([A-Za-z]{1,2})\)", heading)


def _participant(row: Any, columns: list[_Column], notes: dict[str, str], origin: str) -> Participant:
    cells = row.find_all(["td", "th"])
    marks: list[str] = []
    texts = []
    for cell in cells:
        for sup in cell.find_all("sup"):
            marks += re.findall(r"\d+", sup.get_text())
            sup.decompose()
        texts.append(_text(cell))
    name = texts[0].rstrip(" ,")
    if len(cells) != len(columns):
        raise SourceError(
            f"{origin}: the row of {name!r} has {len(cells)} cells for {len(columns)} columns",
            "nothing was written; the page's format changed",
        )
    facts: dict[str, Any] = {}
    bracketed: dict[str, bool] = {}  # heading -> whether its date stands in square brackets
    for column, text in zip(columns[1:], texts[1:], strict=True):
        if not text:
            continue
        inside = _BRACKETED.fullmatch(text)
        bracketed[column.heading] = inside is not None
        day, mark = _cell_date(inside.group(1) if inside else text, name, column, origin)
        if column.kind == "consent":
            facts["consented"], facts["consent"] = day, column.marks[mark]
        elif column.kind == "signature":
            facts["signed"] = day
            facts["signed_by_succession"] = bool(mark) and mark == column.succession
            if column.marks.get(mark) is not None and "consented" not in facts:
                facts["consented"], facts["consent"] = day, column.marks[mark]
        else:
            facts[column.kind] = day
    if any(bracketed.values()) and not all(bracketed.values()):
        within = ", ".join(repr(heading) for heading, yes in bracketed.items() if yes)
        outside = ", ".join(repr(heading) for heading, yes in bracketed.items() if not yes)
        raise SourceError(
            f"{origin}: the row of {name!r} has dates in square brackets in column {within} but not in {outside}",
            "nothing was written; ratify cannot tell whether this participation ended: check the page",
        )
    missing = [mark for mark in marks if mark not in notes]
    if missing:
        raise SourceError(
            f"{origin}: {name!r} refers to note {missing[0]}, which the page does not have",
            "nothing was written; the page was saved incomplete or its format changed",
        )
    row_notes = tuple(f"{mark}. {notes[mark]}" for mark in dict.fromkeys(marks))
    if any(bracketed.values()):
        notice, effect = ending_in_notes(row_notes)
        facts["ended"] = True
        facts["withdrawal"] = facts.get("withdrawal") or notice
        facts["withdrawal_effective"] = effect
    renamed = {"provisional": "provisional", "withdrawal": "withdrawn"}
    return Participant(name=name, **{renamed.get(key, key): value for key, value in facts.items()}, notes=row_notes)


def _cell_date(text: str, name: str, column: _Column, origin: str) -> tuple[date, str]:
    found = _CELL_DATE.fullmatch(text)
    month = _MONTHS.get(found.group(2)) if found else None
    if found is None or month is None:
        raise SourceError(
            f"{origin}: {name!r}, column {column.heading!r}: {text!r} is not a date such as '3 Jun 2013 a'",
            "nothing was written; the page's format changed",
        )
    mark = found.group(4) or ""
    if mark not in column.marks:
        raise SourceError(
            f"{origin}: {name!r}, column {column.heading!r}: the mark {mark!r} in {text!r} is not one the heading"
            " defines",
            "nothing was written; the page's format changed",
        )
    try:
        return date(int(found.group(3)), month, int(found.group(1))), mark
    except ValueError:
        raise SourceError(
            f"{origin}: {name!r}, column {column.heading!r}: {text!r} is not a real date", "check the page"
        ) from None


def _end_notes(soup: Any) -> dict[str, str]:
    """The numbered end notes the rows' superscripts point to."""
    notes: dict[str, str] = {}
    table = soup.find(id=f"{_ID}dgNotesAll")
    for block in table.find_all(class_="divNotesAll") if table is not None else ():
        anchor = block.find("a", attrs={"name": True})
        if anchor is None:
            continue
        number = anchor["name"]
        anchor.decompose()
        notes[number] = _text(block, keep_lines=True)
    return notes


# --------------------------------------------------------------------------- the header


def _part(soup: Any, suffix: str, origin: str) -> str:
    text = _optional(soup, suffix)
    if not text:
        raise SourceError(f"{origin}: no {suffix.split('_')[0][3:].lower()} in the header", "the page's format changed")
    return text


def _optional(soup: Any, suffix: str) -> str:
    element = soup.find(id=f"{_ID}{suffix}")
    if element is None:
        return ""
    for sup in element.find_all("sup"):
        sup.decompose()
    return _text(element)


def _as_at(soup: Any, origin: str) -> date:
    text = " ".join(soup.get_text(" ").split())
    found = re.search(r"STATUS AS AT\s*:\s*(\d{2})-(\d{2})-(\d{4})", text)
    if found is None:
        raise SourceError(f"{origin}: no 'STATUS AS AT' date on the page", "ratify never dates a page itself")
    return datetime.strptime("-".join(found.groups()), "%d-%m-%Y").date()


def _numbered_title(text: str, origin: str) -> tuple[str, str]:
    # "8. Arms Trade Treaty"; a treaty under another, "7. d Paris Agreement", numbers as 7-d.
    found = re.fullmatch(r"(\d+)\s*\.?\s*(?:([a-z])\s*[.)]?\s+)?(.+)", text)
    if found is None:
        raise SourceError(f"{origin}: the title {text!r} has no MTDSG number such as '8.'", "the page's format changed")
    number, letter, title = found.groups()
    return (f"{number}-{letter}" if letter else number), title


def _roman(chapter: str, origin: str) -> str:
    found = re.fullmatch(r"CHAPTER\s+([IVXL]+)", chapter)
    if found is None:
        raise SourceError(f"{origin}: {chapter!r} is not a chapter such as 'CHAPTER XXVI'", "the page's format changed")
    return found.group(1)


def _place_and_date(text: str) -> tuple[str | None, date | None]:
    place, _comma, rest = text.rpartition(",")
    return (place.strip() or None, published_date(rest)) if place else (None, published_date(text))


def _registration(text: str) -> str | None:
    found = re.search(r"No\.\s*(\d+)", text)
    return found.group(1) if found else None


def _counts(text: str, origin: str) -> tuple[int | None, int | None]:
    signatories = re.search(r"Signatories\s*:\s*(\d+)", text)
    parties = re.search(r"Parties\s*:\s*(\d+)", text)
    if parties is None:
        raise SourceError(
            f"{origin}: no 'Parties : N' in the header's status",
            "ratify checks every table against the page's own counts; the page's format changed",
        )
    return (int(signatories.group(1)) if signatories else None), int(parties.group(1))


def _text(element: Any, *, keep_lines: bool = False) -> str:
    """An element's text with the page's padding gone: non-breaking spaces, tabs, runs of blanks."""
    if keep_lines:
        for br in element.find_all("br"):
            br.replace_with("\n")
        lines: Iterable[str] = element.get_text().replace("\xa0", " ").splitlines()
        return "\n".join(" ".join(line.split()) for line in lines if line.strip())
    return " ".join(element.get_text(" ").replace("\xa0", " ").split())
