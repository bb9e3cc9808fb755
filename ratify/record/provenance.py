"""Who records, and when: the provenance every stored fact carries."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime


def recorder() -> str:
    """Who is recording: RATIFY_USER, else the login name."""
    return os.environ.get("RATIFY_USER") or getpass.getuser()


def now() -> datetime:
    return datetime.now(UTC)
