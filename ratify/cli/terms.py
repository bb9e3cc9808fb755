"""ratify treaty rule | in-force | terminate | chart: a treaty's international terms and its chart."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ratify.cli.completion import complete_slug
from ratify.cli.context import (
    CONSENT_TYPES,
    ISO_DATE,
    Settings,
    as_of_option,
    pass_settings,
    transaction,
    translated_errors,
)
from ratify.cli.output import echo_line, emit, format_option


@click.command("rule")
@click.argument("slug", shell_complete=complete_slug)
@click.option(
    "--kind", type=click.Choice(["exchange", "notifications", "count", "all_of"]), help="The form of the rule."
)
@click.option("--parties", type=click.IntRange(min=1), help="count: how many instruments.")
@click.option(
    "--parties-of-parent-as-of",
    "parent_as_of",
    type=ISO_DATE,
    metavar="DATE",
    help="all_of: every party of the parent treaty on DATE must consent (an accession protocol).",
)
@click.option("--types", "types", multiple=True, type=click.Choice(CONSENT_TYPES), help="count: types that count.")
@click.option("--days", type=click.IntRange(min=0), default=0, help="'N days after' the event ('ninetieth day': 90).")
@click.option("--months", type=click.IntRange(min=0), default=0, help="'N months after' the event.")
@click.option(
    "--first-of-following-month",
    "--first-of-month",
    "first_of_month",
    is_flag=True,
    help="After --days/--months, 'the first day of the month following' (Council of Europe: --months 3). "
    "--first-of-month is the earlier spelling.",
)
@click.option(
    "--first-day-of-month",
    "first_day_of_month",
    type=click.IntRange(min=1),
    metavar="N",
    help="'On the first day of the Nth month after the month in which' the event took place (alone).",
)
@click.option("--not-before", type=ISO_DATE, help="Never in force before this date.")
@click.option("--later-days", type=click.IntRange(min=0), help="For a later party: days after its own instrument.")
@click.option("--later-months", type=click.IntRange(min=0), help="For a later party: months after its own instrument.")
@click.option(
    "--later-first-day-of-month",
    type=click.IntRange(min=1),
    metavar="N",
    help="For a later party: the first day of the Nth month after the month of its own instrument.",
)
@click.option(
    "--later-from",
    type=click.Choice(["rule_met", "entry_into_force"]),
    default="rule_met",
    show_default=True,
    help="Whose instrument counts as later: one deposited after the rule was met, or after entry into force.",
)
@click.option("--article", help="The treaty's article that sets the rule.")
@click.option("--source", metavar="URL", help="Where the rule is published.")
@click.option(
    "--from-file",
    "from_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A YAML or JSON rule, with its groups and weight tables (see docs/fixtures.md).",
)
@click.option(
    "--withdrawal-months", type=click.IntRange(min=0), help="A withdrawal takes effect N months after notice."
)
@click.option("--withdrawal-first-of-month", is_flag=True, help="...then on the first day of the following month.")
@pass_settings
def treaty_rule(
    settings: Settings,
    slug: str,
    kind: str | None,
    parties: int | None,
    parent_as_of: date | None,
    types: tuple[str, ...],
    days: int,
    months: int,
    first_of_month: bool,
    first_day_of_month: int | None,
    not_before: date | None,
    later_days: int | None,
    later_months: int | None,
    later_first_day_of_month: int | None,
    later_from: str,
    article: str | None,
    source: str | None,
    from_file: Path | None,
    withdrawal_months: int | None,
    withdrawal_first_of_month: bool,
) -> None:
    """Give a treaty its entry-into-force rule (and withdrawal rule); status is recomputed.

    Write the period as the treaty words it. The kinds, each with a real treaty:

    \b
    exchange       on the exchange of instruments (a bilateral treaty's default)
                   rus-prk-2024, Art. 22: "on the day of the exchange" (no options)
    notifications  once every party has notified that its procedures are complete
                   fin-can-youth-mobility-2023: "the first day of the second month after the
                   later notification": --kind notifications --first-day-of-month 2
    count          the Nth instrument, of the types that count
                   ATT, Art. 22: "ninetieth day following the date of deposit of the fiftieth
                   instrument of ratification, acceptance or approval": --kind count --parties 50
                   --types ratification --types acceptance --types approval --days 90
                   Cluster Munitions, Art. 17: "the first day of the sixth month after the month in
                   which the thirtieth instrument ... has been deposited": --parties 30
                   --first-day-of-month 6 --later-first-day-of-month 6
                   Cybercrime (CETS 185), Art. 36: "the first day of the month following the
                   expiration of a period of three months after": --months 3
                   --first-of-following-month (five states, three of them members: --from-file)
    all_of         every member of a group; an accession protocol: every party of the parent
                   treaty on the day it was signed: --kind all_of --parties-of-parent-as-of DATE
    any_of         the earliest of alternatives (--from-file)

    \b
    Examples:
      ratify treaty rule att-2013 --kind count --parties 50 --types ratification \\
        --types acceptance --types approval --days 90 --later-from entry_into_force \\
        --article "Art. 22"
      ratify treaty rule ccm-2008 --kind count --parties 30 --first-day-of-month 6 \\
        --later-first-day-of-month 6 --article "Art. 17"
      ratify treaty rule cets-185 --from-file budapest-rule.yaml
      ratify treaty rule nato-fin-2022 --kind all_of --parties-of-parent-as-of 2022-07-05
    """
    from ratify.exchange.loader import read_rule
    from ratify.record.tracker import set_rule
    from ratify.rules.spec import Delay, Rule, WithdrawalRule

    with translated_errors():
        rule = None
        kind = kind or ("all_of" if parent_as_of else None)
        if from_file is not None:
            rule = read_rule(from_file)
        elif kind is not None:
            if (parent_as_of is not None) != (kind == "all_of"):
                raise click.UsageError("--kind all_of takes --parties-of-parent-as-of DATE (other groups: --from-file)")
            groups = {"parent_parties": {"parties_of_parent": {"as_of": parent_as_of}}} if parent_as_of else {}
            if first_day_of_month is not None and (days or months or first_of_month):
                raise click.UsageError(
                    "--first-day-of-month counts months from the event's month and stands alone "
                    "(drop --days, --months and --first-of-following-month)"
                )
            delay = Delay(
                days=days,
                months=months,
                first_of_following_month=first_of_month,
                first_day_of_month=first_day_of_month,
            )
            later = None
            if (later_days, later_months, later_first_day_of_month) != (None, None, None):
                later = Delay(
                    days=later_days or 0, months=later_months or 0, first_day_of_month=later_first_day_of_month
                )
            rule = Rule(
                kind=kind,
                parties=parties,
                group="parent_parties" if parent_as_of else None,
                groups=groups,
                types=list(types) or None,
                delay=delay,
                not_before=not_before,
                later=later,
                later_from=later_from,
                article=article,
                source=source,
            )
        withdrawal = None
        if withdrawal_months is not None:
            withdrawal = WithdrawalRule(
                delay=Delay(months=withdrawal_months, first_of_following_month=withdrawal_first_of_month)
            )
        if rule is None and withdrawal is None:
            raise click.UsageError("give --kind (with its options), --from-file, or --withdrawal-months")
    with transaction(settings, write=True) as session:
        record = set_rule(session, slug, rule, withdrawal)
        from ratify.reports.dossier import treaty_view

        today = date.today()
        view = treaty_view(session, record.slug, today, today=today)
    if view.evaluation:
        echo_line(view.evaluation.words)
    echo_line(view.entry_into_force)


@click.command("in-force")
@click.argument("slug", shell_complete=complete_slug)
@click.option("--date", "day", type=ISO_DATE, help="The day the treaty entered into force, as published (YYYY-MM-DD).")
@click.option("--source", metavar="URL", help="Where it is published: the depositary, a gazette, a ministry.")
@click.option("--clear", is_flag=True, help="Take back the published date recorded (a version is kept).")
@click.option("--reason", help="Why, when it replaces or takes back a recorded date.")
@pass_settings
def treaty_in_force(
    settings: Settings, slug: str, day: date | None, source: str | None, clear: bool, reason: str | None
) -> None:
    """Record a treaty's entry into force as published, with its source.

    ratify computes entry into force from the instruments recorded and the
    treaty's rule. Where those do not settle it (no rule, or not every
    instrument recorded: an accession protocol that needs every member, an
    agreement whose other parties you do not follow), status uses the
    published date: each party with an instrument deposited by then is in
    force from it. Where both exist and differ, status, 'treaty show' and the
    web view show both and say so; neither is preferred silently.

    \b
    Examples:
      ratify treaty in-force north-atlantic-treaty-romania-2003 --date 2004-02-27 \\
          --source "https://wetten.overheid.nl/BWBV0001632"
      ratify treaty in-force att-2013 --clear --reason "entered by mistake"
    """
    from ratify.record.inputs import PublishedDate
    from ratify.record.tracker import set_published_in_force

    if clear == (day is not None):
        raise click.UsageError("give --date DATE with --source, or --clear")
    with translated_errors():
        published = None if clear else PublishedDate(date=day, source=source)
    with transaction(settings, write=True) as session:
        record = set_published_in_force(session, slug, published, reason=reason or "published entry into force")
        from ratify.reports.dossier import treaty_view

        today = date.today()
        view = treaty_view(session, record.slug, today, today=today)
    echo_line(view.entry_into_force)


@click.command("terminate")
@click.argument("slug", shell_complete=complete_slug)
@click.option("--date", "day", type=ISO_DATE, help="The day the treaty ended.")
@click.option(
    "--by", "superseded_by", metavar="SLUG", help="The later treaty that superseded it (ends on its entry into force)."
)
@click.option("--source", metavar="URL", help="Where the termination is published.")
@pass_settings
def treaty_terminate(
    settings: Settings, slug: str, day: date | None, superseded_by: str | None, source: str | None
) -> None:
    """Record that a treaty ended, on a date or when a later treaty entered into force.

    Example: ratify treaty terminate rus-prk-2000 --by rus-prk-2024 --source https://...
    """
    from ratify.record.tracker import terminate

    with transaction(settings, write=True) as session:
        record = terminate(session, slug, on=day, superseded_by=superseded_by, source=source)
        ended = record.terminated_on
        if ended is None and superseded_by:
            from ratify.store.lookup import get_treaty

            ended = get_treaty(session, superseded_by).in_force_on
    when = f"on {ended}" if ended else f"when {superseded_by} enters into force"
    click.echo(f"{slug} ends {when}.", err=True)


@click.command("chart")
@click.argument("slug", shell_complete=complete_slug)
@as_of_option
@format_option
@pass_settings
def treaty_chart(settings: Settings, slug: str, as_of: date | None, fmt: str) -> None:
    """The depositary's chart: signature, consent (a, A, AA, d, s), entry into force, notes.

    Example: ratify treaty chart att-2013 --as-of 2014-12-31
    """
    from ratify.reports.dossier import CHART_FIELDS, chart

    today = date.today()
    with transaction(settings) as session:
        result = chart(session, slug, as_of or today, today=today)
    emit(result.rows, fmt, CHART_FIELDS, CHART_FIELDS[:-1])  # the table flags a differing date in its notes
    if fmt not in ("json", "ndjson", "csv"):
        echo_line(result.totals, fmt)

