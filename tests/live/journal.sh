#!/bin/bash
# --journal: each event one journal entry, the JSON line as MESSAGE,
# PRIORITY as --syslog's severity, and SPAWNWATCH_* fields with the
# event's figures.  Against a real systemd-journald of the test's own
# (own_journald); needs a build with libsystemd.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

own_journald "$@"
if ! "$SPAWNWATCH" --journal --check >/dev/null 2>"$ERR"; then
	grep -q "built without journal support" "$ERR" || fail "--journal --check: $(cat "$ERR")"
	echo "SKIP: spawnwatch was built without journal support (libsystemd)"
	exit 77
fi
# journal [MATCH...]: this run's entries, one JSON object a line.
journal() {
	journalctl --no-pager --all -o json SYSLOG_IDENTIFIER=spawnwatch _PID="$jpid" "$@" \
		2>/dev/null
}

has_entry() {
	[ -n "$(journal "$@" | head -n 1)" ]
}

cp "$(type -P sleep)" "$TMP/swtagged"
: >"$ERR"
"$SPAWNWATCH" --pid $$ --journal 2>>"$ERR" &
SW_PID=$!
jpid=$SW_PID
wait_until 10 has_entry SPAWNWATCH_EVENT=start ||
	fail "no start entry in the journal (journalctl SYSLOG_IDENTIFIER=spawnwatch _PID=$jpid)"
# Alive long enough for its command line to be read.
sh -c 'sleep 0.2; :' "$MARK"
"$TMP/swtagged" 0.2
stop_sw
[ "$SW_STATUS" = 0 ] || fail "spawnwatch --journal exited $SW_STATUS"
wait_until 10 has_entry SPAWNWATCH_EVENT=stop || fail "no stop entry"
journal >"$OUT"

# pick FILTER: the first entry matching FILTER.
pick() {
	jq -c --arg mark "$MARK" --arg tmp "$TMP" "select($1)" "$OUT" | head -n 1
}

e=$(pick '.SPAWNWATCH_EVENT == "exec" and .SPAWNWATCH_ARGV == "sh -c sleep 0.2; : \($mark)"')
[ -n "$e" ] || fail "no exec entry with SPAWNWATCH_ARGV: $(pick '.SPAWNWATCH_COMM == "sh"')"
echo "$e" | jq -e '(.MESSAGE | fromjson) as $m |
	$m.event == "exec" and ($m.argv | join(" ")) == .SPAWNWATCH_ARGV and
	.PRIORITY == "6" and .SYSLOG_FACILITY == "3" and
	.SPAWNWATCH_PID == ($m.pid | tostring) and .SPAWNWATCH_PPID == ($m.ppid | tostring) and
	.SPAWNWATCH_COMM == $m.comm and .SPAWNWATCH_EXE == $m.exe and
	.SPAWNWATCH_UID == "0" and .SPAWNWATCH_EUID == "0" and .SPAWNWATCH_USER == "root" and
	.SPAWNWATCH_SEQ == ($m.seq | tostring) and .SPAWNWATCH_TS == $m.ts and
	(.SPAWNWATCH_TAGS | not)' >/dev/null ||
	fail "exec entry fields wrong: $e"
e=$(pick '.SPAWNWATCH_EVENT == "exec" and .SPAWNWATCH_ARGV == "\($tmp)/swtagged 0.2"')
[ -n "$e" ] || fail "no tagged exec entry"
echo "$e" | jq -e '.PRIORITY == "5" and (.SPAWNWATCH_TAGS | split(",") | index("exec-from-tmp")) and
	((.MESSAGE | fromjson).tags | index("exec-from-tmp"))' >/dev/null ||
	fail "tagged exec entry wrong: $e"
# Every entry's MESSAGE is the JSON line of its event, seq without a gap.
jq -e -s 'length > 2 and all(.[]; (.MESSAGE | fromjson) as $m |
	$m.event == .SPAWNWATCH_EVENT and ($m.seq | tostring) == .SPAWNWATCH_SEQ)' "$OUT" >/dev/null ||
	fail "a MESSAGE is not its event's JSON line"
jq -c '.MESSAGE | fromjson' "$OUT" >"$TMP/lines.json"
check_stream "$TMP/lines.json"
pass "journal entries: MESSAGE the JSON line, PRIORITY, SPAWNWATCH_* fields"
