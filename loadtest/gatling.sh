#!/usr/bin/env bash
# Runs one Gatling simulation (loadtest/gatling/, a Maven module of its own) against the local six-node cluster
# of scripts/cluster.sh, and leaves Gatling's HTML report in loadtest/gatling/target/gatling/<simulation>-<time>/
# (loadtest/gatling/target/gatling/latest links the newest). Starts the cluster if it is not running, and then
# stops it at the end; a cluster that already ran is left running.
#   bash loadtest/gatling.sh cache|session|queue|failover [extra -Dname=value for the run]
# Knobs (environment): DURATION seconds of load (default 30), USERS concurrent virtual users (default 20),
# P99_MS the p99 assertion in ms (default 250), ERRORS_PERCENT the failed-requests assertion (default 1,
# failover 25), KEYS distinct keys (default 10000). A failed assertion makes the script exit non-zero.
#   bash loadtest/gatling-short.sh     the short run for CI (5 s of load; about a minute with the cluster start)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

say() { echo "gatling.sh: $*"; }
fail() { echo "gatling.sh: $*" >&2; exit 1; }

case "${1:-}" in
  cache) simulation=CacheSimulation ;;
  session) simulation=SessionStoreSimulation ;;
  queue) simulation=WorkQueueSimulation ;;
  failover) simulation=FailoverSimulation ;;
  *) fail "usage: bash loadtest/gatling.sh cache|session|queue|failover [-Dname=value ...]" ;;
esac
shift
command -v mvn > /dev/null || fail "mvn is missing"

PORT_BASE=${PORT_BASE:-7001}
started_cluster=no
if [ "$(timeout 5 redis-cli -p "$PORT_BASE" ping 2>/dev/null)" != PONG ]; then
  say "no node answers on $PORT_BASE: starting the cluster (bash scripts/cluster.sh start)"
  bash scripts/cluster.sh start > /dev/null || fail "the cluster did not start; see bash scripts/cluster.sh status"
  started_cluster=yes
fi
stop_cluster() {
  if [ "$started_cluster" = yes ]; then
    say "stopping the cluster it started"
    bash scripts/cluster.sh stop > /dev/null
  fi
  say "took $SECONDS s"
}
trap stop_cluster EXIT

properties=(
  "-Dsimulation=org.akkaredis.loadtest.$simulation"
  "-Dredis.seeds=127.0.0.1:$PORT_BASE,127.0.0.1:$((PORT_BASE + 1)),127.0.0.1:$((PORT_BASE + 2))"
  "-Dcluster.data=$ROOT/data"
  "-Dduration=${DURATION:-30}"
  "-Dusers=${USERS:-20}"
  "-Dp99.ms=${P99_MS:-250}"
  "-Dkeys=${KEYS:-10000}"
)
[ -n "${ERRORS_PERCENT:-}" ] && properties+=("-Derrors.percent=$ERRORS_PERCENT")

say "cluster ready after $SECONDS s; running $simulation (${DURATION:-30} s, ${USERS:-20} users)"
# MVN_GOALS="test gatling:test" runs the module's unit tests first (loadtest/gatling-short.sh does).
(cd loadtest/gatling && mvn -B -q ${MVN_GOALS:-gatling:test} "${properties[@]}" "$@")
status=$?

if [ "$simulation" = FailoverSimulation ]; then
  # The killed master comes back (as a replica of the promoted one) so the next run finds six nodes.
  say "restarting the killed node"
  bash scripts/cluster.sh start > /dev/null || say "the killed node did not come back; see bash scripts/cluster.sh status"
fi

reports=loadtest/gatling/target/gatling
latest=$(ls -td "$reports"/*/ 2>/dev/null | grep -v '/latest/$' | head -n 1)
if [ -n "$latest" ]; then
  ln -sfn "$(basename "$latest")" "$reports/latest"
  say "report: $ROOT/${latest%/}/index.html (also $reports/latest/index.html)"
fi
[ "$status" -eq 0 ] || fail "$simulation failed (an assertion or the run itself; see above)"
