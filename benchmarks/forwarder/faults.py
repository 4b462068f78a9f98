#!/usr/bin/env python3
"""Clients and tiny servers for benchmarks/forwarder-vs-haproxy.sh (standard library only).

Clients (HOST PORT ...):
  idle HOST PORT N            open N connections and keep them idle; print "ready N" once all are
                              connected, then hold them until stdin closes or SIGTERM (normal close)
  reset HOST PORT N PATH      N clients that reset (SO_LINGER 0): half right after connecting, half
                              after GET PATH and some of the response (mid-stream); 100 at a time
  refused HOST PORT N         N clients of a service whose real server refuses: each must be reset
                              or closed by the proxy; counts what happened
  stall HOST PORT N WAIT      N clients that send a request and get no answer within WAIT seconds,
                              then close normally
Servers:
  stall-server HOST PORT      accepts everything, reads and discards, never answers or closes
  blackhole-server HOST PORT  listens with backlog 1 and never accepts (the SYN queue fills up)
Control socket:
  garbage-control SOCKET      sends malformed requests to the lvsadm control socket (random bytes,
                              a huge line, a half request then close); prints what came back
"""
import os
import random
import selectors
import signal
import socket
import struct
import sys
import time

LINGER0 = struct.pack("ii", 1, 0)


def connect_many(host, port, n, batch=500, timeout=30.0):
    """Non-blocking connects in batches; returns the connected sockets (raises if one fails)."""
    done = []
    deadline = time.monotonic() + timeout
    while len(done) < n:
        sel = selectors.DefaultSelector()
        pending = 0
        for _ in range(min(batch, n - len(done))):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            err = s.connect_ex((host, port))
            if err not in (0, 115):  # EINPROGRESS
                raise OSError(err, os.strerror(err))
            sel.register(s, selectors.EVENT_WRITE)
            pending += 1
        while pending:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("connects did not complete: %d of %d done" % (len(done), n))
            for key, _ in sel.select(left):
                s = key.fileobj
                sel.unregister(s)
                pending -= 1
                err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    raise OSError(err, os.strerror(err))
                done.append(s)
        sel.close()
    return done


def idle(host, port, n):
    socks = connect_many(host, int(port), int(n))
    print("ready %d" % len(socks), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        sys.stdin.read()  # until stdin closes
    finally:
        for s in socks:
            s.close()


def reset(host, port, n, path):
    n = int(n)
    stats = {"reset_after_connect": 0, "reset_mid_stream": 0, "bytes_before_reset": 0, "errors": 0}
    request = ("GET %s HTTP/1.1\r\nHost: bench\r\n\r\n" % path).encode()
    i = 0
    while i < n:
        socks = connect_many(host, int(port), min(100, n - i))
        for k, s in enumerate(socks):
            s.setblocking(True)
            s.settimeout(5)
            try:
                if k % 2 == 0:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER0)
                    s.close()
                    stats["reset_after_connect"] += 1
                    continue
                s.sendall(request)
                want = random.randint(1, 4) * 65536
                got = 0
                while got < want:
                    b = s.recv(65536)
                    if not b:
                        break
                    got += len(b)
                stats["bytes_before_reset"] += got
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER0)
                s.close()
                stats["reset_mid_stream"] += 1
            except OSError:
                stats["errors"] += 1
                s.close()
        i += len(socks)
    print(" ".join("%s=%d" % kv for kv in stats.items()), flush=True)


def refused(host, port, n):
    n = int(n)
    stats = {"reset": 0, "closed": 0, "answered": 0, "refused_by_proxy": 0, "timeout": 0}
    for _ in range(n):
        s = socket.socket()
        s.settimeout(10)
        try:
            s.connect((host, int(port)))
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            b = s.recv(100)
            stats["answered" if b else "closed"] += 1
        except ConnectionRefusedError:
            stats["refused_by_proxy"] += 1
        except (ConnectionResetError, BrokenPipeError):
            stats["reset"] += 1
        except socket.timeout:
            stats["timeout"] += 1
        finally:
            s.close()
    print(" ".join("%s=%d" % kv for kv in stats.items()), flush=True)


def stall(host, port, n, wait):
    socks = connect_many(host, int(port), int(n))
    for s in socks:
        try:
            s.send(b"GET / HTTP/1.0\r\n\r\n")
        except OSError:
            pass
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    answered = reset_ = 0
    deadline = time.monotonic() + float(wait)
    while time.monotonic() < deadline:
        for key, _ in sel.select(max(0.0, deadline - time.monotonic())):
            s = key.fileobj
            sel.unregister(s)
            try:
                if s.recv(100):
                    answered += 1
                else:
                    reset_ += 1
            except OSError:
                reset_ += 1
    for s in socks:
        s.close()
    print("no_answer=%d answered=%d closed_or_reset=%d" % (len(socks) - answered - reset_, answered, reset_),
          flush=True)


def stall_server(host, port):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, int(port)))
    ls.listen(4096)
    ls.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(ls, selectors.EVENT_READ)
    held = []
    print("listening", flush=True)
    while True:
        for key, _ in sel.select():
            if key.fileobj is ls:
                try:
                    c, _ = ls.accept()
                except BlockingIOError:
                    continue
                c.setblocking(False)
                held.append(c)
                sel.register(c, selectors.EVENT_READ)
            else:
                try:
                    if not key.fileobj.recv(65536):
                        sel.unregister(key.fileobj)  # EOF: keep the socket open, never answer
                except OSError:
                    sel.unregister(key.fileobj)


def blackhole_server(host, port):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, int(port)))
    ls.listen(1)
    print("listening", flush=True)
    while True:
        time.sleep(3600)


def garbage_control(path):
    def exchange(payload, label):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        try:
            s.connect(path)
            s.sendall(payload)
            s.shutdown(socket.SHUT_WR)
            reply = b""
            while True:
                b = s.recv(65536)
                if not b:
                    break
                reply += b
            if reply.startswith(b"LVS1") and len(reply) >= 12:
                code, olen = struct.unpack(">ii", reply[4:12])
                elen = struct.unpack(">i", reply[12 + olen:16 + olen])[0]
                err = reply[16 + olen:16 + olen + elen].decode("utf-8", "replace").strip().splitlines()
                text = "exit %d: %s" % (code, err[0][:90] if err else "")
            else:
                text = "(closed, no reply)" if not reply else repr(reply[:60])
            print("  %-26s -> %s" % (label, text), flush=True)
        except OSError as e:
            print("  %-26s -> %s" % (label, e), flush=True)
        finally:
            s.close()

    rnd = random.Random(7)
    exchange(bytes(rnd.randrange(256) for _ in range(4096)), "4 KiB of random bytes")
    exchange(b"\x00" * 64 + b"\n", "NUL bytes")
    exchange(b"-A -t " + b"9" * 200000 + b"\n", "a 200 kB line")
    exchange(b"", "empty request")

    def framed(argv, stdin=b""):
        out = b"LVS1" + struct.pack(">i", len(argv))
        for a in argv:
            b = a.encode()
            out += struct.pack(">i", len(b)) + b
        return out + struct.pack(">i", len(stdin)) + stdin

    exchange(b"LVS1" + struct.pack(">i", 2**31 - 1), "LVS1, 2^31-1 arguments")
    exchange(b"LVS1" + struct.pack(">ii", 1, 2**31 - 1), "LVS1, a 2 GiB argument")
    exchange(b"LVS1" + struct.pack(">ii", 1, -5), "LVS1, negative length")
    exchange(framed(["-A", "-t", "bogus"]), "framed: -A -t bogus")
    exchange(framed(["--frobnicate"]), "framed: --frobnicate")
    exchange(framed(["-R"], b"-A -t 1.2.3.4\n-a garbage\n\xff\xfe\n"), "framed: -R with bad input")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(b"-L -")
    s.close()
    print("  %-26s -> %s" % ("half a request, then close", "sent"), flush=True)


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    table = {
        "idle": idle, "reset": reset, "refused": refused, "stall": stall,
        "stall-server": stall_server, "blackhole-server": blackhole_server,
        "garbage-control": garbage_control,
    }
    if cmd not in table:
        print("unknown command %r\n%s" % (cmd, __doc__), file=sys.stderr)
        return 2
    table[cmd](*args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
