"""ratify serve: the read-only web view."""

from __future__ import annotations

import click

from ratify.cli.context import Settings, pass_settings, translated_errors


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (this machine only by default)."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@pass_settings
def serve(settings: Settings, host: str, port: int) -> None:
    """Serve the database read-only on the web: treaties, pending, upcoming, changes.

    Every page has a JSON twin with the fields --format json prints
    (/treaties/SLUG.json, /pending.json ...) and /changes.atom is a feed.
    Nothing can be written through it.

    \b
    Examples:
      ratify serve
      ratify --db postgresql://localhost/treaties serve --port 8080
    """
    import uvicorn

    from ratify.web.app import create_app

    with translated_errors():
        database = settings.database()
        app = create_app(database)
    # describe() leaves a PostgreSQL URL's password out, as `ratify info` does.
    click.echo(f"Serving {database.describe()} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)


COMMANDS = (serve,)
