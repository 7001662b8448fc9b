#!/usr/bin/env bash
# The short Gatling run for CI: the module's unit tests (ZipfTest, RedisErrorsTest), then the cache simulation
# for 5 s with 10 users against the local cluster, which loadtest/gatling.sh starts and stops when none runs.
# Exits non-zero when a test, the run or an assertion fails (errors < 1 %, p99 < 500 ms: loose, as CI's
# machine is shared). 48-59 s on the 2-core machine, the cluster's create and stop and the compile included.
# Arguments go to mvn: .ci/run gives -o (offline), having fetched and built the module while `mvn verify` ran.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5} USERS=${USERS:-10} P99_MS=${P99_MS:-500} MVN_GOALS="test gatling:test" exec bash loadtest/gatling.sh cache "$@"
