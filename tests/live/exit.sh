#!/bin/bash
# Exit status decoding on real processes: exit 3, SIGKILL, SIGSEGV.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

start_sw
sh -c 'exit 3' &
p_three=$!
sh -c 'kill -9 $$' &
p_kill=$!
bash -c 'ulimit -c 0; kill -SEGV $$' &
p_segv=$!
wait $p_three $p_kill $p_segv 2>/dev/null
for p in $p_three $p_kill $p_segv; do wait_exit_of "$p"; done
stop_sw TERM
[ "$SW_STATUS" = 0 ] || fail "SIGTERM gave status $SW_STATUS"
check_stream

line() { jq -c "select(.event == \"exit\" and .pid == $1)" "$OUT"; }
line $p_three | jq -e '.exit_code == 3 and (has("signal") | not)' >/dev/null ||
	fail "exit 3 not decoded: $(line $p_three)"
line $p_kill | jq -e '.signal == "SIGKILL" and (has("exit_code") | not) and .core == false' >/dev/null ||
	fail "SIGKILL not decoded: $(line $p_kill)"
line $p_segv | jq -e '.signal == "SIGSEGV" and (has("exit_code") | not)' >/dev/null ||
	fail "SIGSEGV not decoded: $(line $p_segv)"
pass "exit code 3, SIGKILL and SIGSEGV decoded"
