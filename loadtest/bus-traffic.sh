#!/usr/bin/env bash
# Cluster bus traffic at rest, real redis-server 7.0 next to our java nodes: each six-node cluster (3 masters,
# 3 replicas, cluster-node-timeout 5000) is created with redis-cli --cluster create, left to settle, then
# measured over SECONDS_MEASURED seconds (default 20): bus messages per node per second (the deltas of CLUSTER
# INFO cluster_stats_messages_sent/received) and TCP bytes per node per second on the bus connections
# (ss -tin bytes_sent/bytes_received of each node's sockets to or from a bus port, before and after).
#   loadtest/bus-traffic.sh
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_MEASURED=${SECONDS_MEASURED:-20}
SETTLE_SECONDS=${SETTLE_SECONDS:-10}
source loadtest/cluster-lib.sh
trap cleanup_clusters EXIT

# One line per node: "port messages-sent messages-received bus-bytes-sent bus-bytes-received".
snapshot() {
  local kind=$1 base; base=$(base_of "$kind")
  local sockets port; sockets=$(ss -tinpH)
  for port in $(ports_of "$kind"); do
    local info; info=$(cli "$port" cluster info | tr -d '\r')
    local sent received
    sent=$(sed -n 's/^cluster_stats_messages_sent://p' <<< "$info")
    received=$(sed -n 's/^cluster_stats_messages_received://p' <<< "$info")
    local bytes; bytes=$(awk -v pid="${PIDS[$port]}" -v lo=$((base + 10000)) -v hi=$((base + 10005)) '
      function port_of(address) { sub(/.*:/, "", address); return address + 0 }
      /^[A-Z]/ {
        mine = index($0, "pid=" pid ",") > 0
        local_port = port_of($4); peer_port = port_of($5)
        bus = (local_port >= lo && local_port <= hi) || (peer_port >= lo && peer_port <= hi)
        next
      }
      mine && bus {
        if (match($0, /bytes_sent:[0-9]+/)) sent += substr($0, RSTART + 11, RLENGTH - 11)
        if (match($0, /bytes_received:[0-9]+/)) received += substr($0, RSTART + 15, RLENGTH - 15)
      }
      END { printf "%d %d\n", sent, received }' <<< "$sockets")
    echo "$port ${sent:-0} ${received:-0} $bytes"
  done
}

# Forms the cluster, lets it settle, measures; leaves "<metric> <mean> <min> <max>" lines in $WORK/rates-<kind>.
measure() {
  local kind=$1
  form_linked_cluster "$kind"
  sleep "$SETTLE_SECONDS"
  local t0 t1
  t0=$(now_ms); snapshot "$kind" > "$WORK/before-$kind"
  sleep "$SECONDS_MEASURED"
  t1=$(now_ms); snapshot "$kind" > "$WORK/after-$kind"
  all_ok "$kind" || echo "$kind: warning: not cluster_state:ok everywhere after the measurement" >&2
  stop_cluster_nodes "$kind"
  awk -v seconds="$(awk -v ms=$((t1 - t0)) 'BEGIN { print ms / 1000 }')" '
    NR == FNR { for (i = 2; i <= 5; i++) before[$1, i] = $i; next }
    {
      for (i = 2; i <= 5; i++) {
        rate = ($i - before[$1, i]) / seconds
        sum[i] += rate; n[i]++
        if (n[i] == 1 || rate < min[i]) min[i] = rate
        if (n[i] == 1 || rate > max[i]) max[i] = rate
      }
    }
    END { for (i = 2; i <= 5; i++) printf "%d %.1f %.1f %.1f\n", i, sum[i] / n[i], min[i], max[i] }
  ' "$WORK/before-$kind" "$WORK/after-$kind" > "$WORK/rates-$kind"
}

for kind in redis node; do
  echo "measuring the $kind cluster (${SETTLE_SECONDS}s to settle, ${SECONDS_MEASURED}s measured)" >&2
  measure "$kind"
done

printf '%-32s %24s %24s\n' "per node per second" "redis: mean (min-max)" "node: mean (min-max)"
names=("" "" "bus messages sent" "bus messages received" "bus TCP bytes sent" "bus TCP bytes received")
for i in 2 3 4 5; do
  redis=$(awk -v i="$i" '$1 == i { printf "%.1f (%.1f-%.1f)", $2, $3, $4 }' "$WORK/rates-redis")
  node=$(awk -v i="$i" '$1 == i { printf "%.1f (%.1f-%.1f)", $2, $3, $4 }' "$WORK/rates-node")
  printf '%-32s %24s %24s\n' "${names[$i]}" "$redis" "$node"
done
echo "($(nproc) cores, 6 nodes: 3 masters + 3 replicas, cluster-node-timeout $NODE_TIMEOUT, at rest," \
  "${SECONDS_MEASURED}s; redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'))"
