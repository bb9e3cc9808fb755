"""ratify serve: the read-only web view."""

from __future__ import annotations

import click

from ratify.cli.context import Settings, pass_settings, translated_errors


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (this machine only by default)."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option(
    "--base-url",
    metavar="URL",
    help="The address readers use, for absolute links such as the feed's [default: http://HOST:PORT/].",
)
@click.option(
    "--allow-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="Also answer requests for this host name (repeat for more); requests for others get 400.",
)
@pass_settings
def serve(settings: Settings, host: str, port: int, base_url: str | None, allowed_hosts: tuple[str, ...]) -> None:
    """Serve the database read-only on the web: treaties, pending, upcoming, changes.

    Every page has a JSON twin with the fields --format json prints
    (/treaties/SLUG.json, /pending.json ...) and /changes.atom is a feed.
    Nothing can be written through it.

    Only requests addressed to the server's own host, the base URL's and those
    named with --allow-host are answered: a page elsewhere cannot read the view
    by pointing its own name at this machine.

    \b
    Examples:
      ratify serve
      ratify --db postgresql://localhost/treaties serve --port 8080
      ratify serve --host 0.0.0.0 --base-url https://treaties.example.org/
    """
    import uvicorn

    from ratify.web.app import WILDCARD_ADDRESSES, create_app

    base_url = _base_url(base_url, host, port)
    with translated_errors():
        database = settings.database()
        app = create_app(
            database,
            base_url=base_url,
            allowed_hosts=[host, *allowed_hosts] if host not in WILDCARD_ADDRESSES else allowed_hosts,
        )
    # describe() leaves a PostgreSQL URL's password out, as `ratify info` does.
    click.echo(f"Serving {database.describe()} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)


def _base_url(given: str | None, host: str, port: int) -> str:
    """--base-url, checked; else the address the server listens on (this machine's name for every interface)."""
    from urllib.parse import urlsplit

    from ratify.web.app import WILDCARD_ADDRESSES

    if given is None:
        name = "localhost" if host in WILDCARD_ADDRESSES else host
        return f"http://{f'[{name}]' if ':' in name else name}:{port}/"
    try:
        parts = urlsplit(given)
        parts.port  # noqa: B018 - refuses a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(
            f"{given!r} is not an http(s) address (e.g. https://treaties.example.org/)", param_hint="'--base-url'"
        )
    return given
