#!/bin/bash
# The seccomp filter of the live watch.  From inside spawnwatch (the probe
# SPAWNWATCH_TEST_SANDBOX=PID, against a root process of the test): once it
# runs as its user with CAP_SYS_PTRACE, ptrace, pidfd_getfd and kcmp work
# on root's process just before the filter and fail with EPERM just after,
# and so on down the list; /proc/PID/status says "Seccomp: 2".  Under the
# filter it still works: events, root's argv, exe and cwd, a SIGHUP reopen,
# threads.  The -- COMMAND is not under it (Seccomp: 0), with --run-as or
# without.  Without --run-as the filter is there too, and /proc/PID/mem of
# root's process stays open to it (root's file): said as it is.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
make_user
uid=$(id -u "$SW_USER")

# What a filtered build refuses; a sanitized one keeps ptrace (LeakSanitizer).
ptrace_after=EPERM
[ -z "${SANITIZED:-}" ] || [[ $SANITIZED != *address* ]] || ptrace_after=ok

user_log_dir
log=$TMP/log/sw.json
/bin/sleep 60 &
target=$!
trap 'kill "$target" 2>/dev/null; cleanup' EXIT

# probe WHEN NAME: the value the probe line WHEN (before, after) gave NAME.
probe() {
	sed -n "s/^spawnwatch: sandbox probe $1: //p" "$ERR" | tr ' ' '\n' | sed -n "s/^$2=//p"
}
expect() {
	local got
	got=$(probe "$1" "$2")
	[ "$got" = "$3" ] || fail "$1 the filter, $2=$got, not $3: $(grep "probe $1" "$ERR")"
}

SPAWNWATCH_TEST_SANDBOX=$target "$SPAWNWATCH" --json -Z "$SW_USER" -o "$log" 2>"$ERR" &
SW_PID=$!
wait_until 10 eval 'grep -q "probe after" "$ERR"' || fail "no probe line after the filter"
[ "$(proc_status Uid)" = "$uid" ] || fail "the probe ran as uid $(proc_status Uid), not $uid"
# Before: CAP_SYS_PTRACE reaches root's process (so what follows is the
# filter's doing, not a missing capability).
expect before ptrace ok
expect before pidfd_getfd ok
expect before kcmp ok
expect before process_vm_readv EFAULT	# allowed: the address is bad
expect before execve ENOENT
expect before clone3 EINVAL
expect before tiocsti ENOTTY
# After: refused, with an errno (spawnwatch goes on).
expect after ptrace "$ptrace_after"
for c in pidfd_getfd kcmp process_vm_readv process_vm_writev execve unshare clone_newuser bpf tiocsti; do
	expect after "$c" EPERM
done
expect after clone3 ENOSYS
expect after tiocsti_hi EPERM
expect after socket_packet_hi EAFNOSUPPORT
expect after socket_packet EAFNOSUPPORT
# What spawnwatch needs, under it.
expect after thread ok
expect after socket_unix ok
# /proc/1/mem-like files are root's, mode 0600: closed by the uid.
expect before mem_rdwr EACCES
expect after mem_rdwr EACCES
expect after dumpable 0
[ "$(proc_status Seccomp)" = 2 ] || fail "Seccomp: $(proc_status Seccomp), not 2 (filter)"
[ "$(proc_status Seccomp_filters)" -ge 1 ] || fail "Seccomp_filters: $(proc_status Seccomp_filters)"
# The probe's ptrace left root's process as it was: running, untraced.
[ "$(proc_status TracerPid "$target")" = 0 ] &&
	kill -0 "$target" || fail "the probe's target was left traced or dead"
pass "as $SW_USER: ptrace, pidfd_getfd, kcmp reach root's process before the filter, EPERM after; Seccomp: 2"

# Under the filter: a root process's exec, with argv, exe and cwd.
root_exec_read "$log" "under the filter"
# SIGHUP: the file made anew.
sighup_reopens "$log"
pass "under the filter: root's argv, exe and cwd read; SIGHUP reopens; stops with status 0"

# -- COMMAND: started before the filter, and not under it; spawnwatch is.
for run_as in "-Z $SW_USER" ""; do
	rm -f "$TMP/cmd" "$TMP/log/cmd.json"
	st=0
	# shellcheck disable=SC2086 # $run_as is two words or none
	"$SPAWNWATCH" --json -q $run_as -o "$TMP/log/cmd.json" -- /bin/sh -c \
		"awk '\$1 == \"Seccomp:\" { print \$2 }' /proc/self/status >$TMP/cmd.tmp; mv $TMP/cmd.tmp $TMP/cmd; sleep 1" 2>"$ERR" &
	SW_PID=$!
	wait_until 10 eval '[ -s "$TMP/cmd" ]' || fail "${run_as:-root}: the command did not run: $(cat "$ERR")"
	[ "$(cat "$TMP/cmd")" = 0 ] || fail "${run_as:-root}: the command is under a filter: Seccomp: $(cat "$TMP/cmd")"
	wait_until 10 eval '[ "$(proc_status Seccomp)" = 2 ]' || fail "${run_as:-root}: spawnwatch is not under its filter"
	wait "$SW_PID" || st=$?
	SW_PID=
	[ "$st" = 0 ] || fail "${run_as:-root} -- COMMAND: status $st: $(cat "$ERR")"
done
pass "-- COMMAND (with --run-as and without): the command runs with Seccomp: 0, spawnwatch with 2"

# As root: the same filter; /proc/PID/mem is root's file, so open to it.
: >"$ERR"
SPAWNWATCH_TEST_SANDBOX=$target "$SPAWNWATCH" --json -d 0.5 -o "$TMP/root.json" 2>"$ERR" ||
	fail "as root: status $?: $(cat "$ERR")"
expect after ptrace "$ptrace_after"
expect after process_vm_writev EPERM
expect after pidfd_getfd EPERM
expect after execve EPERM
expect before mem_rdwr ok
expect after mem_rdwr ok
pass "as root: ptrace and the rest refused; /proc/PID/mem stays open (root's file: only --run-as closes it)"
