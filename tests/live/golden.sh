#!/bin/bash
# Byte for byte, no root needed: every log in tests/replay, and
# tests/golden/live.jsonl (a recorded live run: fork, exec, exit, uid, gid,
# sid, ptrace, comm, coredump, reparent, hostile argv), replayed in each
# format gives exactly the output kept in tests/golden/NAME.FORMAT, and
# the stderr and status kept in NAME.FORMAT.err.  A change there is a
# change of behaviour: when it is meant, GOLDEN_UPDATE=1 rewrites the
# files and the diff shows what changed.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
TESTS=$(cd "$(dirname "$LIVE_LIB")/.." && pwd)
export TZ=UTC LC_ALL=C
n=0
# Relative names: what stderr says of a log must not depend on the checkout.
cd "$TESTS" || fail "no $TESTS"
for f in replay/*.jsonl golden/live.jsonl; do
	name=$(basename "$f" .jsonl)
	rules=()
	[ -f "${f%.jsonl}.rules" ] && rules=(--rules "${f%.jsonl}.rules")
	for fmt in json text ecs; do
		want=golden/$name.$fmt
		st=0
		"$SPAWNWATCH" replay "${rules[@]}" --format "$fmt" "$f" >"$TMP/out" 2>"$TMP/err" || st=$?
		echo "status $st" >>"$TMP/err"
		if [ -n "${GOLDEN_UPDATE:-}" ]; then
			cp "$TMP/out" "$want" && cp "$TMP/err" "$want.err" || fail "cannot write $want"
			continue
		fi
		[ -f "$want" ] || fail "no $want (GOLDEN_UPDATE=1 makes it)"
		cmp -s "$want" "$TMP/out" ||
			fail "replay --format $fmt $f differs from $want: $(diff "$want" "$TMP/out" | head -n 6)"
		cmp -s "$want.err" "$TMP/err" ||
			fail "replay --format $fmt $f: stderr or status differs: $(diff "$want.err" "$TMP/err" | head -n 6)"
		n=$((n + 1))
	done
done
[ -z "${GOLDEN_UPDATE:-}" ] || { pass "tests/golden rewritten"; exit 0; }
[ "$n" -ge 30 ] || fail "only $n replays compared"
pass "$n replays (json, text, ecs) byte-identical to tests/golden"
