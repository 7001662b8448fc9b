#!/usr/bin/env bash
# Makes target/akka-redis-cluster.jsa, a class-data sharing archive of the node's classes (JDK 17's dynamic AppCDS):
# a node started with `java -XX:SharedArchiveFile=target/akka-redis-cluster.jsa -jar target/akka-redis-cluster.jar`
# maps the classes it needs from the archive instead of finding, verifying and linking them in the jar, and answers
# its first PONG sooner (loadtest/start-time.sh measures it). The archive is made by a training run: one node with
# -XX:ArchiveClassesAtExit meets a second node on the cluster bus (so the archive holds Akka remoting's association
# classes too), serves a few commands of each type and shuts down; the JVM writes the classes it loaded at exit.
# An archive belongs to one jar and one JDK: the JVM ignores it (with a warning) when either changed, so it is made
# again whenever the jar is newer.
#   bash scripts/cds-archive.sh          make it if it is missing or older than the jar (building the jar if needed)
#   bash scripts/cds-archive.sh --force  make it anyway
set -uo pipefail
cd "$(dirname "$0")/.."

say() { echo "cds-archive.sh: $*"; }
fail() { echo "cds-archive.sh: $*" >&2; exit 1; }
source scripts/jar-lib.sh
# Two free ports below Linux's ephemeral range, and their bus ports (+ 10000).
TRAIN_PORT=${TRAIN_PORT:-23401}

build_if_needed
if [ "${1:-}" != --force ] && [ -f "$ARCHIVE" ] && [ "$ARCHIVE" -nt "$JAR" ]; then
  exit 0
fi
for tool in java redis-cli ss; do command -v "$tool" > /dev/null || fail "$tool is missing"; done
ports=("$TRAIN_PORT" $((TRAIN_PORT + 1)))
for port in "${ports[@]}"; do
  ss -tlnH "sport = :$port or sport = :$((port + 10000))" | grep -q . && fail "port $port or $((port + 10000)) is in use; set TRAIN_PORT"
done

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null; done
  wait
  rm -rf "$WORK"
}
trap cleanup EXIT
cli() { local port=$1; shift; timeout 10 redis-cli -p "$port" "$@" 2> /dev/null; }
wait_until() {  # seconds, command...
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do [ "$SECONDS" -ge "$deadline" ] && return 1; sleep 0.1; done
}
pong() { [ "$(cli "$1" ping)" = PONG ]; }
met() { [ "$(cli "${ports[0]}" cluster info | tr -d '\r' | grep -c '^cluster_known_nodes:2')" = 1 ] \
  && cli "${ports[1]}" cluster nodes | grep -q "${ports[0]}.* connected" \
  && ! cli "${ports[0]}" cluster nodes | grep -q handshake; }

say "training run for $ARCHIVE (log: target/cds-archive.log)"
rm -f "$ARCHIVE" "$ARCHIVE.tmp"
for i in 0 1; do
  dir="$WORK/${ports[$i]}"
  mkdir -p "$dir"
  archive=()
  [ "$i" = 0 ] && archive=(-XX:ArchiveClassesAtExit="$ARCHIVE.tmp")
  java "${archive[@]}" -jar "$JAR" --port "${ports[$i]}" --bind 127.0.0.1 --cluster-enabled yes --save '' \
    --appendonly no --dir "$dir" > "$dir/node.log" 2>&1 < /dev/null &
  PIDS+=($!)
done
for port in "${ports[@]}"; do wait_until 120 pong "$port" || fail "node $port did not answer PING; see $WORK/$port/node.log"; done
cli "${ports[0]}" cluster meet 127.0.0.1 "${ports[1]}" > /dev/null
wait_until 120 met || fail "the two training nodes did not meet"
cli "${ports[0]}" cluster addslots $(seq 0 16383) > /dev/null
{
  for i in $(seq 50); do
    echo "SET k$i v$i"; echo "GET k$i"; echo "INCR n$i"; echo "HSET h$i f v"; echo "LPUSH l$i a b"; echo "SADD s$i a"
    echo "ZADD z$i 1 a"; echo "EXPIRE k$i 100"; echo "MGET k$i k$i"
  done
  echo "INFO"; echo "CLUSTER NODES"; echo "CLUSTER INFO"; echo "CLUSTER SLOTS"; echo "CLUSTER SHARDS"
} | cli "${ports[0]}" > /dev/null
# The JVM writes the archive as it exits (a normal exit, which SHUTDOWN is).
cli "${ports[0]}" shutdown nosave > /dev/null
wait "${PIDS[0]}"
status=$?
cli "${ports[1]}" shutdown nosave > /dev/null
wait "${PIDS[1]}"
PIDS=()
cat "$WORK/${ports[0]}/node.log" > target/cds-archive.log
[ "$status" = 0 ] && [ -s "$ARCHIVE.tmp" ] || fail "the training node exited with $status and wrote no archive; see target/cds-archive.log"
mv "$ARCHIVE.tmp" "$ARCHIVE"
say "made $ARCHIVE ($(du -m "$ARCHIVE" | cut -f1) MB); start nodes with java -XX:SharedArchiveFile=$ARCHIVE -jar $JAR"
