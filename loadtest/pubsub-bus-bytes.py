"""Cluster-bus bytes per PUBLISH on a 3-master cluster of nodes (java) or of redis-servers, on one machine.

    python3 loadtest/pubsub-bus-bytes.py node|redis [messages=10000] [pipeline=100] [port_base=46511]

One publisher on the first master, one subscriber on each of the other two; the publisher sends `pipeline`
PUBLISHes of a 16-byte message per write. Bytes are the kernel's TCP counters (ss -tin bytes_acked) summed over
every cluster-bus socket of the three processes (both directions), after minus before, less the same over an idle
window of equal length (pings). Nodes run from target/akka-redis-cluster.jar when it exists, else from
target/classes with the classpath `mvn -o dependency:build-classpath` gives. Run from the repository's root; every
process it starts is stopped at the end. Data directories go to /tmp/pubsub-bus-bytes-*."""
import os, re, socket, subprocess, sys, tempfile, time
kind = sys.argv[1]; N = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
PIPE = int(sys.argv[3]) if len(sys.argv) > 3 else 100
base = int(sys.argv[4]) if len(sys.argv) > 4 else 46511
ports = [base, base + 1, base + 2]; cports = [p + 100 for p in ports]
if kind == 'node' and os.path.exists('target/akka-redis-cluster.jar'):
    java = ['java', '-Xmx256m', '-jar', 'target/akka-redis-cluster.jar']
elif kind == 'node':
    cpfile = tempfile.mktemp()
    subprocess.run(['mvn', '-o', '-q', 'dependency:build-classpath', '-Dmdep.outputFile=' + cpfile,
                    '-Dmdep.includeScope=runtime'], check=True)
    java = ['java', '-Xmx256m', '-cp', 'target/classes:' + open(cpfile).read().strip(), 'org.akkaredis.Main']
procs = []
for p, c in zip(ports, cports):
    d = '/tmp/pubsub-bus-bytes-%s-%d' % (kind, p); subprocess.run(['rm', '-rf', d]); os.makedirs(d)
    args = ['--port', str(p), '--cluster-enabled', 'yes', '--cluster-port', str(c), '--save', '', '--appendonly', 'no', '--dir', d]
    cmd = (java if kind == 'node' else ['redis-server']) + args
    procs.append(subprocess.Popen(cmd, stdout=open(d + '/log', 'w'), stderr=subprocess.STDOUT))
def cli(p, *a):
    return subprocess.run(['redis-cli', '-p', str(p)] + list(a), capture_output=True, text=True, timeout=20).stdout.strip()
try:
    deadline = time.time() + 60
    while any(cli(p, 'ping') != 'PONG' for p in ports):
        assert time.time() < deadline; time.sleep(0.2)
    subprocess.run(['redis-cli', '--cluster', 'create'] + ['127.0.0.1:%d' % p for p in ports] + ['--cluster-yes'],
                   capture_output=True, timeout=120)
    deadline = time.time() + 60
    while any('cluster_state:ok' not in cli(p, 'cluster', 'info') for p in ports):
        assert time.time() < deadline; time.sleep(0.2)
    time.sleep(3)
    subs = []
    for p in ports[1:]:
        s = socket.create_connection(('127.0.0.1', p)); s.sendall(b'SUBSCRIBE news\r\n'); subs.append(s)
    for s in subs:
        s.recv(100)
    pids = set(str(p.pid) for p in procs)
    def bus_bytes():
        out = subprocess.run(['ss', '-tinpH'], capture_output=True, text=True).stdout
        total = 0; lines = out.split('\n')
        for i, line in enumerate(lines):
            m = re.match(r'\S+\s+\d+\s+\d+\s+(\S+):(\d+)\s+(\S+):(\d+)\s+users:\(\((.*)\)\)', line.strip())
            if not m: continue
            lport, rport = int(m.group(2)), int(m.group(4))
            if not (lport in cports or rport in cports): continue
            if not any('pid=%s,' % pid in m.group(5) for pid in pids): continue
            info = lines[i + 1] if i + 1 < len(lines) else ''
            a = re.search(r'bytes_acked:(\d+)', info)
            if a: total += int(a.group(1))
        return total
    expected = b'$7\r\nmessage\r\n$4\r\nnews\r\n$16\r\n0123456789abcdef\r\n'
    def wait_received(count):
        got = [b'', b'']
        for k, s in enumerate(subs):
            s.settimeout(60)
            try:
                while got[k].count(b'message') < count:
                    got[k] += s.recv(1 << 20)
            except socket.timeout:
                print('subscriber', k, 'got', got[k].count(b'message'), [l for p in ports for l in cli(p, 'cluster', 'info').split('\n') if 'publish' in l])
                raise
    before = bus_bytes(); t0 = time.time()
    pub = socket.create_connection(('127.0.0.1', ports[0]))
    burst = b'PUBLISH news 0123456789abcdef\r\n' * PIPE
    for i in range(N // PIPE):
        pub.sendall(burst); r = b''
        while r.count(b'\r\n') < PIPE: r += pub.recv(65536)
    wait_received(N)
    elapsed = time.time() - t0
    time.sleep(0.5); after = bus_bytes(); window = time.time() - t0
    idle0 = bus_bytes(); time.sleep(5); idle1 = bus_bytes(); idle1 = idle0 + (idle1 - idle0) * window / 5
    sent_stat = [l for l in cli(ports[0], 'cluster', 'info').split('\n') if 'publish_sent' in l]
    print('%s, pipeline %d: %d PUBLISH (16-byte message, channel "news"), delivered to 2 remote subscribers in %.2f s (%.0f msg/s);'
          ' bus bytes (all bus sockets of the 3 processes, bytes_acked) during %.2f s: %d; idle, scaled to the same length (from 5 s): %d;'
          ' => %.1f bytes per published message (%.1f per message per receiving node). %s'
          % (kind, PIPE, N, elapsed, N / elapsed, window, after - before, idle1 - idle0,
             (after - before - (idle1 - idle0)) / N, (after - before - (idle1 - idle0)) / N / 2, sent_stat))
finally:
    for p in procs:
        p.terminate()
    for p in procs:
        try: p.wait(20)
        except Exception: p.kill()
