"""On-demand performance benchmark for ratify.

Builds synthetic SQLite databases (S, M, L), times whole `ratify` commands as a
user runs them (wall clock, peak RSS) beside floors that no implementation in
this stack can beat, checks the targets, and writes bench/out/results.md.

    .venv/bin/python bench/benchmark.py [--sizes S,M,L] [--runs N] [--rebuild]

Standard library only, plus ratify itself (its pure rules for the cached
status columns, its CLI, and its store for the in-process statement counts).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
OUT = BENCH / "out"
VENV_BIN = Path(sys.executable).parent
PYTHON = str(VENV_BIN / "python")
RATIFY = str(VENV_BIN / "ratify")
SQLITE3 = shutil.which("sqlite3") or "/usr/bin/sqlite3"
TIME = "/usr/bin/time"



def _run_against_ref() -> None:
    """--ref REV: re-run this script against `git archive REV` instead of the working tree.

    The export goes to bench/data/src-SHA; PYTHONPATH puts it ahead of the
    editable install, for this process and every `ratify` it starts. Useful
    to compare revisions, or when the working tree is mid-change.
    """
    argv = sys.argv[1:]
    rev = next((a.split("=", 1)[1] for a in argv if a.startswith("--ref=")), None)
    if "--ref" in argv:
        rev = argv[argv.index("--ref") + 1]
    if rev is None or os.environ.get("BENCH_RATIFY_SRC"):
        return
    import io
    import tarfile

    sha = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short=12", f"{rev}^{{commit}}"],
                         capture_output=True, text=True, check=True).stdout.strip()
    dest = DATA / f"src-{sha}"
    if not dest.exists():
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", sha], capture_output=True, check=True).stdout
        partial = DATA / f"src-{sha}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(partial)
        partial.rename(dest)
    env = dict(os.environ, BENCH_RATIFY_SRC=str(dest), BENCH_RATIFY_REF=f"{sha} ({rev})")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(dest), os.environ.get("PYTHONPATH")]))
    print(f"benchmarking ratify at {sha} ({rev}) from {dest}", file=sys.stderr, flush=True)
    os.execve(sys.executable, [sys.executable, str(Path(__file__).resolve()), *argv], env)


_run_against_ref()
SRC = Path(os.environ.get("BENCH_RATIFY_SRC", ROOT))  # the ratify source being measured
sys.path.insert(0, str(SRC))

try:  # the cache API this generator reproduces (ratify up to 730b7aa)
    from ratify.rules.entry_into_force import in_force_on  # noqa: E402
    from ratify.tracker import record_event, refresh_treaty  # noqa: E402, F401
except ImportError as error:
    raise SystemExit(
        f"bench/benchmark.py: the ratify at {SRC / 'ratify'} no longer has the cache API the generator "
        f"reproduces ({error}).\nThe generator computes the Party cache as tracker.refresh_treaty did up to "
        "commit 730b7aa (rules.status.derive_progress + rules.entry_into_force.in_force_on). Run it with "
        "--ref 730b7aa, or update Builder.treaty, validate() and the sqlite3 floors to the new API."
    ) from None
from ratify.rules.status import EventFact, StageRef, derive_progress  # noqa: E402
from ratify.rules.votes import vote_result  # noqa: E402
from ratify.vocab import VOTING_KINDS, EventStatus, StageKind, Threshold, TreatyKind  # noqa: E402

# Bump when the generated data changes: a database is reused only if its key matches.
GENERATOR_VERSION = 4
SEED = 20240619
# The generator's "today": fixed so that a seed always gives the same database.
DATA_AS_OF = date(2025, 12, 31)
RECORDED_BASE = datetime(2025, 12, 31, 9, 0, 0)
BILATERAL_SLUG = "bench-bilateral"
PARTIES_PER_TREATY = 5
SIZES = {"S": 1_000, "M": 25_000, "L": 250_000}  # multilateral treaties; 5 parties each, ~6 events a party
DEFAULT_RUNS = {"S": 5, "M": 5, "L": 3}
RSS_LIMIT_MIB = 300

# UN member states (193) and the two observer states: the parties a multilateral treaty has.
STATES = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN BGR BFA
BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK DJI DMA DOM ECU EGY SLV
GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ
IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL
MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER
PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD
ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN
VNM YEM ZMB ZWE VAT PSE
""".split()
# States with their own procedure template join multilateral treaties more often than the average state.
TEMPLATE_STATE_WEIGHT = 8
PLACES = ["New York", "Geneva", "Vienna", "Paris", "The Hague", "Rome", "London", "Nairobi", "Montreal",
          "Bangkok", "Addis Ababa", "Strasbourg", "Kyoto", "Rio de Janeiro", "Minamata", "Marrakesh"]
SUBJECTS = ["Protection of Migratory Species", "Suppression of Terrorist Financing", "Civil Aviation Safety",
            "Maritime Boundaries", "Transboundary Water Courses", "Cultural Property", "Mutual Legal Assistance",
            "Nuclear Safety", "Plant Genetic Resources", "Road Traffic", "Rights of Persons with Disabilities",
            "Mercury", "Tobacco Control", "Cybercrime", "Investment Disputes", "Ozone Layer"]

# ----------------------------------------------------------------------------------------- helpers


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def stamp(moment: datetime) -> str:
    # SQLAlchemy's SQLite DATETIME storage format (always with microseconds).
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def templates_digest() -> str:
    """What the generated data depends on in the templates (not their notes and sources)."""
    from ratify.loader import read_fixture
    from ratify.procedures import templates_dir

    shape = []
    for path in sorted(templates_dir().glob("*.yaml")):
        for spec in read_fixture(path).procedures:
            shape.append([spec.id, spec.country, [
                [s.key, str(s.kind), s.body, s.seats, str(s.threshold), s.quorum, s.readings, s.optional]
                for s in spec.stages]])
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]


def rules_digest() -> str:
    """The pure rules that compute the cached columns: if they change, the cache must be rebuilt."""
    import ratify.rules.entry_into_force
    import ratify.rules.status

    digest = hashlib.sha256()
    for module in (ratify.rules.status, ratify.rules.entry_into_force):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def build_key(size: str) -> dict:
    from ratify.store import SCHEMA_VERSION

    return {
        "generator": GENERATOR_VERSION, "seed": SEED, "data_as_of": DATA_AS_OF.isoformat(), "size": size,
        "treaties": SIZES[size], "parties_per_treaty": PARTIES_PER_TREATY,
        "schema_version": SCHEMA_VERSION, "templates": templates_digest(), "rules": rules_digest(),
    }


@dataclass(frozen=True)
class StageRow:
    ref: StageRef  # built exactly as tracker._ref builds it
    procedure_id: str
    seats: int | None
    threshold: str
    quorum: int | None

    @property
    def voting(self) -> bool:
        return self.ref.kind in VOTING_KINDS


def read_stages(conn: sqlite3.Connection) -> dict[str, list[StageRow]]:
    """Every template's stages in position order, from the `stage` table ratify init wrote."""
    rows = conn.execute(
        "SELECT id, key, kind, body, position, optional, readings, procedure_id, seats, threshold, quorum "
        "FROM stage ORDER BY procedure_id, position"
    )
    by_procedure: dict[str, list[StageRow]] = {}
    for sid, key, kind, body, position, optional, readings, pid, seats, threshold, quorum in rows:
        ref = StageRef(sid, key, kind, body, position, bool(optional), readings)
        by_procedure.setdefault(pid, []).append(StageRow(ref, pid, seats, threshold, quorum))
    return by_procedure


class DuckTally:
    """What ratify.rules.votes.vote_result reads from a Tally, without pydantic's cost."""

    __slots__ = ("yes", "no", "abstain", "not_voting", "unanimous")

    def __init__(self, yes, no, abstain, not_voting, unanimous):
        self.yes, self.no, self.abstain, self.not_voting, self.unanimous = yes, no, abstain, not_voting, unanimous

    @property
    def has_counts(self) -> bool:
        return any(n is not None for n in (self.yes, self.no, self.abstain, self.not_voting))


def body_seats(code: str, stage: StageRow) -> int:
    """The stage's seats, else a stable size for this state's body (committees, `default` legislatures)."""
    if stage.seats:
        return stage.seats
    h = zlib.crc32(f"{code}/{stage.procedure_id}/{stage.ref.key}".encode())
    if stage.ref.kind == StageKind.COMMITTEE:
        return 13 + h % 40
    return 60 + h % 540


# A tally is (yes, no, abstain, not_voting, absent, seats, unanimous).
def make_tally(rng: random.Random, code: str, stage: StageRow, passed: bool) -> tuple:
    seats = body_seats(code, stage)
    if passed and rng.random() < 0.15:
        return (None, None, None, None, None, None, 1)  # "carried unanimously", no counts published
    present = round(seats * rng.uniform(0.8, 0.98))
    share = rng.uniform(0.72, 0.97) if passed else rng.uniform(0.12, 0.40)
    yes = max(1, round(present * share)) if passed else round(present * share)
    rest = present - yes
    abstain = rng.randint(0, rest // 4) if rest else 0
    no = rest - abstain
    unanimous = 1 if passed and no == 0 else 0
    tally = (yes, no, abstain, 0, seats - present, seats, unanimous)
    want = EventStatus.PASSED if passed else EventStatus.FAILED
    got = vote_result(DuckTally(yes, no, abstain, 0, bool(unanimous)), Threshold(stage.threshold),
                      seats=seats, quorum=stage.quorum)
    assert got == want, (code, stage, tally, got)
    return tally


# Per stage: chance it stalls there; that a sitting is announced (voting / other stage); that an
# announced sitting is postponed again; that a final vote fails; that a failed vote is never retaken.
STALL, ANNOUNCE_VOTE, ANNOUNCE_STEP, POSTPONE, FAIL, STAYS_REJECTED = 0.05, 0.9, 0.6, 0.52, 0.15, 0.35


# An event is (stage, status, ordinal date, reading, tally or None).
def party_history(rng: random.Random, code: str, stages: list[StageRow], signed: int, today: int) -> list[tuple]:
    """One party's steps: the procedure's stages in order, dates never going back, as far as it got."""
    events: list[tuple] = []
    day = signed
    speed = rng.choice((20, 45, 90, 180))  # how briskly this state moves this treaty

    def gap() -> int:
        return rng.randint(1, speed) + rng.randint(0, speed)

    for stage in stages:
        ref = stage.ref
        if ref.optional:
            roll = rng.random()
            if roll < 0.35:
                continue  # not used for this treaty
            if roll < 0.50:
                day += gap()
                if day > today:
                    return events
                events.append((stage, EventStatus.SKIPPED, day, None, None))
                continue
        if rng.random() < STALL:  # stalled here: maybe a sitting was announced, nothing since
            if rng.random() < 0.6:
                events.append((stage, EventStatus.SCHEDULED, day + gap(), None, None))
            return events
        day += gap()
        # Sittings announced ahead, some postponed (each postponement is a new scheduled event).
        announced = 0
        while rng.random() < (ANNOUNCE_VOTE if stage.voting else ANNOUNCE_STEP) and announced < 5:
            events.append((stage, EventStatus.SCHEDULED, day, None, None))
            announced += 1
            if rng.random() > POSTPONE:
                break
            day += rng.randint(1, 30)
        if day > today:
            return events  # the last announced sitting is still ahead
        if not stage.voting:
            events.append((stage, EventStatus.PASSED, day, None, None))
            continue
        for reading in range(1, ref.readings + 1):
            number = reading if ref.readings > 1 else None
            final = reading == ref.readings
            if final and rng.random() < FAIL:
                events.append((stage, EventStatus.FAILED, day, number, make_tally(rng, code, stage, False)))
                if rng.random() < STAYS_REJECTED:
                    return events  # rejected, and so it stays
                day += gap() + 30  # a new vote later
                if day > today:
                    return events
                if rng.random() < 0.5:
                    events.append((stage, EventStatus.SCHEDULED, day, None, None))
            tally = make_tally(rng, code, stage, True) if rng.random() < 0.9 else None
            events.append((stage, EventStatus.PASSED, day, number, tally))
            if not final:
                day += rng.randint(1, 20)
                if day > today:
                    return events
    return events


# ----------------------------------------------------------------------------------------- build

TREATY_SQL = ("INSERT INTO treaty (id, slug, title, kind, signed_on, place, note, sources, recorded_at, recorded_by) "
              "VALUES (?,?,?,?,?,?,?,?,?,?)")
PARTY_SQL = ("INSERT INTO party (id, treaty_id, state, name, is_organisation, signed_on, procedure_id, note, "
             "recorded_at, recorded_by, status, stage_id, stage_on, next_stage_id, failed_stage_id, "
             "next_scheduled_on, last_step_on, in_force_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
EVENT_SQL = ("INSERT INTO event (id, party_id, stage_id, status, date, reading, yes, no, abstain, not_voting, "
             "absent, seats, unanimous, source, note, out_of_order, recorded_at, recorded_by) "
             "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")


class Builder:
    """Streams treaties, parties and events into an initialised ratify database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        from ratify.countries import resolve_country

        self.conn = conn
        self.stages = read_stages(conn)
        self.names = {code: resolve_country(code).name for code in STATES}  # as ratify stores them
        assert len(set(STATES)) == 195 and all(resolve_country(c).code == c for c in STATES)
        self.procedure = {code: code if code in self.stages else "default" for code in STATES}
        self.weights = [TEMPLATE_STATE_WEIGHT if code in self.stages else 1 for code in STATES]
        self.cum_weights = list(itertools.accumulate(self.weights))
        self.treaties: list[tuple] = []
        self.parties: list[tuple] = []
        self.events: list[tuple] = []
        self.party_id = 0
        self.event_id = 0
        self.counts = {"treaties": 0, "parties": 0, "events": 0}
        self.states: dict[str, int] = {}
        self.kinds: dict[str, int] = {}
        self.dates: dict[int, tuple[date, str]] = {}

    def day(self, ordinal: int) -> tuple[date, str]:
        found = self.dates.get(ordinal)
        if found is None:
            value = date.fromordinal(ordinal)
            found = self.dates[ordinal] = (value, value.isoformat())
        return found

    def recorded(self) -> str:
        return stamp(RECORDED_BASE + timedelta(milliseconds=self.event_id + self.party_id))

    def treaty(self, tid: int, slug: str, title: str, kind: TreatyKind, signed: int, place: str,
               parties: list[tuple[str, int, list[tuple]]]) -> None:
        """parties: (code, signed ordinal, history) each; computes the cache as refresh_treaty does."""
        signed_on = self.day(signed)[1]
        sources = json.dumps([f"https://treaties.example.org/{slug}"])
        self.treaties.append((tid, slug, title, str(kind), signed_on, place, None, sources, self.recorded(), "bench"))
        rows = []
        progress = []
        for code, party_signed, history in parties:
            self.party_id += 1
            pid = self.party_id
            facts = []
            for stage, status, ordinal, reading, tally in history:
                self.event_id += 1
                when, when_iso = self.day(ordinal)
                facts.append(EventFact(stage.ref.id, str(status), when, reading))
                yes, no, abstain, not_voting, absent, seats, unanimous = tally or (None,) * 6 + (0,)
                source = f"https://parliament.example.org/{code.lower()}/{slug}/{stage.ref.key}" if ordinal % 3 else None
                self.events.append((self.event_id, pid, stage.ref.id, str(status), when_iso, reading, yes, no,
                                    abstain, not_voting, absent, seats, unanimous, source, None, 0,
                                    self.recorded(), "bench"))
            procedure_id = self.procedure.get(code, "default")
            refs = [s.ref for s in self.stages[procedure_id]]
            party_signed_on = self.day(party_signed)
            # Party.signed_on or Treaty.signed_on, as refresh_treaty passes it (the party's is always set here).
            result = derive_progress(refs, facts, signed_on=party_signed_on[0])
            progress.append(result)
            rows.append([pid, tid, code, self.names[code], 0, party_signed_on[1], procedure_id, None,
                         self.recorded(), "bench", result])
            self.counts["events"] += len(history)
        entry = in_force_on(kind, [p.instrument_on for p in progress])
        for row in rows:
            result = row.pop()
            state = str(result.state)
            self.states[state] = self.states.get(state, 0) + 1
            self.parties.append((*row, state, result.stage.id if result.stage else None, iso(result.stage_on),
                                 result.next_stage.id if result.next_stage else None,
                                 result.failed_stage.id if result.failed_stage else None,
                                 iso(result.next_scheduled_on), iso(result.last_step_on), iso(entry)))
        self.counts["treaties"] += 1
        self.counts["parties"] += len(rows)
        if len(self.events) >= 100_000:
            self.flush()

    def flush(self) -> None:
        self.conn.executemany(TREATY_SQL, self.treaties)
        self.conn.executemany(PARTY_SQL, self.parties)
        self.conn.executemany(EVENT_SQL, self.events)
        self.treaties.clear()
        self.parties.clear()
        self.events.clear()

    def bilateral(self) -> None:
        """A known bilateral treaty for `status SLUG`: France done, Japan half-way."""
        fra = {s.ref.key: s for s in self.stages["FRA"]}
        jpn = {s.ref.key: s for s in self.stages["JPN"]}
        o = date.toordinal
        fra_history = [
            (fra["assemblee_committee"], EventStatus.PASSED, o(date(2023, 9, 20)), None, None),
            (fra["assemblee_nationale"], EventStatus.SCHEDULED, o(date(2023, 10, 5)), None, None),
            (fra["assemblee_nationale"], EventStatus.PASSED, o(date(2023, 10, 5)), None,
             (401, 98, 30, 0, 48, 577, 0)),
            (fra["senat"], EventStatus.PASSED, o(date(2023, 12, 14)), None, (290, 20, 18, 0, 20, 348, 0)),
            (fra["promulgation"], EventStatus.PASSED, o(date(2023, 12, 27)), None, None),
            (fra["ratification"], EventStatus.PASSED, o(date(2024, 1, 15)), None, None),
            (fra["instrument"], EventStatus.PASSED, o(date(2024, 2, 1)), None, None),
        ]
        jpn_history = [
            (jpn["house_of_representatives"], EventStatus.PASSED, o(date(2024, 5, 16)), None,
             (402, 40, 0, 0, 23, 465, 0)),
            (jpn["house_of_councillors"], EventStatus.SCHEDULED, o(date(2026, 1, 20)), None, None),
        ]
        signed = o(date(2023, 3, 15))
        self.treaty(1, BILATERAL_SLUG, "Agreement between France and Japan on the Transfer of Defence Equipment "
                    "(benchmark fixture)", TreatyKind.BILATERAL, signed, "Tokyo",
                    [("FRA", signed, fra_history), ("JPN", signed, jpn_history)])

    def generate(self, treaties: int, seed: int) -> None:
        rng = random.Random(seed)
        today = DATA_AS_OF.toordinal()
        first, last = date(1950, 1, 1).toordinal(), date(2025, 12, 31).toordinal()
        self.bilateral()
        for number in range(1, treaties + 1):
            signed = rng.randint(first, last)
            codes: list[str] = []
            while len(codes) < PARTIES_PER_TREATY:  # distinct within the treaty
                code = rng.choices(STATES, cum_weights=self.cum_weights)[0]
                if code not in codes:
                    codes.append(code)
            parties = []
            for code in sorted(codes):
                party_signed = min(today, signed + (0 if rng.random() < 0.4 else rng.randint(1, 720)))
                stages = self.stages[self.procedure[code]]
                parties.append((code, party_signed, party_history(rng, code, stages, party_signed, today)))
            subject = SUBJECTS[number % len(SUBJECTS)]
            place = PLACES[rng.randrange(len(PLACES))]
            self.treaty(number + 1, f"t{number:06d}", f"Convention No. {number} on {subject}",
                        TreatyKind.MULTILATERAL, signed, place, parties)
            if number % 25_000 == 0:
                log(f"    {number:,} treaties, {self.counts['events']:,} events")
        self.flush()


def ratify_init(path: Path) -> None:
    done = subprocess.run([RATIFY, "--db", str(path), "init"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"ratify init failed: {done.stderr}")


def build(size: str, rebuild: bool) -> tuple[Path, dict]:
    DATA.mkdir(parents=True, exist_ok=True)
    db = DATA / f"{size}.db"
    info_path = DATA / f"{size}.json"
    key = build_key(size)
    if not rebuild and db.exists() and info_path.exists():
        info = json.loads(info_path.read_text())
        if info.get("key") == key:
            log(f"[{size}] reusing {db} (built {info['built_at']} in {info['build_seconds']:.0f} s)")
            info["reused"] = True
            return db, info
    log(f"[{size}] building {db} ...")
    tmp = DATA / f"{size}.building.db"
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    ratify_init(tmp)
    conn = sqlite3.connect(tmp, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-1048576", "temp_store=MEMORY"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("BEGIN")
    builder = Builder(conn)
    builder.generate(SIZES[size], SEED)
    conn.execute("COMMIT")
    conn.close()
    generated = time.perf_counter() - started
    log(f"[{size}] generated in {generated:.0f} s; replaying a sample through ratify to validate ...")
    checked = validate(tmp, sample=60)
    os.replace(tmp, db)
    counts = builder.counts
    info = {
        "key": key, "built_at": datetime.now().isoformat(timespec="seconds"), "build_seconds": generated,
        "counts": counts, "events_per_party": counts["events"] / counts["parties"],
        "party_states": dict(sorted(builder.states.items())), "validated": checked,
        "file_mib": db.stat().st_size / 2**20, "reused": False,
    }
    info_path.write_text(json.dumps(info, indent=2) + "\n")
    log(f"[{size}] {counts['treaties']:,} treaties, {counts['parties']:,} parties, {counts['events']:,} events "
        f"({info['events_per_party']:.2f}/party), {info['file_mib']:.0f} MiB, built in {generated:.0f} s")
    return db, info


def validate(db: Path, sample: int) -> dict:
    """Replay sampled treaties through ratify's own write path and compare the cached status.

    Each event goes through tracker.record_event (stage order, dates, duplicate
    and tally checks), then refresh_treaty recomputes the cache, which must
    equal what the generator stored. The whole database must pass SQLite's
    foreign key check.
    """
    from ratify import tracker
    from ratify.loader import load_builtin_templates
    from ratify.models import EventCreate, PartyCreate, TreatyCreate
    from ratify.store import Database

    src = sqlite3.connect(db)
    problems = src.execute("PRAGMA foreign_key_check").fetchall()
    assert not problems, problems[:5]
    stage_key = {sid: (pid, key) for sid, pid, key in src.execute("SELECT id, procedure_id, key FROM stage")}
    count = src.execute("SELECT max(id) FROM treaty").fetchone()[0]
    rng = random.Random(SEED + 1)
    ids = sorted({1, *rng.sample(range(2, count + 1), min(sample, count - 1))})
    cache_cols = ("status", "stage_id", "stage_on", "next_stage_id", "failed_stage_id", "next_scheduled_on",
                  "last_step_on", "in_force_on")
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Database(str(Path(scratch_dir) / "replay.db"))
        scratch.initialise()
        with scratch.transaction(write=True) as session:
            load_builtin_templates(session)
        events_checked = 0
        with scratch.transaction(write=True) as session:
            for tid in ids:
                slug, title, kind, signed, place = src.execute(
                    "SELECT slug, title, kind, signed_on, place FROM treaty WHERE id = ?", (tid,)).fetchone()
                treaty = tracker.add_treaty(session, TreatyCreate(slug=slug, title=title, kind=kind, signed=signed,
                                                                  place=place))
                parties = src.execute(
                    f"SELECT id, state, signed_on, procedure_id, {', '.join(cache_cols)} FROM party "
                    "WHERE treaty_id = ? ORDER BY id", (tid,)).fetchall()
                replayed = []
                for pid, state, party_signed, procedure_id, *cached in parties:
                    party = tracker.add_party(session, treaty, PartyCreate(state=state, signed=party_signed))
                    assert party.procedure_id == procedure_id, (state, party.procedure_id, procedure_id)
                    for row in src.execute(
                        "SELECT stage_id, status, date, reading, yes, no, abstain, not_voting, absent, seats, "
                        "unanimous, source FROM event WHERE party_id = ? ORDER BY date, id", (pid,)
                    ):
                        stage_id, status, day, reading, yes, no, abstain, not_voting, absent, seats, unanimous, source = row
                        vote = None
                        if unanimous or yes is not None:
                            vote = {"yes": yes, "no": no, "abstain": abstain, "not_voting": not_voting,
                                    "absent": absent, "seats": seats, "unanimous": bool(unanimous)}
                        tracker.record_event(session, treaty, party, EventCreate(
                            stage=stage_key[stage_id][1], status=status, date=day, reading=reading, vote=vote,
                            source=source))
                        events_checked += 1
                    replayed.append((party, cached))
                tracker.refresh_treaty(session, treaty)
                for party, cached in replayed:
                    mine = [getattr(party, c) for c in cache_cols]
                    mine = [iso(v) if isinstance(v, date) else v for v in mine]
                    mine[0] = str(mine[0])
                    for index in (1, 3, 4):  # stage ids: compare by (procedure, key)
                        mine[index] = stage_key.get(mine[index]) if mine[index] else None
                        cached[index] = stage_key.get(cached[index]) if cached[index] else None
                    assert mine == list(cached), (slug, party.state, mine, cached)
        scratch.engine.dispose()
    src.close()
    return {"treaties": len(ids), "events": events_checked}


# ----------------------------------------------------------------------------------------- timing


@dataclass
class Sample:
    seconds: float
    rss_mib: float
    cpu_seconds: float  # user + system, as /usr/bin/time reports them


def child_env(as_is: bool) -> dict[str, str]:
    """The environment commands run in: a user's, where Python caches bytecode.

    A shell with PYTHONDONTWRITEBYTECODE set (some sandboxes and CI images do)
    makes every run recompile ratify's own modules, while the floors import
    packages that pip compiled at install time. Unless --as-is-env, bytecode is
    cached under bench/data/pycache (PYTHONPYCACHEPREFIX) for ratify and the
    floors alike, and the warm-up run fills it.
    """
    env = dict(os.environ)
    env.pop("RATIFY_DB", None)
    env["RATIFY_USER"] = "bench"
    if not as_is:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(DATA / "pycache")
    return env


ENV = child_env(False)


def timed(argv: list[str], *, stdout_path: Path | None = None, expect_ok: bool = True) -> tuple[Sample, str]:
    """Run a command as a user would, under /usr/bin/time; wall clock around the whole process."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as rss_file:
        full = [TIME, "-f", "%M %U %S", "-o", rss_file.name, *argv]
        out = open(stdout_path, "w") if stdout_path else subprocess.PIPE
        try:
            started = time.perf_counter()
            done = subprocess.run(full, stdout=out, stderr=subprocess.PIPE, text=True, env=ENV)
            seconds = time.perf_counter() - started
        finally:
            if stdout_path:
                out.close()
        lines = [line for line in Path(rss_file.name).read_text().splitlines() if line.strip()]
    if expect_ok and done.returncode != 0:
        raise SystemExit(f"command failed ({done.returncode}): {' '.join(argv)}\n{done.stderr}")
    rss_kib, user, system = lines[-1].split()
    return Sample(seconds, int(rss_kib) / 1024, float(user) + float(system)), (done.stdout or "")


PARTY_JOIN = (
    "SELECT t.slug, t.kind, t.signed_on, p.id, p.state, p.name, p.signed_on, p.procedure_id, p.status, p.stage_id, "
    "p.stage_on, p.next_stage_id, p.failed_stage_id, p.next_scheduled_on, p.last_step_on, p.in_force_on "
    "FROM party p JOIN treaty t ON t.id = p.treaty_id"
)


def sqlite_floor_sql(today: date) -> dict[str, str]:
    return {
        "status SLUG": f"{PARTY_JOIN} WHERE t.slug = '{BILATERAL_SLUG}' ORDER BY t.slug, p.state;",
        "pending --limit 50": (
            f"{PARTY_JOIN} WHERE p.in_force_on IS NULL OR p.in_force_on > '{today.isoformat()}' "
            "ORDER BY p.last_step_on IS NULL, p.last_step_on, t.slug, p.state LIMIT 50;"
        ),
        "status --format csv > file": f"{PARTY_JOIN} ORDER BY t.slug, p.state;",
    }


@dataclass
class VoteTarget:
    party_id: int
    slug: str
    state: str
    stage: StageRow
    args: list[str]
    seats: int
    yes: int
    no: int


def vote_targets(db: Path, count: int, today: date) -> list[VoteTarget]:
    """Parties (one per treaty) whose next stage is a voting stage; a passing vote for each."""
    conn = sqlite3.connect(db)
    stages = {s.ref.id: s for rows in read_stages(conn).values() for s in rows}
    voting = [sid for sid, s in stages.items() if s.voting]
    rows = conn.execute(
        "SELECT p.id, t.slug, p.state, p.next_stage_id FROM party p JOIN treaty t ON t.id = p.treaty_id "
        f"WHERE t.kind = 'multilateral' AND p.status != 'rejected' AND p.next_stage_id IN ({','.join(map(str, voting))}) "
        "AND (p.last_step_on IS NULL OR p.last_step_on < ?) AND p.id % 7 = 3 LIMIT 20000",
        (today.isoformat(),),
    ).fetchall()
    conn.close()
    rng = random.Random(SEED + 2)
    rng.shuffle(rows)
    targets, seen = [], set()
    for pid, slug, state, next_stage_id in rows:
        if slug in seen:
            continue
        seen.add(slug)
        stage = stages[next_stage_id]
        seats = body_seats(state, stage)
        yes, no = seats * 3 // 4 + 1, seats // 10
        assert vote_result(DuckTally(yes, no, None, None, False), Threshold(stage.threshold), seats=seats,
                           quorum=stage.quorum) == EventStatus.PASSED
        args = [slug, state, stage.ref.key, "--date", today.isoformat(), "--yes", str(yes), "--no", str(no),
                "--seats", str(seats), "--source", "https://bench.example.org/vote"]
        targets.append(VoteTarget(pid, slug, state, stage, args, seats, yes, no))
        if len(targets) == count:
            return targets
    raise SystemExit(f"only {len(targets)} parties with a voting stage next; need {count}")


def vote_floor_sql(db: Path, target: VoteTarget, today: date) -> str:
    """The same write by hand: INSERT the event and UPDATE the party's cache, one transaction."""
    conn = sqlite3.connect(db)
    stages = read_stages(conn)
    treaty_signed, party_signed, procedure_id = conn.execute(
        "SELECT t.signed_on, p.signed_on, p.procedure_id FROM party p JOIN treaty t ON t.id = p.treaty_id "
        "WHERE p.id = ?", (target.party_id,)).fetchone()
    facts = [EventFact(s, st, date.fromisoformat(d), r) for s, st, d, r in conn.execute(
        "SELECT stage_id, status, date, reading FROM event WHERE party_id = ? ORDER BY date, id", (target.party_id,))]
    conn.close()
    facts.append(EventFact(target.stage.ref.id, "passed", today, None))
    signed = date.fromisoformat(party_signed or treaty_signed)
    p = derive_progress([s.ref for s in stages[procedure_id]], facts, signed_on=signed)

    def q(value) -> str:
        if value is None:
            return "NULL"
        return str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"

    now = stamp(datetime.now())
    return (
        "PRAGMA foreign_keys=ON; BEGIN IMMEDIATE; "
        "INSERT INTO event (party_id, stage_id, status, date, reading, yes, no, abstain, not_voting, absent, seats, "
        "unanimous, source, note, out_of_order, recorded_at, recorded_by) VALUES "
        f"({target.party_id}, {target.stage.ref.id}, 'passed', {q(today.isoformat())}, NULL, {target.yes}, "
        f"{target.no}, NULL, NULL, NULL, {target.seats}, 0, 'https://bench.example.org/vote', NULL, 0, {q(now)}, "
        "'bench'); "
        f"UPDATE party SET status = {q(str(p.state))}, stage_id = {q(p.stage.id if p.stage else None)}, "
        f"stage_on = {q(iso(p.stage_on))}, next_stage_id = {q(p.next_stage.id if p.next_stage else None)}, "
        f"failed_stage_id = {q(p.failed_stage.id if p.failed_stage else None)}, "
        f"next_scheduled_on = {q(iso(p.next_scheduled_on))}, last_step_on = {q(iso(p.last_step_on))}, "
        f"in_force_on = NULL WHERE id = {target.party_id}; COMMIT;"
    )


COMMANDS = ("status SLUG", "pending --limit 50", "status --format csv > file", "vote", "--help")


def bench_size(size: str, db: Path, runs: int) -> dict:
    """Median wall time and peak RSS of each command and its floors at one size."""
    OUT.mkdir(parents=True, exist_ok=True)
    today = date.today()
    work = DATA / f"{size}.work.db"  # votes write to a copy; the cached database stays as built
    log(f"[{size}] copying to {work.name} for the vote runs ...")
    shutil.copyfile(db, work)
    try:
        targets = vote_targets(work, 2 * (runs + 1), today)
        ratify_targets, floor_targets = targets[: runs + 1], targets[runs + 1:]
        floor_sql = sqlite_floor_sql(today)
        csv_out = OUT / f"status-{size}.csv"
        csv_floor = OUT / f"status-{size}-sqlite3.csv"
        db_arg = ["--db", str(db)]
        plan = {
            "F": lambda i: timed([PYTHON, "-c", "import click, tabulate, sqlmodel"]),
            "C": lambda i: timed([PYTHON, "-c", "import click"]),
            "--help": lambda i: timed([RATIFY, "--help"]),
            "status SLUG": lambda i: timed([RATIFY, *db_arg, "status", BILATERAL_SLUG]),
            "sqlite3 status SLUG": lambda i: timed([SQLITE3, "-batch", str(db), floor_sql["status SLUG"]]),
            "pending --limit 50": lambda i: timed([RATIFY, *db_arg, "pending", "--limit", "50"]),
            "sqlite3 pending --limit 50": lambda i: timed([SQLITE3, "-batch", str(db), floor_sql["pending --limit 50"]]),
            "vote": lambda i: timed([RATIFY, "--db", str(work), "vote", *ratify_targets[i].args]),
            "sqlite3 vote": lambda i: timed([SQLITE3, "-batch", str(work), vote_floor_sql(work, floor_targets[i], today)]),
            "status --format csv > file": lambda i: timed([RATIFY, *db_arg, "status", "--format", "csv"],
                                                          stdout_path=csv_out),
            "sqlite3 status --format csv > file": lambda i: timed(
                [SQLITE3, "-batch", "-csv", "-header", str(db), floor_sql["status --format csv > file"]],
                stdout_path=csv_floor),
        }
        samples: dict[str, list[Sample]] = {name: [] for name in plan}
        for i in range(runs + 1):  # run 0 warms the page cache and imports; not counted
            log(f"[{size}] {'warm-up' if i == 0 else f'run {i}/{runs}'} ...")
            for name, run in plan.items():
                sample, output = run(i)
                if name == "status SLUG" and i == 0:
                    assert "FRA" in output and "JPN" in output, output
                if name == "pending --limit 50" and i == 0:
                    assert len(output.strip().splitlines()) == 52, output[:500]  # header, rule, 50 rows
                if i:
                    samples[name].append(sample)
        # Both full reports hold one line per party plus a header.
        lines = [sum(1 for _ in open(path)) for path in (csv_out, csv_floor)]
        parties = sqlite3.connect(db).execute("SELECT count(*) FROM party").fetchone()[0]
        assert lines == [parties + 1, parties + 1], (lines, parties)
        csv_out.unlink()
        csv_floor.unlink()
    finally:
        work.unlink(missing_ok=True)
    return {
        name: {"seconds": statistics.median(s.seconds for s in found), "rss_mib": max(s.rss_mib for s in found),
               "cpu_seconds": statistics.median(s.cpu_seconds for s in found),
               "all": [round(s.seconds, 4) for s in found]}
        for name, found in samples.items()
    }


# ----------------------------------------------------------------------------------------- statements


def statement_counts(db: Path) -> tuple[dict[str, int], dict[str, list[tuple[str, tuple]]]]:
    """SQL statements each read command runs, in-process (CliRunner) with a cursor listener."""
    from click.testing import CliRunner
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from ratify.cli import cli

    seen: list[tuple[str, tuple]] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, tuple(parameters or ())))

    event.listen(Engine, "before_cursor_execute", listener)
    counts, statements = {}, {}
    try:
        runner = CliRunner()
        for name, args in (
            ("status SLUG", ["status", BILATERAL_SLUG]),
            ("pending --limit 50", ["pending", "--limit", "50"]),
            ("status --format csv", ["status", "--format", "csv"]),
        ):
            seen.clear()
            result = runner.invoke(cli, ["--db", str(db), *args], catch_exceptions=False)
            assert result.exit_code == 0, result.output
            counts[name] = len(seen)
            statements[name] = list(seen)
    finally:
        event.remove(Engine, "before_cursor_execute", listener)
    return counts, statements


def query_plans(db: Path, statements: dict[str, list[tuple[str, tuple]]]) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of the main report query ratify ran (the one on party)."""
    conn = sqlite3.connect(db)
    plans = {}
    for name, found in statements.items():
        main = [(sql, params) for sql, params in found if "FROM party" in sql]
        if not main:
            continue
        sql, params = main[-1]
        plans[name] = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
        plans[name].insert(0, "SQL: " + " ".join(sql.split()))
    conn.close()
    return plans


# ----------------------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    mem_kib = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    cli_version = subprocess.run([SQLITE3, "--version"], capture_output=True, text=True).stdout.split()[:1]
    from ratify import __version__

    import ratify

    if os.environ.get("BENCH_RATIFY_REF"):
        source = f"git archive {os.environ['BENCH_RATIFY_REF']}"
    else:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "ratify"],
                               capture_output=True, text=True).stdout.strip()
        source = f"working tree at {commit or 'unknown'}" + (" with uncommitted changes in ratify/" if dirty else "")
    return {
        "date": datetime.now().isoformat(timespec="seconds"),
        "ratify source": f"{source} ({Path(ratify.__file__).parent})",
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "cpu": cpu,
        "memory": f"{mem_kib / 2**20:.1f} GiB",
        "python": platform.python_version(),
        "sqlite (python module)": sqlite3.sqlite_version,
        "sqlite3 shell": " ".join(cli_version),
        "ratify": __version__,
        "loadavg": Path("/proc/loadavg").read_text().split()[0],
        "kernel": platform.release(),
    }


def evaluate(size: str, r: dict) -> list[dict]:
    """One row per command: its time, floors, ratios and target verdicts."""
    f, c = r["F"]["seconds"], r["C"]["seconds"]
    rows = []
    for name in COMMANDS:
        t, rss = r[name]["seconds"], r[name]["rss_mib"]
        sqlite = r.get(f"sqlite3 {name}")
        row = {"size": size, "command": name, "seconds": t, "rss_mib": rss, "cpu": r[name]["cpu_seconds"],
               "floor": "C" if name == "--help" else "F", "sqlite": sqlite["seconds"] if sqlite else None,
               "sqlite_rss": sqlite["rss_mib"] if sqlite else None, "checks": []}
        base = c if name == "--help" else f
        row["floor_seconds"] = base
        row["x_floor"] = t / base
        row["x_sqlite"] = t / sqlite["seconds"] if sqlite else None
        if name in ("status SLUG", "vote"):
            row["checks"].append((f"<= 1.3x F ({1.3 * f:.3f} s)", t <= 1.3 * f))
        if name == "pending --limit 50" and size in ("M", "L"):
            limit = f + 3 * sqlite["seconds"]
            row["checks"].append((f"<= F + 3x sqlite3 ({limit:.3f} s)", t <= limit))
        if name == "--help":
            row["checks"].append((f"<= 2x C ({2 * c:.3f} s)", t <= 2 * c))
        if size == "L":
            row["checks"].append((f"RSS <= {RSS_LIMIT_MIB} MiB", rss <= RSS_LIMIT_MIB))
        rows.append(row)
    return rows


def markdown(all_rows: list[dict], results: dict, builds: dict, counts: dict, plans: dict, info: dict) -> str:
    lines = ["# ratify benchmark results", ""]
    lines += [f"- **{k}**: {v}" for k, v in info.items()]
    lines += ["", "## Databases", "",
              "| size | treaties | parties | events | events/party | file MiB | build s | reused |",
              "|---|---:|---:|---:|---:|---:|---:|---|"]
    for size, b in builds.items():
        n = b["counts"]
        lines.append(f"| {size} | {n['treaties']:,} | {n['parties']:,} | {n['events']:,} | "
                     f"{b['events_per_party']:.2f} | {b['file_mib']:.0f} | {b['build_seconds']:.0f} | "
                     f"{'yes' if b.get('reused') else 'no'} |")
    lines += ["", "## Commands (median wall time; peak RSS is the max over runs)", "",
              "| size | command | median s | CPU s | peak RSS MiB | floor s | x floor | sqlite3 s | x sqlite3 | targets |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for row in all_rows:
        checks = "; ".join(f"{'PASS' if ok else '**FAIL**'} {what}" for what, ok in row["checks"]) or "-"
        sqlite = f"{row['sqlite']:.3f}" if row["sqlite"] is not None else "-"
        x_sqlite = f"{row['x_sqlite']:.1f}" if row["x_sqlite"] is not None else "-"
        lines.append(f"| {row['size']} | `{row['command']}` | {row['seconds']:.3f} | {row['cpu']:.2f} | "
                     f"{row['rss_mib']:.0f} | "
                     f"{row['floor']} {row['floor_seconds']:.3f} | {row['x_floor']:.2f} | {sqlite} | {x_sqlite} | "
                     f"{checks} |")
    lines += ["", "Floors: F = `python -c \"import click, tabulate, sqlmodel\"`, C = `python -c \"import click\"` "
              "(same venv python); sqlite3 = the sqlite3 shell answering the same question with SQL on the same "
              "file (vote: INSERT event + UPDATE party in one transaction, on a copy).", "",
              "| size | floor | median s | CPU s | peak RSS MiB |", "|---|---|---:|---:|---:|"]
    for size, r in results.items():
        for name in ("F", "C", "sqlite3 status SLUG", "sqlite3 pending --limit 50", "sqlite3 vote",
                     "sqlite3 status --format csv > file"):
            lines.append(f"| {size} | {name} | {r[name]['seconds']:.3f} | {r[name]['cpu_seconds']:.2f} | "
                         f"{r[name]['rss_mib']:.0f} |")
    lines += ["", "## SQL statements per command (in-process, CliRunner + before_cursor_execute)", "",
              "| size | " + " | ".join(f"`{n}`" for n in next(iter(counts.values()), {})) + " |",
              "|---|" + "---:|" * len(next(iter(counts.values()), {}))]
    for size, found in counts.items():
        lines.append(f"| {size} | " + " | ".join(str(v) for v in found.values()) + " |")
    failed = [(row["size"], row["command"], what) for row in all_rows for what, ok in row["checks"] if not ok]
    lines += ["", "## Targets missed", ""]
    lines += [f"- {size} `{command}`: {what}" for size, command, what in failed] or ["- none"]
    if plans:
        size, found = plans
        lines += ["", f"## Query plans at {size} (EXPLAIN QUERY PLAN of ratify's own SQL)", ""]
        for name, plan in found.items():
            lines += [f"`{name}`:", "", "```", *plan, "```", ""]
    lines += ["", "## All runs (seconds)", ""]
    for size, r in results.items():
        for name, value in r.items():
            lines.append(f"- {size} {name}: {value['all']}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M,L", help="comma-separated sizes out of S,M,L (default: all)")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per command (default 5; 3 at L)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases even if cached")
    parser.add_argument("--ref", metavar="REV",
                        help="measure ratify as committed at git revision REV (exported under bench/data)")
    parser.add_argument("--as-is-env", action="store_true",
                        help="run commands in this shell's environment as is (e.g. keep PYTHONDONTWRITEBYTECODE)")
    parser.add_argument("--build-only", action="store_true", help="build (or check) the databases, time nothing")
    args = parser.parse_args()
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}; use S, M, L")
    if not Path(TIME).exists():
        raise SystemExit(f"{TIME} (GNU time) is needed for peak RSS")

    global ENV
    ENV = child_env(args.as_is_env)
    info = machine()
    info["environment"] = ("as is" if args.as_is_env else "bytecode cached under bench/data/pycache") + (
        f"; PYTHONDONTWRITEBYTECODE={ENV['PYTHONDONTWRITEBYTECODE']}" if "PYTHONDONTWRITEBYTECODE" in ENV else "")
    if args.build_only:
        for size in sizes:
            build(size, args.rebuild)
        return
    builds, results, counts, all_rows, plans = {}, {}, {}, [], None
    for size in sizes:
        db, build_info = build(size, args.rebuild)
        builds[size] = build_info
        if args.build_only:
            continue
        runs = args.runs or DEFAULT_RUNS[size]
        results[size] = bench_size(size, db, runs)
        log(f"[{size}] counting SQL statements in-process ...")
        counts[size], statements = statement_counts(db)
        plans = (size, query_plans(db, statements))
        all_rows += evaluate(size, results[size])
        log(f"[{size}] done")
    info["load average (start / end)"] = f"{info.pop('loadavg')} / {Path('/proc/loadavg').read_text().split()[0]}"
    text = markdown(all_rows, results, builds, counts, plans, info)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.md").write_text(text)
    (OUT / "results.json").write_text(json.dumps(
        {"machine": info, "builds": builds, "results": results, "statements": counts}, indent=2, default=str) + "\n")
    print(text)
    log(f"wrote {OUT / 'results.md'}")


if __name__ == "__main__":
    main()
