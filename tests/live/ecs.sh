#!/bin/bash
# --format ecs: a replayed log gives one ECS document per event (no root
# needed); then, live, a shell's command comes out as fork, exec and exit
# documents with ECS's process, user and host fields, a miner run from /tmp
# as an alert with its tags, and every field of every line is one of
# tests/ecs/fields.txt, of its type, or under the custom spawnwatch object.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
HERE=$(dirname "${LIVE_LIB:-$0}")
FIELDS=$HERE/../ecs/fields.txt
export TZ=UTC

# check_ecs FILE: each line an object, event.sequence 1, 2, 3..., each key
# nested (no dots), each field an ECS one of fields.txt or spawnwatch's.
check_ecs() {
	jq -e -s 'length > 0 and all(.[]; type == "object")' "$1" >/dev/null ||
		fail "a line of $1 is not a JSON object"
	jq -e -s '[.[].event.sequence] == [range(1; length + 1)]' "$1" >/dev/null ||
		fail "event.sequence is not 1, 2, 3... in $1"
	jq -e -s 'all(.[]; .ecs.version == "8.11.0" and (.["@timestamp"] | type == "string") and
		(.event.kind | type == "string") and (.event.action | type == "string") and
		(.host.hostname | length > 0))' "$1" >/dev/null ||
		fail "a line of $1 lacks @timestamp, ecs.version, event.kind, event.action or host.hostname"
	jq -e -s '[.[] | .. | objects | keys[] | select(contains("."))] == []' "$1" >/dev/null ||
		fail "dotted keys in $1"
	# Leaves: arrays are walked into, their indices left out of the name.
	jq -r -n --rawfile f "$FIELDS" '
		($f | split("\n") | map(select(length > 0 and (startswith("#") | not)) |
			split("\t") | {(.[0]): .[1]}) | add) as $t |
		{keyword: "string", wildcard: "string", date: "string", ip: "string",
		 long: "number", float: "number", boolean: "boolean"} as $json |
		inputs | . as $doc | paths(scalars) as $p |
		($p | map(select(type == "string")) | join(".")) as $name |
		select($name | startswith("spawnwatch.") | not) |
		($doc | getpath($p) | type) as $type |
		if $t[$name] == null then "\($name): not in fields.txt"
		elif $json[$t[$name]] != $type then "\($name): a \($type), not a \($t[$name])"
		else empty end' "$1" | sort -u >"$TMP/bad"
	[ ! -s "$TMP/bad" ] || fail "fields of $1 are not ECS: $(head -5 "$TMP/bad")"
}

# Replay: one ECS line per event of the JSON log, in the same order.
GOLD=$HERE/../replay
"$SPAWNWATCH" replay --format ecs "$GOLD/net.jsonl" >"$TMP/replay.ecs" 2>"$ERR" || fail "replay --format ecs failed"
"$SPAWNWATCH" replay --json "$GOLD/net.jsonl" >"$TMP/replay.json" 2>>"$ERR" || fail "replay --json failed"
[ ! -s "$ERR" ] || fail "replay complained: $(head -3 "$ERR")"
check_ecs "$TMP/replay.ecs"
[ "$(grep -c . "$TMP/replay.ecs")" -gt 2 ] || fail "replay gave $(grep -c . "$TMP/replay.ecs") ECS lines"
diff <(jq -c '[.event, .seq, .pid, .ppid, .argv, (.tags // [])]' "$TMP/replay.json") \
	<(jq -c '[.event.action, .event.sequence, .process.pid, .process.parent.pid, .process.args, (.tags // [])]' \
		"$TMP/replay.ecs") >"$TMP/diff" ||
	fail "replay: ECS and JSON lines differ (< JSON, > ECS):
$(head -10 "$TMP/diff")"
[ "$(jq -c 'select(.tags) | .event.kind' "$TMP/replay.ecs" | sort -u)" = '"alert"' ] ||
	fail "replay: a tagged line is not an alert"
pass "replay --format ecs: one ECS line per JSON line, same events, pids and tags"

need_root

# Started by hand: start_sw asks for --json.
: >"$OUT"
: >"$ERR"
"$SPAWNWATCH" --format ecs >"$OUT" 2>>"$ERR" &
SW_PID=$!
ecs_started() {
	has '.event.action == "start"' || ! kill -0 "$SW_PID" 2>/dev/null
}
wait_until 10 ecs_started || fail "no start line within 10 s"
has '.event.action == "start"' || fail "spawnwatch --format ecs ended before its start line"

cp "$(command -v sleep)" "$TMP/xmrig"
bash -c 'echo $$ >"$1/shell.pid"; /bin/sleep 0.1; /bin/sh -c "/bin/sleep 0.1; exit 3" "$2"; "$1/xmrig" 0.1; exit 0' \
	bash "$TMP" "$MARK"
shell=$(cat "$TMP/shell.pid")
# The miner comes last: once its exit is out, everything before it is too.
wait_until 10 has ".event.action == \"exit\" and .process.executable == \"$TMP/xmrig\"" ||
	fail "no exit line for the miner"
stop_sw INT
[ "$SW_STATUS" = 0 ] || fail "SIGINT gave status $SW_STATUS, expected 0"
! grep -q 'Sanitizer\|runtime error' "$ERR" || fail "sanitizer report"

check_ecs "$OUT"
[ "$(jq -r 'select(.event.sequence == 1) | .event.action' "$OUT")" = start ] || fail "first line is not start"
tail -n 1 "$OUT" | jq -e '.event.action == "stop" and .spawnwatch.stats.events.exec >= 3' >/dev/null ||
	fail "last line is not a stop line with statistics"
jq -e -s '.[0] | .agent.type == "spawnwatch" and (.agent.version | length > 0) and
	(.host.os.kernel | length > 0) and .spawnwatch.tracked > 1' "$OUT" >/dev/null ||
	fail "start line incomplete: $(head -n 1 "$OUT")"

sel=".process.parent.pid == $shell and .process.args == [\"/bin/sleep\", \"0.1\"]"
exec_line=$(jq -c "select(.event.action == \"exec\" and $sel)" "$OUT")
[ "$(echo "$exec_line" | grep -c .)" = 1 ] || fail "expected one exec line, got: $exec_line"
echo "$exec_line" | jq -e --arg host "$(uname -n)" '
	.event.kind == "event" and .event.category == ["process"] and .event.type == ["start"] and
	.process.args_count == 2 and .process.command_line == "/bin/sleep 0.1" and
	(.process.executable == "/bin/sleep" or .process.executable == "/usr/bin/sleep") and
	.process.name == "sleep" and .process.parent.name == "bash" and
	.process.user.id == "0" and .process.user.name == "root" and .process.real_user.id == "0" and
	.user.id == "0" and (.process.working_directory | type == "string") and
	.host.hostname == $host and (has("tags") | not) and
	(.["@timestamp"] | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\.[0-9]{9}Z$")) and
	.spawnwatch.ancestry[0].comm == "bash"' >/dev/null ||
	fail "exec line wrong: $exec_line"
pid=$(echo "$exec_line" | jq .process.pid)
jq -s -e --argjson p "$pid" '[.[] | select(.process.pid == $p) | .event.action] == ["fork", "exec", "exit"]' \
	"$OUT" >/dev/null || fail "events of $pid are not fork, exec, exit"
has ".event.action == \"fork\" and .process.pid == $pid and .process.parent.pid == $shell and
	.event.type == [\"start\"] and .spawnwatch.thread == false" || fail "no fork line for $pid from $shell"
exit_line=$(jq -c "select(.event.action == \"exit\" and .process.pid == $pid)" "$OUT")
echo "$exit_line" | jq -e '.event.type == ["end"] and .process.exit_code == 0 and
	(.process.end | type == "string") and .process.uptime == 0 and
	.spawnwatch.duration_s >= 0.1 and .spawnwatch.duration_s < 10 and .spawnwatch.core == false' >/dev/null ||
	fail "exit line wrong: $exit_line"
pass "fork, exec, exit of a shell's command: process, parent, user, host fields"

# The marked command (alive long enough for its argv to be read): its
# command line to the last word, and its exit status.
mpid=$(jq -r 'select(.event.action == "exec" and .process.args[0] == "/bin/sh" and .process.args[-1] == $mark) |
	.process.pid' --arg mark "$MARK" "$OUT")
[ "$(echo "$mpid" | grep -c .)" = 1 ] || fail "expected one exec line of the marked command, got pids: $mpid"
has ".event.action == \"exec\" and .process.pid == $mpid and .process.command_line == \"/bin/sh -c /bin/sleep 0.1; exit 3 \" + \$mark" ||
	fail "marked command line wrong: $(jq -c "select(.process.pid == $mpid)" "$OUT")"
has ".event.action == \"exit\" and .process.pid == $mpid and .process.exit_code == 3" ||
	fail "marked command's exit line lacks exit_code 3"
pass "a marked command's command_line and exit_code"

miner=$(jq -c "select(.event.action == \"exec\" and .process.executable == \"$TMP/xmrig\")" "$OUT")
echo "$miner" | jq -e '.event.kind == "alert" and .tags == ["exec-from-tmp", "miner"] and
	.process.name == "xmrig" and .process.args[1] == "0.1"' >/dev/null ||
	fail "miner line wrong: $miner"
[ "$(count '(.tags | not) and .event.kind == "alert"')" = 0 ] || fail "an untagged line is an alert"
pass "a miner from /tmp is an alert with tags exec-from-tmp and miner"
