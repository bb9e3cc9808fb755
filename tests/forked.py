"""`ratify` commands in processes of their own, forked from a server that has imported ratify once.

A command started as `python -m ratify` spends half a second of a shared core importing SQLAlchemy
before it opens the database; forty of them at once spend it all on that. Forked from a server that
has done the imports, each is still a process of its own that opens its own connections, takes the
store's locks, commits or is killed on its own: what the concurrency and kill tests need.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.process
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload(
    ["ratify.cli.main", "ratify.store.database", "ratify.store.migrate", "ratify.record.tracker", "psycopg"]
)


@dataclass
class Outcome:
    args: list[str]
    code: int
    stderr: str


@dataclass
class Command:
    args: list[str]
    process: multiprocessing.process.BaseProcess
    stderr: Path


_started: list[Command] = []


def _ratify(args: list[str], stderr: str, environment: dict[str, str]) -> None:
    """`ratify ARGS` in this process, as `python -m ratify` runs it: its exit code is the process's."""
    os.environ.update(environment)
    sys.stderr = open(stderr, "w", encoding="utf-8")  # noqa: SIM115 -- the process ends with the command
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    from ratify.cli import cli

    cli.main(args=args, prog_name="ratify")


def start(db: str | Path, args: list[str], logs: Path, **environment: str) -> Command:
    """Start `ratify --db DB ARGS` in a process of its own, its standard error kept in a file under
    `logs`; `environment` is set in that process (the server's was fixed when it started)."""
    stderr = logs / f"command-{len(_started)}.err"
    process = _FORKS.Process(target=_ratify, args=(["--db", str(db), *args], str(stderr), environment))
    process.start()
    command = Command(list(args), process, stderr)
    _started.append(command)
    return command


def finish(started: list[Command], timeout: float = 600) -> list[Outcome]:
    """Each command's outcome; one still running after `timeout` seconds fails the test, and every
    command still running then is killed and reaped, so nothing outlives the test."""
    deadline = time.monotonic() + timeout
    for command in started:
        command.process.join(max(0.0, deadline - time.monotonic()))
    late = [command.args for command in started if command.process.is_alive()]
    if late:
        stop_all()
        raise AssertionError(f"{len(late)} commands still running after {timeout:.0f} s, e.g. {late[0]}")
    return [outcome(command) for command in started]


def outcome(command: Command) -> Outcome:
    """The outcome of a command that has ended (a killed one's code is minus the signal)."""
    code = command.process.exitcode
    assert code is not None, f"still running: {command.args}"
    return Outcome(command.args, code, command.stderr.read_text(encoding="utf-8"))


def stop_all() -> None:
    """Kill and reap every command started and not yet reaped."""
    for command in _started:
        if command.process.is_alive():
            command.process.kill()
        command.process.join()
        command.process.close()
    _started.clear()
