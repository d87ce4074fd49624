#!/bin/bash
# Shapes an unprivileged user can build cost spawnwatch linear work, not
# quadratic: a chain of processes 30,000 deep, built while it watches (each
# fork once walked every ancestor), then seeded from /proc with --pid on its
# top (the subtree's marking stopped at depth 4,096: the deepest forks were
# lost), and 10,000 clans of copies under distinct roots, 20,000 sleepers
# (the fork-bomb census scanned its clan list once per process each second).
# spawnwatch's CPU per event and per second is printed for each.
#
# Run by hand (make check TESTS=tests/live/deep.sh), not in the suite: the
# kernel can take minutes to end 30,000 processes that share one memory.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
[ -x "${CHAIN:-}" ] || fail "CHAIN is not set to the chain helper"

# 30,000 processes need room in the pid space: raised for the test only.
pid_max=$(cat /proc/sys/kernel/pid_max)
[ "$pid_max" -ge 131072 ] || echo 131072 >/proc/sys/kernel/pid_max
restore() {
	exec 7>&- 2>/dev/null
	pkill -KILL -f "$TMP/chain" 2>/dev/null
	echo "$pid_max" >/proc/sys/kernel/pid_max
	cleanup
}
trap restore EXIT

cp "$CHAIN" "$TMP/chain"
cp "$CHAIN" "$TMP/chain-root"
# CPU seconds (user + system) spawnwatch has used.
cpu() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.3f\n", ($12 + $13) / hz }' \
		"/proc/$SW_PID/stat"
}
per_event() {
	awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.1f", (b - a) * 1e6 / n }'
}
lost_none() {
	tail -n 1 "$OUT" | jq -e '.event == "stop" and .stats.lost == 0' >/dev/null ||
		fail "events lost: $(tail -n 1 "$OUT" | jq -c .stats)"
}

# 1. The chain, built while spawnwatch watches.
mkfifo "$TMP/in"
start_sw
c0=$(cpu)
"$TMP/chain" deep 30000 1000 <"$TMP/in" >"$TMP/chain.out" &
deep=$!
exec 7>"$TMP/in"
wait_until 120 grep -q '^ready' "$TMP/chain.out" || fail "the chain did not stand within 120 s"
leaf=$(awk '/^ready/ { print $2 }' "$TMP/chain.out")
wait_until 60 has ".event == \"fork\" and .pid == $leaf" || fail "the fork of the deepest ($leaf) was not seen"
c1=$(cpu)
top=$(jq -s --argjson leaf "$leaf" 'map(select(.event == "fork" and .comm == "chain")) |
	(map(.ppid) - map(.pid)) | first' "$OUT")
[ "$(count ".event == \"fork\" and .comm == \"chain\"")" -ge 30000 ] ||
	fail "$(count ".event == \"fork\" and .comm == \"chain\"") forks of the chain seen, not 30,000"
wait_until 20 has ".event == \"anomaly\" and .tag == \"fork-bomb\"" ||
	fail "a chain 30,000 deep of one program is a fork-bomb's shape: not raised"
stop_sw
lost_none
[ "$(count '.tag == "fork-bomb"')" = 1 ] || fail "fork-bomb raised $(count '.tag == "fork-bomb"') times"
build=$(per_event "$c0" "$c1" 30000)

# 2. Seeded from /proc, watched from the top: the deepest's forks are in.
start_sw --pid "$top"
c0=$(cpu)
kill -USR1 "$leaf"
wait_until 60 grep -q '^done' "$TMP/chain.out" || fail "the deepest did not fork"
wait_until 60 [ "$(count ".event == \"exit\" and .ppid == $leaf")" -ge 1000 ] ||
	fail "$(count ".event == \"exit\" and .ppid == $leaf") of the deepest's 1,000 children seen with --pid $top"
c1=$(cpu)
stop_sw
lost_none
[ "$(count ".event == \"fork\" and .ppid == $leaf")" = 1000 ] ||
	fail "$(count ".event == \"fork\" and .ppid == $leaf") forks of the deepest, not 1,000"
deepest=$(per_event "$c0" "$c1" 2000)
exec 7>&-
wait "$deep"
# 30,000 processes sharing one memory take the kernel a while to end.
wait_until 300 [ "$(pgrep -c -f "$TMP/chain")" = 0 ] || fail "the chain did not end within 300 s"

# 3. 10,000 clans under distinct roots: 20,000 sleepers, judged each second.
start_sw --tagged
"$TMP/chain" roots 10000 "$TMP/chain-root" <"$TMP/in" >"$TMP/roots.out" &
roots=$!
exec 7>"$TMP/in"
wait_until 180 grep -q '^ready' "$TMP/roots.out" || fail "the 10,000 clans did not stand within 180 s"
# A window of 5 s of ticks over them: measured, not waited on.
c0=$(cpu)
t0=$(date +%s%N)
wait_until 10 [ $(($(date +%s%N) - t0)) -ge 5000000000 ]
c1=$(cpu)
ms=$(awk -v a="$c0" -v b="$c1" -v t="$t0" -v n="$(date +%s%N)" \
	'BEGIN { printf "%.1f", (b - a) * 1000 / ((n - t) / 1e9) }')
exec 7>&-
wait "$roots"
stop_sw
lost_none
[ "$(count ".tag == \"fork-bomb\" and .comm == \"chain-root\"")" = 0 ] ||
	fail "a clan of one copy was called a fork-bomb"
pass "30,000 deep: $build us CPU per fork while built; with --pid on its top, all 1,000 forks at depth 30,000 seen ($deepest us per event); 10,000 clans, 20,000 sleepers: $ms ms CPU per second; 0 lost"
