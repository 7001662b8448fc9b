#!/usr/bin/env bash
# Verifies the container story with podman on a Debian 12 machine without a container registry (no docker.io) and
# without a Docker engine: Debian packages and Maven Central reachable, root, no systemd. Run from the repository root:
#   sudo bash docker/verify-podman.sh            (takes 10-20 minutes the first time; not part of CI)
# It builds a Debian bookworm base image with debootstrap, local stand-ins for the Dockerfile's two public base images,
# the image itself (Maven offline against ~/.m2), runs one node, then docker/compose.yaml's six nodes with
# podman-compose, checks the cluster from the host through the announced addresses, fails a master over, checks the
# Kubernetes manifest's and compose file's settings against the node's CONFIG GET *, and tears everything down.
#
# Environment: WORK (default /tmp/akka-redis-podman: rootfs, containers.conf, logs), HOST_IP (default: this host's
# first non-loopback, non-bridge address), SINGLE_PORT (default 7100), MIRROR (default: apt's Debian mirror),
# REBUILD=1 to rebuild the base images even when present, KEEP=1 to leave the six nodes running at the end,
# LOCK_FILE to hold that flock(1) lock from the image build to the end (machines shared with other heavy jobs).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/akka-redis-podman}
SINGLE_PORT=${SINGLE_PORT:-7100}
mkdir -p "$WORK"
started=$(date +%s)
step() { echo; echo "=== [$(date -u +%H:%M:%S), +$(( $(date +%s) - started )) s] $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
# Polls a command until it succeeds, up to a deadline in seconds.
wait_for() {
  local limit=$1; shift
  local deadline=$(( $(date +%s) + limit ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 1
  done
}

step "packages: podman, podman-compose, runc, debootstrap, redis-tools, python3-yaml"
need=()
for p in podman podman-compose runc debootstrap redis-tools python3-yaml; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi
podman --version
podman-compose version 2>/dev/null | grep -i 'podman-compose' || true

# What this kind of sandbox needs (found by trying; see README "Docker"):
# - runc, not crun: crun 1.8 refuses the hybrid cgroup layout here ("cgroups in hybrid mode not supported, drop all
#   controllers from cgroupv2"; cgroup v1 controllers plus hugetlb on the v2 mount).
# - explicit ulimits no higher than the host's hard limits: without CAP_SYS_RESOURCE the runtime cannot raise
#   RLIMIT_NOFILE to podman's default 1048576 ("setrlimit `RLIMIT_NOFILE`: Operation not permitted"), and conmon
#   runs with RLIMIT_NPROC 32768, so the container's nproc must not exceed that either.
# Storage (overlay) and networking (netavark bridge, published ports, DNS between containers) work as installed.
step "containers.conf: runtime runc, ulimits within the host's hard limits"
nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=1048576
nproc=$(ulimit -Hu); { [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ]; } && nproc=32768
cat > "$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF="$WORK/containers.conf"
cat "$CONTAINERS_CONF"

if [ -z "${MIRROR:-}" ]; then
  MIRROR=$(grep -h -o -E 'https?://[^ ]+/debian/?' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
    /etc/apt/sources.list.d/*.list 2>/dev/null | head -1 || true)
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
fi

if [ "${REBUILD:-0}" = 1 ] || ! podman image exists localhost/debian:bookworm; then
  step "debootstrap bookworm from $MIRROR, import as localhost/debian:bookworm"
  rm -rf "$WORK/rootfs"
  debootstrap --variant=minbase bookworm "$WORK/rootfs" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log"; fail "debootstrap"; }
  rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
  tar -C "$WORK/rootfs" -c . | podman import - localhost/debian:bookworm
  rm -rf "$WORK/rootfs"
fi
podman run --rm localhost/debian:bookworm cat /etc/debian_version

for base in build runtime; do
  tag=$([ $base = build ] && echo localhost/akka-redis-build:17 || echo localhost/akka-redis-jre:17)
  if [ "${REBUILD:-0}" = 1 ] || ! podman image exists "$tag"; then
    step "local $base base image $tag (docker/local/$base.Containerfile)"
    podman build -q -f "$repo/docker/local/$base.Containerfile" -t "$tag" "$repo/docker/local"
  fi
done

if [ -n "${LOCK_FILE:-}" ]; then   # on a shared machine: hold this flock for the Maven build and the JVMs
  step "waiting for the lock $LOCK_FILE"
  exec 9>>"$LOCK_FILE"
  flock 9
fi

step "image localhost/akka-redis-cluster:local from docker/Dockerfile with the local bases, Maven offline"
m2_mount=()
maven_flags=""
if [ -d "$HOME/.m2/repository" ]; then
  m2_mount=(-v "$HOME/.m2:/root/.m2:O")   # an overlay: the build's writes stay out of ~/.m2
  maven_flags="-o"
fi
podman build --format docker -f "$repo/docker/Dockerfile" -t localhost/akka-redis-cluster:local \
  --build-arg BUILD_IMAGE=localhost/akka-redis-build:17 --build-arg RUNTIME_IMAGE=localhost/akka-redis-jre:17 \
  --build-arg MAVEN_FLAGS="$maven_flags" "${m2_mount[@]}" "$repo" > "$WORK/image-build.log" 2>&1 \
  || { tail -30 "$WORK/image-build.log"; fail "image build"; }
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E 'akka-redis|debian'

step "one node: podman run -p $SINGLE_PORT:6379, PING from the host"
podman rm -f -v akka-redis-single >/dev/null 2>&1 || true
t0=$(date +%s)
podman run -d --name akka-redis-single -p "$SINGLE_PORT:6379" localhost/akka-redis-cluster:local 2>/dev/null
wait_for 120 sh -c "redis-cli -p $SINGLE_PORT ping | grep -q PONG" || { podman logs akka-redis-single; fail "no PONG"; }
echo "PONG from 127.0.0.1:$SINGLE_PORT after $(( $(date +%s) - t0 )) s: $(redis-cli -p "$SINGLE_PORT" ping)"
if podman healthcheck run akka-redis-single 2>/dev/null; then echo "podman healthcheck run: healthy"; else fail "health"; fi
redis-cli -p "$SINGLE_PORT" info server | grep -E '^(redis_version|redis_mode|tcp_port)'

step "settings named by docker/node.conf, compose.yaml and k8s/akka-redis-cluster.yaml exist on the node (CONFIG GET *)"
redis-cli -p "$SINGLE_PORT" config get '*' | awk 'NR % 2 == 1' > "$WORK/node-settings.txt"
python3 - "$repo" "$WORK/node-settings.txt" <<'EOF'
import re, sys, yaml
repo, known_file = sys.argv[1], sys.argv[2]
known = set(open(known_file).read().split())
used = {}
for line in open(f"{repo}/docker/node.conf"):
    m = re.match(r"\s*([a-z-]+)\s*=", line)
    if m: used.setdefault(m.group(1), "docker/node.conf")
def args_of(command, where):
    for a in command or []:
        if isinstance(a, str) and a.startswith("--"):
            used.setdefault(a[2:], where)
compose = yaml.safe_load(open(f"{repo}/docker/compose.yaml"))
for name, svc in compose["services"].items():
    if name.startswith("node-"): args_of(svc.get("command"), "docker/compose.yaml")
docs = list(yaml.safe_load_all(open(f"{repo}/docker/k8s/akka-redis-cluster.yaml")))
print("k8s documents:", ", ".join(f"{d['kind']}/{d['metadata']['name']}" for d in docs))
service = next(d for d in docs if d["kind"] == "Service")
sts = next(d for d in docs if d["kind"] == "StatefulSet")
assert service["spec"]["clusterIP"] == "None", "the service must be headless"
assert sts["spec"]["serviceName"] == service["metadata"]["name"], "serviceName must name the headless service"
assert sts["spec"]["selector"]["matchLabels"].items() <= sts["spec"]["template"]["metadata"]["labels"].items()
container = sts["spec"]["template"]["spec"]["containers"][0]
ports = {p["containerPort"] for p in container["ports"]}
assert ports == {6379, 16379}, ports
assert {p["port"] for p in service["spec"]["ports"]} == {6379, 16379}
assert any(m["mountPath"] == "/data" for m in container["volumeMounts"]), "/data (nodes.conf, AOF) needs the volume"
env = {e["name"] for e in container.get("env", [])}
for ref in re.findall(r"\$\((\w+)\)", " ".join(container["args"])):
    assert ref in env, f"$({ref}) in args but not in env"
args_of(container["args"], "docker/k8s/akka-redis-cluster.yaml")
missing = {k: w for k, w in used.items() if k not in known}
for k in sorted(used): print(f"  {k:40} {used[k]:38} {'ok' if k in known else 'UNKNOWN to the node'}")
sys.exit(1 if missing else 0)
EOF
podman rm -f -v -t 10 akka-redis-single >/dev/null 2>&1

: "${HOST_IP:=$(ip -4 -o addr show scope global | awk '$2 !~ /^(podman|cni|docker|br-|veth)/ {split($4, a, "/"); print a[1]; exit}')}"
[ -n "$HOST_IP" ] || fail "no HOST_IP: set it to an address of this host"
export HOST_IP
project=akkaredis
compose=(podman-compose -p "$project" -f "$repo/docker/compose.yaml")
for port in 7001 7002 7003 7004 7005 7006 17001 17002 17003 17004 17005 17006; do
  if [ -n "$(ss -ltnH "( sport = :$port )")" ]; then fail "port $port is taken"; fi
done

step "podman-compose up -d (HOST_IP=$HOST_IP): six nodes and create-cluster"
t0=$(date +%s)
"${compose[@]}" up -d > "$WORK/compose-up.log" 2>&1 || { tail -30 "$WORK/compose-up.log"; fail "compose up"; }
podman wait "${project}_create-cluster_1" > "$WORK/create-cluster.rc" 2>/dev/null
echo "create-cluster exited $(cat "$WORK/create-cluster.rc") after $(( $(date +%s) - t0 )) s; its last lines:"
podman logs "${project}_create-cluster_1" 2>&1 | tail -4
[ "$(cat "$WORK/create-cluster.rc")" = 0 ] || fail "create-cluster"

step "health checks (podman without systemd runs them only on demand: podman healthcheck run)"
for i in 1 2 3 4 5 6; do
  if podman healthcheck run "${project}_node-${i}_1" 2>/dev/null; then echo "node-$i healthy"; else fail "node-$i"; fi
done
"${compose[@]}" ps 2>/dev/null | grep -E "^CONTAINER|${project}_"

step "from the host: cluster state and every node at its announced address"
wait_for 60 sh -c "redis-cli -h $HOST_IP -p 7001 cluster info | grep -q cluster_state:ok" || fail "cluster_state"
redis-cli -h "$HOST_IP" -p 7001 cluster info | head -7
redis-cli -h "$HOST_IP" -p 7001 cluster nodes | sort -k2
redis-cli -h "$HOST_IP" -p 7001 cluster nodes | awk '{split($2, a, "[:@,]"); print a[1], a[2]}' | while read -r ip port; do
  echo "announced $ip:$port -> $(redis-cli -h "$ip" -p "$port" ping) role $(redis-cli -h "$ip" -p "$port" role | head -1)"
done

step "redis-cli -c from the host: keys in every master's slots, through every node (MOVED to announced addresses)"
for i in 1 2 3 4 5 6; do
  for key in "{a}user:$i" "{b}user:$i" "{c}user:$i"; do
    [ "$(redis-cli -c -h "$HOST_IP" -p "700$i" set "$key" "v$i")" = OK ] || fail "SET $key via 700$i"
  done
done
for i in 1 2 3 4 5 6; do
  got=$(redis-cli -c -h "$HOST_IP" -p "700$i" get "{c}user:$(( (i % 6) + 1 ))")
  echo "via 700$i: GET {c}user:$(( (i % 6) + 1 )) -> $got"
done
for key in "{a}" "{b}" "{c}"; do
  echo "slot of $key: $(redis-cli -h "$HOST_IP" -p 7001 cluster keyslot "$key")"
done
moved_key="{c}user:1"   # its slot, 7365, is node-2's
echo "without -c, GET $moved_key via 7001 -> $(redis-cli -h "$HOST_IP" -p 7001 get "$moved_key")"
for i in 1 2 3 4 5 6; do
  echo "700$i: $(redis-cli -h "$HOST_IP" -p "700$i" role | head -1), dbsize $(redis-cli -h "$HOST_IP" -p "700$i" dbsize)"
done

step "failover: stop node-1's container (a master), its replica takes over; start it again, it rejoins as a replica"
master1=$(redis-cli -h "$HOST_IP" -p 7001 cluster myid)
replica_port=$(redis-cli -h "$HOST_IP" -p 7001 cluster nodes | awk -v m="$master1" '$4 == m {split($2, a, "[:@]"); print a[2]}')
[ -n "$replica_port" ] || fail "no replica of node-1"
t0=$(date +%s)
podman stop -t 10 "${project}_node-1_1" >/dev/null 2>&1
wait_for 60 sh -c "redis-cli -h $HOST_IP -p $replica_port role | head -1 | grep -q master" || fail "no failover"
echo "the replica at $HOST_IP:$replica_port is master $(( $(date +%s) - t0 )) s after the stop"
echo "GET {a}user:1 via 7002 with -c: $(redis-cli -c -h "$HOST_IP" -p 7002 get '{a}user:1')"
t0=$(date +%s)
podman start "${project}_node-1_1" >/dev/null 2>&1
wait_for 120 sh -c "redis-cli -h $HOST_IP -p 7001 role | head -1 | grep -q slave" || fail "node-1 did not rejoin"
echo "node-1 back as $(redis-cli -h "$HOST_IP" -p 7001 role | head -1) of its former replica after $(( $(date +%s) - t0 )) s"
wait_for 60 sh -c "redis-cli -h $HOST_IP -p 7001 cluster info | grep -q cluster_state:ok" || fail "cluster_state"
redis-cli -h "$HOST_IP" -p 7001 cluster nodes | grep myself

if [ "${KEEP:-0}" = 1 ]; then
  step "KEEP=1: the six nodes stay up; stop them with: HOST_IP=$HOST_IP ${compose[*]} down -v"
else
  step "podman-compose down -v"
  podman rm -f -v "${project}_create-cluster_1" >/dev/null 2>&1   # with its anonymous /data volume
  "${compose[@]}" down -v > "$WORK/compose-down.log" 2>&1
  podman network rm "${project}_default" >/dev/null 2>&1 || true
fi
step "all checks passed in $(( $(date +%s) - started )) s"
