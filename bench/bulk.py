"""Bulk benchmark for ratify: load, export and whole-database reports, beside their floors.

Uses the databases bench/benchmark.py builds (S and M by default; it is run with
--build-only to build or reuse them), and measures ratify as committed at HEAD
(`git archive`, first on PYTHONPATH) unless --worktree is given.

    .venv/bin/python bench/bulk.py [--sizes S,M] [--runs 3] [--postgres URL] [--worktree]

Each figure is the median wall clock of N runs after a warm-up, with the peak
RSS of the slowest; each floor runs in the same round, so the ratio is fair
even on a busy machine. Writes bench/out/bulk.md and bench/out/bulk.json.
See bench/README.md ("Bulk") and docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
OUT = BENCH / "out"
PYTHON = str(Path(sys.executable).parent / "python")
RATIFY = str(Path(sys.executable).parent / "ratify")
TIME = "/usr/bin/time"
SQLITE3 = shutil.which("sqlite3") or "/usr/bin/sqlite3"
FACT_TABLES = ("treaty", "party", "event", "act")


@dataclass
class Figure:
    what: str
    size: str
    seconds: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    rss_mib: float = 0.0
    events: int = 0
    target: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor) if self.floor else None


def environment(source: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("RATIFY_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["RATIFY_USER"] = "bench"
    env["PYTHONPYCACHEPREFIX"] = str(DATA / "pycache")
    if source is not None:
        env["PYTHONPATH"] = str(source) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def committed_source() -> tuple[Path, str]:
    """`git archive HEAD` under bench/data/src-SHA, as benchmark.py measures it."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    target = DATA / f"src-{sha.stdout.strip()}"
    if not target.exists():
        target.mkdir(parents=True)
        # The whole tree: `ratify init` reads the procedure templates from fixtures/ in a checkout.
        archive = subprocess.run(["git", "archive", "HEAD"], capture_output=True, cwd=ROOT, check=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target, sha.stdout.strip()


def run(argv: list[str], env: dict[str, str], *, stdout: Path | None = None) -> tuple[float, float]:
    """Wall clock and peak RSS (MiB) of one process; a failure stops the benchmark."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as rss:
        handle = open(stdout, "w") if stdout else subprocess.DEVNULL
        try:
            started = time.perf_counter()
            done = subprocess.run(
                [TIME, "-f", "%M", "-o", rss.name, *argv], stdout=handle, stderr=subprocess.PIPE, text=True, env=env
            )
            seconds = time.perf_counter() - started
        finally:
            if stdout:
                handle.close()
        peak = int(Path(rss.name).read_text().split()[-1]) / 1024
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr[-2000:]}")
    return seconds, peak


# --------------------------------------------------------------------------- floors (standard library only)

EXPORT_FLOOR = """
import json, sqlite3, sys
source, target = sys.argv[1:]
db = sqlite3.connect(source)
with open(target, "w") as out:
    for table in ("treaty", "party", "event", "act"):
        cursor = db.execute(f"SELECT * FROM {table} ORDER BY id")
        names = [d[0] for d in cursor.description]
        for row in cursor:
            out.write(json.dumps(dict(zip(names, row)), ensure_ascii=False) + "\\n")
"""

LOAD_FLOOR = """
import sqlite3, sys
source, target = sys.argv[1:]
rows = {}
db = sqlite3.connect(source)
for table in ("treaty", "party", "event", "act"):
    cursor = db.execute(f"SELECT * FROM {table}")
    rows[table] = ([d[0] for d in cursor.description], cursor.fetchall())
out = sqlite3.connect(target)
for table, (names, values) in rows.items():
    marks = ", ".join("?" for _ in names)
    out.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", values)
out.commit()
"""

PG_LOAD_FLOOR = """
import sqlite3, sys, psycopg
source, url, schema = sys.argv[1:]
db = sqlite3.connect(source)
with psycopg.connect(url) as pg:
    pg.execute(f"SET search_path TO {schema}")
    for table in ("treaty", "party", "event", "act"):
        cursor = db.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        with pg.cursor().copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            for row in cursor:
                copy.write_row(row)
"""

# The rows `status` reports: each party with its treaty and the successor that may end it.
STATUS_JOIN = (
    "SELECT t.slug, t.kind, t.rule_met_on, t.in_force_on, coalesce(t.terminated_on, s.in_force_on), p.* "
    "FROM party p JOIN treaty t ON t.id = p.treaty_id LEFT OUTER JOIN treaty s ON s.slug = t.superseded_by "
    "ORDER BY t.slug, p.state;"
)

#: `report` of the whole database is measured against the same floor: its rows are status's rows.
REPORT_FORMATS = ("csv", "json", "ndjson")


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in FACT_TABLES}


def events_csv(db: Path, target: Path) -> None:
    """Every event of `db` as an events CSV (what `load` takes from a spreadsheet)."""
    query = (
        "SELECT t.slug, p.state, s.key, e.status, e.date, e.reading, e.yes, e.no, e.abstain, e.not_voting, "
        "e.absent, e.seats, e.unanimous, e.consent, e.effective_on, e.source, e.note "
        "FROM event e JOIN party p ON p.id = e.party_id JOIN treaty t ON t.id = p.treaty_id "
        "JOIN stage s ON s.id = e.stage_id ORDER BY t.slug, p.state, e.date, s.position, e.id"
    )
    header = ["treaty", "party", "stage", "status", "date", "reading", "yes", "no", "abstain", "not_voting"]
    header += ["absent", "seats", "unanimous", "consent", "effective", "source", "note"]
    with sqlite3.connect(db) as conn, target.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in conn.execute(query):
            row = list(row)
            row[12] = "yes" if row[12] else ""
            writer.writerow(["" if v is None else v for v in row])


def skeleton(db: Path, target: Path) -> None:
    """`db` without its events, acts and kept versions: where an events CSV loads."""
    shutil.copyfile(db, target)
    with sqlite3.connect(target) as conn:
        for table in ("revision", "act", "event"):
            conn.execute(f"DELETE FROM {table}")
    with sqlite3.connect(target) as conn:
        conn.execute("VACUUM")


# --------------------------------------------------------------------------- the rounds


def bench_size(size: str, runs: int, env: dict[str, str], postgres: str | None, warm_up: bool = True) -> list[Figure]:
    db = DATA / f"{size}.db"
    n = counts(db)
    work = DATA / f"bulk-{size}"
    work.mkdir(exist_ok=True)
    empty = work / "empty.db"
    empty.unlink(missing_ok=True)
    ratify = [RATIFY]
    run([*ratify, "--db", str(empty), "init"], env)
    figures = {
        "export json": Figure("export --format json", size, target="<= 3x floor (sqlite3 + json.dumps)"),
        "export yaml": Figure("export --format yaml", size, target="<= 2x export json"),
        "load json": Figure("load (JSON export)", size, events=n["event"], target=">= 50,000 events/s"),
        "load yaml": Figure("load (YAML export)", size, events=n["event"], target=">= 50,000 events/s"),
        "load csv": Figure("load (events CSV)", size, events=n["event"], target=">= 50,000 events/s"),
    }
    for fmt in ("csv", "json", "ndjson"):
        figures[f"status {fmt}"] = Figure(f"status --format {fmt} > file", size, target="<= 3x sqlite3 shell")
    for fmt in REPORT_FORMATS:
        figures[f"report {fmt}"] = Figure(f"report --format {fmt} --output file", size, target="<= 3x sqlite3 shell")
    figures["pending csv"] = Figure("pending --format csv > file", size, target="<= 3x sqlite3 shell")
    if postgres:
        figures["pg load json"] = Figure("load (JSON export), PostgreSQL", size, events=n["event"])
        figures["pg load json"].target = ">= 1/2 the SQLite rate"
    exported = {fmt: work / f"export.{fmt}" for fmt in ("json", "yaml")}
    csv_file, skeleton_db = work / "events.csv", work / "skeleton.db"
    events_csv(db, csv_file)
    skeleton(db, skeleton_db)
    target = work / "target.db"
    first = 0 if warm_up else 1
    for round_number in range(first, runs + 1):  # round 0 warms up and is not counted
        record = round_number > 0
        log(f"[{size}] round {round_number}/{runs}")
        for fmt in ("json", "yaml"):
            seconds, peak = run(
                [*ratify, "--db", str(db), "export", "--format", fmt, "--output", str(exported[fmt])], env
            )
            note(figures[f"export {fmt}"], record, seconds, peak)
        floor, _peak = run([PYTHON, "-c", EXPORT_FLOOR, str(db), str(work / "floor.ndjson")], env)
        if record:
            figures["export json"].floor.append(floor)
        for fmt in ("json", "yaml"):
            shutil.copyfile(empty, target)
            seconds, peak = run([*ratify, "--db", str(target), "load", str(exported[fmt])], env)
            note(figures[f"load {fmt}"], record, seconds, peak)
        shutil.copyfile(empty, target)
        floor, _peak = run([PYTHON, "-c", LOAD_FLOOR, str(db), str(target)], env)
        if record:
            figures["load json"].floor.append(floor)
            figures["load yaml"].floor.append(floor)
            figures["load csv"].floor.append(floor)
        shutil.copyfile(skeleton_db, target)
        seconds, peak = run([*ratify, "--db", str(target), "load", str(csv_file)], env)
        note(figures["load csv"], record, seconds, peak)
        shell, _peak = run([SQLITE3, "-csv", str(db), STATUS_JOIN], env, stdout=work / "floor.csv")
        for fmt in ("csv", "json", "ndjson"):
            seconds, peak = run([*ratify, "--db", str(db), "status", "--format", fmt], env, stdout=work / f"s.{fmt}")
            note(figures[f"status {fmt}"], record, seconds, peak)
            if record:
                figures[f"status {fmt}"].floor.append(shell)
        for fmt in REPORT_FORMATS:
            report = [*ratify, "--db", str(db), "report", "--format", fmt, "--output", str(work / f"r.{fmt}")]
            seconds, peak = run(report, env)
            note(figures[f"report {fmt}"], record, seconds, peak)
            if record:
                figures[f"report {fmt}"].floor.append(shell)
        seconds, peak = run([*ratify, "--db", str(db), "pending", "--format", "csv"], env, stdout=work / "p.csv")
        note(figures["pending csv"], record, seconds, peak)
        if record:
            figures["pending csv"].floor.append(shell)
        if postgres:
            schema = f"bench_bulk_{uuid.uuid4().hex[:10]}"
            url = pg_schema(postgres, schema, create=True)
            try:
                run([*ratify, "--db", url, "init"], env)
                seconds, peak = run([*ratify, "--db", url, "load", str(exported["json"])], env)
                note(figures["pg load json"], record, seconds, peak)
            finally:
                pg_schema(postgres, schema, create=False)
            url = pg_schema(postgres, schema, create=True)
            try:
                run([*ratify, "--db", url, "init"], env)
                floor, _peak = run([PYTHON, "-c", PG_LOAD_FLOOR, str(db), postgres, schema], env)
                if record:
                    figures["pg load json"].floor.append(floor)
            finally:
                pg_schema(postgres, schema, create=False)
    target.unlink(missing_ok=True)
    return list(figures.values())


def note(figure: Figure, record: bool, seconds: float, peak: float) -> None:
    if record:
        figure.seconds.append(seconds)
        figure.rss_mib = max(figure.rss_mib, peak)


def pg_schema(url: str, schema: str, *, create: bool) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        if create:
            conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


# --------------------------------------------------------------------------- report


def verdict(figure: Figure, figures: list[Figure]) -> tuple[str, str, str]:
    """(floor, ratio, met) as the targets of issue 9 read."""
    floor = figure.floor_median
    if figure.what.startswith("load") and "PostgreSQL" not in figure.what:
        rate = figure.events / figure.median
        ratio = f"{figure.median / floor:.1f}x floor" if floor else ""
        return (f"{floor:.2f} s" if floor else "-", f"{rate:,.0f} events/s; {ratio}", yes(rate >= 50_000))
    if "PostgreSQL" in figure.what:
        sqlite = next(f for f in figures if f.size == figure.size and f.what == "load (JSON export)")
        rate, base = figure.events / figure.median, sqlite.events / sqlite.median
        return (
            f"{floor:.2f} s (COPY)" if floor else "-",
            f"{rate:,.0f} events/s = {rate / base:.2f}x SQLite",
            yes(rate >= base / 2),
        )
    if figure.what == "export --format yaml":
        json_figure = next(f for f in figures if f.size == figure.size and f.what == "export --format json")
        ratio = figure.median / json_figure.median
        return (f"{json_figure.median:.2f} s (JSON)", f"{ratio:.2f}x", yes(ratio <= 2))
    assert floor is not None
    ratio = figure.median / floor
    limit = 3
    return (f"{floor:.2f} s", f"{ratio:.2f}x", yes(ratio <= limit))


def yes(met: bool) -> str:
    return "met" if met else "**missed**"


def markdown(figures: list[Figure], info: dict[str, str]) -> str:
    lines = [
        f"ratify `{info['revision']}`, {info['runs']} runs (median; warm-up round: {info['warm_up']}), "
        f"{info['date']}, load average "
        f"{info['load_before']} before / {info['load_after']} after",
        "",
        "| size | command | ratify | peak RSS | floor | ratio | target | |",
        "|---|---|---:|---:|---:|---|---|---|",
    ]
    for figure in figures:
        floor, ratio, met = verdict(figure, figures)
        lines.append(
            f"| {figure.size} | {figure.what} | {figure.median:.2f} s | {figure.rss_mib:.0f} MiB | {floor} | {ratio} "
            f"| {figure.target} | {met} |"
        )
    return "\n".join(lines) + "\n"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="S,M")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("RATIFY_BENCH_POSTGRES"), help="a server URL")
    parser.add_argument("--worktree", action="store_true", help="measure the working tree, not HEAD")
    parser.add_argument("--no-warm-up", action="store_true", help="count every round (for a long run at M)")
    parser.add_argument("--out", default="bulk", help="results go to bench/out/OUT.md and OUT.json")
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    source, revision = (None, "working tree") if args.worktree else committed_source()
    env = environment(source)
    build = [PYTHON, str(BENCH / "benchmark.py"), "--build-only", "--sizes", ",".join(sizes), "--worktree"]
    subprocess.run(build, check=True, env=env)
    info = {
        "revision": revision,
        "runs": str(args.runs),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_before": f"{os.getloadavg()[0]:.2f}",
        "warm_up": "no" if args.no_warm_up else "yes",
    }
    figures: list[Figure] = []
    for size in sizes:
        figures += bench_size(size, args.runs, env, args.postgres, warm_up=not args.no_warm_up)
    info["load_after"] = f"{os.getloadavg()[0]:.2f}"
    text = markdown(figures, info)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{args.out}.md").write_text(text)
    (OUT / f"{args.out}.json").write_text(json.dumps({"info": info, "figures": [asdict(f) for f in figures]}, indent=2))
    print(text)


if __name__ == "__main__":
    main()
