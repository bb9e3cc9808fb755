"""A parliament's response from a saved file or from its API, read within the depositary importer's bounds.

An API key comes only from the environment. It travels in a request header, never in
the address, so no error line, source or history entry can ever show it.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from ratify import __version__
from ratify.depositary.fetch import DEADLINE_SECONDS, MAX_REDIRECTS, SILENCE_SECONDS, read_file
from ratify.errors import SourceError
from ratify.limits import MAX_PAGE_BYTES

USER_AGENT = f"ratify/{__version__} (treaty ratification tracker; one request per response)"


def api_key(variable: str, what: str) -> str:
    key = os.environ.get(variable, "").strip()
    if not key:
        raise SourceError(
            f"{what}: no API key in the environment variable {variable}",
            f"set {variable} to your api.data.gov key, or import a saved response file",
        )
    return key


def read_saved(path: str, fix: str) -> Any:
    """A saved response file's JSON; `fix` says what else SOURCE may be."""
    try:
        data = read_file(Path(path), path)
    except SourceError as error:
        raise SourceError(error.message, fix) from None
    return parse_json(data, path)


def download(url: str, *, headers: dict[str, str] | None = None) -> Any:
    """One GET of a JSON response: no retries, at most `MAX_PAGE_BYTES`, within `DEADLINE_SECONDS`."""
    import httpx

    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        with (
            httpx.Client(
                headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
                timeout=SILENCE_SECONDS,
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                hint = (
                    "check the key in the environment" if response.status_code in (401, 403) else "check the reference"
                )
                raise SourceError(f"{url}: the server answered {response.status_code} {response.reason_phrase}", hint)
            pieces: list[bytes] = []
            size = 0
            for piece in response.iter_bytes():
                size += len(piece)
                if size > MAX_PAGE_BYTES:
                    raise SourceError(f"{url}: larger than {MAX_PAGE_BYTES:,} bytes", "check the reference")
                if time.monotonic() > deadline:
                    raise SourceError(
                        f"{url}: the response did not arrive within {DEADLINE_SECONDS:.0f} seconds", "try again later"
                    )
                pieces.append(piece)
    except httpx.TimeoutException:
        raise SourceError(
            f"{url}: the server was silent for {SILENCE_SECONDS:.0f} seconds",
            "try again later, or import a saved response",
        ) from None
    except (httpx.HTTPError, httpx.StreamError) as error:
        raise SourceError(
            f"{url}: could not connect ({type(error).__name__})",
            "check that you are online, or import a saved response",
        ) from None
    return parse_json(b"".join(pieces), url)


def parse_json(data: bytes, origin: str) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise SourceError(f"{origin}: not UTF-8 text", "give the API's JSON response as saved") from None
    except json.JSONDecodeError as error:
        raise SourceError(
            f"{origin}: not JSON ({error.msg} at line {error.lineno}, column {error.colno})",
            "give the API's JSON response as saved (format=json); nothing was written",
        ) from None


class Shape:
    """Reads fields of a JSON response by their documented names; anything else is a one-line format error."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, where: str, problem: str) -> SourceError:
        return SourceError(
            f"{self.origin}: {where}: {problem}",
            "this is not the documented response shape; nothing was written",
        )

    def object(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, found {_kind(value)}")
        return value

    def list(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, found {_kind(value)}")
        return value

    def text(self, parent: dict[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
        value = parent.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(f"{where}.{key}", "missing")
            return None
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}", f"expected text, found {_kind(value)}")
        return value

    def integer(self, parent: dict[str, Any], key: str, where: str) -> int:
        value = parent.get(key)
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(f"{where}.{key}", f"expected a number, found {_kind(value)}")
        return value

    def day(self, parent: dict[str, Any], key: str, where: str, *, required: bool = True):
        from datetime import date

        text = self.text(parent, key, where, required=required)
        if text is None:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise self.fail(f"{where}.{key}", f"{text!r} is not a date such as 2022-08-03") from None


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(type(value), "a number")
