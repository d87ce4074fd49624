#!/bin/bash
# --run-as: once subscribed, spawnwatch runs as nobody with one capability
# (CAP_SYS_PTRACE, also its whole bounding set) and no_new_privs, still
# reads exe and cwd of root's processes, keeps writing its log and reopens
# it on SIGHUP as nobody.  Unknown users and non-root callers are refused.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

chmod 755 "$TMP"
mkdir "$TMP/log"
chown nobody: "$TMP/log"
log=$TMP/log/sw.json
"$SPAWNWATCH" --json -Z nobody -o "$log" 2>"$ERR" &
SW_PID=$!
wait_until 10 eval '[ -s "$log" ]' || fail "no start line in the log"
status() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SW_PID/status"; }
# The switch happens right after the start line: wait for it.
wait_until 10 eval '[ "$(status Uid)" = 65534 ]' || fail "still uid $(status Uid)"
[ "$(awk '$1 == "Uid:" { print $2 $3 $4 $5 }' "/proc/$SW_PID/status")" = 65534655346553465534 ] ||
	fail "not every uid is nobody: $(grep Uid "/proc/$SW_PID/status")"
[ "$(status Gid)" = 65534 ] || fail "gid $(status Gid)"
for c in CapEff CapPrm CapBnd; do
	[ "$(status $c)" = 0000000000080000 ] || fail "$c is $(status $c), not CAP_SYS_PTRACE alone"
done
[ "$(status CapInh)" = 0000000000000000 ] && [ "$(status CapAmb)" = 0000000000000000 ] ||
	fail "inheritable or ambient capabilities left"
[ "$(status NoNewPrivs)" = 1 ] || fail "no_new_privs not set"
[ "$(stat -c %U "$log")" = nobody ] || fail "the log is not nobody's"

# A root process: its exe and cwd still read (CAP_SYS_PTRACE).
(cd /root && /bin/sleep 0.2 "0.0$$")
wait_until 10 eval 'has ".event == \"exit\" and .argv[2]? == \"0.0$$\"" "$log"' || fail "no exit of root's sleep"
has ".event == \"exec\" and .argv[2] == \"0.0$$\" and .exe == \"/usr/bin/sleep\" and .cwd == \"/root\" and .user == \"root\"" "$log" ||
	fail "root's exe or cwd unread as nobody: $(jq -c "select(.argv[2]? == \"0.0$$\")" "$log")"
# Rotation: the new file is created by nobody, no line lost or torn.
mv "$log" "$log.1"
kill -HUP "$SW_PID"
/bin/sleep 0.1 "0.1$$"
wait_until 10 eval '[ -s "$log" ] && has ".event == \"exit\" and .argv[2]? == \"0.1$$\"" "$log"' ||
	fail "nothing in the reopened log: $(cat "$ERR")"
[ "$(stat -c %U "$log")" = nobody ] || fail "the reopened log is not nobody's"
stop_sw
[ "$SW_STATUS" = 0 ] || fail "status $SW_STATUS: $(cat "$ERR")"
cat "$log.1" "$log" >"$OUT"
check_stream
tail -n 1 "$log" | jq -e '.event == "stop"' >/dev/null || fail "no stop line"
pass "runs as nobody with CAP_SYS_PTRACE only and no_new_privs; reads root's exe; reopens its log"

st=0
"$SPAWNWATCH" -Z no-such-user-$$ 2>"$ERR" || st=$?
[ "$st" = 2 ] && grep -q "unknown user 'no-such-user-$$' for --run-as" "$ERR" || fail "unknown user: status $st"
if command -v setpriv >/dev/null; then
	st=0
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SPAWNWATCH" -q -Z root >/dev/null 2>"$ERR" || st=$?
	[ "$st" = 1 ] && grep -q -- '--run-as: only root can switch' "$ERR" ||
		fail "run-as from nobody: status $st, $(cat "$ERR")"
fi
pass "an unknown user is a usage error; only root can switch"

# -- COMMAND under --run-as: the command starts as root, so spawnwatch,
# once nobody, cannot signal it; when spawnwatch stops first (-d), the
# command still ends (SIGTERM as spawnwatch exits) and spawnwatch with it.
tag="12$$.5"
st=0
start=$(date +%s)
timeout 30 "$SPAWNWATCH" --json -q -Z nobody -d 2 -o "$TMP/cmd.jsonl" -- /bin/sleep "$tag" 2>"$ERR" || st=$?
[ "$st" != 124 ] || fail "-Z nobody -d 2 -- sleep: still running after 30 s"
[ "$st" = 143 ] || fail "-Z nobody -d 2 -- sleep: status $st, expected 143: $(cat "$ERR")"
[ $(( $(date +%s) - start )) -lt 15 ] || fail "-Z nobody -d 2 -- sleep took $(( $(date +%s) - start )) s"
wait_until 10 eval '! pgrep -f "^/bin/sleep $tag\$" >/dev/null' || fail "the command outlived spawnwatch"
tail -n 1 "$TMP/cmd.jsonl" | jq -e '.event == "stop"' >/dev/null || fail "-Z -- COMMAND: no stop line"
# A command that ends by itself still gives its own status.
st=0
timeout 30 "$SPAWNWATCH" --json -q -Z nobody -o "$TMP/cmd.jsonl" -- /bin/sh -c 'exit 7' 2>"$ERR" || st=$?
[ "$st" = 7 ] || fail "-Z nobody -- sh -c 'exit 7': status $st: $(cat "$ERR")"
pass "-Z nobody -- COMMAND: ends at -d with the command (143), or with its status"
