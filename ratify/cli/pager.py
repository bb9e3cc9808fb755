"""Long tables on a terminal go through a pager, as git's output does.

Only commands that print tables (those with --format) page, and only when stdout is a
terminal: a pipe, a file or a script gets the plain stream. No command that asks a
question pages, so a prompt is never hidden behind the pager.
"""

from __future__ import annotations

import io
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

#: As git: quit at once if it fits one screen (F), keep colours (R), leave the text on screen (X).
DEFAULT_PAGER = "less -FRX"


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def pager_command() -> str | None:
    """RATIFY_PAGER, else PAGER, else less -FRX; None when set empty or to cat, or less is not installed."""
    for name in ("RATIFY_PAGER", "PAGER"):
        if name in os.environ:
            command = os.environ[name].strip()
            return None if command in ("", "cat") else command
    return DEFAULT_PAGER if shutil.which(shlex.split(DEFAULT_PAGER)[0]) else None


class _PagerStream(io.TextIOWrapper):
    """The pager's input, which stands for the terminal it shows on: tables still wrap to its width."""

    def isatty(self) -> bool:
        return True


@contextmanager
def paged(wanted: bool) -> Iterator[None]:
    """Within the block, stdout goes to the pager when `wanted` and stdout is a terminal."""
    command = pager_command() if wanted and stdout_is_terminal() else None
    if command is None:
        yield
        return
    environment = dict(os.environ)
    environment.setdefault("LESS", "FRX")
    process = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=environment)
    assert process.stdin is not None
    stream = _PagerStream(process.stdin, encoding="utf-8", errors="replace", line_buffering=False)
    saved, sys.stdout = sys.stdout, stream
    try:
        yield
    except BrokenPipeError:
        pass  # the reader quit the pager early: it has seen what it wanted
    finally:
        sys.stdout = saved
        try:
            stream.close()
        except BrokenPipeError:
            pass
        process.wait()
