#!/usr/bin/env bash
# The local six-node cluster: 3 masters and 3 replicas on 127.0.0.1, ports 7001-7006 (bus ports 17001-17006).
#   bash scripts/cluster.sh start    build the jar if it is missing or older than the sources, start the six
#                                    nodes, create the cluster with redis-cli --cluster create the first time,
#                                    wait for cluster_state:ok on all six and print CLUSTER NODES
#   bash scripts/cluster.sh stop     SHUTDOWN to every node (the pid file's process is killed if that fails)
#   bash scripts/cluster.sh status   which nodes run, and CLUSTER NODES
# The nodes start with the class-data sharing archive when `bash scripts/cds-archive.sh` made one from the current
# jar (about 40% sooner to their first PONG; README, "Start-up time").
# Each node keeps its nodes.conf, log (node.log) and pid file (node.pid) in data/<port>/; a stopped cluster
# started again comes back from its nodes.conf files, without a second create. `rm -rf data` after `stop`
# forgets it. PORT_BASE=7101 moves the six nodes to 7101-7106 (the bus to 17101-17106).
set -uo pipefail
cd "$(dirname "$0")/.."

PORT_BASE=${PORT_BASE:-7001}
PORTS=$(seq "$PORT_BASE" $((PORT_BASE + 5)))
source scripts/jar-lib.sh
START_TIMEOUT=${START_TIMEOUT:-60}     # seconds for a node to answer PING, and for the cluster to be ok
CREATE_TIMEOUT=${CREATE_TIMEOUT:-120}  # seconds for redis-cli --cluster create (it would wait forever)
STOP_TIMEOUT=${STOP_TIMEOUT:-20}       # seconds for a node to exit after SHUTDOWN or SIGTERM

say() { echo "cluster.sh: $*"; }
fail() { echo "cluster.sh: $*" >&2; exit 1; }

cli() { local port=$1; shift; timeout 10 redis-cli -p "$port" "$@" 2>/dev/null; }
pid_of() { [ -f "data/$1/node.pid" ] && cat "data/$1/node.pid"; }
# The pid file's process runs and is one of our nodes (not another process that got the pid since).
alive() { local pid; pid=$(pid_of "$1") && [ -n "$pid" ] && ps -p "$pid" -o args= 2>/dev/null | grep -q "$JAR"; }
answers_ping() { [ "$(cli "$1" ping)" = PONG ]; }
info_field() { cli "$1" cluster info | tr -d '\r' | sed -n "s/^$2://p"; }

# Polls "$@" every 0.1 s until it succeeds or $1 seconds have passed.
wait_until() {
  local seconds=$1; shift
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.1
  done
}

need_tools() {
  for tool in java redis-cli; do
    command -v "$tool" >/dev/null || fail "$tool is missing (redis-cli: apt-get install -y redis-tools)"
  done
}


start_node() {
  local port=$1 dir="data/$1" conf="conf/node-$1.conf"
  if alive "$port"; then
    say "node $port already runs (pid $(pid_of "$port"))"
    return
  fi
  # Ports outside 7001-7006 take node-7001.conf with their own port and dir.
  [ -f "$conf" ] || conf=conf/node-7001.conf
  mkdir -p "$dir"
  nohup java $(archive_option) -jar "$JAR" "$conf" --port "$port" --dir "$dir" >> "$dir/node.log" 2>&1 < /dev/null &
  echo $! > "$dir/node.pid"
}

node_up() { alive "$1" && answers_ping "$1"; }

start() {
  need_tools
  build_if_needed
  for port in $PORTS; do start_node "$port"; done
  for port in $PORTS; do
    if ! wait_until "$START_TIMEOUT" node_up "$port"; then
      if alive "$port"; then
        fail "node $port did not answer PING within ${START_TIMEOUT}s; see data/$port/node.log"
      fi
      # The node's own one-line reason is the log's last line without a timestamp.
      local reason; reason=$(grep -v '^[0-9][0-9] [A-Z][a-z][a-z] ' "data/$port/node.log" | tail -n 1)
      fail "node $port exited at start${reason:+: $reason}; see data/$port/node.log"
    fi
  done
  say "six nodes answer PING on ports $PORT_BASE-$((PORT_BASE + 5))"

  local alone=0
  for port in $PORTS; do [ "$(info_field "$port" cluster_known_nodes)" = 1 ] && alone=$((alone + 1)); done
  if [ "$alone" -eq 6 ]; then
    local addresses=()
    for port in $PORTS; do addresses+=("127.0.0.1:$port"); done
    say "creating the cluster: redis-cli --cluster create ${addresses[*]} --cluster-replicas 1 (log: data/cluster-create.log)"
    timeout "$CREATE_TIMEOUT" redis-cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes \
      > data/cluster-create.log 2>&1
    local created=$?
    if [ "$created" -eq 124 ]; then
      fail "redis-cli --cluster create did not finish within ${CREATE_TIMEOUT}s (the nodes did not all meet);" \
        "see data/cluster-create.log, bash scripts/cluster.sh status and data/<port>/node.log"
    elif [ "$created" -ne 0 ] || ! grep -q 'All 16384 slots covered' data/cluster-create.log; then
      fail "redis-cli --cluster create failed; see data/cluster-create.log and data/<port>/node.log"
    fi
  elif [ "$alone" -gt 0 ]; then
    fail "$alone of the six nodes know no other node while the others do: their data/<port> folders are" \
      "not from one cluster; run 'bash scripts/cluster.sh stop && rm -rf data' to start afresh"
  else
    say "the six nodes are a cluster already (each keeps it in data/<port>/nodes.conf)"
  fi

  for port in $PORTS; do
    if ! wait_until "$START_TIMEOUT" cluster_ok "$port"; then
      fail "node $port is not cluster_state:ok after ${START_TIMEOUT}s" \
        "($(cli "$port" cluster info | tr -d '\r' | grep -E '^cluster_(state|known_nodes|slots_ok)' | tr '\n' ' '));" \
        "see data/$port/node.log"
    fi
  done
  # cluster_state:ok needs the slots only; the replicas' roles reach every node by gossip a little later.
  if ! wait_until "$START_TIMEOUT" views_agree; then
    fail "the six nodes do not agree on the masters, replicas and slots after ${START_TIMEOUT}s;" \
      "see bash scripts/cluster.sh status and data/<port>/node.log"
  fi
  say "cluster_state:ok on all six nodes; try: redis-cli -c -p $PORT_BASE"
  cli "$PORT_BASE" cluster nodes | sort -k2
}

# Each node's CLUSTER NODES as "id role master slots" lines, sorted; the same on all six.
view() { cli "$1" cluster nodes | awk '{ sub(/myself,/, "", $3); sub(/,.*/, "", $3); $2 = ""; $5 = $6 = $7 = $8 = ""; print }' | sort; }
views_agree() {
  local first; first=$(view "$PORT_BASE")
  [ -n "$first" ] || return 1
  for port in $PORTS; do [ "$(view "$port")" = "$first" ] || return 1; done
}

cluster_ok() { [ "$(info_field "$1" cluster_state)" = ok ]; }

# Every port that answers gets SHUTDOWN (as Redis's create-cluster script does); a node still running after
# STOP_TIMEOUT gets SIGTERM, then SIGKILL, by its pid file.
stop() {
  local failed=0 stopped=0 running=()
  for port in $PORTS; do
    if alive "$port" || answers_ping "$port"; then running+=("$port"); else rm -f "data/$port/node.pid"; fi
  done
  [ "${#running[@]}" -gt 0 ] || { say "no node was running"; return; }
  for port in "${running[@]}"; do cli "$port" shutdown > /dev/null & done
  wait
  for port in "${running[@]}"; do
    if ! wait_until "$STOP_TIMEOUT" down "$port"; then
      if ! alive "$port"; then
        echo "cluster.sh: port $port still answers after SHUTDOWN and data/$port/node.pid names no node" >&2
        failed=1
        continue
      fi
      local pid; pid=$(pid_of "$port")
      say "node $port (pid $pid) did not exit after SHUTDOWN; sending SIGTERM"
      kill "$pid" 2>/dev/null
      if ! wait_until "$STOP_TIMEOUT" not_alive "$port"; then
        say "node $port (pid $pid) did not exit after SIGTERM; sending SIGKILL"
        kill -9 "$pid" 2>/dev/null
        if ! wait_until 5 not_alive "$port"; then
          echo "cluster.sh: node $port (pid $pid) still runs; see data/$port/node.log" >&2
          failed=1
          continue
        fi
      fi
    fi
    rm -f "data/$port/node.pid"
    stopped=$((stopped + 1))
  done
  say "stopped $stopped node(s)"
  [ "$failed" -eq 0 ]
}

down() { ! alive "$1" && ! answers_ping "$1"; }
not_alive() { ! alive "$1"; }

status() {
  local running=0 first=
  for port in $PORTS; do
    if alive "$port"; then
      if answers_ping "$port"; then
        say "node $port runs (pid $(pid_of "$port")), cluster_state:$(info_field "$port" cluster_state)"
        running=$((running + 1))
        [ -n "$first" ] || first=$port
      else
        say "node $port runs (pid $(pid_of "$port")) but does not answer PING; see data/$port/node.log"
      fi
    elif answers_ping "$port"; then
      say "port $port answers, but not the node of data/$port/node.pid (started by hand?)"
    else
      say "node $port is not running"
    fi
  done
  [ -n "$first" ] || exit 1
  echo "CLUSTER NODES of node $first:"
  cli "$first" cluster nodes | sort -k2
  [ "$running" -eq 6 ]
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: bash scripts/cluster.sh start|stop|status" >&2; exit 2 ;;
esac
