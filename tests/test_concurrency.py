"""Writers in parallel processes, through the real CLI, on each store.

Every writing command must check and write as if it ran alone: nothing that
reported success may be lost, nothing may be recorded twice, every history must
be one the order checks allow, and the status cache must equal a fresh
derivation from the events.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.process
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, run

# Hypothesis over whole commands, or processes racing: `make check` leaves these out.
pytestmark = pytest.mark.slow

# Parties with no template of their own follow the default procedure:
# legislature, assent (optional), instrument.
PAIRS = ["ARG", "AUS", "BRA", "CAN", "CHL", "COL", "DNK", "EGY", "ESP", "ITA"]
TWINS = ["KEN", "MEX", "NGA", "NOR", "NZL", "PER", "POL", "PRT", "SWE", "ZAF"]
LOAD = [FIXTURES / "treaties" / "budapest-2001.yaml"]


@dataclass
class Outcome:
    args: list[str]
    code: int
    stderr: str


@dataclass
class Writer:
    args: list[str]
    process: multiprocessing.process.BaseProcess
    stderr: Path


#: Writer processes are forked from a server that has imported ratify once, so that 45 of them do not each
#: spend half a second of a shared core importing SQLAlchemy before they race: the race is the same, between
#: processes that each open their own connections, take the store's locks and commit on their own.
_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload(["ratify.cli.main", "ratify.store.database", "ratify.record.tracker", "psycopg"])
_started: list[Writer] = []


def _ratify(args: list[str], stderr: str) -> None:
    """`ratify ARGS` in this process, as `python -m ratify` runs it: its exit code is the process's."""
    os.environ.update(RATIFY_LOCK_TIMEOUT="60", RATIFY_USER="racer")
    import ratify.store.database

    ratify.store.database.LOCK_TIMEOUT_SECONDS = 60.0  # read at import, in the server, before this environment
    sys.stderr = open(stderr, "w", encoding="utf-8")  # noqa: SIM115 -- the process ends with the command
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    from ratify.cli import cli

    cli.main(args=args, prog_name="ratify")


def start(url: str, *args: str) -> Writer:
    """Start `ratify --db URL ARGS` in a process of its own."""
    stderr = Path(os.environ["RATIFY_RACE_DIR"]) / f"writer-{len(_started)}.err"
    process = _FORKS.Process(target=_ratify, args=(["--db", url, *args], str(stderr)))
    process.start()
    writer = Writer(list(args), process, stderr)
    _started.append(writer)
    return writer


def finish(started: list[Writer], timeout: float = 600) -> list[Outcome]:
    """Each writer's outcome; a writer still running after `timeout` seconds fails the test, and every
    writer still running then is killed and reaped, so nothing outlives the test."""
    deadline = time.monotonic() + timeout
    for writer in started:
        writer.process.join(max(0.0, deadline - time.monotonic()))
    late = [writer.args for writer in started if writer.process.is_alive()]
    if late:
        _stop_all()
        raise AssertionError(f"{len(late)} writers still running after {timeout:.0f} s, e.g. {late[0]}")
    return [Outcome(w.args, w.process.exitcode or 0, w.stderr.read_text(encoding="utf-8")) for w in started]


def _stop_all() -> None:
    for writer in _started:
        if writer.process.is_alive():
            writer.process.kill()
        writer.process.join()
        writer.process.close()
    _started.clear()


@pytest.fixture(autouse=True)
def _writers_cleaned_up(tmp_path, monkeypatch):
    """Every writer this test started is stopped and reaped, whether the test passed, failed or timed out."""
    monkeypatch.setenv("RATIFY_RACE_DIR", str(tmp_path))
    try:
        yield
    finally:
        _stop_all()


def test_parallel_writers_never_corrupt_the_record(store_url, tmp_path, capsys):
    store = "postgres" if "://" in store_url else "sqlite"
    assert run("--db", store_url, "init").exit_code == 0
    race = tmp_path / "race.json"
    parties = [{"state": code, "signed": "2023-01-10"} for code in PAIRS + TWINS]
    treaty = {"slug": "race", "title": "Race", "kind": "multilateral", "signed": "2023-01-10", "parties": parties}
    race.write_text(json.dumps({"treaties": [treaty]}))
    assert run("--db", store_url, "load", race).exit_code == 0
    began = time.monotonic()

    # 40 writers on one treaty. For each of PAIRS, two racers whose steps exclude each other:
    # a deposit on 1 July, and the legislature's approval on 1 August, after it. Whichever
    # commits first, the order checks must refuse the other. For each of TWINS, the same vote twice.
    first = []
    for code in PAIRS:
        first.append(start(store_url, "advance", "race", code, "instrument", "--date", "2023-07-01"))
        first.append(start(store_url, "advance", "race", code, "legislature", "--date", "2023-08-01"))
    for code in TWINS:
        for _ in range(2):
            first.append(start(store_url, "vote", "race", code, "legislature", "--date", "2023-06-01", "--yes", "90"))
    outcomes = finish(first)
    for index in range(0, len(outcomes), 2):
        pair = outcomes[index : index + 2]
        assert sorted(o.code for o in pair) == [0, 1], [(o.args, o.code, o.stderr) for o in pair]

    # A load while deposits arrive for the twins, whose legislatures have passed.
    second = [start(store_url, "load", *map(str, LOAD))]
    second += [start(store_url, "advance", "race", code, "instrument", "--date", "2023-09-01") for code in TWINS[:4]]
    later = finish(second)
    assert all(o.code == 0 for o in later), [(o.args, o.stderr) for o in later if o.code]
    outcomes += later
    elapsed = time.monotonic() - began

    for outcome in outcomes:
        if outcome.code:
            # Refused in one line of ratify's own words: no traceback, no driver message.
            assert outcome.code == 1 and outcome.stderr.startswith("Error: "), outcome.stderr
            assert outcome.stderr.count("\n") == 1, outcome.stderr
            assert "Traceback" not in outcome.stderr and "duplicate key" not in outcome.stderr

    stored = _events(store_url)
    assert not [key for key, count in Counter(stored).items() if count > 1], "an event was recorded twice"
    succeeded = [o for o in outcomes if o.code == 0 and o.args[0] != "load"]
    recorded = {key[:4] for key in stored}
    for outcome in succeeded:
        _, _, code, stage, _, day, *_ = outcome.args
        assert ("race", code, stage, date.fromisoformat(day)) in recorded, f"lost: {outcome.args}"
    assert Counter(key[0] for key in stored)["race"] == len(succeeded), "an event nobody reported was stored"
    assert set(_events(str(_reference_load(tmp_path)))) <= set(stored), "the load was not stored whole"
    _assert_cache_matches_derivation(store_url)
    _assert_histories_pass_the_checks(store_url, tmp_path)

    # The counts docs/performance.md quotes, printed even when the test passes (run it alone to see them).
    refused = sum(1 for o in outcomes if o.code)
    with capsys.disabled():
        print(
            f"\nparallel writers on {store}: {len(outcomes)} commands, {len(outcomes) - refused} succeeded, "
            f"{refused} refused, {elapsed:.1f} s"
        )


def _events(location: str) -> list[tuple]:
    """(treaty, party, stage, date, status, reading) of every event, one item per stored row."""
    from sqlmodel import select

    from ratify.store.database import Database
    from ratify.store.models import Event, Party, Stage, Treaty

    database = Database(location)
    try:
        with database.transaction() as session:
            rows = session.exec(
                select(Treaty.slug, Party.state, Stage.key, Event.date, Event.status, Event.reading)
                .join(Party, Party.treaty_id == Treaty.id)
                .join(Event, Event.party_id == Party.id)
                .join(Stage, Stage.id == Event.stage_id)
            ).all()
    finally:
        database.close()
    return [tuple(row) for row in rows]


def _reference_load(tmp_path: Path) -> Path:
    """The same files loaded alone, into a file of their own."""
    reference = tmp_path / "reference.db"
    assert run("--db", reference, "init").exit_code == 0
    assert run("--db", reference, "load", *LOAD).exit_code == 0
    return reference


def _assert_cache_matches_derivation(location: str) -> None:
    from ratify.reports.rows import Filters, _cached_rows, _derived_rows, load_stages
    from ratify.store.database import Database

    database = Database(location)
    try:
        with database.transaction() as session:
            stages = load_stages(session)
            today = date.today()
            cached = list(_cached_rows(session, stages, Filters(), today))
            derived = list(_derived_rows(session, stages, Filters(), today))
    finally:
        database.close()
    assert len(cached) == len(PAIRS) + len(TWINS) + _party_count(LOAD)
    assert cached == derived


def _party_count(files: list[Path]) -> int:
    import yaml

    return sum(len(t.get("parties", [])) for f in files for t in yaml.safe_load(f.read_text())["treaties"])


def _assert_histories_pass_the_checks(location: str, tmp_path: Path) -> None:
    """Loading an export replays every event through the same checks a command runs."""
    exported = run("--db", location, "export", "--format", "json")
    assert exported.exit_code == 0, exported.output
    dump = tmp_path / "export.json"
    dump.write_text(exported.stdout)
    replay = tmp_path / "replay.db"
    assert run("--db", replay, "init").exit_code == 0
    result = run("--db", replay, "load", dump)
    assert result.exit_code == 0, result.output
    again = run("--db", replay, "export", "--format", "json").stdout
    assert json.loads(again) == json.loads(exported.stdout)


# --------------------------------------------------------------------------- readers beside writers

#: Parties of the treaty the writers race on: one writer each, so that every refusal is the store's.
SERVED = PAIRS + TWINS + ["AUT", "BEL", "BGR", "CZE", "DEU", "EST", "FIN", "FRA", "GRC", "HUN",
                          "IRL", "ISL", "JPN", "KOR", "LTU", "LUX", "LVA", "NLD", "SVK", "SVN"]  # fmt: skip


def test_writers_beside_a_busy_web_view_all_succeed(store_url, tmp_path, capsys):
    """40 CLI writers while `ratify serve` answers a stream of requests: every write lands, with the
    default lock timeout (SQLite once refused 10 to 25 of them "database is locked")."""
    import threading
    import urllib.error
    import urllib.request

    from tests.test_web import free_port

    assert run("--db", store_url, "init").exit_code == 0
    race = tmp_path / "served.json"
    parties = [{"state": code, "signed": "2023-01-10"} for code in SERVED]
    treaty = {"slug": "served", "title": "Served", "kind": "multilateral", "signed": "2023-01-10", "parties": parties}
    race.write_text(json.dumps({"treaties": [treaty]}))
    assert run("--db", store_url, "load", race, *LOAD).exit_code == 0

    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as errors:
        server = subprocess.Popen(
            [sys.executable, "-m", "ratify", "--db", store_url, "serve", "--port", str(port)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    stop = threading.Event()
    answered: list[int] = []

    def read_pages() -> None:
        paths = ["/treaties/served", "/pending", "/changes.atom?since=2000-01-01", "/treaties/served.json", "/"]
        while not stop.is_set():
            for path in paths:
                try:
                    with urllib.request.urlopen(base + path, timeout=30) as response:
                        response.read()
                        answered.append(response.status)
                except urllib.error.HTTPError as error:
                    answered.append(error.code)
                except OSError:
                    time.sleep(0.05)  # not listening yet

    readers = [threading.Thread(target=read_pages) for _ in range(2)]
    try:
        for reader in readers:
            reader.start()
        deadline = time.monotonic() + 60
        while not answered and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.1)
        assert answered, f"ratify serve did not answer: {log.read_text()[-2000:]}"
        # Long enough for a shared machine running the whole suite, where forty interpreters starting at once
        # took four minutes; at the default (60 s) a quiet machine records all forty (docs/limits.md).
        env = {**os.environ, "RATIFY_USER": "racer", "RATIFY_LOCK_TIMEOUT": "600"}
        writers = []
        for code in SERVED:
            args = ["advance", "served", code, "instrument", "--date", "2023-07-01"]
            command = [sys.executable, "-m", "ratify", "--db", store_url, *args]
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True)  # fmt: skip
            writers.append((args, process))
        began = time.monotonic()
        took = {}
        while len(took) < len(writers) and time.monotonic() - began < 900:
            for args, process in writers:
                if args[2] not in took and process.poll() is not None:
                    took[args[2]] = time.monotonic() - began
            time.sleep(0.05)
        outcomes = [Outcome(args, process.wait(timeout=900), process.communicate()[1]) for args, process in writers]
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
        server.terminate()
        server.wait(timeout=10)

    refused = [(o.args[2], f"after {took.get(o.args[2], 0):.1f} s", o.stderr) for o in outcomes if o.code]
    store = "postgres" if "://" in store_url else "sqlite"
    with capsys.disabled():
        print(
            f"\nwriters beside serve on {store}: {len(outcomes) - len(refused)} of {len(outcomes)} succeeded, "
            f"{len(answered)} requests answered meanwhile, the last writer done after {max(took.values()):.0f} s"
        )
    assert not refused, refused
    assert set(answered) == {200}, Counter(answered)
    deposited = {key[1] for key in _events(store_url) if key[0] == "served" and key[2] == "instrument"}
    assert deposited == set(SERVED)


HOLD_A_SNAPSHOT = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN")
connection.execute("SELECT count(*) FROM event").fetchone()
print("reading", flush=True)
sys.stdin.read()  # holds the read transaction until the test closes its input
"""


@pytest.mark.sqlite_only
def test_a_reader_holding_a_snapshot_does_not_block_a_writer_or_its_commit(initialised, monkeypatch):
    """In SQLite's rollback-journal mode a writer cannot commit while any reader is inside a transaction:
    the web view rendering a long page made writers wait out their timeout. Write-ahead logging lets them
    through, and the reader keeps its snapshot."""
    assert run("load", FIXTURES / "treaties" / "rus-prk-2024.yaml").exit_code == 0
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_SNAPSHOT, str(initialised)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "reading\n"
        monkeypatch.setattr("ratify.store.database.LOCK_TIMEOUT_SECONDS", 1.0)
        began = time.monotonic()
        result = run("treaty", "add", "while-read", "--title", "Recorded while a reader reads", "--party", "FRA")
        assert result.exit_code == 0, result.output
        assert time.monotonic() - began < 30
    finally:
        reader.communicate(input="", timeout=30)
    assert reader.returncode == 0
    assert sqlite3_value(initialised, "PRAGMA journal_mode") == "wal"


def sqlite3_value(path, statement: str):
    import sqlite3

    connection = sqlite3.connect(path)
    try:
        return connection.execute(statement).fetchone()[0]
    finally:
        connection.close()
