# Sourced by cluster-create-time.sh, bus-traffic.sh, failover-time.sh, replication-lag.sh and reshard.sh:
# clusters of NODES (default six) real redis-server 7.0 ("redis") or of our java nodes ("node") on loopback, each
# node in its own folder under $WORK, created with redis-cli --cluster create --cluster-replicas 1 (reshard.sh
# creates its own). Ports: REDIS_BASE (default 21001) and NODE_BASE (22001), NODES each, bus ports + 10000; all
# below Linux's ephemeral range (32768-60999), where outgoing connections could take them.
NODES=${NODES:-6}
REDIS_BASE=${REDIS_BASE:-21001}
NODE_BASE=${NODE_BASE:-22001}
NODE_TIMEOUT=5000
# JAR=... measures another build; NODE_JAVA_OPTS=-XX:SharedArchiveFile=target/akka-redis-cluster.jsa starts the
# nodes with the class-data sharing archive (scripts/cds-archive.sh).
JAR=${JAR:-target/akka-redis-cluster.jar}
NODE_JAVA_OPTS=${NODE_JAVA_OPTS:-}
WORK=$(mktemp -d)
declare -A PIDS=()  # port -> pid of every node this script started

for tool in redis-server redis-cli java ss; do
  command -v "$tool" >/dev/null || { echo "missing $tool (redis: apt-get install -y redis-server redis-tools)" >&2; exit 1; }
done
[ -f "$JAR" ] || mvn -B -q -DskipTests package

base_of() { if [ "$1" = redis ]; then echo "$REDIS_BASE"; else echo "$NODE_BASE"; fi; }
ports_of() { local base; base=$(base_of "$1"); seq "$base" $((base + NODES - 1)); }
cli() { local port=$1; shift; timeout 10 redis-cli -p "$port" "$@" 2>/dev/null; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

start_cluster_nodes() {
  local kind=$1 port
  # A process already there (a test's node, a leftover) would answer our PINGs and spoil the measurement; a
  # test on the same machine may hold one for a while.
  local deadline=$((SECONDS + 30))
  for port in $(ports_of "$kind"); do
    while ss -tlnH "sport = :$port or sport = :$((port + 10000))" | grep -q .; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        echo "port $port or $((port + 10000)) is in use; set REDIS_BASE / NODE_BASE to $NODES free ports:" >&2
        ss -tlnpH "sport = :$port or sport = :$((port + 10000))" >&2
        exit 1
      fi
      sleep 0.5
    done
  done
  for port in $(ports_of "$kind"); do
    rm -rf "$WORK/$kind-$port" && mkdir -p "$WORK/$kind-$port"
    start_node "$kind" "$port"
  done
  for port in $(ports_of "$kind"); do wait_node "$kind" "$port"; done
  return 0
}

# Starts one node in its folder, keeping what is there (nodes.conf), so a killed node can come back as itself.
start_node() {
  local kind=$1 port=$2 dir="$WORK/$1-$2"
  if [ "$kind" = redis ]; then
    redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file nodes.conf \
      --cluster-node-timeout "$NODE_TIMEOUT" --save '' --appendonly no --daemonize yes --dir "$dir" \
      --logfile "$dir/node.log" --pidfile "$dir/node.pid"
  else
    java $NODE_JAVA_OPTS -jar "$JAR" --port "$port" --bind 127.0.0.1 --cluster-enabled yes --cluster-node-timeout "$NODE_TIMEOUT" \
      --save '' --appendonly no --dir "$dir" >> "$dir/node.log" 2>&1 < /dev/null &
    PIDS[$port]=$!
  fi
}

# Waits until the node answers PING (up to 120 s); records a redis-server's pid from its pidfile.
wait_node() {
  local kind=$1 port=$2 tries=0
  until [ "$(cli "$port" ping)" = PONG ]; do
    tries=$((tries + 1))
    [ "$tries" -lt 1200 ] || { echo "$kind node $port did not answer PING; see $WORK/$kind-$port/node.log" >&2; exit 1; }
    sleep 0.1
  done
  if [ "$kind" = redis ]; then PIDS[$port]=$(cat "$WORK/$kind-$port/node.pid"); fi
  return 0
}

# Runs redis-cli --cluster create in the background; its pid in CREATE_PID, its output in $WORK/create-<kind>.log.
start_create() {
  local kind=$1 addresses=() port
  for port in $(ports_of "$kind"); do addresses+=("127.0.0.1:$port"); done
  redis-cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes > "$WORK/create-$kind.log" 2>&1 &
  CREATE_PID=$!
}

all_ok() {
  local port
  for port in $(ports_of "$1"); do
    cli "$port" cluster info | grep -q '^cluster_state:ok' || return 1
  done
}

# Waits (up to $2 seconds) until all six say cluster_state:ok and agree on every node's role, master and slots.
wait_settled() {
  local kind=$1 deadline=$((SECONDS + $2)) port first
  while [ "$SECONDS" -lt "$deadline" ]; do
    if all_ok "$kind"; then
      first=$(view "$(base_of "$kind")")
      local same=1
      for port in $(ports_of "$kind"); do [ "$(view "$port")" = "$first" ] || same=0; done
      [ "$same" = 1 ] && [ "$(grep -c ' slave ' <<< "$first")" = 3 ] && return 0
    fi
    sleep 0.2
  done
  return 1
}
view() { cli "$1" cluster nodes | awk '{ sub(/myself,/, "", $3); sub(/,.*/, "", $3); $2 = $5 = $6 = $7 = $8 = ""; print }' | sort; }

# Waits (up to $2 seconds) until every replica says master_link_status:up: a replica that has never synced
# will not fail over (its data counts as too old, cluster-replica-validity-factor).
wait_replicas_linked() {
  local kind=$1 deadline=$((SECONDS + $2)) port linked
  while [ "$SECONDS" -lt "$deadline" ]; do
    linked=0
    for port in $(ports_of "$kind"); do
      cli "$port" info replication | tr -d '\r' | grep -qx 'master_link_status:up' && linked=$((linked + 1))
    done
    [ "$linked" = 3 ] && return 0
    sleep 0.2
  done
  return 1
}

# The client port of the master that serves $2 in the view of node $1.
owner_of_slot() {
  cli "$1" cluster nodes | awk -v slot="$2" '
    $3 ~ /master/ {
      for (i = 9; i <= NF; i++) {
        if ($i ~ /^\[/) continue
        n = split($i, r, "-"); lo = r[1] + 0; hi = (n == 2 ? r[2] : r[1]) + 0
        if (slot >= lo && slot <= hi) { sub(/@.*/, "", $2); sub(/.*:/, "", $2); print $2; exit }
      }
    }'
}

# The client port of a replica of the master on port $2, in the view of node $1.
replica_of() {
  local nodes; nodes=$(cli "$1" cluster nodes)
  local id; id=$(awk -v port="$2" '{ a = $2; sub(/@.*/, "", a); sub(/.*:/, "", a) } a == port { print $1 }' <<< "$nodes")
  awk -v id="$id" '$4 == id { sub(/@.*/, "", $2); sub(/.*:/, "", $2); print $2; exit }' <<< "$nodes"
}

stop_cluster_nodes() {
  local kind=$1 port
  for port in $(ports_of "$kind"); do
    local pid=${PIDS[$port]:-}
    [ -n "$pid" ] || continue
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    unset "PIDS[$port]"
  done
  return 0
}

cleanup_clusters() {
  [ -n "${CREATE_PID:-}" ] && kill "$CREATE_PID" 2>/dev/null
  stop_cluster_nodes redis
  stop_cluster_nodes node
  rm -rf "$WORK"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Starts six fresh nodes of kind $1, creates the cluster with redis-cli (3 masters, 3 replicas), waits until it
# has settled and (for up to 30 s) until every replica's link is up.
form_linked_cluster() {
  local kind=$1
  start_cluster_nodes "$kind"
  start_create "$kind"
  wait "$CREATE_PID" || { echo "$kind: redis-cli --cluster create failed:" >&2; cat "$WORK/create-$kind.log" >&2; exit 1; }
  CREATE_PID=
  wait_settled "$kind" 120 || { echo "$kind: the cluster did not settle in 120 s" >&2; exit 1; }
  wait_replicas_linked "$kind" 30 || echo "$kind: not every replica says master_link_status:up after 30 s" >&2
}
