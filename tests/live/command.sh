#!/bin/bash
# spawnwatch -- COMMAND: follows only COMMAND's subtree from its first
# event and exits with its status (128+N when killed by signal N).
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

st=0
"$SPAWNWATCH" --json -- sh -c 'sleep 0.1; exit 7' >"$OUT" 2>"$ERR" || st=$?
[ "$st" = 7 ] || fail "status $st, expected the command's 7"
check_stream
cmd=$(jq -s '[.[] | select(.event == "exec" and .argv[0] == "sh")][0].pid' "$OUT")
[ "$cmd" != null ] || fail "no exec line for the command"
[ "$(count ".pid != null and .pid != $cmd and (any(.ancestry[]?; .pid == $cmd) | not)")" = 0 ] ||
	fail "lines outside the command's subtree"
jq -s -e --argjson c "$cmd" '[.[] | select(.pid == $c) | .event] == ["fork", "exec", "exit"]' "$OUT" >/dev/null ||
	fail "the command's own fork, exec, exit are not all there, in order"
has ".event == \"exec\" and .comm == \"sleep\" and .ppid == $cmd" || fail "the command's child is missing"
has ".event == \"exit\" and .pid == $cmd and .exit_code == 7" || fail "no exit 7 line"
[ "$(tail -n 1 "$OUT" | jq -r .event)" = stop ] || fail "no stop line"
pass "-- sh -c 'sleep 0.1; exit 7': status 7, its subtree only"

st=0
"$SPAWNWATCH" --json -- sh -c 'kill -9 $$' >"$OUT" 2>"$ERR" || st=$?
[ "$st" = 137 ] || fail "killed command gave $st, expected 137"
pass "killed by SIGKILL: status 137"

st=0
"$SPAWNWATCH" --json -- /nonexistent/command >"$OUT" 2>"$ERR" || st=$?
[ "$st" = 127 ] || fail "missing command gave $st, expected 127"
[ "$(wc -l <"$ERR")" = 1 ] && grep -q "cannot run /nonexistent/command" "$ERR" ||
	fail "message: $(cat "$ERR")"
pass "missing command: status 127, one line"
