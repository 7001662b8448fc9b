#!/usr/bin/env bash
# PUBLISH throughput of redis-server and a node side by side (both standalone, on loopback), with 1, 10 and 100
# subscribers on the channel (redis-cli SUBSCRIBE processes, their output to /dev/null): the same
# redis-benchmark PUBLISH run against each, the two taking turns, ROUNDS times (default 3); medians and the ratio.
#   loadtest/pubsub-throughput.sh [requests per run, default 100000] [clients, default 50]
#   SUBSCRIBERS="1 10 100" PIPELINES="1 16" MESSAGE=0123456789abcdef    (the defaults)
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-100000}
CLIENTS=${2:-50}
SUBSCRIBERS=${SUBSCRIBERS:-1 10 100}
PIPELINES=${PIPELINES:-1 16}
MESSAGE=${MESSAGE:-0123456789abcdef}
REDIS_PORT=${REDIS_PORT:-16379}
NODE_PORT=${NODE_PORT:-16380}
source loadtest/pair-lib.sh
SUBSCRIBER_PIDS=()
stop_subscribers() {
  [ ${#SUBSCRIBER_PIDS[@]} = 0 ] || { kill "${SUBSCRIBER_PIDS[@]}" 2>/dev/null || true; wait "${SUBSCRIBER_PIDS[@]}" 2>/dev/null || true; }
  SUBSCRIBER_PIDS=()
}
trap 'stop_subscribers; cleanup' EXIT
start_pair

# $1 subscribers of channel "news" on each server; waits (at most 30 s) until PUBSUB NUMSUB counts them all.
subscribe() {
  local port i
  for port in "$REDIS_PORT" "$NODE_PORT"; do
    for i in $(seq "$1"); do
      redis-cli -p "$port" subscribe news > /dev/null 2>&1 < /dev/null &
      SUBSCRIBER_PIDS+=($!)
    done
  done
  for port in "$REDIS_PORT" "$NODE_PORT"; do
    for i in $(seq 300); do
      [ "$(redis-cli -p "$port" pubsub numsub news | tail -n 1)" = "$1" ] && break
      [ "$i" != 300 ] || { echo "port $port: $1 subscribers not there after 30 s" >&2; exit 1; }
      sleep 0.1
    done
  done
}

# rps of one PUBLISH run against port $1 at pipeline $2.
bench_publish() {
  local rps
  rps=$(timeout "$BENCH_TIMEOUT" redis-benchmark -p "$1" -n "$REQUESTS" -c "$CLIENTS" -P "$2" --csv \
    PUBLISH news "$MESSAGE" | tail -n 1 | tr -d '"' | cut -d, -f2)
  [[ "$rps" =~ ^[0-9.]+$ ]] || { echo "redis-benchmark PUBLISH -p $1 -P $2 gave no result" >&2; exit 1; }
  echo "$rps"
}

bench_publish "$NODE_PORT" 16 > /dev/null  # the JVM compiles its hot paths first
printf "%-12s %9s %14s %14s %7s\n" subscribers pipeline redis-rps node-rps ratio
for n in $SUBSCRIBERS; do
  subscribe "$n"
  for pipeline in $PIPELINES; do
    : > "$WORK/redis-rps.txt"
    : > "$WORK/node-rps.txt"
    for _ in $(seq "$ROUNDS"); do
      bench_publish "$REDIS_PORT" "$pipeline" >> "$WORK/redis-rps.txt"
      bench_publish "$NODE_PORT" "$pipeline" >> "$WORK/node-rps.txt"
    done
    awk -v s="$n" -v p="$pipeline" -v r="$(median < "$WORK/redis-rps.txt")" -v m="$(median < "$WORK/node-rps.txt")" \
      'BEGIN { printf "%-12s %9s %14.0f %14.0f %7.2f\n", s, p, r, m, m / r }'
  done
  stop_subscribers
done
echo "($(nproc) cores, $REQUESTS PUBLISHes of ${#MESSAGE} bytes per run, $CLIENTS clients, median of $ROUNDS rounds;" \
  "redis-server $(redis_version))"
