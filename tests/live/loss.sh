#!/bin/bash
# A receive buffer far too small for a storm: the loss is reported as `lost`
# events (never silent), counted in the stop line, and followed by a resync.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

start_sw --rcvbuf 4096
# Stopped, it cannot drain: the storm overflows the buffer on any machine.
kill -STOP "$SW_PID"
"$STORM" fork -n 3000 -c 2 >"$TMP/storm.json" || fail "storm failed"
kill -CONT "$SW_PID"
# After the storm the loss must surface (ENOBUFS at once, Drops within 1 s).
wait_until 15 has '.event == "lost"' || fail "no lost event after a 3000-process storm into 4 KiB"
wait_until 15 has '.event == "resync"' || fail "no resync after the loss"
stop_sw
check_stream

lost_sum=$(jq -s '[.[] | select(.event == "lost") | .count // 0] | add' "$OUT")
stats=$(tail -n 1 "$OUT" | jq -c .stats)
echo "$stats" | jq -e --argjson sum "$lost_sum" '.lost == $sum and .lost > 0 and
	.lost_by.enobufs >= 1 and .resyncs >= 1' >/dev/null ||
	fail "stop-line stats disagree with the lost lines (sum $lost_sum): $stats"
[ "$(count '.event == "lost" and ((.count == null or .count > 0) and
	(.reason | IN("enobufs", "seq_gap", "drops")) | not)')" = 0 ] ||
	fail "a lost line has a bad count or reason"
# Kernel events seen plus lost cannot exceed what happened; and the storm's
# 3000 forks are either seen or counted lost.
seen=$(count '.event == "fork"')
echo "$stats" | jq -e --argjson seen "$seen" '$seen + .lost >= 3000' >/dev/null ||
	fail "forks seen ($seen) plus lost ($(echo "$stats" | jq .lost)) < 3000"
pass "loss reported: $(echo "$stats" | jq -c '{lost, lost_by, resyncs}')"
