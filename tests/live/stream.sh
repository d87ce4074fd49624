#!/bin/bash
# A shell runs a command: its exec line carries exactly that argv, the shell
# as parent and first ancestor; its exit line the code and duration.  The
# start line comes first, the stop line last.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

start_sw
# As root it runs as SCHED_FIFO 2 to read /proc before short lives end
# (/proc/PID/stat: field 40 rt_priority, 41 policy; realtime.sh has more).
read -r rtprio policy < <(awk '{ print $40, $41 }' /proc/"$SW_PID"/stat)
[ "$policy/$rtprio" = 1/2 ] || fail "policy $policy priority $rtprio, expected SCHED_FIFO (1) at 2"
# Long enough to be read at its exec: under valgrind (SLOW) the watch is
# slower, the command lives longer.
life=0.1
[ "$SLOW" -gt 1 ] && life=0.5
bash -c 'echo $$ >"$1/shell.pid"; /bin/sleep "$2"; exit 0' bash "$TMP" "$life"
shell=$(cat "$TMP/shell.pid")
sel=".ppid == $shell and .argv == [\"/bin/sleep\", \"$life\"]"
wait_until 10 has ".event == \"exit\" and $sel" || fail "no exit line for the shell's command"
stop_sw INT
[ "$SW_STATUS" = 0 ] || fail "SIGINT gave status $SW_STATUS, expected 0"

check_stream
[ "$(jq -r 'select(.seq == 1) | .event' "$OUT")" = start ] || fail "first line is not start"
[ "$(tail -n 1 "$OUT" | jq -r .event)" = stop ] || fail "last line is not stop"
[ "$(count '.event == "start"')" = 1 ] || fail "more than one start line"
[ "$(count '.event == "start" and .version and .kernel and .tracked > 1 and .rcvbuf > 0')" = 1 ] ||
	fail "start line incomplete"

exec_line=$(jq -c "select(.event == \"exec\" and $sel)" "$OUT")
[ "$(echo "$exec_line" | grep -c .)" = 1 ] || fail "expected one exec line, got: $exec_line"
echo "$exec_line" | jq -e --argjson sh "$shell" '
	.ancestry[0].pid == $sh and .ancestry[0].comm == "bash" and
	(.exe == "/bin/sleep" or .exe == "/usr/bin/sleep")' >/dev/null ||
	fail "exec line lacks the shell as ancestor: $exec_line"
echo "$exec_line" | jq -e '.comm == "sleep" and .user == "root" and .euid == 0 and
	(.cwd | type == "string") and (.ts | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{9}Z$")) and
	(.host | length > 0) and (.ancestry | length >= 2)' >/dev/null ||
	fail "exec line misses context: $exec_line"
pid=$(echo "$exec_line" | jq .pid)

# The fork that made the child names the shell, and carries the shell's argv.
has ".event == \"fork\" and .pid == $pid and .ppid == $shell and .thread == false and .argv[0] == \"bash\"" ||
	fail "no fork line for $pid from $shell"
exit_line=$(jq -c "select(.event == \"exit\" and .pid == $pid)" "$OUT")
echo "$exit_line" | jq -e '.exit_code == 0 and (has("signal") | not) and .core == false and
	(.duration_s | type == "number") and .duration_s >= 0.1 and .duration_s < 10' >/dev/null ||
	fail "exit line wrong: $exit_line"
# Lines appear in event order: fork, exec, exit.
jq -s -e --argjson p "$pid" '[.[] | select(.pid == $p) | .event] == ["fork", "exec", "exit"]' "$OUT" >/dev/null ||
	fail "events of $pid out of order"
tail -n 1 "$OUT" | jq -e '.stats.events.exec >= 1 and .stats.lost == 0 and .stats.rejected == 0' >/dev/null ||
	fail "stop line statistics wrong"
# Every kernel event's line was timed from its kernel timestamp to its write.
kernel=$(count '.event | IN("fork", "exec", "exit", "uid", "gid", "sid", "ptrace", "comm", "coredump")')
tail -n 1 "$OUT" | jq -e --argjson k "$kernel" '.stats.latency_us as $l |
	$l.n == $k and $l.p50 <= $l.p90 and $l.p90 <= $l.p99 and $l.p99 <= $l.max and
	$l.max < 60000000 and .stats.wakeups >= 1' >/dev/null ||
	fail "latency_us does not cover the $kernel kernel event lines: $(tail -n 1 "$OUT" | jq -c '[.stats.latency_us, .stats.wakeups]')"
pass "exec/fork/exit lines with argv, parent, ancestry and duration"
