"""Start-up in instructions: each small command and its floor counted by valgrind, not timed.

Wall clock on a shared two-core machine moves by ±20% between runs (F alone
from 0.40 to 1.3 s), so a ratio near its limit flips with the neighbours'
work. The number of instructions a process executes does not: it is the same
run after run (PYTHONHASHSEED fixed), and its ratio to F's is the part of the
start-up that ratify controls. It is not wall time (a cache miss or a disk
read costs no instructions), so the timed benchmark stays the measure; this
one says which side of a limit a command is on when timing cannot.

    .venv/bin/python bench/instructions.py --sizes S,L     # about a minute a command under valgrind
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

# First: unless --worktree, this re-runs the script against `git archive HEAD` and puts that source on sys.path.
from benchmark import (
    BILATERAL_SLUG,
    ENV,
    PYTHON,
    RATIFY,
    build,
    correct_targets,
    log,
    machine,
    vote_targets,
    write_results,
)

VALGRIND = shutil.which("valgrind") or "/usr/bin/valgrind"
F_IMPORTS = "import click, tabulate, sqlmodel"
#: Every database command the issue holds to 1.2x F, and the limit.
LIMIT = 1.2


def instructions(argv: list[str]) -> int:
    """What the process executed, from cachegrind's summary (no cache simulation: only the count)."""
    command = [VALGRIND, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *argv]
    done = subprocess.run(command, capture_output=True, text=True, env={**ENV, "PYTHONHASHSEED": "0"})
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(argv)}\n{done.stderr[-2000:]}")
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if not found:
        raise SystemExit(f"no instruction count from valgrind for {' '.join(argv)}")
    return int(found.group(1).replace(",", ""))


def count_size(size: str) -> list[dict]:
    db, _info = build(size, rebuild=False)
    work = db.with_name(f"{size}.instructions.db")  # vote and correct write to a copy
    shutil.copyfile(db, work)
    try:
        today = date.today()
        vote = vote_targets(work, 1, today)[0].args
        correct = correct_targets(work, 1)[0]
        commands = {
            "status SLUG": ["status", BILATERAL_SLUG],
            "pending --limit 50": ["pending", "--limit", "50"],
            "vote": ["vote", *vote],
            "correct": ["correct", *correct],
        }
        # Every command once on a scratch copy first, so that its bytecode is cached as on a user's second run.
        scratch = db.with_name(f"{size}.instructions-warm.db")
        shutil.copyfile(work, scratch)
        try:
            for args in commands.values():
                subprocess.run([RATIFY, "--db", str(scratch), *args], capture_output=True, env=ENV, check=True)
        finally:
            scratch.unlink(missing_ok=True)
        subprocess.run([PYTHON, "-c", F_IMPORTS], env=ENV, check=True)
        floor = instructions([PYTHON, "-c", F_IMPORTS])
        log(f"[{size}] F: {floor:,} instructions")
        rows = []
        for name, args in commands.items():
            count = instructions([RATIFY, "--db", str(work), *args])
            ratio = count / floor
            log(f"[{size}] {name}: {count:,} ({ratio:.3f}x F)")
            rows.append({"size": size, "command": name, "instructions": count, "floor": floor, "x_f": ratio})
        return rows
    finally:
        work.unlink(missing_ok=True)


def markdown(rows: list[dict], info: dict[str, str]) -> str:
    lines = ["# ratify start-up in instructions", ""]
    lines += [f"- **{key}**: {value}" for key, value in info.items()]
    lines += ["", "| size | command | instructions | F | x F | target | |", "|---|---|---:|---:|---:|---|---|"]
    for row in rows:
        verdict = "met" if row["x_f"] <= LIMIT else "**missed**"
        lines.append(
            f"| {row['size']} | `{row['command']}` | {row['instructions']:,} | {row['floor']:,} "
            f"| {row['x_f']:.3f} | <= {LIMIT}x F | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--worktree", action="store_true", help="measure the working tree, not HEAD")
    options = parser.parse_args()
    if not Path(VALGRIND).exists():
        raise SystemExit("bench/instructions.py needs valgrind (apt-get install valgrind)")
    rows = [row for size in options.sizes.split(",") for row in count_size(size.strip())]
    info = machine()
    write_results("instructions", markdown(rows, info), {"machine": info, "rows": rows})


if __name__ == "__main__":
    main()
