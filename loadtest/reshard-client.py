#!/usr/bin/env python3
"""Helper of loadtest/reshard.sh: a small cluster client (standard library only) that follows MOVED and ASK
the way cluster clients do (one connection per node, the slot map updated by MOVED, ASKING before the command
an ASK points at, TRYAGAIN retried after 10 ms).

  fill PORT N SIZE DIR      RESP files DIR/fill-<port>.resp of SET key:<i> <SIZE-byte value> for i < N, one per
                            master of CLUSTER SLOTS (asked of PORT); DIR/slots.bin keeps every key's slot
  owned PORT DIR            how many of the key:<i> of DIR/slots.bin are in slots the node on PORT serves
  probe PORT N STOP OUT     until the file STOP exists: GET, then SET, of a random existing key:<i> (so the
                            key count does not change); each call's latency (us, redirections included) into
                            OUT, then a summary line on stdout
  verify PORT FILE          every line "key value" of FILE must read back as value: GETs pipelined per owner
  big PORT FIELDS MB DIR    RESP files DIR/big-hash.resp (HSET {big}:hash, FIELDS fields, 1000 per command)
                            and DIR/big-str.resp (APPEND {big}:str, MB chunks of 1 MiB)
"""
import array
import binascii
import os
import random
import socket
import sys
import time

def crc16(data):  # CRC16-XMODEM, Redis's key hash
    return binascii.crc_hqx(data, 0)


def key_slot(key):
    s = key.find(b'{')
    if s >= 0:
        e = key.find(b'}', s + 1)
        if e > s + 1:
            key = key[s + 1:e]
    return crc16(key) & 16383


def encode(*args):
    out = [b'*%d\r\n' % len(args)]
    for a in args:
        if not isinstance(a, bytes):
            a = str(a).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(a), a))
    return b''.join(out)


class Error(Exception):
    pass


class Conn:
    def __init__(self, port, timeout=60):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.file = self.sock.makefile('rb')

    def send(self, data):
        self.sock.sendall(data)

    def read(self):
        line = self.file.readline()
        if not line:
            raise ConnectionError('connection closed')
        kind, rest = line[:1], line[1:-2]
        if kind == b'+':
            return rest
        if kind == b'-':
            return Error(rest.decode())
        if kind == b':':
            return int(rest)
        if kind == b'$':
            n = int(rest)
            if n < 0:
                return None
            data = self.file.read(n + 2)
            return data[:-2]
        if kind == b'*':
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise ConnectionError('bad reply line %r' % line)

    def call(self, *args):
        self.send(encode(*args))
        return self.read()


class Cluster:
    def __init__(self, port):
        self.conns = {}
        self.owner = [port] * 16384
        self.seed = port
        self.moved = self.ask = self.tryagain = 0
        self.refresh()

    def conn(self, port):
        c = self.conns.get(port)
        if c is None:
            c = self.conns[port] = Conn(port)
        return c

    def refresh(self):
        for lo, hi, master, *_ in self.conn(self.seed).call('CLUSTER', 'SLOTS'):
            for s in range(lo, hi + 1):
                self.owner[s] = master[1]

    def call(self, key, *args):
        slot = key_slot(key)
        port, asking = self.owner[slot], False
        for _ in range(20):
            c = self.conn(port)
            if asking:
                c.send(encode('ASKING') + encode(*args))
                c.read()
                reply = c.read()
            else:
                reply = c.call(*args)
            if isinstance(reply, Error):
                msg = str(reply)
                if msg.startswith('MOVED '):
                    self.moved += 1
                    port = int(msg.split()[2].rsplit(':', 1)[1])
                    self.owner[slot], asking = port, False
                    continue
                if msg.startswith('ASK '):
                    self.ask += 1
                    port, asking = int(msg.split()[2].rsplit(':', 1)[1]), True
                    continue
                if msg.startswith('TRYAGAIN'):
                    self.tryagain += 1
                    time.sleep(0.01)
                    port, asking = self.owner[slot], False
                    continue
            return reply
        return Error('too many redirections')


def fill(port, n, size, folder):
    slots = array.array('H', bytes(2 * n))
    for i in range(n):
        slots[i] = key_slot(b'key:%d' % i)
    with open(os.path.join(folder, 'slots.bin'), 'wb') as f:
        slots.tofile(f)
    owner = [0] * 16384
    for lo, hi, master, *_ in Conn(port).call('CLUSTER', 'SLOTS'):
        for s in range(lo, hi + 1):
            owner[s] = master[1]
    files = {p: open(os.path.join(folder, 'fill-%d.resp' % p), 'wb') for p in set(owner)}
    for i in range(n):
        value = (b'%d' % i).rjust(size, b'v')[:size]
        files[owner[slots[i]]].write(encode(b'SET', b'key:%d' % i, value))
    for f in files.values():
        f.close()
    print(' '.join(str(p) for p in sorted(files)))


def load_slots(folder):
    slots = array.array('H')
    with open(os.path.join(folder, 'slots.bin'), 'rb') as f:
        slots.frombytes(f.read())
    return slots


def owned(port, folder):
    me = Conn(port).call('CLUSTER', 'MYID').decode()
    mine = bytearray(16384)
    for lo, hi, master, *_ in Conn(port).call('CLUSTER', 'SLOTS'):
        if master[2].decode() == me:
            for s in range(lo, hi + 1):
                mine[s] = 1
    print(sum(1 for s in load_slots(folder) if mine[s]))


def probe(port, n, stop, out):
    cluster = Cluster(port)
    lat = array.array('I')
    errors = {}
    i = 0
    ready = out + '.ready'
    while not os.path.exists(stop):
        if i == 1:
            open(ready, 'w').close()
        k = random.randrange(n)
        key = b'key:%d' % k
        t0 = time.perf_counter()
        if i % 2:
            reply = cluster.call(key, b'SET', key, (b'%d' % k).rjust(16, b'v')[:16])
        else:
            reply = cluster.call(key, b'GET', key)
        lat.append(int((time.perf_counter() - t0) * 1e6))
        if isinstance(reply, Error) or reply is None:
            text = str(reply) if reply is not None else 'nil for an existing key'
            errors[text.split(' ')[0]] = errors.get(text.split(' ')[0], 0) + 1
        i += 1
    with open(out, 'w') as f:
        f.write('\n'.join(map(str, lat)))
    s = sorted(lat)
    p99 = s[min(len(s) - 1, int(len(s) * 0.99))] if s else 0
    print('ops %d max_ms %.1f p99_ms %.2f moved %d ask %d tryagain %d errors %d %s' % (
        len(s), (s[-1] if s else 0) / 1000, p99 / 1000, cluster.moved, cluster.ask, cluster.tryagain,
        sum(errors.values()), ','.join('%s:%d' % e for e in errors.items()) or '-'))


def verify(port, path):
    cluster = Cluster(port)
    by_port = {}
    for line in open(path, 'rb'):
        key, value = line.split()
        by_port.setdefault(cluster.owner[key_slot(key)], []).append((key, value))
    checked = missing = wrong = 0
    examples = []
    for p, items in by_port.items():
        c = cluster.conn(p)
        for b in range(0, len(items), 1000):
            batch = items[b:b + 1000]
            c.send(b''.join(encode(b'GET', k) for k, _ in batch))
            for k, v in batch:
                reply = c.read()
                if isinstance(reply, Error):  # not expected once the cluster is stable: ask the owner it names
                    reply = cluster.call(k, b'GET', k)
                checked += 1
                if reply is None:
                    missing += 1
                    if len(examples) < 5:
                        examples.append(k.decode())
                elif reply != v:
                    wrong += 1
                    if len(examples) < 5:
                        examples.append('%s=%r' % (k.decode(), reply))
    print('checked %d missing %d wrong %d %s' % (checked, missing, wrong, ' '.join(examples) or '-'))


def big(fields, mb, folder):
    with open(os.path.join(folder, 'big-hash.resp'), 'wb') as f:
        for b in range(0, fields, 1000):
            args = [b'HSET', b'{big}:hash']
            for i in range(b, min(fields, b + 1000)):
                args += [b'field:%d' % i, b'value:%d' % i]
            f.write(encode(*args))
    chunk = (b'0123456789abcdef' * 65536)
    with open(os.path.join(folder, 'big-str.resp'), 'wb') as f:
        for _ in range(mb):
            f.write(encode(b'APPEND', b'{big}:str', chunk))


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'fill':
        fill(int(args[0]), int(args[1]), int(args[2]), args[3])
    elif cmd == 'owned':
        owned(int(args[0]), args[1])
    elif cmd == 'probe':
        probe(int(args[0]), int(args[1]), args[2], args[3])
    elif cmd == 'verify':
        verify(int(args[0]), args[1])
    elif cmd == 'big':
        big(int(args[1]), int(args[2]), args[3])
    elif cmd == 'slot':
        print(key_slot(args[0].encode()))
    else:
        sys.exit('unknown command ' + cmd)
