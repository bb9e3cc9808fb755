"""pydantic errors as the one line a user can act on."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from pydantic import ValidationError

from ratify.errors import SourceError


def render_location(location: Sequence[str | int]) -> str:
    """("treaties", 0, "parties", 1, "signed") -> "treaties[0].parties[1].signed"."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


_FRIENDLY = {
    "extra_forbidden": "is not a known field (check its spelling)",
    "missing": "is required",
}


def render_validation_error(error: ValidationError, within: Sequence[str | int] = ()) -> str:
    """Every problem as `field: message`, joined on one line; `within` is where the validated value sits."""
    parts = []
    for problem in error.errors():
        location = render_location([*within, *(p for p in problem["loc"] if not str(p).startswith("function-"))])
        message = _FRIENDLY.get(problem["type"]) or problem["msg"].removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts)


@contextmanager
def within_limits(origin: str) -> Iterator[None]:
    """An imported page or record with a value past ratify's limits: one data error naming where it came from."""
    try:
        yield
    except ValidationError as error:
        raise SourceError(
            f"{origin}: {render_validation_error(error)}",
            "ratify's limits are in docs/limits.md, far past the largest real pages and records",
        ) from None
