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
REDIS_PORT=${REDIS_PORT:-16379}
NODE_PORT=${NODE_PORT:-16380}
source loadtest/pair-lib.sh
start_pair

warm_up_node set,get

compare_header test
for pipeline in 1 16; do
  for test in $TESTS; do compare_row "${test^^}" "$pipeline" "$test"; done
done
echo "($(nproc) cores, $REQUESTS requests per test, $CLIENTS clients, median of $ROUNDS rounds;" \
  "redis-server $(redis_version))"
