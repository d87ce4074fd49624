#!/bin/bash
# Allow-lists judge the executable's path, never a name anyone may choose:
#  - strace copied to $TMP/x/gdb (comm and basename "gdb") attaching is
#    tagged ptrace-attach; so is a perl that renames itself gdb
#    (PR_SET_NAME) and attaches; so is a strace bind-mounted over
#    /usr/bin/gdb in a mount namespace of its own (its /proc exe reads
#    /usr/bin/gdb from the host); /usr/bin/strace itself is not;
#  - a copy of sh named cron, under the built-in rules, starting the same
#    job twice at once raises no cron-overlap (cron.sh: the real cron
#    daemon, known by its path, does).
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
command -v strace >/dev/null || { echo "SKIP: no strace"; exit 77; }
command -v perl >/dev/null || { echo "SKIP: no perl"; exit 77; }

mkdir "$TMP/x"
cp "$(command -v strace)" "$TMP/x/gdb"
cp "$(command -v sh)" "$TMP/x/cron"
victims=()
start_sw
# trace TRACER...: a sleeper of its own attached to by TRACER (-p PID
# appended), until the attach line is written; the sleeper's pid in $v.
trace() {
	/bin/sleep 30 &
	v=$!
	victims+=("$v")
	"$@" -o /dev/null -e trace=none -p "$v" >/dev/null 2>&1 &
	tracer=$!
	wait_until 10 has ".event == \"ptrace\" and .pid == $v and .attach" ||
		fail "no attach line for $v by $*"
	kill "$tracer" 2>/dev/null
	wait "$tracer" 2>/dev/null
}
trace "$TMP/x/gdb"
v_copy=$v
trace /usr/bin/strace
v_real=$v
# strace over /usr/bin/gdb, in a private mount namespace.
trace unshare -m sh -c 'mount --bind "$1" /usr/bin/gdb && shift && exec /usr/bin/gdb "$@"' \
	sh "$TMP/x/gdb"
v_bind=$v
# PR_SET_NAME: perl's $0 renames the process; then PTRACE_ATTACH (16) by
# the ptrace system call (101 on x86_64, 117 on arm64).
/bin/sleep 30 &
v_perl=$!
victims+=("$v_perl")
nr=101
[ "$(uname -m)" = aarch64 ] && nr=117
# (perl passes a string argument as a pointer: + 0 makes them numbers.)
perl -e 'my ($nr, $pid) = map { $_ + 0 } @ARGV; $0 = "gdb"; sleep 1;
	syscall($nr, 16, $pid, 0, 0) == 0 or die "attach: $!"; sleep 1' \
	"$nr" "$v_perl" &
p_perl=$!
wait_until 10 has ".event == \"ptrace\" and .pid == $v_perl and .attach" ||
	fail "no attach line for the perl renamed gdb"
wait "$p_perl" || fail "perl could not attach"

# The fake cron: the same job twice, the first still running.
job="/bin/sleep 2 0.0$$"
"$TMP/x/cron" -c "$job & sleep 0.5; $job & wait" &
fake=$!
wait "$fake"
wait_until 10 has ".event == \"exit\" and .ppid == $fake and .argv[2]? == \"0.0$$\"" ||
	fail "the fake cron's jobs were not seen"
kill -KILL "${victims[@]}" 2>/dev/null
wait "${victims[@]}" 2>/dev/null
sh -c 'kill -9 $$' 2>/dev/null
wait_until 10 has '.event == "exit" and (.tags // [] | index("killed"))' || fail "no sentinel"
stop_sw
check_stream

attach() { jq -c "select(.event == \"ptrace\" and .pid == $1 and .attach)" "$OUT"; }
l=$(attach "$v_copy")
echo "$l" | jq -e --arg exe "$TMP/x/gdb" '.tracer_comm == "gdb" and .tracer_exe == $exe and
	(.tags | index("ptrace-attach"))' >/dev/null || fail "strace copied to gdb was not tagged: $l"
l=$(attach "$v_real")
echo "$l" | jq -e '.tracer_exe == "/usr/bin/strace" and (has("tags") | not)' >/dev/null ||
	fail "/usr/bin/strace was tagged, or its exe is missing: $l"
l=$(attach "$v_bind")
echo "$l" | jq -e '.tracer_exe == "/usr/bin/gdb" and (.tags | index("ptrace-attach"))' >/dev/null ||
	fail "a /usr/bin/gdb bind-mounted in another mount namespace was trusted: $l"
l=$(attach "$v_perl")
echo "$l" | jq -e '.tracer_comm == "gdb" and (.tracer_exe | test("/perl")) and
	(.tags | index("ptrace-attach"))' >/dev/null || fail "perl renamed gdb was not tagged: $l"
pass "tracers named gdb (a copy, PR_SET_NAME, a bind mount) tagged; /usr/bin/strace not"
[ "$(count ".event == \"exec\" and .argv[2]? == \"0.0$$\"")" = 2 ] ||
	fail "expected two runs of the fake cron's job"
[ "$(count '.tags // [] | index("cron-overlap")')" = 0 ] ||
	fail "a copy of sh named cron raised cron-overlap: $(jq -c 'select(.tags // [] | index("cron-overlap"))' "$OUT")"
pass "a copy of sh named cron starts no cron jobs"
