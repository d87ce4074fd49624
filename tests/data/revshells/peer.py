# SPDX-License-Identifier: MIT
"""The attacker's end of a reverse shell, on loopback, for revshell.sh.

  python3 peer.py BASE MODE WORD [UPGRADE]

MODE is tcp, tcp6, udp or ssl (ssl with BASE.key and BASE.crt).  Listens
on a free port, written to BASE.port; once the shell connects (udp: once
its first datagram comes), sends UPGRADE if given, then a command whose
answer is WORDok and no text of the command itself, so that a terminal's
echo cannot pass for it.  No answer within 4 s: "exit" is sent too (a
shell run under backquotes answers when it ends).  The answer seen, BASE.ok
is written.  Then waits for BASE.done (20 s at most), says exit, closes.
"""
import os
import socket
import ssl
import sys
import time

base, mode, word = sys.argv[1], sys.argv[2], sys.argv[3]
upgrade = sys.argv[4] if len(sys.argv) > 4 else None
fam = socket.AF_INET6 if mode == "tcp6" else socket.AF_INET
host = "::1" if mode == "tcp6" else "127.0.0.1"
kind = socket.SOCK_DGRAM if mode == "udp" else socket.SOCK_STREAM
l = socket.socket(fam, kind)
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind((host, 0))
if mode != "udp":
    l.listen(1)
with open(base + ".port.tmp", "w") as f:
    f.write(str(l.getsockname()[1]))
os.rename(base + ".port.tmp", base + ".port")
l.settimeout(15)
peer = None
try:
    if mode == "udp":
        _, peer = l.recvfrom(65536)
        c = l
    else:
        c, _ = l.accept()
        l.close()
        if mode == "ssl":
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(base + ".crt", base + ".key")
            c = ctx.wrap_socket(c, server_side=True)
except (OSError, ssl.SSLError):
    sys.exit(1)


def send(text):
    data = (text + "\n").encode()
    try:
        if peer:
            c.sendto(data, peer)
        else:
            c.sendall(data)
    except (OSError, ssl.SSLError):
        pass


def done():
    return os.path.exists(base + ".done")


c.settimeout(0.2)
if upgrade:
    send(upgrade)
    time.sleep(1.0)
send("printf %s%s\\\\n " + word + " ok")
got = b""
start = time.time()
said_exit = False
want = (word + "ok").encode()
while want not in got and time.time() - start < 8 and not done():
    if not said_exit and time.time() - start > 4:
        send("exit")
        said_exit = True
    try:
        b = c.recv(65536)
    except socket.timeout:
        continue
    except (OSError, ssl.SSLError):
        break
    if not b:
        break
    got += b
if want in got:
    open(base + ".ok", "w").close()
end = time.time() + 20
while not done() and time.time() < end:
    time.sleep(0.05)
send("exit")
time.sleep(0.1)
try:
    c.close()
except OSError:
    pass
