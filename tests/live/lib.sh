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

cleanup() {
	if [ -n "$SW_PID" ] && kill -0 "$SW_PID" 2>/dev/null; then
		kill -KILL "$SW_PID" 2>/dev/null
	fi
	rm -rf "$TMP"
	if [ -n "$SW_USER" ]; then
		userdel -f "$SW_USER" 2>/dev/null
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

# stop_sw [SIGNAL]: stops spawnwatch and sets SW_STATUS.
stop_sw() {
	kill "-${1:-INT}" "$SW_PID" 2>/dev/null
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
