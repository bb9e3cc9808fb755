"""Shell completion of what only the database knows: treaty slugs, a treaty's parties, a party's stages.

Click completes commands, options, choices and file names itself; these
functions run only when a shell asks (`_RATIFY_COMPLETE=...`), never on an
ordinary command, so start-up does not pay for them. A completion that
cannot open the database offers nothing rather than an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from click.shell_completion import CompletionItem

from ratify.cli.context import Settings


@contextmanager
def _session(ctx: click.Context) -> Iterator[Any]:
    settings = ctx.find_object(Settings) or Settings(ctx.find_root().params.get("location"))
    database = settings.database()
    try:
        with database.transaction() as session:
            yield session
    finally:
        database.close()


def _quietly(find: Callable[[click.Context, Any, str], list[str]]):
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        try:
            with _session(ctx) as session:
                return [CompletionItem(value) for value in find(ctx, session, incomplete)]
        except Exception:  # noqa: BLE001 - a shell asking for suggestions must never see a traceback
            return []

    return complete


@_quietly
def complete_slug(ctx: click.Context, session: Any, incomplete: str) -> list[str]:
    from sqlmodel import col, select

    from ratify.store.models import Treaty

    query = select(Treaty.slug).where(col(Treaty.slug).startswith(incomplete)).order_by(Treaty.slug).limit(200)
    return list(session.exec(query))


@_quietly
def complete_state(ctx: click.Context, session: Any, incomplete: str) -> list[str]:
    from sqlmodel import col, select

    from ratify.store.models import Party, Treaty

    slug = ctx.params.get("slug")
    query = select(Party.state).join(Treaty, col(Treaty.id) == col(Party.treaty_id)).where(Treaty.slug == slug)
    return [code for code in session.exec(query.order_by(Party.state)) if code.startswith(incomplete.upper())]


@_quietly
def complete_stage(ctx: click.Context, session: Any, incomplete: str) -> list[str]:
    from ratify.record.procedures import stages_of
    from ratify.store.lookup import get_party, get_treaty

    party = get_party(session, get_treaty(session, ctx.params["slug"]), ctx.params["state"])
    return [stage.key for stage in stages_of(session, party.procedure_id) if stage.key.startswith(incomplete)]


@_quietly
def complete_party(ctx: click.Context, session: Any, incomplete: str) -> list[str]:
    """--party: the parties of the treaty named before it, else of every treaty."""
    from sqlmodel import col, select

    from ratify.store.models import Party, Treaty

    query = select(Party.state).distinct()
    slug = ctx.params.get("slug")
    if slug:
        query = query.join(Treaty, col(Treaty.id) == col(Party.treaty_id)).where(Treaty.slug == slug)
    query = query.where(col(Party.state).startswith(incomplete.upper())).order_by(Party.state).limit(300)
    return list(session.exec(query))
