#!/bin/bash
# A parent that exits before its child: the child gets a `reparent` line
# naming the parent it lost and the one that adopted it, tagged orphaned.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

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
