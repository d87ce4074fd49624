#!/bin/bash
# Faults, each with its defined behaviour:
#  - a reader that stalls (a stopped consumer on a pipe): what the kernel
#    dropped meanwhile is reported as lost, and the stream goes on;
#  - the output filesystem fills up: one clear error, status 1, and the
#    file ends with a whole line;
#  - SIGHUP rotations during a storm: no line lost or torn across them;
#  - kill -9 mid-storm: whole lines, the last one at the latest once the
#    file is opened again (a killed write can stop between two pages).
# (Forged frames: forged.sh.  An ack that never comes: namespace.sh.)
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
: "${STORM:?the storm generator (bench/storm)}"

# start_to FILE ARGS...: spawnwatch --json -o FILE, once its start line is out.
start_to() {
	local file=$1
	shift
	"$SPAWNWATCH" --json -o "$file" "$@" 2>"$ERR" &
	SW_PID=$!
	wait_until 10 eval '[ -s "$file" ]' || fail "no start line in $file"
}

whole_lines() {
	[ ! -s "$1" ] || [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] ||
		fail "$1 ends in half a line"
	jq -e -s 'all(.[]; type == "object")' "$1" >/dev/null || fail "$1 has a torn line"
}

# 1. A stalled reader.
mkfifo "$TMP/pipe"
cat "$TMP/pipe" >"$OUT" &
reader=$!
"$SPAWNWATCH" --json --rcvbuf 64K >"$TMP/pipe" 2>"$ERR" &
SW_PID=$!
wait_until 10 has '.event == "start"' || fail "no start line through the pipe"
kill -STOP "$reader"
"$STORM" fork -n 5000 -c 2 >/dev/null || fail "storm failed"
kill -CONT "$reader"
wait_until 15 has '.event == "lost"' || fail "no lost line after the reader stalled"
/bin/sleep 0.1 "0.0$$"
wait_until 15 has ".event == \"exit\" and .argv[2]? == \"0.0$$\"" || fail "the stream did not resume"
stop_sw
wait "$reader"
[ "$SW_STATUS" = 0 ] || fail "status $SW_STATUS after a stalled reader"
check_stream
lost=$(jq -s '[.[] | select(.event == "lost") | .count // 0] | add' "$OUT")
tail -n 1 "$OUT" | jq -e --argjson l "$lost" '.stats.lost == $l and $l > 0' >/dev/null ||
	fail "lost lines ($lost) and stop stats disagree: $(tail -n 1 "$OUT" | jq -c .stats.lost_by)"
pass "stalled reader: $lost events reported lost, then the stream went on"

# 2. A full filesystem.
mkdir "$TMP/full"
if mount -t tmpfs -o size=256k tmpfs "$TMP/full" 2>/dev/null; then
	trap 'umount "$TMP/full" 2>/dev/null; cleanup' EXIT
	st=0
	start_to "$TMP/full/log.json"
	for _ in 1 2 3 4 5; do
		kill -0 "$SW_PID" 2>/dev/null || break
		"$STORM" fork -n 2000 -c 2 >/dev/null
	done
	wait "$SW_PID" || st=$?
	SW_PID=
	[ "$st" = 1 ] || fail "status $st on a full disk"
	[ "$(wc -l <"$ERR")" = 1 ] && grep -q "^spawnwatch: cannot write $TMP/full/log.json: No space left on device$" "$ERR" ||
		fail "not one clear error: $(cat "$ERR")"
	whole_lines "$TMP/full/log.json"
	n=$(wc -l <"$TMP/full/log.json")
	umount "$TMP/full"
	pass "full disk: status 1, one line on stderr, $n whole lines kept"
else
	echo "(no tmpfs mount here: full-disk case not run)"
fi

# 3. Rotations under load.
start_to "$TMP/rot.json"
"$STORM" fork -n 20000 -c 2 >/dev/null &
gen=$!
for i in 1 2 3 4 5; do
	sleep 0.2
	mv "$TMP/rot.json" "$TMP/rot.json.$i"
	kill -HUP "$SW_PID"
done
wait "$gen"
stop_sw
cat "$TMP"/rot.json.[1-5] "$TMP/rot.json" >"$TMP/all.json"
for f in "$TMP"/rot.json.[1-5] "$TMP/rot.json"; do whole_lines "$f"; done
check_stream "$TMP/all.json"
[ "$(count '.event == "lost"' "$TMP/all.json")" = 0 ] || fail "events lost during rotations"
pass "5 rotations during a 20000-process storm: $(wc -l <"$TMP/all.json") lines, none lost or torn"

# 4. kill -9 mid-storm.
start_to "$TMP/k.json"
"$STORM" fork -n 20000 -c 2 >/dev/null &
gen=$!
wait_until 10 eval '[ "$(wc -l <"$TMP/k.json")" -gt 1000 ]' || fail "the storm is not being written"
kill -KILL "$SW_PID"
wait "$SW_PID" 2>/dev/null
SW_PID=
wait "$gen"
# All but the last line are whole at once (the kernel may cut the write
# being made between two pages); the next start cuts a torn last line.
head -n -1 "$TMP/k.json" | jq -e -s 'all(.[]; type == "object")' >/dev/null ||
	fail "a torn line before the end after kill -9"
torn=no
[ "$(tail -c 1 "$TMP/k.json" | od -An -c | tr -d ' ')" = '\n' ] || torn=yes
before=$(grep -c '' "$TMP/k.json")
"$SPAWNWATCH" --json -o "$TMP/k.json" --duration 1 2>"$ERR" || fail "the restart failed: $(cat "$ERR")"
whole_lines "$TMP/k.json"
[ "$(jq -s '[.[] | select(.event == "start")] | length' "$TMP/k.json")" = 2 ] ||
	fail "the restart did not append to the file"
pass "kill -9 mid-storm: $before lines (last torn: $torn), whole again after the restart"
