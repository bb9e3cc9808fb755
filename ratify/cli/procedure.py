"""ratify procedure list | show."""

from __future__ import annotations

import click

from ratify.cli.context import Settings, pass_settings, transaction
from ratify.cli.output import echo_line, emit, format_option

STAGE_FIELDS = (
    "step",
    "key",
    "kind",
    "body",
    "seats",
    "threshold",
    "quorum",
    "readings",
    "optional",
    "consultative",
    "min_yes",
    "not_voting",
    "source",
)


@click.group()
def procedure() -> None:
    """Domestic procedure templates."""


@procedure.command("list")
@format_option
@pass_settings
def procedure_list(settings: Settings, fmt: str) -> None:
    """List the procedure templates and their stages.

    Example: ratify procedure list
    """
    from ratify.record.procedures import list_procedures

    with transaction(settings) as session:
        rows = [
            {"id": p.id, "country": p.country, "name": p.name, "stages": " > ".join(s.key for s in stages)}
            for p, stages in list_procedures(session)
        ]
    emit(rows, fmt, ("id", "country", "name", "stages"))


@procedure.command("show")
@click.argument("template")
@format_option
@pass_settings
def procedure_show(settings: Settings, template: str, fmt: str) -> None:
    """Show a template's stages: TEMPLATE is its id or a state (RUS, Russia, default).

    Example: ratify procedure show "South Korea"
    """
    from ratify.record.procedures import procedure_with_stages

    with transaction(settings) as session:
        record, stages = procedure_with_stages(session, template)
    rows = [{"step": number, **{f: getattr(s, f) for f in STAGE_FIELDS[1:]}} for number, s in enumerate(stages, 1)]
    if fmt not in ("json", "ndjson", "csv"):
        echo_line(f"{record.id}: {record.name}", fmt)
        if record.note:
            echo_line(f"  {record.note}", fmt)
        for source in record.sources:
            echo_line(f"  source: {source}", fmt)
        click.echo()
    emit(rows, fmt, STAGE_FIELDS, STAGE_FIELDS[:-1])
