# Sourced by the standalone measurements (benchmark.sh, memory.sh, persistence.sh): redis-server and a node
# on loopback, each standalone (cluster-enabled no) and without snapshot rules (save ""), in folders under WORK (a
# temporary directory); every server started here is stopped, and WORK removed, when the script exits.
#   start_pair                      both in WORK with appendonly no, on REDIS_PORT and NODE_PORT (what benchmark.sh
#                                   measures against)
#   start_server kind port dir log [setting ...]   kind redis or node; one server, its output in log
#   stop_server port                SHUTDOWN NOSAVE, then waits (at most 60 s) until the process has gone
#   wait_for port                   until the server answers PING
#   bench port pipeline test        requests per second of one redis-benchmark run (REQUESTS, CLIENTS, and any
#                                   BENCH_OPTS, e.g. "-r 100000" or "--cluster")
#   SERVER_CPUS / BENCH_CPUS        when set, servers started / redis-benchmark runs under taskset -c <that list>
#   median                          of the numbers on stdin
#   warm_up_node tests              one unmeasured -P 16 and -P 1 run against the node
#   compare_header label; compare_row label pipeline test    a table of redis-rps, node-rps and their ratio, each
#                                   row the medians of ROUNDS runs of each server, the two taking turns
JAR=target/akka-redis-cluster.jar
REQUESTS=${REQUESTS:-200000}
CLIENTS=${CLIENTS:-50}
ROUNDS=${ROUNDS:-3}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-900}
LABEL_WIDTH=${LABEL_WIDTH:-8}
for tool in redis-server redis-benchmark redis-cli java ss; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y redis-server redis-tools" >&2; exit 1; }
done
[ -f "$JAR" ] || mvn -B -q -DskipTests package
WORK=$(mktemp -d)
declare -A SERVER_PIDS=()  # port -> pid of every server this script started and has not stopped yet

cleanup() {
  local port
  for port in "${!SERVER_PIDS[@]}"; do stop_server "$port"; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_server() {
  local kind=$1 port=$2 dir=$3 log=$4
  shift 4
  # A process already on the port (a test's server, a leftover) would answer in place of ours.
  if ss -tlnH "sport = :$port" | grep -q .; then
    echo "port $port is in use; choose others with REDIS_PORT / NODE_PORT:" >&2
    ss -tlnpH "sport = :$port" >&2
    exit 1
  fi
  mkdir -p "$dir"
  local pin=()
  [ -z "${SERVER_CPUS:-}" ] || pin=(taskset -c "$SERVER_CPUS")
  if [ "$kind" = redis ]; then
    "${pin[@]}" redis-server --port "$port" --bind 127.0.0.1 --save '' --dir "$dir" --logfile "$log" "$@" < /dev/null &
  else
    "${pin[@]}" java -jar "$JAR" --port "$port" --bind 127.0.0.1 --cluster-enabled no --save '' --dir "$dir" "$@" \
      > "$log" 2>&1 < /dev/null &
  fi
  SERVER_PIDS[$port]=$!
}

# SHUTDOWN NOSAVE, again every second while the process lives (a server still starting, as when the script is
# interrupted, does not listen yet), SIGTERM after 20 s, SIGKILL after 60 s.
stop_server() {
  local port=$1 pid=${SERVER_PIDS[$1]:-} tick
  [ -n "$pid" ] || return 0
  for tick in $(seq 0 599); do
    kill -0 "$pid" 2>/dev/null || break
    [ $((tick % 10)) != 0 ] || timeout 10 redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true
    [ "$tick" != 200 ] || kill "$pid" 2>/dev/null || true
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "the server on port $port (pid $pid) did not stop in 60 s after SHUTDOWN NOSAVE and SIGTERM; killing it" >&2
    kill -9 "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null || true
  unset "SERVER_PIDS[$port]"
}

# Waits (up to 20 s) until the server on port $1 answers PING.
wait_for() {
  local pid=${SERVER_PIDS[$1]:-}
  for _ in $(seq 1 200); do
    redis-cli -p "$1" ping 2>/dev/null | grep -q PONG && return 0
    [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || { echo "the server on port $1 exited" >&2; exit 1; }
    sleep 0.1
  done
  echo "port $1 did not answer PING" >&2; exit 1
}

start_pair() {
  start_server redis "$REDIS_PORT" "$WORK" "$WORK/redis.log" --appendonly no
  start_server node "$NODE_PORT" "$WORK" "$WORK/node.log" --appendonly no
  wait_for "$REDIS_PORT"
  wait_for "$NODE_PORT"
}

# rps of one test; a run that gives no figure within BENCH_TIMEOUT seconds (redis-benchmark goes on trying when
# its server has gone) stops the script.
bench() {
  local rps pin=() options
  [ -z "${BENCH_CPUS:-}" ] || pin=(taskset -c "$BENCH_CPUS")
  read -ra options <<< "${BENCH_OPTS:-}"
  rps=$(timeout "$BENCH_TIMEOUT" "${pin[@]}" redis-benchmark -p "$1" -t "$3" -n "$REQUESTS" -c "$CLIENTS" -P "$2" \
    "${options[@]}" --csv \
    | tail -n 1 | tr -d '"' | cut -d, -f2)
  [[ "$rps" =~ ^[0-9.]+$ ]] || { echo "redis-benchmark -p $1 -t $3 -P $2 gave no result in $BENCH_TIMEOUT s" >&2; exit 1; }
  echo "$rps"
}

# The median of the numbers on stdin, one a line; "-" when there are none.
median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The JVM compiles its hot paths in the first seconds: one unmeasured round first (redis-benchmark -t $1).
warm_up_node() {
  local pipeline
  for pipeline in 16 1; do bench "${2:-$NODE_PORT}" "$pipeline" "$1" > /dev/null; done
}

compare_header() {
  printf "%-${LABEL_WIDTH}s %9s %14s %14s %7s\n" "$1" pipeline redis-rps node-rps ratio
}

# One row: test $3 at pipeline $2 against redis (port $4, default REDIS_PORT) and the node ($5, NODE_PORT),
# ROUNDS times each in turns, the medians and node/redis.
compare_row() {
  local label=$1 pipeline=$2 test=$3 redis_port=${4:-$REDIS_PORT} node_port=${5:-$NODE_PORT} redis node
  : > "$WORK/redis-rps.txt"
  : > "$WORK/node-rps.txt"
  for _ in $(seq "$ROUNDS"); do
    bench "$redis_port" "$pipeline" "$test" >> "$WORK/redis-rps.txt"
    bench "$node_port" "$pipeline" "$test" >> "$WORK/node-rps.txt"
  done
  redis=$(median < "$WORK/redis-rps.txt")
  node=$(median < "$WORK/node-rps.txt")
  awk -v t="$label" -v p="$pipeline" -v r="$redis" -v n="$node" -v w="$LABEL_WIDTH" \
    'BEGIN { printf "%-" w "s %9s %14.0f %14.0f %7.2f\n", t, p, r, n, n / r }'
}

redis_version() {
  redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'
}
