#!/usr/bin/env bash
# What persistence costs, redis-server 7.0 beside an akka-redis-cluster node on this machine (both standalone, on
# loopback, each in fresh folders under a temporary directory; no snapshot rules, save "").
#
# 1. SET throughput: redis-benchmark -t set -n REQUESTS -c CLIENTS at -P 1 and -P 16 with appendonly no,
#    appendonly yes + appendfsync everysec and appendonly yes + appendfsync always; the two servers taking turns
#    test by test, ROUNDS times (default 3), the medians and node/redis. Automatic AOF rewrites are off
#    (auto-aof-rewrite-percentage 0) on both, so that no rewrite lands in one server's runs and not the other's.
# 2. Loading at start: each server is filled with KEYS distinct keys (redis-cli --pipe; keys "key:000000000"...,
#    16-byte values "value:0000000000"...), stopped (SHUTDOWN NOSAVE) and started again, LOAD_ROUNDS times
#    (default 3), the two taking turns and never running at the same time; timed from the process start until
#    INFO persistence says loading:0 and DBSIZE is KEYS (polled every 50 ms; also until it first answers INFO,
#    which for the node is mostly the JVM's start), and read from the server's own log line "DB loaded from
#    disk: S seconds" / "DB loaded from append only file: S seconds". Three cases:
#      RDB                 after SAVE, started with appendonly no (dump.rdb)
#      AOF of commands     filled with appendonly yes (appendfsync everysec): the base is the empty RDB the AOF
#                          began with, the incr file holds the SETs
#      AOF after rewrite   the same after BGREWRITEAOF: the base is an RDB preamble with the keys, the incr empty
#    Every load is checked (DBSIZE, three keys' values); the files loaded are listed with their sizes.
#
#   loadtest/persistence.sh [requests per test, default 200000] [keys to load, default 1000000]
#   (or N=... KEYS=...; PARTS="throughput" or PARTS="load" runs one part; CONFIGS="no everysec always" the
#   throughput configurations; REDIS_PORT / NODE_PORT, default 21040 / 21041)
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-${N:-200000}}
KEYS=${2:-${KEYS:-1000000}}
CLIENTS=${CLIENTS:-50}
PARTS=${PARTS:-throughput load}
CONFIGS=${CONFIGS:-no everysec always}
LOAD_ROUNDS=${LOAD_ROUNDS:-3}
LOAD_TIMEOUT=${LOAD_TIMEOUT:-600}
REDIS_PORT=${REDIS_PORT:-21040}
NODE_PORT=${NODE_PORT:-21041}
source loadtest/pair-lib.sh

port_of() { if [ "$1" = redis ]; then echo "$REDIS_PORT"; else echo "$NODE_PORT"; fi; }
cli() { local port=$1; shift; timeout 10 redis-cli -p "$port" "$@" 2>/dev/null; }
field() { tr -d '\r' | awk -F: -v f="$1" '$1 == f { print $2 }'; }
fail() { echo "persistence.sh: $*" >&2; exit 1; }

# Fails unless CONFIG GET $2 on port $1 answers $3.
expect_config() {
  local got; got=$(cli "$1" config get "$2" | sed -n 2p)
  [ "$got" = "$3" ] || fail "port $1: CONFIG GET $2 is '$got', expected '$3'"
}

throughput() {
  local config label settings kind
  LABEL_WIDTH=22
  compare_header "SET, persistence"
  for config in $CONFIGS; do
    case $config in
      no) label="appendonly no"; settings=(--appendonly no) ;;
      everysec | always) label="appendfsync $config"; settings=(--appendonly yes --appendfsync "$config") ;;
      *) fail "unknown configuration $config (no, everysec, always)" ;;
    esac
    settings+=(--auto-aof-rewrite-percentage 0)
    for kind in redis node; do
      start_server "$kind" "$(port_of "$kind")" "$WORK/set-$config-$kind" "$WORK/set-$config-$kind/$kind.log" \
        "${settings[@]}"
    done
    for kind in redis node; do
      wait_for "$(port_of "$kind")"
      expect_config "$(port_of "$kind")" appendonly "${settings[1]}"
      [ "$config" = no ] || expect_config "$(port_of "$kind")" appendfsync "$config"
    done
    warm_up_node set
    for pipeline in 1 16; do compare_row "$label" "$pipeline" set; done
    for kind in redis node; do
      if [ "$config" != no ] && [ "$(cat "$WORK/set-$config-$kind/appendonlydir/"*.incr.aof 2>/dev/null | wc -c)" -eq 0 ]; then
        echo "  ($kind: its AOF incr file is empty after the runs)" >&2
      fi
      stop_server "$(port_of "$kind")"
      rm -rf "$WORK/set-$config-$kind"
    done
  done
  echo "($(nproc) cores, $REQUESTS requests per test, $CLIENTS clients, median of $ROUNDS rounds;" \
    "redis-server $(redis_version); automatic AOF rewrites off)"
}

# The SET commands of the fill, in RESP.
write_fill() {
  awk -v n="$KEYS" 'BEGIN {
    for (i = 0; i < n; i++) {
      k = sprintf("key:%09d", i); v = sprintf("value:%010d", i)
      printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v
    }
  }' > "$WORK/fill.resp"
}

# Fills the server on port $1 (empty) with the KEYS keys.
fill() {
  local out
  out=$(timeout 900 redis-cli -p "$1" --pipe < "$WORK/fill.resp" 2>&1) || fail "port $1: redis-cli --pipe failed: $out"
  grep -q "errors: 0, replies: $KEYS" <<< "$out" || fail "port $1: redis-cli --pipe: $(tail -n 1 <<< "$out")"
  check_keys "$1"
}

# Fails unless the server on port $1 holds exactly the KEYS keys of the fill (DBSIZE, the first, middle, last).
check_keys() {
  local size i got
  size=$(cli "$1" dbsize)
  [ "$size" = "$KEYS" ] || fail "port $1: DBSIZE is '$size', expected $KEYS"
  for i in 0 $((KEYS / 2)) $((KEYS - 1)); do
    got=$(cli "$1" get "$(printf 'key:%09d' "$i")")
    [ "$got" = "$(printf 'value:%010d' "$i")" ] || fail "port $1: GET $(printf 'key:%09d' "$i") is '$got'"
  done
}

elapsed() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }

# Starts server $1 in folder $2 with settings $3...; sets ANSWER_SECONDS to the seconds from the process start
# until it first answers INFO, LOAD_SECONDS until it says loading:0 with all the keys, and LOG_SECONDS to those
# its log gives ("-" when it has no such line). The node's warnings and errors while loading go to stderr.
time_load() {
  local kind=$1 dir=$2 port start log info
  shift 2
  port=$(port_of "$kind")
  log="$dir/$kind-$((++STARTS)).log"
  ANSWER_SECONDS=-
  start=$(date +%s%N)
  start_server "$kind" "$port" "$dir" "$log" "$@"
  local deadline=$((SECONDS + LOAD_TIMEOUT))
  while :; do
    info=$(cli "$port" info persistence || true)
    if [ -n "$info" ]; then
      [ "$ANSWER_SECONDS" != - ] || ANSWER_SECONDS=$(elapsed "$start")
      [ "$(field loading <<< "$info")" = 0 ] && [ "$(cli "$port" dbsize)" = "$KEYS" ] && break
    fi
    kill -0 "${SERVER_PIDS[$port]}" 2>/dev/null || fail "$kind exited while loading; see its log:$(echo; tail -n 20 "$log")"
    [ "$SECONDS" -lt "$deadline" ] || fail "$kind: not loaded after $LOAD_TIMEOUT s (DBSIZE $(cli "$port" dbsize))"
    sleep 0.05
  done
  LOAD_SECONDS=$(elapsed "$start")
  LOG_SECONDS=$(grep -oE 'DB loaded from (disk|append only file): [0-9.]+ seconds' "$log" | tail -n 1 | awk '{ print $(NF - 1) }')
  LOG_SECONDS=${LOG_SECONDS:--}
  if [ "$kind" = node ] && grep -qE '^[0-9]{2} [A-Za-z]{3} [0-9]{4} [0-9:.]+ (WARN|ERROR)' "$log"; then
    grep -E '^[0-9]{2} [A-Za-z]{3} [0-9]{4} [0-9:.]+ (WARN|ERROR)' "$log" | head -n 5 | sed 's/^/  node log: /' >&2
  fi
}
STARTS=0

# The files of folder $1 that case $2 loads, with their sizes (of an AOF: the manifest's base and incr files).
files_of() {
  if [ "$2" = rdb ]; then
    awk -v b="$(stat -c %s "$1/dump.rdb")" 'BEGIN { printf "dump.rdb %.1f MB", b / 1e6 }'
  else
    local name sep=""
    for name in $(awk '$1 == "file" && $6 != "h" { print $2 }' "$1/appendonlydir/appendonly.aof.manifest"); do
      awk -v n="${name#appendonly.aof.}" -v b="$(stat -c %s "$1/appendonlydir/$name")" -v s="$sep" \
        'BEGIN { printf "%s%s %.1f MB", s, n, b / 1e6 }'
      sep=" + "
    done
  fi
}

# LOAD_ROUNDS restarts of each server from what its folder holds (case $1, settings $2...), in turns.
measure_load() {
  local case=$1 kind port
  shift
  for kind in redis node; do
    : > "$WORK/$case-$kind.answer"; : > "$WORK/$case-$kind.load"; : > "$WORK/$case-$kind.log"
    sizes "$WORK/load-$case-$kind" > "$WORK/$case-$kind.sizes"
  done
  for _ in $(seq "$LOAD_ROUNDS"); do
    for kind in redis node; do
      port=$(port_of "$kind")
      time_load "$kind" "$WORK/load-$case-$kind" "$@"
      check_keys "$port"
      stop_server "$port"
      echo "$ANSWER_SECONDS" >> "$WORK/$case-$kind.answer"
      echo "$LOAD_SECONDS" >> "$WORK/$case-$kind.load"
      [ "$LOG_SECONDS" = - ] || echo "$LOG_SECONDS" >> "$WORK/$case-$kind.log"
    done
  done
  for kind in redis node; do
    files_of "$WORK/load-$case-$kind" "$case" > "$WORK/$case-$kind.files"
    # Loading must leave the files as they were (a server that wrote what it loaded back would grow them).
    sizes "$WORK/load-$case-$kind" | diff "$WORK/$case-$kind.sizes" - > "$WORK/$case-$kind.diff" \
      || echo "  ($kind, $(case_name "$case"): its files changed over the starts: $(paste -sd' ' "$WORK/$case-$kind.diff"))" >&2
  done
}

# Each data file in folder $1 (dump.rdb, the AOF's) with its size in bytes.
sizes() {
  find "$1" \( -name '*.rdb' -o -name '*.aof' -o -name '*.manifest' \) -printf '%P %s\n' | sort
}

# Starts server $1 in its folder for case $2 with settings $3..., waits until it answers PING and is not loading.
start_for_fill() {
  local kind=$1 case=$2 port
  shift 2
  port=$(port_of "$kind")
  start_server "$kind" "$port" "$WORK/load-$case-$kind" "$WORK/load-$case-$kind/$kind-fill.log" "$@"
  wait_for "$port"
  for _ in $(seq 1 $((LOAD_TIMEOUT * 10))); do
    cli "$port" info persistence | tr -d '\r' | grep -qx 'loading:0' && return 0
    sleep 0.1
  done
  fail "$kind: still loading after $LOAD_TIMEOUT s"
}

# BGREWRITEAOF on port $1, then waits (up to LOAD_TIMEOUT) until it has finished and its base is an RDB.
rewrite_aof() {
  local port=$1 before info dir=$2
  before=$(cli "$port" info persistence | field aof_rewrites)
  cli "$port" bgrewriteaof > /dev/null
  for _ in $(seq 1 $((LOAD_TIMEOUT * 10))); do
    info=$(cli "$port" info persistence)
    if [ "$(field aof_rewrites <<< "$info")" -gt "${before:-0}" ] 2>/dev/null \
      && [ "$(field aof_rewrite_in_progress <<< "$info")" = 0 ] && [ "$(field aof_rewrite_scheduled <<< "$info")" = 0 ]; then
      [ "$(field aof_last_bgrewrite_status <<< "$info")" = ok ] || fail "port $port: BGREWRITEAOF failed"
      grep -q '^file [^ ]*\.base\.rdb .* type b' "$dir/appendonlydir/appendonly.aof.manifest" \
        || fail "port $port: after BGREWRITEAOF the base is not an RDB: $(cat "$dir/appendonlydir/appendonly.aof.manifest")"
      return 0
    fi
    sleep 0.1
  done
  fail "port $port: BGREWRITEAOF not finished after $LOAD_TIMEOUT s"
}

load() {
  local kind port aof=(--appendonly yes --appendfsync everysec --auto-aof-rewrite-percentage 0)
  write_fill
  # RDB: fill, SAVE, stop; started with appendonly no, the node and Redis load dump.rdb.
  for kind in redis node; do
    port=$(port_of "$kind")
    start_for_fill "$kind" rdb --appendonly no
    fill "$port"
    [ "$(timeout 600 redis-cli -p "$port" save)" = OK ] || fail "$kind: SAVE failed"
    stop_server "$port"
  done
  measure_load rdb --appendonly no
  # AOF: filled with appendonly yes, the SETs are in the incr file.
  for kind in redis node; do
    port=$(port_of "$kind")
    start_for_fill "$kind" aof "${aof[@]}"
    fill "$port"
    stop_server "$port"
  done
  measure_load aof "${aof[@]}"
  for kind in redis node; do
    port=$(port_of "$kind")
    mv "$WORK/load-aof-$kind" "$WORK/load-rewritten-$kind"
    start_for_fill "$kind" rewritten "${aof[@]}"
    check_keys "$port"
    rewrite_aof "$port" "$WORK/load-rewritten-$kind"
    stop_server "$port"
  done
  measure_load rewritten "${aof[@]}"

  echo
  printf '%-28s %-26s %7s   %-26s %7s %7s\n' "load $KEYS keys" "redis s (rounds)" median "node s (rounds)" median ratio
  table answer "process start -> first answer to INFO"
  table load "process start -> loading:0, DBSIZE $KEYS"
  table log '"DB loaded from ..." in log'
  printf '\n%-20s %-44s %s\n' files redis node
  for case in rdb aof rewritten; do
    printf '%-20s %-44s %s\n' "$(case_name "$case")" "$(cat "$WORK/$case-redis.files")" "$(cat "$WORK/$case-node.files")"
  done
  echo "($(nproc) cores, $LOAD_ROUNDS starts each, median; keys of 13 bytes, values of 16 bytes; AOF cases with" \
    "appendfsync everysec; redis-server $(redis_version), $(java -version 2>&1 | head -n 1))"
}

case_name() {
  case $1 in rdb) echo "RDB" ;; aof) echo "AOF of commands" ;; rewritten) echo "AOF after rewrite" ;; esac
}

# Rows of the load table: what ($1: answer, load or log) for each case, under the heading $2.
table() {
  local what=$1 case redis node
  echo "$2"
  for case in rdb aof rewritten; do
    redis=$(median < "$WORK/$case-redis.$what")
    node=$(median < "$WORK/$case-node.$what")
    awk -v c="  $(case_name "$case")" -v rr="$(paste -sd' ' "$WORK/$case-redis.$what")" -v r="$redis" \
      -v nr="$(paste -sd' ' "$WORK/$case-node.$what")" -v n="$node" 'BEGIN {
        ratio = (r + 0 > 0 && n != "-") ? sprintf("%.2f", n / r) : "-"
        printf "%-28s %-26s %7s   %-26s %7s %7s\n", c, rr, r, nr, n, ratio
      }'
  done
}

for part in $PARTS; do
  case $part in
    throughput) throughput ;;
    load) load ;;
    *) fail "unknown part $part (throughput, load)" ;;
  esac
done
