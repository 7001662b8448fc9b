# Sourced by the scripts that start nodes, from the repository's root: builds the node's jar when it is missing or
# older than the sources. The sourcing script defines say and fail (its own message prefix).
JAR=target/akka-redis-cluster.jar

build_if_needed() {
  if [ ! -f "$JAR" ] || [ -n "$(find pom.xml src/main -newer "$JAR" -print -quit)" ]; then
    command -v mvn > /dev/null || fail "mvn is missing: it builds $JAR"
    say "building $JAR (log: target/build.log)"
    mkdir -p target
    mvn -B -q -DskipTests package > target/build.log 2>&1 || fail "the build failed; see target/build.log"
  fi
}

# The class-data sharing archive of the jar (scripts/cds-archive.sh): "-XX:SharedArchiveFile=..." when there is one
# made from the current jar, nothing otherwise (a node then starts without it, as plain java -jar).
ARCHIVE=target/akka-redis-cluster.jsa
archive_option() {
  if [ -f "$ARCHIVE" ] && [ "$ARCHIVE" -nt "$JAR" ]; then echo "-XX:SharedArchiveFile=$ARCHIVE"; fi
}
