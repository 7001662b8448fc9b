#!/usr/bin/env bash
# How fast a dead master is replaced, real redis-server 7.0 next to our java nodes: the walk-through of
# issue 4, timed. Each round forms a fresh six-node cluster (3 masters + 3 replicas, cluster-node-timeout
# 5000), waits for the replicas to be linked, writes `name`, `kill -9`s the master of its slot (5798) and,
# polling every 50 ms, times from the kill until another master's CLUSTER NODES flags the dead one fail, until
# it shows the replica as master, and until a client sending `SET name tom` to the replica (the new owner;
# before the promotion it answers MOVED to the dead master, then CLUSTERDOWN) gets OK. Then it restarts the
# killed master from its folder (its nodes.conf) and times until that node says role:slave with
# master_link_status:up, and checks that `get name` still answers tom. ROUNDS rounds each (default 3), medians
# side by side; a cluster that does not promote within 60 s ends its round with "no promotion within 60 s".
# KINDS="redis" measures one side only.
#   loadtest/failover-time.sh
set -uo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
KINDS=${KINDS:-redis node}
KEY=${KEY:-name}
PROMOTION_TIMEOUT_MS=60000
REJOIN_TIMEOUT_MS=60000
WATCH_SECONDS=65
source loadtest/cluster-lib.sh
trap cleanup_clusters EXIT

# Polling is done by long-lived redis-cli processes (-r -1 -i 0.05) whose replies a bash loop timestamps as they
# arrive: on a busy machine starting a process per poll takes 100-300 ms, more than the resolution asked for.
# Times are microseconds from ${EPOCHREALTIME/./}, which forks nothing; every redis-cli is bounded by `timeout`
# so that a node that stops answering cannot hang the script.
# Watches the CLUSTER NODES of the node on port $1 until node $2 is flagged fail and node $3 is a master, or
# the deadline ($4, in microseconds) passes; prints "fail <us>" and "promoted <us>" as they are first seen.
watch_promotion() {
  local fail='' promoted='' id address flags rest now
  while read -r id address flags rest; do
    now=${EPOCHREALTIME/./}
    case $id in
      "$2") [ -z "$fail" ] && [[ ,$flags, == *,fail,* ]] && fail=$now && echo "fail $now" ;;
      "$3") [ -z "$promoted" ] && [[ ,$flags, == *,master,* ]] && promoted=$now && echo "promoted $now" ;;
    esac
    [ -n "$fail" ] && [ -n "$promoted" ] && return
    [ "$now" -lt "$4" ] || return
  done < <(timeout "$WATCH_SECONDS" redis-cli -p "$1" -r -1 -i 0.05 cluster nodes 2>/dev/null)
}

# Sends SET $KEY tom to the node on port $1 every 50 ms until it answers OK (prints "write <us>") or the
# deadline ($2) passes. Before the promotion the replica answers MOVED (to the dead master), then CLUSTERDOWN.
watch_write() {
  local line now
  while IFS= read -r line; do
    now=${EPOCHREALTIME/./}
    [ "$line" = OK ] && echo "write $now" && return
    [ "$now" -lt "$2" ] || return
  done < <(timeout "$WATCH_SECONDS" redis-cli -p "$1" -r -1 -i 0.05 set "$KEY" tom 2>&1)
}

# Asks the node on port $1 for INFO replication every 50 ms (reconnecting while it is not up yet) until it says
# role:slave and master_link_status:up (prints "rejoined <us>") or the deadline ($2) passes.
watch_rejoin() {
  while [ "${EPOCHREALTIME/./}" -lt "$2" ]; do
    local line role=''
    while IFS= read -r line; do
      line=${line%$'\r'}
      case $line in
        role:*) role=${line#role:} ;;
        master_link_status:up) [ "$role" = slave ] && echo "rejoined ${EPOCHREALTIME/./}" && return ;;
      esac
      [ "${EPOCHREALTIME/./}" -lt "$2" ] || return
    done < <(timeout "$WATCH_SECONDS" redis-cli -p "$1" -r -1 -i 0.05 info replication 2>/dev/null)
    sleep 0.05
  done
}

# ms from $1 to the time of event $2 in file $3, "-" if it was not seen.
elapsed() { awk -v t0="$1" -v event="$2" '$1 == event { printf "%d", ($2 - t0) / 1000; found = 1 } END { if (!found) print "-" }' "$3"; }

# One round; sets FAIL_MS, PROMOTED_MS, WRITE_MS (ms from the kill) and REJOIN_MS (ms from the restart), "-" for
# what did not happen.
measure() {
  local kind=$1 base; base=$(base_of "$kind")
  form_linked_cluster "$kind"

  local slot victim replica observer
  slot=$(cli "$base" cluster keyslot "$KEY")
  victim=$(owner_of_slot "$base" "$slot")
  replica=$(replica_of "$base" "$victim")
  observer=$(cli "$base" cluster nodes | awk -v victim="$victim" '
    $3 ~ /master/ { sub(/@.*/, "", $2); sub(/.*:/, "", $2); if ($2 != victim) { print $2; exit } }')
  local victim_id replica_id
  victim_id=$(cli "$victim" cluster myid)
  replica_id=$(cli "$replica" cluster myid)
  [ "$(cli "$victim" set "$KEY" tom)" = OK ] || { echo "$kind: SET $KEY tom on the master $victim failed" >&2; exit 1; }
  echo "$kind: slot $slot, master $victim, replica $replica, watched from master $observer" >&2

  local events="$WORK/events-$kind" t0 deadline
  t0=${EPOCHREALTIME/./}
  deadline=$((t0 + PROMOTION_TIMEOUT_MS * 1000))
  kill -9 "${PIDS[$victim]}"
  wait "${PIDS[$victim]}" 2>/dev/null  # reaps a java node quietly (a daemonized redis-server is no child of ours)
  unset "PIDS[$victim]"
  watch_promotion "$observer" "$victim_id" "$replica_id" "$deadline" > "$events" &
  local promotion_watcher=$!
  watch_write "$replica" "$deadline" > "$events.write"
  wait "$promotion_watcher"
  FAIL_MS=$(elapsed "$t0" fail "$events")
  PROMOTED_MS=$(elapsed "$t0" promoted "$events")
  WRITE_MS=$(elapsed "$t0" write "$events.write")
  REJOIN_MS=-
  if [ "$PROMOTED_MS" = - ]; then
    echo "$kind: no promotion within $((PROMOTION_TIMEOUT_MS / 1000)) s (replica $replica is" \
      "'$(cli "$observer" cluster nodes | awk -v id="$replica_id" '$1 == id { print $3 }')' in the view of" \
      "$observer; first write: $WRITE_MS ms)" >&2
  else
    local t1=${EPOCHREALTIME/./}
    start_node "$kind" "$victim"
    watch_rejoin "$victim" $((t1 + REJOIN_TIMEOUT_MS * 1000)) > "$events.rejoin"
    REJOIN_MS=$(elapsed "$t1" rejoined "$events.rejoin")
    [ "$REJOIN_MS" != - ] || echo "$kind: the restarted master $victim is not a replica with" \
      "master_link_status:up within $((REJOIN_TIMEOUT_MS / 1000)) s" >&2
    [ -z "${PIDS[$victim]:-}" ] && [ -f "$WORK/$kind-$victim/node.pid" ] && PIDS[$victim]=$(cat "$WORK/$kind-$victim/node.pid")
    local value; value=$(timeout 2 redis-cli -c -p "$victim" get "$KEY" 2>/dev/null)
    [ "$value" = tom ] || echo "$kind: after the failover get $KEY answered '$value', not tom" >&2
  fi
  stop_cluster_nodes "$kind"
}

declare -A RESULTS
for round in $(seq "$ROUNDS"); do
  for kind in $KINDS; do
    measure "$kind"
    RESULTS[$kind,fail]+="$FAIL_MS " RESULTS[$kind,promoted]+="$PROMOTED_MS " RESULTS[$kind,write]+="$WRITE_MS "
    RESULTS[$kind,rejoin]+="$REJOIN_MS "
    echo "round $round $kind: fail flag after $FAIL_MS ms, replica master after $PROMOTED_MS ms, first write" \
      "after $WRITE_MS ms; restarted master a linked replica after $REJOIN_MS ms" >&2
  done
done

header="%-46s"
for kind in $KINDS; do header+="   %-22s %7s"; done
columns=()
for kind in $KINDS; do columns+=("$kind ms (rounds)" median); done
# shellcheck disable=SC2059
printf "$header\n" "" "${columns[@]}"
names=(fail "kill -9 -> fail flag seen by another master" promoted "kill -9 -> replica master in CLUSTER NODES"
  write "kill -9 -> first SET OK via the new owner" rejoin "restart -> old master replica, link up")
for i in 0 2 4 6; do
  row=("${names[$((i + 1))]}")
  for kind in $KINDS; do
    values=${RESULTS[$kind,${names[$i]}]% }
    row+=("$values" "$(tr ' ' '\n' <<< "$values" | grep -E '^[0-9]+$' | median)")
  done
  # shellcheck disable=SC2059
  printf "$header\n" "${row[@]}"
done
echo "($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), median of $ROUNDS rounds, cluster-node-timeout" \
  "$NODE_TIMEOUT, polled every 50 ms, fresh nodes each round; redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'))"
