#!/usr/bin/env bash
# Side-by-side GEOADD throughput of redis-server and a node (standalone, loopback), as a ratio: redis-benchmark's
# custom command `GEOADD g 13.361389 38.115556 __rand_int__` (-r 100000: up to 100,000 members in one geo set) at
# -P 1 and -P 16, the two servers taking turns, ROUNDS times (default 3); medians and node/redis.
#   loadtest/geoadd-benchmark.sh [requests per run, default 200000] [clients, default 50]
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-200000}
CLIENTS=${2:-50}
REDIS_PORT=${REDIS_PORT:-16379}
NODE_PORT=${NODE_PORT:-16380}
source loadtest/pair-lib.sh
start_pair

# rps of one custom-command run (pair-lib's bench runs -t tests only).
geoadd_rps() {
  local rps
  rps=$(timeout "$BENCH_TIMEOUT" redis-benchmark -p "$1" -n "$REQUESTS" -c "$CLIENTS" -r 100000 -P "$2" --csv \
    GEOADD g 13.361389 38.115556 __rand_int__ | tail -n 1 | tr -d '"' | cut -d, -f2)
  [[ "$rps" =~ ^[0-9.]+$ ]] || { echo "GEOADD -P $2 against port $1 gave no result in $BENCH_TIMEOUT s" >&2; exit 1; }
  echo "$rps"
}

# The JVM compiles its hot paths in the first seconds: one unmeasured run of each first.
for pipeline in 16 1; do geoadd_rps "$NODE_PORT" "$pipeline" > /dev/null; done

compare_header test
for pipeline in 1 16; do
  : > "$WORK/redis-rps.txt"
  : > "$WORK/node-rps.txt"
  for _ in $(seq "$ROUNDS"); do
    redis-cli -p "$REDIS_PORT" del g > /dev/null
    redis-cli -p "$NODE_PORT" del g > /dev/null
    geoadd_rps "$REDIS_PORT" "$pipeline" >> "$WORK/redis-rps.txt"
    geoadd_rps "$NODE_PORT" "$pipeline" >> "$WORK/node-rps.txt"
  done
  redis=$(median < "$WORK/redis-rps.txt")
  node=$(median < "$WORK/node-rps.txt")
  echo "  runs: redis $(tr '\n' ' ' < "$WORK/redis-rps.txt")| node $(tr '\n' ' ' < "$WORK/node-rps.txt")" >&2
  awk -v p="$pipeline" -v r="$redis" -v n="$node" -v w="$LABEL_WIDTH" \
    'BEGIN { printf "%-" w "s %9s %14.0f %14.0f %7.2f\n", "GEOADD", p, r, n, n / r }'
done
echo "($(nproc) cores, $REQUESTS requests per run, $CLIENTS clients, median of $ROUNDS rounds;" \
  "redis-server $(redis_version))"
