"""How fast the web view answers: requests/s and p50/p99 latency against the benchmark's databases.

One warm `ratify serve` process per database (its engine and templates loaded once, as a
user runs it), measured over keep-alive HTTP from this process: a treaty's JSON twin
(its status rows, the target: under 10 ms p50 at L), the treaty's page, and /pending.

    .venv/bin/python bench/serve.py [--sizes M,L] [--requests 300] [--clients 4]

The databases are those `bench/benchmark.py` builds and caches under bench/data
(built here first if missing, with --build-only --worktree). Results go to stdout and
bench/out/serve.md. Measures the working tree (the editable install).
"""

from __future__ import annotations

import argparse
import http.client
import platform
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"
OUT = BENCH / "out"
RATIFY = str(Path(sys.executable).parent / "ratify")
TARGET_P50_MS = 10.0  # one treaty's status at L


@dataclass(frozen=True)
class Result:
    size: str
    what: str
    path: str
    requests: int
    clients: int
    rps: float
    p50: float
    p99: float

    def row(self) -> str:
        return (
            f"| {self.size} | {self.what} | `{self.path}` | {self.requests} | {self.clients} | "
            f"{self.rps:,.0f} | {self.p50:.1f} | {self.p99:.1f} |"
        )


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def database(size: str) -> Path:
    db = DATA / f"{size}.db"
    if not db.exists():
        log(f"[{size}] building the database with bench/benchmark.py ...")
        command = [sys.executable, str(BENCH / "benchmark.py"), "--build-only", "--worktree", "--sizes", size]
        subprocess.run(command, check=True)
    return db


def middle_treaty(db: Path) -> str:
    """A multilateral treaty from the middle of the table: neither the first rows nor the last."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        (count,) = conn.execute("SELECT count(*) FROM treaty WHERE kind = 'multilateral'").fetchone()
        (slug,) = conn.execute(
            "SELECT slug FROM treaty WHERE kind = 'multilateral' ORDER BY id LIMIT 1 OFFSET ?", (count // 2,)
        ).fetchone()
    return slug


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(db: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [RATIFY, "--db", str(db), "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/style.css", timeout=2).close()
            return process, port
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"ratify serve did not start on {db}") from None
            time.sleep(0.2)


def fetch_all(port: int, path: str, count: int) -> list[float]:
    """`count` requests over one keep-alive connection; each one's latency in milliseconds."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    latencies = []
    try:
        for _ in range(count):
            began = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                raise SystemExit(f"GET {path}: {response.status}")
    finally:
        connection.close()
    return latencies


def measure(size: str, what: str, port: int, path: str, requests: int, clients: int) -> Result:
    fetch_all(port, path, max(5, requests // 20))  # warm: the first requests parse templates and fill caches
    latencies: list[float] = []
    share = max(1, requests // clients)

    def client() -> None:
        latencies.extend(fetch_all(port, path, share))

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(latencies, n=100)
    result = Result(size, what, path, len(latencies), clients, len(latencies) / elapsed, cuts[49], cuts[98])
    log(f"[{size}] {what}: {result.rps:,.0f} req/s, p50 {result.p50:.1f} ms, p99 {result.p99:.1f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="M,L", help="comma-separated sizes out of S,M,L (default: M,L)")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per endpoint (default 300)")
    args = parser.parse_args()
    results: list[Result] = []
    for size in [s.strip().upper() for s in args.sizes.split(",") if s.strip()]:
        db = database(size)
        slug = middle_treaty(db)
        process, port = start(db)
        try:
            endpoints = [
                ("one treaty's status (JSON)", f"/treaties/{slug}.json", args.requests),
                ("treaty page", f"/treaties/{slug}", args.requests),
                ("pending (first 500)", "/pending", max(20, args.requests // 10)),
            ]
            for what, path, count in endpoints:
                for clients in (1, 4):
                    results.append(measure(size, what, port, path, count, clients))
        finally:
            process.terminate()
            process.wait(timeout=30)
    header = (
        "| size | what | path | requests | clients | req/s | p50 ms | p99 ms |\n|---|---|---|---:|---:|---:|---:|---:|"
    )
    machine = f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, {platform.system()}"
    text = "\n".join([f"Web view ({machine}; one `ratify serve` process, keep-alive HTTP)\n", header])
    text += "\n" + "\n".join(result.row() for result in results) + "\n"
    single = [r for r in results if r.clients == 1 and r.path.endswith(".json")]
    for result in single:
        verdict = "meets" if result.p50 < TARGET_P50_MS else "misses"
        text += (
            f"\n{result.size}: one treaty's status p50 {result.p50:.1f} ms {verdict} the {TARGET_P50_MS:.0f} ms target."
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "serve.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
