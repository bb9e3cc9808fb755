"""--output never destroys data: what it refuses, what it keeps, what a failure leaves.

Every case runs in tmp_path; a device is stood in for by a FIFO, a full disk by a file-size limit.
Where the output goes does not depend on the store, so most cases run on SQLite only; writing a
report from PostgreSQL is covered by test_a_replaced_file_keeps_its_mode.
"""

from __future__ import annotations

import errno
import io
import itertools
import os
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from ratify.cli import cli
from tests.conftest import ROOT, run

COMMANDS = [["report"], ["report", "--format", "html"], ["export"]]


def _refused(args: list, target: Path | str, message: str) -> None:
    result = run(*args, "--output", target)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"Invalid value for '--output': {message}" in result.stderr


def _listing(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


@pytest.mark.sqlite_only
@pytest.mark.parametrize("args", COMMANDS)
def test_the_database_itself_is_refused(loaded, args):
    before = loaded.read_bytes()
    _refused(args, loaded, f"{loaded} is the database itself")
    assert loaded.read_bytes() == before
    assert run("status").exit_code == 0


@pytest.mark.sqlite_only
def test_the_database_by_another_name_is_refused(loaded, tmp_path):
    alias = tmp_path / "alias.db"
    os.link(loaded, alias)
    _refused(["report"], alias, f"{alias} is the database itself")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("args", COMMANDS)
def test_another_sqlite_database_is_refused(initialised, initialised_template, tmp_path, args):
    other = tmp_path / "other.db"
    shutil.copyfile(initialised_template, other)
    before = other.read_bytes()
    _refused(args, other, f"{other} is a SQLite database")
    assert other.read_bytes() == before


@pytest.mark.sqlite_only
@pytest.mark.parametrize("args", COMMANDS)
def test_a_symbolic_link_is_refused_and_its_target_untouched(initialised, tmp_path, args):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    link = tmp_path / "report.txt"
    link.symlink_to(victim)
    _refused(args, link, f"{link} is a symbolic link")
    assert victim.read_text() == "keep me\n"
    assert link.is_symlink()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("args", COMMANDS)
def test_a_pipe_or_device_is_refused(initialised, tmp_path, args):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    _refused(args, fifo, f"{fifo} is not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.sqlite_only
def test_a_directory_is_refused(initialised, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    _refused(["export"], folder, f"{folder} is not a regular file")
    _refused(["report"], "", "give a file name")
    _refused(["export"], tmp_path / "missing" / "x.yaml", f"the directory {tmp_path / 'missing'} does not exist")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("args", COMMANDS)
def test_a_read_only_file_is_refused(initialised, tmp_path, args):
    kept = tmp_path / "kept.txt"
    kept.write_text("read only\n")
    kept.chmod(0o444)
    _refused(args, kept, f"{kept} is read-only")
    assert kept.read_text() == "read only\n"


@pytest.mark.parametrize("args", COMMANDS)
def test_a_replaced_file_keeps_its_mode(loaded, tmp_path, args):
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    target.chmod(0o640)
    result = run(*args, "--output", target)
    assert result.exit_code == 0, result.output
    assert "rus-prk-2024" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [name for name in _listing(tmp_path) if name.endswith(".partial")] == []


@pytest.mark.sqlite_only
def test_a_new_file_gets_the_usual_mode(loaded, tmp_path):
    previous = os.umask(0o022)
    try:
        assert run("export", "--output", tmp_path / "new.yaml").exit_code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.yaml").stat().st_mode) == 0o644


@pytest.mark.sqlite_only
def test_a_link_planted_at_the_temporary_name_is_not_followed(loaded, tmp_path, monkeypatch):
    """The temporary file is created exclusively: a link already at its name makes ratify pick another."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    names = itertools.chain(["planted"], itertools.repeat("fresh"))
    monkeypatch.setattr("ratify.outfile.secrets.token_hex", lambda _n: next(names))
    (tmp_path / ".out.yaml.planted.partial").symlink_to(victim)
    (tmp_path / "out.yaml.partial").symlink_to(victim)  # the name earlier releases used
    assert run("export", "--output", tmp_path / "out.yaml").exit_code == 0
    assert victim.read_text() == "keep me\n"
    assert "rus-prk-2024" in (tmp_path / "out.yaml").read_text()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", ["report", "export"])
def test_a_stop_signal_mid_write_leaves_the_target_and_no_partial_file(loaded, tmp_path, monkeypatch, command):
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    before = _listing(tmp_path)

    def interrupted(*_args, **_kwargs):
        os.kill(os.getpid(), signal.SIGTERM)
        return ""

    if command == "export":
        monkeypatch.setattr(
            "ratify.exchange.export.export_text", lambda *_a, **_k: iter(["treaties:\n", interrupted()])
        )
    else:
        monkeypatch.setattr("ratify.cli.publish.emit", interrupted)

    def unhandled(*_args) -> None:  # so that a regression fails this test instead of ending the run
        raise AssertionError("ratify did not handle SIGTERM while writing")

    previous = signal.signal(signal.SIGTERM, unhandled)
    try:
        result = run(command, "--output", target)
        assert signal.getsignal(signal.SIGTERM) is unhandled  # put back as it was
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert result.exit_code == 128 + signal.SIGTERM
    assert target.read_text() == "old\n"
    assert _listing(tmp_path) == before


def _limited(size: int):
    """A child whose files may not grow past `size` bytes: writing more fails as on a full disk."""
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def _ratify(*args: str | Path, stdout=subprocess.PIPE, size: int = 20_000) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ratify", *map(str, args)],
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_limited(size),
        check=False,
    )


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", ["report", "export"])
def test_a_full_disk_is_one_line_and_the_earlier_file_stays(loaded, tmp_path, command):
    target = tmp_path / "out.txt"
    target.write_text("old\n")
    # A reader of a database in write-ahead-log mode makes a 32 KB index file beside it, which the limit below
    # would refuse before any output is written; in the rollback-journal mode a reader writes nothing.
    with closing(sqlite3.connect(loaded)) as connection, connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    before = _listing(tmp_path)
    # The report is a few kilobytes, the export more; neither fits in 200 bytes. The database is only read.
    result = _ratify("--db", loaded, command, "--output", target, size=200)
    assert result.returncode == 1, result.stderr
    assert (
        result.stderr == f"Error: output: cannot write {target} (File too large) (free some space, or write "
        "somewhere else; the earlier file is untouched)\n"
    )
    assert target.read_text() == "old\n"
    assert _listing(tmp_path) == before


class _FullDisk(io.RawIOBase):
    """A standard output on a disk with no space left (as `ratify status > /dev/full`)."""

    full = True

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self.full:
            raise OSError(errno.ENOSPC, "No space left on device")
        return len(data)


@pytest.mark.sqlite_only
def test_a_full_disk_on_stdout_is_one_line(loaded, monkeypatch, capsys):
    disk = _FullDisk()
    stdout = io.TextIOWrapper(io.BufferedWriter(disk), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stdout)
    try:
        with pytest.raises(SystemExit) as exit:
            cli.main(["history", "rus-prk-2024"], prog_name="ratify")
    finally:
        disk.full = False  # so that closing it later cannot fail again
        monkeypatch.undo()
        stdout.close()
    assert exit.value.code == 1
    assert capsys.readouterr().err == "Error: cannot write the output (No space left on device)\n"


# --------------------------------------------------------------------------- leftovers of a kill

HOLD_A_PARTIAL = """
import fcntl, os, sys
descriptor = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
fcntl.flock(descriptor, fcntl.LOCK_EX)
print("holding", flush=True)
sys.stdin.read()
"""


def _killed_while_writing(database: Path, command: str, target: Path, attempts: int = 30) -> list[str]:
    """SIGKILL `ratify COMMAND --output TARGET` while its temporary file exists; the leftovers it made."""
    before = set(_listing(target.parent))
    for _attempt in range(attempts):
        process = subprocess.Popen(
            [sys.executable, "-m", "ratify", "--db", str(database), command, "--output", str(target)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        while process.poll() is None:
            if any(name.endswith(".partial") and name not in before for name in os.listdir(target.parent)):
                process.kill()
                break
        process.wait(timeout=60)
        left = sorted(set(_listing(target.parent)) - before)
        if process.returncode == -signal.SIGKILL and left:
            return left
    pytest.fail(f"no kill of {command} caught its temporary file in {attempts} attempts")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", ["export", "report"])
def test_the_next_write_removes_what_a_kill_left_and_nothing_else(initialised, tmp_path, command):
    from ratify.outfile import _sealed_token

    assert run("load", *sorted((ROOT / "fixtures" / "treaties").glob("*.yaml"))).exit_code == 0
    out = tmp_path / "out"
    out.mkdir()
    target = out / "report.txt"
    target.write_text("old\n")
    # Another program's files, named like ratify's but not sealed, or not ratify's pattern at all.
    others = [f".report.txt.{'0' * 12}.partial", ".report.txt.tmp", f".other.txt.{_sealed_token()}.partial"]
    for name in others:
        (out / name).write_text("not ratify's\n")
    # A writer still at work: a sealed name, locked by a live process.
    working = out / f".report.txt.{_sealed_token()}.partial"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_A_PARTIAL, str(working)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        leftovers = _killed_while_writing(initialised, command, target)
        assert all(name.startswith(".report.txt.") and name.endswith(".partial") for name in leftovers)
        assert target.read_text() == "old\n"  # a kill never leaves half a report at the target

        result = run(command, "--output", target)
        assert result.exit_code == 0, result.output
        assert not set(leftovers) & set(_listing(out)), "the killed write's leftovers are still there"
        assert set(_listing(out)) == {"report.txt", working.name, *others}
        assert working.exists() and all((out / name).read_text() == "not ratify's\n" for name in others)
    finally:
        holder.communicate(input="", timeout=30)


@pytest.mark.sqlite_only
def test_the_write_ahead_log_and_its_index_are_refused_as_the_database(loaded, tmp_path):
    """In write-ahead-log mode the database lives in three files while it is open: none may be replaced."""
    reader = sqlite3.connect(loaded)  # keeps the log and its index beside the file
    try:
        reader.execute("SELECT count(*) FROM event").fetchone()
        for suffix in ("-wal", "-shm"):
            companion = Path(f"{loaded}{suffix}")
            assert companion.exists(), suffix
            before = companion.read_bytes()
            result = run("report", "--output", companion)
            assert result.exit_code == 2, result.output
            assert "is the database itself" in result.stderr
            assert companion.read_bytes() == before
    finally:
        reader.close()
