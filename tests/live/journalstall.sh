#!/bin/bash
# A journald that stops reading (SIGSTOP: its socket's queue fills, and a
# send blocks) never stops the watch: entries wait in a bounded queue,
# sent by a thread of their own; what does not fit is a lost line (reason
# "journal") with the exact count once the journal reads again, and
# SIGTERM ends the run within about a second with the rest counted on
# stderr.  Against a real systemd-journald of the test's own.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

own_journald "$@"
if ! "$SPAWNWATCH" --journal --check >/dev/null 2>"$ERR"; then
	grep -q "built without journal support" "$ERR" || fail "--journal --check: $(cat "$ERR")"
	echo "SKIP: spawnwatch was built without journal support (libsystemd)"
	exit 77
fi

journal() {
	journalctl --no-pager --all -o json SYSLOG_IDENTIFIER=spawnwatch _PID="$jpid" "$@" \
		2>/dev/null
}
has_entry() {
	[ -n "$(journal "$@" | head -n 1)" ]
}
marked_entry() {
	# Counted: jq -e would judge the last entry alone.
	[ -n "$(journal SPAWNWATCH_EVENT=exec | jq -c --arg a "$1" 'select(.SPAWNWATCH_ARGV == $a)' | head -n 1)" ]
}

: >"$ERR"
"$SPAWNWATCH" --pid $$ --journal 2>>"$ERR" &
SW_PID=$!
jpid=$SW_PID
wait_until 10 has_entry SPAWNWATCH_EVENT=start || fail "no start entry in the journal"

# 1. journald stopped; 4,000 forks make 8,000 events, twice the queue.
kill -STOP "$JOURNALD_PID"
"$STORM" fork -n 4000 -c 2 || fail "storm failed"
# The loop still runs: it answers SIGUSR1 with its forest (JSON) on stderr.
kill -USR1 "$SW_PID"
wait_until 10 grep -q "\"pid\":$$," "$ERR" ||
	fail "no SIGUSR1 forest while journald is stopped: the loop is blocked"
pass "journald stopped: the watch goes on (SIGUSR1 answered after 8,000 events)"

# 2. journald reads again: a lost line with the count, then events again.
kill -CONT "$JOURNALD_PID"
for _ in $(seq 60); do
	sh -c 'sleep 0.1; :' "$MARK-after"
	marked_entry "sh -c sleep 0.1; : $MARK-after" && break
	sleep 0.2
done
marked_entry "sh -c sleep 0.1; : $MARK-after" || fail "no entries after journald came back"
wait_until 10 has_entry SPAWNWATCH_EVENT=lost || fail "no lost entry after the stall"
journal >"$OUT"
jq -c '.MESSAGE | fromjson' "$OUT" >"$TMP/lines.json"
# Nothing lost without a word: the entries up to the last one sent and
# the counts of the lost lines among them make up every seq.
jq -e -s '[.[] | select(.event == "lost")] as $l |
	($l | length) > 0 and all($l[]; .reason == "journal" and (.count | type == "number") and .count > 0) and
	length + ([$l[].count] | add) == ([.[].seq] | max)' "$TMP/lines.json" >/dev/null ||
	fail "entries and lost counts do not add up: $(jq -c 'select(.event == "lost")' "$TMP/lines.json") with $(wc -l <"$TMP/lines.json") entries, last seq $(jq -s '[.[].seq] | max' "$TMP/lines.json")"
n_lost=$(jq -s '[.[] | select(.event == "lost") | .count] | add' "$TMP/lines.json")
pass "journald back: lost lines (reason journal) for exactly the $n_lost entries that did not fit, entries after them"

# 3. Stopped again, the queue full: SIGTERM ends the run within 3 s.
kill -STOP "$JOURNALD_PID"
"$STORM" fork -n 4000 -c 2 || fail "storm failed"
t0=$(date +%s%N)
kill -TERM "$SW_PID"
wait_until 10 gone "$SW_PID" || { threads_of "$SW_PID" >&2; fail "SIGTERM did not end the run while journald is stopped"; }
ms=$((($(date +%s%N) - t0) / 1000000))
st=0
wait "$SW_PID" || st=$?
SW_PID=
[ "$ms" -lt 3000 ] || fail "SIGTERM took $ms ms with journald stopped"
[ "$st" = 0 ] || fail "status $st: $(cat "$ERR")"
grep -Eq "^spawnwatch: [0-9]+ lines could not be delivered to the journal$" "$ERR" ||
	fail "no count of the undelivered lines on stderr: $(tail -n 3 "$ERR")"
kill -CONT "$JOURNALD_PID"
pass "SIGTERM with journald stopped: ended in $ms ms, $(grep -Eo '[0-9]+ lines could not' "$ERR" | cut -d' ' -f1) lines counted undelivered"
