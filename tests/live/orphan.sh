#!/bin/bash
# A parent that exits before its child: the child gets a `reparent` line
# naming the parent it lost and the one that adopted it, tagged orphaned.
# Then multi-threaded parents (tests/live/threaded.c, as runc or a Go
# program): whichever thread goes last, the leader or not, and whichever
# thread forked the child.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
THREADED=${THREADED:-$(dirname "$0")/threaded}
[ -x "$THREADED" ] || fail "no $THREADED (make check builds it)"

start_sw
# The middle shell starts a sleeper, reports both pids and exits at once.
bash -c '/bin/sleep 3 & echo "$$ $!" >"$1/pids"' bash "$TMP"
read -r parent child <"$TMP/pids"
wait_until 10 has ".event == \"reparent\" and .pid == $child" ||
	fail "no reparent line for $child after $parent exited"
adopter=$(awk '{ print $4 }' /proc/"$child"/stat)
kill "$child"
wait_exit_of "$child"
stop_sw
check_stream

line=$(jq -c "select(.event == \"reparent\" and .pid == $child)" "$OUT")
echo "$line" | jq -e --argjson old "$parent" --argjson new "$adopter" '
	.prev_ppid == $old and .ppid == $new and .tags == ["orphaned"] and
	(.comm == "sleep" or .comm == "bash") and (.ancestry[0].pid == $new)' >/dev/null ||
	fail "reparent line wrong (parent $parent, adopter $adopter): $line"
# It comes after the parent's exit, and the child's own exit names the adopter.
jq -s -e --argjson p "$parent" --argjson c "$child" '
	(map(.event == "exit" and .pid == $p) | index(true)) <
	(map(.event == "reparent" and .pid == $c) | index(true))' "$OUT" >/dev/null ||
	fail "reparent line before the parent's exit"
has ".event == \"exit\" and .pid == $child and .ppid == $adopter" ||
	fail "the orphan's exit does not name its adopter"
[ "$(count ".event == \"reparent\" and .pid == $child")" = 1 ] || fail "more than one reparent line"
pass "orphan $child: reparented from $parent to $adopter"

# The threaded parents, all at once: each prints its pid and its child's.
start_sw
runs=()
for mode in main thread leader; do
	for forker in main thread; do
		"$THREADED" "$mode" "$forker" 5 >"$TMP/t-$mode-$forker" ||
			fail "threaded $mode $forker failed"
		runs+=("$mode-$forker")
	done
done
declare -A tparent tchild tadopter
for run in "${runs[@]}"; do
	read -r p c <"$TMP/t-$run"
	tparent[$run]=$p tchild[$run]=$c
	wait_until 10 has ".event == \"reparent\" and .pid == $c" ||
		fail "threaded parent ($run) ${tparent[$run]} exited: no reparent line for its child $c"
	tadopter[$run]=$(awk '{ print $4 }' /proc/"$c"/stat)
done
for run in "${runs[@]}"; do
	kill "${tchild[$run]}"
done
for run in "${runs[@]}"; do
	wait_exit_of "${tchild[$run]}"
done
stop_sw
check_stream
for run in "${runs[@]}"; do
	p=${tparent[$run]} c=${tchild[$run]} a=${tadopter[$run]}
	[ "$a" != "$p" ] || fail "threaded ($run): the kernel did not move $c"
	n=$(count ".event == \"reparent\" and .pid == $c")
	[ "$n" = 1 ] || fail "threaded ($run): $n reparent lines for $c"
	line=$(jq -c "select(.event == \"reparent\" and .pid == $c)" "$OUT")
	echo "$line" | jq -e --argjson old "$p" --argjson new "$a" '
		.prev_ppid == $old and .ppid == $new and .tags == ["orphaned"] and
		.comm == "sleep" and .ancestry[0].pid == $new' >/dev/null ||
		fail "threaded ($run): reparent line wrong (parent $p, adopter $a): $line"
	has ".event == \"exit\" and .pid == $c and .ppid == $a" ||
		fail "threaded ($run): the orphan's exit does not name its adopter $a"
	jq -s -e --argjson p "$p" --argjson c "$c" '
		(map(.event == "exit" and .pid == $p) | index(true)) <
		(map(.event == "reparent" and .pid == $c) | index(true))' "$OUT" >/dev/null ||
		fail "threaded ($run): reparent line before the parent's exit"
done
pass "threaded parents (${runs[*]}): each child reparented once, to its adopter"
