#!/bin/bash
# Frames forged by a local root process, unicast to spawnwatch's port or
# sent to the proc connector group, are dropped and counted, never emitted.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

fake=$((2147480000 + RANDOM))
start_sw
ino=$(readlink /proc/"$SW_PID"/fd/* 2>/dev/null | sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p' | head -n 1)
port=$(awk -v ino="$ino" '$2 == 11 && $10 == ino { print $3 }' /proc/net/netlink)
[ -n "$port" ] || fail "cannot find spawnwatch's netlink port (inode $ino)"
"$FORGE" "$port" "$fake" || fail "forge (unicast) failed"
"$FORGE" group "$fake" || fail "forge (group) failed"
# A real event after the forgeries: once it is out, they were handled.
(exec -a "$MARK" /bin/sleep 0.05)
wait_until 10 has '.event == "exit" and .argv[0] == $mark' || fail "sentinel not seen"
stop_sw
check_stream
[ "$(count ".pid == $fake")" = 0 ] || fail "a forged event was emitted"
tail -n 1 "$OUT" | jq -e '.stats.rejected >= 2 and .stats.rejected_by.sender >= 2' >/dev/null ||
	fail "forged frames not counted: $(tail -n 1 "$OUT" | jq -c .stats.rejected_by)"
pass "forged frames rejected and counted"
