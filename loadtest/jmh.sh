#!/usr/bin/env bash
# JMH micro-benchmarks of the node's hot paths, in-process, without actors or sockets (loadtest/jmh/, a Maven module
# of its own that `mvn verify` does not build): RespDecoderBenchmark (one read of 1, 16 or 100 pipelined SETs
# decoded), RespWriterBenchmark (a batch of 1 or 16 replies encoded: +OK, a bulk, an integer, an array) and
# DispatchBenchmark (per command: CommandRunner.resolve, CommandRunner.place, and a keyed handler run on a range's
# data, for SET GET INCR HSET LPUSH SADD ZADD). Average time per operation in ns, JMH's own output.
# Builds the node's jar if it is missing and the benchmarks every time (offline); arguments go to JMH.
#   bash loadtest/jmh.sh                                   every benchmark, JMH's defaults in the classes (1 fork)
#   bash loadtest/jmh.sh RespDecoder -f 1 -wi 1 -i 2       one class (a regex), a short run
#   JAR=/work/baseline/akka-redis-cluster-a98fcb6.jar bash loadtest/jmh.sh ...   the same benchmarks against
#                                                          another build of the node (compiled against this one)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAR=${JAR:-$ROOT/target/akka-redis-cluster.jar}
[ -f target/akka-redis-cluster.jar ] || mvn -o -B -q -DskipTests package
mvn -o -B -q -f loadtest/jmh/pom.xml package
[ -f "$JAR" ] || { echo "no jar at $JAR" >&2; exit 1; }
exec java -cp "loadtest/jmh/target/classes:$(cat loadtest/jmh/target/jmh-classpath.txt):$JAR" \
  org.openjdk.jmh.Main "$@"
