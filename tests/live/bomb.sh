#!/bin/bash
# fork-bomb.  The classic `:(){ :|:& };:` typed into an interactive shell,
# in a cgroup whose pids.max holds it at 300 processes for a few seconds:
# one anomaly, naming a bomb copy, never the shell it was typed in (a
# script that stops the named process, contrib/watch-storms --act, must
# not stop an innocent shell), however the count wavers at the limit.  A
# bounded bomb (a script whose copies fork copies, four generations of
# four, held until the test releases them): one anomaly, naming a copy,
# not the script's own shell.  A parent with 300 children of its own,
# each running nothing else, is not a bomb.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

# A pids cgroup of the test's own (v2, or the v1 pids hierarchy).
cg=
for b in /sys/fs/cgroup /sys/fs/cgroup/unified /sys/fs/cgroup/pids; do
	if [ -w "$b/cgroup.procs" ] && mkdir "$b/swbomb$$" 2>/dev/null; then
		if [ -e "$b/swbomb$$/pids.max" ]; then
			cg=$b/swbomb$$
			break
		fi
		rmdir "$b/swbomb$$"
	fi
done
[ -n "$cg" ] || { echo "SKIP: no pids cgroup controller to hold a fork bomb in"; exit 77; }
echo 300 >"$cg/pids.max" || fail "cannot set $cg/pids.max"
# kill_cg: no more forks, then SIGKILL to all in the cgroup until it is empty.
kill_cg() {
	local _ p
	echo 0 >"$cg/pids.max"
	for _ in $(seq 500); do
		p=$(cat "$cg/cgroup.procs")
		[ -z "$p" ] && return 0
		# shellcheck disable=SC2086 # one pid a word
		kill -KILL $p 2>/dev/null
		sleep 0.02
	done
	return 1
}
undo() {
	kill_cg
	rmdir "$cg" 2>/dev/null
	cleanup
}
trap undo EXIT

mkfifo "$TMP/hold" "$TMP/tty"
start_sw --tagged
# The interactive shell, in the cgroup, reading what is typed from a FIFO.
sh -c 'echo $$ >"$1/cgroup.procs" && exec bash --norc --noprofile -i <"$2" >/dev/null 2>&1' \
	sh "$cg" "$TMP/tty" &
shell=$!
exec 9>"$TMP/tty"
echo ':(){ :|:& };:' >&9
begin=$(date +%s%N)
classic='.event == "anomaly" and .tag == "fork-bomb" and .argv == ["bash", "--norc", "--noprofile", "-i"]'
wait_until 20 has "$classic" ||
	fail "no fork-bomb for :(){ :|:& };: ($(wc -l <"$cg/cgroup.procs") in $cg): $(jq -c 'select(.event == "anomaly") | [.pid, .tag, .detail]' "$OUT")"
ms=$((($(date +%s%N) - begin) / 1000000))
blamed=$(jq "select($classic) | .pid" "$OUT" | head -n 1)
[ "$blamed" != "$shell" ] || fail "the fork bomb is blamed on the shell it was typed in ($shell)"
grep -qx "$blamed" "$cg/cgroup.procs" 2>/dev/null || [ ! -e "/proc/$blamed" ] ||
	fail "the blamed $blamed is not in the bomb's cgroup"
# Held at pids.max for 4 s more: the count wavers, the anomaly is not said again.
sleep 4
kill_cg || fail "the bomb in $cg did not die"
exec 9>&-
{ wait "$shell"; } 2>/dev/null

# Near miss: 300 children of one shell (a storm, not a bomb).
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
bounded='.event == "anomaly" and .tag == "fork-bomb" and .argv[0] == "bash" and .argv[3]? == "bomb"'
wait_until 20 has "$bounded" ||
	fail "no fork-bomb for $bomb: $(jq -c 'select(.event == "anomaly") | [.pid, .tag, .detail]' "$OUT")"
# A copy: below the script's shell in the table.
copy=$(jq "select($bounded) | .pid" "$OUT" | head -n 1)
[ "$copy" != "$bomb" ] || fail "the bounded bomb is blamed on its launching shell $bomb"
has "$bounded and .pid == $copy and (.ancestry | map(.pid) | index($bomb))" ||
	fail "the blamed $copy is not below $bomb: $(jq -c "select($bounded)" "$OUT")"
# Release every holder (300 + 256): each read takes one line of the FIFO.
# In a subshell: once the last holder is gone, a write would be SIGPIPE.
(for _ in $(seq 556); do echo; done >"$TMP/hold") 2>/dev/null || true
wait "$flat" "$bomb"
sh -c 'kill -9 $$' 2>/dev/null
wait_until 10 has '.event == "exit" and (.tags // [] | index("killed"))' || fail "no sentinel"
stop_sw
check_stream
n=$(count "$classic")
[ "$n" = 1 ] || fail "the classic fork bomb was raised $n times: $(jq -c "select($classic) | [.ts, .pid, .detail]" "$OUT")"
has "$classic and .comm == \"bash\" and .tags == [\"fork-bomb\"] and .detail.count >= 200 and .detail.threshold == 200" ||
	fail "classic anomaly line wrong: $(jq -c "select($classic)" "$OUT")"
has "$bounded and .tags == [\"fork-bomb\"] and .comm == \"bash\" and
	.detail.count >= 200 and .detail.threshold == 200" ||
	fail "anomaly line wrong: $(jq -c 'select(.tag == "fork-bomb")' "$OUT")"
[ "$(count "$bounded")" = 1 ] || fail "the bounded fork-bomb raised more than once"
[ "$(count '.tag == "fork-bomb"')" = 2 ] || fail "not two fork-bomb anomalies: $(jq -c 'select(.tag == "fork-bomb") | [.pid, .argv]' "$OUT")"
[ "$(count ".tag == \"fork-bomb\" and .pid == $flat")" = 0 ] || fail "300 plain children called a bomb"
pass ":(){ :|:& };: at pids.max 300: raised once, ${ms} ms after it was typed, on copy $blamed, not the shell $shell; bounded bomb: once, on copy $copy; 300 plain children are not one"
