#!/bin/bash
# off-hours: with working hours set in a rules file to a window that is not
# now, a program started below a session leader (a program named sshd) is
# tagged; one started elsewhere is not; without hours it is off.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

export TZ=UTC
h=$((10#$(date -u +%H)))
printf '[off-hours]\nhours = %02d:00-%02d:00\ndays = mon-sun\n' $(((h + 2) % 24)) $(((h + 3) % 24)) >"$TMP/rules.ini"
"$SPAWNWATCH" --rules "$TMP/rules.ini" --check | grep -q '^enabled = yes' || fail "hours did not enable off-hours"
mkdir "$TMP/sbin"
cp "$(command -v bash)" "$TMP/sbin/sshd"
# sleep adds its arguments: the second one marks each run.
session="0.0${$}1" daemon="0.0${$}2" again="0.0${$}3"
start_sw --rules "$TMP/rules.ini"
"$TMP/sbin/sshd" -c "bash -c '/bin/sleep 0.1 $session; true'; true"
bash -c "/bin/sleep 0.1 $daemon"
wait_until 10 has ".event == \"exit\" and .argv[2]? == \"$daemon\"" || fail "no exec seen"
stop_sw
check_stream
has ".event == \"exec\" and .argv[2] == \"$session\" and (.tags | index(\"off-hours\"))" ||
	fail "no off-hours below sshd: $(jq -c "select(.argv[2]? == \"$session\")" "$OUT")"
has ".event == \"exec\" and .argv[2] == \"$daemon\"" || fail "the daemon's exec has no argv"
[ "$(count ".event == \"exec\" and .argv[2] == \"$daemon\" and .tags")" = 0 ] ||
	fail "a program outside any session was tagged"
# The built-in rules: off.
start_sw
"$TMP/sbin/sshd" -c "/bin/sleep 0.1 $again; true"
wait_until 10 has ".event == \"exit\" and .argv[2]? == \"$again\"" || fail "no exec seen"
stop_sw
[ "$(count '.tags // [] | index("off-hours")')" = 0 ] || fail "off-hours on without hours"
pass "off-hours below a session outside the hours; not elsewhere; off by default"
