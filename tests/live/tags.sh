#!/bin/bash
# The per-event anomaly tags on real processes: a miner and a hidden
# binary run from /tmp, a script in /tmp, a deleted and a fileless
# executable, a SIGKILL; --tagged keeps only what carries a tag.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

bin=$(command -v sleep)
cp "$bin" "$TMP/xmrig"
cp "$bin" "$TMP/.update"
cp "$bin" "$TMP/doomed"
printf '#!/bin/sh\n/bin/sleep 0.2\n' >"$TMP/job.sh"
chmod +x "$TMP/job.sh"
start_sw --tagged
"$TMP/xmrig" 0.2
"$TMP/.update" 0.2
(cd "$TMP" && sh ./job.sh "$MARK")
# Deleted: run through a descriptor of a file already unlinked.
bash -c 'exec 3<"$1"; rm "$1"; exec /proc/self/fd/3 0.2' bash "$TMP/doomed"
"$MEMFDEXEC" "$bin" 0.2
sh -c 'sleep 0.05' "$MARK-plain"
# Last, a tagged sentinel: once it is out, everything before it is too.
sh -c 'kill -9 $$' 2>/dev/null
wait_until 10 has '.event == "exit" and (.tags // [] | index("killed"))' || fail "no killed tag"
stop_sw
check_stream

tags() { jq -c "select(.event == \"exec\" and $1) | .tags" "$OUT" | head -n 1; }
[ "$(tags '.comm == "xmrig"')" = '["exec-from-tmp","miner"]' ] || fail "xmrig: $(tags '.comm == "xmrig"')"
[ "$(tags '.comm == ".update"')" = '["exec-from-tmp","hidden-exe"]' ] || fail ".update: $(tags '.comm == ".update"')"
[ "$(tags '.argv[1] == "./job.sh"')" = '["exec-from-tmp"]' ] || fail "script: $(tags '.argv[1] == "./job.sh"')"
tags '(.exe // "" | endswith("doomed (deleted)"))' | jq -e 'index("deleted-exe") and index("exec-from-tmp")' >/dev/null ||
	fail "deleted: $(jq -c 'select(.event == "exec" and (.exe // "" | contains("doomed")))' "$OUT")"
[ "$(tags '(.exe // "" | startswith("/memfd:"))')" = '["memfd-exec"]' ] ||
	fail "memfd: $(jq -c 'select(.event == "exec" and (.exe // "" | startswith("/memfd")))' "$OUT")"
[ "$(count '.event != "start" and .event != "stop" and (.tags | not)')" = 0 ] ||
	fail "--tagged let untagged lines through"
[ "$(count "any(.argv[]?; . == \"$MARK-plain\")")" = 0 ] || fail "a plain sleep was tagged"
pass "exec-from-tmp, miner, hidden-exe, deleted-exe, memfd-exec, killed; --tagged"

# A server binary named nginx starting shells; nginx starting nginx is not.
cp "$(command -v bash)" "$TMP/nginx"
cp "$(command -v strace)" "$TMP/injector"
start_sw --tagged
"$TMP/nginx" -c "sh -c 'id >/dev/null'; $TMP/nginx -c 'exit 0'; true" "$MARK-web"
# A shell with /dev/tcp/ in its arguments (nothing listens there).
bash -c 'sleep 0.2; exec 3<>/dev/tcp/127.0.0.1/9; true' 2>/dev/null
if command -v nc >/dev/null; then
	timeout 0.3 nc -l 127.0.0.1 47123 >/dev/null 2>&1
fi
/bin/sleep 5 &
victim=$!
"$TMP/injector" -p "$victim" -e trace=none >/dev/null 2>&1 &
tracer=$!
wait_until 10 has ".event == \"ptrace\" and .pid == $victim and .attach" || fail "no ptrace line"
kill "$tracer" "$victim"
wait "$tracer" "$victim" 2>/dev/null
sh -c 'kill -9 $$' 2>/dev/null
wait_until 10 eval '[ "$(count "(.tags // [] | index(\"killed\"))")" -ge 1 ]' || fail "no sentinel"
stop_sw
check_stream
has '.event == "exec" and .comm == "sh" and (.tags | index("web-shell")) and .ancestry[0].comm == "nginx"' ||
	fail "no web-shell on sh under nginx: $(jq -c 'select(.event == "exec") | [.comm, .tags, .ancestry[0].comm]' "$OUT")"
[ "$(count '.event == "exec" and .comm == "nginx" and (.tags | index("web-shell"))')" = 0 ] ||
	fail "nginx starting nginx was called a web shell"
has '.event == "exec" and .comm == "bash" and (.tags | index("reverse-shell"))' || fail "no reverse-shell tag"
if command -v nc >/dev/null; then
	has '.event == "exec" and (.tags | index("network-listener"))' || fail "no network-listener on nc -l"
fi
has ".event == \"ptrace\" and .pid == $victim and .tracer_comm == \"injector\" and (.tags | index(\"ptrace-attach\"))" ||
	fail "no ptrace-attach by a non-debugger"
pass "web-shell (not nginx's own worker), reverse-shell, network-listener, ptrace-attach"

# container-escape: from a new mount namespace, nsenter back into the
# host's; the program run inside the new namespace is not tagged.
if unshare -m true 2>/dev/null; then
	start_sw --tagged
	unshare -m bash -c 'nsenter -t "$1" -m /bin/sleep 0.2; /bin/sleep 0.2; true' bash $$
	sh -c 'kill -9 $$' 2>/dev/null
	wait_until 10 has '.event == "exit" and (.tags // [] | index("killed"))' || fail "no sentinel"
	stop_sw
	check_stream
	[ "$(count '.event == "exec" and .comm == "sleep" and (.tags // [] | index("container-escape"))')" = 1 ] ||
		fail "container-escape: $(jq -c 'select(.event == "exec") | [.comm, .tags]' "$OUT")"
	pass "container-escape on nsenter into the host's mount namespace, only there"
fi

# privilege-escalation: a setuid-root copy of a binary run by nobody, and
# the same copy planted as sudo (a helper's name, not its path); one the
# rules file allows by its path is allowed.
# Copies of sleep: they live long enough for /proc to name them.
mkdir "$TMP/ok"
cp "$(command -v id)" "$TMP/suid-id"
cp "$(command -v sleep)" "$TMP/suid-sleep"
cp "$(command -v sleep)" "$TMP/sudo"
cp "$(command -v sleep)" "$TMP/ok/helper"
chmod 4755 "$TMP/suid-id" "$TMP/suid-sleep" "$TMP/sudo" "$TMP/ok/helper"
chmod 0755 "$TMP" "$TMP/ok"
printf '[privilege-escalation]\nallow = /usr/bin/sudo %s\n' "$TMP/ok/helper" >"$TMP/priv.ini"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
if [ "$(nobody "$TMP/suid-id" -u 2>/dev/null)" = 0 ]; then
	start_sw --tagged --rules "$TMP/priv.ini"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/suid-sleep" 0.2 &
	escalated=$!
	wait "$escalated"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/sudo" 0.2 &
	planted=$!
	wait "$planted"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/ok/helper" 0.2 &
	allowed=$!
	wait "$allowed"
	sh -c 'kill -9 $$' 2>/dev/null
	wait_until 10 has '.event == "exit" and (.tags // [] | index("killed"))' || fail "no sentinel"
	stop_sw
	check_stream
	has ".event == \"exec\" and .pid == $escalated and .euid == 0 and .uid == 65534 and
		(.tags | index(\"privilege-escalation\"))" ||
		fail "no privilege-escalation: $(jq -c "select(.pid == $escalated)" "$OUT")"
	has ".event == \"exec\" and .pid == $planted and .euid == 0 and
		(.tags | index(\"privilege-escalation\"))" ||
		fail "a setuid copy named sudo in $TMP was allowed by its name"
	[ "$(count ".pid == $allowed and (.tags // [] | index(\"privilege-escalation\"))")" = 0 ] ||
		fail "a helper the rules file names by path was called an escalation"
	pass "privilege-escalation by a setuid-root copy, also one named sudo; a helper allowed by path"
else
	echo "skip: setuid binaries do not work under $TMP"
fi
