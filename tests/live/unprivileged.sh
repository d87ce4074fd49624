#!/bin/bash
# Not root.  Some kernels refuse an unprivileged subscription (bind: EPERM),
# others accept it; both are real, and each gets one line on stderr: the
# refusal, or one warning that names what is degraded (never both, never
# the warning before the kernel has answered).  Whatever the kernel's
# policy, nobody with CAP_NET_ADMIN may subscribe: that run is checked on
# every machine, and with CAP_SYS_PTRACE too, nothing is degraded.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
command -v setpriv >/dev/null || { echo "SKIP: no setpriv"; exit 77; }

# nobody CAP,...: the command line that runs spawnwatch as nobody with
# those capabilities, in $NOBODY (so that a background run's $! is its pid).
nobody() {
	NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	[ -z "$1" ] || NOBODY+=(--inh-caps="$1" --ambient-caps="$1")
	NOBODY+=("$SPAWNWATCH")
}
as_nobody() {
	nobody "$1"
	shift
	"${NOBODY[@]}" "$@"
}
one_line() {
	[ "$(wc -l <"$ERR")" = 1 ] || fail "$1: stderr is not one line: $(cat "$ERR")"
}
chmod 0777 "$TMP"

# 1. Plain nobody: this kernel's own policy.
st=0
as_nobody "" --json --duration 0.3 >"$OUT" 2>"$ERR" || st=$?
if [ "$st" = 1 ]; then
	one_line "refusal"
	grep -q 'not permitted to listen to process events: run as root (or with CAP_NET_ADMIN)' "$ERR" ||
		fail "refusal does not say what is needed: $(cat "$ERR")"
	[ ! -s "$OUT" ] || fail "a refused run wrote to stdout"
	pass "this kernel refuses unprivileged subscriptions: said in one line, no warning"
else
	[ "$st" = 0 ] || fail "unprivileged run gave status $st: $(cat "$ERR")"
	one_line "warning"
	grep -q '^spawnwatch: warning: not running as root: exe and cwd .* unreadable (no CAP_SYS_PTRACE), and the receive buffer is capped at net.core.rmem_max' "$ERR" ||
		fail "the warning does not name both degradations: $(cat "$ERR")"
	check_stream
	[ "$(tail -n 1 "$OUT" | jq -r .event)" = stop ] || fail "no stop line"
	pass "this kernel accepts unprivileged subscriptions: runs, warns once"
fi

# 2. nobody with CAP_NET_ADMIN: the buffer is what was asked; exe and cwd
#    of others are still unreadable, and the one warning says only that.
st=0
as_nobody +net_admin --json --duration 0.3 --rcvbuf 32M >"$OUT" 2>"$ERR" || st=$?
[ "$st" = 0 ] || fail "nobody with CAP_NET_ADMIN: status $st"
one_line "CAP_NET_ADMIN warning"
grep -q '^spawnwatch: warning: not running as root: exe and cwd of other users. processes are unreadable (no CAP_SYS_PTRACE)$' "$ERR" ||
	fail "wrong warning with CAP_NET_ADMIN: $(cat "$ERR")"
check_stream
head -n 1 "$OUT" | jq -e '.event == "start" and .rcvbuf >= 32 * 1048576' >/dev/null ||
	fail "the buffer is not what was asked: $(head -n 1 "$OUT")"
[ "$(tail -n 1 "$OUT" | jq -r .event)" = stop ] || fail "no stop line"
pass "nobody with CAP_NET_ADMIN: full buffer, one warning about exe and cwd only"

as_nobody +net_admin --json --duration 0.3 -q >"$OUT" 2>"$ERR" || fail "-q run failed"
[ ! -s "$ERR" ] || fail "-q still warned: $(cat "$ERR")"
pass "-q silences the warning"

# 3. With CAP_SYS_PTRACE too nothing is degraded: no warning at all, and
#    root's processes come with their exe and cwd.
nobody +net_admin,+sys_ptrace
"${NOBODY[@]}" --json >"$OUT" 2>"$ERR" &
SW_PID=$!
wait_until 10 started || fail "no start line"
has '.event == "start"' || fail "ended before its start line: $(cat "$ERR")"
(cd /root && sh -c 'sleep 0.05' "$MARK")
wait_until 10 has '.event == "exit" and .argv[-1] == $mark' || fail "root's process not seen as nobody"
stop_sw
[ ! -s "$ERR" ] || fail "warned with nothing degraded: $(cat "$ERR")"
has '.event == "exec" and .argv[-1] == $mark and (.exe | endswith("sh")) and .cwd == "/root"' ||
	fail "root's exe or cwd unread with CAP_SYS_PTRACE: $(jq -c 'select(.argv[-1]? == $mark)' --arg mark "$MARK" "$OUT")"
pass "nobody with CAP_NET_ADMIN and CAP_SYS_PTRACE: no warning, other users' exe and cwd read"

# 4. Without CAP_SYS_PTRACE, root's processes are still seen, with argv
#    but without exe (unreadable, never guessed).
nobody +net_admin
"${NOBODY[@]}" --json -q >"$OUT" 2>"$ERR" &
SW_PID=$!
wait_until 10 started || fail "no start line"
(cd /root && sh -c 'sleep 0.05' "$MARK")
wait_until 10 has '.event == "exit" and .argv[-1] == $mark' || fail "root's process not seen unprivileged"
stop_sw
has '.event == "exec" and .argv[-1] == $mark and (has("exe") | not)' ||
	fail "root's exe was given without the right to read it: $(jq -c 'select(.argv[-1]? == $mark)' --arg mark "$MARK" "$OUT")"
pass "unprivileged run sees other users' processes and their argv, not their exe"
