#!/usr/bin/env bash
# SETBIT and PFADD side by side on redis-server and a node (standalone, loopback), as redis-benchmark custom
# commands at -P 1 and -P 16 over 100,000 random keys (SETBIT) / elements (PFADD), the two servers taking turns, ROUNDS times
# (default 3); prints the medians and node/redis.
#   loadtest/bits-benchmark.sh [requests per test, default 200000] [clients, default 50]
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-200000}
CLIENTS=${2:-50}
REDIS_PORT=${REDIS_PORT:-16379}
NODE_PORT=${NODE_PORT:-16380}
LABEL_WIDTH=10
source loadtest/pair-lib.sh
# redis-benchmark writes __rand_int__ as 12 zero-padded digits, which no offset argument accepts (string2ll):
# SETBIT draws its key instead, at a fixed offset.
declare -A COMMANDS=([setbit]="SETBIT bm:__rand_int__ 1000 1" [pfadd]="PFADD hll __rand_int__")

# As pair-lib's bench, with a custom command (COMMANDS[$3]) in place of a -t test.
bench() {
  local rps
  # shellcheck disable=SC2086 # the command's words are redis-benchmark's arguments
  rps=$(timeout "$BENCH_TIMEOUT" redis-benchmark -p "$1" -n "$REQUESTS" -c "$CLIENTS" -P "$2" -r 100000 --csv \
    ${COMMANDS[$3]} | tail -n 1 | tr -d '"' | cut -d, -f2)
  [[ "$rps" =~ ^[0-9.]+$ ]] || { echo "redis-benchmark -p $1 ${COMMANDS[$3]} -P $2 gave no result" >&2; exit 1; }
  echo "$rps"
}

start_pair
warm_up_node setbit
warm_up_node pfadd
compare_header command
for pipeline in 1 16; do
  for test in setbit pfadd; do compare_row "${test^^}" "$pipeline" "$test"; done
done
echo "($(nproc) cores, $REQUESTS requests per test, $CLIENTS clients, median of $ROUNDS rounds;" \
  "redis-server $(redis_version))"
