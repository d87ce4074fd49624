#!/bin/bash
# What a terminal obeys never reaches it raw from the text output: a real
# process whose argv and comm carry C1 controls (CSI U+009B, OSC U+009D),
# bidi overrides and isolates, U+2028/U+2029, is watched by two instances,
# one in a UTF-8 locale and one in the C locale; their text lines, the
# --stats top spawners, the SIGUSR1 forest and `spawnwatch forest` hold
# none of those bytes raw (and, in the C locale, no byte past ASCII), and
# show each string quoted as bash $'...' that reads back the same bytes.
# Then replay: a crafted log's lost reason, anomaly tag, user and tracer.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
SRC=$(cd "$(dirname "$LIVE_LIB")/../.." && pwd)
locale -a 2>/dev/null | grep -qix 'c.utf-\?8' || {
	echo "SKIP: no C.UTF-8 locale"
	exit 77
}

# raw FILE: how many lines hold a C0 control, DEL, a C1 control, a bidi
# control or a line separator raw (grep sees each line without its '\n').
raw() {
	LC_ALL=C grep -caP '[\x00-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]' "$1"
}
# past_ascii FILE: how many lines hold a byte past ASCII.
past_ascii() {
	LC_ALL=C grep -caP '[\x80-\xff]' "$1"
}
# clean FILE [ascii]: raw() finds nothing (nor past_ascii() with "ascii").
clean() {
	local n
	n=$(raw "$1")
	[ "$n" = 0 ] || fail "$1: $n lines with raw terminal controls: $(LC_ALL=C grep -aP '\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]|[\x00-\x1f\x7f]' "$1" | head -n 2 | od -c | head -n 8)"
	if [ "${2:-}" = ascii ]; then
		n=$(past_ascii "$1")
		[ "$n" = 0 ] || fail "$1: $n lines with bytes past ASCII in the C locale"
	fi
	return 0
}
# holds FILE STRING: FILE holds STRING as it is (no pattern).
holds() {
	LC_ALL=C grep -qaF -- "$2" "$1"
}

# The strings: an argument with CSI, OSC and BEL, RLO and PDF, LS and PS,
# LRI and PDI, then " café"; a comm with CSI, RLO and LS.
arg=$'\xc2\x9b31m\xc2\x9d0;t\a|a\xe2\x80\xaeevil\xe2\x80\xac|l1\xe2\x80\xa8l2\xe2\x80\xa9|\xe2\x81\xa6i\xe2\x81\xa9 caf\xc3\xa9'
comm=$'x\xc2\x9b\xe2\x80\xae\xe2\x80\xa8y'
q_arg_utf8="\$'\\xc2\\x9b31m\\xc2\\x9d0;t\\x07|a\\xe2\\x80\\xaeevil\\xe2\\x80\\xac|l1\\xe2\\x80\\xa8l2\\xe2\\x80\\xa9|\\xe2\\x81\\xa6i\\xe2\\x81\\xa9 caf"$'\xc3\xa9'"'"
q_arg_c="\$'\\xc2\\x9b31m\\xc2\\x9d0;t\\x07|a\\xe2\\x80\\xaeevil\\xe2\\x80\\xac|l1\\xe2\\x80\\xa8l2\\xe2\\x80\\xa9|\\xe2\\x81\\xa6i\\xe2\\x81\\xa9 caf\\xc3\\xa9'"
q_comm="\$'x\\xc2\\x9b\\xe2\\x80\\xae\\xe2\\x80\\xa8y'"
# The quoting is bash's: each quoted form reads back as the bytes it was.
[ "$(eval "printf %s $q_arg_utf8")" = "$arg" ] && [ "$(eval "printf %s $q_arg_c")" = "$arg" ] &&
	[ "$(eval "printf %s $q_comm")" = "$comm" ] || fail "the expected quoting does not read back"

cp /bin/sleep "$TMP/$comm"
mkfifo "$TMP/gate"
LC_ALL=C.UTF-8 "$SPAWNWATCH" --color never --stats >"$TMP/u.txt" 2>"$TMP/u.err" &
u_pid=$!
LC_ALL=C "$SPAWNWATCH" --color never --stats >"$TMP/c.txt" 2>"$TMP/c.err" &
c_pid=$!
SW_PID=$u_pid
cleanup_more() {
	kill -KILL "$u_pid" "$c_pid" 2>/dev/null
	[ -n "${spawner:-}" ] && kill -KILL "$spawner" 2>/dev/null
	cleanup
}
trap cleanup_more EXIT
wait_until 10 grep -q ' start ' "$TMP/u.txt" || fail "no text start line (UTF-8)"
wait_until 10 grep -q ' start ' "$TMP/c.txt" || fail "no text start line (C)"

# The exec: argv[0] hostile, comm the hostile file name.
bash -c 'exec -a "$1" "$2" 0.2' bash "$arg" "$TMP/$comm"
# The spawner: renames itself, forks 151 times, then waits at the gate.
bash -c 'printf %s "$1" >/proc/self/comm; for _ in $(seq 150); do /bin/true; done
	: >"$3"; read -r _ <"$2"' bash "$comm" "$TMP/gate" "$TMP/forked" &
spawner=$!
wait_until 30 test -e "$TMP/forked" || fail "the spawner did not fork 150 times"
(exec -a "$MARK" /bin/sleep 0.05)
for f in u c; do
	wait_until 20 grep -q "exit .*$MARK" "$TMP/$f.txt" || fail "sentinel not in the $f text output"
done

# SIGUSR1: the forest on stderr, quoted the same way.
kill -USR1 "$u_pid"
wait_until 10 holds "$TMP/u.err" "$q_comm" || true
"$SPAWNWATCH" forest "$spawner" >"$TMP/forest.u" || fail "forest $spawner failed"
LC_ALL=C "$SPAWNWATCH" forest "$spawner" >"$TMP/forest.c" || fail "forest $spawner (C) failed"
LC_ALL=C.UTF-8 "$SPAWNWATCH" forest >"$TMP/forest.all" || fail "forest failed"
kill -INT "$u_pid" "$c_pid"
wait "$u_pid" || fail "the UTF-8 instance ended with status $?"
wait "$c_pid" || fail "the C instance ended with status $?"
SW_PID=
timeout 10 sh -c 'echo >"$1"' sh "$TMP/gate" || fail "the spawner is not at its gate"
wait "$spawner"
sp=$spawner
spawner=

for f in u.txt c.txt u.err c.err forest.u forest.c forest.all; do
	clean "$TMP/$f"
done
clean "$TMP/c.txt" ascii
clean "$TMP/c.err" ascii
clean "$TMP/forest.c" ascii
holds "$TMP/u.txt" " $q_arg_utf8 0.2" || fail "UTF-8: argv not quoted as $q_arg_utf8: $(grep -a 'exec .*0\.2$' "$TMP/u.txt" | head -n 1)"
holds "$TMP/c.txt" " $q_arg_c 0.2" || fail "C: argv not quoted as $q_arg_c: $(grep -a 'exec .*0\.2$' "$TMP/c.txt" | head -n 1)"
holds "$TMP/u.txt" " renamed bash -> $q_comm" || fail "the rename is not quoted: $(grep -a renamed "$TMP/u.txt" | tail -n 1)"
holds "$TMP/c.txt" " renamed bash -> $q_comm" || fail "the rename is not quoted (C)"
pass "text: argv and comm with C1, bidi and separators quoted as \$'...', UTF-8 and C locales"

for f in u c; do
	grep -a '^spawnwatch: top spawners:' "$TMP/$f.err" >"$TMP/top" || fail "--stats ($f): no top spawners"
	holds "$TMP/top" " $sp $q_comm (15" ||
		fail "--stats ($f): the spawner $sp is not listed quoted: $(cat "$TMP/top")"
done
holds "$TMP/u.err" "    PID    PPID USER" || fail "SIGUSR1: no forest on stderr"
holds "$TMP/u.err" " $q_comm $(printf %q "$TMP/gate")" || fail "SIGUSR1 forest does not show the spawner quoted"
pass "--stats top spawners and the SIGUSR1 forest quote the comm"

for f in forest.u forest.c forest.all; do
	holds "$TMP/$f" "bash -c \$'printf %s \"\$1\" >/proc/self/comm;" ||
		fail "$f does not show the spawner's script quoted: $(grep -a "^ *$sp " "$TMP/$f")"
	holds "$TMP/$f" " $q_comm " || fail "$f does not quote the spawner's argument"
done
pass "forest: the whole tree and a subtree, quoted"

# Replay: a crafted log's strings, in both locales.
{
	printf '%s\n' '{"ts":"2026-11-30T12:00:00Z","event":"start","host":"h"}'
	printf '%s\n' '{"ts":"2026-11-30T12:00:01Z","event":"lost","count":2,"reason":"x\u009b2J\u001b]0;pwn\u0007\u202e\u2028"}'
	printf '%s\n' '{"ts":"2026-11-30T12:00:01.5Z","event":"lost","count":null,"reason":"\u2066caf\u00e9\u2069"}'
	printf '%s\n' '{"ts":"2026-11-30T12:00:02Z","event":"resync","added":1,"removed":0,"reparented":0,"tracked":3}'
	printf '%s\n' '{"ts":"2026-11-30T12:00:03Z","event":"exec","pid":50,"ppid":1,"comm":"a\u009d","argv":["\u0085x","\u2029"],"uid":0,"euid":0,"gid":0,"egid":0,"user":"r\u202d"}'
	printf '%s\n' '{"ts":"2026-11-30T12:00:04Z","event":"ptrace","pid":50,"ppid":1,"comm":"a\u009d","tracer_pid":1,"tracer_comm":"g\u009bdb","attach":true}'
	printf '%s\n' '{"ts":"2026-11-30T12:00:05Z","event":"anomaly","tag":"zombie-accumulation","detail":{"count":500,"threshold":100},"pid":50,"ppid":1,"comm":"a\u009d"}'
} >"$TMP/hostile.jsonl"
for loc in C.UTF-8 C; do
	LC_ALL=$loc "$SPAWNWATCH" replay --color never "$TMP/hostile.jsonl" >"$TMP/r.txt" 2>"$TMP/r.err" ||
		fail "replay ($loc) failed: $(cat "$TMP/r.err")"
	LC_ALL=$loc "$SPAWNWATCH" replay --color never "$SRC/tests/replay/terminal.jsonl" >>"$TMP/r.txt" 2>>"$TMP/r.err" ||
		fail "replay of terminal.jsonl ($loc) failed"
	[ "$loc" = C ] && mode=ascii || mode=
	clean "$TMP/r.txt" "$mode"
	clean "$TMP/r.err" "$mode"
	holds "$TMP/r.txt" " 2 events lost (\$'x\\xc2\\x9b2J\\x1b]0;pwn\\x07\\xe2\\x80\\xae\\xe2\\x80\\xa8')" ||
		fail "replay ($loc): lost reason not quoted: $(grep -a lost "$TMP/r.txt")"
	holds "$TMP/r.txt" " \$'r\\xe2\\x80\\xad' \$'\\xc2\\x85x' \$'\\xe2\\x80\\xa9'" ||
		fail "replay ($loc): user or argv not quoted: $(grep -a 'exec ' "$TMP/r.txt" | head -n 1)"
	holds "$TMP/r.txt" " attached by 1 \$'g\\xc2\\x9bdb'" || fail "replay ($loc): tracer not quoted"
	holds "$TMP/r.txt" "table rebuilt from /proc: +1 -0" || fail "replay ($loc): no resync line"
	holds "$TMP/r.txt" "zombie-accumulation: 500 (threshold 100)" || fail "replay ($loc): no anomaly line"
	if [ "$loc" = C ]; then
		want="(\$'\\xe2\\x81\\xa6caf\\xc3\\xa9\\xe2\\x81\\xa9'), count unknown"
	else
		want="(\$'\\xe2\\x81\\xa6caf"$'\xc3\xa9'"\\xe2\\x81\\xa9'), count unknown"
	fi
	holds "$TMP/r.txt" "$want" || fail "replay ($loc): $want not found: $(grep -a unknown "$TMP/r.txt")"
done
pass "replay: a log's lost reasons, user, argv, tracer quoted; printable non-ASCII kept only in UTF-8"
