#!/bin/bash
# --run-as: once subscribed, spawnwatch runs as a user of its own with one
# capability (CAP_SYS_PTRACE, also its whole bounding set), no_new_privs
# and undumpable, still reads exe and cwd of root's processes, keeps
# writing its log and reopens it on SIGHUP as that user.  Unknown users and
# non-root callers are refused; so are users others share (nobody, root,
# a login, a user a process runs as) unless --run-as-shared.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
make_user
uid=$(id -u "$SW_USER")
gid=$(id -g "$SW_USER")

user_log_dir
log=$TMP/log/sw.json
"$SPAWNWATCH" --json -Z "$SW_USER" -o "$log" 2>"$ERR" &
SW_PID=$!
wait_until 10 eval '[ -s "$log" ]' || fail "no start line in the log"
# The switch happens right after the start line: wait for it.
wait_until 10 eval '[ "$(proc_status Uid)" = "$uid" ]' || fail "still uid $(proc_status Uid)"
[ "$(awk '$1 == "Uid:" { print $2 $3 $4 $5 }' "/proc/$SW_PID/status")" = "$uid$uid$uid$uid" ] ||
	fail "not every uid is $SW_USER: $(grep Uid "/proc/$SW_PID/status")"
[ "$(proc_status Gid)" = "$gid" ] || fail "gid $(proc_status Gid)"
[ "$(proc_status Groups)" = "$gid" ] || fail "supplementary groups $(proc_status Groups)"
for c in CapEff CapPrm CapBnd; do
	[ "$(proc_status $c)" = 0000000000080000 ] || fail "$c is $(proc_status $c), not CAP_SYS_PTRACE alone"
done
[ "$(proc_status CapInh)" = 0000000000000000 ] && [ "$(proc_status CapAmb)" = 0000000000000000 ] ||
	fail "inheritable or ambient capabilities left"
[ "$(proc_status NoNewPrivs)" = 1 ] || fail "no_new_privs not set"
[ "$(stat -c %U "$log")" = "$SW_USER" ] || fail "the log is not $SW_USER's"
# Undumpable: its /proc files are root's, so its own user cannot read them.
[ "$(stat -c %u "/proc/$SW_PID/mem")" = 0 ] || fail "dumpable: /proc/$SW_PID/mem is $(stat -c %U "/proc/$SW_PID/mem")'s"
st=0
setpriv --reuid="$uid" --regid="$gid" --clear-groups cat "/proc/$SW_PID/environ" >/dev/null 2>&1 || st=$?
[ "$st" != 0 ] || fail "$SW_USER can read spawnwatch's environment"

# A root process: its exe and cwd still read (CAP_SYS_PTRACE).
root_exec_read "$log" "as $SW_USER"
# Rotation: the new file is created by the user, no line lost or torn.
sighup_reopens "$log"
[ "$(stat -c %U "$log")" = "$SW_USER" ] || fail "the reopened log is not $SW_USER's"
pass "runs as $SW_USER with CAP_SYS_PTRACE only, no_new_privs, undumpable; reads root's exe; reopens its log"

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

# Users that others share: one line, status 1, nothing started.
refused() {
	local user=$1 why=$2 st=0
	shift 2
	"$SPAWNWATCH" --json -Z "$user" -d 5 "$@" >"$OUT" 2>"$ERR" || st=$?
	[ "$st" = 1 ] || fail "-Z $user: status $st, not 1"
	[ "$(wc -l <"$ERR")" = 1 ] || fail "-Z $user: not one line: $(cat "$ERR")"
	grep -q -- "^spawnwatch: --run-as $user: .*$why.*--run-as-shared\$" "$ERR" ||
		fail "-Z $user: $(cat "$ERR")"
	[ ! -s "$OUT" ] || fail "-Z $user: started all the same"
}
refused nobody 'nobody is shared'
refused root 'root is every service'
# A user some process runs as: the test's user, while a sleep runs as it.
setpriv --reuid="$uid" --regid="$gid" --clear-groups /bin/sleep 30 &
sleeper=$!
trap 'kill "$sleeper" 2>/dev/null; cleanup' EXIT
wait_until 10 eval '[ "$(proc_status Uid "$sleeper")" = "$uid" ]' ||
	fail "the sleeper did not become $SW_USER"
refused "$SW_USER" "another process runs as it (pid $sleeper)"
kill "$sleeper"
wait "$sleeper" 2>/dev/null
trap cleanup EXIT
# A login: a user whose shell is a shell.
usermod -s /bin/bash "$SW_USER"
refused "$SW_USER" "it has a login shell"
usermod -s /usr/sbin/nologin "$SW_USER"
# --run-as-shared: taken, and said nowhere (the choice was made).
st=0
"$SPAWNWATCH" --json -Z nobody --run-as-shared -d 0.5 -o "$TMP/shared.json" 2>"$ERR" || st=$?
[ "$st" = 0 ] && [ ! -s "$ERR" ] || fail "-Z nobody --run-as-shared: status $st: $(cat "$ERR")"
tail -n 1 "$TMP/shared.json" | jq -e '.event == "stop"' >/dev/null || fail "--run-as-shared: no stop line"
pass "nobody, root, a login and a user a process runs as are refused (one line, status 1); --run-as-shared takes them"

# -- COMMAND under --run-as: the command starts as root, so spawnwatch,
# once its user, cannot signal it; when spawnwatch stops first (-d), the
# command still ends (SIGTERM as spawnwatch exits) and spawnwatch with it.
tag="12$$.5"
st=0
start=$(date +%s)
timeout 30 "$SPAWNWATCH" --json -q -Z "$SW_USER" -d 2 -o "$TMP/log/cmd.jsonl" -- /bin/sleep "$tag" 2>"$ERR" || st=$?
[ "$st" != 124 ] || fail "-Z $SW_USER -d 2 -- sleep: still running after 30 s"
[ "$st" = 143 ] || fail "-Z $SW_USER -d 2 -- sleep: status $st, expected 143: $(cat "$ERR")"
[ $(( $(date +%s) - start )) -lt 15 ] || fail "-Z $SW_USER -d 2 -- sleep took $(( $(date +%s) - start )) s"
wait_until 10 eval '! pgrep -f "^/bin/sleep $tag\$" >/dev/null' || fail "the command outlived spawnwatch"
tail -n 1 "$TMP/log/cmd.jsonl" | jq -e '.event == "stop"' >/dev/null || fail "-Z -- COMMAND: no stop line"
# A command that ends by itself still gives its own status.
st=0
timeout 30 "$SPAWNWATCH" --json -q -Z "$SW_USER" -o "$TMP/log/cmd.jsonl" -- /bin/sh -c 'exit 7' 2>"$ERR" || st=$?
[ "$st" = 7 ] || fail "-Z $SW_USER -- sh -c 'exit 7': status $st: $(cat "$ERR")"
pass "-Z USER -- COMMAND: ends at -d with the command (143), or with its status"
