#!/bin/bash
# --output: created 0600, appended to, reopened on SIGHUP; unwritable → 1.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

log=$TMP/events.log
echo '{"old":true}' >"$log"
chmod 0644 "$log"
rm -f "$log"
"$SPAWNWATCH" --json -o "$log" 2>"$ERR" &
SW_PID=$!
wait_until 10 grep -q '"event":"start"' "$log" || fail "no start line in $log"
[ "$(stat -c %a "$log")" = 600 ] || fail "output mode $(stat -c %a "$log"), expected 600"

sh -c 'sleep 0.05' "$MARK-before"
wait_until 10 grep -q -- "$MARK-before" "$log" || fail "event not in the log"
mv "$log" "$log.1"
kill -HUP "$SW_PID"
# After the reopen a new file appears; events land there.
marked_in "$log" after || fail "no events in the reopened file"
stop_sw
[ "$SW_STATUS" = 0 ] || fail "status $SW_STATUS"
jq -e -s 'all(.[]; type == "object")' "$log.1" >/dev/null || fail "rotated file has a broken line"
jq -e -s 'all(.[]; type == "object")' "$log" >/dev/null || fail "new file has a broken line"
[ "$(tail -n 1 "$log" | jq -r .event)" = stop ] || fail "stop line not in the new file"
# seq runs on across the rotation.
cat "$log.1" "$log" >"$TMP/all"
check_stream "$TMP/all"
pass "output file 0600, SIGHUP reopen, whole lines, seq continues"

# An existing file is appended to, not truncated.
"$SPAWNWATCH" --json -o "$log" --duration 0.2 2>"$ERR" || fail "append run failed"
[ "$(grep -c '"event":"stop"' "$log")" = 2 ] || fail "the file was not appended to"
pass "appends to an existing file"

# Unwritable output: status 1, one line naming the file.
st=0
"$SPAWNWATCH" --json -o /nonexistent/dir/x.log 2>"$ERR" || st=$?
[ "$st" = 1 ] || fail "unwritable output gave $st"
[ "$(wc -l <"$ERR")" = 1 ] && grep -q '/nonexistent/dir/x.log' "$ERR" || fail "message: $(cat "$ERR")"
# A symlink is refused (O_NOFOLLOW): the target is not written.
ln -s "$TMP/target" "$TMP/link"
st=0
"$SPAWNWATCH" --json -o "$TMP/link" --duration 0.2 2>"$ERR" || st=$?
[ "$st" = 1 ] && [ ! -e "$TMP/target" ] || fail "symlink output followed (status $st)"
pass "unwritable or symlinked output gives status 1 and one line"
