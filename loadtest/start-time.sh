#!/usr/bin/env bash
# How long a fresh process takes from its start to its first PONG: redis-server 7.0 beside our node started as
# `java -jar target/akka-redis-cluster.jar` and, when the class-data sharing archive exists (scripts/cds-archive.sh
# makes target/akka-redis-cluster.jsa), with `-XX:SharedArchiveFile` on it. The clock starts just before the
# process is spawned and stops when redis-cli's PING (tried every 10 ms) is answered PONG; each process is empty
# (no data to load) and stopped before the next one starts. ROUNDS rounds (default 5), the kinds alternating in each
# round; prints each time and the medians.
#   loadtest/start-time.sh                     standalone nodes
#   MODE=cluster loadtest/start-time.sh        cluster-enabled yes (the cluster bus binds its port too)
#   BASELINE_JAR=/path/to/old.jar loadtest/start-time.sh    an older jar measured beside it ("baseline")
#   JAR=/path/to/new.jar ARCHIVE=/path/to/its.jsa loadtest/start-time.sh    another jar (and archive) as "node"
set -uo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
MODE=${MODE:-standalone}
PORT=${PORT:-23001}
JAR=${JAR:-target/akka-redis-cluster.jar}
ARCHIVE=${ARCHIVE:-target/akka-redis-cluster.jsa}
WORK=$(mktemp -d)
PID=
cleanup() {
  if [ -n "$PID" ]; then kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
for tool in redis-server redis-cli java; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "no $JAR: mvn -B -q -DskipTests package" >&2; exit 1; }
now_ns() { date +%s%N; }
cluster=no
[ "$MODE" = cluster ] && cluster=yes

KINDS=(redis node)
[ -f "$ARCHIVE" ] && KINDS+=(node-cds)
[ -n "${BASELINE_JAR:-}" ] && KINDS+=(baseline)

# Starts one process of kind $1 in a fresh folder; its pid in PID.
spawn() {
  local dir="$WORK/$1"
  rm -rf "$dir" && mkdir -p "$dir"
  local node_args=(--port "$PORT" --bind 127.0.0.1 --cluster-enabled "$cluster" --save '' --appendonly no --dir "$dir")
  case $1 in
    redis) redis-server --port "$PORT" --bind 127.0.0.1 --cluster-enabled "$cluster" --save '' --appendonly no \
             --dir "$dir" --logfile "$dir/node.log" & ;;
    node) java -jar "$JAR" "${node_args[@]}" > "$dir/node.log" 2>&1 < /dev/null & ;;
    node-cds) java -XX:SharedArchiveFile="$ARCHIVE" -jar "$JAR" "${node_args[@]}" > "$dir/node.log" 2>&1 < /dev/null & ;;
    baseline) java -jar "$BASELINE_JAR" "${node_args[@]}" > "$dir/node.log" 2>&1 < /dev/null & ;;
  esac
  PID=$!
}

# One start of kind $1: prints the ms until the first PONG ("timeout" after 60 s).
measure() {
  local t0; t0=$(now_ns)
  spawn "$1"
  local ms=timeout
  while kill -0 "$PID" 2>/dev/null; do
    if [ "$(redis-cli -p "$PORT" ping 2>/dev/null)" = PONG ]; then ms=$((($(now_ns) - t0) / 1000000)); break; fi
    [ $(($(now_ns) - t0)) -gt 60000000000 ] && break
    sleep 0.01
  done
  kill "$PID" 2>/dev/null
  wait "$PID" 2>/dev/null
  PID=
  # The next process must find the ports free (the bus port too).
  while ss -tlnH "sport = :$PORT or sport = :$((PORT + 10000))" | grep -q .; do sleep 0.05; done
  echo "$ms"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -A TIMES
for round in $(seq "$ROUNDS"); do
  for kind in "${KINDS[@]}"; do
    ms=$(measure "$kind")
    TIMES[$kind]+="$ms "
    echo "round $round $kind: first PONG after $ms ms" >&2
  done
done
printf '%-10s %-40s %9s\n' process "first PONG ms ($MODE, rounds)" median
for kind in "${KINDS[@]}"; do
  printf '%-10s %-40s %9s\n' "$kind" "${TIMES[$kind]% }" \
    "$(tr ' ' '\n' <<< "${TIMES[$kind]}" | grep -E '^[0-9]+$' | median)"
done
echo "($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), median of $ROUNDS rounds; java $(java -version 2>&1 \
  | sed -n 's/.*version "\([^"]*\)".*/\1/p'), redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'))"
