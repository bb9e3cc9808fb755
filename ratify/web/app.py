"""The web view: a Starlette app over one warm database, read-only, every page a template.

Everything is imported once, when the app is built (`ratify serve` imports this module
only when it runs, so `ratify --help` stays light). Each handler parses its query, calls
the library function the matching CLI command calls, and renders the result: the page
through the shared templates, the JSON twin with exactly the fields `--format json`
prints, so the two never tell different stories.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import quote_plus

from sqlmodel import Session
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ratify.dates import to_date
from ratify.errors import DatabaseError, NotFound, RatifyError, cut_quoted
from ratify.limits import MAX_AHEAD_DAYS
from ratify.reports.atom import render_atom
from ratify.reports.dossier import HISTORY_FIELDS, TREATY_FIELDS, chart, history_rows, treaty_rows
from ratify.reports.html import page_context, treaty_section
from ratify.reports.jsonrows import json_array
from ratify.reports.publish import build_report
from ratify.reports.rendering import render
from ratify.reports.research import CHANGE_FIELDS, changes_rows
from ratify.reports.rows import STATUS_FIELDS, Filters, pending_rows, status_rows
from ratify.reports.upcoming import UPCOMING_FIELDS, upcoming_rows
from ratify.store.database import Database
from ratify.store.lookup import get_treaty
from ratify.strict import check_line

#: The page's own stylesheet and nothing else: no script, no frame, no form posting elsewhere.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
#: How many rows an HTML page shows at most unless ?limit= says otherwise; the JSON twins show all.
PAGE_ROWS = 500
HTML = "text/html; charset=utf-8"


class SecurityHeaders:
    """Adds the security headers to every response, errors and 405s included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in SECURITY_HEADERS]
                headers += [(name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


#: Names that always mean this machine: a server listening only here answers to them as well.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
#: Addresses that mean "every interface": no name a reader could use.
WILDCARD_ADDRESSES = ("", "0.0.0.0", "::")


def host_name(header: str) -> str:
    """The name in a Host header, without its port: `example.org:8000` -> `example.org`, `[::1]:80` -> `::1`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    name, colon, port = header.rpartition(":")
    return name if colon and port.isdigit() and ":" not in name else header


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.startswith("127.")


class HostCheck:
    """Answers only requests addressed to a host the server was started for.

    A DNS-rebinding page (evil.example pointed at 127.0.0.1) sends `Host: evil.example`,
    and a link built from the Host header would point wherever the request says: both end here,
    with one line and 400, before any handler runs.
    """

    def __init__(self, app: ASGIApp, allowed: frozenset[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "*" in self.allowed:
            await self.app(scope, receive, send)
            return
        header = next((value.decode("latin-1") for key, value in scope["headers"] if key == b"host"), "")
        name = host_name(header)
        if name in self.allowed:
            await self.app(scope, receive, send)
            return
        shown = _cut(header) if header else "(none)"
        plausible = 0 < len(name) <= 253 and all(c.isalnum() or c in ".-:" for c in name)
        fix = (
            f"start ratify serve with --allow-host {name}"
            if plausible
            else "send a Host header the server was started for"
        )
        message = f"host: {shown} is not a host this server answers to ({fix})"
        response = await _error(Request(scope), HTTPException(400, message))
        await response(scope, receive, send)


def _cut(text: str, keep: int = 100) -> str:
    """A value quoted in an error line, cut so that a huge one is not echoed whole."""
    return repr(text if len(text) <= keep else text[:keep] + "...")


def create_app(
    database: Database, *, base_url: str = "http://127.0.0.1:8000/", allowed_hosts: Sequence[str] = ()
) -> Starlette:
    """The app over `database`, checked once here: a wrong --db fails before the server listens.

    `base_url` is the address readers use, from which absolute links (the Atom feed's) are built; requests
    are answered only for its host, the `allowed_hosts`, and this machine's own names when the base URL is
    on this machine. `"*"` among `allowed_hosts` answers any host (behind a proxy that checks it).
    """
    database.check()
    from urllib.parse import urlsplit

    base_host = (urlsplit(base_url).hostname or "").lower()
    allowed = {base_host, *(host_name(name) if name != "*" else "*" for name in allowed_hosts)}
    if is_loopback(base_host):
        allowed.update(LOOPBACK_NAMES)
    routes = [
        Route("/", treaty_list),
        Route("/treaties.json", treaty_list),
        Route("/treaties/{slug}", treaty_page),
        Route("/pending", pending),
        Route("/pending.json", pending),
        Route("/upcoming", upcoming),
        Route("/upcoming.json", upcoming),
        Route("/changes", changes),
        Route("/changes.json", changes),
        Route("/changes.atom", changes),
        Route("/style.css", stylesheet),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _error, RatifyError: _error})
    app.state.database = database
    app.state.base_url = base_url.rstrip("/")
    app.add_middleware(HostCheck, allowed=frozenset(allowed - {""}))
    app.add_middleware(SecurityHeaders)  # the outermost: on the host check's refusals too
    return app


@contextmanager
def _session(request: Request) -> Iterator[Session]:
    """One read-only transaction per request, on the process's warm engine."""
    database: Database = request.app.state.database
    with database.transaction(check=False) as session:
        yield session


def _json(rows: Iterable[dict[str, Any]], fields: Sequence[str]) -> Response:
    """The rows as `--format json` prints them, byte for byte: every field, a date's precision where it has one."""
    return Response("".join(json_array(rows, fields)), media_type="application/json")


def _page(request: Request, template: str, title: str, **context: Any) -> Response:
    context = {**page_context(title, stylesheet="/style.css", feed="/changes.atom"), **context}
    return Response(render(template, path=request.url.path, **context), media_type=HTML)


def _wants(request: Request, suffix: str) -> bool:
    return request.url.path.endswith(suffix)


def _date(request: Request, name: str, default: date) -> date:
    value = request.query_params.get(name)
    if value is None or value == "":
        return default
    try:
        return to_date(value)
    except ValueError as error:
        raise HTTPException(400, f"{name}: {error}") from None


def _number(request: Request, name: str, default: int | None, *, low: int, high: int) -> int | None:
    value = request.query_params.get(name)
    if value is None or value == "":
        return default
    # ASCII digits only, and few: int() refuses "²" and numbers thousands of digits long with an error.
    if not (value.isascii() and value.isdigit() and len(value) <= 12) or not low <= int(value) <= high:
        raise HTTPException(400, f"{name}: {value!r} is not a whole number from {low} to {high}")
    return int(value)


def _line(name: str, value: str | None) -> str | None:
    """Text from the address, refused if it holds a control character (PostgreSQL refuses NUL outright)."""
    if value is None:
        return None
    try:
        return check_line(value)
    except ValueError as error:
        raise HTTPException(400, f"{name}: {error}") from None


def treaty_list(request: Request) -> Response:
    search = _line("q", request.query_params.get("q", "").strip() or None)
    today = date.today()
    with _session(request) as session:
        rows = list(treaty_rows(session, today, today=today, search=search))
    if _wants(request, ".json"):
        return _json(rows, TREATY_FIELDS)
    limit = _number(request, "limit", PAGE_ROWS, low=1, high=10**9)
    return _page(
        request, "web/list.html", "Treaties", rows=rows[:limit], total=len(rows), search=search or "", today=today
    )


def treaty_page(request: Request) -> Response:
    slug = _line("treaty", request.path_params["slug"]) or ""
    if slug.endswith(".json"):
        return _treaty_json(request, slug.removesuffix(".json"))

    today = date.today()
    with _session(request) as session:
        report = build_report(session, [slug], today, today=today)
        depositary = chart(session, slug, today, today=today)
        history = [{field: row[field] for field in HISTORY_FIELDS} for row in history_rows(session, slug)]
    (treaty,) = report.treaties
    return _page(
        request,
        "web/treaty.html",
        f"{treaty.title} ({treaty.slug})",
        view=treaty_section(treaty, today, 1),
        chart=depositary,
        history=history,
    )


def _treaty_json(request: Request, slug: str) -> Response:
    """The treaty's status rows, as `ratify status SLUG --format json` prints them."""

    today = date.today()
    with _session(request) as session:
        rows = list(status_rows(session, Filters(slug=slug), today, today=today))
        if not rows:  # no parties yet, or no such treaty: only then is the lookup worth its query
            get_treaty(session, slug)
    return _json(rows, STATUS_FIELDS)


def pending(request: Request) -> Response:
    slug = _line("treaty", request.query_params.get("treaty") or None)
    json_twin = _wants(request, ".json")
    limit = _number(request, "limit", None if json_twin else PAGE_ROWS, low=1, high=10**9)
    today = date.today()
    with _session(request) as session:
        if slug:
            get_treaty(session, slug)
        rows = list(pending_rows(session, Filters(slug=slug), today, today=today, limit=limit))
    if json_twin:
        return _json(rows, STATUS_FIELDS)
    return _page(request, "web/pending.html", "Pending", rows=rows, limit=limit, slug=slug, today=today)


def upcoming(request: Request) -> Response:
    days = _number(request, "days", 30, low=0, high=MAX_AHEAD_DAYS)
    assert days is not None
    today = date.today()
    with _session(request) as session:
        rows = upcoming_rows(session, today, days)
    if _wants(request, ".json"):
        return _json(rows, UPCOMING_FIELDS)
    return _page(request, "web/upcoming.html", "Upcoming", rows=rows, days=days, today=today)


def changes(request: Request) -> Response:
    since = _date(request, "since", date.today() - timedelta(days=30))
    with _session(request) as session:
        rows = list(changes_rows(session, datetime.combine(since, time.min, tzinfo=UTC)))
    if _wants(request, ".json"):
        return _json(rows, CHANGE_FIELDS)
    if _wants(request, ".atom"):
        site = request.app.state.base_url  # never the Host header, which the request chooses
        return Response(render_atom(rows, since, site=site), media_type="application/atom+xml; charset=utf-8")
    return _page(request, "web/changes.html", f"Changes since {since}", rows=list(reversed(rows)), since=since)


def stylesheet(request: Request) -> Response:
    return Response(render("ratify.css"), media_type="text/css; charset=utf-8")


async def _error(request: Request, error: Exception) -> Response:
    """One line saying what is wrong: a bad parameter 400, an unknown treaty 404, with the CLI's hint."""
    if isinstance(error, HTTPException):
        status, message = error.status_code, str(error.detail)
    elif isinstance(error, NotFound):
        status, message = 404, _without_commands(error, _search_words(request))
    elif isinstance(error, DatabaseError):
        status, message = 503, str(error)
    else:
        status, message = 400, str(error)
    message = cut_quoted(message)
    headers = dict(getattr(error, "headers", None) or {})
    if request.url.path.endswith((".json", ".atom")):
        body = json.dumps({"error": message}, ensure_ascii=False) + "\n"
        return Response(body, status_code=status, media_type="application/json", headers=headers)

    page = render(
        "web/error.html",
        **page_context(f"Error {status}", stylesheet="/style.css"),
        message=message,
        status=status,
        path=request.url.path,
        search=_search_words(request) if status == 404 else None,
    )
    return Response(page, status_code=status, media_type=HTML, headers=headers)


def _without_commands(error: NotFound, words: str) -> str:
    """A closest match is worth naming; a hint to run a command is not, on a site: it has its own search."""
    if error.hint and "ratify " in error.hint:
        return f"{error.message} (search the treaties: /?q={quote_plus(words)})"
    return str(error)


def _search_words(request: Request) -> str:
    """What a 404 page offers to search for: the slug asked for, or the last part of the address, as words."""
    asked = request.query_params.get("treaty") or request.url.path.rstrip("/").rsplit("/", 1)[-1]
    words = asked.removesuffix(".json").replace("-", " ").replace("_", " ")
    return " ".join(words.split()) if words.isprintable() else ""
