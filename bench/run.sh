#!/usr/bin/env bash
# Reproduces the figures of BENCHMARKS.md's "Load and scale" section, each
# beside its bare reference from the same run. Needs Go, psql, a PostgreSQL
# whose superuser can create databases (BENCH_PG, without a database name) and
# wrk (Debian: sudo apt-get install -y wrk). Everything runs on 127.0.0.1.
#
#   bench/run.sh                 # all of it (~10 minutes on 2 cores)
#   bench/run.sh import publish  # some of it: import workbook publish workflow scale cached
#   KEEP=1 bench/run.sh scale    # keep the generated databases qdbench_scale_10 and _100
set -euo pipefail
cd "$(dirname "$0")/.."

PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
export PGOPTIONS=--client-min-messages=warning
export QINGDAN_AUDIT_KEY=${QINGDAN_AUDIT_KEY:-qingdan-bench-audit-key-measurements-only} # throwaway databases
DURATION=${DURATION:-20s}       # of each wrk run and of each workflow run
CONNECTIONS=${CONNECTIONS:-16}  # wrk connections
CLIENTS=${CLIENTS:-8}           # workflow clients
STEPS=${*:-import workbook publish workflow scale}

command -v wrk >/dev/null || { echo "wrk is needed: sudo apt-get install -y wrk" >&2; exit 1; }
go build -o bin/qingdan ./cmd/qingdan
go build -o bin/qingdan-bench ./bench
echo "machine: $(nproc) cores, $(uname -m), $(psql "$PG/postgres" -Atc 'SHOW server_version') PostgreSQL, $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# fresh NAME: an empty database, its URL on stdout.
fresh() {
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null
  echo "$PG/$1?sslmode=disable"
}
drop() { psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null; }

# serve URL ADDR [bare]: qingdan serve (or the bare handler) in the background, until it answers.
serve() {
  if [ "${3:-}" = bare ]; then
    DATABASE_URL=$1 bin/qingdan-bench bare --addr "$2" >/dev/null 2>&1 &
  else
    DATABASE_URL=$1 bin/qingdan serve --addr "$2" --seeds /nonexistent >/dev/null 2>&1 &
  fi
  PIDS+=($!)
  for _ in $(seq 100); do curl -s -o /dev/null "http://$2/" && return; sleep 0.1; done
  echo "server on $2 did not start" >&2; exit 1
}
stop_all() { cleanup; PIDS=(); sleep 0.5; }

# wrk_row LABEL URL: req/s and latency percentiles of a bounded wrk run
# (wrk_row1: with one thread, for one connection); HEADER="Name: value" adds a header.
wrk_row() { THREADS=2 wrk_run "$@"; }
wrk_row1() { THREADS=1 wrk_run "$@"; }
wrk_run() {
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency ${HEADER:+-H "$HEADER"} "$2")
  printf '%s: %s req/s, p50 %s, p99 %s\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
}

for step in $STEPS; do case $step in
import)
  echo "## import: ImportList against COPY of the same rows"
  DATABASE_URL=$(fresh qdbench_import) bin/qingdan-bench import --counties 2 --rounds 3
  drop qdbench_import ;;
workbook)
  echo "## workbook: reading and importing a county's XLSX against COPY of the same items"
  DATABASE_URL=$(fresh qdbench_workbook) bin/qingdan-bench workbook --counties 3 --rounds 3
  drop qdbench_workbook ;;
publish)
  echo "## publish: a 50-operation request on a 300-item list with 500 versions"
  DATABASE_URL=$(fresh qdbench_publish) bin/qingdan-bench publish --versions 500 --ops 50 --rounds 10
  drop qdbench_publish ;;
workflow)
  echo "## workflow: draft → published by $CLIENTS clients over two instances"
  url=$(fresh qdbench_flow)
  DATABASE_URL=$url bin/qingdan-bench workflow --setup
  serve "$url" 127.0.0.1:8081; serve "$url" 127.0.0.1:8082
  DATABASE_URL=$url bin/qingdan-bench workflow --servers http://127.0.0.1:8081,http://127.0.0.1:8082 --clients "$CLIENTS" --duration "$DURATION"
  stop_all; drop qdbench_flow ;;
scale)
  # Both scales side by side, their wrk runs interleaved, so the machine's
  # load weighs on both alike.
  declare -A URL ID
  for counties in 10 100; do
    echo "## scale: $counties counties × 40 departments (qingdan gen --seed 1 --counties $counties)"
    URL[$counties]=$(fresh "qdbench_scale_$counties")
    DATABASE_URL=${URL[$counties]} bin/qingdan gen --seed 1 --counties "$counties" 2>/dev/null
    echo "database $(psql "${URL[$counties]}" -Atc 'SELECT pg_size_pretty(pg_database_size(current_database()))')"
    ID[$counties]=$(DATABASE_URL=${URL[$counties]} bin/qingdan-bench pick --items 300)
  done
  serve "${URL[10]}" 127.0.0.1:8081; serve "${URL[10]}" 127.0.0.1:8091 bare
  serve "${URL[100]}" 127.0.0.1:8082; serve "${URL[100]}" 127.0.0.1:8092 bare
  for counties in 10 100; do
    port=$((counties == 10 ? 1 : 2)); path=/api/v1/lists/${ID[$counties]}/items
    curl -sf "http://127.0.0.1:808$port$path" | cmp - <(curl -sf "http://127.0.0.1:809$port$path") \
      && echo "$counties counties: GET $path answers $(curl -sf "http://127.0.0.1:808$port$path" | wc -c) bytes, the same from qingdan and bare"
  done
  echo "## GET a 300-item list: wrk -t2 -c$CONNECTIONS -d$DURATION --latency, rounds interleaved"
  for round in 1 2; do
    for counties in 10 100; do
      port=$((counties == 10 ? 1 : 2)); path=/api/v1/lists/${ID[$counties]}/items
      wrk_row "$counties counties, qingdan (round $round)" "http://127.0.0.1:808$port$path"
      wrk_row "$counties counties, bare    (round $round)" "http://127.0.0.1:809$port$path"
    done
  done
  echo "## the same, one connection at a time (latency without queueing): wrk -t1 -c1 -d10s"
  for counties in 10 100; do
    port=$((counties == 10 ? 1 : 2)); path=/api/v1/lists/${ID[$counties]}/items
    CONNECTIONS=1 DURATION=10s wrk_row1 "$counties counties, qingdan" "http://127.0.0.1:808$port$path"
    CONNECTIONS=1 DURATION=10s wrk_row1 "$counties counties, bare   " "http://127.0.0.1:809$port$path"
  done
  stop_all
  [ -n "${KEEP:-}" ] || { drop qdbench_scale_10; drop qdbench_scale_100; } ;;
cached)
  # Published versions as stored bytes (issue 15): the product's cached paths
  # beside the bare handler, every probe once per round, rounds interleaved.
  echo "## published versions as bytes: wrk -t2 -c$CONNECTIONS -d$DURATION, the longest list of gen --seed 1 --counties 1"
  url=$(fresh qdbench_cached)
  DATABASE_URL=$url bin/qingdan gen --seed 1 --counties 1 >/dev/null
  # The county's longest list (gen gives each county one of 300 items; a
  # later version may have one more or less).
  read -r id n < <(psql "$url" -Atc "SELECT l.id, v.item_count FROM lists l JOIN list_versions v
    ON v.list_id = l.id AND v.number = l.current_version ORDER BY v.item_count DESC, l.id LIMIT 1" | tr '|' ' ')
  echo "list $id, $n items"
  echo 'Qd-wrk-2026-pass!' | DATABASE_URL=$url bin/qingdan user add --username bench --name 压测 --role admin --password-stdin >/dev/null
  serve "$url" 127.0.0.1:8083; serve "$url" 127.0.0.1:8093 bare
  base=http://127.0.0.1:8083/api/v1/lists/$id
  etag=$(curl -sf -D - -o /dev/null "$base/items" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')
  v=$(curl -sf "$base/items" | grep -o '"version":[0-9]*' | head -1 | cut -d: -f2)
  # A signed-in client: exports are rate-limited for anonymous ones.
  token=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"bench","password":"Qd-wrk-2026-pass!"}' \
    http://127.0.0.1:8083/api/v1/auth/login | grep -o '"token":"[^"]*"' | cut -d'"' -f4)
  for round in 1 2; do
    wrk_row "bare handler            (round $round)" "http://127.0.0.1:8093/api/v1/lists/$id/items"
    wrk_row "items, current version  (round $round)" "$base/items"
    HEADER="If-None-Match: $etag" wrk_row "items, If-None-Match    (round $round)" "$base/items"
    wrk_row "items?version=$v         (round $round)" "$base/items?version=$v"
    HEADER="Authorization: Bearer $token" wrk_row "export xlsx, version $v (round $round)" "$base/export?format=xlsx&version=$v"
  done
  stop_all; drop qdbench_cached ;;
*) echo "unknown step $step (import workbook publish workflow scale cached)" >&2; exit 2 ;;
esac; done
