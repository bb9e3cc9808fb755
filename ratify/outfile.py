"""Writing a report or an export to a named file without ever destroying what was there.

The text goes to a temporary file created exclusively beside the target (so no
link planted at its name is followed, and the rename that replaces the target
stays on one file system), and replaces the target only once it is complete.
The target must be a new path or a regular file the user may write; the
database itself, a SQLite file, a link, a device, a pipe or a directory is
refused before anything is written.

Only SIGKILL or a power cut can leave the temporary file behind. The next write
to the same target removes such leftovers, and only those: a name ratify made
(its random part carries a check that another program's name would fail), a
regular file of the same owner, and one no live writer holds (each writer holds
a lock on its temporary file until it is renamed or removed).
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import secrets
import signal
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ratify.errors import OutputError

#: The first bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"
#: Signals that end a write early: the temporary file is removed before the process stops.
#: (Ctrl-C needs nothing: Python already unwinds it as KeyboardInterrupt.)
_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def check_target(target: Path, *, protected: Sequence[Path] = ()) -> os.stat_result | None:
    """Refuse a target ratify must not replace; the stat of the file it will replace, or None for a new path."""
    if not str(target) or target.name in ("", ".", ".."):
        raise OutputError("output: give a file name", "e.g. --output report.html")
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"output: the directory {parent} does not exist", "create it first or choose another path")
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutputError(f"output: cannot use {target} ({error.strerror})", "choose another path") from None
    if stat.S_ISLNK(found.st_mode):
        raise OutputError(f"output: {target} is a symbolic link", "give the path of the file itself, or a new path")
    if not stat.S_ISREG(found.st_mode):
        raise OutputError(
            f"output: {target} is not a regular file (a directory, device, pipe or socket)",
            "give a new path or an existing regular file",
        )
    for path in protected:
        if _same_file(found, path):
            raise OutputError(f"output: {target} is the database itself", "choose another path for the output")
    if _is_sqlite(target):
        raise OutputError(f"output: {target} is a SQLite database", "choose another path; ratify never replaces one")
    # The mode bits too: root may write anything, but a file nobody may write was made read-only on purpose.
    if not os.access(target, os.W_OK) or not found.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise OutputError(f"output: {target} is read-only", "make it writable first, or choose another path")
    return found


@contextmanager
def replacing(target: Path, *, protected: Sequence[Path] = ()) -> Iterator[TextIO]:
    """A text handle whose content replaces `target` only when the block ends without error.

    On any error, or a stop signal (SIGTERM, SIGHUP, Ctrl-C), the temporary
    file is removed and the target is left as it was. Only SIGKILL or a power
    cut can leave a hidden `.NAME.xxxxxxxxxxxx.partial` file behind.
    """
    replaced = check_target(target, protected=protected)
    logging.getLogger(__name__).info("writing %s (%s)", target, "replaced once complete" if replaced else "a new file")
    remove_stale(target)
    temporary, descriptor = _create_beside(target, replaced)
    handle = open(descriptor, "w", encoding="utf-8", newline="")
    try:
        with _stop_signals_raise():
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            # Checked again: something may have appeared at the target while the report was written.
            check_target(target, protected=protected)
            os.replace(temporary, target)
    except OSError as error:
        raise OutputError(f"output: cannot write {target} ({_reason(error)})", _fix(error)) from None
    finally:
        if not handle.closed:
            try:
                handle.close()
            except OSError:
                pass  # the disk may still be full; the file goes anyway
        if temporary.exists() or temporary.is_symlink():
            temporary.unlink(missing_ok=True)


def _create_beside(target: Path, replaced: os.stat_result | None) -> tuple[Path, int]:
    """An exclusively created, never-followed temporary file in the target's directory."""
    # A new file gets the usual mode (0666 less the umask); a replaced one keeps its own.
    mode = stat.S_IMODE(replaced.st_mode) if replaced else 0o666
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(100):
        temporary = target.with_name(f".{target.name}.{_sealed_token()}.partial")
        try:
            descriptor = os.open(temporary, flags, mode)
        except FileExistsError:
            continue
        except OSError as error:
            raise OutputError(f"output: cannot write {target} ({_reason(error)})", _fix(error)) from None
        if not _hold(descriptor, temporary):
            os.close(descriptor)  # a cleaner took it between creation and lock: it is gone, make another
            continue
        if replaced:
            os.fchmod(descriptor, mode)  # the umask may have narrowed it
        return temporary, descriptor
    raise OutputError(f"output: cannot create a temporary file beside {target}", "check the directory")


def _seal(nonce: str) -> str:
    return hashlib.blake2s(nonce.encode(), key=b"ratify partial output", digest_size=2).hexdigest()


def _sealed_token() -> str:
    """Twelve hex digits: eight random, four that check them, so that ratify knows a leftover as its own."""
    nonce = secrets.token_hex(4)
    return nonce + _seal(nonce)


def _leftover_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(target.name)}\.(?P<nonce>[0-9a-f]{{8}})(?P<seal>[0-9a-f]{{4}})\.partial")


def _hold(descriptor: int, path: Path) -> bool:
    """Lock the new temporary file for as long as this process writes it; False if the name no longer leads to it."""
    try:
        import fcntl
    except ImportError:  # no advisory locks here: leftovers are never removed, so nothing needs them
        return True
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # new and exclusive: nobody else can hold it yet
    try:
        found, held = os.lstat(path), os.fstat(descriptor)
    except FileNotFoundError:
        return False
    return (found.st_dev, found.st_ino) == (held.st_dev, held.st_ino)


def remove_stale(target: Path) -> list[Path]:
    """Remove the temporary files a killed write to `target` left beside it; the paths removed.

    Only ratify's own: a sealed name, a regular file of this user, not locked by a writer still running.
    """
    try:
        import fcntl
    except ImportError:
        return []
    pattern = _leftover_pattern(target)
    removed = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    for name in names:
        found = pattern.fullmatch(name)
        if found is None or _seal(found["nonce"]) != found["seal"]:
            continue
        path = target.parent / name
        try:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            held = os.fstat(descriptor)
            if not stat.S_ISREG(held.st_mode) or held.st_uid != os.geteuid():
                continue
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a writer is still at work on it
            now = os.lstat(path)
            if (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
                os.unlink(path)
                removed.append(path)
        except OSError:
            continue
        finally:
            os.close(descriptor)
    return removed


class _Stopped(BaseException):
    """A stop signal arrived while the output was being written."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


@contextmanager
def _stop_signals_raise() -> Iterator[None]:
    """While writing, a stop signal unwinds (so the temporary file is removed), then stops the process as asked."""

    def stop(number: int, _frame) -> None:
        raise _Stopped(number)

    try:
        previous = {number: signal.signal(number, stop) for number in _STOPPING}
    except ValueError:  # not the main thread: signals cannot be handled here
        yield
        return
    try:
        yield
    except _Stopped as stopped:
        for number, handler in previous.items():
            signal.signal(number, handler)
        previous = {}
        raise SystemExit(128 + stopped.number) from None
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _same_file(found: os.stat_result, path: Path) -> bool:
    for candidate in (path, *(path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm"))):
        try:
            other = os.stat(candidate)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (found.st_dev, found.st_ino):
            return True
    return False


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _fix(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "free some space, or write somewhere else; the earlier file is untouched"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "check the permissions of the directory, or choose another path"
    return "check the path and try again; the earlier file is untouched"
