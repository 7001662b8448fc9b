#!/usr/bin/env bash
# The short Gatling run for CI: the cache simulation for 5 s with 10 users against the local cluster, which
# loadtest/gatling.sh starts and stops when none runs. Exits non-zero when the run fails or an assertion does
# (errors < 1 %, p99 < 500 ms: loose, as CI's machine is shared). About a minute with the cluster's start.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5} USERS=${USERS:-10} P99_MS=${P99_MS:-500} exec bash loadtest/gatling.sh cache "$@"
