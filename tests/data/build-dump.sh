#!/bin/bash
# Rebuild a dump from a real old release, as tests/data/schema-v1.*, schema-v2.* and schema-v3.* were made:
#   git worktree add --detach /tmp/v1 a386997
#   PYTHON=.venv/bin/python tests/data/build-dump.sh /tmp/v1 schema-v1
# (schema-0007 from 10bb9bb, with EXTRA="fixtures/treaties/paris-2015.yaml fixtures/treaties/nato-1949-romania-protocol-2003.yaml";
#  schema-0008 from 3574d18, `git archive`d to a directory, with the same EXTRA and fixtures/treaties/ctbt-1996.yaml)
# PYTHON must have ratify's dependencies; PYTHONPATH makes it run the old release's code.
# EXTRA names more fixture files to load (schema-0007 adds the Paris Agreement, the North Atlantic Treaty
# and its Romanian accession protocol: withdrawals, rejoining, a group drawn from a parent, month dates).
set -e
wt=$1; name=$2; out=$(cd "$(dirname "$0")" && pwd); python=$(realpath -s "$(command -v "${PYTHON:-python3}")")
db=$(mktemp -d)/$name.db
cd "$wt"
R="env PYTHONPATH=. RATIFY_USER=tester $python -m ratify --db $db"
$R init >/dev/null
$R load fixtures/treaties/rus-prk-2024.yaml fixtures/treaties/che-usa-mlat-1973.yaml \
    fixtures/treaties/fin-can-youth-mobility-2023.yaml fixtures/treaties/budapest-2001.yaml ${EXTRA:-} >/dev/null
$R treaty add rus-vnm-2025 --title "Treaty on Friendship" --signed 2025-01-14 --place Hanoi \
    --party Russia --party Vietnam --source https://example.org/t >/dev/null
$R vote rus-vnm-2025 RUS duma --date 2025-03-10 --yes 400 --no 2 --source https://example.org/v --note "first vote" >/dev/null
$R act budapest-2001 France declaration --date 2006-01-10 --note "declaration on article 9" >/dev/null
if $R correct --help >/dev/null 2>&1; then  # releases with corrections keep a corrected version too
  $R correct "e$(sqlite3 "$db" 'SELECT max(id) FROM event')" --no 3 --reason "tally from the record" >/dev/null
fi
sqlite3 "$db" .dump > "$out/$name.sql"
$R export > "$out/$name.export.yaml"
$R status --as-of 2025-06-01 > "$out/$name.status.txt"
$R report --as-of 2025-06-01 --format json > "$out/$name.report.json"
