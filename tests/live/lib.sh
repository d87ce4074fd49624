# Shared helpers for the live tests: they start the real binary as root on
# the real kernel, make real processes and check its JSON with jq.
# shellcheck shell=bash
set -u

SPAWNWATCH=${SPAWNWATCH:-spawnwatch}
# VALGRIND=DIR: run spawnwatch under memcheck, one log per process in DIR
# (tests/run checks they are empty), and wait five times longer for it.
SLOW=1
if [ -n "${VALGRIND:-}" ]; then
	SW_REAL=$SPAWNWATCH
	SPAWNWATCH=$(dirname "${BASH_SOURCE[0]}")/valgrind.sh
	SLOW=5
	export SW_REAL VALGRIND
fi
TMP=$(mktemp -d /tmp/spawnwatch-test.XXXXXX)
OUT=$TMP/out.json
ERR=$TMP/err.txt
SW_PID=
MARK="swmark-$$-$RANDOM"

SW_USER=
JOURNALD_PID=

cleanup() {
	if [ -n "$SW_PID" ] && kill -0 "$SW_PID" 2>/dev/null; then
		kill -KILL "$SW_PID" 2>/dev/null
	fi
	rm -rf "$TMP"
	if [ -n "$SW_USER" ]; then
		userdel -f "$SW_USER" 2>/dev/null
	fi
	if [ -n "$JOURNALD_PID" ]; then
		kill -CONT "$JOURNALD_PID" 2>/dev/null
		kill -TERM "$JOURNALD_PID" 2>/dev/null
	fi
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	if [ -s "$ERR" ]; then
		echo "--- spawnwatch stderr:" >&2
		head -n 20 "$ERR" >&2
	fi
	if [ -s "$OUT" ]; then
		echo "--- last lines of output:" >&2
		tail -n 5 "$OUT" >&2
	fi
	exit 1
}

pass() {
	echo "ok: $*"
}

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: live tests need root"
		exit 77
	fi
}

# make_user: a system user of the test's own, as the unit's comment makes
# spawnwatch's (no login, no home), for --run-as; its name in $SW_USER,
# removed at exit.
make_user() {
	command -v useradd >/dev/null || { echo "SKIP: no useradd"; exit 77; }
	SW_USER=swt$$
	useradd --system --no-create-home --home-dir / --shell /usr/sbin/nologin "$SW_USER" ||
		fail "useradd $SW_USER"
}

# wait_until TIMEOUT_S COMMAND...: polls COMMAND until it succeeds.
wait_until() {
	local limit=$(($1 * 20 * SLOW)) i=0
	shift
	while ! "$@"; do
		i=$((i + 1))
		[ "$i" -ge "$limit" ] && return 1
		sleep 0.05
	done
	return 0
}

# count FILTER [FILE]: number of lines of FILE matching the jq FILTER.
count() {
	jq -c --arg mark "$MARK" "select($1)" "${2:-$OUT}" 2>/dev/null | wc -l
}

has() {
	[ "$(count "$@")" -ge 1 ]
}

# start_sw ARGS...: runs spawnwatch --json ARGS with stdout in $OUT and
# returns once its start line is written (the subscription is live).
start_sw() {
	: >"$OUT"
	: >"$ERR"
	# Appending, so that a test may empty $ERR and read what comes next.
	"$SPAWNWATCH" --json "$@" >"$OUT" 2>>"$ERR" &
	SW_PID=$!
	wait_until 10 started || fail "no start line within 10 s (args: $*)"
	has '.event == "start"' || fail "spawnwatch $* ended before its start line"
}

started() {
	has '.event == "start"' || ! kill -0 "$SW_PID" 2>/dev/null
}

# gone PID: the process has ended (a zombie waits for this shell's wait).
gone() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -z "$st" ] || [ "$st" = Z ]
}

# threads_of PID: each thread's state, wait channel and kernel stack: why
# a process does not end.
threads_of() {
	local t
	for t in /proc/"$1"/task/*; do
		echo "thread ${t##*/}: $(sed 's/.*) //' "$t/stat" 2>/dev/null | cut -d' ' -f1,38,39)" \
			"wchan $(cat "$t/wchan" 2>/dev/null)"
		head -n 8 "$t/stack" 2>/dev/null
	done
}

# stop_sw [SIGNAL]: stops spawnwatch and sets SW_STATUS; fails, with what
# its threads wait on, when it has not ended 30 s later.
stop_sw() {
	kill "-${1:-INT}" "$SW_PID" 2>/dev/null
	if ! wait_until 30 gone "$SW_PID"; then
		echo "spawnwatch (pid $SW_PID) still runs 30 s after SIG${1:-INT}:" >&2
		threads_of "$SW_PID" >&2
		fail "spawnwatch did not stop"
	fi
	SW_STATUS=0
	wait "$SW_PID" || SW_STATUS=$?
	SW_PID=
}

# Every line is one JSON object, and seq runs 1, 2, 3... without a gap.
check_stream() {
	local file=${1:-$OUT}
	jq -e -s 'all(.[]; type == "object")' "$file" >/dev/null ||
		fail "a line of $file is not a JSON object"
	jq -e -s '[.[].seq] == [range(1; length + 1)]' "$file" >/dev/null ||
		fail "seq is not 1, 2, 3... in $file"
}

# run_marked COMMAND...: runs COMMAND and waits until its exit is seen.
wait_exit_of() {
	wait_until 10 has ".event == \"exit\" and .pid == $1" ||
		fail "no exit event for pid $1"
}

# proc_status FIELD [PID]: FIELD's first value in /proc/PID/status
# (spawnwatch's, $SW_PID, by default).
proc_status() {
	awk -v k="$1:" '$1 == k { print $2 }' "/proc/${2:-$SW_PID}/status"
}

# user_log_dir: $TMP/log, a directory that $SW_USER (make_user) may write
# in, under a $TMP it may enter: where a --run-as watch writes its log.
user_log_dir() {
	chmod 755 "$TMP"
	mkdir "$TMP/log" && chown "$SW_USER:" "$TMP/log" ||
		fail "cannot make $TMP/log for $SW_USER"
}

# root_exec_read LOG WHAT: a root process's exec in /root; LOG must give
# its argv, exe, cwd and user (WHAT names the watch in the failure).
root_exec_read() {
	local logf=$1	# by name: wait_until's eval has its own $1
	(cd /root && /bin/sleep 0.2 "0.0$$")
	wait_until 10 eval 'has ".event == \"exit\" and .argv[2]? == \"0.0$$\"" "$logf"' ||
		fail "no exit of root's sleep"
	has ".event == \"exec\" and .argv == [\"/bin/sleep\", \"0.2\", \"0.0$$\"] and .exe == \"/usr/bin/sleep\" and .cwd == \"/root\" and .user == \"root\"" "$logf" ||
		fail "root's exec read $2: $(jq -c "select(.argv[2]? == \"0.0$$\")" "$logf")"
}

# sighup_reopens LOG: LOG moved to LOG.1, a SIGHUP makes spawnwatch
# ($SW_PID) write a new LOG; then it stops with status 0, the two files
# whole lines whose seq runs on, the stop line last (both in $OUT).
sighup_reopens() {
	local logf=$1
	mv "$logf" "$logf.1"
	kill -HUP "$SW_PID"
	/bin/sleep 0.1 "0.1$$"
	wait_until 10 eval '[ -s "$logf" ] && has ".event == \"exit\" and .argv[2]? == \"0.1$$\"" "$logf"' ||
		fail "nothing in the reopened log: $(cat "$ERR")"
	stop_sw INT
	[ "$SW_STATUS" = 0 ] || fail "status $SW_STATUS: $(cat "$ERR")"
	cat "$logf.1" "$logf" >"$OUT"
	check_stream "$OUT"
	tail -n 1 "$logf" | jq -e '.event == "stop"' >/dev/null || fail "no stop line"
}

# marked_in FILE TAG: makes processes named $MARK-TAG until one is in FILE
# (which a reopen is to create), a hundred times at most.
marked_in() {
	local _
	for _ in $(seq 100); do
		sh -c 'sleep 0.01' "$MARK-$2"
		[ -e "$1" ] && grep -q -- "$MARK-$2" "$1" && return 0
		sleep 0.05
	done
	[ -e "$1" ] && grep -q -- "$MARK-$2" "$1"
}

# own_journald ARGS...: the test, from here on, in a mount namespace of its
# own with a real systemd-journald started for it: tmpfs on /run/systemd
# and /run/log (and /var/log/journal where there is one), a journald.conf
# without rate limits, the daemon's pid in $JOURNALD_PID (stopped at exit).
# The host's journal, if any, is neither read nor written.  Call it first,
# with the test's arguments: it runs the script again inside the namespace.
own_journald() {
	local jd d
	for jd in /lib/systemd/systemd-journald /usr/lib/systemd/systemd-journald ""; do
		[ -x "$jd" ] && break
	done
	[ -n "$jd" ] || { echo "SKIP: no systemd-journald (Debian package systemd)"; exit 77; }
	command -v journalctl >/dev/null || { echo "SKIP: no journalctl"; exit 77; }
	if [ -z "${SW_OWN_MOUNTS:-}" ]; then
		command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
		rm -rf "$TMP"
		trap - EXIT
		SW_OWN_MOUNTS=1 exec unshare -m --propagation private "$BASH" "$0" "$@"
	fi
	for d in /run/systemd /run/log /var/log/journal; do
		if [ -d "$d" ] || [ "$d" != /var/log/journal ]; then
			mkdir -p "$d" && mount -t tmpfs -o mode=0755 tmpfs "$d" ||
				fail "cannot mount a tmpfs on $d"
		fi
	done
	mkdir -p /run/systemd/journal
	printf '[Journal]\nStorage=volatile\nRateLimitBurst=0\nForwardToSyslog=no\nForwardToWall=no\nForwardToConsole=no\nForwardToKMsg=no\n' \
		>"$TMP/journald.conf"
	if [ -e /etc/systemd/journald.conf ]; then
		mount --bind "$TMP/journald.conf" /etc/systemd/journald.conf ||
			fail "cannot put the test's journald.conf in place"
	fi
	"$jd" >"$TMP/journald.out" 2>&1 &
	JOURNALD_PID=$!
	wait_until 10 [ -S /run/systemd/journal/socket ] ||
		fail "journald did not make its socket: $(cat "$TMP/journald.out")"
}
