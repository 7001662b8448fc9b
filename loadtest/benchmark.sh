#!/usr/bin/env bash
# Side-by-side throughput of redis-server and an akka-redis-cluster node on this machine, as a ratio.
# Both run standalone on loopback; the same redis-benchmark runs against each at -P 1 and -P 16, the two
# servers taking turns test by test, ROUNDS times (default 3); the median of each is printed, as this
# machine's neighbours move single runs by 10-20%.
#   loadtest/benchmark.sh [requests per test, default 200000] [clients, default 50]
#   TESTS="lpush rpop sadd zadd lrange_100" loadtest/benchmark.sh   (redis-benchmark -t names; default set get incr hset)
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-200000}
CLIENTS=${2:-50}
TESTS=${TESTS:-set get incr hset}
ROUNDS=${ROUNDS:-3}
REDIS_PORT=${REDIS_PORT:-16379}
NODE_PORT=${NODE_PORT:-16380}
source loadtest/pair-lib.sh

# rps of one test
bench() {
  redis-benchmark -p "$1" -t "$3" -n "$REQUESTS" -c "$CLIENTS" -P "$2" --csv | tail -n 1 | tr -d '"' | cut -d, -f2
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The JVM compiles its hot paths in the first seconds: one unmeasured round first.
for pipeline in 16 1; do bench "$NODE_PORT" "$pipeline" set,get > /dev/null; done

printf '%-8s %9s %14s %14s %7s\n' test pipeline redis-rps node-rps ratio
for pipeline in 1 16; do
  for test in $TESTS; do
    : > "$WORK/redis.txt"
    : > "$WORK/node.txt"
    for _ in $(seq "$ROUNDS"); do
      bench "$REDIS_PORT" "$pipeline" "$test" >> "$WORK/redis.txt"
      bench "$NODE_PORT" "$pipeline" "$test" >> "$WORK/node.txt"
    done
    redis=$(median < "$WORK/redis.txt")
    node=$(median < "$WORK/node.txt")
    awk -v t="${test^^}" -v p="$pipeline" -v r="$redis" -v n="$node" \
      'BEGIN { printf "%-8s %9s %14.0f %14.0f %7.2f\n", t, p, r, n, n / r }'
  done
done
echo "($(nproc) cores, $REQUESTS requests per test, $CLIENTS clients, median of $ROUNDS rounds;" \
  "redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'))"
