"""States by ISO 3166-1, resolved from the names people actually type.

The ISO list comes from pycountry; ratify adds only the short names that
ISO 3166 does not carry but news and treaty texts use every day.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

from ratify.errors import NotFound

# Lower-case alias -> alpha-3. Only names ISO 3166 lacks (pycountry already
# resolves official, short and common names, and alpha-2/alpha-3 codes).
ALIASES: dict[str, str] = {
    "dprk": "PRK",
    "north korea": "PRK",
    "rok": "KOR",
    "south korea": "KOR",
    "korea": "KOR",
    "russia": "RUS",
    "uk": "GBR",
    "britain": "GBR",
    "great britain": "GBR",
    "england": "GBR",
    "us": "USA",
    "u.s.": "USA",
    "america": "USA",
    "united states of america": "USA",
    "turkey": "TUR",
    "prc": "CHN",
    "iran": "IRN",
    "syria": "SYR",
    "vietnam": "VNM",
    "laos": "LAO",
    "ivory coast": "CIV",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "macedonia": "MKD",
    "burma": "MMR",
    "east timor": "TLS",
    "vatican": "VAT",
    "holy see": "VAT",
    "palestine": "PSE",
    "brunei": "BRN",
    "micronesia": "FSM",
    "czech republic": "CZE",
    "holland": "NLD",
    "dr congo": "COD",
    "drc": "COD",
    "democratic republic of the congo": "COD",
    "republic of the congo": "COG",
    "uae": "ARE",
}


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-3
    name: str  # common name where ISO gives one, else the short name


def is_known_code(code: str) -> bool:
    """An ISO 3166-1 alpha-3 code, current or historic."""
    import pycountry

    return bool(pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code))


def _country(record) -> Country:
    return Country(record.alpha_3, getattr(record, "common_name", None) or record.name)


def resolve_country(text: str) -> Country:
    """Find the state a user means by code or name, case-insensitively."""
    import pycountry

    query = text.strip()
    alias = ALIASES.get(query.lower())
    if alias:
        return _country(pycountry.countries.get(alpha_3=alias))
    try:
        return _country(pycountry.countries.lookup(query))
    except LookupError:
        pass
    try:
        # States that no longer exist still appear in old treaties (SUN, YUG, SCG, CSK).
        return _country(pycountry.historic_countries.lookup(query))
    except LookupError:
        pass
    close = difflib.get_close_matches(query.lower(), _known_names(), n=3, cutoff=0.6)
    hint = (
        "did you mean " + " or ".join(repr(_display(name)) for name in close) + "?"
        if close
        else "give an ISO 3166-1 code such as RUS or KP, or a country name"
    )
    raise NotFound(f"state: {query!r} is not a known country", hint)


@cache
def _known_names() -> dict[str, str]:
    """Every lower-case name ratify accepts -> the name to show in a suggestion."""
    import pycountry

    names: dict[str, str] = {}
    for record in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(record, attribute, None)
            if value:
                names[value.lower()] = value
    for alias in ALIASES:
        names.setdefault(alias, alias.title() if len(alias) > 4 else alias.upper())
    return names


def _display(lowered: str) -> str:
    return _known_names()[lowered]
