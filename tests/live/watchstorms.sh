#!/bin/bash
# contrib/watch-storms.  Dry run (no root needed): a hand-made log naming
# processes made here says what it would stop, and never pid 1, a kernel
# thread, spawnwatch, the watcher's own ancestors, a process renamed since,
# one started after the anomaly (a reused pid) or one already handled; lines
# that are not storms, or not JSON, are passed over.  As root, --act on a
# real stream: a loop forking sleepers is stopped (state T) and forks no
# more; then SIGCONT and SIGKILL.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
SRC=$(dirname "$LIVE_LIB")/../..
WS=$SRC/contrib/watch-storms

# Processes of known names that live until killed: sleep, bash (in a
# process group of its own, with its subshells), spawnwatch.
/bin/sleep 60 &
victim=$!
setsid bash -c '(sleep 60; :) & (sleep 60; :) & wait' &
bomb=$!
# Its two subshells, named bash too (and their sleeps, named sleep).
wait_until 10 eval '[ "$(cat /proc/$bomb/task/*/children | wc -w)" = 2 ]' || fail "no subshells"
mkfifo "$TMP/hold"
"$SPAWNWATCH" replay - <"$TMP/hold" >/dev/null 2>&1 &
sw_replay=$!
exec 3>"$TMP/hold"
wait_until 10 eval '[ "$(cat /proc/$sw_replay/comm 2>/dev/null)" = spawnwatch ]' ||
	[ -n "${VALGRIND:-}" ] || fail "no spawnwatch replay process"
true &
gone=$!
wait "$gone"
cleanup_ws() {
	exec 3>&-
	kill "$victim" "$sw_replay" 2>/dev/null
	kill -- "-$bomb" 2>/dev/null
	wait 2>/dev/null
	cleanup
}
trap cleanup_ws EXIT

now=$(date -u +%Y-%m-%dT%H:%M:%S.123456789Z)
line() { # PID COMM TAG [TS]
	printf '{"ts":"%s","seq":1,"host":"h","event":"anomaly","pid":%s,"ppid":1,"comm":"%s","tag":"%s","detail":{"count":250,"threshold":200},"tags":["%s"]}\n' \
		"${4:-$now}" "$1" "$2" "$3" "$3"
}
{
	echo '{"ts":"'"$now"'","seq":1,"host":"h","event":"start","version":"0.1.0"}'
	line "$victim" sleep spawn-storm
	echo 'not json at all'
	line "$victim" sleep spawn-storm
	line 1 "$(cat /proc/1/comm)" spawn-storm
	[ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ] && line 2 kthreadd spawn-storm
	line "$$" bash spawn-storm
	line "$sw_replay" spawnwatch spawn-storm
	line "$bomb" nginx spawn-storm
	line "$gone" true spawn-storm
	line "$bomb" bash zombie-accumulation
	line "$bomb" bash fork-bomb "2001-01-01T00:00:00.000000000Z"
	line "$bomb" bash fork-bomb
	echo '{"ts":"'"$now"'","seq":9,"host":"h","event":"exec","pid":'"$bomb"',"comm":"bash","tags":["spawn-storm"]}'
} >"$TMP/log.json"
"$WS" <"$TMP/log.json" >"$TMP/ws.out" 2>"$TMP/ws.err" || fail "watch-storms exited $?: $(cat "$TMP/ws.err")"
[ ! -s "$TMP/ws.err" ] || fail "watch-storms wrote on stderr: $(cat "$TMP/ws.err")"
expected() {
	echo "would stop $victim (sleep): spawn-storm, 250 children"
	echo "skipped $victim (sleep): already handled"
	echo "skipped 1 ($(cat /proc/1/comm)): pid 1"
	[ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ] && echo "skipped 2 (kthreadd): a kernel thread"
	echo "skipped $$ (bash): this watcher or its ancestor"
	[ -z "${VALGRIND:-}" ] && echo "skipped $sw_replay (spawnwatch): spawnwatch itself" ||
		echo "skipped $sw_replay (spawnwatch): now named $(cat "/proc/$sw_replay/comm")"
	echo "skipped $bomb (nginx): now named bash"
	echo "skipped $gone (true): gone"
	echo "skipped $bomb (bash): started after the anomaly (pid reused)"
	echo "would stop $bomb (bash): fork-bomb, 250 copies, and 2 descendants named bash"
}
diff "$TMP/ws.out" <(expected) >&2 || fail "dry run: not what was expected"
for p in "$victim" "$bomb"; do
	[ "$(awk '{ print $3 }' "/proc/$p/stat")" != T ] || fail "the dry run stopped $p"
done
"$WS" --help | grep -q -- '--act' || fail "--help does not mention --act"
st=0
"$WS" --bogus </dev/null 2>/dev/null || st=$?
[ "$st" = 2 ] || fail "an unknown argument gave status $st"
pass "dry run: would stop the storm's and the bomb's, skips pid 1, kthreads, spawnwatch, itself, renamed, reused, gone"

[ "$(id -u)" = 0 ] || {
	echo "SKIP: --act on a live stream needs root"
	exit 0
}
# Only this shell's subtree (--pid): a storm elsewhere on the host (another
# test run) is none of this test's business.
mkfifo "$TMP/stream" "$TMP/pace"
"$SPAWNWATCH" --json --tagged --pid $$ >"$TMP/stream" 2>"$ERR" &
SW_PID=$!
tee "$OUT" <"$TMP/stream" | "$WS" --act >"$TMP/act.out" 2>&1 &
wait_until 10 has '.event == "start"' || fail "no start line"
# A loop forking sleepers, about 200 a second (paced by a read that times
# out, which forks nothing), never more than 2000.
setsid bash -c 'exec 3<>"$1"; for i in $(seq 2000); do sleep 30 & read -rt 0.005 -u 3; done; wait' \
	bash "$TMP/pace" &
storm=$!
stopped() { [ "$(awk '{ print $3 }' "/proc/$storm/stat")" = T ]; }
wait_until 20 stopped || fail "the storm ($storm) was not stopped: $(cat "$TMP/act.out")"
kids() { cat /proc/"$storm"/task/*/children | wc -w; }
n=$(kids)
sleep 0.5
[ "$(kids)" = "$n" ] && [ "$n" -lt 2000 ] || fail "still forking while stopped: $n, then $(kids)"
grep -qx "stopped $storm (bash): spawn-storm, [0-9]* children" "$TMP/act.out" ||
	fail "no 'stopped' line: $(cat "$TMP/act.out")"
[ "$(grep -c '^stopped' "$TMP/act.out")" = 1 ] || fail "stopped more than the storm: $(cat "$TMP/act.out")"
kill -CONT "$storm"
kill -KILL -- "-$storm"
wait "$storm" 2>/dev/null
stop_sw
[ "$SW_STATUS" = 0 ] || fail "spawnwatch status $SW_STATUS"
has ".event == \"anomaly\" and .tag == \"spawn-storm\" and .pid == $storm" || fail "no spawn-storm anomaly line"
pass "--act stopped a real storm ($n children) at once and nothing else"
