#!/usr/bin/env bash
# Redis 7.0.15's own test suite (Debian bookworm's source package) against the node, in external mode,
# with a real redis-server 7.0.15 run the same way beside it. See docs/redis-tests.md.
#
#   bash scripts/redis-tests.sh [options] [unit/<file> ...]
#
# Files: unit/type/set, unit/expire, ... as runtest's --single takes them; a glob such as 'unit/type/*' is
# expanded against the test tree. No file: every unit/ file of runtest's list (runtest --list-tests).
#
# Options:
#   --mode standalone|cluster|both   standalone (cluster-enabled no), a one-node cluster owning all 16384
#                                    slots run with runtest --cluster-mode, or both (default)
#   --target node|redis|both         the node, Debian's redis-server, or both (default)
#   --file-timeout SECONDS           wall-clock limit per file and server (default 300); the file is then killed
#   --harness-timeout SECONDS        runtest --timeout: the harness gives up when no test progressed for that
#                                    long (default 120)
#   --tags "TAGS"                    runtest --tags (default "-slow", the tags of Redis's own CI job
#                                    test-external-standalone, .github/workflows/external.yml)
#   --no-durable                     do not pass runtest --durable (then a test's Tcl error aborts its file)
#   --shared-server                  one server per mode and target for all the files, as Redis's CI runs
#                                    them (a new one only after a file that the harness or timeout cut
#                                    short, or when it stops answering), instead of a fresh server per file:
#                                    faster, but one file's leftovers can reach the next
#   --write-doc                      also write the table into docs/redis-tests.md (between its markers)
#   --strict                         exit 1 when any test failed against the node (err or exception) or a
#                                    file of the node's did not finish: CI runs the files the node passes so
#                                    (.ci/run), so a regression fails the build
#   --table RUNDIR                   print (and with --write-doc write) the table of an earlier run, its
#                                    counts read again from its logs; run nothing
#   --fetch-only                     obtain and unpack the test suite, run nothing
#   --list                           list the unit files, run nothing
#
# Environment: REDIS_TESTS_DIR (cache: the unpacked suite and every run's logs; default
# ~/.cache/akka-redis-tests), REDIS_SERVER (default /usr/bin/redis-server), NODE_JAVA_OPTS (JVM options
# for the node, default none).
#
# Only Debian's package mirror is used: a deb-src entry for the mirror and suites apt is already configured
# with (written to /etc/apt/sources.list.d/akka-redis-tests-deb-src.sources; nothing else in apt's
# configuration changes), apt-get update, apt-get source --download-only redis=<7.0.15 version>, and
# apt-get install tcl if tclsh is missing. No Redis test file is changed: the harness runs through
# scripts/redis-tests-harness.tcl, which documents the one in-memory change it makes.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

REDIS_SERVER=${REDIS_SERVER:-/usr/bin/redis-server}
NODE_JAVA_OPTS=${NODE_JAVA_OPTS:-}
source scripts/jar-lib.sh
source scripts/redis-tests-lib.sh
WRAPPER=$ROOT/scripts/redis-tests-harness.tcl
DOC=docs/redis-tests.md

MODES="standalone cluster"
TARGETS="node redis"
FILE_TIMEOUT=300
HARNESS_TIMEOUT=120
TAGS="-slow"
DURABLE=1
SHARED=0
WRITE_DOC=0
STRICT=0
TABLE_ONLY=
FETCH_ONLY=0
LIST_ONLY=0
FILES=()

say() { echo "redis-tests.sh: $*" >&2; }
fail() { echo "redis-tests.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --mode) case "${2:-}" in standalone|cluster) MODES=$2 ;; both) MODES="standalone cluster" ;;
              *) fail "--mode takes standalone, cluster or both" ;; esac; shift 2 ;;
    --target) case "${2:-}" in node|redis) TARGETS=$2 ;; both) TARGETS="node redis" ;;
              *) fail "--target takes node, redis or both" ;; esac; shift 2 ;;
    --file-timeout) FILE_TIMEOUT=${2:?}; shift 2 ;;
    --harness-timeout) HARNESS_TIMEOUT=${2:?}; shift 2 ;;
    --tags) TAGS=${2?}; shift 2 ;;
    --no-durable) DURABLE=0; shift ;;
    --shared-server) SHARED=1; shift ;;
    --write-doc) WRITE_DOC=1; shift ;;
    --strict) STRICT=1; shift ;;
    --table) TABLE_ONLY=${2:?}; shift 2 ;;
    --fetch-only) FETCH_ONLY=1; shift ;;
    --list) LIST_ONLY=1; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) fail "unknown option $1 (see --help)" ;;
    *) FILES+=("${1%.tcl}"); shift ;;
  esac
done

# ---------------------------------------------------------------------------------------------------------
# The unit files

all_unit_files() { (cd "$TREE" && "$TCLSH" tests/test_helper.tcl --list-tests) | grep '^unit/'; }

# Expands globs and checks every file exists in the test tree.
resolve_files() {
  local f g out=()
  if [ "${#FILES[@]}" -eq 0 ]; then
    mapfile -t FILES < <(all_unit_files)
    return
  fi
  for f in "${FILES[@]}"; do
    if [[ "$f" == *[\*\?\[]* ]]; then
      local found=0
      for g in "$TREE"/tests/$f.tcl; do
        [ -f "$g" ] || continue
        g=${g#"$TREE"/tests/}; out+=("${g%.tcl}"); found=1
      done
      [ "$found" = 1 ] || fail "no test file matches $f"
    else
      [ -f "$TREE/tests/$f.tcl" ] || fail "no test file tests/$f.tcl in $TREE"
      out+=("$f")
    fi
  done
  FILES=("${out[@]}")
}

# ---------------------------------------------------------------------------------------------------------
# Servers


in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# A loopback port that is free, with its cluster bus port (port + 10000) free too. Away from runtest's own
# ports (its test server listens just below --baseport, 21111 by default).
free_port() {
  local p tries
  for tries in $(seq 1 200); do
    p=$((30000 + RANDOM % 9000))
    if ! in_use "$p" && ! in_use $((p + 10000)); then echo "$p"; return; fi
  done
  fail "found no free port pair in 30000-48999"
}

# runtest's own test server listens on the first free port of the 32 below --baseport (21079 with the default
# 21111); it checks the port bound to every address but then binds 127.0.0.1, so two runs at once (two
# checkouts on one machine) can both pick 21079 and the second stops at once with "address already in use".
# Each run takes its own block of 64 ports in 21111-29999 instead, below free_port's range.
HARNESS_BASEPORT=$((21111 + 64 * (RANDOM % 138)))

SERVER_PID=
SERVER_KEY=
SERVER_PORT=
SERVER_DIR=
HARNESS_PID=

cli() { timeout 10 redis-cli -h 127.0.0.1 -p "$SERVER_PORT" "$@" 2> /dev/null | tr -d '\r'; }

# start_server node|redis standalone|cluster LOGDIR: the server on a free loopback port, in a fresh temp dir.
start_server() {
  local target=$1 mode=$2 enabled=no
  [ "$mode" = cluster ] && enabled=yes
  SERVER_PORT=$(free_port)
  SERVER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/akka-redis-tests.XXXXXX")
  # DEBUG enabled as Redis's CI job test-external-standalone starts its server, for the needs:debug tests.
  local args=(--port "$SERVER_PORT" --bind 127.0.0.1 --dir "$SERVER_DIR" --save "" --appendonly no
              --cluster-enabled "$enabled" --cluster-config-file nodes.conf --enable-debug-command yes)
  if [ "$target" = node ]; then
    # shellcheck disable=SC2086
    java $NODE_JAVA_OPTS -jar "$ROOT/$JAR" "${args[@]}" > "$SERVER_DIR/server.log" 2>&1 < /dev/null &
  else
    "$REDIS_SERVER" "${args[@]}" --daemonize no > "$SERVER_DIR/server.log" 2>&1 < /dev/null &
  fi
  SERVER_PID=$!
  local deadline=$((SECONDS + 60))
  until [ "$(cli ping)" = PONG ]; do
    if ! kill -0 "$SERVER_PID" 2> /dev/null || [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
    sleep 0.2
  done
  if [ "$mode" = cluster ]; then
    # As Redis's CI job test-external-cluster: one node owning every slot.
    [ "$(cli cluster addslotsrange 0 16383)" = OK ] || return 1
    deadline=$((SECONDS + 30))
    until cli cluster info | grep -qx 'cluster_state:ok'; do
      [ "$SECONDS" -ge "$deadline" ] && return 1
      sleep 0.2
    done
  fi
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  if kill -0 "$SERVER_PID" 2> /dev/null; then
    timeout 10 redis-cli -h 127.0.0.1 -p "$SERVER_PORT" shutdown nosave > /dev/null 2>&1
    local i
    for i in $(seq 1 100); do kill -0 "$SERVER_PID" 2> /dev/null || break; sleep 0.1; done
    if kill -0 "$SERVER_PID" 2> /dev/null; then
      kill "$SERVER_PID" 2> /dev/null
      for i in $(seq 1 100); do kill -0 "$SERVER_PID" 2> /dev/null || break; sleep 0.1; done
      kill -9 "$SERVER_PID" 2> /dev/null
    fi
  fi
  wait "$SERVER_PID" 2> /dev/null
  [ -n "$SERVER_DIR" ] && [ -d "$SERVER_DIR" ] && cp "$SERVER_DIR/server.log" "$1" 2> /dev/null
  rm -rf "$SERVER_DIR"
  SERVER_PID= SERVER_DIR=
}

stop_harness() {
  if [ -n "$HARNESS_PID" ]; then
    # timeout runs the harness in a process group of its own (pgid = its pid): its test client too.
    kill -TERM -- "-$HARNESS_PID" 2> /dev/null
    HARNESS_PID=
  fi
}

cleanup() { stop_harness; stop_server /dev/null; }
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------
# Running a file and reading its output

# parse LOG: "ok err exception skipped seconds status" from runtest's output. An [err] whose details carry a
# Tcl stack (a command's error reply or a Tcl error, turned into an [err] by --durable) counts as an
# exception (one outside any test, in a start_server block, also marks the status: the rest of that block
# did not run); [skip] and [ignore] (a tag the run leaves out, or external:skip / cluster:skip) count as skipped.
parse_log() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | awk '
    function end_err() { if (inerr) { if (stack) exc++; else err++ } inerr = 0; stack = 0 }
    /^\[(ok|err|skip|ignore|exception|TIMEOUT|ready)\]/ || /^\[[0-9]+\/[0-9]+ / || /^Testing / || /^ *The End/ { end_err() }
    /^\[ok\]: / { ok++ }
    /^\[err\]: / { inerr = 1; if ($0 !~ / in tests\//) blocks++ }
    inerr && /(invoked from within|while executing)/ { stack = 1 }
    /^\[skip\]: / || /^\[ignore\]: / { skip++ }
    /^\[exception\]: / { exc++; status = "exception" }
    /^\[TIMEOUT\]/ { status = "harness-timeout" }
    /^\[[0-9]+\/[0-9]+ done\]: / { if (match($0, /\(([0-9]+) seconds\)/)) secs = substr($0, RSTART + 1, RLENGTH - 10); done = 1 }
    END { end_err(); if (status == "") status = done ? "done" : "incomplete"
          if (blocks) status = status ",-" blocks "-block(s)-cut-short"
          printf "%d %d %d %d %s %s\n", ok, err, exc, skip, (secs == "" ? "-" : secs), status }'
}

# failures LOG: one "kind<TAB>test name<TAB>message" line per failed test. For an error that is not an
# assertion the harness prints the error with its first 10 characters cut, then its Tcl stack, which starts
# with the whole error: of the lines before "while executing", the second half is the whole error.
failures() {
  sed 's/\x1b\[[0-9;]*m//g; s/\r//g' "$1" | awk '
    function end_err(   i, m, msg) {
      if (!inerr) return
      msg = ""
      if (stack) { m = int(k / 2); for (i = m + 1; i <= k; i++) msg = msg (msg == "" ? "" : " ") lines[i] }
      else { for (i = 1; i <= k; i++) msg = msg (msg == "" ? "" : " ") lines[i] }
      print (stack ? "exception" : "err") "\t" name "\t" msg
      inerr = 0; stack = 0
    }
    /^\[(ok|err|skip|ignore|exception|TIMEOUT|ready)\]/ || /^\[[0-9]+\/[0-9]+ / || /^Testing / || /^ *The End/ || /^\*\*\* / { end_err() }
    # An [err] without "<test> in tests/<file>" is an error in a start_server block outside any test: the
    # rest of the block did not run.
    /^\[err\]: / && !/ in tests\// { inerr = 1; name = "(outside a test: the rest of its start_server block did not run)"
                                     k = 1; lines[1] = substr($0, 8); collecting = 1; next }
    /^\[err\]: / { inerr = 1; name = substr($0, 8); sub(/ in tests\/.*$/, "", name); k = 0; collecting = 1; next }
    inerr && /^    while executing/ { stack = 1; collecting = 0 }
    inerr && /(invoked from within)/ { stack = 1; collecting = 0 }
    inerr && collecting && k < 20 { lines[++k] = $0 }
    /^\[exception\]: / { getline m; print "exception\t(file abandoned)\t" substr($0, 14) " " m }
    /^\[TIMEOUT\]/ { hung = 1 } hung && /IN PROGRESS/ { sub(/^.*\(IN PROGRESS\) /, ""); print "hang\t" $0 "\tno progress for the harness timeout"; hung = 0 }
    END { end_err() }' | tr -d '\000-\010\013-\037\177' | cut -c1-400
}

# refresh RUNDIR: results.tsv's counts and failures.tsv again from the run's logs (after a change in how
# they are read); the seconds, and a file killed or a server that did not start, stay as they were.
refresh() {
  local rundir=$1 file mode target ok err exc skip secs status log counts
  : > "$rundir/failures.tsv"
  while IFS=$'\t' read -r file mode target ok err exc skip secs status; do
    log="$rundir/$mode-$target/${file//\//_}.log"
    if [ -f "$log" ] && [ "$status" != server-did-not-start ]; then
      read -r ok err exc skip _ counts < <(parse_log "$log")
      case "$status" in killed-*) ;; *) status=$counts ;; esac
      failures "$log" | sed "s|^|$file\t$mode\t$target\t|" >> "$rundir/failures.tsv"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$file" "$mode" "$target" "$ok" "$err" "$exc" "$skip" "$secs" "$status"
  done < "$rundir/results.tsv" > "$rundir/results.tsv.new" && mv "$rundir/results.tsv.new" "$rundir/results.tsv"
}

run_file() {
  local file=$1 mode=$2 target=$3 logdir=$4
  local log="$logdir/${file//\//_}.log" started
  local attempt up=0
  if [ "$SHARED" = 1 ] && [ -n "$SERVER_PID" ]; then
    # --shared-server: the server of the previous file, while it answers and that file ended by itself.
    if [ "$SERVER_KEY" = "$mode-$target" ] && [ "$(cli ping)" = PONG ]; then
      up=1
    else
      stop_server "$logdir/server-until-${file//\//_}.server.log"
    fi
  fi
  [ "$up" = 1 ] || for attempt in 1 2 3; do
    if start_server "$target" "$mode"; then up=1; break; fi
    # Another process may take the free port between the look and the bind: a new port then.
    [ "$attempt" -lt 3 ] && grep -q 'Address already in use' "$SERVER_DIR/server.log" 2> /dev/null || break
    stop_server /dev/null
  done
  if [ "$up" = 0 ]; then
    stop_server "$logdir/${file//\//_}.server.log"
    printf '%s\t%s\t%s\t0\t0\t0\t0\t-\tserver-did-not-start\n' "$file" "$mode" "$target" >> "$RESULTS"
    say "  $file $mode $target: the server did not start; see $logdir/${file//\//_}.server.log"
    return
  fi
  local opts=(--host 127.0.0.1 --port "$SERVER_PORT" --single "$file" --timeout "$HARNESS_TIMEOUT" --clients 1
    --baseport "$HARNESS_BASEPORT")
  [ -n "$TAGS" ] && opts+=(--tags "$TAGS")
  [ "$DURABLE" = 1 ] && opts+=(--durable)
  [ "$mode" = cluster ] && opts+=(--cluster-mode)
  local broken
  for broken in "${BROKEN[@]}"; do opts+=(--skiptest "$broken"); done
  echo "# $file against $target ($mode) on 127.0.0.1:$SERVER_PORT: runtest ${opts[*]}" > "$log"
  (cd "$TREE" && TERM=dumb exec timeout -k 10 "$FILE_TIMEOUT" "$TCLSH" "$WRAPPER" "${opts[@]}") >> "$log" 2>&1 &
  HARNESS_PID=$!
  started=$SECONDS
  wait "$HARNESS_PID"
  local rc=$? took=$((SECONDS - started))
  stop_harness
  local ok err exc skip secs status
  read -r ok err exc skip secs status < <(parse_log "$log")
  # The seconds are the harness's wall-clock time for the file (the server's start and stop not counted).
  secs=$took
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then status="killed-after-${FILE_TIMEOUT}s"; fi
  if [ "$SHARED" = 1 ] && [ "${status%%,*}" = done ]; then
    SERVER_KEY="$mode-$target"
  else
    stop_server "$logdir/${file//\//_}.server.log"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$file" "$mode" "$target" "$ok" "$err" "$exc" "$skip" "$secs" \
    "$status" >> "$RESULTS"
  failures "$log" | sed "s|^|$file\t$mode\t$target\t|" >> "$FAILURES"
  say "  $file $mode $target: ok $ok, err $err, exception $exc, skipped $skip, ${secs}s, $status"
}

# ---------------------------------------------------------------------------------------------------------
# The table

cell() { # cell RESULTS FILE MODE TARGET
  awk -F'\t' -v f="$2" -v m="$3" -v t="$4" '
    $1 == f && $2 == m && $3 == t {
      c = $4 "/" $5 "/" $6 "/" $7 " (" $8 "s)"
      if ($9 != "done") { st = $9; gsub(/-/, " ", st); c = c " **" st "**" }
      print c; found = 1 }
    END { if (!found) print "–" }' "$1"
}

table() { # table RUNDIR
  local results=$1/results.tsv
  [ -f "$results" ] || fail "no results.tsv in $1"
  local modes targets files f m t header sep row
  modes=$(cut -f2 "$results" | awk '!seen[$0]++' | tr '\n' ' ')
  targets=$(cut -f3 "$results" | awk '!seen[$0]++' | tr '\n' ' ')
  files=$(cut -f1 "$results" | awk '!seen[$0]++')
  header="| file |"; sep="|---|"
  for m in standalone cluster; do
    [[ " $modes " == *" $m "* ]] || continue
    for t in node redis; do
      [[ " $targets " == *" $t "* ]] || continue
      local name=redis-server; [ "$t" = node ] && name=node
      [ "$m" = cluster ] && header+=" $name, --cluster-mode |" || header+=" $name, standalone |"
      sep+="---|"
    done
  done
  echo "$header"; echo "$sep"
  for f in $files; do
    row="| $f |"
    for m in standalone cluster; do
      [[ " $modes " == *" $m "* ]] || continue
      for t in node redis; do
        [[ " $targets " == *" $t "* ]] || continue
        row+=" $(cell "$results" "$f" "$m" "$t") |"
      done
    done
    echo "$row"
  done
  # Totals.
  row="| **total** |"
  for m in standalone cluster; do
    [[ " $modes " == *" $m "* ]] || continue
    for t in node redis; do
      [[ " $targets " == *" $t "* ]] || continue
      row+=" $(awk -F'\t' -v m="$m" -v t="$t" '$2 == m && $3 == t { o += $4; e += $5; x += $6; s += $7; d += $8 }
                 END { printf "%d/%d/%d/%d (%ds)", o, e, x, s, d }' "$results") |"
    done
  done
  echo "$row"
}

# causes RUNDIR: the node's failed tests grouped by the command it did not know, the rest as they come.
causes() {
  awk -F'\t' '
    $3 != "node" { next }
    {
      msg = $6; cause = ""
      if (match(msg, /unknown subcommand .[^'"'"']*.\. Try [A-Z]+ HELP/)) {
        split(substr(msg, RSTART, RLENGTH), w, /'"'"'/)
        match(msg, /Try [A-Z]+ HELP/); parent = substr(msg, RSTART + 4, RLENGTH - 9)
        cause = "`" parent " " toupper(w[2]) "` unknown"
      } else if (match(msg, /unknown command .[^'"'"']*./)) {
        split(substr(msg, RSTART, RLENGTH), w, /'"'"'/); cause = "`" toupper(w[2]) "` unknown"
      } else if ($4 == "hang") cause = "hang"
      else cause = "other"
      key = cause
      n[key, $2]++; total[key]++
      if (!((key, $1) in seen)) { seen[key, $1] = 1; files[key] = files[key] (files[key] == "" ? "" : ", ") $1 }
    }
    END {
      for (k in total) printf "%d\t| %s | %d | %d | %s |\n", total[k], k, n[k, "standalone"], n[k, "cluster"], files[k]
    }' "$1/failures.tsv" | sort -t$'\t' -k1,1nr | cut -f2-
}

cause_table() {
  echo "The node's failed tests (err and exception) by cause:"
  echo
  echo "| cause | tests, standalone | tests, --cluster-mode | files |"
  echo "|---|---|---|---|"
  causes "$1"
}

write_doc() { # write_doc RUNDIR
  local rundir=$1 begin='<!-- redis-tests:table:begin -->' end='<!-- redis-tests:table:end -->'
  [ -f "$DOC" ] || fail "$DOC is missing"
  grep -qF "$begin" "$DOC" && grep -qF "$end" "$DOC" || fail "$DOC lacks the markers $begin / $end"
  local tmp; tmp=$(mktemp)
  {
    cat "$rundir/header.txt" 2> /dev/null
    echo
    echo "Each cell: ok/err/exception/skipped (seconds the file took); a file that did not finish says how."
    echo
    table "$rundir"
    echo
    cause_table "$rundir"
  } > "$tmp"
  awk -v begin="$begin" -v end="$end" -v tablefile="$tmp" '
    $0 == begin { print; while ((getline line < tablefile) > 0) print line; skipping = 1; next }
    $0 == end { skipping = 0 }
    !skipping { print }' "$DOC" > "$DOC.tmp" && mv "$DOC.tmp" "$DOC"
  rm -f "$tmp"
  say "wrote the table into $DOC"
}

# ---------------------------------------------------------------------------------------------------------

if [ -n "$TABLE_ONLY" ]; then
  refresh "$TABLE_ONLY"
  table "$TABLE_ONLY"
  echo
  cause_table "$TABLE_ONLY"
  [ "$WRITE_DOC" = 1 ] && write_doc "$TABLE_ONLY"
  exit 0
fi

fetch
need_tcl
[ "$FETCH_ONLY" = 1 ] && { echo "$TREE"; exit 0; }
if [ "$LIST_ONLY" = 1 ]; then all_unit_files; exit 0; fi
resolve_files
command -v redis-cli > /dev/null || fail "redis-cli is missing (apt-get install redis-tools)"
if [[ " $TARGETS " == *" redis "* ]]; then
  [ -x "$REDIS_SERVER" ] || fail "$REDIS_SERVER is missing (apt-get install redis-server), or use --target node"
  "$REDIS_SERVER" --version | grep -q "v=$REDIS_VERSION" || fail "$REDIS_SERVER is not $REDIS_VERSION"
fi
[[ " $TARGETS " == *" node "* ]] && build_if_needed

# The suite's tests that Debian's own redis-server fails (scripts/redis-tests.broken): skipped on both servers.
BROKEN=()
while IFS= read -r line; do
  line=${line%%#*}; line=${line%"${line##*[![:space:]]}"}
  [ -n "$line" ] && BROKEN+=("$line")
done < scripts/redis-tests.broken

RUNDIR=$CACHE/runs/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$RUNDIR" || fail "cannot create $RUNDIR"
RESULTS=$RUNDIR/results.tsv
FAILURES=$RUNDIR/failures.tsv
: > "$RESULTS"; : > "$FAILURES"
{
  echo "Run of $(date -u '+%Y-%m-%d %H:%M UTC') on $(git rev-parse --abbrev-ref HEAD 2> /dev/null) at" \
    "$(git rev-parse --short HEAD 2> /dev/null); Redis's test suite: $(cat "$TREE/.akka-redis-tests");" \
    "redis-server: $("$REDIS_SERVER" --version 2> /dev/null | awk '{print $3}');" \
    "runtest options: --tags \"$TAGS\"$([ "$DURABLE" = 1 ] && echo " --durable") --timeout $HARNESS_TIMEOUT --clients 1;" \
    "file time limit ${FILE_TIMEOUT}s; ${#FILES[@]} file(s); ${#BROKEN[@]} test(s) skipped as broken on redis-server" \
    "too (scripts/redis-tests.broken);" \
    "$([ "$SHARED" = 1 ] && echo "one server per mode and target (--shared-server)." || echo "a fresh server per file.")"
} > "$RUNDIR/header.txt"
say "run folder: $RUNDIR (logs per file and server, results.tsv, failures.tsv)"

if [ "$SHARED" = 1 ]; then
  for mode in $MODES; do
    for target in $TARGETS; do
      mkdir -p "$RUNDIR/$mode-$target"
      for file in "${FILES[@]}"; do run_file "$file" "$mode" "$target" "$RUNDIR/$mode-$target"; done
      stop_server "$RUNDIR/$mode-$target/server-last.server.log"
    done
  done
else
  for file in "${FILES[@]}"; do
    for mode in $MODES; do
      for target in $TARGETS; do
        mkdir -p "$RUNDIR/$mode-$target"
        run_file "$file" "$mode" "$target" "$RUNDIR/$mode-$target"
      done
    done
  done
fi

echo
cat "$RUNDIR/header.txt"
echo
table "$RUNDIR"
echo
cause_table "$RUNDIR"
[ "$WRITE_DOC" = 1 ] && write_doc "$RUNDIR"
if [ "$STRICT" = 1 ]; then
  # results.tsv: file, mode, server, ok, err, exception, skipped, seconds, status
  bad=$(awk -F'\t' '$3 == "node" && ($5 > 0 || $6 > 0 || $9 != "done")' "$RESULTS")
  awk -F'\t' '$3 == "node" { ok += $4; failed += $5 + $6 } END { printf "redis-tests: %d passed, %d failed\n", ok, failed }' \
    "$RESULTS"
  if [ -n "$bad" ]; then
    say "--strict: these files failed against the node (file, mode, server, ok, err, exception, skipped, s, status):"
    echo "$bad" >&2
    exit 1
  fi
  say "--strict: every test the node ran passed"
fi
exit 0
