#!/bin/bash
# Where the kernel lets anyone subscribe (Linux >= 6.6), an unprivileged
# run works and warns once, on stderr, what it cannot do; -q silences it.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
command -v setpriv >/dev/null || { echo "SKIP: no setpriv"; exit 77; }

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SPAWNWATCH" "$@"
}
chmod 0777 "$TMP"
st=0
as_nobody --json --duration 0.3 >"$OUT" 2>"$ERR" || st=$?
if [ "$st" = 1 ] && grep -q "not permitted" "$ERR"; then
	# An older kernel: the refusal must be the one-line root message.
	[ "$(wc -l <"$ERR")" = 1 ] || fail "refusal not one line: $(cat "$ERR")"
	pass "kernel refuses unprivileged subscriptions, said in one line"
	exit 0
fi
[ "$st" = 0 ] || fail "unprivileged run gave status $st: $(cat "$ERR")"
[ "$(wc -l <"$ERR")" = 1 ] && grep -q 'warning: not running as root' "$ERR" ||
	fail "no one-line warning: $(cat "$ERR")"
check_stream
[ "$(tail -n 1 "$OUT" | jq -r .event)" = stop ] || fail "no stop line"
pass "unprivileged: runs, warns once"

as_nobody --json --duration 0.3 -q >"$OUT" 2>"$ERR" || fail "-q run failed"
[ ! -s "$ERR" ] || fail "-q still warned: $(cat "$ERR")"
pass "-q silences the warning"

# Events still flow: root's processes are seen, their argv read.
setpriv --reuid=65534 --regid=65534 --clear-groups "$SPAWNWATCH" --json >"$OUT" 2>"$ERR" &
SW_PID=$!
wait_until 10 started || fail "no start line"
sh -c 'sleep 0.05' "$MARK"
wait_until 10 has '.event == "exit" and .argv[-1] == $mark' || fail "root's process not seen unprivileged"
stop_sw
pass "unprivileged run sees other users' processes"
