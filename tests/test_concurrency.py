"""Writers in parallel processes, through the real CLI, on each store.

Every writing command must check and write as if it ran alone: nothing that
reported success may be lost, nothing may be recorded twice, every history must
be one the order checks allow, and the status cache must equal a fresh
derivation from the events.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, run
from tests.forked import Command, finish

# Hypothesis over whole commands, or processes racing: `make check` leaves these out.
pytestmark = pytest.mark.slow

# Parties with no template of their own follow the default procedure:
# legislature, assent (optional), instrument.
PAIRS = ["ARG", "AUS", "BRA", "CAN", "CHL", "COL", "DNK", "EGY", "ESP", "ITA"]
TWINS = ["KEN", "MEX", "NGA", "NOR", "NZL", "PER", "POL", "PRT", "SWE", "ZAF"]
LOAD = [FIXTURES / "treaties" / "budapest-2001.yaml"]


#: The writers' environment: the lock timeout is the default, given so that no setting of this shell counts.
RACER = {"RATIFY_USER": "racer", "RATIFY_LOCK_TIMEOUT": "60"}


def test_parallel_writers_never_corrupt_the_record(store_url, tmp_path, capsys, forked):
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
    def start(*args: str) -> Command:
        return forked(store_url, list(args), **RACER)

    first = []
    for code in PAIRS:
        first.append(start("advance", "race", code, "instrument", "--date", "2023-07-01"))
        first.append(start("advance", "race", code, "legislature", "--date", "2023-08-01"))
    for code in TWINS:
        for _ in range(2):
            first.append(start("vote", "race", code, "legislature", "--date", "2023-06-01", "--yes", "90"))
    outcomes = finish(first)
    for index in range(0, len(outcomes), 2):
        pair = outcomes[index : index + 2]
        assert sorted(o.code for o in pair) == [0, 1], [(o.args, o.code, o.stderr) for o in pair]

    # A load while deposits arrive for the twins, whose legislatures have passed.
    second = [start("load", *map(str, LOAD))]
    second += [start("advance", "race", code, "instrument", "--date", "2023-09-01") for code in TWINS[:4]]
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


def test_writers_beside_a_busy_web_view_all_succeed(store_url, tmp_path, capsys, forked):
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
        began = time.monotonic()
        writers = [
            forked(store_url, ["advance", "served", code, "instrument", "--date", "2023-07-01"], **RACER)
            for code in SERVED
        ]
        outcomes = finish(writers)
        elapsed = time.monotonic() - began
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
        server.terminate()
        server.wait(timeout=10)

    refused = [(o.args[2], o.stderr) for o in outcomes if o.code]
    store = "postgres" if "://" in store_url else "sqlite"
    with capsys.disabled():
        print(
            f"\nwriters beside serve on {store}: {len(outcomes) - len(refused)} of {len(outcomes)} succeeded, "
            f"{len(answered)} requests answered meanwhile, the last writer done after {elapsed:.0f} s"
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
