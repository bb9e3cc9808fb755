"""ratify import untc: a depositary's status table into the record, and again to keep it in sync."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ratify.cli.context import Settings, pass_settings, rehearsed, translated_errors
from ratify.cli.data import progress_bar
from ratify.cli.output import emit, format_option
from ratify.depositary.fetch import is_url, read_source, url_problem

if TYPE_CHECKING:
    from ratify.depositary.page import StatusPage
    from ratify.depositary.plan import Plan

CHANGE_FIELDS = ("state", "name", "what", "old", "new", "applied", "fact")
CHANGE_TABLE = ("state", "name", "what", "old", "new")


class SourceType(click.ParamType):
    """A saved page's path or an http(s) URL; an address that cannot be asked for is a usage error."""

    name = "SOURCE"
    names_a_file = True  # a saved page's name may be any bytes

    def convert(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if is_url(value):
            problem = url_problem(value)
            if problem is not None:
                self.fail(f"{value!r} is not a valid URL ({problem})", param, ctx)
        return value


@click.command(name="untc")
@click.argument("source", metavar="SOURCE", type=SourceType())
@click.option(
    "--treaty", "slug", metavar="SLUG", help="The treaty to create or refresh [default: found by its MTDSG number]."
)
@click.option("--dry-run", is_flag=True, help="Print what would change and write nothing.")
@format_option
@pass_settings
def import_untc(settings: Settings, source: str, slug: str | None, dry_run: bool, fmt: str) -> None:
    """Import a UN Treaty Collection status page (MTDSG 'ViewDetails'): a saved file or its URL.

    Signatures (a succession to signature kept as such), instruments of every kind a
    column's heading defines (ratification, acceptance, approval, accession, succession,
    definitive signature, formal confirmation, consent to be bound), provisional
    application and withdrawals are read; a row in square brackets is a participation
    that ended, dated from its footnotes where they state it, else "on or before" the
    page's status date. Every participant's name is resolved and the rows counted
    against the page's own header; anything that does not fit stops the import with
    nothing written. --dry-run is the import rolled back: every check is made. Importing a later
    page of the same treaty records each changed date as a correction (the old version
    kept) and adds what is new; domestic stages, votes and notes are never touched, and
    a participant missing from the page is reported, not removed.

    \b
    Examples:
      ratify import untc ~/Downloads/XXVI-8.html
      ratify import untc "https://treaties.un.org/Pages/ViewDetails.aspx?src=TREATY&mtdsg_no=XXVI-8&chapter=26&clang=_en"
      ratify import untc XXVI-8.html --dry-run
    """
    from ratify.depositary.endings import unknown_ends
    from ratify.depositary.plan import plan_import, withdrawal_rule
    from ratify.depositary.sync import apply_plan
    from ratify.depositary.untc import read_status_page

    with translated_errors():
        page = read_status_page(read_source(source), url=source if is_url(source) else None, origin=source)
    # A dry run is the import itself, rolled back at the end: every check the real one makes, it makes.
    with rehearsed(settings, dry_run=dry_run) as session:
        plan = plan_import(session, page, slug=slug, origin=source)
        rule = plan.treaty.rule if plan.treaty is not None else None
        undated = unknown_ends(page, withdrawal_rule(plan.treaty))
        if dry_run:
            apply_plan(session, plan)
        else:
            with progress_bar(len(plan.applied), "Importing") as bar:
                apply_plan(session, plan, progress=bar.update)
    shown = plan.changes if dry_run or plan.treaty is not None else []
    if shown:
        emit(({**vars(change)} for change in shown), fmt, CHANGE_FIELDS, CHANGE_TABLE)
    click.echo(_summary(plan, dry_run=dry_run, has_rule=rule is not None, undated=undated), err=True)


def _summary(plan: Plan, *, dry_run: bool, has_rule: bool, undated: list[str]) -> str:
    """One line: "SLUG (UN Treaty Collection XXVI-8): 130 signatories, 117 parties as at DATE; ..." """
    page = plan.page
    counts = f"{page.signatories} signatories, " if page.signatories is not None else ""
    head = f"{plan.slug} ({page.label}): {counts}{page.parties} parties as at {page.as_at}"
    if plan.treaty is None:
        done = f"{'would record' if dry_run else 'recorded'} {len(page.participants)} participants"
        if page.in_force_on:
            rule = (
                f"in force from {page.in_force_on} as published; no entry-into-force rule yet, so a later party's "
                "date of effect stays empty (add one with 'ratify treaty rule')"
            )
        else:
            rule = "no entry-into-force rule yet: computed dates stay empty (add one with 'ratify treaty rule')"
        tail = f"{done}; {rule}"
    else:
        parts = [
            _count(plan.count("new participant"), "new participant"),
            _count(plan.count("instrument") + plan.count("consent"), "instrument change"),
            _count(sum(plan.count(w) for w in ("signature", "provisional application", "withdrawal")), "date change"),
            _count(
                sum(
                    plan.count(w)
                    for w in ("depositary note", "status as at", "entry into force", "published entry into force")
                ),
                "depositary detail updated",
                "depositary details updated",
            ),
            _count(
                sum(1 for c in plan.changes if not c.applied),
                "difference reported, not applied",
                "differences reported, not applied",
            ),
        ]
        tail = "; ".join(p for p in parts if p) or "nothing changed"
        if not has_rule:
            tail += "; no entry-into-force rule recorded"
    tail += _endings(page, undated)
    if dry_run:
        tail += " (dry run: nothing written)"
    return f"{head}; {tail}."


def _endings(page: StatusPage, undated: list[str]) -> str:
    """What the summary says of rows in square brackets: how many ended, and whose end the page leaves undated."""
    ended = sum(1 for p in page.participants if p.ended)
    if not ended:
        return ""
    text = f"; {_count(ended, 'participation', 'participations')} ended (in square brackets), out of both counts"
    if undated:
        text += (
            f"; the page does not fully date the end of {', '.join(undated)}: what it leaves unsaid is recorded as "
            f"on or before {page.as_at}, the page's status date (each withdrawal's note says what)"
        )
    return text


def _count(number: int, one: str, many: str | None = None) -> str:
    if not number:
        return ""
    return f"{number} {one if number == 1 else (many or one + 's')}"

