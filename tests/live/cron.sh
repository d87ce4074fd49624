#!/bin/bash
# cron-overlap: a cron daemon (a program the rules file names by path as
# one) starts a job while the previous run of the same command line still
# lives: the exec is tagged and one anomaly names the parent.  Another
# command line under cron, and the same command run outside cron, are not
# overlaps.  (allowpath.sh: a copy named cron elsewhere is no daemon.)
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

mkdir "$TMP/sbin"
cp "$(command -v bash)" "$TMP/sbin/cron"
printf '[cron-overlap]\ndaemons = %s\n' "$TMP/sbin/cron" >"$TMP/r.ini"
# sleep adds its arguments: the second one makes the command line unique.
job="/bin/sleep 3 0.0$$"
start_sw --tagged --rules "$TMP/r.ini"
"$TMP/sbin/cron" -c "$job & /bin/sleep 3 0.1$$ & sleep 0.5; $job & wait" &
cron=$!
# The same command line twice outside cron.
bash -c "$job & sleep 0.5; $job & wait" &
plain=$!
wait_until 15 has ".event == \"anomaly\" and .tag == \"cron-overlap\"" || fail "no cron-overlap anomaly"
wait "$cron" "$plain"
sh -c 'kill -9 $$' 2>/dev/null
wait_until 10 has '.event == "exit" and (.tags // [] | index("killed"))' || fail "no sentinel"
stop_sw
check_stream
[ "$(count ".event == \"exec\" and (.tags | index(\"cron-overlap\"))")" = 1 ] ||
	fail "expected one tagged exec: $(jq -c 'select(.event == "exec") | [.pid, .argv, .tags]' "$OUT")"
has ".event == \"exec\" and (.tags | index(\"cron-overlap\")) and .ppid == $cron and .argv[2] == \"0.0$$\"" ||
	fail "the tagged exec is not the second run"
has ".event == \"anomaly\" and .tag == \"cron-overlap\" and .pid == $cron and .tags == [\"cron-overlap\"] and
	.detail.count == 1 and .detail.threshold == 1 and .detail.oldest_s >= 0.4" ||
	fail "anomaly line wrong: $(jq -c 'select(.event == "anomaly")' "$OUT")"
[ "$(count '.tag == "cron-overlap"')" = 1 ] || fail "raised more than once"
pass "cron-overlap on the second run and one anomaly; other jobs and runs outside cron quiet"
