#!/usr/bin/env bash
# CPU per SET of a java master and of its replica: two fresh cluster nodes (cluster-lib.sh, NODES=2), the first
# holding every slot, the second its replica; a 200k SET warm-up, then redis-benchmark SET (-c 50 -P 16 -r 100000,
# until stopped) while `perf stat -e task-clock` watches each JVM for SECONDS_MEASURED (default 8); the master's
# total_commands_processed over the same time divides both. Then the replica's JVM is stopped and, once the master
# lists no replica, the master alone is measured the same way. JARS="a.jar b.jar" measures each in turn, ROUNDS
# times (default 2), alternating; SECONDS_MEASURED sets the watch.
#   JARS="/work/baseline/akka-redis-cluster-07aad67.jar target/akka-redis-cluster.jar" loadtest/replica-cpu.sh
set -uo pipefail
cd "$(dirname "$0")/.."
NODES=2
SECONDS_MEASURED=${SECONDS_MEASURED:-8}
ROUNDS=${ROUNDS:-2}
read -ra JAR_LIST <<< "${JARS:-target/akka-redis-cluster.jar}"
source loadtest/cluster-lib.sh
trap cleanup_clusters EXIT
command -v perf >/dev/null || { echo "missing perf" >&2; exit 1; }

processed() { cli "$1" info stats | tr -d '\r' | sed -n 's/^total_commands_processed://p'; }
# Task-clock milliseconds of pid $1 over $SECONDS_MEASURED seconds, into file $2.
watch_cpu() { perf stat -x, -e task-clock -p "$1" -- sleep "$SECONDS_MEASURED" 2> "$2" & }
cpu_ms() { awk -F, '$3 == "task-clock" { printf "%.0f", $1 }' "$1"; }

# One measurement of the running master on port $1 (replica pid $2, or none): "rps master_us replica_us".
measure_load() {
  local master=$1 replica_pid=$2 bench c0 c1 m r=0
  redis-benchmark -p "$master" -n 200000 -c 50 -P 16 -r 100000 -q set 'k:__rand_int__' xxx > /dev/null 2>&1
  redis-benchmark -p "$master" -n 1000000000 -c 50 -P 16 -r 100000 -q set 'k:__rand_int__' xxx > /dev/null 2>&1 &
  bench=$!
  sleep 1
  c0=$(processed "$master")
  watch_cpu "${PIDS[$master]}" "$WORK/master.cpu"
  local watchers=$!
  [ "$replica_pid" = none ] || { watch_cpu "$replica_pid" "$WORK/replica.cpu"; watchers="$watchers $!"; }
  # shellcheck disable=SC2086
  wait $watchers
  c1=$(processed "$master")
  kill "$bench"; wait "$bench" 2>/dev/null
  m=$(cpu_ms "$WORK/master.cpu")
  [ "$replica_pid" = none ] || r=$(cpu_ms "$WORK/replica.cpu")
  awk -v n=$((c1 - c0)) -v s="$SECONDS_MEASURED" -v m="$m" -v r="$r" \
    'BEGIN { printf "%.0f %.2f %.2f", n / s, m * 1000 / n, r * 1000 / n }'
}

printf "%-50s %10s %10s %10s %12s %10s\n" jar "SET/s repl" "master µs" "replica µs" "SET/s alone" "alone µs"
for round in $(seq "$ROUNDS"); do
  for JAR in "${JAR_LIST[@]}"; do
    master=$(base_of node); replica=$((master + 1))
    start_cluster_nodes node
    [ "$(cli "$master" cluster addslotsrange 0 16383)" = OK ] || { echo "ADDSLOTSRANGE failed" >&2; exit 1; }
    id=$(cli "$master" cluster myid)
    cli "$replica" cluster meet 127.0.0.1 "$master" > /dev/null
    deadline=$((SECONDS + 120))
    until [ "$(cli "$replica" cluster replicate "$id")" = OK ]; do
      [ "$SECONDS" -lt "$deadline" ] || { echo "$replica would not replicate $master" >&2; exit 1; }
      sleep 0.2
    done
    until cli "$replica" info replication | tr -d '\r' | grep -qx 'master_link_status:up'; do
      [ "$SECONDS" -lt "$deadline" ] || { echo "the replica did not link" >&2; exit 1; }
      sleep 0.2
    done
    read -r rps mus rus <<< "$(measure_load "$master" "${PIDS[$replica]}")"
    # The master alone: its replica's JVM stopped (the master keeps the slots and the cluster stays ok).
    pid=${PIDS[$replica]}; kill "$pid"; wait "$pid" 2>/dev/null; unset "PIDS[$replica]"
    until [ "$(cli "$master" info replication | tr -d '\r' | sed -n 's/^connected_slaves://p')" = 0 ]; do
      [ "$SECONDS" -lt "$((deadline + 120))" ] || { echo "the master still lists its replica" >&2; exit 1; }
      sleep 0.2
    done
    read -r arps amus _ <<< "$(measure_load "$master" none)"
    stop_cluster_nodes node
    printf "%-50s %10s %10s %10s %12s %10s\n" "$(basename "$JAR") r$round" "$rps" "$mus" "$rus" "$arps" "$amus"
  done
done
echo "($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), redis-benchmark SET -c 50 -P 16 -r 100000," \
  "perf stat task-clock over $SECONDS_MEASURED s per JVM, divided by the master's commands processed)"
