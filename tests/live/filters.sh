#!/bin/bash
# --events, --nonzero-exit, --threads, --count and --duration.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

# --events exec: nothing but exec lines between start and stop.
start_sw --events exec
# Long enough to be read at its exec, under valgrind (SLOW) too.
life=0.05
[ "$SLOW" -gt 1 ] && life=0.5
sh -c 'sleep "$0"; exit 0' "$life" "$MARK-a"
wait_until 10 has '.event == "exec" and .argv[-1] == ($mark + "-a")' || fail "exec not seen"
stop_sw
check_stream
[ "$(count '.event != "exec" and .event != "start" and .event != "stop"')" = 0 ] ||
	fail "--events exec let other events through"
jq -e -s '.[0].filter.events == ["exec"]' "$OUT" >/dev/null || fail "start line does not show the filter"
pass "--events exec"

# --nonzero-exit: exit 0 hidden, exit 5 shown.
start_sw --events exit --nonzero-exit
sh -c 'sleep 0.05; exit 0' "$MARK-zero"
sh -c 'sleep 0.05; exit 5' "$MARK-five"
wait_until 10 has '.event == "exit" and .argv[-1] == ($mark + "-five")' || fail "failing exit not seen"
stop_sw
[ "$(count '.event == "exit" and .argv[-1] == ($mark + "-zero")')" = 0 ] || fail "exit 0 shown"
[ "$(count '.event == "exit" and .exit_code == 0')" = 0 ] || fail "--nonzero-exit showed a clean exit"
pass "--nonzero-exit"

# --threads: thread creation shown only when asked for.
for mode in off on; do
	if [ $mode = on ]; then start_sw --threads; else start_sw; fi
	"$STORM" threads -n 4 -c 1 >"$TMP/storm.json" &
	spid=$!
	wait "$spid" || fail "storm threads failed"
	wait_exit_of "$spid"
	stop_sw
	mine=".thread == true and (.pid == $spid or any(.ancestry[]?; .pid == $spid))"
	n=$(count ".event == \"fork\" and $mine")
	if [ $mode = on ]; then
		[ "$n" -ge 4 ] || fail "--threads showed $n thread forks, expected 4"
		has ".event == \"fork\" and $mine and .tid != .pid" ||
			fail "thread fork without tid"
	else
		[ "$n" = 0 ] || fail "thread forks shown without --threads"
	fi
done
pass "--threads"

# --count 3: three event lines, then the stop line, status 0.
"$SPAWNWATCH" --json --count 3 >"$OUT" 2>"$ERR" &
SW_PID=$!
wait_until 10 has '.event == "start"' || fail "no start line"
for _ in 1 2 3 4 5 6 7 8 9 10; do
	kill -0 "$SW_PID" 2>/dev/null || break
	/bin/true
done
wait_until 10 eval '! kill -0 $SW_PID 2>/dev/null' || fail "--count 3 did not stop"
SW_STATUS=0
wait "$SW_PID" || SW_STATUS=$?
SW_PID=
[ "$SW_STATUS" = 0 ] || fail "--count gave status $SW_STATUS"
[ "$(count '.event != "start" and .event != "stop" and .event != "lost"')" = 3 ] ||
	fail "--count 3 wrote $(count '.event != "start" and .event != "stop"') events"
[ "$(tail -n 1 "$OUT" | jq -r .event)" = stop ] || fail "no stop line after --count"
pass "--count"

# --stats: a summary on stderr at exit, top spawners included.
"$SPAWNWATCH" --json --stats >"$OUT" 2>"$ERR" &
SW_PID=$!
wait_until 10 has '.event == "start"' || fail "no start line"
for _ in 1 2 3 4 5; do /bin/true; done
stop_sw
grep -q '^spawnwatch: events: fork [1-9]' "$ERR" || fail "--stats: no event counts: $(cat "$ERR")"
grep -q "^spawnwatch: top spawners: .*$$ bash ([0-9]* forks)" "$ERR" ||
	fail "--stats: this shell ($$) is not among the top spawners: $(cat "$ERR")"
grep -q 'events/s' "$ERR" && fail "--stats wrote a live status line to a file"
pass "--stats"

# --stats with stderr on a terminal: a status line each second, cleared
# before the summary.
if command -v script >/dev/null; then
	script -qfec "$SPAWNWATCH --stats -o $TMP/tty.jsonl -d 2.5" /dev/null >"$TMP/tty" 2>&1 &
	tty_run=$!
	for _ in $(seq 20); do /bin/true; sleep 0.1; done
	wait "$tty_run" || fail "--stats on a terminal: status $?"
	[ "$(grep -o 'spawnwatch: [0-9]* events/s, [0-9]* lost, [0-9]* tracked, [0-9]* anomal' "$TMP/tty" | wc -l)" -ge 2 ] ||
		fail "no live status lines: $(cat -v "$TMP/tty" | head -c 300)"
	grep -q "$(printf '\r\033\\[K')spawnwatch: events:" "$TMP/tty" || fail "the status line was not cleared before the summary"
	pass "--stats on a terminal: a live status line, cleared at the end"
fi

# --duration 1: stops by itself, about a second later.
begin=$(date +%s%N)
"$SPAWNWATCH" --json --duration 1 >"$OUT" 2>"$ERR" || fail "--duration gave status $?"
ms=$((($(date +%s%N) - begin) / 1000000))
[ "$ms" -ge 1000 ] && [ "$ms" -lt 10000 ] || fail "--duration 1 ran ${ms} ms"
[ "$(tail -n 1 "$OUT" | jq -r .event)" = stop ] || fail "no stop line after --duration"
pass "--duration (${ms} ms)"
