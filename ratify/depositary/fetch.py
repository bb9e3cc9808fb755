"""A depositary's page from a file or a URL: one polite request, a timeout, and a clear error when offline."""

from __future__ import annotations

from pathlib import Path

from ratify import __version__
from ratify.errors import SourceError

USER_AGENT = f"ratify/{__version__} (treaty ratification tracker; one request per import)"
TIMEOUT_SECONDS = 30.0


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def read_source(source: str) -> bytes:
    """The page's bytes, decoded by the reader by the charset the page declares (a browser's "Save as" keeps
    the server's windows-1252). A URL is asked for once: no retries that would hammer the depositary's server."""
    if not is_url(source):
        path = Path(source)
        try:
            return path.read_bytes()
        except OSError as error:
            raise SourceError(f"{source}: {error.strerror or error}", "give a saved page or an http(s) URL") from None
    import httpx

    try:
        response = httpx.get(source, headers={"User-Agent": USER_AGENT}, timeout=TIMEOUT_SECONDS, follow_redirects=True)
    except httpx.TimeoutException:
        raise SourceError(
            f"{source}: no answer within {TIMEOUT_SECONDS:.0f} seconds",
            "try again later, or save the page and import the file",
        ) from None
    except httpx.HTTPError as error:
        raise SourceError(
            f"{source}: could not connect ({type(error).__name__})",
            "check that you are online, or save the page in a browser and import the file",
        ) from None
    if response.status_code != 200:
        raise SourceError(
            f"{source}: the server answered {response.status_code} {response.reason_phrase}", "check the URL"
        )
    return response.content
