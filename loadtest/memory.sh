#!/usr/bin/env bash
# Bytes per entry of three datasets, redis-server beside a node (both standalone, on loopback), each case on fresh
# servers:
#   strings  N keys "key:<i>", SET to a 16-byte value (MSET, 1000 keys per command)
#   zset     one sorted set "z" of N members "member:<i>", scores 0..N-1 (ZADD, 1000 members per command)
#   hash     one hash "h" of N fields "field:<i>", each a 16-byte value (HSET, 1000 fields per command)
# Two figures per server, each (after - before) / N:
#   used_memory  INFO memory's used_memory (the node's is its honest dataset estimate, docs/architecture.md "Memory")
#   rss          the process's resident set (VmRSS) after a full GC on the node (jcmd GC.run), read once stable
# The node's JVM runs with NODE_JAVA_OPTIONS (default: G1, -Xms8m -XX:MinHeapFreeRatio=5
# -XX:MaxHeapFreeRatio=10, so that a full GC gives the heap it does not need back to the system and RSS follows
# the live data; a small -Xms, so that heap touched at start and free after it cannot absorb the load's growth;
# JAVA_TOOL_OPTIONS carries them). RSS also counts what the JVM grows besides the heap during the load (compiled
# code, GC structures proportional to the heap), so it is the upper of the two figures. JAR (default target/akka-redis-cluster.jar) picks the node's jar.
# SERVERS (default "redis node") picks the servers.
#   loadtest/memory.sh [entries] [cases...]      e.g. loadtest/memory.sh 1000000 strings zset hash
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
shift || true
CASES=${*:-strings zset hash}
REDIS_PORT=${REDIS_PORT:-16381}
NODE_PORT=${NODE_PORT:-16382}
NODE_JAVA_OPTIONS=${NODE_JAVA_OPTIONS:--Xms8m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=10}
NODE_JAR=${JAR:-target/akka-redis-cluster.jar}
source loadtest/pair-lib.sh
JAR=$NODE_JAR

# RESP commands for a case, 1000 entries each.
commands() {
  awk -v n="$N" -v kind="$1" 'function bulk(s) { printf "$%d\r\n%s\r\n", length(s), s }
  BEGIN {
    for (start = 0; start < n; start += 1000) {
      end = start + 1000 > n ? n : start + 1000
      if (kind == "strings") { printf "*%d\r\n", 1 + 2 * (end - start); bulk("MSET") }
      if (kind == "zset") { printf "*%d\r\n", 2 + 2 * (end - start); bulk("ZADD"); bulk("z") }
      if (kind == "hash") { printf "*%d\r\n", 2 + 2 * (end - start); bulk("HSET"); bulk("h") }
      for (i = start; i < end; i++) {
        if (kind == "strings") { bulk("key:" i); bulk(sprintf("%016d", i)) }
        if (kind == "zset") { bulk(i ""); bulk("member:" i) }
        if (kind == "hash") { bulk("field:" i); bulk(sprintf("%016d", i)) }
      }
    }
  }'
}

rss_bytes() {
  awk '$1 == "VmRSS:" { print $2 * 1024 }' "/proc/$1/status"
}

# used_memory and RSS of the server on port $1, after a full GC on the node; RSS read until two readings a second
# apart agree within 1 MB (G1 gives memory back concurrently after the collection).
figures() {
  local port=$1 pid=${SERVER_PIDS[$1]} used rss last
  [ "$port" = "$NODE_PORT" ] && jcmd "$pid" GC.run > /dev/null
  used=$(redis-cli -p "$port" info memory | tr -d '\r' | awk -F: '$1 == "used_memory" { print $2 }')
  rss=$(rss_bytes "$pid")
  for _ in $(seq 1 30); do
    sleep 1
    last=$rss
    rss=$(rss_bytes "$pid")
    [ $((rss > last ? rss - last : last - rss)) -lt 1048576 ] && break
  done
  echo "$used $rss"
}

size_of() {
  case $1 in
    strings) redis-cli -p "$2" dbsize ;;
    zset) redis-cli -p "$2" zcard z ;;
    hash) redis-cli -p "$2" hlen h ;;
  esac
}

printf '%-8s %-6s %10s %10s %18s %12s\n' case server entries size used-memory/entry rss/entry
for kind in $CASES; do
  commands "$kind" > "$WORK/$kind.resp"
  for server in ${SERVERS:-redis node}; do
    port=$([ "$server" = redis ] && echo "$REDIS_PORT" || echo "$NODE_PORT")
    if [ "$server" = redis ]; then
      start_server redis "$port" "$WORK/$server" "$WORK/$server.log" --appendonly no
    else
      JAVA_TOOL_OPTIONS="$NODE_JAVA_OPTIONS" start_server node "$port" "$WORK/$server" "$WORK/$server.log" --appendonly no
    fi
    wait_for "$port"
    read -r used0 rss0 < <(figures "$port")
    redis-cli -p "$port" --pipe < "$WORK/$kind.resp" > /dev/null
    read -r used1 rss1 < <(figures "$port")
    awk -v k="$kind" -v s="$server" -v n="$N" -v c="$(size_of "$kind" "$port")" \
      -v u0="$used0" -v u1="$used1" -v r0="$rss0" -v r1="$rss1" \
      'BEGIN { printf "%-8s %-6s %10d %10d %18.1f %12.1f\n", k, s, n, c, (u1 - u0) / n, (r1 - r0) / n }'
    stop_server "$port"
  done
done
echo "(redis-server $(redis_version); node $JAR, $(java -version 2>&1 | head -1), JVM options: $NODE_JAVA_OPTIONS)"
