#!/bin/bash
# No false alarms: building spawnwatch from clean (configure, make -j2) and
# running its unit tests, all under `spawnwatch --json -- COMMAND`, raises
# no aggregate anomaly.  The only per-event tag allowed is exec-from-tmp,
# on the build's own programs under /tmp (configure's conftest, the unit
# test binaries), as it should be; the counts are printed.
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
	"$(cd "$SRC" && echo tests/unit/test-*.c | sed 's/\.c//g')" 2>"$ERR" || st=$?
[ "$st" = 0 ] || fail "the build or its unit tests failed under spawnwatch (status $st)"
check_stream
[ "$(count '.event == "lost"')" = 0 ] || fail "events were lost during the build"
execs=$(count '.event == "exec"')
[ "$execs" -gt 1000 ] || fail "only $execs execs seen: was the build followed?"
[ "$(count '.event == "anomaly"')" = 0 ] ||
	fail "false alarm: $(jq -c 'select(.event == "anomaly") | [.tag, .pid, .comm, .detail]' "$OUT" | head -5)"
other=$(jq -r '.tags[]? | select(. != "exec-from-tmp")' "$OUT" | sort | uniq -c)
[ -z "$other" ] || fail "unexpected tags during the build: $other"
[ "$(count '(.tags // [] | index("exec-from-tmp")) and
	(((.exe // "" | startswith("/tmp/")) or any(.argv[]?; startswith("/tmp/") or startswith("./"))) | not)')" = 0 ] ||
	fail "exec-from-tmp on a program not under /tmp: $(jq -c 'select(.tags) | [.exe, .argv]' "$OUT" | grep -v '/tmp/' | head -3)"
tmp=$(count '.tags // [] | index("exec-from-tmp")')
pass "clean build + unit tests: $execs execs, 0 anomalies, $tmp exec-from-tmp (the build's own programs in /tmp), no other tag"
