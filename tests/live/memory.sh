#!/bin/bash
# Bounded memory: a storm of 100,000 short-lived processes leaves the
# resident set and the table where they were.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
if [ -n "${SANITIZED:-}" ]; then
	echo "SKIP: resident memory means nothing under sanitizers (shadow, quarantine)"
	exit 77
fi

rss() { awk '/^VmRSS/ { print $2 }' /proc/"$SW_PID"/status; }
# storm: 100,000 forks, then a sentinel; once its exec is out, every event
# of the storm before it has been processed.
storm() {
	"$STORM" fork -n 100000 -c 2 >"$TMP/storm.json" || fail "storm failed"
	(exec -a "$MARK-$1" /bin/sleep 0.05)
	wait_until 60 has ".event == \"exec\" and .argv[0] == \"$MARK-$1\"" ||
		fail "storm $1 not processed within 60 s"
}
start_sw -e exec
before=$(rss)
storm 1
first=$(rss)
storm 2
second=$(rss)
stop_sw
tail -n 1 "$OUT" | jq -e '.stats.lost == 0 and .stats.peak_tracked < 200000' >/dev/null ||
	fail "stats: $(tail -n 1 "$OUT" | jq -c '.stats | {lost, tracked, peak_tracked, evicted}')"
echo "RSS ${before} kB at start, ${first} kB after 100,000 processes, ${second} kB after 200,000"
echo "table: $(tail -n 1 "$OUT" | jq -c '.stats | {tracked, peak_tracked, evicted, zombies}')"
[ "$first" -lt $((before + 16384)) ] || fail "RSS grew from $before to $first kB in one storm"
[ "$second" -le $((first + 1024)) ] || fail "RSS not flat: $first kB after one storm, $second after two"
pass "RSS ${before} -> ${first} -> ${second} kB"
