"""The PostgreSQL half of the command benchmark: benchmark.py's commands against a local server.

Copies a database benchmark.py built (S, M) into a fresh schema (`ratify init`,
then COPY of every row, sequences set, ANALYZE), checks the copy, then times
the same commands as benchmark.py against the schema's URL, beside F and the
`psql` shell answering the same questions with the same SQL. The schema is
dropped afterwards, also on failure.

    .venv/bin/python bench/postgres.py [--sizes S,M] [--runs N] [--postgres URL] [--ref REV | --worktree]

Like benchmark.py it measures ratify as committed at HEAD (`git archive`)
unless --worktree. Writes bench/out/postgres.md and bench/out/postgres.json.
See bench/README.md ("PostgreSQL") and docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import time
import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import Path

# First: unless --worktree, this re-runs the script against `git archive HEAD` and puts that source on sys.path.
import benchmark
from benchmark import (
    BILATERAL_SLUG,
    DEFAULT_RUNS,
    OUT,
    PYTHON,
    RATIFY,
    SIZES,
    Sample,
    build,
    check_pending,
    child_env,
    correct_targets,
    log,
    machine,
    ratify_init,
    sqlite_floor_sql,
    statement_counts,
    timed,
    vote_floor_sql,
    vote_targets,
    write_results,
)
from bulk import pg_schema

PSQL = shutil.which("psql") or "/usr/bin/psql"
DEFAULT_URL = os.environ.get("RATIFY_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
# Parents before children; ratify init fills the first four, the benchmark build the rest.
TABLES = ("meta", "alembic_version", "procedure", "stage", "treaty", "party", "event", "act", "revision")
# The commands timed, each against the schema's URL, and the psql floor that answers the same question.
COMMANDS = (
    "status SLUG",
    "status SLUG --known-on",
    "pending --limit 50",
    "status --format csv > file",
    "vote",
    "correct",
)
F_PSYCOPG = "import click, tabulate, sqlmodel, psycopg, sqlalchemy.dialects.postgresql.psycopg"
FLOORED = ("status SLUG", "pending --limit 50", "status --format csv > file", "vote")


# ----------------------------------------------------------------------------------------- the copy


def normal(value: object) -> object:
    """A value as SQLite stores it (booleans 0/1, JSON as SQLAlchemy writes it), to compare rows across stores."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def copy_to_postgres(db: Path, url: str) -> dict[str, int]:
    """`ratify init` on the schema, then every row of `db` by COPY; sequences set past the ids; ANALYZE.

    The tables init fills (meta, alembic_version, the procedure templates) must
    come out identical to the SQLite database's, so that stage and procedure ids
    match; if they do not, they are replaced by the SQLite rows.
    """
    import psycopg

    ratify_init(url)
    source = sqlite3.connect(db)
    names = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert names - {"sqlite_sequence"} == set(TABLES), sorted(names)
    counts = {}
    with psycopg.connect(url) as pg:
        pg.execute("SET TIME ZONE 'UTC'")  # recorded_at: SQLite holds naive UTC stamps
        for table in TABLES:
            cursor = source.execute(f"SELECT * FROM {table} ORDER BY rowid")
            columns = [d[0] for d in cursor.description]
            rows: Iterable[tuple] = cursor  # streamed: M's events need not be held
            there = pg.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
            if there:
                rows = cursor.fetchall()
                if set(rows) == {tuple(normal(v) for v in r) for r in there} and len(rows) == len(there):
                    counts[table] = len(rows)
                    continue
                log(f"    {table}: ratify init wrote other rows than the SQLite database holds; replacing them")
                pg.execute(f"DELETE FROM {table}")
            counts[table] = 0
            with pg.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    counts[table] += 1
        for (table,) in pg.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND column_name = 'id' AND column_default LIKE 'nextval(%'"
        ).fetchall():
            pg.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) "
                f"FROM {table}"
            )
        pg.commit()
        pg.autocommit = True
        pg.execute("ANALYZE")
        got = {t: pg.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # type: ignore[index]
    source.close()
    assert got == counts, (got, counts)
    return counts


def same_reports(db: Path, url: str) -> None:
    """`status bench-bilateral --format json` and the whole `status --format csv` must be the same on both stores."""
    for args in (["status", BILATERAL_SLUG, "--format", "json"], ["status", "--format", "csv"]):
        outputs = [
            subprocess.run(
                [RATIFY, "--db", str(where), *args], capture_output=True, text=True, env=benchmark.ENV, check=True
            ).stdout
            for where in (db, url)
        ]
        assert outputs[0] == outputs[1] and BILATERAL_SLUG in outputs[0], (args, outputs[0][:300], outputs[1][:300])


# ----------------------------------------------------------------------------------------- timing


def psql(url: str, sql: str, *flags: str) -> list[str]:
    """psql answering with SQL, as the sqlite3 shell does in benchmark.py: no psqlrc, unaligned rows."""
    return [PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", *flags, "-d", url, "-c", sql]


def bench_size(size: str, db: Path, url: str, runs: int) -> tuple[dict, dict]:
    """Median wall time and peak RSS of each command and its floors against the schema; statement counts."""
    today = date.today()
    OUT.mkdir(parents=True, exist_ok=True)
    targets = vote_targets(db, 2 * (runs + 1) + 1, today)  # ids are the same in the copy
    ratify_targets, floor_targets = targets[: runs + 1], targets[runs + 1 : 2 * (runs + 1)]
    corrections = correct_targets(db, runs + 2)
    floor_sql = sqlite_floor_sql(today, sqlite=False)
    check_pending(url, psql(url, floor_sql["pending --limit 50"], "--csv", "-t"))
    csv_out, csv_floor = OUT / f"pg-status-{size}.csv", OUT / f"pg-status-{size}-psql.csv"
    csv_sqlite = OUT / f"pg-status-{size}-sqlite.csv"
    db_arg = ["--db", url]
    # The psql vote floor is folded from the SQLite file: its treaty is none of the ratify votes' treaties.
    vote_sql = [vote_floor_sql(db, t, today, begin="BEGIN;", false="false") for t in floor_targets]
    plan = {
        "F": lambda i: timed([PYTHON, "-c", "import click, tabulate, sqlmodel"]),
        # Not a target: what F becomes with the driver and SQLAlchemy's PostgreSQL dialect, which only a
        # PostgreSQL command imports.
        "F + psycopg": lambda i: timed([PYTHON, "-c", F_PSYCOPG]),
        "status SLUG": lambda i: timed([RATIFY, *db_arg, "status", BILATERAL_SLUG]),
        "status SLUG --known-on": lambda i: timed(
            [RATIFY, *db_arg, "status", BILATERAL_SLUG, "--known-on", today.isoformat()]
        ),
        "psql status SLUG": lambda i: timed(psql(url, floor_sql["status SLUG"], "-A")),
        "pending --limit 50": lambda i: timed([RATIFY, *db_arg, "pending", "--limit", "50"]),
        "psql pending --limit 50": lambda i: timed(psql(url, floor_sql["pending --limit 50"], "-A")),
        "vote": lambda i: timed([RATIFY, *db_arg, "vote", *ratify_targets[i].args]),
        "correct": lambda i: timed([RATIFY, *db_arg, "correct", *corrections[i]]),
        "psql vote": lambda i: timed(psql(url, vote_sql[i])),
        "status --format csv > file": lambda i: timed(
            [RATIFY, *db_arg, "status", "--format", "csv"], stdout_path=csv_out
        ),
        "psql status --format csv > file": lambda i: timed(
            psql(url, floor_sql["status --format csv > file"], "--csv"), stdout_path=csv_floor
        ),
        # The same read commands on the SQLite file, in the same round, for comparison.
        "sqlite: status SLUG": lambda i: timed([RATIFY, "--db", str(db), "status", BILATERAL_SLUG]),
        "sqlite: pending --limit 50": lambda i: timed([RATIFY, "--db", str(db), "pending", "--limit", "50"]),
        "sqlite: status --format csv > file": lambda i: timed(
            [RATIFY, "--db", str(db), "status", "--format", "csv"], stdout_path=csv_sqlite
        ),
    }
    samples: dict[str, list[Sample]] = {name: [] for name in plan}
    for i in range(runs + 1):  # run 0 warms the server's cache and the bytecode cache; not counted
        log(f"[{size}] {'warm-up' if i == 0 else f'run {i}/{runs}'} ...")
        for name, run in plan.items():
            sample, output = run(i)
            if name.startswith("status SLUG") and i == 0:
                assert "FRA" in output and "JPN" in output, output
            if i:
                samples[name].append(sample)
    parties = sqlite3.connect(db).execute("SELECT count(*) FROM party").fetchone()[0]
    lines = [sum(1 for _ in open(path)) for path in (csv_out, csv_floor)]
    assert lines == [parties + 1, parties + 1], (lines, parties)
    for path in (csv_out, csv_floor, csv_sqlite):
        path.unlink()
    log(f"[{size}] counting SQL statements in-process ...")
    counts, _statements = statement_counts(url, url, targets[-1], corrections[-1])
    results = {
        name: {
            "seconds": statistics.median(s.seconds for s in found),
            "rss_mib": max(s.rss_mib for s in found),
            "cpu_seconds": statistics.median(s.cpu_seconds for s in found),
            "all": [round(s.seconds, 4) for s in found],
        }
        for name, found in samples.items()
    }
    return results, counts


# ----------------------------------------------------------------------------------------- report


def evaluate(size: str, r: dict) -> list[dict]:
    """One row per command: time, x F, x psql, and the issue's targets for PostgreSQL."""
    f = r["F"]["seconds"]
    rows = []
    for name in COMMANDS:
        t = r[name]["seconds"]
        floor = r.get(f"psql {name}", {}).get("seconds")
        checks = [(f"<= 1.2x F ({1.2 * f:.3f} s)", t <= 1.2 * f)]
        if name == "pending --limit 50" and size in ("M", "L"):
            checks.append((f"<= F + 3x psql ({f + 3 * floor:.3f} s)", t <= f + 3 * floor))
        if name == "status --format csv > file":
            checks.append((f"<= 3x psql ({3 * floor:.3f} s)", t <= 3 * floor))
        sqlite = r.get(f"sqlite: {name}", {}).get("seconds")
        rows.append(
            {
                "size": size,
                "command": name,
                "seconds": t,
                "cpu": r[name]["cpu_seconds"],
                "rss_mib": r[name]["rss_mib"],
                "x_f": t / f,
                "x_f_cpu": r[name]["cpu_seconds"] / r["F"]["cpu_seconds"],
                "psql": floor,
                "x_psql": t / floor if floor else None,
                "sqlite": sqlite,
                "checks": checks,
            }
        )
    return rows


def markdown(rows: list[dict], results: dict, counts: dict, copies: dict, info: dict) -> str:
    lines = ["# ratify benchmark on PostgreSQL", ""]
    lines += [f"- **{k}**: {v}" for k, v in info.items()]
    lines += ["", "## Copies", "", "| size | treaties | parties | events | acts | copy s |"]
    lines += ["|---|---:|---:|---:|---:|---:|"]
    for size, c in copies.items():
        n = c["rows"]
        lines.append(
            f"| {size} | {n['treaty']:,} | {n['party']:,} | {n['event']:,} | {n['act']:,} | {c['seconds']:.1f} |"
        )
    lines += [
        "",
        "## Commands (median wall time; peak RSS is the max over runs)",
        "",
        "| size | command | median s | CPU s | peak RSS MiB | x F | x F (CPU) | psql s | x psql | SQLite s | targets |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        checks = "; ".join(f"{'met' if ok else '**missed**'} {what}" for what, ok in row["checks"])
        psql_s = f"{row['psql']:.3f}" if row["psql"] is not None else "-"
        x_psql = f"{row['x_psql']:.1f}" if row["x_psql"] is not None else "-"
        sqlite = f"{row['sqlite']:.3f}" if row["sqlite"] is not None else "-"
        lines.append(
            f"| {row['size']} | `{row['command']}` | {row['seconds']:.3f} | {row['cpu']:.2f} | {row['rss_mib']:.0f} | "
            f"{row['x_f']:.2f} | {row['x_f_cpu']:.2f} | {psql_s} | {x_psql} | {sqlite} | {checks} |"
        )
    lines += [
        "",
        'F = `python -c "import click, tabulate, sqlmodel"` (same venv python); F + psycopg (no target) adds '
        "`psycopg` and `sqlalchemy.dialects.postgresql.psycopg`; psql = the psql shell answering the same "
        "question with benchmark.py's sqlite3 floor SQL on the same schema (vote: INSERT event + UPDATE of the "
        "changed cache rows in one transaction); SQLite = the same command on the SQLite file, same round.",
        "",
        "| size | floor or comparison | median s | CPU s | peak RSS MiB |",
        "|---|---|---:|---:|---:|",
    ]
    for size, r in results.items():
        for name in ("F", "F + psycopg", *(f"psql {n}" for n in FLOORED), *(n for n in r if n.startswith("sqlite"))):
            lines.append(
                f"| {size} | {name} | {r[name]['seconds']:.3f} | {r[name]['cpu_seconds']:.2f} | "
                f"{r[name]['rss_mib']:.0f} |"
            )
    names: dict[str, int] = next(iter(counts.values()), {})
    lines += [
        "",
        "## SQL statements per command (in-process, CliRunner + before_cursor_execute)",
        "",
        "| size | " + " | ".join(f"`{n}`" for n in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    lines += [f"| {size} | " + " | ".join(str(v) for v in found.values()) + " |" for size, found in counts.items()]
    missed = [(row["size"], row["command"], what) for row in rows for what, ok in row["checks"] if not ok]
    lines += ["", "## Targets missed", ""]
    lines += [f"- {size} `{command}`: {what}" for size, command, what in missed] or ["- none"]
    lines += ["", "## All runs (seconds)", ""]
    lines += [f"- {size} {name}: {v['all']}" for size, r in results.items() for name, v in r.items()]
    return "\n".join(lines) + "\n"


def server_versions(url: str) -> dict[str, str]:
    """The server's, psql's and psycopg's versions; stops with a message if there is no server or no psql."""
    try:
        import psycopg
    except ImportError:
        raise SystemExit("bench/postgres.py needs psycopg: make .venv/.installed-test") from None
    if not Path(PSQL).exists():
        raise SystemExit("bench/postgres.py needs the psql shell (the floor)")
    try:
        with psycopg.connect(url, connect_timeout=5) as pg:
            server = pg.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    except psycopg.OperationalError as error:
        raise SystemExit(
            f"bench/postgres.py: cannot connect to {url} ({' '.join(str(error).split())}); "
            "give a server with --postgres URL or RATIFY_BENCH_POSTGRES"
        ) from None
    shell = subprocess.run([PSQL, "--version"], capture_output=True, text=True).stdout.strip()
    return {"postgresql server": server, "psql": shell, "psycopg": psycopg.__version__}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M", help="comma-separated sizes out of S,M,L (default: S,M)")
    parser.add_argument("--runs", type=int, default=None, help="timed runs per command (default 7; 5 at L)")
    parser.add_argument("--postgres", default=DEFAULT_URL, help=f"the server (default: {DEFAULT_URL})")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--ref", metavar="REV", default="HEAD", help="measure ratify as committed at REV")
    where.add_argument("--worktree", action="store_true", help="measure the working tree (the editable install)")
    parser.add_argument("--as-is-env", action="store_true", help="run commands in this shell's environment as is")
    args = parser.parse_args()
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    if unknown := [s for s in sizes if s not in SIZES]:
        parser.error(f"unknown size(s) {unknown}; use S, M, L")
    benchmark.ENV = child_env(args.as_is_env)
    info = machine()
    for key in ("sqlite (python module)", "sqlite3 shell"):
        info.pop(key)
    info.update(server_versions(args.postgres))
    results, counts, copies, rows = {}, {}, {}, []
    for size in sizes:
        db, _build = build(size, rebuild=False)
        schema = f"bench_pg_{size.lower()}_{uuid.uuid4().hex[:8]}"
        url = pg_schema(args.postgres, schema, create=True)
        try:
            log(f"[{size}] copying {db.name} into schema {schema} ...")
            started = time.perf_counter()
            copied = copy_to_postgres(db, url)
            seconds = time.perf_counter() - started
            same_reports(db, url)
            copies[size] = {"rows": copied, "seconds": seconds}
            log(f"[{size}] copied in {seconds:.0f} s; status {BILATERAL_SLUG} and status --format csv agree")
            results[size], counts[size] = bench_size(size, db, url, args.runs or DEFAULT_RUNS[size])
        finally:
            pg_schema(args.postgres, schema, create=False)
        rows += evaluate(size, results[size])
        log(f"[{size}] done")
    info["load average (start / end)"] = f"{info.pop('loadavg')} / {Path('/proc/loadavg').read_text().split()[0]}"
    text = markdown(rows, results, counts, copies, info)
    data = {"machine": info, "copies": copies, "results": results, "statements": counts, "rows": rows}
    write_results("postgres", text, data)

if __name__ == "__main__":
    main()
