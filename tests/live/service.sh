#!/bin/bash
# contrib/spawnwatch.service, as the build made it, and contrib/logrotate.
# The unit: ExecStart with this build's paths, every hardening setting it
# promises and none that would hide the host from spawnwatch;
# systemd-analyze verify and its offline security exposure, when
# systemd-analyze is there.  As root: every system call spawnwatch makes in
# a run like the unit's (under strace) is in the unit's SystemCallFilter;
# the unit's start is played with setpriv (its capability bounding set,
# no_new_privs, nice -5; the sandbox's namespaces are not): spawnwatch
# starts, becomes its user with CAP_SYS_PTRACE alone, reads root's
# processes, and each capability of the set is needed; logrotate with
# contrib/logrotate rotates its log twice (the reload a kill -HUP): nothing
# lost, seq runs on, the old file compressed; and it starts again over its
# own 0600 log.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
SRC=$(dirname "$LIVE_LIB")/../..
SW=${SW_REAL:-$SPAWNWATCH}
UNIT=$(dirname "$SW")/contrib/spawnwatch.service
[ -f "$UNIT" ] || fail "$UNIT was not built"

grep -q '@[a-z]*@' "$UNIT" && fail "a configure variable is left in the unit: $(grep '@[a-z]*@' "$UNIT")"
execstart=$(sed -n 's/^ExecStart=//p' "$UNIT")
[[ $execstart =~ ^/[^\ ]*/spawnwatch\ --json\ --output\ /var/log/spawnwatch/events.json\ --run-as\ spawnwatch\ --rules\ /[^\ ]*/spawnwatch/rules$ ]] ||
	fail "ExecStart=$execstart"
for s in 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ReadWritePaths=/var/log/spawnwatch' \
	'ProtectHome=read-only' 'PrivateTmp=yes' 'AmbientCapabilities=' 'Restart=on-failure' \
	'RestartSec=2' 'Nice=-5' 'ExecReload=/bin/kill -HUP $MAINPID' 'SystemCallArchitectures=native' \
	'LockPersonality=yes' 'MemoryDenyWriteExecute=yes' 'RestrictRealtime=yes' \
	'ProtectKernelTunables=yes' 'ProtectKernelModules=yes' 'ProtectKernelLogs=yes' \
	'ProtectControlGroups=yes' 'ProtectClock=yes' 'ProtectHostname=yes'; do
	grep -qxF "$s" "$UNIT" || fail "the unit lacks $s"
done
grep -qE '^RestrictAddressFamilies=.*AF_NETLINK' "$UNIT" || fail "the unit forbids AF_NETLINK"
grep -qE '^CapabilityBoundingSet=.*CAP_NET_ADMIN.*' "$UNIT" && grep -qE '^CapabilityBoundingSet=.*CAP_SYS_PTRACE' "$UNIT" ||
	fail "the bounding set lacks CAP_NET_ADMIN or CAP_SYS_PTRACE"
# What would cut spawnwatch off the host: the proc connector lives in the
# host's network namespace, /proc must show every process, --run-as needs
# to start as root.
bad=$(grep -E '^(PrivateNetwork|ProtectProc|ProcSubset|PrivateUsers|PrivatePIDs|DynamicUser|User|Group)=' "$UNIT")
[ -z "$bad" ] || fail "the unit hides the host from spawnwatch: $bad"
grep -q 'useradd --system' "$UNIT" || fail "the unit does not say how to make its user"
pass "unit: ExecStart with this build's paths, hardening, nothing that hides the host"

sed "s|^ExecStart=[^ ]*/spawnwatch |ExecStart=$SW |" "$UNIT" >"$TMP/spawnwatch.service"
if command -v systemd-analyze >/dev/null; then
	(cd "$TMP" && systemd-analyze verify --man=no ./spawnwatch.service) >"$TMP/verify" 2>&1 ||
		fail "systemd-analyze verify: $(cat "$TMP/verify")"
	[ ! -s "$TMP/verify" ] || fail "systemd-analyze verify: $(cat "$TMP/verify")"
	if (cd "$TMP" && systemd-analyze security --offline=true ./spawnwatch.service) >"$TMP/security" 2>&1; then
		score=$(sed -n 's/.*Overall exposure level for spawnwatch.service: \([0-9.]*\).*/\1/p' "$TMP/security")
		[ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 5.0) }' ||
			fail "exposure level ${score:-unknown} above 5.0: $(tail -n 3 "$TMP/security")"
		pass "systemd-analyze verify is silent; exposure level $score"
	else
		pass "systemd-analyze verify is silent (no offline security analysis in this systemd)"
	fi
else
	echo "SKIP: no systemd-analyze: the unit is not verified by systemd"
fi

need_root
chmod 755 "$TMP"
# A user of its own, as the unit's comment says to make one.
make_user
user=$SW_USER
group=$(id -gn "$user")
uid=$(id -u "$user")
# What ExecStartPre= does, for $TMP/log instead of /var/log/spawnwatch.
install -d -o "$user" -g "$group" -m 0750 "$TMP/log"
LOG=$TMP/log/events.json
# The unit's command line, with the test's log, user and rules.
read -ra args <<<"${execstart#* }"
for i in "${!args[@]}"; do
	case ${args[i]} in
	/var/log/spawnwatch/events.json) args[i]=$LOG ;;
	spawnwatch) args[i]=$user ;;
	*/spawnwatch/rules) args[i]=$SRC/contrib/spawnwatch.rules ;;
	esac
done
read -ra caps <<<"$(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT")"
# bset CAP...: the caps as setpriv's --bounding-set.
bset() {
	local out=-all c
	for c in "$@"; do
		c=${c#CAP_}
		out="$out,+${c,,}"
	done
	echo "$out"
}
# as_unit BSET ARG...: spawnwatch as the unit starts it (but the namespaces),
# in the foreground.
as_unit() {
	local b=$1
	shift
	nice -n -5 setpriv --bounding-set "$b" --inh-caps=-all --no-new-privs "$SW" "$@"
}

# Every system call of such a run is allowed by SystemCallFilter=.  Not
# with a sanitizer: its runtime makes calls of its own, and cannot be traced.
if [ -n "${SANITIZED:-}" ]; then
	echo "SKIP: a sanitized build: SystemCallFilter= not checked"
elif command -v strace >/dev/null && strace -f -o /dev/null /bin/true 2>/dev/null &&
	command -v systemd-analyze >/dev/null && grep -q '^SystemCallFilter=' "$UNIT"; then
	expand() {
		local s
		systemd-analyze syscall-filter "$1" | sed '1d; s/#.*//; s/^ *//; /^$/d' | while read -r s; do
			case $s in
			@*) expand "$s" ;;
			*) echo "$s" ;;
			esac
		done
	}
	read -ra sets <<<"$(sed -n 's/^SystemCallFilter=//p' "$UNIT" | tr '\n' ' ')"
	for set in "${sets[@]}"; do
		case $set in
		~*) fail "a deny-list in SystemCallFilter= ($set): this test reads allow-lists" ;;
		@*) expand "$set" ;;
		*) echo "$set" ;;
		esac
	done | sort -u >"$TMP/allowed"
	[ "$(wc -l <"$TMP/allowed")" -gt 100 ] || fail "could not expand the SystemCallFilter= sets"
	strace -f -qq -c -o "$TMP/trace" "$SW" "${args[@]}" -d 3 --stats 2>"$ERR" &
	tracer=$!
	wait_until 10 eval '[ -s "$LOG" ]' || fail "no start line under strace"
	sleep 0.5
	(cd /root && /bin/sleep 0.1)
	traced=$(pgrep -P "$tracer")
	kill -HUP "$traced"
	sleep 0.3
	kill -USR1 "$traced"
	wait "$tracer" || fail "spawnwatch under strace failed: $(cat "$ERR")"
	awk 'NR > 2 && $NF != "total" && $NF !~ /^-/ { print $NF }' "$TMP/trace" | sort -u >"$TMP/used"
	grep -qx setresuid "$TMP/used" && grep -qx recvmsg "$TMP/used" || fail "strace saw too little: $(cat "$TMP/trace")"
	missing=$(comm -23 "$TMP/used" "$TMP/allowed" | tr '\n' ' ')
	[ -z "$missing" ] || fail "SystemCallFilter= would refuse: $missing"
	pass "all $(wc -l <"$TMP/used") system calls of a run (start, --run-as, SIGHUP, SIGUSR1, stop) pass SystemCallFilter="
	rm -f "$LOG"
else
	echo "SKIP: no strace or systemd-analyze: SystemCallFilter= not checked"
fi

# Not through as_unit: $! must be spawnwatch (nice and setpriv exec it).
nice -n -5 setpriv --bounding-set "$(bset "${caps[@]}")" --inh-caps=-all --no-new-privs \
	"$SW" "${args[@]}" 2>"$ERR" &
SW_PID=$!
status() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$SW_PID/status"; }
wait_until 10 eval '[ "$(status Uid)" = "$uid" ]' || fail "did not become $user: $(cat "$ERR")"
[ "$(status CapEff)" = 0000000000080000 ] && [ "$(status CapBnd)" = 0000000000080000 ] ||
	fail "capabilities left: $(grep Cap "/proc/$SW_PID/status")"
[ "$(status NoNewPrivs)" = 1 ] || fail "no_new_privs is not set"
[ "$(ps -o ni= -p "$SW_PID" | tr -d ' ')" = -5 ] || fail "not at nice -5"
(cd /root && /bin/sleep 0.2 "0.0$$")
wait_until 10 has ".event == \"exit\" and .argv[2]? == \"0.0$$\"" "$LOG" || fail "no exit of root's sleep in the log"
has ".event == \"exec\" and .argv[2] == \"0.0$$\" and .exe == \"/usr/bin/sleep\" and .cwd == \"/root\"" "$LOG" ||
	fail "root's exe or cwd unread"
[ "$(stat -c '%U %a' "$LOG")" = "$user 600" ] || fail "the log is $(stat -c '%U %a' "$LOG")"
pass "started as the unit starts it: $user, CAP_SYS_PTRACE alone, no_new_privs, nice -5; reads root's processes"

if command -v logrotate >/dev/null; then
	# contrib/logrotate for $TMP/log and $user, the reload a kill -HUP.
	sed -e "s|/var/log/spawnwatch|$TMP/log|" -e "s/spawnwatch spawnwatch/$user $group/g" "$SRC/contrib/logrotate" |
		awk -v pid="$SW_PID" '/^\tpostrotate$/ { print; print "\t\tkill -HUP " pid; skip = 1; next }
			/^\tendscript$/ { skip = 0 } !skip' >"$TMP/logrotate.conf"
	grep -q "kill -HUP $SW_PID" "$TMP/logrotate.conf" || fail "could not adapt contrib/logrotate"
	for n in 1 2; do
		logrotate -f -s "$TMP/logrotate.state" "$TMP/logrotate.conf" 2>"$TMP/lr.err" ||
			fail "logrotate: $(cat "$TMP/lr.err")"
		[ "$(stat -c '%U %a' "$LOG")" = "$user 600" ] || fail "the new log is $(stat -c '%U %a' "$LOG")"
		/bin/sleep 0.1 "0.$n$$"
		wait_until 10 has ".event == \"exit\" and .argv[2]? == \"0.$n$$\"" "$LOG" ||
			fail "nothing in the new log after rotation $n: $(cat "$ERR")"
	done
	[ -s "$LOG.1" ] && [ -s "$LOG.2.gz" ] || fail "not rotated as configured: $(ls "$TMP/log")"
	kill -TERM "$SW_PID"
	wait "$SW_PID" || fail "spawnwatch exited $? on SIGTERM"
	SW_PID=
	{ zcat "$LOG.2.gz" && cat "$LOG.1" "$LOG"; } >"$OUT"
	check_stream
	[ "$(head -n 1 "$OUT" | jq -r .event)" = start ] && [ "$(tail -n 1 "$OUT" | jq -r .event)" = stop ] ||
		fail "not one run from start to stop across the files"
	pass "logrotate with contrib/logrotate, twice: reopened, compressed, seq without a gap"
else
	echo "SKIP: no logrotate: contrib/logrotate not tried"
	kill -TERM "$SW_PID"
	wait "$SW_PID"
	SW_PID=
fi

# A restart: the log and its directory are $user's, mode 0600 and 0750.
as_unit "$(bset "${caps[@]}")" "${args[@]}" -d 0.3 2>"$ERR" || fail "a restart over the log failed: $(cat "$ERR")"
[ "$(grep -c '"event":"start"' "$LOG")" -ge 1 ] && [ "$(tail -n 1 "$LOG" | jq -r .event)" = stop ] ||
	fail "the restart did not append to the log"
rcvbuf_all=$(grep '"event":"start"' "$LOG" | tail -n 1 | jq .rcvbuf)

# Each capability of the set is needed: without it spawnwatch fails, or
# (CAP_NET_ADMIN, where the kernel lets anyone subscribe) cannot force its
# receive buffer beyond rmem_max.
for c in "${caps[@]}"; do
	others=()
	for o in "${caps[@]}"; do
		[ "$o" = "$c" ] || others+=("$o")
	done
	st=0
	# CAP_CHOWN gives a log spawnwatch creates to $user: tried on a new one
	# (a log that is there already is never given away).
	[ "$c" != CAP_CHOWN ] || mv "$LOG" "$LOG.kept"
	as_unit "$(bset "${others[@]}")" "${args[@]}" -d 0.3 >/dev/null 2>"$ERR" || st=$?
	[ "$c" != CAP_CHOWN ] || mv "$LOG.kept" "$LOG"
	if [ "$st" = 0 ]; then
		rcvbuf=$(grep '"event":"start"' "$LOG" | tail -n 1 | jq .rcvbuf)
		[ "$c" = CAP_NET_ADMIN ] && [ "$rcvbuf" -lt "$rcvbuf_all" ] ||
			fail "$c is in the bounding set but not needed (rcvbuf $rcvbuf, $rcvbuf_all with it)"
	fi
done
pass "restarts over its own 0600 log; each of ${caps[*]} is needed"
