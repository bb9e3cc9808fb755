"""On-demand performance benchmark for ratify.

Builds synthetic SQLite databases (S, M, L), times whole `ratify` commands as a
user runs them (wall clock, peak RSS) beside floors that no implementation in
this stack can beat, checks the targets, and writes bench/out/results.md.

    .venv/bin/python bench/benchmark.py [--sizes S,M,L] [--runs N] [--rebuild] [--ref REV | --worktree]

By default it measures ratify as committed at HEAD (`git archive HEAD`), not
the working tree. Standard library only, plus ratify itself (its pure rules
for the cache columns, its write path for the replay check, its CLI, and its
store for the in-process statement counts). See bench/README.md.
"""

from __future__ import annotations

import argparse
import collections
import csv
import hashlib
import itertools
import json
import os
import platform
import random
import re
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
    """Re-run this script against `git archive REV` (default HEAD) instead of the working tree.

    The export goes to bench/data/src-SHA; PYTHONPATH puts it ahead of the
    editable install, for this process and every `ratify` it starts, so what
    is measured is exactly a commit, whatever is uncommitted. --worktree
    measures the working tree (the editable install) instead. "This script"
    is the one Python started (sys.argv[0]): a script that imports this
    module (bench/postgres.py) is re-run itself, with its own options.
    """
    argv = sys.argv[1:]
    if os.environ.get("BENCH_RATIFY_SRC") or "--worktree" in argv or {"-h", "--help"} & set(argv):
        return
    rev = next((a.split("=", 1)[1] for a in argv if a.startswith("--ref=")), "HEAD")
    if "--ref" in argv:
        rev = argv[argv.index("--ref") + 1]
    import io
    import tarfile

    sha = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short=12", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dest = DATA / f"src-{sha}"
    if not dest.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", sha], capture_output=True, check=True).stdout
        partial = DATA / f"src-{sha}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(partial, filter="data")
        partial.rename(dest)
    env = dict(os.environ, BENCH_RATIFY_SRC=str(dest), BENCH_RATIFY_REF=f"{sha} ({rev})")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(dest), os.environ.get("PYTHONPATH")]))
    print(f"benchmarking ratify at {sha} ({rev}) from {dest}", file=sys.stderr, flush=True)
    os.execve(sys.executable, [sys.executable, str(Path(sys.argv[0]).resolve()), *argv], env)


_run_against_ref()
SRC = Path(os.environ.get("BENCH_RATIFY_SRC", ROOT))  # the ratify source being measured
sys.path.insert(0, str(SRC))

try:  # the cache API this generator reproduces: ratify.store.cache.refresh_treaty folds whole treaties
    from ratify.rules.treaty import ActFact, PartyFacts, TreatyFacts, fold_treaty  # noqa: E402
    from ratify.store.cache import refresh_treaty  # noqa: E402, F401
except ImportError as error:
    raise SystemExit(
        f"bench/benchmark.py: the ratify at {SRC / 'ratify'} lacks the cache API the generator reproduces "
        f"({error}).\nThe generator computes the Party and Treaty cache columns as ratify.store.cache.refresh_treaty "
        "does (rules.treaty.fold_treaty), as of commit f62f81e. For older revisions use the benchmark of that time "
        "(git show 730b7aa:bench/benchmark.py)."
    ) from None
from ratify.rules.spec import Rule  # noqa: E402
from ratify.rules.status import EventFact, StageRef, party_state  # noqa: E402
from ratify.rules.votes import vote_result  # noqa: E402
from ratify.vocab import (  # noqa: E402
    VOTING_KINDS,
    ActKind,
    ConsentType,
    EventStatus,
    StageKind,
    Threshold,
    TreatyKind,
)

# Bump when the generated data changes: a database is reused only if its key matches.
# 5: the cache of f62f81e (fold_treaty: consent, deposit, withdrawal, suspension, provisional application,
#    treaty rule_met_on/in_force_on), count rules, acts, terminations and supersessions.
GENERATOR_VERSION = 5
SEED = 20240619
# The generator's "today": fixed so that a seed always gives the same database.
DATA_AS_OF = date(2025, 12, 31)
RECORDED_BASE = datetime(2025, 12, 31, 9, 0, 0)
BILATERAL_SLUG = "bench-bilateral"
PARTIES_PER_TREATY = 5
SIZES = {"S": 1_000, "M": 25_000, "L": 250_000}  # multilateral treaties; 5 parties each, ~6 events a party
DEFAULT_RUNS = {"S": 7, "M": 7, "L": 5}
RSS_LIMIT_MIB = 300

# Entry-into-force rules of the multilateral treaties (Treaty.rule, as ratify stores a Rule), with weights.
RULES = [
    ({"kind": "count", "parties": 3, "delay": {"days": 30}}, 6),
    ({"kind": "count", "parties": 2, "delay": {"days": 90}}, 2),
    ({"kind": "count", "parties": 4, "delay": {"months": 3, "first_of_following_month": True}}, 2),
]
# Per treaty: chance it was terminated on a date, or superseded by a later treaty (then it ends when that
# treaty enters into force). Per party with an instrument: withdrawal notice, suspension, consent withdrawn;
# per party without: provisional application.
TERMINATED, SUPERSEDED = 0.01, 0.015
WITHDRAWAL, SUSPENSION, CONSENT_WITHDRAWN, PROVISIONAL = 0.03, 0.015, 0.005, 0.03

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
PLACES = [
    "New York",
    "Geneva",
    "Vienna",
    "Paris",
    "The Hague",
    "Rome",
    "London",
    "Nairobi",
    "Montreal",
    "Bangkok",
    "Addis Ababa",
    "Strasbourg",
    "Kyoto",
    "Rio de Janeiro",
    "Minamata",
    "Marrakesh",
]
SUBJECTS = [
    "Protection of Migratory Species",
    "Suppression of Terrorist Financing",
    "Civil Aviation Safety",
    "Maritime Boundaries",
    "Transboundary Water Courses",
    "Cultural Property",
    "Mutual Legal Assistance",
    "Nuclear Safety",
    "Plant Genetic Resources",
    "Road Traffic",
    "Rights of Persons with Disabilities",
    "Mercury",
    "Tobacco Control",
    "Cybercrime",
    "Investment Disputes",
    "Ozone Layer",
]

# The cache columns ratify.store.cache.refresh_treaty writes, in this order everywhere below.
PARTY_CACHE = (
    "status",
    "stage_id",
    "stage_on",
    "next_stage_id",
    "failed_stage_id",
    "next_scheduled_on",
    "last_step_on",
    "in_force_on",
    "consent",
    "deposited_on",
    "withdrawn_on",
    "suspended_from",
    "suspended_until",
    "provisional_from",
    "provisional_until",
)
TREATY_CACHE = ("rule_met_on", "in_force_on")

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
    from ratify.exchange.loader import read_fixture
    from ratify.record.procedures import templates_dir

    shape = []
    for path in sorted(templates_dir().glob("*.yaml")):
        for spec in read_fixture(path).procedures:
            shape.append(
                [
                    spec.id,
                    spec.country,
                    [
                        [s.key, str(s.kind), s.body, s.seats, str(s.threshold), s.quorum, s.readings, s.optional]
                        for s in spec.stages
                    ],
                ]
            )
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]


def rules_digest() -> str:
    """The code that computes the cached columns: if it changes, the cache must be rebuilt."""
    import ratify.rules.calendar
    import ratify.rules.entry_into_force
    import ratify.rules.spec
    import ratify.rules.status
    import ratify.rules.treaty
    import ratify.store.cache

    digest = hashlib.sha256()
    for module in (
        ratify.rules.status,
        ratify.rules.entry_into_force,
        ratify.rules.treaty,
        ratify.rules.spec,
        ratify.rules.calendar,
        ratify.store.cache,
    ):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:16]


def build_key(size: str) -> dict:
    from ratify.store.versions import HEAD_REVISION

    return {
        "generator": GENERATOR_VERSION,
        "seed": SEED,
        "data_as_of": DATA_AS_OF.isoformat(),
        "size": size,
        "treaties": SIZES[size],
        "parties_per_treaty": PARTIES_PER_TREATY,
        "schema_revision": HEAD_REVISION,
        "templates": templates_digest(),
        "rules": rules_digest(),
    }


@dataclass(frozen=True)
class StageRow:
    ref: StageRef  # built exactly as cache._ref builds it
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


def cache_values(outcome) -> tuple:
    """A PartyOutcome as the PARTY_CACHE column values refresh_treaty stores."""
    result, standing = outcome.progress, outcome.standing
    return (
        str(result.state),
        result.stage.id if result.stage else None,
        iso(result.stage_on),
        result.next_stage.id if result.next_stage else None,
        result.failed_stage.id if result.failed_stage else None,
        iso(result.next_scheduled_on),
        iso(result.last_step_on),
        iso(standing.in_force_on),
        str(outcome.consent) if outcome.consent else None,
        iso(outcome.deposited_on),
        iso(standing.withdrawn_on),
        iso(standing.suspended_from),
        iso(standing.suspended_until),
        iso(outcome.provisional_from),
        iso(outcome.provisional_until),
    )


def fold_from_db(
    conn: sqlite3.Connection,
    treaty_id: int,
    stages: dict[str, list[StageRow]],
    extra: tuple[int, EventFact] | None = None,
) -> tuple:
    """ratify.store.cache.fold over a database file with the sqlite3 module: (evaluation, [(party id, outcome)]).

    `extra` is an event not stored yet: (party id, fact), ordered as the newest event.
    """
    kind, rule, withdrawal, terminated_on, superseded_by = conn.execute(
        "SELECT kind, rule, withdrawal, terminated_on, superseded_by FROM treaty WHERE id = ?", (treaty_id,)
    ).fetchone()
    if terminated_on is None and superseded_by:
        found = conn.execute("SELECT in_force_on FROM treaty WHERE slug = ?", (superseded_by,)).fetchone()
        terminated_on = found[0] if found else None
    from ratify.rules.spec import WithdrawalRule

    facts = TreatyFacts(
        kind=TreatyKind(kind),
        rule=Rule.model_validate(json.loads(rule)) if rule else None,
        withdrawal=WithdrawalRule.model_validate(json.loads(withdrawal)) if withdrawal else None,
        terminated_on=date.fromisoformat(terminated_on) if terminated_on else None,
    )
    parties = conn.execute(
        "SELECT id, state, signed_on, procedure_id FROM party WHERE treaty_id = ? ORDER BY state", (treaty_id,)
    ).fetchall()
    party_facts = []
    for pid, code, signed_on, procedure_id in parties:
        events = [
            EventFact(s, EventStatus(st), date.fromisoformat(d), r, ConsentType(c) if c else None)
            for s, st, d, r, c in conn.execute(
                "SELECT stage_id, status, date, reading, consent FROM event WHERE party_id = ? ORDER BY date, id",
                (pid,),
            )
        ]
        if extra and extra[0] == pid:
            at = next((i for i, e in enumerate(events) if e.date > extra[1].date), len(events))
            events.insert(at, extra[1])
        acts = [
            ActFact(ActKind(k), date.fromisoformat(d), date.fromisoformat(e) if e else None)
            for k, d, e in conn.execute(
                "SELECT kind, date, effective_on FROM act WHERE party_id = ? ORDER BY date, id", (pid,)
            )
        ]
        party_facts.append(
            PartyFacts(
                code,
                date.fromisoformat(signed_on) if signed_on else None,
                [s.ref for s in stages[procedure_id]],
                events,
                acts,
            )
        )
    evaluation, outcomes = fold_treaty(facts, party_facts)
    return evaluation, [(p[0], o) for p, o in zip(parties, outcomes, strict=True)]


class DuckTally:
    """What ratify.rules.votes.vote_result reads from a Tally, without pydantic's cost."""

    __slots__ = ("yes", "no", "abstain", "not_voting", "present", "unanimous")

    def __init__(self, yes, no, abstain, not_voting, unanimous, present=None):
        self.yes, self.no, self.abstain, self.not_voting, self.unanimous = yes, no, abstain, not_voting, unanimous
        self.present = present

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
    got = vote_result(
        DuckTally(yes, no, abstain, 0, bool(unanimous)), Threshold(stage.threshold), seats=seats, quorum=stage.quorum
    )
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


# An act is (kind, ordinal date, ordinal effective date or None).
def party_acts(rng: random.Random, history: list[tuple], signed: int, today: int) -> list[tuple]:
    """A few parties' international acts, each valid for ratify.record.tracker.record_act at its date."""
    deposit = next(
        (
            day
            for stage, status, day, _, _ in history
            if stage.ref.kind == StageKind.INSTRUMENT and status == EventStatus.PASSED
        ),
        None,
    )
    roll = rng.random()
    if deposit is not None:
        if roll < WITHDRAWAL:  # notice of withdrawal; sometimes with the date of effect the depositary published
            day = deposit + rng.randint(365, 6000)
            effective = day + rng.randint(90, 540) if rng.random() < 0.3 else None
            return [(ActKind.WITHDRAWAL, day, effective)] if day <= today else []
        roll -= WITHDRAWAL
        if roll < SUSPENSION:
            day = deposit + rng.randint(30, 4000)
            if day > today:
                return []
            end = day + rng.randint(30, 900)
            return [(ActKind.SUSPENSION, day, None)] + (
                [(ActKind.SUSPENSION_END, end, None)] if end <= today and rng.random() < 0.5 else []
            )
        roll -= SUSPENSION
        if roll < CONSENT_WITHDRAWN:
            day = deposit + rng.randint(1, 720)
            return [(ActKind.CONSENT_WITHDRAWN, day, None)] if day <= today else []
        return []
    if roll < PROVISIONAL:
        day = signed + rng.randint(0, 400)
        if day > today:
            return []
        end = day + rng.randint(60, 1500)
        return [(ActKind.PROVISIONAL_APPLICATION, day, None)] + (
            [(ActKind.PROVISIONAL_APPLICATION_END, end, None)] if end <= today and rng.random() < 0.4 else []
        )
    return []


# ----------------------------------------------------------------------------------------- build

TREATY_SQL = (
    "INSERT INTO treaty (id, slug, title, kind, signed_on, place, note, sources, rule, withdrawal, "
    "terminated_on, superseded_by, termination_source, recorded_at, recorded_by, rule_met_on, in_force_on) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
PARTY_SQL = (
    "INSERT INTO party (id, treaty_id, state, name, is_organisation, signed_on, procedure_id, note, "
    f"recorded_at, recorded_by, {', '.join(PARTY_CACHE)}) VALUES ({','.join('?' * (10 + len(PARTY_CACHE)))})"
)
EVENT_SQL = (
    "INSERT INTO event (id, party_id, stage_id, status, date, reading, yes, no, abstain, not_voting, "
    "absent, seats, unanimous, consent, effective_on, source, note, out_of_order, recorded_at, recorded_by) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
ACT_SQL = (
    "INSERT INTO act (id, party_id, kind, date, effective_on, against, text, source, note, recorded_at, "
    "recorded_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)


class Builder:
    """Streams treaties, parties, events and acts into an initialised ratify database."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        from ratify.countries import resolve_country

        self.conn = conn
        self.stages = read_stages(conn)
        self.names = {code: resolve_country(code).name for code in STATES}  # as ratify stores them
        assert len(set(STATES)) == 195 and all(resolve_country(c).code == c for c in STATES)
        self.procedure = {code: code if code in self.stages else "default" for code in STATES}
        self.weights = [TEMPLATE_STATE_WEIGHT if code in self.stages else 1 for code in STATES]
        self.cum_weights = list(itertools.accumulate(self.weights))
        # Each rule as ratify stores it (Rule.model_dump(mode="json", exclude_defaults=True)) and parsed.
        self.rules = []
        for data, _weight in RULES:
            rule = Rule.model_validate(data)
            assert rule.model_dump(mode="json", exclude_defaults=True) == data, data
            self.rules.append((json.dumps(data), rule))
        self.rule_weights = list(itertools.accumulate(weight for _data, weight in RULES))
        self.treaties: list[tuple] = []
        self.parties: list[tuple] = []
        self.events: list[tuple] = []
        self.acts: list[tuple] = []
        self.party_id = self.event_id = self.act_id = 0
        self.counts = {"treaties": 0, "parties": 0, "events": 0, "acts": 0}
        self.states: dict[str, int] = {}
        self.features: collections.Counter[str] = collections.Counter()
        self.dates: dict[int, tuple[date, str]] = {}

    def day(self, ordinal: int) -> tuple[date, str]:
        found = self.dates.get(ordinal)
        if found is None:
            value = date.fromordinal(ordinal)
            found = self.dates[ordinal] = (value, value.isoformat())
        return found

    def recorded(self) -> str:
        return stamp(RECORDED_BASE + timedelta(milliseconds=self.event_id + self.party_id + self.act_id))

    def treaty(
        self,
        tid: int,
        slug: str,
        title: str,
        kind: TreatyKind,
        signed: int,
        place: str,
        parties: list[tuple],
        *,
        rule: int | None = None,
        terminated: int | None = None,
        successor: tuple[str, date | None] | None = None,
    ) -> date | None:
        """parties: (code, signed ordinal, history, acts) each, in code order; returns the treaty's in_force_on.

        The cache columns are computed as ratify.store.cache.refresh_treaty computes them: fold_treaty over the
        treaty facts (rule, withdrawal rule, termination or the successor's entry into force) and every
        party's facts (signature, its procedure's stages, events by date then id, acts by date then id).
        """
        signed_on = self.day(signed)[1]
        rule_json, rule_obj = self.rules[rule] if rule is not None else (None, None)
        terminated_on = self.day(terminated)[0] if terminated else None
        rows, facts = [], []
        for code, party_signed, history, acts in parties:
            self.party_id += 1
            pid = self.party_id
            events = []
            for stage, status, ordinal, reading, tally in sorted(history, key=lambda e: e[2]):
                self.event_id += 1
                when, when_iso = self.day(ordinal)
                # record_event stores a consent type on every event of the instrument stage (default ratification).
                consent = ConsentType.RATIFICATION if stage.ref.kind == StageKind.INSTRUMENT else None
                events.append(EventFact(stage.ref.id, status, when, reading, consent))
                yes, no, abstain, not_voting, absent, seats, unanimous = tally or (None,) * 6 + (0,)
                source = (
                    f"https://parliament.example.org/{code.lower()}/{slug}/{stage.ref.key}" if ordinal % 3 else None
                )
                self.events.append(
                    (
                        self.event_id,
                        pid,
                        stage.ref.id,
                        str(status),
                        when_iso,
                        reading,
                        yes,
                        no,
                        abstain,
                        not_voting,
                        absent,
                        seats,
                        unanimous,
                        consent and str(consent),
                        None,
                        source,
                        None,
                        0,
                        self.recorded(),
                        "bench",
                    )
                )
            act_facts = []
            for act_kind, ordinal, effective in sorted(acts, key=lambda a: a[1]):
                self.act_id += 1
                act_facts.append(ActFact(act_kind, self.day(ordinal)[0], self.day(effective)[0] if effective else None))
                self.acts.append(
                    (
                        self.act_id,
                        pid,
                        str(act_kind),
                        self.day(ordinal)[1],
                        self.day(effective)[1] if effective else None,
                        None,
                        None,
                        f"https://depositary.example.org/{slug}/{code.lower()}",
                        None,
                        self.recorded(),
                        "bench",
                    )
                )
                self.features[str(act_kind)] += 1
            procedure_id = self.procedure.get(code, "default")
            party_signed_on = self.day(party_signed)
            facts.append(
                PartyFacts(code, party_signed_on[0], [s.ref for s in self.stages[procedure_id]], events, act_facts)
            )
            rows.append(
                (pid, tid, code, self.names[code], 0, party_signed_on[1], procedure_id, None, self.recorded(), "bench")
            )
            self.counts["events"] += len(history)
            self.counts["acts"] += len(acts)
        # cache.treaty_facts: the treaty's own end, else its successor's entry into force.
        ends = terminated_on if terminated_on else (successor[1] if successor else None)
        evaluation, outcomes = fold_treaty(TreatyFacts(kind, rule_obj, None, ends), facts)
        for row, outcome in zip(rows, outcomes, strict=True):
            state = str(party_state(outcome.progress, outcome.standing, DATA_AS_OF))
            self.states[state] = self.states.get(state, 0) + 1
            self.parties.append((*row, *cache_values(outcome)))
        in_force_on = evaluation.in_force_on if evaluation else None
        self.treaties.append(
            (
                tid,
                slug,
                title,
                str(kind),
                signed_on,
                place,
                None,
                json.dumps([f"https://treaties.example.org/{slug}"]),
                rule_json,
                None,
                iso(terminated_on),
                successor[0] if successor else None,
                f"https://treaties.example.org/{slug}#termination" if terminated_on or successor else None,
                self.recorded(),
                "bench",
                iso(evaluation.met_on if evaluation else None),
                iso(in_force_on),
            )
        )
        self.features["treaty in force"] += in_force_on is not None
        self.features["terminated"] += terminated_on is not None
        self.features["superseded"] += successor is not None
        self.counts["treaties"] += 1
        self.counts["parties"] += len(rows)
        if len(self.events) >= 100_000:
            self.flush()
        return in_force_on

    def flush(self) -> None:
        self.conn.executemany(TREATY_SQL, self.treaties)
        self.conn.executemany(PARTY_SQL, self.parties)
        self.conn.executemany(EVENT_SQL, self.events)
        self.conn.executemany(ACT_SQL, self.acts)
        for batch in (self.treaties, self.parties, self.events, self.acts):
            batch.clear()

    def bilateral(self) -> None:
        """A known bilateral treaty for `status SLUG`: France done, Japan half-way (no rule: exchange)."""
        fra = {s.ref.key: s for s in self.stages["FRA"]}
        jpn = {s.ref.key: s for s in self.stages["JPN"]}
        o = date.toordinal
        fra_history = [
            (fra["assemblee_committee"], EventStatus.PASSED, o(date(2023, 9, 20)), None, None),
            (fra["assemblee_nationale"], EventStatus.SCHEDULED, o(date(2023, 10, 5)), None, None),
            (fra["assemblee_nationale"], EventStatus.PASSED, o(date(2023, 10, 5)), None, (401, 98, 30, 0, 48, 577, 0)),
            (fra["senat"], EventStatus.PASSED, o(date(2023, 12, 14)), None, (290, 20, 18, 0, 20, 348, 0)),
            (fra["promulgation"], EventStatus.PASSED, o(date(2023, 12, 27)), None, None),
            (fra["ratification"], EventStatus.PASSED, o(date(2024, 1, 15)), None, None),
            (fra["instrument"], EventStatus.PASSED, o(date(2024, 2, 1)), None, None),
        ]
        jpn_history = [
            (
                jpn["house_of_representatives"],
                EventStatus.PASSED,
                o(date(2024, 5, 16)),
                None,
                (402, 40, 0, 0, 23, 465, 0),
            ),
            (jpn["house_of_councillors"], EventStatus.SCHEDULED, o(date(2026, 1, 20)), None, None),
        ]
        signed = o(date(2023, 3, 15))
        self.treaty(
            1,
            BILATERAL_SLUG,
            "Agreement between France and Japan on the Transfer of Defence Equipment (benchmark fixture)",
            TreatyKind.BILATERAL,
            signed,
            "Tokyo",
            [("FRA", signed, fra_history, []), ("JPN", signed, jpn_history, [])],
        )

    def generate(self, treaties: int, seed: int) -> None:
        rng = random.Random(seed)
        today = DATA_AS_OF.toordinal()
        first, last = date(1950, 1, 1).toordinal(), date(2025, 12, 31).toordinal()
        self.bilateral()
        recent: collections.deque[tuple[int, str, date | None]] = collections.deque(maxlen=300)
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
                history = party_history(rng, code, stages, party_signed, today)
                parties.append((code, party_signed, history, party_acts(rng, history, party_signed, today)))
            subject = SUBJECTS[number % len(SUBJECTS)]
            place = PLACES[rng.randrange(len(PLACES))]
            rule = rng.choices(range(len(RULES)), cum_weights=self.rule_weights)[0]
            terminated = successor = None
            roll = rng.random()
            if roll < TERMINATED:
                day = signed + rng.randint(3650, 20000)
                terminated = day if day <= today else None
            elif roll < TERMINATED + SUPERSEDED:  # by an earlier-numbered treaty signed later than this one
                later = [(slug, in_force) for their_signed, slug, in_force in recent if their_signed > signed]
                successor = rng.choice(later) if later else None
            slug = f"t{number:06d}"
            in_force = self.treaty(
                number + 1,
                slug,
                f"Convention No. {number} on {subject}",
                TreatyKind.MULTILATERAL,
                signed,
                place,
                parties,
                rule=rule,
                terminated=terminated,
                successor=successor,
            )
            recent.append((signed, slug, in_force))
            if number % 25_000 == 0:
                log(f"    {number:,} treaties, {self.counts['events']:,} events")
        self.flush()


def ratify_init(path: Path | str) -> None:
    done = subprocess.run([RATIFY, "--db", str(path), "init"], capture_output=True, text=True, env=ENV)
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
        "key": key,
        "built_at": datetime.now().isoformat(timespec="seconds"),
        "build_seconds": generated,
        "counts": counts,
        "events_per_party": counts["events"] / counts["parties"],
        "party_states": dict(sorted(builder.states.items())),
        "features": dict(sorted(builder.features.items())),
        "validated": checked,
        "file_mib": db.stat().st_size / 2**20,
        "reused": False,
    }
    info_path.write_text(json.dumps(info, indent=2) + "\n")
    log(
        f"[{size}] {counts['treaties']:,} treaties, {counts['parties']:,} parties, {counts['events']:,} events "
        f"({info['events_per_party']:.2f}/party), {counts['acts']:,} acts, {info['file_mib']:.0f} MiB, "
        f"built in {generated:.0f} s"
    )
    return db, info


def validation_sample(src: sqlite3.Connection, sample: int) -> list[int]:
    """Random treaties, the bilateral one, and a few of each rarer case (acts, termination, supersession)."""
    count = src.execute("SELECT max(id) FROM treaty").fetchone()[0]
    rng = random.Random(SEED + 1)
    ids = {1, *rng.sample(range(2, count + 1), min(sample, count - 1))}
    for kind in ActKind:
        ids.update(
            r[0]
            for r in src.execute(
                "SELECT DISTINCT p.treaty_id FROM act a JOIN party p ON p.id = a.party_id WHERE a.kind = ? "
                "ORDER BY p.treaty_id LIMIT 3",
                (str(kind),),
            )
        )
    ids.update(r[0] for r in src.execute("SELECT id FROM treaty WHERE terminated_on IS NOT NULL ORDER BY id LIMIT 3"))
    for predecessor, successor in src.execute(
        "SELECT t.id, s.id FROM treaty t JOIN treaty s ON s.slug = t.superseded_by "
        "ORDER BY s.in_force_on IS NULL, t.id LIMIT 4"
    ):
        ids.update((predecessor, successor))
    return sorted(ids)  # a successor is an earlier treaty, so it is replayed first


def validate(db: Path, sample: int) -> dict:
    """Replay sampled treaties through ratify's own write path and compare the cache.

    Each treaty goes in with tracker.add_treaty (its rule and termination),
    each party with tracker.add_party_to, each event with tracker.record_step
    (stage order, dates, duplicate and tally checks, then cache.refresh_treaty)
    and each act with tracker.record_act_for. The Party and Treaty cache
    columns must then equal what the generator stored, and so must the stored
    rule and the events' consent types. The whole database must pass SQLite's
    foreign key check.
    """
    from sqlmodel import col, select

    from ratify.exchange.loader import load_builtin_templates
    from ratify.record import tracker
    from ratify.record.inputs import ActCreate, EventCreate, PartyCreate, TreatyCreate
    from ratify.store.database import Database
    from ratify.store.models import Event, Party

    src = sqlite3.connect(db)
    problems = src.execute("PRAGMA foreign_key_check").fetchall()
    assert not problems, problems[:5]
    stage_key = {sid: (pid, key) for sid, pid, key in src.execute("SELECT id, procedure_id, key FROM stage")}
    ids = validation_sample(src, sample)

    def normal(values: list, stage_columns: tuple[int, ...]) -> list:
        values = [iso(v) if isinstance(v, date) else (str(v) if v is not None else None) for v in values]
        for index in stage_columns:  # stage ids: compared by (procedure, key)
            values[index] = stage_key.get(int(values[index])) if values[index] else None
        return values

    stage_columns = tuple(PARTY_CACHE.index(c) for c in ("stage_id", "next_stage_id", "failed_stage_id"))
    events_checked = acts_checked = parties_checked = 0
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Database(str(Path(scratch_dir) / "replay.db"))
        scratch.initialise()
        with scratch.transaction(write=True) as session:
            load_builtin_templates(session)
        with scratch.transaction(write=True) as session:
            for tid in ids:
                (
                    slug,
                    title,
                    kind,
                    signed,
                    place,
                    rule,
                    terminated,
                    superseded_by,
                    termination_source,
                    *treaty_cached,
                ) = src.execute(
                    "SELECT slug, title, kind, signed_on, place, rule, terminated_on, superseded_by, "
                    f"termination_source, {', '.join(TREATY_CACHE)} FROM treaty WHERE id = ?",
                    (tid,),
                ).fetchone()
                treaty = tracker.add_treaty(
                    session,
                    TreatyCreate(
                        slug=slug,
                        title=title,
                        kind=kind,
                        signed=signed,
                        place=place,
                        rule=Rule.model_validate(json.loads(rule)) if rule else None,
                        terminated=terminated,
                        superseded_by=superseded_by,
                        termination_source=termination_source,
                    ),
                )
                parties = src.execute(
                    f"SELECT id, state, signed_on, procedure_id, {', '.join(PARTY_CACHE)} FROM party "
                    "WHERE treaty_id = ? ORDER BY id",
                    (tid,),
                ).fetchall()
                for _pid, state, party_signed, procedure_id, *_cached in parties:
                    party = tracker.add_party_to(session, slug, PartyCreate(state=state, signed=party_signed))
                    assert party.procedure_id == procedure_id, (state, party.procedure_id, procedure_id)
                consents = {}
                for pid, state, *_rest in parties:
                    consents[state] = []
                    for row in src.execute(
                        "SELECT stage_id, status, date, reading, yes, no, abstain, not_voting, absent, seats, "
                        "unanimous, consent, effective_on, source FROM event WHERE party_id = ? ORDER BY date, id",
                        (pid,),
                    ):
                        (
                            stage_id,
                            status,
                            day,
                            reading,
                            yes,
                            no,
                            abstain,
                            not_voting,
                            absent,
                            seats,
                            unanimous,
                            consent,
                            effective,
                            source,
                        ) = row
                        vote = None
                        if unanimous or yes is not None:
                            vote = {
                                "yes": yes,
                                "no": no,
                                "abstain": abstain,
                                "not_voting": not_voting,
                                "absent": absent,
                                "seats": seats,
                                "unanimous": bool(unanimous),
                            }
                        tracker.record_step(
                            session,
                            slug,
                            state,
                            EventCreate(
                                stage=stage_key[stage_id][1],
                                status=status,
                                date=day,
                                reading=reading,
                                vote=vote,
                                consent=consent,
                                effective=effective,
                                source=source,
                            ),
                        )
                        consents[state].append(consent)
                        events_checked += 1
                for pid, state, *_rest in parties:
                    for kind_, day, effective, source in src.execute(
                        "SELECT kind, date, effective_on, source FROM act WHERE party_id = ? ORDER BY date, id", (pid,)
                    ):
                        tracker.record_act_for(
                            session, slug, state, ActCreate(kind=kind_, date=day, effective=effective, source=source)
                        )
                        acts_checked += 1
                session.flush()
                session.refresh(treaty)
                assert normal([getattr(treaty, c) for c in TREATY_CACHE], ()) == treaty_cached, (slug, treaty_cached)
                assert treaty.rule == (json.loads(rule) if rule else None), (slug, treaty.rule, rule)
                mine = {p.state: p for p in session.exec(select(Party).where(Party.treaty_id == treaty.id))}
                for _pid, state, _signed, _procedure, *cached in parties:
                    party = mine[state]
                    session.refresh(party)
                    got = normal([getattr(party, c) for c in PARTY_CACHE], stage_columns)
                    want = normal(list(cached), stage_columns)
                    assert got == want, (
                        slug,
                        state,
                        dict(zip(PARTY_CACHE, got, strict=True)),
                        dict(zip(PARTY_CACHE, want, strict=True)),
                    )
                    stored = session.exec(
                        select(Event.consent).where(Event.party_id == party.id).order_by(Event.date, col(Event.id))
                    ).all()
                    assert [str(c) if c else None for c in stored] == consents[state], (slug, state, stored)
                    parties_checked += 1
        scratch.engine.dispose()
    src.close()
    return {"treaties": len(ids), "parties": parties_checked, "events": events_checked, "acts": acts_checked}


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


# What report._cached_rows selects: treaty columns, the end of the treaty (its own, else its successor's entry
# into force, through an outer join on the successor's slug), the party and its cache columns.
PARTY_JOIN = (
    "SELECT t.slug, t.kind, t.rule_met_on, t.in_force_on AS treaty_in_force_on, "
    "coalesce(t.terminated_on, s.in_force_on) AS terminated_on, p.id, p.state, p.name, p.signed_on, p.procedure_id, "
    + ", ".join(f"p.{c}" for c in PARTY_CACHE)
    + " FROM party p JOIN treaty t ON t.id = p.treaty_id LEFT OUTER JOIN treaty s ON s.slug = t.superseded_by"
)


def pending_floor_sql(today: date, limit: int = 50, *, walk_index: bool = True) -> str:
    """report.py's cached pending path: not in force, not withdrawn, treaty not ended, as of today.

    Dated parties first by last step, then undated ones, at most `limit` in all;
    the second query yields rows only if the first did not fill the limit. With
    `walk_index` (SQLite's syntax) the dated query walks ix_party_pending, the plan
    ratify's own query gets: since ix_party_in_force exists (revision 0004) the
    shell's planner would otherwise choose it for this text and take 0.36 s at L
    where the walk takes a few milliseconds, no floor at all.
    """
    day = today.isoformat()
    ends = "coalesce(t.terminated_on, s.in_force_on)"
    where = " AND ".join(f"({c} IS NULL OR {c} > '{day}')" for c in ("p.in_force_on", "p.withdrawn_on", ends))
    source = PARTY_JOIN
    if walk_index:
        source = PARTY_JOIN.replace("FROM party p ", "FROM party p INDEXED BY ix_party_pending ")
    dated = f"{source} WHERE {where} AND p.last_step_on IS NOT NULL ORDER BY p.last_step_on, t.slug, p.state"
    undated = f"{PARTY_JOIN} WHERE {where} AND p.last_step_on IS NULL ORDER BY t.slug, p.state"
    # Subqueries in FROM are named: PostgreSQL before 16 requires it (bench/postgres.py runs the same SQL).
    return (
        f"SELECT * FROM ({dated} LIMIT {limit}) AS dated "
        f"UNION ALL SELECT * FROM ({undated} LIMIT {limit}) AS undated LIMIT {limit};"
    )


def sqlite_floor_sql(today: date, *, sqlite: bool = True) -> dict[str, str]:
    """The floors' SQL; `sqlite=False` for another shell (psql), without SQLite's INDEXED BY."""
    return {
        "status SLUG": f"{PARTY_JOIN} WHERE t.slug = '{BILATERAL_SLUG}' ORDER BY t.slug, p.state;",
        "pending --limit 50": pending_floor_sql(today, walk_index=sqlite),
        "status --format csv > file": f"{PARTY_JOIN} ORDER BY t.slug, p.state;",
    }


@dataclass
class VoteTarget:
    party_id: int
    treaty_id: int
    slug: str
    state: str
    stage: StageRow
    args: list[str]
    seats: int
    yes: int
    no: int


def vote_targets(db: Path, count: int, today: date) -> list[VoteTarget]:
    """Parties (one per treaty, without acts) whose next stage is a voting stage; a passing vote for each."""
    conn = sqlite3.connect(db)
    stages = {s.ref.id: s for rows in read_stages(conn).values() for s in rows}
    voting = [sid for sid, s in stages.items() if s.voting]
    rows = conn.execute(
        "SELECT p.id, t.id, t.slug, p.state, p.next_stage_id FROM party p JOIN treaty t ON t.id = p.treaty_id "
        "WHERE t.kind = 'multilateral' AND p.status != 'rejected' "
        f"AND p.next_stage_id IN ({','.join(map(str, voting))}) "
        "AND (p.last_step_on IS NULL OR p.last_step_on < ?) AND p.id % 7 = 3 "
        "AND NOT EXISTS (SELECT 1 FROM act a WHERE a.party_id = p.id) LIMIT 20000",
        (today.isoformat(),),
    ).fetchall()
    conn.close()
    rng = random.Random(SEED + 2)
    rng.shuffle(rows)
    targets, seen = [], set()
    for pid, tid, slug, state, next_stage_id in rows:
        if slug in seen:
            continue
        seen.add(slug)
        stage = stages[next_stage_id]
        seats = body_seats(state, stage)
        yes, no = seats * 3 // 4 + 1, seats // 10
        assert (
            vote_result(
                DuckTally(yes, no, None, None, False), Threshold(stage.threshold), seats=seats, quorum=stage.quorum
            )
            == EventStatus.PASSED
        )
        args = [
            slug,
            state,
            stage.ref.key,
            "--date",
            today.isoformat(),
            "--yes",
            str(yes),
            "--no",
            str(no),
            "--seats",
            str(seats),
            "--source",
            "https://bench.example.org/vote",
        ]
        targets.append(VoteTarget(pid, tid, slug, state, stage, args, seats, yes, no))
        if len(targets) == count:
            return targets
    raise SystemExit(f"only {len(targets)} parties with a voting stage next; need {count}")


def sql_value(value) -> str:
    if value is None:
        return "NULL"
    return str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"


def vote_floor_sql(
    db: Path,
    target: VoteTarget,
    today: date,
    *,
    begin: str = "PRAGMA foreign_keys=ON; BEGIN IMMEDIATE;",
    false: str = "0",
) -> str:
    """The same write by hand, in one transaction: INSERT the event, then UPDATE the cache where it changes.

    The new cache is folded here, before the clock starts (fold_treaty over the treaty with the new
    event), so the floor is only the writes: the party rows and the treaty row whose values change,
    as SQLAlchemy's unit of work writes them after refresh_treaty. `begin` and `false` adapt it to
    another SQL dialect (PostgreSQL: "BEGIN;" and "false").
    """
    conn = sqlite3.connect(db)
    stages = read_stages(conn)
    fact = EventFact(target.stage.ref.id, EventStatus.PASSED, today, None, None)
    evaluation, outcomes = fold_from_db(conn, target.treaty_id, stages, extra=(target.party_id, fact))
    current = {
        pid: tuple(rest)
        for pid, *rest in conn.execute(
            f"SELECT id, {', '.join(PARTY_CACHE)} FROM party WHERE treaty_id = ?", (target.treaty_id,)
        )
    }
    treaty_now = conn.execute(
        f"SELECT {', '.join(TREATY_CACHE)} FROM treaty WHERE id = ?", (target.treaty_id,)
    ).fetchone()
    conn.close()
    now = stamp(datetime.now())
    statements = [
        begin,
        "INSERT INTO event (party_id, stage_id, status, date, reading, yes, no, abstain, not_voting, absent, seats, "
        "unanimous, consent, effective_on, source, note, out_of_order, recorded_at, recorded_by) VALUES "
        f"({target.party_id}, {target.stage.ref.id}, 'passed', {sql_value(today.isoformat())}, NULL, {target.yes}, "
        f"{target.no}, NULL, NULL, NULL, {target.seats}, {false}, NULL, NULL, 'https://bench.example.org/vote', NULL, "
        f"{false}, {sql_value(now)}, 'bench');",
    ]
    changed_parties = 0
    for pid, outcome in outcomes:
        changes = [
            f"{c} = {sql_value(v)}"
            for c, v, old in zip(PARTY_CACHE, cache_values(outcome), current[pid], strict=True)
            if v != old
        ]
        if changes:
            statements.append(f"UPDATE party SET {', '.join(changes)} WHERE id = {pid};")
            changed_parties += 1
    assert changed_parties >= 1, target
    treaty_new = (iso(evaluation.met_on), iso(evaluation.in_force_on)) if evaluation else (None, None)
    if tuple(treaty_new) != tuple(treaty_now):
        sets = ", ".join(f"{c} = {sql_value(v)}" for c, v in zip(TREATY_CACHE, treaty_new, strict=True))
        statements.append(f"UPDATE treaty SET {sets} WHERE id = {target.treaty_id};")
    statements.append("COMMIT;")
    return " ".join(statements)


COMMANDS = (
    "status SLUG",
    "status SLUG --known-on",
    "pending --limit 50",
    "status --format csv > file",
    "vote",
    "correct",
    "--help",
)


def correct_targets(db: Path, count: int) -> list[list[str]]:
    """`correct` arguments for the latest event of one party in each of `count` treaties: a new source.

    The parties are not the vote targets' (those have id % 7 = 3), so no run corrects a fresh vote.
    """
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT max(e.id) FROM event e JOIN party p ON p.id = e.party_id "
        "WHERE p.id % 7 = 5 GROUP BY p.treaty_id ORDER BY p.treaty_id LIMIT ?",
        (count,),
    ).fetchall()
    conn.close()
    if len(rows) < count:
        raise SystemExit(f"only {len(rows)} events to correct; need {count}")
    return [
        [f"e{event_id}", "--source", "https://bench.example.org/corrected", "--reason", "the official gazette"]
        for (event_id,) in rows
    ]


def check_pending(db: Path | str, floor_argv: list[str]) -> int:
    """ratify's pending and the floor (a shell printing the pending floor SQL as CSV, no header) must list
    the same parties in the same order."""
    done = subprocess.run(
        [RATIFY, "--db", str(db), "pending", "--limit", "50", "--format", "csv"],
        capture_output=True,
        text=True,
        env=ENV,
        check=True,
    )
    mine = [(row[0], row[1]) for row in itertools.islice(csv.reader(done.stdout.splitlines()), 1, None)]
    floor = subprocess.run(floor_argv, capture_output=True, text=True, check=True).stdout
    theirs = [(row[0], row[6]) for row in csv.reader(floor.splitlines())]
    assert mine == theirs and len(mine) == 50, (mine[:5], theirs[:5])
    return len(mine)


def bench_size(size: str, db: Path, runs: int) -> tuple[dict, dict, dict]:
    """Median wall time and peak RSS of each command and its floors at one size; statement counts; plans."""
    OUT.mkdir(parents=True, exist_ok=True)
    today = date.today()
    work = DATA / f"{size}.work.db"  # votes write to a copy; the cached database stays as built
    log(f"[{size}] copying to {work.name} for the vote runs ...")
    shutil.copyfile(db, work)
    try:
        targets = vote_targets(work, 2 * (runs + 1) + 1, today)
        ratify_targets, floor_targets = targets[: runs + 1], targets[runs + 1 : 2 * (runs + 1)]
        corrections = correct_targets(work, runs + 2)
        floor_sql = sqlite_floor_sql(today)
        check_pending(db, [SQLITE3, "-batch", "-csv", str(db), floor_sql["pending --limit 50"]])
        csv_out = OUT / f"status-{size}.csv"
        csv_floor = OUT / f"status-{size}-sqlite3.csv"
        db_arg = ["--db", str(db)]
        plan = {
            "F": lambda i: timed([PYTHON, "-c", "import click, tabulate, sqlmodel"]),
            "C": lambda i: timed([PYTHON, "-c", "import click"]),
            "--help": lambda i: timed([RATIFY, "--help"]),
            "status SLUG": lambda i: timed([RATIFY, *db_arg, "status", BILATERAL_SLUG]),
            "status SLUG --known-on": lambda i: timed(
                [RATIFY, *db_arg, "status", BILATERAL_SLUG, "--known-on", today.isoformat()]
            ),
            "sqlite3 status SLUG": lambda i: timed([SQLITE3, "-batch", str(db), floor_sql["status SLUG"]]),
            "pending --limit 50": lambda i: timed([RATIFY, *db_arg, "pending", "--limit", "50"]),
            "sqlite3 pending --limit 50": lambda i: timed(
                [SQLITE3, "-batch", str(db), floor_sql["pending --limit 50"]]
            ),
            "vote": lambda i: timed([RATIFY, "--db", str(work), "vote", *ratify_targets[i].args]),
            "correct": lambda i: timed([RATIFY, "--db", str(work), "correct", *corrections[i]]),
            "sqlite3 vote": lambda i: timed(
                [SQLITE3, "-batch", str(work), vote_floor_sql(work, floor_targets[i], today)]
            ),
            "status --format csv > file": lambda i: timed(
                [RATIFY, *db_arg, "status", "--format", "csv"], stdout_path=csv_out
            ),
            "sqlite3 status --format csv > file": lambda i: timed(
                [SQLITE3, "-batch", "-csv", "-header", str(db), floor_sql["status --format csv > file"]],
                stdout_path=csv_floor,
            ),
        }
        samples: dict[str, list[Sample]] = {name: [] for name in plan}
        for i in range(runs + 1):  # run 0 warms the page cache and the bytecode cache; not counted
            log(f"[{size}] {'warm-up' if i == 0 else f'run {i}/{runs}'} ...")
            for name, run in plan.items():
                sample, output = run(i)
                if name.startswith("status SLUG") and i == 0:
                    assert "FRA" in output and "JPN" in output, output
                if name == "pending --limit 50" and i == 0:  # tables grouped by what the parties wait for
                    groups = re.findall(r"^Waiting for .*: (\d+) part", output, re.MULTILINE)
                    assert sum(map(int, groups)) == 50, output[:500]
                if i:
                    samples[name].append(sample)
        # Both full reports hold one line per party plus a header.
        lines = [sum(1 for _ in open(path)) for path in (csv_out, csv_floor)]
        parties = sqlite3.connect(db).execute("SELECT count(*) FROM party").fetchone()[0]
        assert lines == [parties + 1, parties + 1], (lines, parties)
        csv_out.unlink()
        csv_floor.unlink()
        log(f"[{size}] counting SQL statements in-process ...")
        counts, statements = statement_counts(db, work, targets[-1], corrections[-1])
    finally:
        work.unlink(missing_ok=True)
    results = {
        name: {
            "seconds": statistics.median(s.seconds for s in found),
            "rss_mib": max(s.rss_mib for s in found),
            "cpu_seconds": statistics.median(s.cpu_seconds for s in found),
            "all": [round(s.seconds, 4) for s in found],
        }
        for name, found in samples.items()
    }
    plans = query_plans(db, statements)
    plans["sqlite3 floor: pending --limit 50"] = sqlite_plan(db, floor_sql["pending --limit 50"])
    return results, counts, plans


# ----------------------------------------------------------------------------------------- statements


def statement_counts(
    db: Path | str, work: Path | str, target: VoteTarget, correction: list[str]
) -> tuple[dict[str, int], dict[str, list]]:
    """SQL statements each command runs, in-process (CliRunner) with a cursor listener."""
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
        runner = CliRunner(env={"RATIFY_USER": "bench", "RATIFY_DB": None})
        for name, path, args in (
            ("status SLUG", db, ["status", BILATERAL_SLUG]),
            ("status SLUG --known-on", db, ["status", BILATERAL_SLUG, "--known-on", date.today().isoformat()]),
            ("pending --limit 50", db, ["pending", "--limit", "50"]),
            ("status --format csv", db, ["status", "--format", "csv"]),
            ("vote", work, ["vote", *target.args]),
            ("correct", work, ["correct", *correction]),
        ):
            seen.clear()
            result = runner.invoke(cli, ["--db", str(path), *args], catch_exceptions=False)
            assert result.exit_code == 0, result.output
            counts[name] = len(seen)
            statements[name] = list(seen)
    finally:
        event.remove(Engine, "before_cursor_execute", listener)
    return counts, statements


def sqlite_plan(db: Path, sql: str) -> list[str]:
    conn = sqlite3.connect(db)
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql.rstrip(";")).fetchall()
    conn.close()
    return ["SQL: " + " ".join(sql.split()), *indent_plan(rows)]


def indent_plan(rows: list[tuple]) -> list[str]:
    """EXPLAIN QUERY PLAN rows (id, parent, notused, detail) as an indented tree, like the sqlite3 shell."""
    level = {0: -1}
    lines = []
    for node, parent, _unused, detail in rows:
        level[node] = level.get(parent, -1) + 1
        lines.append("  " * level[node] + detail)
    return lines


def query_plans(db: Path, statements: dict[str, list[tuple[str, tuple]]]) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of each report query ratify ran on party (not vote's writes)."""
    conn = sqlite3.connect(db)
    plans = {}
    for name, found in statements.items():
        if name == "vote":
            continue
        main = [(sql, params) for sql, params in found if "FROM party" in sql]
        for number, (sql, params) in enumerate(main, 1):
            key = name if len(main) == 1 else f"{name} ({number} of {len(main)})"
            plans[key] = ["SQL: " + " ".join(sql.split())] + indent_plan(
                conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            )
    conn.close()
    return plans


# ----------------------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    mem_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    cli_version = subprocess.run([SQLITE3, "--version"], capture_output=True, text=True).stdout.split()[:1]
    import ratify
    from ratify import __version__

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True).stdout.strip()

    dirty = git("status", "--porcelain", "--", "ratify")
    if os.environ.get("BENCH_RATIFY_REF"):
        sha = os.environ["BENCH_RATIFY_REF"].split()[0]
        source = f'git archive {os.environ["BENCH_RATIFY_REF"]} "{git("log", "-1", "--format=%s", sha)[:70]}"'
        if dirty:
            source += "; the working tree's uncommitted changes in ratify/ are not measured"
    else:
        source = f"working tree at {git('rev-parse', '--short', 'HEAD') or 'unknown'}" + (
            " with uncommitted changes in ratify/" if dirty else ""
        )
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
        row = {
            "size": size,
            "command": name,
            "seconds": t,
            "rss_mib": rss,
            "cpu": r[name]["cpu_seconds"],
            "floor": "C" if name == "--help" else "F",
            "sqlite": sqlite["seconds"] if sqlite else None,
            "sqlite_rss": sqlite["rss_mib"] if sqlite else None,
            "checks": [],
        }
        base = c if name == "--help" else f
        row["floor_seconds"] = base
        row["x_floor"] = t / base
        row["x_sqlite"] = t / sqlite["seconds"] if sqlite else None
        if name in ("status SLUG", "vote", "correct"):
            row["checks"].append((f"<= 1.3x F ({1.3 * f:.3f} s)", t <= 1.3 * f))
        if name in ("status SLUG", "pending --limit 50", "vote", "correct"):  # issue 9: every database command
            row["checks"].append((f"<= 1.2x F ({1.2 * f:.3f} s)", t <= 1.2 * f))
        if name == "status SLUG --known-on":
            row["checks"].append((f"<= 1.5x F ({1.5 * f:.3f} s)", t <= 1.5 * f))
        if name == "pending --limit 50" and size in ("M", "L"):
            limit = f + 3 * sqlite["seconds"]
            row["checks"].append((f"<= F + 3x sqlite3 ({limit:.3f} s)", t <= limit))
        if name == "--help":
            row["checks"].append((f"<= 2x C ({2 * c:.3f} s)", t <= 2 * c))
        if size == "L":
            row["checks"].append((f"RSS <= {RSS_LIMIT_MIB} MiB", rss <= RSS_LIMIT_MIB))
        rows.append(row)
    return rows


def markdown(all_rows: list[dict], results: dict, builds: dict, counts: dict, plans: tuple | None, info: dict) -> str:
    lines = ["# ratify benchmark results", ""]
    lines += [f"- **{k}**: {v}" for k, v in info.items()]
    lines += [
        "",
        "## Databases",
        "",
        "| size | treaties | parties | events | acts | events/party | file MiB | build s | reused |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size, b in builds.items():
        n = b["counts"]
        lines.append(
            f"| {size} | {n['treaties']:,} | {n['parties']:,} | {n['events']:,} | {n.get('acts', 0):,} | "
            f"{b['events_per_party']:.2f} | {b['file_mib']:.0f} | {b['build_seconds']:.0f} | "
            f"{'yes' if b.get('reused') else 'no'} |"
        )
    lines += [""]
    for size, b in builds.items():
        states = ", ".join(f"{k} {v:,}" for k, v in b.get("party_states", {}).items())
        features = ", ".join(f"{k} {v:,}" for k, v in b.get("features", {}).items())
        lines.append(
            f"- {size}: party states as of {DATA_AS_OF}: {states}; {features}; replay check: {b.get('validated')}"
        )
    lines += [
        "",
        "## Commands (median wall time; peak RSS is the max over runs)",
        "",
        "| size | command | median s | CPU s | peak RSS MiB | floor s | x floor | sqlite3 s | x sqlite3 | targets |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in all_rows:
        checks = "; ".join(f"{'PASS' if ok else '**FAIL**'} {what}" for what, ok in row["checks"]) or "-"
        sqlite = f"{row['sqlite']:.3f}" if row["sqlite"] is not None else "-"
        x_sqlite = f"{row['x_sqlite']:.1f}" if row["x_sqlite"] is not None else "-"
        lines.append(
            f"| {row['size']} | `{row['command']}` | {row['seconds']:.3f} | {row['cpu']:.2f} | "
            f"{row['rss_mib']:.0f} | "
            f"{row['floor']} {row['floor_seconds']:.3f} | {row['x_floor']:.2f} | {sqlite} | {x_sqlite} | "
            f"{checks} |"
        )
    lines += [
        "",
        'Floors: F = `python -c "import click, tabulate, sqlmodel"`, C = `python -c "import click"` '
        "(same venv python); sqlite3 = the sqlite3 shell answering the same question with SQL on the same "
        "file (vote: INSERT event + UPDATE of the changed cache rows in one transaction, on a copy).",
        "",
        "| size | floor | median s | CPU s | peak RSS MiB |",
        "|---|---|---:|---:|---:|",
    ]
    for size, r in results.items():
        for name in (
            "F",
            "C",
            "sqlite3 status SLUG",
            "sqlite3 pending --limit 50",
            "sqlite3 vote",
            "sqlite3 status --format csv > file",
        ):
            lines.append(
                f"| {size} | {name} | {r[name]['seconds']:.3f} | {r[name]['cpu_seconds']:.2f} | "
                f"{r[name]['rss_mib']:.0f} |"
            )
    names = next(iter(counts.values()), {})
    lines += [
        "",
        "## SQL statements per command (in-process, CliRunner + before_cursor_execute)",
        "",
        "| size | " + " | ".join(f"`{n}`" for n in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for size, found in counts.items():
        lines.append(f"| {size} | " + " | ".join(str(v) for v in found.values()) + " |")
    failed = [(row["size"], row["command"], what) for row in all_rows for what, ok in row["checks"] if not ok]
    lines += ["", "## Targets missed", ""]
    lines += [f"- {size} `{command}`: {what}" for size, command, what in failed] or ["- none"]
    if plans:
        size, found = plans
        lines += ["", f"## Query plans at {size} (EXPLAIN QUERY PLAN)", ""]
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
    parser.add_argument("--runs", type=int, default=None, help="timed runs per command (default 7; 5 at L)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases even if cached")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--ref",
        metavar="REV",
        default="HEAD",
        help="measure ratify as committed at git revision REV, exported under bench/data (default: HEAD)",
    )
    where.add_argument(
        "--worktree",
        action="store_true",
        help="measure the working tree (the editable install) instead, uncommitted changes included",
    )
    parser.add_argument(
        "--as-is-env",
        action="store_true",
        help="run commands in this shell's environment as is (e.g. keep PYTHONDONTWRITEBYTECODE)",
    )
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
    if args.build_only:
        for size in sizes:
            build(size, args.rebuild)
        return
    info = machine()
    info["environment"] = ("as is" if args.as_is_env else "bytecode cached under bench/data/pycache") + (
        f"; PYTHONDONTWRITEBYTECODE={ENV['PYTHONDONTWRITEBYTECODE']}" if "PYTHONDONTWRITEBYTECODE" in ENV else ""
    )
    builds, results, counts, all_rows, plans = {}, {}, {}, [], None
    for size in sizes:
        db, build_info = build(size, args.rebuild)
        builds[size] = build_info
        runs = args.runs or DEFAULT_RUNS[size]
        results[size], counts[size], size_plans = bench_size(size, db, runs)
        plans = (size, size_plans)
        all_rows += evaluate(size, results[size])
        log(f"[{size}] done")
    info["load average (start / end)"] = f"{info.pop('loadavg')} / {Path('/proc/loadavg').read_text().split()[0]}"
    text = markdown(all_rows, results, builds, counts, plans, info)
    data = {"machine": info, "builds": builds, "results": results, "statements": counts}
    write_results("results", text, {**data, "plans": dict([plans]) if plans else {}})


def write_results(name: str, text: str, data: dict) -> None:
    """bench/out/NAME.md (also printed) and NAME.json: what every benchmark script leaves behind."""
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.md").write_text(text)
    (OUT / f"{name}.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    print(text)
    log(f"wrote {OUT / f'{name}.md'}")


if __name__ == "__main__":
    main()
