"""ratify status, pending, upcoming, history."""

from __future__ import annotations

from datetime import date, datetime

import click

from ratify.cli.completion import complete_party, complete_slug, complete_state
from ratify.cli.context import (
    ISO_DATE,
    STAGE_KINDS,
    Settings,
    as_of_option,
    deprecated_alias,
    known_on_option,
    pass_settings,
    transaction,
    using_tracker,
)
from ratify.cli.output import Counted, Table, choose_columns, echo_line, emit, format_option
from ratify.limits import MAX_AHEAD_DAYS, MAX_INT, MAX_WAIT_DAYS
from ratify.vocab import StageKind

# Each table: the columns shown where they fit, the compact ones that fit 80 columns, the --wide ones.
STATUS_TABLE = Table(
    full=("treaty", "party", "state", "progress", "stage_date", "waiting_days"),
    compact=("treaty", "party", "progress"),
    wide=("treaty", "party", "party_name", "state", "progress", "stage_date", "next_scheduled", "next_expected_by")
    + ("waiting_days", "deposited_on", "in_force_on"),
)
PENDING_TABLE = Table(
    full=("treaty", "party", "state", "progress", "last_step", "waiting_days"),
    compact=("treaty", "party", "progress", "waiting_days"),
    wide=("treaty", "party", "party_name", "state", "progress", "next_scheduled", "next_expected_by", "last_step")
    + ("waiting_days",),
)
HISTORY_TABLE = Table(
    full=("id", "date", "party", "stage", "kind", "status", "reading", "yes", "no", "consent", "effective", "source"),
    compact=("id", "date", "party", "stage", "status", "yes", "no"),
    wide=("id", "date", "party", "stage", "kind", "body", "status", "reading", "yes", "no", "abstain", "not_voting")
    + ("consent", "effective", "against", "source", "note", "recorded_at", "recorded_by"),
)
UPCOMING_TABLE = Table(
    full=("date", "what", "treaty", "party", "stage_body", "detail"),
    compact=("date", "what", "treaty", "party"),
    wide=("date", "what", "treaty", "party", "party_name", "stage", "stage_body", "detail"),
)
VERSIONS_TABLE = Table(
    full=("id", "version", "date", "party", "stage", "kind", "status", "yes", "no", "action", "reason"),
    compact=("id", "version", "date", "party", "stage", "action", "reason"),
    wide=("id", "version", "date", "party", "stage", "kind", "status", "yes", "no", "source", "recorded_at")
    + ("recorded_by", "superseded_at", "superseded_by", "action", "reason"),
)


#: `--party` on every report that takes it: several may be given, each a code or a name.
_parties_option = click.option(
    "--party",
    "parties",
    multiple=True,
    metavar="STATE",
    shell_complete=complete_party,
    help="Only this party (code or name); repeatable.",
)

@click.command()
@click.argument("slug", required=False, shell_complete=complete_slug)
@_parties_option
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
@click.argument("slug", required=False, shell_complete=complete_slug)
@click.option(
    "--treaty",
    "treaty_option",
    metavar="SLUG",
    hidden=True,
    shell_complete=complete_slug,
    callback=deprecated_alias("--treaty SLUG", "the SLUG argument, as on status"),
)
@_parties_option
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
    treaty_option: str | None,
    parties: tuple[str, ...],
    stage_kind: str | None,
    older_than: int | None,
    as_of: date | None,
    known_on: datetime | None,
    limit: int | None,
    fmt: str,
) -> None:
    """Parties for which nothing is settled yet, the longest wait first.

    \b
    Examples:
      ratify pending --stage upper_house --older-than 30
      ratify pending tpnw-2017 --as-of 2020-10-24
    """
    import contextlib

    from ratify.reports.rows import STATUS_FIELDS, Filters, pending_rows
    from ratify.store.lookup import get_treaty, party_code

    if slug and treaty_option and slug != treaty_option:
        raise click.UsageError(f"pending names two treaties, {slug!r} and {treaty_option!r} (give one SLUG)")
    slug = slug or treaty_option
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

    groups = group_by_wait(rows)
    columns = choose_columns([row for _, members in groups for row in members], PENDING_TABLE, fmt)
    for group, members in groups:
        longest = members[0]["waiting_days"]
        since = f", the longest {longest} day{'s' if longest != 1 else ''}" if longest is not None else ""
        parties = f"{len(members)} part{'y' if len(members) == 1 else 'ies'}"
        echo_line(f"Waiting for {group}: {parties}{since}", fmt)
        emit(members, fmt, STATUS_FIELDS, columns)
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
@click.option(
    "--as-of",
    type=ISO_DATE,
    default=None,
    metavar="DATE",
    help="Only steps and acts dated on or before DATE (YYYY-MM-DD); default all.",
)
@format_option
@pass_settings
def history(settings: Settings, slug: str, state: str | None, all_versions: bool, as_of: date | None, fmt: str) -> None:
    """Every recorded step and act of a treaty (or one party), with its id, votes and sources.

    The id (e17 an event, a3 an act) is what 'ratify correct' and 'ratify
    retract' take. With --all, earlier versions are listed with who replaced
    them, when and why.

    \b
    Examples:
      ratify history rus-prk-2024 RUS
      ratify history rus-prk-2024 --all
    """
    from ratify.reports.dossier import HISTORY_FIELDS

    with using_tracker(settings) as tracker:
        rows = tracker.history(slug, state, as_of=as_of, all_versions=all_versions)
    emit(rows, fmt, HISTORY_FIELDS, VERSIONS_TABLE if all_versions else HISTORY_TABLE)


@click.command()
@click.option(
    "--days",
    type=click.IntRange(min=0, max=MAX_AHEAD_DAYS),
    default=30,
    show_default=True,
    help="How far ahead to look, from today (or --as-of).",
)
@click.option(
    "--as-of",
    type=ISO_DATE,
    default=None,
    metavar="DATE",
    help="Look ahead from DATE (YYYY-MM-DD), as the record stood then; default today.",
)
@format_option
@pass_settings
def upcoming(settings: Settings, days: int, as_of: date | None, fmt: str) -> None:
    """What comes next: announced sittings, expected steps with a date, entries into force.

    Soonest first, from today to DAYS days ahead; entries into force are the
    treaty's and, where a later party's date differs, that party's.

    \b
    Examples:
      ratify upcoming
      ratify upcoming --days 90 --format csv
      ratify upcoming --as-of 2024-10-01 --days 60
    """
    from ratify.reports.upcoming import UPCOMING_FIELDS

    with using_tracker(settings) as tracker:
        rows = tracker.upcoming(days=days, as_of=as_of)
    if not rows:
        click.echo(f"Nothing dated in the next {days} days.", err=True)
    emit(rows, fmt, UPCOMING_FIELDS, UPCOMING_TABLE)
