"""Text made inert for each output format: one function per format, for every cell and every line.

Input is already refused when it holds control characters (`ratify.strict`), but a
database written before that rule, or by another program, may still hold them: what
is printed is made safe here whatever the database holds.

- every format: control characters (escape, bell, NUL, C1) and the bidirectional
  controls that reorder the rest of a line show as visible `\\x1b`, `\\u202e` escapes;
- html: markup characters become entities;
- latex: the characters tabulate escapes in its LaTeX tables, escaped the same way;
- markdown (github, pipe): markdown punctuation and the cell separator `|` are backslashed;
- rst: inline markup, substitutions and references are backslashed, and a leading `..` too;
- mediawiki, textile (which pass HTML through): entities for tags, templates, links and the separator;
- other wiki tables (moinmoin, jira, youtrack, asciidoc, orgtbl): the cell separator;
- moinmoin: entities for links ([[...]]), embeds ({{...}}), macros (<<...>>) and the separator;
- tsv: tabs and line breaks, which would start a new cell or row;
- every delimited format (csv, tsv): a cell a spreadsheet would run as a formula is prefixed with `'`.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Callable

# C0 and C1 controls except the line break, DEL, and the bidirectional embeddings, overrides,
# isolates and marks: each could change how the rest of a terminal line reads.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """Plain text tables (simple, grid, psql ...) and every other format first."""
    return _UNSAFE.sub(_visible, text)


def _one_line(text: str) -> str:
    return terminal(text).replace("\n", " ")


def html(text: str) -> str:
    return _html.escape(terminal(text), quote=True)


def latex(text: str) -> str:
    from tabulate import LATEX_ESCAPE_RULES

    return "".join(LATEX_ESCAPE_RULES.get(character, character) for character in terminal(text))


# An underscore inside a word (a URL's Peoples_Republic) starts no emphasis or reference; elsewhere it may.
_LOOSE_UNDERSCORE = r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"
_MARKDOWN = re.compile(rf"[\\`*\[\]<>|~&]|{_LOOSE_UNDERSCORE}")


def markdown(text: str) -> str:
    return _MARKDOWN.sub(lambda match: "\\" + match.group(), _one_line(text))


_RST = re.compile(rf"[\\`*|<>\[\]]|{_LOOSE_UNDERSCORE}")


def rst(text: str) -> str:
    escaped = _RST.sub(lambda match: "\\" + match.group(), _one_line(text))
    # A cell or line that starts with ".." would be read as a directive (.. raw:: html).
    return "\\" + escaped if escaped.lstrip().startswith("..") else escaped


def _separator(replacement: str) -> Callable[[str], str]:
    def escape(text: str) -> str:
        return _one_line(text).replace("|", replacement)

    return escape


def wiki(text: str) -> str:
    """Wiki markup that passes HTML through (mediawiki, textile): entities for the separator, tags,
    templates ({{...}}) and links ([[...]])."""
    return _html.escape(_one_line(text), quote=True).translate(
        {ord("|"): "&#124;", ord("{"): "&#123;", ord("}"): "&#125;", ord("["): "&#91;", ord("]"): "&#93;"}
    )


#: A spreadsheet runs a cell that starts with one of these as a formula (`=cmd|' /C calc'!A0`, `@SUM(...)`).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert_formula(text: str) -> str:
    """A cell of a delimited file that a spreadsheet would run as a formula, kept as text by a leading quote."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def tsv(text: str) -> str:
    """A tab-separated cell: line breaks shown (tabs are shown by `terminal`), formulas kept as text."""
    return inert_formula(terminal(text)).replace("\n", "\\n")


_MOIN = {ord(c): f"&#{ord(c)};" for c in "[]{}<>|"}


def moinmoin(text: str) -> str:
    """MoinMoin tables: links, attachments and embeds ([[...]], {{...}}), macros (<<...>>) and `|` as entities."""
    return _one_line(text).translate(_MOIN)


#: The escaping for text printed around a table (a title, a summary line) in each format.
BY_FORMAT: dict[str, Callable[[str], str]] = {
    "html": html,
    "unsafehtml": html,
    "latex": latex,
    "latex_raw": latex,
    "latex_booktabs": latex,
    "latex_longtable": latex,
    "github": markdown,
    "pipe": markdown,
    "rst": rst,
    "mediawiki": wiki,
    "textile": wiki,
    "moinmoin": moinmoin,
    "jira": _separator("\\|"),
    "youtrack": _separator("\\|"),
    "asciidoc": _separator("\\|"),
    "orgtbl": _separator("\\vert{}"),
    "tsv": tsv,
}
#: Formats whose tables tabulate escapes itself: their cells need only the terminal's escaping.
ESCAPED_BY_TABULATE = ("html", "latex", "latex_booktabs", "latex_longtable")


def for_format(fmt: str) -> Callable[[str], str]:
    """How to print free text in `fmt`."""
    return BY_FORMAT.get(fmt, terminal)


def for_cells(fmt: str) -> Callable[[str], str]:
    """How to print a table cell in `fmt`."""
    return terminal if fmt in ESCAPED_BY_TABULATE else for_format(fmt)
