#!/usr/bin/env python3
"""What happens when, while `redis-cli --cluster create` forms a cluster of already started nodes: runs the create
on the given ports (--cluster-replicas 1) and polls CLUSTER INFO and CLUSTER NODES on every node every 20 ms,
printing each change with the ms since the create started: per node its known nodes, those still in handshake,
the cluster size and current epoch, its replicas and its cluster_state; redis-cli's output lines likewise.
Used by loadtest/cluster-create-timeline.sh.
  cluster-create-timeline.py PORT...
"""
import socket, subprocess, sys, threading, time

ports = [int(p) for p in sys.argv[1:]]
t0 = time.monotonic()
def ms():
    return int((time.monotonic() - t0) * 1000)

def say(line):
    print(f"{ms():6d} {line}", flush=True)

class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=2)
        self.buf = b""
    def command(self, *args):
        out = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in (x.encode() for x in args))
        self.sock.sendall(out)
        return self.reply()
    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk: raise ConnectionError("closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line
    def reply(self):
        line = self.line()
        if line[:1] in b"+-:": return line[1:].decode()
        if line[:1] == b"$":
            n = int(line[1:])
            while len(self.buf) < n + 2:
                chunk = self.sock.recv(65536)
                if not chunk: raise ConnectionError("closed")
                self.buf += chunk
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data.decode()
        raise ValueError(line)

conns = {p: Conn(p) for p in ports}
create = subprocess.Popen(["stdbuf", "-o0", "redis-cli", "--cluster", "create"] + [f"127.0.0.1:{p}" for p in ports]
                          + ["--cluster-replicas", "1", "--cluster-yes"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
def relay():
    line = b""
    while True:
        c = create.stdout.read(1)
        if not c: break
        if c == b"\n":
            if line.strip(b". \r"): say("redis-cli: " + line.decode(errors="replace").strip())
            line = b""
        elif c == b"." and line.strip(b".") == b"":
            say("redis-cli: . (one more second's wait for the join)")
            line += c
        else:
            line += c
threading.Thread(target=relay, daemon=True).start()

last = {}
ok_all = None
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    states = {}
    for p, c in conns.items():
        info = dict(l.split(":", 1) for l in c.command("CLUSTER", "INFO").split("\r\n") if ":" in l)
        nodes = [l.split(" ") for l in c.command("CLUSTER", "NODES").splitlines() if l]
        handshake = sum(1 for n in nodes if "handshake" in n[2])
        replicas = sum(1 for n in nodes if "slave" in n[2])
        with_slots = sum(1 for n in nodes if len(n) > 8 and "master" in n[2])
        connected = sum(1 for n in nodes if "myself" not in n[2] and n[7] == "connected" and "handshake" not in n[2])
        role = "replica" if "slave" in next(n[2] for n in nodes if "myself" in n[2]) else "master"
        s = (f"known={len(nodes)} handshake={handshake} connected={connected} masters-with-slots={with_slots} "
             f"replicas={replicas} size={info.get('cluster_size')} epoch={info.get('cluster_current_epoch')} "
             f"role={role} state={info.get('cluster_state')}")
        states[p] = info.get("cluster_state")
        if last.get(p) != s:
            say(f"{p}: {s}")
            last[p] = s
    if ok_all is None and all(v == "ok" for v in states.values()):
        ok_all = ms()
        say("cluster_state:ok on all")
    if ok_all is not None and create.poll() is not None:
        break
    time.sleep(0.02)
create.wait()
say(f"redis-cli exited {create.returncode}")
