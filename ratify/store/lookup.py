"""Finding treaties and parties by what users type: slugs, codes, names.

Kept apart from the write API so that read-only commands import only this.
"""

from __future__ import annotations

from collections.abc import Container

from sqlmodel import Session, col, select

from ratify.countries import resolve_country
from ratify.errors import InvalidInput, NotFound
from ratify.store.models import Party, Treaty


def get_treaty(session: Session, slug: str) -> Treaty:
    treaty = session.exec(select(Treaty).where(Treaty.slug == slug)).first()
    if treaty is None:
        near = closest_slugs(session, slug)
        hint = f"did you mean {' or '.join(near)}?" if near else "see 'ratify treaty list --search WORDS'"
        raise NotFound(f"treaty: no treaty {slug!r}", hint)
    return treaty


#: How many slugs a typo is compared with at most: enough for any real collection, bounded for a huge one.
_SUGGESTION_POOL = 20_000


def closest_slugs(session: Session, typed: str, count: int = 3) -> list[str]:
    """The recorded slugs nearest a mistyped one, nearest first (only on the error path)."""
    import difflib

    typed = typed.strip().lower()
    if not typed:
        return []
    # Slugs that start like the typed one first (an index range scan), then any others.
    pool = list(session.exec(select(Treaty.slug).where(col(Treaty.slug).startswith(typed[:2])).limit(_SUGGESTION_POOL)))
    if len(pool) < count:
        pool += list(session.exec(select(Treaty.slug).limit(_SUGGESTION_POOL)))
    return difflib.get_close_matches(typed, dict.fromkeys(pool), n=count, cutoff=0.6)


def resolve_party_code(state: str, organisation: str | None = None) -> tuple[str, str]:
    """(code, name) of a state, or of an organisation registered explicitly."""
    if organisation:
        code = state.strip().upper()
        if not code.isalnum() or len(code) > 16:
            raise InvalidInput(f"state: {state!r} is not a usable organisation code", "use letters and digits, e.g. EU")
        return code, organisation
    country = resolve_country(state)
    return country.code, country.name


def party_code(session: Session, text: str) -> str:
    """The code a user means: a recorded party's code (organisations too), else a country's."""
    code = text.strip().upper()
    if session.exec(select(Party.id).where(Party.state == code).limit(1)).first() is not None:
        return code
    return resolve_country(text).code


def code_among(codes: Container[str], slug: str, state: str) -> str:
    """get_party over the codes of a treaty's parties held in memory: the recorded code `state` names."""
    code = state.strip().upper()
    if code in codes:
        return code
    code = resolve_country(state).code
    if code not in codes:
        raise NotFound(f"party: {code} is not a party to {slug}", f"add it with 'ratify party add {slug} {code}'")
    return code


def get_party(session: Session, treaty: Treaty, state: str) -> Party:
    code = state.strip().upper()
    party = session.exec(select(Party).where(Party.treaty_id == treaty.id, Party.state == code)).first()
    if party is None:
        code = resolve_country(state).code
        party = session.exec(select(Party).where(Party.treaty_id == treaty.id, Party.state == code)).first()
    if party is None:
        raise NotFound(
            f"party: {code} is not a party to {treaty.slug}", f"add it with 'ratify party add {treaty.slug} {code}'"
        )
    return party
