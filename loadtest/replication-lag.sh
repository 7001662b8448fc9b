#!/usr/bin/env bash
# How far a replica trails its master under a write load, real redis-server 7.0 next to our java nodes. Each
# side forms a six-node cluster (3 masters + 3 replicas, cluster-node-timeout 5000), waits for the replicas to
# be linked, then runs redis-benchmark SET (REQUESTS, default 4000000, -c 50 -P 16, -r 100000 keys under the
# hash tag {lag} so that every key is in the slot of the master it is pointed at) and samples INFO replication
# every 100 ms while it runs. Two lags, in bytes and in ms of writes (bytes / the master's mean stream rate),
# mean and max: the acked one, master_repl_offset minus the replica's acknowledged offset (slaveN:...,offset=,
# which Redis replicas only report once a second), and the replica's own, the master's master_repl_offset
# (interpolated between its samples) minus the replica's slave_repl_offset at the moment the replica was
# sampled. KINDS="redis" measures one side.
#   loadtest/replication-lag.sh
set -uo pipefail
cd "$(dirname "$0")/.."
KINDS=${KINDS:-redis node}
REQUESTS=${REQUESTS:-4000000}
TAG='{lag}'
source loadtest/cluster-lib.sh
trap cleanup_clusters EXIT
command -v redis-benchmark >/dev/null || { echo "missing redis-benchmark (apt-get install -y redis-tools)" >&2; exit 1; }

info_field() { sed -n "s/^$1://p" <<< "$2"; }
# The acknowledged offset of the replica on port $2 in the master's INFO replication $1.
acked_offset() { sed -n "s/^slave[0-9]*:.*port=$2,.*offset=\([0-9]*\).*/\1/p" <<< "$1"; }

# INFO replication of the node on port $1 every 100 ms into $2 until killed (its pid in $!), by one redis-cli
# process so that forking does not stretch the interval on a busy machine: "<microseconds> <line>" for
# master_repl_offset, slave_repl_offset and the master's line about the replica on port $3.
sample() {
  redis-cli -p "$1" -r -1 -i 0.1 info replication 2>/dev/null | while IFS= read -r line; do
    line=${line%$'\r'}
    case $line in
      master_repl_offset:* | slave_repl_offset:* | slave[0-9]*:*port=$3,*) echo "${EPOCHREALTIME/./} $line" ;;
    esac
  done > "$2" &
}

# Leaves "metric value" lines in $WORK/result-<kind>; nothing when the side could not be measured.
measure() {
  local kind=$1 base; base=$(base_of "$kind")
  : > "$WORK/result-$kind"
  form_linked_cluster "$kind"

  local slot master replica info
  slot=$(cli "$base" cluster keyslot "$TAG")
  master=$(owner_of_slot "$base" "$slot")
  replica=$(replica_of "$base" "$master")
  info=$(cli "$master" info replication | tr -d '\r')
  if [ -z "$replica" ] || [ -z "$(acked_offset "$info" "$replica")" ]; then
    echo "$kind: the master $master lists no replica $replica with an offset in INFO replication" \
      "(connected_slaves:$(info_field connected_slaves "$info")); no lag to measure" >&2
    stop_cluster_nodes "$kind"
    return
  fi
  echo "$kind: redis-benchmark SET on master $master (slot $slot of $TAG), replica $replica" >&2

  sample "$master" "$WORK/master-$kind" "$replica"
  local master_sampler=$!
  sample "$replica" "$WORK/replica-$kind" "$replica"
  local replica_sampler=$!
  redis-benchmark -p "$master" -n "$REQUESTS" -c 50 -P 16 -r 100000 -q set "$TAG:__rand_int__" xxx \
    > "$WORK/benchmark-$kind.log" 2>&1
  local t1; t1=$(now_ms)
  kill "$master_sampler" "$replica_sampler"
  wait "$master_sampler" "$replica_sampler" 2>/dev/null
  local rps; rps=$(grep -o '[0-9.]* requests per second' "$WORK/benchmark-$kind.log" | tail -n 1 | cut -d' ' -f1)
  stop_cluster_nodes "$kind"

  # Under load: from the first master sample whose offset moved until redis-benchmark exited. The replica's
  # own lag compares each replica sample with the master offset interpolated at the same moment.
  awk -v rps="${rps:-0}" -v t1="$t1" '
    FNR == 1 { file++ }
    file == 1 && $2 ~ /^slave[0-9]/ { acked_now = $2; sub(/.*offset=/, "", acked_now); sub(/,.*/, "", acked_now) }
    file == 1 && $2 ~ /^master_repl_offset:/ {
      t = $1 / 1000; sub(/.*:/, "", $2); offset = $2 + 0
      if (first == "") first = offset
      if (offset > first && t <= t1) { n++; mt[n] = t; m[n] = offset; acked[n] = offset - acked_now }
    }
    file == 2 && $2 ~ /^slave_repl_offset:/ {
      t = $1 / 1000; sub(/.*:/, "", $2); offset = $2 + 0
      if (n < 2 || t < mt[1] || t > mt[n]) next
      while (j < n - 1 && mt[j + 1] < t) j++
      if (j < 1) j = 1
      at = m[j] + (m[j + 1] - m[j]) * (t - mt[j]) / (mt[j + 1] - mt[j])
      k++; own[k] = at > offset ? at - offset : 0
    }
    END {
      if (n < 2) { print "samples " n + 0; exit }
      rate = (m[n] - m[1]) / (mt[n] - mt[1])
      for (i = 1; i <= n; i++) { sa += acked[i]; if (acked[i] > ma) ma = acked[i] }
      for (i = 1; i <= k; i++) { so += own[i]; if (own[i] > mo) mo = own[i] }
      printf "rps %.0f\nstream %.1f\nsamples %d / %d\ninterval %.0f\n", rps, rate * 1000 / 1048576, n, k, (mt[n] - mt[1]) / (n - 1)
      printf "acked_bytes %.0f / %.0f\nacked_ms %.1f / %.1f\n", sa / n, ma, sa / n / rate, ma / rate
      if (k > 0) printf "own_bytes %.0f / %.0f\nown_ms %.1f / %.1f\n", so / k, mo, so / k / rate, mo / rate
    }' "$WORK/master-$kind" "$WORK/replica-$kind" > "$WORK/result-$kind"
}

for kind in $KINDS; do
  echo "measuring the $kind cluster ($REQUESTS SETs)" >&2
  measure "$kind"
done

result() { awk -v key="$2" '$1 == key { $1 = ""; sub(/^ /, ""); print }' "$WORK/result-$1"; }
header="%-52s"
for kind in $KINDS; do header+=" %20s"; done
# shellcheck disable=SC2059
printf "$header\n" "" $KINDS
names=(rps "SET requests per second (redis-benchmark -P 16)" stream "replication stream MB/s (master offset rate)"
  acked_bytes "acked lag bytes, mean / max (slaveN offset=)" acked_ms "acked lag, ms of writes, mean / max"
  own_bytes "replica lag bytes, mean / max (slave_repl_offset)" own_ms "replica lag, ms of writes, mean / max"
  samples "samples under load (master / replica)" interval "ms between master samples")
for ((i = 0; i < ${#names[@]}; i += 2)); do
  row=("${names[$((i + 1))]}")
  for kind in $KINDS; do value=$(result "$kind" "${names[$i]}"); row+=("${value:--}"); done
  # shellcheck disable=SC2059
  printf "$header\n" "${row[@]}"
done
echo "($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $REQUESTS SETs -c 50 -P 16 on one master," \
  "sampled every 100 ms; redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'))"
