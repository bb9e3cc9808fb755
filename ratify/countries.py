"""States by ISO 3166-1, resolved from the names people actually type.

The ISO list comes from pycountry (ISO 3166-1, and ISO 3166-3 for former
states such as the USSR); ratify adds only the short names that ISO 3166
does not carry but news and treaty texts use every day, Kosovo under the
user-assigned code XKX, and the organisations depositaries list as
participants. Names match whatever their accents, apostrophes or case, and
the depositaries' inverted form "Bolivia (Plurinational State of)" too.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
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
    "republic of korea": "KOR",
    "state of palestine": "PSE",
    "turkiye": "TUR",
    # Earlier names of states that continue under a new one, as depositaries' pages of their time print them
    # (a 2016 UN Treaty Collection page still lists "The former Yugoslav Republic of Macedonia").
    "the former yugoslav republic of macedonia": "MKD",
    "former yugoslav republic of macedonia": "MKD",
    "libyan arab jamahiriya": "LBY",
    "byelorussian soviet socialist republic": "BLR",
    "ukrainian soviet socialist republic": "UKR",
    "western samoa": "WSM",
    "zaire": "COD",
    "democratic kampuchea": "KHM",
    "kampuchea": "KHM",
    "upper volta": "BFA",
    "dahomey": "BEN",
    "ceylon": "LKA",
    "khmer republic": "KHM",
    # Former states (ISO 3166-3), by the names treaty records use.
    "ussr": "SUN",
    "soviet union": "SUN",
    "yugoslavia": "YUG",
    "czechoslovakia": "CSK",
    "east germany": "DDR",
    "german democratic republic": "DDR",
    "serbia and montenegro": "SCG",
    "union of soviet socialist republics": "SUN",
    "socialist federal republic of yugoslavia": "YUG",
    "federal republic of yugoslavia": "YUG",
    "czech and slovak federal republic": "CSK",
    "democratic yemen": "YMD",  # united with the Yemen Arab Republic as Yemen in 1990
}

#: ISO 3166-3 names former states as "USSR, Union of Soviet Socialist Republics"; the record shows these.
FORMER_NAMES: dict[str, str] = {
    "SUN": "USSR",
    "YUG": "Yugoslavia",
    "CSK": "Czechoslovakia",
    "DDR": "German Democratic Republic",
    "SCG": "Serbia and Montenegro",
    "YMD": "Democratic Yemen",
}

#: Participants that ISO 3166 has no code for, under the codes the record uses.
#: XKX is the user-assigned code the European Commission and the IMF use for Kosovo.
EXTRA_STATES: dict[str, str] = {"XKX": "Kosovo"}
#: Organisations that take part in treaties as parties, by their usual code.
ORGANISATIONS: dict[str, str] = {"EU": "European Union", "EURATOM": "European Atomic Energy Community"}


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-3
    name: str  # common name where ISO gives one, else the short name


def is_known_code(code: str) -> bool:
    """An ISO 3166-1 alpha-3 code, current or historic, or one of EXTRA_STATES."""
    import pycountry

    return bool(
        code in EXTRA_STATES or pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code)
    )


def is_organisation(code: str) -> bool:
    return code in ORGANISATIONS


def _country(record) -> Country:
    name = FORMER_NAMES.get(record.alpha_3) or getattr(record, "common_name", None) or record.name
    return Country(record.alpha_3, name)


def resolve_country(text: str) -> Country:
    """Find the state (or listed organisation) a user means by code or name, whatever its accents or case."""
    query = " ".join(text.split())
    for form in (query, _uninverted(query), _unabbreviated(query)):
        found = _index().get(fold_text(form))
        if found is not None:
            return found
    close = difflib.get_close_matches(query.lower(), _known_names(), n=3, cutoff=0.6)
    hint = (
        "did you mean " + " or ".join(repr(_display(name)) for name in close) + "?"
        if close
        else "give an ISO 3166-1 code such as RUS or KP, or a country name"
    )
    raise NotFound(f"state: {query!r} is not a known country", hint)


def fold_text(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces: "Côte d’Ivoire" -> "cote d'ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("ʼ", "'"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def _uninverted(text: str) -> str:
    """The UN's "Bolivia (Plurinational State of)" read as "Plurinational State of Bolivia"."""
    match = re.fullmatch(r"(.+?)\s*\((.+ of(?: the)?)\)", text)
    return f"{match.group(2)} {match.group(1)}" if match else text


def _unabbreviated(text: str) -> str:
    """The UN's list forms spelt out: "St. Lucia" as "Saint Lucia", "Bahamas (The)" as "Bahamas"."""
    return re.sub(r"\s*\(the\)$", "", re.sub(r"^St\.\s*", "Saint ", text), flags=re.IGNORECASE)


@cache
def _index() -> dict[str, Country]:
    """Every folded code and name ratify accepts -> the country (or organisation) it names."""
    import pycountry

    index: dict[str, Country] = {}
    for records in (pycountry.historic_countries, pycountry.countries):  # current names win
        for record in records:
            country = _country(record)
            for attribute in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
                value = getattr(record, attribute, None)
                if value:
                    index[fold_text(value)] = country
    for code, name in {**EXTRA_STATES, **ORGANISATIONS}.items():
        index[fold_text(code)] = index[fold_text(name)] = Country(code, name)
    for alias, code in ALIASES.items():
        target = pycountry.countries.get(alpha_3=code) or pycountry.historic_countries.get(alpha_3=code)
        index[fold_text(alias)] = _country(target)
    return index


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
    for alias, code in ALIASES.items():
        if code not in FORMER_NAMES:  # a typo of a living state's name should not suggest a former one
            names.setdefault(alias, alias.title() if len(alias) > 4 else alias.upper())
    for name in (*EXTRA_STATES.values(), *ORGANISATIONS.values()):
        names[name.lower()] = name
    return names


def _display(lowered: str) -> str:
    return _known_names()[lowered]
