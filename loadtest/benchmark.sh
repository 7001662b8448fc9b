#!/usr/bin/env bash
# Side-by-side throughput of redis-server and one or more builds of the akka-redis-cluster node on this machine,
# as ratios: issue 18's table. Every test is `redis-benchmark -c CLIENTS -n REQUESTS -r 100000 -t <test> -P <p>
# --csv` (random keys), at -P 1 and -P 16, against each server in turn (redis, then each jar), ROUNDS rounds
# (default 3); each cell is the median of its rounds, as this machine's neighbours move single runs by 10-20%. One
# unmeasured -P 16 and -P 1 run of SET and GET warms each node up first. Columns: redis-rps, then for each jar in
# JARS its rps and its rps / redis-rps. Servers run on loopback with save "" (no snapshots).
#   loadtest/benchmark.sh [requests per test, default 200000] [clients, default 50]
# What runs (MODE, default standalone):
#   standalone  redis-server and one node per jar, cluster-enabled no, appendonly no; TESTS (redis-benchmark -t
#               names; default set get incr hset lpush sadd zadd)
#   aof         the same with appendonly yes, appendfsync everysec (each server its own fresh folder)
#   replica     each server with a replica of its own kind attached: as the node replicates only in cluster mode
#               (it has no REPLICAOF), a cluster of two, one master holding all 16384 slots (CLUSTER ADDSLOTSRANGE)
#               and its replica (CLUSTER MEET, CLUSTER REPLICATE), of redis-server and one per jar, all up at once,
#               measured once every replica says master_link_status:up; redis-benchmark without --cluster against
#               the master (every key is its own); TESTS default as standalone; SETTINGS are not passed
#   cluster     a six-node cluster (3 masters + 3 replicas, redis-cli --cluster create --cluster-replicas 1,
#               cluster-node-timeout 5000) of redis-server and one of nodes per jar, all up at once;
#               `redis-benchmark --cluster` against the first node of each; TESTS default set get
#   taskset     standalone, once per entry of CORES (default "1 2"): every server started under taskset on cpus
#               0..k-1 and redis-benchmark on the cpus after those (k..nproc-1; all cpus when none are left: on 2
#               cores, the 1-core run has the servers on cpu 0 and redis-benchmark on cpu 1, the 2-core run shares
#               both); then each server's rps at k cores / its rps at the first entry of CORES
# Knobs (environment):
#   JARS="/work/baseline/akka-redis-cluster-a98fcb6.jar target/akka-redis-cluster.jar"   node builds to compare
#                (default target/akka-redis-cluster.jar); a column's name is the jar's name less
#                "akka-redis-cluster-" and ".jar" ("target" for target/akka-redis-cluster.jar)
#   TESTS, ROUNDS, PIPELINES (default "1 16"), KEYSPACE (-r, default 100000)
#   SETTINGS / REDIS_SETTINGS / NODE_SETTINGS   more settings for both / redis-server / the nodes, e.g.
#                NODE_SETTINGS="--io-threads 2"; MODE=aof is SETTINGS="--appendonly yes --appendfsync everysec"
#   REDIS_PORT (16379), NODE_PORT (16380; the k-th jar NODE_PORT + k) in standalone, aof and taskset modes;
#   REDIS_BASE / NODE_BASE (21001 / 22001; the k-th jar's cluster NODE_BASE + 100 k) in cluster and replica modes
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-${REQUESTS:-200000}}
CLIENTS=${2:-${CLIENTS:-50}}
MODE=${MODE:-standalone}
KEYSPACE=${KEYSPACE:-100000}
PIPELINES=${PIPELINES:-1 16}
CORES=${CORES:-1 2}
REDIS_PORT=${REDIS_PORT:-16379}
NODE_PORT=${NODE_PORT:-16380}
case "$MODE" in
  standalone | replica | taskset) TESTS=${TESTS:-set get incr hset lpush sadd zadd} ;;
  aof) TESTS=${TESTS:-set get incr hset lpush sadd zadd}; SETTINGS="--appendonly yes --appendfsync everysec ${SETTINGS:-}" ;;
  cluster) TESTS=${TESTS:-set get} ;;
  *) echo "MODE is standalone, aof, replica, cluster or taskset, not '$MODE'" >&2; exit 1 ;;
esac
read -ra JAR_LIST <<< "${JARS:-target/akka-redis-cluster.jar}"
read -ra REDIS_EXTRA <<< "${SETTINGS:-} ${REDIS_SETTINGS:-}"
read -ra NODE_EXTRA <<< "${SETTINGS:-} ${NODE_SETTINGS:-}"
source loadtest/pair-lib.sh
BENCH_OPTS="-r $KEYSPACE"
for jar in "${JAR_LIST[@]}"; do [ -f "$jar" ] || { echo "no jar at $jar" >&2; exit 1; }; done

# The column name of jar $1.
jar_name() {
  local name; name=$(basename "$1" .jar)
  name=${name#akka-redis-cluster-}
  [ "$name" != akka-redis-cluster ] || name=$(basename "$(dirname "$1")")
  echo "${name:0:12}"
}

# Starts redis-server on port $1 and a node per jar on $2, $2 + 1, ... in fresh folders, and waits until all answer.
start_servers() {
  local redis_port=$1 node_port=$2 i port
  start_server redis "$redis_port" "$WORK/redis-$redis_port" "$WORK/redis-$redis_port.log" "${REDIS_EXTRA[@]}"
  for i in "${!JAR_LIST[@]}"; do
    port=$((node_port + i))
    JAR=${JAR_LIST[$i]} start_server node "$port" "$WORK/node-$port" "$WORK/node-$port.log" "${NODE_EXTRA[@]}"
  done
  for port in $(server_ports "$redis_port" "$node_port"); do wait_for "$port"; done
}

# Waits (up to 60 s) until the replica on port $1 says master_link_status:up.
wait_linked() {
  local deadline=$((SECONDS + 60))
  until timeout 10 redis-cli -p "$1" info replication 2>/dev/null | tr -d '\r' | grep -qx 'master_link_status:up'; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "the replica on port $1 did not link to its master in 60 s" >&2; exit 1; }
    sleep 0.2
  done
}

stop_servers() {
  local port
  for port in "${!SERVER_PIDS[@]}"; do stop_server "$port"; done
}

server_ports() {
  local i
  echo "$1"
  for i in "${!JAR_LIST[@]}"; do echo $(($2 + i)); done
}

header() {
  local line jar
  line=$(printf "%-${LABEL_WIDTH}s %8s %12s" "$1" pipeline redis-rps)
  for jar in "${JAR_LIST[@]}"; do line+=$(printf " %16s %6s" "$(jar_name "$jar")-rps" ratio); done
  echo "$line"
}

# One row: test $3 at pipeline $2 against the servers on ports $4..., ROUNDS rounds in turn; the medians and each
# node's ratio to the first (redis). Keeps the medians in MEDIANS[$1,$2,<column>] for the scaling table.
declare -A MEDIANS=() SCALING=()
row() {
  local label=$1 pipeline=$2 test=$3 column
  shift 3
  local ports=("$@")
  for column in "${!ports[@]}"; do : > "$WORK/rps-$column.txt"; done
  for _ in $(seq "$ROUNDS"); do
    for column in "${!ports[@]}"; do bench "${ports[$column]}" "$pipeline" "$test" >> "$WORK/rps-$column.txt"; done
  done
  local line redis value
  redis=$(median < "$WORK/rps-0.txt")
  MEDIANS[$label,$pipeline,0]=$redis
  line=$(printf "%-${LABEL_WIDTH}s %8s %12.0f" "$label" "$pipeline" "$redis")
  for ((column = 1; column < ${#ports[@]}; column++)); do
    value=$(median < "$WORK/rps-$column.txt")
    MEDIANS[$label,$pipeline,$column]=$value
    line+=$(awk -v n="$value" -v r="$redis" 'BEGIN { printf " %16.0f %6.2f", n, n / r }')
  done
  echo "$line"
}

# Warms every node up, then the table of TESTS x PIPELINES against the servers on ports $@ (redis first).
table() {
  local ports=("$@") port pipeline test
  for port in "${ports[@]:1}"; do warm_up_node set,get "$port"; done
  header test
  for pipeline in $PIPELINES; do
    for test in $TESTS; do row "${test^^}" "$pipeline" "$test" "${ports[@]}"; done
  done
}

footer() {
  local jar
  echo "($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), MODE=$MODE, redis-benchmark -c $CLIENTS" \
    "-n $REQUESTS -r $KEYSPACE, median of $ROUNDS alternating rounds; redis-server $(redis_version);" \
    "settings: redis ${REDIS_EXTRA[*]:-(defaults)}, nodes ${NODE_EXTRA[*]:-(defaults)})"
  for jar in "${JAR_LIST[@]}"; do echo "  $(jar_name "$jar"): $jar"; done
}

# A taskset cpu list: cpus $1 to $2.
cpu_range() { if [ "$1" = "$2" ]; then echo "$1"; else echo "$1-$2"; fi; }

# The cpus after the first $1 (k..nproc-1), or all when none are left.
cpus_after() {
  local total; total=$(nproc)
  if [ "$1" -lt "$total" ]; then cpu_range "$1" $((total - 1)); else cpu_range 0 $((total - 1)); fi
}

# MODE=replica: two fresh cluster nodes of kind $1 (cluster-lib.sh, NODES=2), the first holding every slot and
# the second its replica; returns once the replica's link is up and the master says cluster_state:ok.
form_master_with_replica() {
  local master replica id deadline=$((SECONDS + 120))
  master=$(base_of "$1")
  replica=$((master + 1))
  start_cluster_nodes "$1"
  [ "$(cli "$master" cluster addslotsrange 0 16383)" = OK ] || { echo "$1: ADDSLOTSRANGE failed" >&2; exit 1; }
  id=$(cli "$master" cluster myid)
  cli "$replica" cluster meet 127.0.0.1 "$master" > /dev/null
  until [ "$(cli "$replica" cluster replicate "$id")" = OK ]; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "$1: $replica would not replicate $master in 120 s" >&2; exit 1; }
    sleep 0.2
  done
  wait_linked "$replica"
  until cli "$master" cluster info | grep -q '^cluster_state:ok'; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "$1: no cluster_state:ok on $master in 120 s" >&2; exit 1; }
    sleep 0.2
  done
}

case "$MODE" in
  standalone | aof)
    start_servers "$REDIS_PORT" "$NODE_PORT"
    table $(server_ports "$REDIS_PORT" "$NODE_PORT")
    footer
    ;;
  taskset)
    read -ra core_counts <<< "$CORES"
    [ "${core_counts[-1]}" -le "$(nproc)" ] || { echo "CORES asks for more than $(nproc) cpus" >&2; exit 1; }
    for cores in "${core_counts[@]}"; do
      SERVER_CPUS=$(cpu_range 0 $((cores - 1)))
      BENCH_CPUS=$(cpus_after "$cores")
      echo "servers on cpus $SERVER_CPUS, redis-benchmark on cpus $BENCH_CPUS"
      start_servers "$REDIS_PORT" "$NODE_PORT"
      table $(server_ports "$REDIS_PORT" "$NODE_PORT")
      stop_servers
      for key in "${!MEDIANS[@]}"; do SCALING[$cores,$key]=${MEDIANS[$key]}; done
      echo
    done
    # Each server against itself on the first entry of CORES: how it scales with cores.
    first=${core_counts[0]}
    echo "scaling: each server's rps at k cores / its rps at $first core(s)"
    line=$(printf "%-8s %8s %5s %8s" test pipeline cores redis)
    for jar in "${JAR_LIST[@]}"; do line+=$(printf " %12s" "$(jar_name "$jar")"); done
    echo "$line"
    for pipeline in $PIPELINES; do
      for test in $TESTS; do
        for cores in "${core_counts[@]:1}"; do
          line=$(printf "%-8s %8s %5s" "${test^^}" "$pipeline" "$cores")
          for ((column = 0; column <= ${#JAR_LIST[@]}; column++)); do
            line+=$(awk -v a="${SCALING[$cores,${test^^},$pipeline,$column]}" \
              -v b="${SCALING[$first,${test^^},$pipeline,$column]}" -v w=$((column == 0 ? 8 : 12)) \
              'BEGIN { printf " %" w ".2f", a / b }')
          done
          echo "$line"
        done
      done
    done
    footer
    ;;
  cluster | replica)
    # cluster-lib.sh brings its own temporary folder: the pair's holds everything, and one exit trap stops both.
    PAIR_WORK=$WORK
    [ "$MODE" = cluster ] || NODES=2
    source loadtest/cluster-lib.sh
    rmdir "$WORK"
    WORK=$PAIR_WORK
    stop_clusters() {
      local i
      stop_cluster_nodes redis
      for i in "${!JAR_LIST[@]}"; do NODE_BASE=$((CLUSTER_NODE_BASE + 100 * i)) stop_cluster_nodes node; done
    }
    trap 'set +e; stop_clusters; cleanup' EXIT
    CLUSTER_NODE_BASE=$NODE_BASE
    [ "${#REDIS_EXTRA[@]}" = 0 ] && [ "${#NODE_EXTRA[@]}" = 0 ] \
      || echo "note: settings are not passed to cluster nodes (cluster-lib.sh starts them)" >&2
    form() { if [ "$MODE" = cluster ]; then form_linked_cluster "$1"; else form_master_with_replica "$1"; fi; }
    echo "forming the redis cluster at $REDIS_BASE" >&2
    form redis
    ports=("$REDIS_BASE")
    for i in "${!JAR_LIST[@]}"; do
      echo "forming the node cluster at $((CLUSTER_NODE_BASE + 100 * i)) (${JAR_LIST[$i]})" >&2
      NODE_BASE=$((CLUSTER_NODE_BASE + 100 * i)) JAR=${JAR_LIST[$i]} form node
      ports+=($((CLUSTER_NODE_BASE + 100 * i)))
    done
    [ "$MODE" = replica ] || BENCH_OPTS="$BENCH_OPTS --cluster"
    table "${ports[@]}"
    footer
    ;;
esac
