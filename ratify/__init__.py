"""ratify: track where treaties stand in each party's ratification.

The Python API (docs/python.md): `ratify.connect(path_or_url)` returns a `Tracker`.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ratify.api import Evaluation, Recorded, Tracker, connect
    from ratify.errors import InvalidInput, MalformedInput, NotFound, RatifyError
    from ratify.results import HistoryRow, StatusRow, TreatyRow, UpcomingRow

__version__ = "0.1.0"

# The API is imported on first use, so that `import ratify` (and `ratify --help`) load no database code.
__all__ = [
    "Evaluation",
    "HistoryRow",
    "InvalidInput",
    "MalformedInput",
    "NotFound",
    "RatifyError",
    "Recorded",
    "StatusRow",
    "Tracker",
    "TreatyRow",
    "UpcomingRow",
    "__version__",
    "connect",
]
_API = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> object:
    if name in _API:
        from ratify import api, errors

        return getattr(api, name, None) or getattr(errors, name)
    raise AttributeError(f"module 'ratify' has no attribute {name!r}")
