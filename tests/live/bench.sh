#!/bin/bash
# bench/run.sh keeps working: one tiny run (--quick) exits 0, prints its
# table, the medians and the targets, and writes JSON lines of every kind
# (run, median, target) for every tool and target.  Nothing is timed here:
# a MISS is no failure.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

SRC=$(cd "$(dirname "$0")/../.." && pwd) || fail "no source tree"
# The build tree: where the spawnwatch under test is (valgrind.sh wraps it).
BUILD=${BUILD:-$(dirname "${SW_REAL:-$SPAWNWATCH}")}
for b in spawnwatch bench/storm bench/bare; do
	if [ ! -x "$BUILD/$b" ]; then
		echo "SKIP: no $BUILD/$b (make spawnwatch bench/storm bench/bare, or BUILD=DIR)"
		exit 77
	fi
done

JSON=$TMP/bench.jsonl
status=0
"$SRC/bench/run.sh" --quick --build "$BUILD" --json-out "$JSON" >"$TMP/bench.out" 2>"$TMP/bench.err" ||
	status=$?
show() {
	echo "--- bench/run.sh stdout:" >&2
	cat "$TMP/bench.out" >&2
	echo "--- bench/run.sh stderr (last lines):" >&2
	tail -n 20 "$TMP/bench.err" >&2
}
[ "$status" = 0 ] || { show; fail "bench/run.sh --quick exited with $status"; }

# The table, the medians and the targets are printed.
grep -q '^storm  *tool  *rep  *rate/s .*argv % *lat p50 *lat p99' "$TMP/bench.out" ||
	{ show; fail "no per-run table"; }
grep -q '^medians over 1 rep' "$TMP/bench.out" || { show; fail "no medians table"; }
grep -q '^targets (medians' "$TMP/bench.out" || { show; fail "no targets section"; }
grep -Eq '^targets: [0-9]+ PASS, [0-9]+ MISS, [0-9]+ n/a$' "$TMP/bench.out" ||
	{ show; fail "no targets tally"; }
for s in threads fork exec idle live; do
	grep -q "^$s  *sw-file  *1 " "$TMP/bench.out" || { show; fail "no sw-file row for $s"; }
done

# Every line of --json-out is a JSON object of a known kind.
jq -e -s 'length > 0 and all(.[]; type == "object" and
	(.kind == "run" or .kind == "median" or .kind == "target"))' "$JSON" >/dev/null ||
	{ show; fail "--json-out is not JSON lines of kind run, median or target"; }

# Every tool ran in every storm it belongs to, and spawnwatch ran cleanly.
tools="none sw-file sw-null bare"
command -v forkstat >/dev/null && tools+=" forkstat"
for s in threads fork exec; do
	want=$tools
	[ "$s" = exec ] && command -v extrace >/dev/null && want+=" extrace"
	for t in $want; do
		for k in run median; do
			jq -e -s --arg s "$s" --arg t "$t" --arg k "$k" \
				'any(.[]; .kind == $k and .storm == $s and .tool == $t)' "$JSON" >/dev/null ||
				{ show; fail "no $k line for $t in the $s storm"; }
		done
	done
done
for s in idle live; do
	jq -e -s --arg s "$s" '[.[] | select(.kind == "run" and .storm == $s) | .tool] == ["sw-file"]' \
		"$JSON" >/dev/null || { show; fail "the $s run is not one sw-file run"; }
done
jq -e -s 'all(.[] | select(.kind == "run" and (.tool | startswith("sw-")));
	.status == "ok" and (.seen | type) == "number" and (.lost_self | type) == "number" and
	(.cpu_s_per_100k | type) == "number" and (.peak_rss_kb | type) == "number")' "$JSON" >/dev/null ||
	{ show; fail "a spawnwatch run is not ok or lacks figures: $(jq -c 'select(.kind == "run" and
		(.tool | startswith("sw-"))) | {storm, tool, status, seen, lost_self, notes}' "$JSON")"; }
jq -e -s 'all(.[] | select(.kind == "run" and .tool == "sw-file" and
	(.storm == "exec" or .storm == "idle")); (.argv_share | type) == "number")' "$JSON" >/dev/null ||
	{ show; fail "no argv_share for sw-file in the exec storm or the idle run"; }
jq -e -s 'all(.[] | select(.kind == "run"); has("latency_p50_ms") and has("latency_p99_ms"))' \
	"$JSON" >/dev/null || fail "runs without latency_p50_ms / latency_p99_ms"

# Every target is there, with a verdict.
for id in lost-threads lost-fork lost-exec cpu-exec-vs-forkstat cpu-threads-vs-bare argv-exec \
	rate-threads rate-fork rate-exec rss-live rss-flat latency-idle latency-threads \
	latency-fork latency-exec; do
	jq -e -s --arg id "$id" 'any(.[]; .kind == "target" and .target == $id and
		(.result == "PASS" or .result == "MISS" or .result == "n/a") and (.text | type) == "string")' \
		"$JSON" >/dev/null || { show; fail "no target line $id"; }
done
[ "$(jq -s '[.[] | select(.kind == "target")] | length' "$JSON")" = \
	"$(grep -Ec '^  .* (PASS|MISS|n/a)$' "$TMP/bench.out")" ] ||
	{ show; fail "the targets printed and those in --json-out differ"; }

pass "bench/run.sh --quick: table, medians, $(jq -s '[.[] | select(.kind == "target")] | length' "$JSON") targets, JSON lines ($(wc -l <"$JSON") lines)"
