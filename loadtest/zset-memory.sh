#!/usr/bin/env bash
# Bytes per element of one large sorted set, redis-server beside a node (both standalone, on loopback):
# INFO memory's used_memory before and after ZADD of MEMBERS members (default 1000000, 1000 per command,
# scores 0..N-1, members "member:<i>"), divided by MEMBERS. The node's used_memory is the JVM heap in use,
# read after a full GC (jcmd GC.run) on both sides of the load, so it counts live data only.
#   loadtest/zset-memory.sh [members]
set -euo pipefail
cd "$(dirname "$0")/.."
MEMBERS=${1:-1000000}
REDIS_PORT=${REDIS_PORT:-16381}
NODE_PORT=${NODE_PORT:-16382}
source loadtest/pair-lib.sh
start_pair

# The ZADD commands in RESP, 1000 members each.
awk -v n="$MEMBERS" 'BEGIN {
  for (start = 0; start < n; start += 1000) {
    end = start + 1000 > n ? n : start + 1000
    printf "*%d\r\n$4\r\nZADD\r\n$1\r\nz\r\n", 2 + 2 * (end - start)
    for (i = start; i < end; i++) { s = i ""; m = "member:" i; printf "$%d\r\n%s\r\n$%d\r\n%s\r\n", length(s), s, length(m), m }
  }
}' > "$WORK/zadd.resp"

used() {
  [ "$1" = "$NODE_PORT" ] && jcmd "${SERVER_PIDS[$NODE_PORT]}" GC.run > /dev/null
  redis-cli -p "$1" info memory | tr -d '\r' | awk -F: '$1 == "used_memory" { print $2 }'
}

printf '%-8s %12s %12s %16s\n' server members zcard bytes-per-member
for port in "$REDIS_PORT" "$NODE_PORT"; do
  before=$(used "$port")
  redis-cli -p "$port" --pipe < "$WORK/zadd.resp" > /dev/null
  after=$(used "$port")
  name=$([ "$port" = "$REDIS_PORT" ] && echo redis || echo node)
  awk -v s="$name" -v n="$MEMBERS" -v c="$(redis-cli -p "$port" zcard z)" -v b="$before" -v a="$after" \
    'BEGIN { printf "%-8s %12d %12d %16.1f\n", s, n, c, (a - b) / n }'
done
echo "(redis-server $(redis_version): used_memory; node: JVM heap in use" \
  "after a full GC, $(java -version 2>&1 | head -1))"
