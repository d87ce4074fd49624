#!/bin/bash
# Scheduling and batching.  spawnwatch runs as SCHED_FIFO 2, its /proc
# reader thread at 1, below it, both reset at fork
# (a -- COMMAND runs as an ordinary process); --no-realtime keeps it an
# ordinary process at nice -5.  In a storm it wakes far less often than
# once per event and loses none (kernels from 6.6 on, where an exec-only
# second subscription lets it read the main socket in batches).
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
: "${STORM:?the storm generator (bench/storm)}"

policy_of() {	# PID -> "policy rt_priority nice" from /proc/PID/stat
	awk '{ print $41, $40, $19 }' /proc/"$1"/stat
}

# -- COMMAND: the command itself is SCHED_OTHER (0) at nice 0.
"$SPAWNWATCH" --json -- bash -c 'awk "{ print \$41, \$40, \$19 }" /proc/$$/stat >"$1"' bash \
	"$TMP/child.sched" >"$OUT" 2>"$ERR" || fail "spawnwatch -- COMMAND failed: $(cat "$ERR")"
[ "$(cat "$TMP/child.sched")" = "0 0 0" ] ||
	fail "the command runs as policy/prio/nice $(cat "$TMP/child.sched"), expected 0 0 0"

# --no-realtime: spawnwatch at nice -5, the command still at nice 0; and
# one started at nice 5 runs its command at nice 5.
"$SPAWNWATCH" --json --no-realtime -- bash -c 'awk "{ print \$41, \$40, \$19 }" /proc/$$/stat >"$1"' \
	bash "$TMP/child.sched" >"$OUT" 2>"$ERR" || fail "--no-realtime -- COMMAND failed: $(cat "$ERR")"
[ "$(cat "$TMP/child.sched")" = "0 0 0" ] ||
	fail "--no-realtime: the command runs as policy/prio/nice $(cat "$TMP/child.sched"), expected 0 0 0"
nice -n 5 "$SPAWNWATCH" --json --no-realtime -- bash -c 'awk "{ print \$41, \$40, \$19 }" /proc/$$/stat >"$1"' \
	bash "$TMP/child.sched" >"$OUT" 2>"$ERR" || fail "nice 5 -- COMMAND failed: $(cat "$ERR")"
[ "$(cat "$TMP/child.sched")" = "0 0 5" ] ||
	fail "started at nice 5, the command runs as $(cat "$TMP/child.sched"), expected 0 0 5"

start_sw
[ "$(policy_of "$SW_PID")" = "1 2 0" ] || fail "spawnwatch: $(policy_of "$SW_PID"), expected SCHED_FIFO 2"
# Its other threads: the /proc reader at FIFO 1, below the loop.
threads=$(for t in /proc/"$SW_PID"/task/*; do
	[ "${t##*/}" = "$SW_PID" ] || awk '{ print $41, $40 }' "$t/stat"
done | sort | uniq -c | tr -s ' ')
echo "$threads" | grep -q " 1 1$" || fail "spawnwatch's reader thread: policy/prio $threads, expected SCHED_FIFO 1"
stop_sw
start_sw --no-realtime
[ "$(policy_of "$SW_PID")" = "0 0 -5" ] || fail "--no-realtime: $(policy_of "$SW_PID"), expected nice -5"
stop_sw
# Started as SCHED_FIFO already (a unit's CPUSchedulingPolicy=), it keeps that.
: >"$OUT"
chrt -f 3 "$SPAWNWATCH" --json >"$OUT" 2>>"$ERR" &
SW_PID=$!
wait_until 10 started || fail "no start line under chrt"
[ "$(policy_of "$SW_PID")" = "1 3 0" ] || fail "under chrt -f 3: $(policy_of "$SW_PID")"
stop_sw

# Batching: 20,000 threads (40,000 events, each a wakeup for a reader
# woken per event) in a storm of at least 1,000 events/s.
IFS=. read -r major minor _ <<<"$(uname -r)"
if [ "$major" -gt 6 ] || { [ "$major" = 6 ] && [ "$minor" -ge 6 ]; }; then
	start_sw --threads
	"$STORM" threads -n 20000 -c 2 -m rtbatch >"$TMP/storm.out" || fail "storm failed"
	stop_sw
	check_stream
	stats=$(tail -n 1 "$OUT" | jq -c .stats)
	rate=$(jq .rate "$TMP/storm.out")
	echo "$stats" | jq -e '.lost == 0 and .events.fork >= 20000 and .events.exit >= 20000' >/dev/null ||
		fail "storm: events lost or missing: $stats"
	if awk -v r="$rate" 'BEGIN { exit !(r * 2 >= 1000) }'; then
		echo "$stats" | jq -e '.wakeups * 4 < .events.fork + .events.exit' >/dev/null ||
			fail "storm at $rate threads/s: $(echo "$stats" | jq .wakeups) wakeups for $(echo "$stats" | jq '.events.fork + .events.exit') events"
	fi
	pass "SCHED_FIFO 2 (reader 1) reset at fork, --no-realtime nice -5; storm: $(echo "$stats" | jq .wakeups) wakeups for $(echo "$stats" | jq '.events.fork + .events.exit') events, 0 lost"
else
	pass "SCHED_FIFO 2 (reader 1) reset at fork, --no-realtime nice -5 (Linux $major.$minor: no batching to check)"
fi
