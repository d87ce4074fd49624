#!/bin/bash
# spawnwatch ends under valgrind on one CPU: its threads are ended and
# joined before exit.  A thread left alive at exit is reaped by valgrind
# with a sched_yield() spin, under which a worker one real-time priority
# below the loop, on the same CPU, never runs: the run never ended.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
command -v valgrind >/dev/null || { echo "SKIP: no valgrind"; exit 77; }
command -v taskset >/dev/null || { echo "SKIP: no taskset"; exit 77; }
[ -z "${SANITIZED:-}" ] || { echo "SKIP: a sanitized build does not run under valgrind"; exit 77; }
sw=${SW_REAL:-$SPAWNWATCH}

for run in plain command; do
	: >"$OUT"
	if [ $run = plain ]; then
		taskset -c 0 valgrind -q --error-exitcode=99 "$sw" --json --duration 0.5 -o "$OUT" 2>"$ERR" &
	else
		taskset -c 0 valgrind -q --error-exitcode=99 "$sw" --json -o "$OUT" -- /bin/sh -c 'exit 0' 2>"$ERR" &
	fi
	vg=$!
	if ! wait_until 120 gone "$vg"; then
		threads_of "$vg" >&2
		kill -KILL "$vg"
		fail "$run: spawnwatch under valgrind on one CPU did not end within 120 s"
	fi
	st=0
	wait "$vg" || st=$?
	[ "$st" = 0 ] || fail "$run: status $st: $(cat "$ERR")"
	[ "$(tail -n 1 "$OUT" | jq -r .event)" = stop ] || fail "$run: no stop line"
done
pass "ends under valgrind on one CPU, with and without -- COMMAND"
