#!/bin/bash
# A process whose command line cannot be read does not stop the stream.
# stallfs is a FUSE file system whose reads never return; stallmm maps its
# file and faults it in with its own mmap lock held, then queues a writer
# for the lock, so that whoever reads its /proc/PID/cmdline waits forever
# (what any user can do to their own processes).  With one such process
# alive, spawnwatch starts (the seeding scan gives up on its command line),
# forest finishes, the exec of a second one comes out on time without argv
# and with unread.argv "proc_timeout", other execs keep their argv, the stop
# line counts the timeouts and the stuck readers, and SIGTERM ends it.
# The rules' own file checks (an argv[0] looked up, a config file read)
# never enter the stalled mount either.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

STALLFS=${STALLFS:-$(dirname "$0")/stallfs}
STALLMM=${STALLMM:-$(dirname "$0")/stallmm}
[ -x "$STALLFS" ] || fail "no stallfs at $STALLFS (set STALLFS)"
[ -x "$STALLMM" ] || fail "no stallmm at $STALLMM (set STALLMM)"
if [ ! -c /dev/fuse ]; then
	echo "SKIP: no /dev/fuse"
	exit 77
fi

# LeakSanitizer stops every thread with ptrace at exit, and a thread left
# in the blocked read never stops: with ASan, exits would hang.
if [[ ${SANITIZED:-} == *address* ]]; then
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
fi

MNT=$TMP/mnt
FS_PID=
STALLED=()
# The stalled processes first (their reads end when the server goes), then
# the server, then the mount: on every way out, so that no reader on the
# host stays blocked on them.
unstall() {
	local p
	for p in "${STALLED[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	[ -n "$FS_PID" ] && kill -KILL "$FS_PID" 2>/dev/null
	# A mount whose server is gone fails stat (ENOTCONN): unmount blind.
	if grep -qF " $MNT " /proc/mounts; then
		fusermount3 -u -z "$MNT" 2>/dev/null || umount -l "$MNT" 2>/dev/null
	fi
	STALLED=()
	FS_PID=
}
trap 'unstall; cleanup' EXIT

mkdir "$MNT"
"$STALLFS" "$MNT" >"$TMP/fs.out" 2>"$TMP/fs.err" &
FS_PID=$!
mounted() { [ -f "$MNT/stall" ]; }
wait_until 10 mounted || fail "stallfs did not mount: $(cat "$TMP/fs.err")"

# stall NAME: a stalled process, its pid in $STALL_PID once it is ready.
STALL_NAME=
ready() { grep -q '^ready' "$TMP/$STALL_NAME.out" || ! kill -0 "$STALL_PID" 2>/dev/null; }
stall() {
	STALL_NAME=$1
	"$STALLMM" lock "$MNT/stall" "$1" >"$TMP/$1.out" 2>"$TMP/$1.err" &
	STALL_PID=$!
	STALLED+=("$STALL_PID")
	wait_until $((15 * SLOW)) ready || fail "stallmm $1 never got ready: $(cat "$TMP/$1.err")"
	grep -q '^ready' "$TMP/$1.out" || fail "stallmm $1: $(cat "$TMP/$1.err")"
}

stall "$MARK-seed"
seed=$STALL_PID
rc=0
timeout 1 cat "/proc/$seed/cmdline" >/dev/null || rc=$?
[ "$rc" = 124 ] || fail "the stall does not hold: reading /proc/$seed/cmdline ended with $rc"
pass "reading /proc/$seed/cmdline blocks"

# The seeding scan reads every process: it must not wait for this one.
t0=$(date +%s%N)
start_sw
ms=$((($(date +%s%N) - t0) / 1000000))
pass "spawnwatch started in $ms ms with a stalled process alive"

rc=0
# The whole forest is read; its subtree is printed (jq's depth limit).
timeout $((20 * SLOW)) "$SPAWNWATCH" forest --json "$seed" >"$TMP/forest.json" \
	2>"$TMP/forest.err" || rc=$?
[ "$rc" = 0 ] || fail "forest ended with $rc: $(head -c 300 "$TMP/forest.err")"
jq -e -s --argjson p "$seed" '[.. | objects | select(.pid? == $p)] |
	length > 0 and all(has("argv") | not)' "$TMP/forest.json" >/dev/null ||
	fail "forest does not show the stalled process $seed without its argv"
pass "forest finished and shows $seed without argv"

# spawnwatch stops while the second one execs and stalls, as one busy
# elsewhere would be: its read of the exec comes after the stall.
kill -STOP "$SW_PID"
stall "$MARK-exec"
execd=$STALL_PID
kill -CONT "$SW_PID"
t0=$(date +%s%N)
exec_seen() { has ".event == \"exec\" and .pid == $execd"; }
wait_until 5 exec_seen || fail "no exec line for the stalled process $execd within 5 s"
ms=$((($(date +%s%N) - t0) / 1000000))
line=$(jq -c "select(.event == \"exec\" and .pid == $execd)" "$OUT")
echo "$line" | jq -e '.unread.argv == "proc_timeout" and (has("argv") | not) and
	(.exe | endswith("/stallmm")) and .comm == "stallmm" and
	(.unread | has("exe") | not)' >/dev/null ||
	fail "the stalled exec's line lacks unread.argv proc_timeout or its exe: $line"
pass "the stalled exec came out $ms ms after spawnwatch went on: $line"

# The loop read it on its own thread (no switch to a reader per exec): that
# thread is the one left blocked, and another carries the watch on.
state=$(awk '{ print $3 }' "/proc/$SW_PID/task/$SW_PID/stat" 2>/dev/null)
[ "$state" = D ] || fail "spawnwatch's first thread is '$state', not blocked (D) in the read"
pass "the loop's own thread is the one left in the read ($state); the watch goes on"

# Everyone else's execs keep flowing, with their argv.
for i in 1 2 3; do
	/bin/true "$MARK-after-$i"
done
after_seen() { [ "$(count '.event == "exec" and ((.argv[1]? // "") | startswith($mark + "-after"))')" -ge 3 ]; }
wait_until 5 after_seen || fail "other execs did not come out with their argv after the stall"
pass "other execs flow with their argv"

# The rules never walk into the stalled mount: an argv[0] naming its file
# (masquerade looks argv[0] up) and a config file there given to a program
# in a hidden directory (miner reads it).  Both stay alive while judged;
# the execs after them come out on time.
IDLE=${IDLE:-$(dirname "$0")/idle}
[ -x "$IDLE" ] || fail "no idle helper at $IDLE (set IDLE)"
{
	mkdir -p "$TMP/.cache"
	cp "$IDLE" "$TMP/.cache/worker"
	(exec -a "$MNT/stall" "$IDLE" "$MARK-a0") &
	STALLED+=("$!")
	"$TMP/.cache/worker" -c "$MNT/stall" "$MARK-cfg" &
	STALLED+=("$!")
	for i in 1 2 3; do
		/bin/true "$MARK-rules-$i"
	done
	rules_seen() {
		[ "$(count '.event == "exec" and ((.argv[1]? // "") | startswith($mark + "-rules"))')" -ge 3 ] &&
			has '.event == "exec" and (.argv[1]? == ($mark + "-a0"))' &&
			has '.event == "exec" and (.argv[3]? == ($mark + "-cfg"))'
	}
	wait_until 5 rules_seen ||
		fail "the execs after an argv[0] and a config file on the stalled mount did not come out within 5 s"
	pass "masquerade's and miner's file checks do not enter the stalled mount"
}

kill -TERM "$SW_PID"
gone() { ! kill -0 "$SW_PID" 2>/dev/null; }
wait_until 10 gone || fail "spawnwatch did not end within 10 s of SIGTERM"
SW_STATUS=0
wait "$SW_PID" || SW_STATUS=$?
SW_PID=
[ "$SW_STATUS" = 0 ] || fail "SIGTERM gave status $SW_STATUS, expected 0"
check_stream
stop=$(jq -c 'select(.event == "stop") | .stats | {proc_timeout, readers_stuck}' "$OUT")
echo "$stop" | jq -e '.proc_timeout >= 2 and .readers_stuck >= 2' >/dev/null ||
	fail "the stop line does not count the seed's and the exec's timeouts: $stop"
pass "the stop line counts them: $stop"
unstall
