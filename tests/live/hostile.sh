#!/bin/bash
# Hostile argv (invalid UTF-8, newline, JSON) never drops or breaks a line.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

evil=$'\xff\n{"x":1}\e[31m'
start_sw
bash -c 'exec -a "$1" /bin/sleep 0.1' bash "$evil"
(exec -a "$MARK" /bin/sleep 0.05)
wait_until 10 has '.event == "exit" and .argv[0] == $mark' || fail "sentinel not seen"
stop_sw
check_stream
# jq decodes the escapes: \xff stays the 4 characters \xff, the rest as is.
has '.event == "exec" and .argv[0] == "\\xff\n{\"x\":1}\u001b[31m" and .argv[1] == "0.1"' ||
	fail "hostile argv not kept (escaped) in the exec line"
grep -q $'\xff' "$OUT" && fail "raw invalid byte in the output"
pass "invalid UTF-8, newline and ESC in argv kept, escaped, one line"

# Text output: the same command is one line, shell-quoted, no raw ESC.
"$SPAWNWATCH" --color never >"$TMP/text" 2>"$ERR" &
SW_PID=$!
wait_until 10 grep -q ' start ' "$TMP/text" || fail "no text start line"
# Long enough to be read at its exec, under valgrind (SLOW) too.
life=0.1
[ "$SLOW" -gt 1 ] && life=0.5
bash -c 'exec -a "$1" /bin/sleep "$2"' bash "$evil" "$life"
(exec -a "$MARK" /bin/sleep "$life")
wait_until 10 grep -q "exit .*$MARK" "$TMP/text" || fail "sentinel not in text output"
stop_sw
grep -q $'\e' "$TMP/text" && fail "raw ESC in text output"
want="\$'\\xff\\x0a{\"x\":1}\\x1b[31m' $life"
grep -qF "$want" "$TMP/text" ||
	fail "hostile argv not shell-quoted in text: $(grep -a 'sleep' "$TMP/text" | head -n 2)"
pass "text output quotes hostile argv as \$'...'"
