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


def link_target(text: str | None) -> str | None:
    """The URL a source may link to: http and https only; anything else (javascript:, data:, a
    citation) is shown as text and never becomes an href."""
    if not text:
        return None
    value = text.strip()
    if any(character.isspace() for character in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value


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
    env.filters.update(link_target=link_target, token=css_token, words=words, cell=cell)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
