"""ratify status, pending, upcoming, history."""

from __future__ import annotations

from datetime import date, datetime

import click

from ratify.cli.completion import complete_slug, complete_state
from ratify.cli.context import STAGE_KINDS, Settings, as_of_option, known_on_option, pass_settings, transaction
from ratify.cli.output import Counted, echo_line, emit, format_option
from ratify.limits import MAX_AHEAD_DAYS, MAX_INT, MAX_WAIT_DAYS

STATUS_TABLE = ("treaty", "party", "state", "progress", "stage_date", "waiting_days")
PENDING_TABLE = ("treaty", "party", "state", "progress", "last_step", "waiting_days")
HISTORY_TABLE = (
    "id",
    "date",
    "party",
    "stage",
    "kind",
    "status",
    "reading",
    "yes",
    "no",
    "consent",
    "effective",
    "source",
)
UPCOMING_TABLE = ("date", "what", "treaty", "party", "stage_body", "detail")
VERSIONS_TABLE = ("id", "version", "date", "party", "stage", "kind", "status", "yes", "no", "action", "reason")


@click.command()
@click.argument("slug", required=False, shell_complete=complete_slug)
@click.option("--party", "parties", multiple=True, metavar="STATE", help="Only this party (code or name); repeatable.")
@as_of_option
@known_on_option
@click.option("--limit", type=click.IntRange(min=1, max=MAX_INT), help="At most N rows.")
@format_option
@pass_settings
def status(
    settings: Settings,
    slug: str | None,
    parties: tuple[str, ...],
    as_of: date | None,
    known_on: datetime | None,
    limit: int | None,
    fmt: str,
) -> None:
    """Where each party stands: one row per treaty and party.

    \b
    Examples:
      ratify status rus-prk-2024 --as-of 2024-10-25
      ratify status rus-prk-2024 --known-on 2024-11-01T12:00Z
    """
    import contextlib
    import itertools

    from ratify.reports.rows import STATUS_FIELDS, Filters, status_rows
    from ratify.store.lookup import get_treaty, party_code

    today = date.today()
    with transaction(settings) as session:
        if slug:
            get_treaty(session, slug)
        filters = Filters(slug=slug, parties=tuple(party_code(session, party) for party in parties))
        # Closed before the transaction ends: --limit may stop a stream that is still open.
        rows = status_rows(session, filters, as_of or today, today=today, known_on=known_on)
        with contextlib.closing(rows):
            shown = Counted(itertools.islice(rows, limit))
            emit(shown, fmt, STATUS_FIELDS, STATUS_TABLE)
    if not shown.count:
        click.echo("No parties recorded yet." if not (slug or parties) else "No party matches.", err=True)


@click.command()
@click.option("--treaty", "slug", metavar="SLUG", help="Only this treaty.")
@click.option("--party", "parties", multiple=True, metavar="STATE", help="Only this party (code or name); repeatable.")
@click.option(
    "--stage", "stage_kind", type=click.Choice(STAGE_KINDS), help="Only parties whose next stage is of this kind."
)
@click.option(
    "--older-than",
    type=click.IntRange(min=0, max=MAX_WAIT_DAYS),
    metavar="DAYS",
    help="Only parties waiting at least DAYS days.",
)
@as_of_option
@known_on_option
@click.option("--limit", type=click.IntRange(min=1, max=MAX_INT), help="At most N rows.")
@format_option
@pass_settings
def pending(
    settings: Settings,
    slug: str | None,
    parties: tuple[str, ...],
    stage_kind: str | None,
    older_than: int | None,
    as_of: date | None,
    known_on: datetime | None,
    limit: int | None,
    fmt: str,
) -> None:
    """Parties for which nothing is settled yet, the longest wait first.

    Example: ratify pending --stage upper_house --older-than 30
    """
    import contextlib

    from ratify.reports.rows import STATUS_FIELDS, Filters, pending_rows
    from ratify.store.lookup import get_treaty, party_code
    from ratify.vocab import StageKind

    today = date.today()
    with transaction(settings) as session:
        if slug:
            get_treaty(session, slug)
        filters = Filters(
            slug=slug,
            parties=tuple(party_code(session, party) for party in parties),
            stage_kind=StageKind(stage_kind) if stage_kind else None,
            older_than=older_than,
        )
        found = pending_rows(session, filters, as_of or today, today=today, limit=limit, known_on=known_on)
        with contextlib.closing(found):  # before the transaction ends: a reader may stop early (| head)
            rows = Counted(found)
            if fmt in ("csv", "json", "ndjson"):
                emit(rows, fmt, STATUS_FIELDS, PENDING_TABLE)
            else:
                _pending_tables(rows, fmt)
    if not rows.count:
        click.echo("No pending parties.", err=True)


def _pending_tables(rows, fmt: str) -> None:
    """One table per next stage, each under a line saying how many wait and for how long."""
    from ratify.reports.rows import STATUS_FIELDS

    for group, members in group_by_wait(rows):
        longest = members[0]["waiting_days"]
        since = f", the longest {longest} day{'s' if longest != 1 else ''}" if longest is not None else ""
        parties = f"{len(members)} part{'y' if len(members) == 1 else 'ies'}"
        echo_line(f"Waiting for {group}: {parties}{since}", fmt)
        emit(members, fmt, STATUS_FIELDS, PENDING_TABLE)
        click.echo()


def group_by_wait(rows) -> list[tuple[str, list[dict]]]:
    """Rows grouped by what they wait for; groups in order of their longest wait."""
    groups: dict[str, list[dict]] = {}
    for row in rows:
        groups.setdefault(row["waiting_for"] or "nothing recorded", []).append(row)
    return list(groups.items())


@click.command()
@click.argument("slug", shell_complete=complete_slug)
@click.argument("state", required=False, shell_complete=complete_state)
@click.option("--all", "all_versions", is_flag=True, help="Every version: corrected, retracted and removed ones too.")
@format_option
@pass_settings
def history(settings: Settings, slug: str, state: str | None, all_versions: bool, fmt: str) -> None:
    """Every recorded step and act of a treaty (or one party), with its id, votes and sources.

    The id (e17 an event, a3 an act) is what 'ratify correct' and 'ratify
    retract' take. With --all, earlier versions are listed with who replaced
    them, when and why.

    \b
    Examples:
      ratify history rus-prk-2024 RUS
      ratify history rus-prk-2024 --all
    """
    from ratify.reports.dossier import HISTORY_FIELDS, history_rows
    from ratify.store.lookup import get_party, get_treaty

    with transaction(settings) as session:
        code = None
        if state:
            code = get_party(session, get_treaty(session, slug), state).state
        rows = history_rows(session, slug, code, all_versions=all_versions)
        emit(rows, fmt, HISTORY_FIELDS, VERSIONS_TABLE if all_versions else HISTORY_TABLE)


@click.command()
@click.option(
    "--days",
    type=click.IntRange(min=0, max=MAX_AHEAD_DAYS),
    default=30,
    show_default=True,
    help="How far ahead to look, from today.",
)
@format_option
@pass_settings
def upcoming(settings: Settings, days: int, fmt: str) -> None:
    """What comes next: announced sittings, expected steps with a date, entries into force.

    Soonest first, from today to DAYS days ahead; entries into force are the
    treaty's and, where a later party's date differs, that party's.

    \b
    Examples:
      ratify upcoming
      ratify upcoming --days 90 --format csv
    """
    from ratify.reports.upcoming import UPCOMING_FIELDS, upcoming_rows

    with transaction(settings) as session:
        rows = upcoming_rows(session, date.today(), days)
    if not rows:
        click.echo(f"Nothing dated in the next {days} days.", err=True)
    emit(rows, fmt, UPCOMING_FIELDS, UPCOMING_TABLE)


COMMANDS = (status, pending, upcoming, history)
