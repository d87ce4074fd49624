#!/bin/bash
# spawn-storm: a parent with 300 children alive at once raises one anomaly
# naming it; 1,000 children forked one after another, or 199 alive at
# once, do not.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

start_sw --tagged
bash -c 'for i in {1..1000}; do /bin/true; done' &
seq_pid=$!
bash -c 'for i in {1..199}; do /bin/sleep 3 & done; wait' &
few_pid=$!
wait "$seq_pid"
bash -c 'for i in {1..300}; do /bin/sleep 3 & done; wait' &
storm_pid=$!
begin=$(date +%s%N)
wait_until 15 has ".event == \"anomaly\" and .tag == \"spawn-storm\" and .pid == $storm_pid" ||
	fail "no spawn-storm for $storm_pid"
ms=$((($(date +%s%N) - begin) / 1000000))
wait "$storm_pid" "$few_pid"
stop_sw
check_stream
has ".event == \"anomaly\" and .pid == $storm_pid and .tags == [\"spawn-storm\"] and
	.detail.count >= 200 and .detail.threshold == 200 and .detail.window_s == 10 and .comm == \"bash\"" ||
	fail "anomaly line wrong: $(jq -c 'select(.event == "anomaly")' "$OUT")"
[ "$(count ".event == \"anomaly\" and .pid == $storm_pid")" = 1 ] || fail "raised more than once"
[ "$(count ".event == \"anomaly\" and (.pid == $seq_pid or .pid == $few_pid)")" = 0 ] ||
	fail "a sequential loop or 199 children called a storm: $(jq -c "select(.event == \"anomaly\") | [.pid, .tag, .detail, .comm]" "$OUT") seq=$seq_pid few=$few_pid"
pass "spawn-storm raised once, within ${ms} ms of the storm's start; near misses quiet"
