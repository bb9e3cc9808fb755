#!/bin/bash
# usage: build.sh <worktree> <name>   -> tests/data/<name>.sql, .export.yaml, .status.txt
set -e
wt=$1; name=$2; out=/work/wt-migrations/tests/data; db=/tmp/mig/$name.db
rm -f $db
cd $wt
R="env PYTHONPATH=. RATIFY_USER=tester /work/wt-migrations/.venv/bin/python -m ratify --db $db"
$R init >/dev/null
$R load fixtures/treaties/rus-prk-2024.yaml fixtures/treaties/che-usa-mlat-1973.yaml fixtures/treaties/fin-can-youth-mobility-2023.yaml fixtures/treaties/budapest-2001.yaml >/dev/null
$R treaty add rus-vnm-2025 --title "Treaty on Friendship" --signed 2025-01-14 --place Hanoi --party Russia --party Vietnam --source https://example.org/t >/dev/null
$R vote rus-vnm-2025 RUS duma --date 2025-03-10 --yes 400 --no 2 --source https://example.org/v --note "first vote" >/dev/null
$R act budapest-2001 France declaration --date 2006-01-10 --note "declaration on article 9" >/dev/null
sqlite3 $db .dump > $out/$name.sql
$R export > $out/$name.export.yaml
$R status --as-of 2025-06-01 > $out/$name.status.txt
$R report --as-of 2025-06-01 --format json > $out/$name.report.json
