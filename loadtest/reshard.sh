#!/usr/bin/env bash
# Resharding under load, real redis-server 7.0 next to our java nodes (issue 13, parts 6-8). Per kind, one
# cluster of 4 nodes (cluster-node-timeout 5000, appendonly no, no replicas): redis-cli --cluster create makes
# three of them masters, the 4th stays empty.
#   grow (parts 8 and 6): N keys (default 1,000,000) `key:<i>` with 16-byte values, slots from CLUSTER SLOTS,
#     loaded with redis-cli --pipe per master (DBSIZE sum must be N); `redis-cli --cluster add-node` of the 4th,
#     then `redis-cli --cluster rebalance --cluster-use-empty-masters` (4096 slots to the 4th), timed. Meanwhile
#     a latency probe (loadtest/reshard-client.py: one connection per node, follows MOVED/ASK/TRYAGAIN as
#     cluster clients do) GETs and SETs random existing keys back to back and records every call's latency
#     (max, p99), and WRITERS (default 2) `redis-cli -c` processes SET unique keys w1:<writer>:<i> from a stdin
#     stream; their OK replies are the acknowledged writes. Afterwards `redis-cli --cluster check` must be
#     clean, every acknowledged key must read back, DBSIZE over the masters must be N + acknowledged writes.
#     Keys moved: DBSIZE of the 4th master after, and how many of it are key:<i> (the rest are writers' keys).
#   drain (part 6): the same with `redis-cli --cluster rebalance --cluster-weight <4th>=0` (its slots back to
#     the three), then `redis-cli --cluster del-node`; writers w2:..., all acknowledged writes of both phases
#     checked, DBSIZE over the three masters = N + all acknowledged writes.
#   big keys (part 7): on the same three masters, a hash {big}:hash of BIG_FIELDS (1,000,000) fields (HSET of
#     1000 fields per command) and a string {big}:str of BIG_MB (100) MiB (APPEND of 1 MiB chunks), loaded
#     with redis-cli --pipe; the slot of {big} moved to another master by redis-cli's steps of a reshard
#     (SETSLOT IMPORTING/MIGRATING, `MIGRATE 127.0.0.1 <port> "" 0 <MIGRATE_TIMEOUT_MS> KEYS <key>` per big key,
#     then the slot's other keys, SETSLOT NODE on every master) while one long-lived client PINGs the source
#     every 10 ms (`redis-cli -r -1 -i 0.01 ping`, replies timestamped as they arrive): largest gap between two
#     PONGs minus the 10 ms interval, during each MIGRATE and at rest before it, and each MIGRATE's duration.
# Every redis-cli is bounded by `timeout`; what goes wrong is printed, not hidden. KINDS="redis" measures one
# side, PARTS="grow drain big" picks parts (drain and big run on what grow left).
#   loadtest/reshard.sh            (N=50000 BIG_FIELDS=100000 BIG_MB=10 for a quick look)
set -uo pipefail
cd "$(dirname "$0")/.."
KINDS=${KINDS:-redis node}
PARTS=${PARTS:-grow drain big}
N=${N:-1000000}
VALUE_SIZE=${VALUE_SIZE:-16}
WRITERS=${WRITERS:-2}
BIG_FIELDS=${BIG_FIELDS:-1000000}
BIG_MB=${BIG_MB:-100}
REBALANCE_TIMEOUT=${REBALANCE_TIMEOUT:-1800}
MIGRATE_TIMEOUT_MS=${MIGRATE_TIMEOUT_MS:-600000}
REDIS_BASE=${REDIS_BASE:-21101}
NODE_BASE=${NODE_BASE:-22101}
NODES=4
source loadtest/cluster-lib.sh
CLIENT=(python3 loadtest/reshard-client.py)
command -v python3 >/dev/null || { echo "missing python3" >&2; exit 1; }
BACKGROUND=()
REPORTED=0
cleanup() {
  local pid
  for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null; done
  stop_cluster_nodes redis
  stop_cluster_nodes node
  # A redis-server that daemonized but was not waited for yet (another node failed to start first).
  for pid in $(cat "$WORK"/redis-*/node.pid 2>/dev/null); do kill "$pid" 2>/dev/null; done
  # KEEP=<folder>: the nodes' folders (logs, nodes.conf) and the clients' outputs are kept there.
  [ "$REPORTED" = 1 ] || report
  [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp -r "$WORK"/. "$KEEP"/ && find "$KEEP" -name '*.resp' -delete
  cleanup_clusters
}
trap cleanup EXIT

declare -A R=()  # kind,metric -> value
say() { echo "$*" >&2; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e6 }'; }
# Slots redis-cli --cluster rebalance moved: it prints one # per slot once the slot is done (log $1).
slots_moved() { tr -cd '#' < "$1" | wc -c; }
# "<flags>, <n> slots, DBSIZE <k>" of the node on port $1, from its own CLUSTER NODES line.
node_state() {
  local line; line=$(cli "$1" cluster nodes | grep myself)
  awk -v db="$(dbsize "$1")" '{ n = 0; for (i = 9; i <= NF; i++) if ($i !~ /^\[/) { k = split($i, r, "-"); n += (k == 2 ? r[2] - r[1] + 1 : 1) }
    printf "%s, %d slots, DBSIZE %s", $3, n, db }' <<< "$line"
}
rate() { awk -v k="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", k / s; else print "-" }'; }
dbsize() { local v; v=$(cli "$1" dbsize); echo "${v:-0}"; }
dbsum() { local sum=0 port; for port in "$@"; do sum=$((sum + $(dbsize "$port"))); done; echo "$sum"; }

# `redis-cli --cluster check` through the node on port $1: 0 if all slots are covered, no slot is open and all
# nodes agree (no [ERR] and no [WARNING]); its output in $WORK/check.log.
check_clean() {
  timeout 120 redis-cli --cluster check "127.0.0.1:$1" > "$WORK/check.log" 2>&1
  grep -q 'All 16384 slots covered' "$WORK/check.log" && ! grep -q '\[ERR\]\|\[WARNING\]' "$WORK/check.log"
}
# Waits up to $2 s for check_clean on port $1; prints the last check's problems if it never gets there.
wait_clean() {
  local deadline=$((SECONDS + $2))
  until check_clean "$1"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "redis-cli --cluster check via $1 is not clean after $2 s:"
      grep '\[ERR\]\|\[WARNING\]\|^>>>\|slots covered' "$WORK/check.log" | head -20 >&2
      return 1
    fi
    sleep 0.5
  done
}

# Waits up to $1 s until every node on the ports that follow says cluster_state:ok (a node just added says
# fail until it knows every slot's owner; a MIGRATE to it would get CLUSTERDOWN).
wait_state_ok() {
  local deadline=$((SECONDS + $1)) port; shift
  for port in "$@"; do
    until cli "$port" cluster info | grep -q '^cluster_state:ok'; do
      [ "$SECONDS" -lt "$deadline" ] || { say "node $port does not say cluster_state:ok"; return 1; }
      sleep 0.2
    done
  done
}

# WRITERS redis-cli -c processes, each SETting w<phase>:<writer>:<i> <i> for i = 0, 1, ... read from a
# generated stdin stream until the file $WORK/stop-<phase> exists (then it reads EOF after what is buffered).
start_writers() {
  local kind=$1 phase=$2 port=$3 w
  rm -f "$WORK/stop-$phase"
  for w in $(seq "$WRITERS"); do
    ( i=0; while [ ! -e "$WORK/stop-$phase" ]; do echo "SET w$phase:$w:$i $i"; i=$((i + 1)); done ) |
      timeout $((REBALANCE_TIMEOUT + 120)) redis-cli -c -p "$port" > "$WORK/writer-$kind-$phase-$w.out" \
        2> "$WORK/writer-$kind-$phase-$w.err" &
    BACKGROUND+=($!)
  done
}
# The probe (reshard-client.py probe) of phase $2; returns once it has made its first call (up to 30 s).
start_probe() {
  local kind=$1 phase=$2 port=$3
  rm -f "$WORK/stop-$phase" "$WORK/latency-$kind-$phase.ready"
  timeout $((REBALANCE_TIMEOUT + 120)) "${CLIENT[@]}" probe "$port" "$N" "$WORK/stop-$phase" \
    "$WORK/latency-$kind-$phase" > "$WORK/probe-$kind-$phase.out" 2>&1 &
  BACKGROUND+=($!)
  local deadline=$((SECONDS + 30))
  until [ -e "$WORK/latency-$kind-$phase.ready" ] || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
}
# Stops the writers and the probe of phase $2, waits for them (up to 60 s), reads their results: acknowledged
# keys into $WORK/acked-<kind>-<phase> ("key value" lines), R[kind,<phase>_acked|_errors|_probe].
stop_clients() {
  local kind=$1 phase=$2 w
  touch "$WORK/stop-$phase"
  local deadline=$((SECONDS + 60))
  for w in "${BACKGROUND[@]}"; do
    while kill -0 "$w" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    kill "$w" 2>/dev/null
  done
  BACKGROUND=()
  : > "$WORK/acked-$kind-$phase"
  : > "$WORK/errors-$kind-$phase"
  for w in $(seq "$WRITERS"); do
    # redis-cli -c (not a tty) prints OK for each SET, before it "-> Redirected to slot [s] located at ..."
    # when it followed a MOVED or ASK; an error reply is printed as its text and an empty line.
    awk -v prefix="w$phase:$w:" -v errors="$WORK/errors-$kind-$phase" '
      BEGIN { i = 0 }
      /^-> Redirected to slot / { next }
      skip { skip = 0; if ($0 == "") next }
      $0 == "OK" { print prefix i, i; i++; next }
      { print prefix i ": " $0 >> errors; i++; skip = 1 }' "$WORK/writer-$kind-$phase-$w.out" >> "$WORK/acked-$kind-$phase"
    sed "s/^/writer $w stderr: /" "$WORK/writer-$kind-$phase-$w.err" >> "$WORK/errors-$kind-$phase"
  done
  R[$kind,${phase}_acked]=$(wc -l < "$WORK/acked-$kind-$phase")
  R[$kind,${phase}_errors]=$(wc -l < "$WORK/errors-$kind-$phase")
  if [ -s "$WORK/errors-$kind-$phase" ]; then
    say "$kind: writers' error replies / stderr lines (first 10):"
    head -10 "$WORK/errors-$kind-$phase" >&2
  fi
  local probe; probe=$(tail -n 1 "$WORK/probe-$kind-$phase.out")
  say "$kind probe ($phase): $probe"
  R[$kind,${phase}_probe_max]=$(awk '{ for (i = 1; i < NF; i++) if ($i == "max_ms") print $(i + 1) }' <<< "$probe")
  R[$kind,${phase}_probe_p99]=$(awk '{ for (i = 1; i < NF; i++) if ($i == "p99_ms") print $(i + 1) }' <<< "$probe")
  R[$kind,${phase}_probe_ops]=$(awk '{ for (i = 1; i < NF; i++) if ($i == "ops") print $(i + 1) }' <<< "$probe")
  R[$kind,${phase}_probe_errors]=$(awk '{ for (i = 1; i < NF; i++) if ($i == "errors") print $(i + 1) " " $(i + 2) }' <<< "$probe")
}
# Every acknowledged key of the given phases must read back with its value; sets R[kind,<name>_lost].
verify_acked() {
  local kind=$1 name=$2 port=$3; shift 3
  local phase files=()
  for phase in "$@"; do files+=("$WORK/acked-$kind-$phase"); done
  cat "${files[@]}" > "$WORK/verify-$kind-$name"
  local out; out=$(timeout 300 "${CLIENT[@]}" verify "$port" "$WORK/verify-$kind-$name" 2>&1 | tail -n 1)
  say "$kind verify ($name, phases $*): $out"
  R[$kind,${name}_lost]=$(awk '$1 == "checked" { print $4 + $6 " of " $2 }' <<< "$out")
  [ -n "${R[$kind,${name}_lost]}" ] || R[$kind,${name}_lost]="verify failed: $out"
}

part_grow() {
  local kind=$1 base=$2 new=$3 masters=("${@:4}")
  say "$kind: filling $N keys"
  local t0=${EPOCHREALTIME/./} ports port
  ports=$(timeout 600 "${CLIENT[@]}" fill "$base" "$N" "$VALUE_SIZE" "$WORK") || { say "$kind: fill failed"; return 1; }
  local pipes=()
  for port in $ports; do
    timeout 600 redis-cli -p "$port" --pipe < "$WORK/fill-$port.resp" > "$WORK/pipe-$port.log" 2>&1 &
    pipes+=($!)
  done
  wait "${pipes[@]}"
  grep -h 'errors' "$WORK"/pipe-*.log | grep -v 'errors: 0,' >&2
  R[$kind,fill_s]=$(secs "$t0" "${EPOCHREALTIME/./}")
  local sum; sum=$(dbsum "${masters[@]}")
  R[$kind,fill_db]=$sum
  [ "$sum" = "$N" ] || say "$kind: DBSIZE over the masters is $sum after the fill, not $N"

  timeout 120 redis-cli --cluster add-node "127.0.0.1:$new" "127.0.0.1:$base" > "$WORK/add-node-$kind.log" 2>&1 ||
    { say "$kind: add-node failed:"; tail -5 "$WORK/add-node-$kind.log" >&2; return 1; }
  wait_clean "$base" 120 && wait_state_ok 60 "${masters[@]}" "$new" || return 1
  say "$kind: 4th master $new added; rebalancing with $WRITERS writers and the probe running"

  start_probe "$kind" 1 "$base"
  start_writers "$kind" 1 "$base"
  sleep 1
  t0=${EPOCHREALTIME/./}
  timeout "$REBALANCE_TIMEOUT" redis-cli --cluster rebalance "127.0.0.1:$base" --cluster-use-empty-masters \
    > "$WORK/rebalance-$kind.log" 2>&1
  local rc=$?
  local t1=${EPOCHREALTIME/./}
  stop_clients "$kind" 1
  R[$kind,grow_s]=$(secs "$t0" "$t1")
  R[$kind,grow_rc]=$rc
  [ "$rc" = 0 ] || { say "$kind: rebalance exited $rc (124: timeout after $REBALANCE_TIMEOUT s); its end:"; tail -5 "$WORK/rebalance-$kind.log" >&2; }
  R[$kind,grow_slots]=$(slots_moved "$WORK/rebalance-$kind.log")
  R[$kind,grow_check]=$(wait_clean "$base" 60 && echo clean || echo NOT-clean)
  R[$kind,grow_moved]=$(dbsize "$new")
  R[$kind,grow_moved_orig]=$(timeout 120 "${CLIENT[@]}" owned "$new" "$WORK")
  R[$kind,grow_rate]=$(rate "${R[$kind,grow_moved_orig]}" "${R[$kind,grow_s]}")
  R[$kind,grow_db]=$(dbsum "${masters[@]}" "$new")
  R[$kind,grow_db_want]=$((N + R[$kind,1_acked]))
  verify_acked "$kind" grow "$base" 1
  say "$kind grow: ${R[$kind,grow_s]} s, ${R[$kind,grow_slots]} slots, 4th master DBSIZE ${R[$kind,grow_moved]}" \
    "(key:* ${R[$kind,grow_moved_orig]}), DBSIZE sum ${R[$kind,grow_db]} (want ${R[$kind,grow_db_want]}), check ${R[$kind,grow_check]}"
}

part_drain() {
  local kind=$1 base=$2 new=$3 masters=("${@:4}")
  local id; id=$(cli "$new" cluster myid)
  local before; before=$(dbsize "$new")
  start_probe "$kind" 2 "$base"
  start_writers "$kind" 2 "$base"
  sleep 1
  local t0=${EPOCHREALTIME/./}
  timeout "$REBALANCE_TIMEOUT" redis-cli --cluster rebalance "127.0.0.1:$base" --cluster-weight "$id=0" \
    > "$WORK/drain-$kind.log" 2>&1
  local rc=$?
  local t1=${EPOCHREALTIME/./}
  stop_clients "$kind" 2
  R[$kind,drain_s]=$(secs "$t0" "$t1")
  R[$kind,drain_rc]=$rc
  [ "$rc" = 0 ] || { say "$kind: drain rebalance exited $rc; its end:"; tail -5 "$WORK/drain-$kind.log" >&2; }
  R[$kind,drain_slots]=$(slots_moved "$WORK/drain-$kind.log")
  R[$kind,drain_check]=$(wait_clean "$base" 60 && echo clean || echo NOT-clean)
  # Redis 7.0 makes a master that lost its last slot a replica of the node that took it
  # (cluster-allow-replica-migration): its DBSIZE is then its new master's.
  R[$kind,drain_left]=$(node_state "$new")
  R[$kind,drain_moved]=$before
  R[$kind,drain_rate]=$(rate "$before" "${R[$kind,drain_s]}")
  t0=${EPOCHREALTIME/./}
  timeout 120 redis-cli --cluster del-node "127.0.0.1:$base" "$id" > "$WORK/del-node-$kind.log" 2>&1
  rc=$?
  R[$kind,del_s]=$(secs "$t0" "${EPOCHREALTIME/./}")
  [ "$rc" = 0 ] || { say "$kind: del-node exited $rc:"; tail -5 "$WORK/del-node-$kind.log" >&2; R[$kind,del_s]="failed"; }
  R[$kind,del_check]=$(wait_clean "$base" 60 && [ "$(grep -c 'M: [0-9a-f]\{40\} ' "$WORK/check.log")" = 3 ] && echo clean || echo NOT-clean)
  R[$kind,drain_db]=$(dbsum "${masters[@]}")
  R[$kind,drain_db_want]=$((N + R[$kind,1_acked] + R[$kind,2_acked]))
  verify_acked "$kind" drain "$base" 1 2
  say "$kind drain: ${R[$kind,drain_s]} s, ${R[$kind,drain_slots]} slots, $before keys, 4th now ${R[$kind,drain_left]};" \
    "del-node ${R[$kind,del_s]} s; DBSIZE sum ${R[$kind,drain_db]} (want ${R[$kind,drain_db_want]})"
}

# Largest gap (ms) between two consecutive PONG timestamps of $1 that overlaps [$2, $3] (microseconds), minus
# the 10 ms interval.
max_gap() {
  awk -v a="$2" -v b="$3" 'NR > 1 && $1 > a && prev < b { g = $1 - prev; if (g > m) m = g } { prev = $1 }
    END { if (m == "") print "-"; else printf "%.1f", m / 1000 - 10 }' "$1"
}

part_big() {
  local kind=$1 base=$2 masters=("${@:3}")
  local slot src dst port
  slot=$("${CLIENT[@]}" slot '{big}')
  src=$(owner_of_slot "$base" "$slot")
  for port in "${masters[@]}"; do [ "$port" != "$src" ] && dst=$port && break; done
  [ -f "$WORK/big-hash.resp" ] || "${CLIENT[@]}" big "$base" "$BIG_FIELDS" "$BIG_MB" "$WORK"
  local t0=${EPOCHREALTIME/./}
  timeout 600 redis-cli -p "$src" --pipe < "$WORK/big-hash.resp" > "$WORK/big-pipe-$kind.log" 2>&1
  timeout 600 redis-cli -p "$src" --pipe < "$WORK/big-str.resp" >> "$WORK/big-pipe-$kind.log" 2>&1
  R[$kind,big_load_s]=$(secs "$t0" "${EPOCHREALTIME/./}")
  local hlen strlen
  hlen=$(cli "$src" hlen '{big}:hash'); strlen=$(cli "$src" strlen '{big}:str')
  say "$kind: slot $slot of {big}: HLEN $hlen, STRLEN $strlen on $src (loaded in ${R[$kind,big_load_s]} s); moving it to $dst"
  local src_id dst_id
  src_id=$(cli "$src" cluster myid); dst_id=$(cli "$dst" cluster myid)

  local pings="$WORK/pings-$kind"
  timeout $((MIGRATE_TIMEOUT_MS / 1000 * 2 + 120)) redis-cli -p "$src" -r -1 -i 0.01 ping 2>/dev/null |
    while IFS= read -r _; do echo "${EPOCHREALTIME/./}"; done > "$pings" &
  local pinger=$!
  BACKGROUND+=($!)
  sleep 3
  local rest0=${EPOCHREALTIME/./}
  sleep 2
  local rest1=${EPOCHREALTIME/./}
  R[$kind,big_rest_ping]=$(max_gap "$pings" "$rest0" "$rest1")
  cli "$dst" cluster setslot "$slot" importing "$src_id" > /dev/null
  cli "$src" cluster setslot "$slot" migrating "$dst_id" > /dev/null
  local key name reply
  for name in hash str; do
    key="{big}:$name"
    t0=${EPOCHREALTIME/./}
    reply=$(timeout $((MIGRATE_TIMEOUT_MS / 1000 + 60)) redis-cli -p "$src" migrate 127.0.0.1 "$dst" "" 0 \
      "$MIGRATE_TIMEOUT_MS" keys "$key" 2>&1)
    local rc=$? t1=${EPOCHREALTIME/./}
    [ "$rc" = 0 ] || reply="$reply (redis-cli exited $rc)"
    R[$kind,big_${name}_s]=$(secs "$t0" "$t1")
    R[$kind,big_${name}_reply]=$reply
    sleep 0.2  # lets the pinger record the PONG after the move
    R[$kind,big_${name}_ping]=$(max_gap "$pings" "$t0" "$t1")
    say "$kind: MIGRATE $key: '$reply' in ${R[$kind,big_${name}_s]} s, largest PING latency on the source" \
      "${R[$kind,big_${name}_ping]} ms"
  done
  # The slot's other keys, as redis-cli's reshard moves them, then the slot to dst everywhere.
  local keys moved_rest=0
  while :; do
    mapfile -t keys < <(cli "$src" cluster getkeysinslot "$slot" 100)
    [ "${#keys[@]}" -gt 0 ] && [ -n "${keys[0]}" ] || break
    reply=$(cli "$src" migrate 127.0.0.1 "$dst" "" 0 60000 keys "${keys[@]}")
    [ "$reply" = OK ] || { say "$kind: MIGRATE of the slot's other keys answered '$reply'"; break; }
    moved_rest=$((moved_rest + ${#keys[@]}))
  done
  for port in "$dst" "$src" "${masters[@]}"; do cli "$port" cluster setslot "$slot" node "$dst_id" > /dev/null; done
  kill "$pinger" 2>/dev/null
  R[$kind,big_check]=$(wait_clean "$base" 60 && echo clean || echo NOT-clean)
  R[$kind,big_after]="HLEN $(cli "$dst" hlen '{big}:hash'), STRLEN $(cli "$dst" strlen '{big}:str') on the target"
  say "$kind: $moved_rest other keys of the slot moved; ${R[$kind,big_after]}; check ${R[$kind,big_check]}"
}

measure() {
  local kind=$1 base masters new
  base=$(base_of "$kind")
  masters=("$base" $((base + 1)) $((base + 2)))
  new=$((base + 3))
  say "=== $kind: starting 4 nodes on ports $base-$new"
  start_cluster_nodes "$kind"
  timeout 120 redis-cli --cluster create "${masters[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes \
    > "$WORK/create-$kind.log" 2>&1 || { say "$kind: create failed:"; tail -5 "$WORK/create-$kind.log" >&2; return 1; }
  wait_clean "$base" 120 && wait_state_ok 60 "${masters[@]}" || return 1
  [[ " $PARTS " == *" grow "* ]] && { part_grow "$kind" "$base" "$new" "${masters[@]}" || return 1; }
  [[ " $PARTS " == *" drain "* ]] && { part_drain "$kind" "$base" "$new" "${masters[@]}" || return 1; }
  [[ " $PARTS " == *" big "* ]] && part_big "$kind" "$base" "${masters[@]}"
  return 0
}


# Tables: one row per metric, one column per kind, node/redis where a ratio means something.
table() {
  local title=$1; shift
  local header="%-58s" kind
  for kind in $KINDS; do header+=" %14s"; done
  local both=0; [[ " $KINDS " == *" redis "* && " $KINDS " == *" node "* ]] && both=1
  [ "$both" = 1 ] && header+=" %10s"
  echo
  # shellcheck disable=SC2059
  printf "$header\n" "$title" $KINDS $([ "$both" = 1 ] && echo node/redis)
  while [ $# -gt 0 ]; do
    local metric=$1 label=$2 ratio=$3; shift 3
    local row=("$label")
    for kind in $KINDS; do row+=("${R[$kind,$metric]:--}"); done
    if [ "$both" = 1 ]; then
      row+=("$([ "$ratio" = 1 ] && awk -v a="${R[redis,$metric]:-}" -v b="${R[node,$metric]:-}" \
        'BEGIN { if (a + 0 > 0 && b ~ /^[0-9.]+$/) printf "%.2f", b / a; else print "-" }' || echo "")")
    fi
    # shellcheck disable=SC2059
    printf "$header\n" "${row[@]}"
  done
}
# The tables; also printed by the EXIT trap when a side stops the script (a node that does not start), so that
# what was measured is not lost.
report() {
  REPORTED=1
  [[ " $PARTS " == *" grow "* ]] && table "grow: 3 -> 4 masters, $N keys" \
    fill_s "fill: redis-cli --pipe, s" 1 \
    fill_db "fill: DBSIZE over the masters" 0 \
    grow_s "rebalance --cluster-use-empty-masters, s" 1 \
    grow_rc "  redis-cli exit code" 0 \
    grow_slots "  slots moved (redis-cli's # per slot)" 0 \
    grow_moved "  DBSIZE of the 4th master after" 0 \
    grow_moved_orig "  of them key:<i> (moved, not written by the writers)" 0 \
    grow_rate "  moved key:<i> per second" 1 \
    1_probe_max "  probe: largest GET/SET latency, ms" 1 \
    1_probe_p99 "  probe: p99 latency, ms" 1 \
    1_probe_ops "  probe: calls" 1 \
    1_probe_errors "  probe: error replies (not redirections)" 0 \
    1_acked "  writers (redis-cli -c): acknowledged SETs" 1 \
    1_errors "  writers: error replies / stderr lines" 0 \
    grow_lost "  acknowledged keys missing or wrong after" 0 \
    grow_db "  DBSIZE over the 4 masters after" 0 \
    grow_db_want "  = N + acknowledged SETs" 0 \
    grow_check "  redis-cli --cluster check after" 0
  [[ " $PARTS " == *" drain "* ]] && table "drain: 4th master emptied, removed" \
    drain_s "rebalance --cluster-weight <4th>=0, s" 1 \
    drain_rc "  redis-cli exit code" 0 \
    drain_slots "  slots moved" 0 \
    drain_moved "  keys on the 4th master before" 0 \
    drain_rate "  keys per second" 1 \
    drain_left "  4th after: flags, slots, DBSIZE" 0 \
    2_probe_max "  probe: largest GET/SET latency, ms" 1 \
    2_probe_p99 "  probe: p99 latency, ms" 1 \
    2_probe_errors "  probe: error replies (not redirections)" 0 \
    2_acked "  writers: acknowledged SETs" 1 \
    2_errors "  writers: error replies / stderr lines" 0 \
    drain_check "  redis-cli --cluster check after the drain" 0 \
    del_s "del-node, s" 1 \
    del_check "  check after del-node (3 masters)" 0 \
    drain_lost "acknowledged keys (both phases) missing or wrong" 0 \
    drain_db "DBSIZE over the 3 masters" 0 \
    drain_db_want "  = N + all acknowledged SETs" 0
  [[ " $PARTS " == *" big "* ]] && table "big keys: slot of {big} moved by MIGRATE" \
    big_load_s "load hash + string (redis-cli --pipe), s" 1 \
    big_rest_ping "PING latency on the source at rest (max, 2 s), ms" 1 \
    big_hash_s "MIGRATE {big}:hash ($BIG_FIELDS fields), s" 1 \
    big_hash_ping "  largest PING latency on the source meanwhile, ms" 1 \
    big_hash_reply "  reply" 0 \
    big_str_s "MIGRATE {big}:str ($BIG_MB MiB), s" 1 \
    big_str_ping "  largest PING latency on the source meanwhile, ms" 1 \
    big_str_reply "  reply" 0 \
    big_check "redis-cli --cluster check after" 0
  echo
  echo "($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end, $(date -u +%Y-%m-%dT%H:%MZ);" \
    "$N keys of $VALUE_SIZE bytes, $WRITERS writers + 1 probe, 4 masters without replicas, cluster-node-timeout" \
    "$NODE_TIMEOUT, appendonly no; redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'))"
}
for kind in $KINDS; do
  measure "$kind" || say "$kind: stopped early (see above)"
  stop_cluster_nodes "$kind"
done
report
