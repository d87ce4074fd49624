#!/bin/bash
# No false alarms: building spawnwatch from clean (configure, make -j2) and
# running its unit tests, all under `spawnwatch --json -- COMMAND`, raises
# no aggregate anomaly.  The only per-event tag allowed is exec-from-tmp,
# and only where the program run lives under a world-writable directory:
# the build's own programs in its directory under /tmp (conftest, the unit
# tests), the scripts a shell runs from there (./config.status, ./depcomp),
# and configure itself when the checkout is under /var/tmp.  Each such tag
# is explained by the exe or the script operand, resolved against cwd, and
# every exe there is tagged: wherever the checkout lives.  test-sandbox
# is left out: it ptraces and kills a child of its own on purpose, to prove
# the filter refuses what it must; test-rules runs a few children under
# other programs' names (masquerade) and kills them, which is judged apart.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
if [ -n "${SANITIZED:-}" ]; then
	echo "SKIP: the false-alarm build runs once, in the plain build"
	exit 77
fi
SRC=$(cd "$(dirname "$LIVE_LIB")/../.." && pwd)
[ -x "$SRC/configure" ] || { echo "SKIP: no configure in $SRC"; exit 77; }

mkdir "$TMP/build"
st=0
# The build is its own make, not a part of the one running this test.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	"$SPAWNWATCH" --json -o "$OUT" -- bash -c '
	cd "$1" && "$2/configure" >/dev/null && make -j2 >/dev/null 2>&1 &&
	make -j2 check TESTS="$3" >/dev/null 2>&1' build "$TMP/build" "$SRC" \
	"$(cd "$SRC" && echo tests/unit/test-*.c | sed 's/\.c//g; s| tests/unit/test-sandbox||')" 2>"$ERR" || st=$?
[ "$st" = 0 ] || fail "the build or its unit tests failed under spawnwatch (status $st)"
check_stream
[ "$(count '.event == "lost"')" = 0 ] || fail "events were lost during the build"
execs=$(count '.event == "exec"')
[ "$execs" -gt 1000 ] || fail "only $execs execs seen: was the build followed?"
[ "$(count '.event == "anomaly"')" = 0 ] ||
	fail "false alarm: $(jq -c 'select(.event == "anomaly") | [.tag, .pid, .comm, .detail]' "$OUT" | head -5)"
# test-rules stages masquerades of its own on purpose (sleep run as ls,
# then killed): what its children are tagged is the test's, not the
# build's.
other=$(jq -r 'select((.ancestry[0].comm // "") != "test-rules") | .tags[]? |
	select(. != "exec-from-tmp")' "$OUT" | sort | uniq -c)
[ -z "$other" ] || fail "unexpected tags during the build: $other"
# The program an exec runs from a world-writable directory: its exe, or
# an operand (a script), resolved against cwd with . and .. folded.
ww='def norm: reduce (split("/")[] | select(. != "" and . != ".")) as $c
		([]; if $c == ".." then .[:-1] else . + [$c] end) | "/" + join("/");
	def ww: test("^/(tmp|var/tmp|dev/shm)/");
	def abs($cwd): (if startswith("/") then . else ($cwd // "") + "/" + . end) | norm;
	def tmp_program: . as $e | ((.exe // "") | ww) or
		any(.argv[1:][]?; (startswith("-") | not) and (abs($e.cwd) | ww));
	def tagged: .tags // [] | index("exec-from-tmp") != null;'
unexplained=$(jq -c "$ww"' select(tagged and (tmp_program | not)) | [.event, .exe, .cwd, .argv]' "$OUT")
[ -z "$unexplained" ] ||
	fail "exec-from-tmp on a program not in a world-writable directory: $(head -n 3 <<<"$unexplained")"
missed=$(jq -c "$ww"' select(.event == "exec" and (.exe // "" | ww) and (tagged | not)) | [.exe, .argv]' "$OUT")
[ -z "$missed" ] || fail "an exe in a world-writable directory was not tagged: $(head -n 3 <<<"$missed")"
tmp=$(count '.tags // [] | index("exec-from-tmp")')
pass "clean build + unit tests: $execs execs, 0 anomalies, $tmp exec-from-tmp (each a program in a world-writable directory), no other tag"
