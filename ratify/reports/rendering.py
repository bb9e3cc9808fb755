"""One way to turn report data into HTML or Atom: Jinja2 templates that escape every value.

The standalone report (`ratify report --format html`) and the web view (`ratify serve`)
render the same templates, so a treaty looks the same in a mailed page and in a browser,
and no value reaches the markup without passing through the autoescape.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ratify.reports.escaping import terminal

# A URL inside a citation ("Interfax, 2023-11-03 -- https://..."): http or https, up to a space or a quote.
_URL = re.compile(r"""https?://[^\s<>"'`]+""", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"


def link_target(text: str | None) -> str | None:
    """The URL a whole source may link to: http and https only; anything else (javascript:, data:,
    a citation) is not a link target."""
    parts = link_parts(text)
    return parts[0][1] if len(parts) == 1 else None


def link_parts(text: str | None) -> list[tuple[str, str | None]]:
    """A source cut into text and links: every http(s) URL in it becomes a link; the rest, a
    `javascript:` or `data:` URL included, stays text."""
    if not text:
        return []
    parts: list[tuple[str, str | None]] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group().rstrip(_TRAILING)
        host = urlsplit(url).netloc if _parses(url) else ""
        if not host:
            continue
        if match.start() > position:
            parts.append((text[position : match.start()], None))
        parts.append((url, url))
        position = match.start() + len(url)
    if position < len(text):
        parts.append((text[position:], None))
    return parts


def first_link(text: str | None) -> str | None:
    return next((href for _part, href in link_parts(text) if href), None)


def _parses(url: str) -> bool:
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def css_token(value: Any) -> str:
    """A CSS class token: states are vocabulary, but the page must stay valid whatever the data holds."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(value)) or "other"


def words(value: Any) -> str:
    """A vocabulary term as words: in_force -> in force."""
    return "" if value is None else str(value).replace("_", " ")


def cell(value: Any) -> str:
    """A table cell's text, as the text tables print it (None empty, True yes)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


def _visible(value: Any) -> Any:
    # Markup is ratify's own constant markup (marker shapes); everything else is data.
    return terminal(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@cache
def environment() -> Environment:
    """Built once per process: templates are parsed on first use and kept."""
    env = Environment(
        loader=PackageLoader("ratify.reports", "templates"),
        autoescape=select_autoescape(["html", "atom", "xml", "svg"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Control characters a database written by another program may hold are made visible first.
    env.finalize = _visible
    env.filters.update(link_parts=link_parts, token=css_token, words=words, cell=cell)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
