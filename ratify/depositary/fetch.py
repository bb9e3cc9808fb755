"""A depositary's page from a file or a URL, read within bounds: one polite request, a byte limit and a deadline.

Nothing here trusts the source. A file must be a regular file (a device such as
/dev/zero, a FIFO or a directory is refused before a byte is read, so nothing
blocks or streams forever); a page may weigh at most `MAX_PAGE_BYTES`, whether
a file says so by its size or a server by its Content-Length or by what it sends;
a server must send the whole page within `DEADLINE_SECONDS` and may not fall
silent for `SILENCE_SECONDS`. Each refusal is one line naming the source.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

from ratify import __version__
from ratify.errors import SourceError
from ratify.limits import MAX_PAGE_BYTES

USER_AGENT = f"ratify/{__version__} (treaty ratification tracker; one request per import)"
#: How long the server may stay silent: connecting, or between two pieces of the page.
SILENCE_SECONDS = 30.0
#: How long the whole page may take: the largest real one (3.2 MB) at 1 Mbit/s takes 26 s.
DEADLINE_SECONDS = 120.0
#: Redirects followed at most (the UN Treaty Collection sends none, or one to https).
MAX_REDIRECTS = 5


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def url_problem(source: str) -> str | None:
    """Why `source`, an http(s) address, cannot be asked for (a bracket left open, no host), or None."""
    import httpx

    try:
        url = httpx.URL(source)
    except (httpx.InvalidURL, ValueError, TypeError) as error:
        return str(error) or type(error).__name__
    if not url.host:
        return "it names no host"
    if url.port is not None and not 0 < url.port < 65536:
        return f"port {url.port} is not a port number"
    return None


def read_source(source: str) -> bytes:
    """The page's bytes, decoded by the reader by the charset the page declares (a browser's "Save as" keeps
    the server's windows-1252). A URL is asked for once: no retries that would hammer the depositary's server."""
    if is_url(source):
        return _download(source)
    return read_file(Path(source), source)


def read_file(path: Path, name: str) -> bytes:
    """A regular file's bytes, at most `MAX_PAGE_BYTES`; anything else is refused before it is read."""
    fix = "give a saved page or an http(s) URL"
    try:
        # Non-blocking, so that opening a FIFO with no writer returns at once to be refused below.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise SourceError(f"{name}: {error.strerror or error}", fix) from None
    # Checked before the descriptor becomes a file object: opening a directory as one fails on its own, with
    # an error that would read as a failed write.
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            raise SourceError(f"{name}: not a regular file (a directory, device, pipe or socket)", fix)
        if found.st_size > MAX_PAGE_BYTES:
            raise _too_large(name, found.st_size)
    except BaseException:
        os.close(descriptor)
        raise
    with os.fdopen(descriptor, "rb") as handle:
        data = handle.read(MAX_PAGE_BYTES + 1)  # the file may have grown since fstat
    if len(data) > MAX_PAGE_BYTES:
        raise _too_large(name)
    return data


def _too_late(source: str) -> SourceError:
    """Said the same whichever notices first: the caller's wait, or the reader between two pieces."""
    return SourceError(
        f"{source}: the page did not arrive within {DEADLINE_SECONDS:.0f} seconds",
        "try again later, or save the page in a browser and import the file",
    )


def _too_large(name: str, size: int | None = None) -> SourceError:
    weighs = f" ({size:,} bytes)" if size is not None else ""
    return SourceError(
        f"{name}: larger than {MAX_PAGE_BYTES:,} bytes{weighs}, far more than any depositary's status page",
        "check that this is a status page; the largest real one weighs 3.2 MB",
    )


def _download(source: str) -> bytes:
    """The page, fetched by a worker thread that the caller stops waiting for at the deadline."""
    problem = url_problem(source)
    if problem is not None:
        raise SourceError(f"{source}: not a valid URL ({problem})", "check the address")
    result: dict[str, object] = {}
    stopped = threading.Event()
    worker = threading.Thread(target=_fetch_into, args=(source, result, stopped), daemon=True)
    worker.start()
    worker.join(DEADLINE_SECONDS)
    if worker.is_alive():
        stopped.set()  # the worker drops the connection at its next piece, or when SILENCE_SECONDS run out
        raise _too_late(source)
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["page"]  # type: ignore[return-value]


def _fetch_into(source: str, result: dict[str, object], stopped: threading.Event) -> None:
    try:
        result["page"] = _fetch(source, stopped)
    except SourceError as error:
        result["error"] = error
    except Exception as error:  # noqa: BLE001 - handed to the caller's thread as one line
        result["error"] = SourceError(
            f"{source}: could not be fetched ({type(error).__name__})", "try again later, or save the page"
        )


def _fetch(source: str, stopped: threading.Event) -> bytes:
    import httpx

    deadline = time.monotonic() + DEADLINE_SECONDS
    headers = {"User-Agent": USER_AGENT}
    try:
        with (
            httpx.Client(
                headers=headers,
                timeout=SILENCE_SECONDS,
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
            ) as client,
            client.stream("GET", source) as response,
        ):
            if response.status_code != 200:
                raise SourceError(
                    f"{source}: the server answered {response.status_code} {response.reason_phrase}", "check the URL"
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_PAGE_BYTES:
                raise _too_large(source, int(declared))
            pieces: list[bytes] = []
            size = 0
            # Counted after decompression: a small compressed body cannot unfold past the limit either.
            for piece in response.iter_bytes():
                size += len(piece)
                if size > MAX_PAGE_BYTES:
                    raise _too_large(source)
                if stopped.is_set() or time.monotonic() > deadline:
                    raise _too_late(source)
                pieces.append(piece)
            return b"".join(pieces)
    except httpx.TimeoutException:
        raise SourceError(
            f"{source}: the server was silent for {SILENCE_SECONDS:.0f} seconds",
            "try again later, or save the page in a browser and import the file",
        ) from None
    except httpx.TooManyRedirects:
        raise SourceError(f"{source}: more than {MAX_REDIRECTS} redirects", "check the URL") from None
    except httpx.InvalidURL as error:  # a redirect to an address that cannot be asked for
        raise SourceError(f"{source}: not a valid URL ({error})", "check the address") from None
    except (httpx.HTTPError, httpx.StreamError) as error:
        raise SourceError(
            f"{source}: could not connect ({type(error).__name__})",
            "check that you are online, or save the page in a browser and import the file",
        ) from None
