#!/bin/bash
# fork-bomb: a bounded bomb (a shell whose copies fork copies, four
# generations of four, 340 processes, held until the test releases them)
# raises one anomaly naming its root; a parent with 300 children of its
# own, each running nothing else, is not a bomb.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

mkfifo "$TMP/hold"
start_sw --tagged
# Near miss first: 300 children of one shell (a storm, not a bomb).
bash -c 'for i in {1..300}; do read -r -t 20 _ <>"$1" & done; wait' flat "$TMP/hold" &
flat=$!
wait_until 15 has ".event == \"anomaly\" and .tag == \"spawn-storm\" and .pid == $flat" ||
	fail "the 300 children were not even a storm"
setsid bash -c '
b() {
	if [ "$1" -lt 4 ]; then
		for i in 1 2 3 4; do b $(($1 + 1)) "$2" & done
		wait
	else
		read -r -t 20 _ <>"$2"
	fi
}
b 0 "$1"' bomb "$TMP/hold" &
bomb=$!
begin=$(date +%s%N)
wait_until 20 has ".event == \"anomaly\" and .tag == \"fork-bomb\" and .pid == $bomb" ||
	fail "no fork-bomb for $bomb: $(jq -c 'select(.event == "anomaly") | [.pid, .tag, .detail]' "$OUT")"
ms=$((($(date +%s%N) - begin) / 1000000))
# Release every holder (300 + 256): each read takes one line of the FIFO.
# In a subshell: once the last holder is gone, a write would be SIGPIPE.
(for _ in $(seq 556); do echo; done >"$TMP/hold") 2>/dev/null || true
wait "$flat" "$bomb"
sh -c 'kill -9 $$' 2>/dev/null
wait_until 10 has '.event == "exit" and (.tags // [] | index("killed"))' || fail "no sentinel"
stop_sw
check_stream
has ".event == \"anomaly\" and .pid == $bomb and .tags == [\"fork-bomb\"] and .comm == \"bash\" and
	.detail.count >= 200 and .detail.threshold == 200" ||
	fail "anomaly line wrong: $(jq -c 'select(.tag == "fork-bomb")' "$OUT")"
[ "$(count '.tag == "fork-bomb"')" = 1 ] || fail "fork-bomb raised more than once"
[ "$(count ".tag == \"fork-bomb\" and .pid == $flat")" = 0 ] || fail "300 plain children called a bomb"
pass "fork-bomb raised once, ${ms} ms after the bomb started; 300 plain children are not one"
