#!/bin/bash
# Every kind of kernel event, made by a real process: uid and gid (with
# the credentials before), sid, comm (with the name before), ptrace attach
# and detach (with the tracer), coredump (and core on the exit line).
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

cd "$TMP" || fail "cannot enter $TMP"
start_sw
setpriv --reuid=65534 --regid=65534 --clear-groups /bin/true &
p_id=$!
setsid /bin/true &
p_sid=$!
# It renames itself only once its exec has been read, then forks and waits.
mkfifo "$TMP/gate"
bash -c 'read -r _ <"$1"; printf renamed >/proc/self/comm; /bin/sleep 0.05; true' bash "$TMP/gate" &
p_comm=$!
wait_until 10 has ".event == \"exec\" and .pid == $p_comm and .comm == \"bash\"" ||
	fail "the renaming shell's exec was not seen"
echo go >"$TMP/gate"
bash -c 'ulimit -c unlimited; kill -SEGV $$' 2>/dev/null &
p_core=$!
/bin/sleep 5 &
p_traced=$!
wait "$p_id" "$p_sid" "$p_comm"
wait "$p_core" 2>/dev/null
strace -p "$p_traced" -e trace=none >/dev/null 2>&1 &
p_strace=$!
wait_until 10 has ".event == \"ptrace\" and .pid == $p_traced and .attach" ||
	fail "no ptrace attach line"
kill "$p_strace"
wait "$p_strace" 2>/dev/null
wait_until 10 has ".event == \"ptrace\" and .pid == $p_traced and .attach == false" ||
	fail "no ptrace detach line"
kill "$p_traced"
wait "$p_traced" 2>/dev/null
wait_exit_of "$p_traced"
for p in $p_id $p_sid $p_comm $p_core; do wait_exit_of "$p"; done
stop_sw
check_stream

has ".event == \"uid\" and .pid == $p_id and .uid == 65534 and .euid == 65534 and .prev_uid == 0 and .prev_euid == 0" ||
	fail "uid line wrong: $(jq -c "select(.event == \"uid\" and .pid == $p_id)" "$OUT")"
has ".event == \"gid\" and .pid == $p_id and .gid == 65534 and .egid == 65534 and .prev_gid == 0 and .prev_egid == 0" ||
	fail "gid line wrong"
has ".event == \"exit\" and .pid == $p_id and .euid == 65534 and .user == \"nobody\"" ||
	fail "the exit line does not carry the new credentials"
pass "uid and gid with the credentials before"
has ".event == \"sid\" and .pid == $p_sid and .sid == $p_sid" || fail "no sid line"
pass "sid"
has ".event == \"comm\" and .pid == $p_comm and .comm == \"renamed\" and .prev_comm == \"bash\"" ||
	fail "comm line wrong: $(jq -c "select(.event == \"comm\" and .pid == $p_comm)" "$OUT")"
has ".event == \"exit\" and .pid == $p_comm and .comm == \"renamed\"" || fail "the new name is not kept"
pass "comm with the name before"
has ".event == \"ptrace\" and .pid == $p_traced and .attach and .tracer_pid == $p_strace and .tracer_comm == \"strace\"" ||
	fail "ptrace attach line wrong: $(jq -c "select(.event == \"ptrace\")" "$OUT")"
pass "ptrace attach and detach, with the tracer"
has ".event == \"coredump\" and .pid == $p_core" || fail "no coredump line"
has ".event == \"exit\" and .pid == $p_core and .signal == \"SIGSEGV\" and .core" || fail "exit without core"
pass "coredump, and core on the exit line"
