#!/usr/bin/env bash
# How long six fresh nodes take to become one cluster: for real redis-server 7.0 and for our java nodes, the
# time from the start of `redis-cli --cluster create <6 nodes> --cluster-replicas 1 --cluster-yes` until all
# six say cluster_state:ok (polled every 50 ms), and until redis-cli itself exits. ROUNDS rounds each
# (default 3), fresh nodes every round (cluster-node-timeout 5000); prints each round and the medians.
#   loadtest/cluster-create-time.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
ROUND_TIMEOUT_MS=${ROUND_TIMEOUT_MS:-120000}
source loadtest/cluster-lib.sh
trap cleanup_clusters EXIT

# One round: sets OK_MS (ms to ok on all six) and EXIT_MS (ms until redis-cli exited), "timeout" for what
# did not happen.
measure() {
  local kind=$1 ok_ms=timeout exit_ms=timeout
  start_cluster_nodes "$kind"
  local t0; t0=$(now_ms)
  start_create "$kind"
  while :; do
    local t; t=$(now_ms)
    if [ "$exit_ms" = timeout ] && ! kill -0 "$CREATE_PID" 2>/dev/null; then
      wait "$CREATE_PID"
      exit_ms=$((t - t0))
    fi
    if [ "$ok_ms" = timeout ] && all_ok "$kind"; then ok_ms=$(($(now_ms) - t0)); fi
    [ "$ok_ms" != timeout ] && [ "$exit_ms" != timeout ] && break
    if [ $((t - t0)) -gt "$ROUND_TIMEOUT_MS" ]; then
      kill "$CREATE_PID" 2>/dev/null
      echo "$kind: no cluster after ${ROUND_TIMEOUT_MS} ms; redis-cli printed:" >&2
      tail -n 5 "$WORK/create-$kind.log" >&2
      break
    fi
    sleep 0.05
  done
  CREATE_PID=
  if [ "$exit_ms" != timeout ] && ! grep -q 'All 16384 slots covered' "$WORK/create-$kind.log"; then
    echo "$kind: redis-cli --cluster create did not cover all slots:" >&2
    cat "$WORK/create-$kind.log" >&2
  fi
  stop_cluster_nodes "$kind"
  OK_MS=$ok_ms
  EXIT_MS=$exit_ms
}

declare -A OK EXIT
for round in $(seq "$ROUNDS"); do
  for kind in redis node; do
    measure "$kind"
    OK[$kind]+="$OK_MS "
    EXIT[$kind]+="$EXIT_MS "
    echo "round $round $kind: cluster_state:ok on all six after $OK_MS ms," \
      "redis-cli --cluster create exited after $EXIT_MS ms" >&2
  done
done

printf '%-8s %-26s %9s   %-26s %9s\n' cluster "ok-on-all-six ms (rounds)" median "create-exited ms (rounds)" median
for kind in redis node; do
  ok_median=$(tr ' ' '\n' <<< "${OK[$kind]}" | grep -E '^[0-9]+$' | median)
  exit_median=$(tr ' ' '\n' <<< "${EXIT[$kind]}" | grep -E '^[0-9]+$' | median)
  printf '%-8s %-26s %9s   %-26s %9s\n' "$kind" "${OK[$kind]% }" "$ok_median" "${EXIT[$kind]% }" "$exit_median"
done
echo "($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), median of $ROUNDS rounds, cluster-node-timeout" \
  "$NODE_TIMEOUT, fresh nodes each round; redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'))"
