#!/usr/bin/env bash
# Redis 7.0.15's cluster test suite (tests/cluster, what ./runtest-cluster runs) against the node, and against
# Debian's redis-server 7.0.15 run the same way beside it. See docs/redis-tests.md, "The cluster suite".
#
#   bash scripts/redis-cluster-tests.sh [options] [NN-name ...]
#
# Files: 00-base, 01-faildet, ... (tests/cluster/tests/<name>.tcl); a glob such as '0*' is expanded against
# that folder. No file: every file there.
#
# Options:
#   --target node|redis|both   the node (default), Debian's redis-server, or both
#   --file-timeout SECONDS     wall-clock limit per file (default 600): the suite is then stopped, and the
#                              files it had not begun run in a fresh one
#   --start-timeout SECONDS    wall-clock limit for starting the 20 instances before the first file
#                              (default 600): the suite run is then stopped, and its files count as not run
#   --strict                   exit 1 when a file did not pass whole against the node, naming each such
#                              file and why (a failed test, an error, the file timeout, not run)
#   --table RUNDIR             print the table of an earlier run, read again from its logs; run nothing
#   --list                     list the files, run nothing
#
# How it runs: the suite spawns 20 instances by exec'ing ../../../src/redis-server <dir>/redis.conf from
# tests/cluster/tmp, kills them by pid and restarts them. Each target gets a run tree in the run folder
# (<run>/<target>/tree): its src/redis-server is scripts/cluster-suite-redis-server (the node's jar, exec'd:
# the pid is the JVM's) or a link to redis-server; src/redis-cli links to Debian's; tests/ holds links to the
# unpacked suite's files, with real tests/cluster and tests/cluster/tmp folders so that the suite's relative
# paths land in the run tree. No Redis file is changed; the harness runs through
# scripts/redis-cluster-tests-harness.tcl (its two in-memory changes are described there). All the files
# given run in one suite run, as Redis's CI runs them (20 instances started once; each file begins by
# resetting them); a file that does not end within --file-timeout, or a suite that gives up, ends that run,
# and the files not yet begun run in a new one.
#
# Per run, in $REDIS_TESTS_DIR/runs/<time>-cluster/: <target>/suite-N.log (the harness's output),
# <target>/instances-N/redis_*/ (each instance's log.txt, err.txt, redis.conf, nodes.conf), results.tsv
# (file, target, ok, failed, exception, seconds, status) and failures.tsv.
#
# Environment: REDIS_TESTS_DIR (default ~/.cache/akka-redis-tests), REDIS_SERVER (default /usr/bin/redis-server),
# NODE_JAVA_OPTS (more JVM options for the node), REDIS_CLUSTER_TESTS_START_WAIT (seconds an instance may
# take to answer its first PING, default 60).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

REDIS_SERVER=${REDIS_SERVER:-/usr/bin/redis-server}
source scripts/jar-lib.sh
source scripts/redis-tests-lib.sh
WRAPPER=$ROOT/scripts/redis-cluster-tests-harness.tcl
LAUNCHER=$ROOT/scripts/cluster-suite-redis-server
JSA=target/akka-redis-cluster.jsa

TARGETS=node
FILE_TIMEOUT=600
START_TIMEOUT=600
STRICT=0
TABLE_ONLY=
LIST_ONLY=0
FILES=()

say() { echo "redis-cluster-tests.sh: $*" >&2; }
fail() { echo "redis-cluster-tests.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --target) case "${2:-}" in node|redis) TARGETS=$2 ;; both) TARGETS="node redis" ;;
              *) fail "--target takes node, redis or both" ;; esac; shift 2 ;;
    --file-timeout) FILE_TIMEOUT=${2:?}; shift 2 ;;
    --start-timeout) START_TIMEOUT=${2:?}; shift 2 ;;
    --strict) STRICT=1; shift ;;
    --table) TABLE_ONLY=${2:?}; shift 2 ;;
    --list) LIST_ONLY=1; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) fail "unknown option $1 (see --help)" ;;
    *) f=${1%.tcl}; FILES+=("${f##*/}"); shift ;;
  esac
done

all_files() { (cd "$TREE/tests/cluster/tests" && ls -- *.tcl) | sed 's/\.tcl$//'; }

resolve_files() {
  local f g out=()
  if [ "${#FILES[@]}" -eq 0 ]; then
    mapfile -t FILES < <(all_files)
    return
  fi
  for f in "${FILES[@]}"; do
    local found=0
    for g in "$TREE"/tests/cluster/tests/$f.tcl; do
      [ -f "$g" ] || continue
      g=${g##*/}; out+=("${g%.tcl}"); found=1
    done
    [ "$found" = 1 ] || fail "no test file tests/cluster/tests/$f.tcl"
  done
  FILES=("${out[@]}")
}

# ---------------------------------------------------------------------------------------------------------
# The run tree and the node's class archive

# make_tree DIR TARGET: the suite's layout with src/redis-server standing for TARGET.
make_tree() {
  local dir=$1 target=$2 entry
  mkdir -p "$dir/src" "$dir/tests/cluster/tmp" || fail "cannot create $dir"
  for entry in "$TREE"/src/*; do ln -sfn "$(readlink -f "$entry")" "$dir/src/${entry##*/}"; done
  if [ "$target" = node ]; then ln -sfn "$LAUNCHER" "$dir/src/redis-server"
  else ln -sfn "$REDIS_SERVER" "$dir/src/redis-server"; fi
  for entry in "$TREE"/tests/*; do
    [ "${entry##*/}" = cluster ] || ln -sfn "$entry" "$dir/tests/${entry##*/}"
  done
  for entry in "$TREE"/tests/cluster/*; do
    [ "${entry##*/}" = tmp ] || ln -sfn "$entry" "$dir/tests/cluster/${entry##*/}"
  done
}

in_use() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# The launcher's class archive (AppCDS), made by one training start of the node when missing or older than the
# jar: a cluster-enabled node on a free port, answering PING, CLUSTER INFO and INFO, then shut down.
make_class_archive() {
  [ -f "$JSA" ] && [ "$JSA" -nt "$JAR" ] && return
  local dir port pid i j
  dir=$(mktemp -d "${TMPDIR:-/tmp}/akka-redis-jsa.XXXXXX")
  for i in $(seq 1 50); do
    port=$((30000 + RANDOM % 9000))
    in_use "$port" || in_use $((port + 10000)) || break
  done
  printf 'port %s\nbind 127.0.0.1\ndir %s\ncluster-enabled yes\nappendonly yes\nlogfile log.txt\n' "$port" "$dir" \
    > "$dir/redis.conf"
  say "making the node's class archive $JSA (one training start)"
  rm -f "$JSA"
  NODE_JAVA_OPTS="-XX:ArchiveClassesAtExit=$ROOT/$JSA -Xlog:cds=off -Xlog:cds+dynamic=off" \
    "$LAUNCHER" "$dir/redis.conf" > "$dir/out.txt" 2>&1 &
  pid=$!
  TRAINING_PID=$pid
  for i in $(seq 1 300); do
    [ "$(timeout 5 redis-cli -p "$port" ping 2> /dev/null)" = PONG ] && break
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.1
  done
  timeout 5 redis-cli -p "$port" cluster info > /dev/null 2>&1
  timeout 5 redis-cli -p "$port" info > /dev/null 2>&1
  # The archive is written only at a clean exit. SHUTDOWN is refused while the first AOF rewrite, begun at
  # start (appendonly yes), still runs ("Writing initial AOF, can't exit"): asked again until the JVM is gone.
  for i in $(seq 1 60); do
    kill -0 "$pid" 2> /dev/null || break
    timeout 10 redis-cli -p "$port" shutdown nosave > /dev/null 2>&1
    for j in $(seq 1 10); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
  done
  kill -9 "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  TRAINING_PID=
  [ -f "$JSA" ] || say "no class archive was written (see $dir/out.txt); the node starts without one"
  [ -f "$JSA" ] && rm -rf "$dir"
}

# ---------------------------------------------------------------------------------------------------------
# Running the suite and reading its output

HARNESS_PID=
TRAINING_PID=
stop_harness() {
  [ -n "$HARNESS_PID" ] || return 0
  # timeout runs the harness in a process group of its own: the instances it exec'd are in it too.
  kill -TERM -- "-$HARNESS_PID" 2> /dev/null
  local i
  for i in $(seq 1 300); do kill -0 -- "-$HARNESS_PID" 2> /dev/null || break; sleep 0.1; done
  kill -KILL -- "-$HARNESS_PID" 2> /dev/null
  wait "$HARNESS_PID" 2> /dev/null
  HARNESS_PID=
}
# kill_leftovers TREE: the instances of a suite run are in the harness's process group, which stop_harness
# ends; one that left it (or outlived the KILL) would hold its ports and take CPU from every later run, so any
# process still working in TREE's instance folder is killed here, and named.
kill_leftovers() {
  local tmp proc pid left=()
  tmp=$(readlink -f "$1/tests/cluster/tmp")
  for proc in /proc/[0-9]*; do
    [[ "$(readlink "$proc/cwd" 2> /dev/null)" == "$tmp"* ]] || continue
    pid=${proc#/proc/}
    left+=("$pid")
    kill -KILL "$pid" 2> /dev/null
  done
  [ "${#left[@]}" -eq 0 ] || say "killed ${#left[@]} process(es) the suite run left behind: ${left[*]}"
}
on_exit() {
  stop_harness
  [ -z "$TRAINING_PID" ] || kill -KILL "$TRAINING_PID" 2> /dev/null
  [ -z "${CURRENT_TREE:-}" ] || kill_leftovers "$CURRENT_TREE"
}
trap on_exit EXIT
trap 'say "interrupted"; exit 130' INT TERM

# unit_results LOG: "file status seconds ok failed exception" for each file the log shows begun; a file begun
# and not ended is "cut-short". ok: the tests that printed OK; failed: a test whose assertion failed (the harness
# then jumps to the next file: the tests after it do not run); exception: a Tcl error (an unexpected reply, say)
# that ended the file.
unit_results() {
  sed 's/\x1b\[[0-9;]*m//g; s/\r//g' "$1" | awk '
    /^### unit .* begin$/ { f = $3; sub(/\.tcl$/, "", f); cur = f; order[++n] = f; ok[f] = 0; bad[f] = 0
                            status[f] = "cut-short"; secs[f] = "-"; next }
    /^### unit .* end / { f = $3; sub(/\.tcl$/, "", f); status[f] = $5; secs[f] = $6; cur = ""; next }
    cur != "" && /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]> .*: OK$/ { ok[cur]++ }
    cur != "" && /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]> .*: FAILED: / { bad[cur]++ }
    END { for (i = 1; i <= n; i++) { f = order[i]; print f, status[f], secs[f], ok[f], bad[f], (status[f] == "error" ? 1 : 0) } }'
}

# unit_failures LOG: "file<TAB>kind<TAB>test<TAB>message" for each failed test. A Tcl error's message is on the
# "FAILED: caught an error in the test" line the harness prints after the file's end.
unit_failures() {
  sed 's/\x1b\[[0-9;]*m//g; s/\r//g' "$1" | awk '
    /^### unit .* begin$/ { cur = $3; sub(/\.tcl$/, "", cur); test = "(outside a test)"; next }
    /^### unit .* end / { last = cur; lastStatus = $5; cur = ""; next }
    /^FAILED: caught an error in the test / && lastStatus == "error" { msg = $0; sub(/^FAILED: caught an error in the test /, "", msg)
      getline more; print last "\texception\t" test "\t" msg " " more; lastStatus = ""; next }
    /^WARNING: Aborting the test/ { getline m; print (cur == "" ? "-" : cur) "\taborted\t" test "\t" m; next }
    cur == "" { next }
    /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]> / { line = $0; sub(/^[0-9:]+> /, "", line); test = line; sub(/: (OK|FAILED: .*)?$/, "", test)
      if (match(line, /: FAILED: .*$/)) print cur "\tfailed\t" test "\t" substr(line, RSTART + 10) }' | cut -c1-400
}

# run_target TARGET: every file against TARGET, one suite run after another until each file has begun.
run_target() {
  local target=$1 dir=$RUNDIR/$1 n=0 remaining=("${FILES[@]}")
  mkdir -p "$dir"
  make_tree "$dir/tree" "$target"
  CURRENT_TREE=$dir/tree
  while [ "${#remaining[@]}" -gt 0 ]; do
    n=$((n + 1))
    local log=$dir/suite-$n.log args=(--dont-clean) f
    for f in "${remaining[@]}"; do args+=(--single "$f.tcl"); done
    say "$target: suite run $n: ${remaining[*]}"
    echo "# against $target: runtest-cluster ${args[*]}" > "$log"
    rm -rf "$dir/tree/tests/cluster/tmp" && mkdir -p "$dir/tree/tests/cluster/tmp"
    # The overall cap: every file's limit, and --start-timeout for starting the instances.
    (cd "$dir/tree" && TERM=dumb exec timeout -k 10 $((FILE_TIMEOUT * ${#remaining[@]} + START_TIMEOUT)) "$TCLSH" "$WRAPPER" \
      "${args[@]}") >> "$log" 2>&1 &
    HARNESS_PID=$!
    local current= since=$SECONDS killed= started=$SECONDS
    while kill -0 "$HARNESS_PID" 2> /dev/null; do
      sleep 2
      local last; last=$(grep '^### unit ' "$log" | tail -n 1)
      if [ -z "$last" ] && [ $((SECONDS - started)) -ge "$START_TIMEOUT" ]; then
        say "$target: the instances did not start within ${START_TIMEOUT}s (--start-timeout); stopping this suite run"
        echo "### killed: the instances did not start within ${START_TIMEOUT}s" >> "$log"
        break
      fi
      if [[ "$last" == *" begin" ]]; then
        local name=${last#\#\#\# unit }; name=${name% begin}
        [ "$name" = "$current" ] || { current=$name; since=$SECONDS; }
        if [ $((SECONDS - since)) -ge "$FILE_TIMEOUT" ]; then
          killed=${current%.tcl}
          say "$target: $killed did not end within ${FILE_TIMEOUT}s; stopping this suite run"
          echo "### killed: $killed did not end within ${FILE_TIMEOUT}s" >> "$log"
          break
        fi
      else
        current=
      fi
    done
    stop_harness
    kill_leftovers "$dir/tree"
    # The instances' folders (their logs), kept per suite run.
    mkdir -p "$dir/instances-$n"
    mv "$dir/tree/tests/cluster/tmp"/* "$dir/instances-$n"/ 2> /dev/null
    find "$dir/instances-$n" -name appendonlydir -type d -prune -exec rm -rf {} + 2> /dev/null
    local begun=() file status secs ok bad exc
    while read -r file status secs ok bad exc; do
      begun+=("$file")
      [ "$file" = "$killed" ] && status="killed-after-${FILE_TIMEOUT}s"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$file" "$target" "$ok" "$bad" "$exc" "$secs" "$status" >> "$RESULTS"
      say "  $file $target: ok $ok, failed $bad, exception $exc, ${secs}s, $status"
    done < <(unit_results "$log")
    unit_failures "$log" | sed "s|^|$target\t|" >> "$FAILURES"
    if [ "${#begun[@]}" -eq 0 ]; then
      say "$target: the suite began no file (see $log); giving up on: ${remaining[*]}"
      for f in "${remaining[@]}"; do
        printf '%s\t%s\t0\t0\t0\t-\tnot-run\n' "$f" "$target" >> "$RESULTS"
      done
      return
    fi
    local left=()
    for f in "${remaining[@]}"; do [[ " ${begun[*]} " == *" $f "* ]] || left+=("$f"); done
    remaining=("${left[@]}")
  done
}

# ---------------------------------------------------------------------------------------------------------
# The table

table() { # table RUNDIR
  local results=$1/results.tsv targets files f t row header sep
  [ -f "$results" ] || fail "no results.tsv in $1"
  targets=$(cut -f2 "$results" | awk '!seen[$0]++' | tr '\n' ' ')
  files=$(cut -f1 "$results" | awk '!seen[$0]++')
  header="| file |"; sep="|---|"
  for t in node redis; do
    [[ " $targets " == *" $t "* ]] || continue
    [ "$t" = node ] && header+=" node |" || header+=" redis-server |"
    sep+="---|"
  done
  echo "$header"; echo "$sep"
  for f in $files; do
    row="| $f |"
    for t in node redis; do
      [[ " $targets " == *" $t "* ]] || continue
      row+=" $(awk -F'\t' -v f="$f" -v t="$t" '
        $1 == f && $2 == t { c = $3 "/" $4 "/" $5 " (" $6 "s)"
          if ($7 != "finished") { st = $7; gsub(/-/, " ", st); c = c " **" st "**" }
          print c; found = 1 }
        END { if (!found) print "–" }' "$results") |"
    done
    echo "$row"
  done
}

# ---------------------------------------------------------------------------------------------------------

fetch
need_tcl
if [ "$LIST_ONLY" = 1 ]; then all_files; exit 0; fi
if [ -n "$TABLE_ONLY" ]; then
  echo "Each cell: ok/failed/exception (seconds); a file that did not run to its end says how."
  echo
  table "$TABLE_ONLY"
  exit 0
fi
resolve_files
command -v redis-cli > /dev/null || fail "redis-cli is missing (apt-get install redis-tools)"
if [[ " $TARGETS " == *" redis "* ]]; then
  [ -x "$REDIS_SERVER" ] || fail "$REDIS_SERVER is missing (apt-get install redis-server), or use --target node"
  "$REDIS_SERVER" --version | grep -q "v=$REDIS_VERSION" || fail "$REDIS_SERVER is not $REDIS_VERSION"
fi
if [[ " $TARGETS " == *" node "* ]]; then
  build_if_needed
  make_class_archive
fi

RUNDIR=$CACHE/runs/$(date -u +%Y%m%dT%H%M%SZ)-cluster
mkdir -p "$RUNDIR" || fail "cannot create $RUNDIR"
RESULTS=$RUNDIR/results.tsv
FAILURES=$RUNDIR/failures.tsv
: > "$RESULTS"; : > "$FAILURES"
{
  echo "Cluster suite run of $(date -u '+%Y-%m-%d %H:%M UTC') on $(git rev-parse --abbrev-ref HEAD 2> /dev/null) at" \
    "$(git rev-parse --short HEAD 2> /dev/null); Redis's test suite: $(cat "$TREE/.akka-redis-tests");" \
    "redis-server: $("$REDIS_SERVER" --version 2> /dev/null | awk '{print $3}'); file time limit ${FILE_TIMEOUT}s;" \
    "${#FILES[@]} file(s)."
} > "$RUNDIR/header.txt"
say "run folder: $RUNDIR"
for target in $TARGETS; do run_target "$target"; done

echo
cat "$RUNDIR/header.txt"
echo
echo "Each cell: ok/failed/exception (seconds); a file that did not run to its end says how."
echo
table "$RUNDIR"
if [ -s "$FAILURES" ]; then
  echo
  echo "Failures (target, file, kind, test, message):"
  cat "$FAILURES"
fi
if [ "$STRICT" = 1 ]; then
  bad=$(awk -F'\t' '$2 == "node" && ($4 > 0 || $5 > 0 || $7 != "finished")' "$RESULTS")
  awk -F'\t' '$2 == "node" { ok += $3; failed += $4 + $5; if ($7 != "finished" && $7 != "stopped-at-failure" && $7 != "error") cut++ }
    END { printf "redis-cluster-tests: %d passed, %d failed, %d file(s) stopped or not run\n", ok, failed, cut }' "$RESULTS"
  if [ -n "$bad" ]; then
    say "--strict: these files did not pass against the node (details above, and in $RUNDIR):"
    echo "$bad" | awk -F'\t' '{
      if ($7 ~ /^killed-after-/) { t = $7; sub(/^killed-after-/, "", t); why = "did not end within " t " (--file-timeout): stopped, its instances killed" }
      else if ($7 == "not-run") why = "not run: the suite began no file (the instances did not start?)"
      else if ($7 == "cut-short") why = "cut short: the suite run ended inside it"
      else if ($7 == "error") why = "a Tcl error (an unexpected reply) ended it"
      else if ($7 == "stopped-at-failure") why = "stopped at a failed test"
      else why = "a test failed"
      printf "  %s: %s; %s ok, %s failed, %s exception\n", $1, why, $3, $4, $5 }' >&2
    exit 1
  fi
fi
exit 0
