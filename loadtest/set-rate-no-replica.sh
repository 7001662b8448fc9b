#!/usr/bin/env bash
# The master's SET rate with no replica attached, to set beside replication-lag.sh's rate with one: three java
# masters (--cluster-replicas 0, cluster-node-timeout 5000), the same redis-benchmark as replication-lag.sh (REQUESTS,
# default 4000000, -c 50 -P 16, -r 100000 keys under {lag}) on the master of {lag}'s slot. JAR=... as in
# cluster-lib.sh.
#   loadtest/set-rate-no-replica.sh
set -uo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${REQUESTS:-4000000}
NODES=3
source loadtest/cluster-lib.sh
trap cleanup_clusters EXIT

addresses=()
for port in $(ports_of node); do
  mkdir -p "$WORK/node-$port"
  start_node node "$port"
  addresses+=("127.0.0.1:$port")
done
for port in $(ports_of node); do wait_node node "$port"; done
redis-cli --cluster create "${addresses[@]}" --cluster-replicas 0 --cluster-yes > "$WORK/create.log" 2>&1
deadline=$((SECONDS + 120))
until all_ok node; do
  [ "$SECONDS" -lt "$deadline" ] || { echo "no cluster_state:ok within 120 s; see $WORK/create.log" >&2; exit 1; }
  sleep 0.2
done
base=$(base_of node)
master=$(owner_of_slot "$base" "$(cli "$base" cluster keyslot '{lag}')")
rps=$(redis-benchmark -p "$master" -n "$REQUESTS" -c 50 -P 16 -r 100000 -q set '{lag}:__rand_int__' xxx 2>&1 \
  | grep -o '[0-9.]* requests per second' | tail -n 1 | cut -d' ' -f1)
echo "SET requests per second (redis-benchmark -P 16), no replica: ${rps:--}"
echo "($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $REQUESTS SETs -c 50 -P 16 on one of 3 masters)"
