# Sourced by the standalone measurements: a redis-server and a node side by side on loopback, both without
# persistence, stopped (and their temporary directory removed) when the script exits. Sets WORK and NODE_PID.
JAR=target/akka-redis-cluster.jar
WORK=$(mktemp -d)
for tool in redis-server redis-benchmark redis-cli; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y redis-server redis-tools" >&2; exit 1; }
done
[ -f "$JAR" ] || mvn -B -q -DskipTests package

cleanup() {
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  [ -n "${NODE_PID:-}" ] && kill "$NODE_PID" 2>/dev/null && wait "$NODE_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$WORK" --logfile "$WORK/redis.log"
java -jar "$JAR" --port "$NODE_PORT" --bind 127.0.0.1 --cluster-enabled no --appendonly no --dir "$WORK" \
  > "$WORK/node.log" 2>&1 &
NODE_PID=$!

wait_for() {
  for _ in $(seq 1 200); do
    redis-cli -p "$1" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
  done
  echo "port $1 did not answer PING" >&2; exit 1
}
wait_for "$REDIS_PORT"
wait_for "$NODE_PORT"
