#!/bin/bash
# A pid reused by a new process is a new identity.  The reuse helper runs
# "sleep 0.2" as child A, reaps it, then makes child B on the very same pid
# with clone3(set_tid) and runs "sleep 0.1".  Each exec and exit line carries
# its own process's argv (B's exit never A's), B's duration counts from B's
# own fork, and both have the helper as parent and first ancestor.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

REUSE=${REUSE:-$(dirname "$0")/reuse}
[ -x "$REUSE" ] || fail "no reuse helper at $REUSE (set REUSE)"

start_sw
"$REUSE" "$MARK" >"$TMP/reuse.json" 2>"$TMP/reuse.err" &
helper=$!
rc=0
wait "$helper" || rc=$?
if [ "$rc" = 77 ]; then
	stop_sw
	echo "SKIP: cannot reuse a pid with clone3(set_tid): $(cat "$TMP/reuse.err")"
	exit 77
fi
[ "$rc" = 0 ] || fail "reuse helper failed with status $rc: $(cat "$TMP/reuse.err")"
pid=$(jq -e .pid "$TMP/reuse.json") || fail "reuse helper printed no pid: $(cat "$TMP/reuse.json")"
[ "$(jq .helper "$TMP/reuse.json")" = "$helper" ] ||
	fail "reuse helper reports pid $(jq .helper "$TMP/reuse.json"), bash saw $helper"

# The events of both processes on the pid, in stream order.
on_pid=".pid == $pid and .thread != true and (.event == \"fork\" or .event == \"exec\" or .event == \"exit\")"
exits_seen() { [ "$(count "$on_pid and .event == \"exit\"")" -ge 2 ]; }
wait_until 10 exits_seen || fail "no exit line for B (the second process on pid $pid)"
stop_sw INT
[ "$SW_STATUS" = 0 ] || fail "SIGINT gave status $SW_STATUS, expected 0"
check_stream

jq -c "select($on_pid)" "$OUT" >"$TMP/pid.json"
show() { cat "$TMP/pid.json" >&2; }
events=$(jq -s -c 'map(.event)' "$TMP/pid.json")
if [ "$events" != '["fork","exec","exit","fork","exec","exit"]' ]; then
	show
	fail "events on pid $pid are $events, expected fork, exec, exit twice (A then B)"
fi
# Identified by order: 0-2 are A's fork, exec, exit, 3-5 are B's.
line() { jq -s -c ".[$1]" "$TMP/pid.json"; }
a_argv="[\"$MARK-a\",\"0.2\"]"
b_argv="[\"$MARK-b\",\"0.1\"]"
for i in 0 1 2 3 4 5; do
	l=$(line "$i")
	name=$([ "$i" -lt 3 ] && echo A || echo B)
	echo "$l" | jq -e 'has("argv")' >/dev/null ||
		fail "line $i on pid $pid ($name's $(echo "$l" | jq -r .event)) has no argv: $l"
done

# A fork line carries what the child inherited: the helper's argv, not A's.
for i in 0 3; do
	line "$i" | jq -e --argjson h "$helper" --arg r "$REUSE" --arg mark "$MARK" '.ppid == $h and
		.thread == false and .ancestry[0].pid == $h and .argv == [$r, $mark]' >/dev/null ||
		fail "fork line $i on pid $pid lacks the helper $helper as parent or its argv: $(line "$i")"
done
line 1 | jq -e --argjson a "$a_argv" '.argv == $a' >/dev/null ||
	fail "A's exec line lacks A's argv $a_argv: $(line 1)"
line 4 | jq -e --argjson b "$b_argv" '.argv == $b' >/dev/null ||
	fail "B's exec line lacks B's argv $b_argv: $(line 4)"
line 2 | jq -e --argjson a "$a_argv" '.argv == $a' >/dev/null ||
	fail "A's exit line lacks A's argv $a_argv: $(line 2)"
if line 5 | jq -e --argjson a "$a_argv" '.argv == $a' >/dev/null; then
	show
	fail "B's exit line carries A's argv: the two processes on pid $pid are mixed"
fi
line 5 | jq -e --argjson b "$b_argv" '.argv == $b' >/dev/null ||
	fail "B's exit line lacks B's argv $b_argv: $(line 5)"
for i in 1 2 4 5; do
	line "$i" | jq -e --argjson h "$helper" '.ppid == $h and .ancestry[0].pid == $h' >/dev/null ||
		fail "line $i on pid $pid lacks the helper $helper as parent and first ancestor: $(line "$i")"
done
pass "two processes on pid $pid: fork, exec and exit each with its own argv"

# Durations: A slept 0.2 s, B 0.1 s.  Counted from A's start, B's would be
# at least 0.3 s; counted from B's own fork it is at least 0.1 s and matches
# the kernel timestamps of B's fork and exit lines.
line 2 | jq -e '.exit_code == 0 and .duration_s >= 0.2 and .duration_s < 10' >/dev/null ||
	fail "A's exit line has a wrong code or duration: $(line 2)"
line 5 | jq -e '.exit_code == 0 and .duration_s >= 0.1' >/dev/null ||
	fail "B's exit line has a wrong code or a duration under 0.1 s: $(line 5)"
if ! line 5 | jq -e '.duration_s < 0.2 + 0.1' >/dev/null; then
	show
	fail "B's duration is not under 0.3 s: counted from A's start?"
fi
jq -s -e 'def t: (.ts[0:19] + "Z" | fromdateiso8601) + ("0" + .ts[19:-1] | tonumber);
	(.[5].duration_s - (.[5] | t) + (.[3] | t) | fabs) < 0.002' "$TMP/pid.json" >/dev/null || {
	show
	fail "B's duration_s does not match the time from B's fork line to its exit line"
}
pass "B's duration counts from its own fork, not from A's"
