#!/bin/bash
# privilege-escalation on GTFOBins' SUID shells (tests/data/suid): each
# program is copied setuid-root into a root-owned directory and run by
# nobody as GTFOBins says; the exec line of the setuid copy and of the
# shell it starts (euid 0, real uid nobody's) must be tagged, and that of
# the copy where the shell drops root (dropping.txt).  And what
# must not be: sudo (allowed), a root process's seteuid(nobody) and
# seteuid(0), its setresuid(nobody, nobody, 0) and return, a helper the
# rules file allows; what must: a copy of python3 with cap_setuid+ep
# calling os.setuid(0).
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
command -v setpriv >/dev/null || { echo "SKIP: setpriv (util-linux) is missing"; exit 77; }
command -v script >/dev/null || { echo "SKIP: script (util-linux) is missing"; exit 77; }
[ -x /usr/bin/python3 ] || { echo "SKIP: no /usr/bin/python3"; exit 77; }
CASES=${SUID_CASES:-$(dirname "$0")/../data/suid/cases.txt}
DROPPING=$(dirname "$CASES")/dropping.txt
[ -r "$CASES" ] && [ -r "$DROPPING" ] || fail "no $CASES or $DROPPING"
NOBODY=65534
PY=$(readlink -f /usr/bin/python3 2>/dev/null)
chmod 0755 "$TMP"
nobody() { setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups "$@"; }

mkdir "$TMP/probe"
cp "$(command -v id)" "$TMP/probe/id"
chmod 4755 "$TMP/probe/id"
[ "$(nobody "$TMP/probe/id" -u 2>/dev/null)" = 0 ] || {
	echo "SKIP: setuid binaries do not work under $TMP"
	exit 77
}

mkdir "$TMP/ok"
cp "$(command -v sleep)" "$TMP/ok/helper"
chmod 4755 "$TMP/ok/helper"
chmod 0755 "$TMP/ok"
printf '[privilege-escalation]\nallow = /usr/bin/sudo /usr/bin/su %s\n' "$TMP/ok/helper" >"$TMP/priv.ini"

start_sw --rules "$TMP/priv.ini" -e fork,exec,exit,uid

# kill_under DIR: every process whose executable lives under DIR: a setuid
# copy that outlives its case (watch runs its command again and again,
# as root, after its terminal is gone).
kill_under() {
	local p e
	for p in /proc/[0-9]*; do
		e=$(readlink "$p/exe" 2>/dev/null) || continue
		case $e in "$1"/*) kill -KILL "${p#/proc/}" 2>/dev/null ;; esac
	done
}
trap 'kill_under "$TMP/suid"; cleanup' EXIT

# One case: its setuid copy first on PATH, its setup, then the command on
# a pty (script), with what is typed to it, as nobody; the pid of the run.
run_case() {
	local name=$1 prog=$2 cmd=$3 setup=$4 typed=$5 d bin
	d=$TMP/suid/$name
	# Debian's python3, not one a user installed for root.
	[ "$prog" = python ] && bin=/usr/bin/python3 || bin=$(type -P "$prog") || return 1
	mkdir -p "$d/bin" "$d/w"
	chmod 0755 "$d" "$d/bin"
	chown $NOBODY "$d/w"
	cp "$(readlink -f "$bin")" "$d/bin/$prog"
	chmod 4755 "$d/bin/$prog"
	cmd=${cmd//\/path\/to\/ld.so/ld.so}
	cmd=${cmd//\/path\/to\//$d/w/}
	setup=${setup//\/path\/to\//$d/w/}
	{
		[ -n "$typed" ] && printf '%b\n' "$typed"
		printf 'echo SWPRIV $(id -u) $(id -ru)\nexit\n'
	} >"$d/in"
	printf '%s\n' "${setup//;/$'\n'}" >"$d/setup.sh"
	printf '%s\n' "$cmd" >"$d/cmd.sh"
	(cd "$d/w" && exec timeout 10 setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups \
		env PATH="$d/bin:/usr/bin:/bin" HOME="$d/w" TERM=dumb \
		script -qfec "sh $d/setup.sh >/dev/null 2>&1; sh $d/cmd.sh" /dev/null \
		<"$d/in" >"$d/out" 2>&1) &
	echo $! >"$d/pid"
	wait "$!"
	kill_under "$d"
	return 0
}

# names: the shells that keep root; dropping: those whose shell drops it
# (dash and bash without -p), where the program itself runs as root.
declare -a names dropping
while IFS=$'\t' read -r name prog cmd setup typed; do
	case $name in '#'*|'') continue ;; esac
	if run_case "$name" "$prog" "$cmd" "$setup" "$typed"; then
		names+=("$name")
	else
		echo "left out: $name ($prog is not installed)"
	fi
done <"$CASES"
while IFS=$'\t' read -r name prog cmd setup typed; do
	case $name in '#'*|'') continue ;; esac
	run_case "$name" "$prog" "$cmd" "$setup" "$typed" && dropping+=("$name")
done <"$DROPPING"

# Near misses, and the file-capability python.
sudo -n true >/dev/null 2>&1 </dev/null &
root_sudo=$!
wait "$root_sudo"
nobody sudo -n true >/dev/null 2>&1 </dev/null &
user_sudo=$!
wait "$user_sudo"
nobody "$TMP/ok/helper" 0.2 &
allowed=$!
wait "$allowed"
/usr/bin/python3 -c 'import os; os.seteuid(65534); os.seteuid(0); os.execv("/usr/bin/true", ["true"])' &
toggled=$!
wait "$toggled"
/usr/bin/python3 -c 'import os; os.setresuid(65534, 65534, 0); os.setresuid(0, 0, 0); os.system("true")' &
returned=$!
wait "$returned"
capped=
if command -v setcap >/dev/null && [ -n "$PY" ]; then
	mkdir "$TMP/cap"
	chmod 0755 "$TMP/cap"
	cp "$PY" "$TMP/cap/python3"
	setcap cap_setuid+ep "$TMP/cap/python3"
	nobody "$TMP/cap/python3" -c 'import os; os.setuid(0); os.system("id -u")' >"$TMP/cap/out" 2>&1 &
	capped=$!
	wait "$capped"
fi
sh -c 'kill -9 $$' 2>/dev/null
wait_until 10 has '.event == "exit" and (.tags // [] | index("killed"))' || fail "no sentinel"
stop_sw
check_stream

# The lines of a run: the process and its descendants (by ancestry).
under() {
	echo "(.pid == $1 or any(.ancestry[]?; .pid == $1))"
}
PE='(.tags // [] | index("privilege-escalation"))'
ran=0 kept=0 missed=()
for name in "${names[@]}"; do
	d=$TMP/suid/$name
	pid=$(cat "$d/pid")
	grep -q "SWPRIV 0 $NOBODY" "$d/out" || { echo "left out: $name (no root here: $(tr -d '\r' <"$d/out" | grep SWPRIV | tail -n 1))"; continue; }
	ran=$((ran + 1))
	copy="\"$d/bin/\""
	if has "$(under "$pid") and .event == \"exec\" and (.exe // \"\" | startswith($copy)) and $PE" &&
		has "$(under "$pid") and .event == \"exec\" and (.exe // \"\" | startswith($copy) | not) and
			.euid == 0 and .uid == $NOBODY and $PE"; then
		kept=$((kept + 1))
	else
		missed+=("$name")
	fi
done
echo "GTFOBins SUID shells: $kept of $ran tagged on the setuid exec and the shell it starts"
[ "$ran" -gt 0 ] || fail "no case kept root"
[ "$kept" = "$ran" ] || fail "not tagged: ${missed[*]}"
pass "privilege-escalation on $kept of $ran GTFOBins SUID shells, on their exec lines"

ran=0 kept=0 missed=()
for name in "${dropping[@]}"; do
	d=$TMP/suid/$name
	pid=$(cat "$d/pid")
	copy="\"$d/bin/\""
	has "$(under "$pid") and .event == \"exec\" and (.exe // \"\" | startswith($copy))" || continue
	ran=$((ran + 1))
	if has "$(under "$pid") and .event == \"exec\" and (.exe // \"\" | startswith($copy)) and
		.euid == 0 and $PE"; then
		kept=$((kept + 1))
	else
		missed+=("$name")
	fi
done
echo "GTFOBins SUID programs whose shell drops root: $kept of $ran tagged on the setuid exec"
[ "$kept" = "$ran" ] || fail "not tagged: ${missed[*]}"
pass "privilege-escalation on the setuid exec of $kept of $ran programs whose shell drops root"

for p in "$root_sudo" "$user_sudo" "$allowed" "$toggled" "$returned"; do
	[ "$(count "$(under "$p") and $PE")" = 0 ] ||
		fail "tagged: $(jq -c "select($(under "$p") and $PE) | [.event, .comm, .uid, .euid, .prev_uid, .prev_euid]" "$OUT")"
done
has ".event == \"uid\" and .pid == $toggled and .euid == 0 and .prev_euid == 65534" ||
	fail "no uid event of the seteuid(0) return"
has ".event == \"uid\" and .pid == $returned and .uid == 0 and .prev_uid == 65534" ||
	fail "no uid event of the setresuid(0, 0, 0) return"
pass "no tag for sudo, an allowed helper, seteuid and setresuid returns to root"

if [ -n "$capped" ]; then
	[ "$(tr -d '\r\n' <"$TMP/cap/out")" = 0 ] || fail "the capped python did not become root: $(cat "$TMP/cap/out")"
	has "$(under "$capped") and .event == \"uid\" and .uid == 0 and .euid == 0 and $PE" ||
		fail "os.setuid(0) by a python with cap_setuid: $(jq -c "select($(under "$capped")) | [.event, .comm, .uid, .euid, .tags]" "$OUT")"
	has "$(under "$capped") and .event == \"exec\" and .comm == \"sh\" and $PE" ||
		fail "the shell started by the capped python is not tagged"
	pass "a cap_setuid python's os.setuid(0) and the shell it starts"
else
	echo "skip: no setcap for the file-capability case"
fi
