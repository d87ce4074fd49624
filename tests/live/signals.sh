#!/bin/bash
# A reader that goes away ends the run with status 0; SIGTERM writes stop.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

# `spawnwatch --json | head -n 1`: head takes the start line and leaves.
set -o pipefail
( "$SPAWNWATCH" --json 2>"$ERR"; echo $? >"$TMP/status" ) | head -n 1 >"$TMP/first" &
pipe=$!
# Events keep coming until spawnwatch notices the closed pipe.
for _ in $(seq 200); do
	[ -s "$TMP/status" ] && break
	/bin/true
	sleep 0.05
done
wait "$pipe" 2>/dev/null
[ -s "$TMP/status" ] || fail "spawnwatch did not end after its reader left"
[ "$(cat "$TMP/status")" = 0 ] || fail "status $(cat "$TMP/status") after EPIPE, expected 0"
jq -e '.event == "start"' "$TMP/first" >/dev/null || fail "head did not get the start line"
[ ! -s "$ERR" ] || fail "stderr not empty: $(cat "$ERR")"
pass "closed reader: status 0, nothing on stderr"

start_sw
stop_sw TERM
[ "$SW_STATUS" = 0 ] || fail "SIGTERM gave $SW_STATUS"
[ "$(tail -n 1 "$OUT" | jq -r .event)" = stop ] || fail "no stop line after SIGTERM"
check_stream
pass "SIGTERM: stop line, status 0"
