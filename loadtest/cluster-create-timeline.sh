#!/usr/bin/env bash
# The timeline of one `redis-cli --cluster create` of six fresh nodes (KIND=node, the default, or KIND=redis):
# starts them as cluster-create-time.sh does, then cluster-create-timeline.py creates the cluster and prints what
# every node's CLUSTER INFO / NODES say whenever it changes (polled every 20 ms), in ms since the create started.
# The nodes' logs follow (KEEP_LOGS=1 keeps the folder).
#   loadtest/cluster-create-timeline.sh
set -uo pipefail
cd "$(dirname "$0")/.."
KIND=${KIND:-node}
source loadtest/cluster-lib.sh
trap cleanup_clusters EXIT
# Piped into head, the script would die of SIGPIPE before its cleanup and leave six nodes running (and, run under
# flock, the daemonized redis-servers holding the lock): ignored, the rest of the output is lost but the nodes go.
trap '' PIPE
start_cluster_nodes "$KIND"
mapfile -t ports < <(ports_of "$KIND")
python3 loadtest/cluster-create-timeline.py "${ports[@]}"
for port in "${ports[@]}"; do
  echo "--- $KIND $port log"
  grep -v '^\s*$' "$WORK/$KIND-$port/node.log" | tail -n 40
done
