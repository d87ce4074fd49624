#!/bin/bash
# --pid follows a subtree (children born later included) while other
# activity runs; --comm and --user select by name and by user.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

mkfifo "$TMP/gate"
# The subtree root waits for the gate, then starts two generations (alive
# long enough to be read from /proc, under valgrind too).
bash -c 'read -r _ <"$1"; /bin/sleep 0.3; bash -c "/bin/sleep 0.3; true"; true' bash "$TMP/gate" &
root=$!
start_sw --pid "$root"
sh -c 'sleep 0.05' "$MARK-outside" &
outside=$!
echo go >"$TMP/gate"
wait "$root"
wait "$outside"
wait_exit_of "$root"
stop_sw
check_stream
in_tree=".pid == $root or any(.ancestry[]?; .pid == $root)"
[ "$(count ".pid != null and ($in_tree | not)")" = 0 ] ||
	fail "--pid $root let through events outside its subtree: $(jq -c "select(.pid != null and ($in_tree | not)) | [.event, .pid, .comm]" "$OUT" | head -n 3)"
[ "$(count ".event == \"exec\" and .comm == \"sleep\"")" -ge 2 ] ||
	fail "the subtree's sleeps (two generations) are missing"
has ".event == \"exec\" and .comm == \"bash\" and .ancestry[0].pid == $root" ||
	fail "the grandchild shell is missing: $(jq -c "[.event, .pid, .comm, .ppid, [.ancestry[]?.pid]]" "$OUT")"
has ".event == \"exit\" and .pid == $root" || fail "the root's own exit is missing"
pass "--pid $root: only its subtree, later generations included"

st=0
"$SPAWNWATCH" --json --pid 2147483000 >"$OUT" 2>"$ERR" || st=$?
[ "$st" = 1 ] && grep -q "no process 2147483000" "$ERR" || fail "--pid of no process: status $st, $(cat "$ERR")"
pass "--pid of a missing process: status 1, one line"

start_sw --comm sleep
sh -c 'sleep 0.05' "$MARK-c"
wait_until 10 has '.event == "exit" and .comm == "sleep"' || fail "--comm sleep saw no sleep"
stop_sw
[ "$(count '.pid != null and .comm != "sleep"')" = 0 ] || fail "--comm sleep let other names through"
pass "--comm"

command -v setpriv >/dev/null || { echo "skip: no setpriv for --user"; exit 0; }
start_sw --user nobody
# Long enough to be read at its exec, under valgrind (SLOW) too.
life=0.05
[ "$SLOW" -gt 1 ] && life=0.5
setpriv --reuid=65534 --regid=65534 --clear-groups /bin/sleep "$life"
sh -c 'sleep 0.05' "$MARK-root"
wait_until 10 has '.event == "exit" and .comm == "sleep" and .euid == 65534' ||
	fail "--user nobody missed nobody's process"
stop_sw
[ "$(count '.pid != null and .euid != 65534')" = 0 ] || fail "--user nobody let root's events through"
pass "--user"
