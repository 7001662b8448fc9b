#!/usr/bin/env bash
# How long N fresh nodes take to form a full mesh when met in a chain, as Redis's cluster suite joins its twenty
# instances (tests/cluster/tests/includes/init-tests.tcl: node 0 meets 1, 1 meets 2, ...; gossip does the rest).
# Real redis-server 7.0 and our java nodes, one after the other, each node in its own folder, cluster-node-timeout
# 3000 as in the suite. Our nodes run with the suite launcher's light JVM options
# (scripts/cluster-suite-redis-server). The time is from the first CLUSTER MEET until every node lists N nodes
# none of which is in handshake; a side that has not got there within MAX_WAIT seconds (default 180) prints how
# many nodes had.
#   loadtest/cluster-join.sh [N]        (default 20; KINDS="node" or "redis" for one side; BASE_PORT, default 23001)
set -uo pipefail
cd "$(dirname "$0")/.."
N=${1:-20}
KINDS=${KINDS:-redis node}
BASE_PORT=${BASE_PORT:-23001}
MAX_WAIT=${MAX_WAIT:-180}
JAR=target/akka-redis-cluster.jar
WORK=$(mktemp -d)
PIDS=()
[ -f "$JAR" ] || mvn -B -q -DskipTests package
cleanup() { [ ${#PIDS[@]} -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
cli() { local port=$1; shift; timeout 10 redis-cli -p "$port" "$@" 2>/dev/null; }

join_once() {
  local kind=$1 i port dir
  PIDS=()
  for ((i = 0; i < N; i++)); do
    port=$((BASE_PORT + i)); dir=$WORK/$kind-$port
    mkdir -p "$dir"
    printf 'port %s\ncluster-enabled yes\ncluster-node-timeout 3000\ndir %s\nappendonly no\nsave ""\nlogfile %s/log.txt\n' \
      "$port" "$dir" "$dir" > "$dir/redis.conf"
    if [ "$kind" = redis ]; then
      redis-server "$dir/redis.conf" > "$dir/out.txt" 2>&1 &
    else
      (cd "$dir" && exec bash "$OLDPWD/scripts/cluster-suite-redis-server" "$dir/redis.conf") > "$dir/out.txt" 2>&1 &
    fi
    PIDS+=($!)
  done
  for ((i = 0; i < N; i++)); do
    local deadline=$((SECONDS + 120))
    until [ "$(cli $((BASE_PORT + i)) ping)" = PONG ]; do
      [ "$SECONDS" -lt "$deadline" ] || { echo "$kind: node on port $((BASE_PORT + i)) did not start" >&2; return; }
      sleep 0.2
    done
  done
  local start=${EPOCHREALTIME/./}
  for ((i = 0; i + 1 < N; i++)); do cli $((BASE_PORT + i)) cluster meet 127.0.0.1 $((BASE_PORT + i + 1)) > /dev/null; done
  local complete elapsed
  while true; do
    complete=0
    for ((i = 0; i < N; i++)); do
      [ "$(cli $((BASE_PORT + i)) cluster nodes | grep -vc handshake)" = "$N" ] && complete=$((complete + 1))
    done
    elapsed=$(( (${EPOCHREALTIME/./} - start) / 1000 ))
    if [ "$complete" = "$N" ]; then printf '%s: %d nodes in a full mesh after %d.%03d s\n' "$kind" "$N" \
      $((elapsed / 1000)) $((elapsed % 1000)); break; fi
    if [ "$elapsed" -gt $((MAX_WAIT * 1000)) ]; then
      echo "$kind: no full mesh after $MAX_WAIT s: $complete of $N nodes list all $N"; break
    fi
    sleep 0.5
  done
  kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null; PIDS=()
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in $KINDS; do join_once "$kind"; done
