#!/bin/bash
# A parent that holds unreaped children: its zombie count rises in the
# forest a running watch dumps on SIGUSR1, and clears once it reaps them.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

mkfifo "$TMP/gate"
start_sw
"$ZOMBIES" 5 <"$TMP/gate" >"$TMP/z.out" &
zpid=$!
exec 3>"$TMP/gate"
wait_until 10 grep -q ready "$TMP/z.out" || fail "zombie maker not ready"
wait_until 10 eval '[ "$(count ".event == \"exit\" and .ppid == $zpid")" -ge 5 ]' ||
	fail "the 5 children's exits were not seen"

# dump N: SIGUSR1, then the parent's zombie count from the JSON forest.
dump() {
	: >"$ERR"
	kill -USR1 "$SW_PID"
	wait_until 10 eval '[ -s "$ERR" ] && jq -e . "$ERR" >/dev/null 2>&1' || fail "no forest on stderr after SIGUSR1"
	jq --argjson z "$zpid" '[.. | objects | select(.pid? == $z) | .zombies] | first' "$ERR"
}
n=$(dump)
[ "$n" = 5 ] || fail "zombie count $n while 5 children are unreaped"
jq -e --argjson z "$zpid" '[.. | objects | select(.pid? == $z)] | first |
	(.children | length) == 5 and all(.children[]; .state == "Z")' "$ERR" >/dev/null ||
	fail "the forest does not show the 5 zombies under their parent"
pass "5 unreaped children counted"

echo reap >&3
wait_until 10 grep -q reaped "$TMP/z.out" || fail "zombie maker did not reap"
n=$(dump)
[ "$n" = 0 ] || fail "zombie count $n after the parent reaped"
pass "count cleared after the reap"
exec 3>&-
wait "$zpid"
stop_sw
check_stream
tail -n 1 "$OUT" | jq -e '.stats.zombies | type == "number"' >/dev/null || fail "no zombies in stop stats"

# A daemon that never reaps 150 children: one zombie-accumulation anomaly
# naming it, within the sweep's second or so.
start_sw --tagged
"$ZOMBIES" 150 <"$TMP/gate" >"$TMP/z.out" &
zpid=$!
exec 3>"$TMP/gate"
wait_until 10 grep -q ready "$TMP/z.out" || fail "zombie maker not ready"
begin=$(date +%s%N)
wait_until 10 has ".event == \"anomaly\" and .pid == $zpid" || fail "no zombie-accumulation anomaly"
ms=$((($(date +%s%N) - begin) / 1000000))
echo reap >&3
exec 3>&-
wait "$zpid"
stop_sw
check_stream
has ".event == \"anomaly\" and .pid == $zpid and .tag == \"zombie-accumulation\" and
	.tags == [\"zombie-accumulation\"] and .detail.count >= 100 and .detail.threshold == 100 and
	.comm == \"zombies\"" || fail "anomaly line wrong: $(jq -c 'select(.event == "anomaly")' "$OUT")"
[ "$(count ".event == \"anomaly\" and .pid == $zpid")" = 1 ] || fail "raised more than once"
pass "zombie-accumulation raised once, ${ms} ms after the 150 zombies were made"
