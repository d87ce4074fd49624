#!/bin/bash
# The rules file from the command line: --check prints the rules in effect;
# every mistake is FILE:LINE: reason with status 2 and nothing started; the
# example in contrib/ is the defaults; the man page documents every key.
# As root, a rule switched off in a file is off in the live stream.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
SRC=$(dirname "$LIVE_LIB")/../..

"$SPAWNWATCH" --check >"$TMP/defaults" || fail "--check failed"
grep -q '^\[fork-bomb\]$' "$TMP/defaults" || fail "--check lacks [fork-bomb]"
[ "$(grep -c '^\[' "$TMP/defaults")" = 20 ] || fail "expected 20 sections, one per tag"

# The example sets every key to its default.
"$SPAWNWATCH" --rules "$SRC/contrib/spawnwatch.rules" --check >"$TMP/example" || fail "example rejected"
diff <(tail -n +2 "$TMP/defaults") <(tail -n +2 "$TMP/example") >&2 || fail "contrib example differs from the defaults"
awk -F' =' '/^\[/ { s = $0 } /^[a-z]+ =/ { print s $1 }' "$TMP/defaults" >"$TMP/keys"
while read -r k; do
	sec=${k%%]*}]
	key=${k#*]}
	awk -v s=".SS $sec" -v k=".B $key" '$0 == s { on = 1; next } /^\.SS/ { on = 0 } on && $0 == k { found = 1 } END { exit !found }' \
		"$SRC/doc/spawnwatch-rules.5" || fail "spawnwatch-rules(5) does not document $key in $sec"
	grep -q "^$key =" <(awk -v s="$sec" '$0 == s { on = 1; next } /^\[/ { on = 0 } on' "$SRC/contrib/spawnwatch.rules") ||
		fail "the example lacks $key in $sec"
done <"$TMP/keys"

# Changes show in --check, and what it prints reads back the same.
printf '[spawn-storm]\nforks = 999\n[ptrace-attach]\nallow = /usr/bin/gdb\n' >"$TMP/r.ini"
"$SPAWNWATCH" -r "$TMP/r.ini" --check >"$TMP/eff" || fail "valid file rejected"
grep -qx 'forks = 999' "$TMP/eff" || fail "forks not in effect"
grep -qx 'allow = /usr/bin/gdb' "$TMP/eff" || fail "allow not in effect"
"$SPAWNWATCH" -r "$TMP/eff" --check | tail -n +2 | diff - <(tail -n +2 "$TMP/eff") >&2 || fail "--check output does not read back"

# Mistakes: each on its line, status 2, nothing started.
printf '[spawn-storm]\nforks = lots\n[zombies]\n[killed]\nenabeld = no\n' >"$TMP/bad.ini"
st=0
"$SPAWNWATCH" --json --rules "$TMP/bad.ini" >"$OUT" 2>"$ERR" || st=$?
[ "$st" = 2 ] || fail "status $st for a bad rules file"
[ ! -s "$OUT" ] || fail "output was written despite a bad rules file"
grep -q "^$TMP/bad.ini:2: \[spawn-storm\] forks: expected a whole number" "$ERR" || fail "no line 2 error"
grep -q "^$TMP/bad.ini:3: unknown section \[zombies\]" "$ERR" || fail "no line 3 error"
grep -q "^$TMP/bad.ini:5: unknown key 'enabeld' in \[killed\]" "$ERR" || fail "no line 5 error"
grep -q "3 problems; nothing was started" "$ERR" || fail "no summary line"
# An allow-list names programs by path: a bare name is refused, said why.
printf '[ptrace-attach]\nallow = /usr/bin/strace gdb\n[cron-overlap]\ndaemons = cron\n' >"$TMP/names.ini"
st=0
"$SPAWNWATCH" --rules "$TMP/names.ini" --check >/dev/null 2>"$ERR" || st=$?
[ "$st" = 2 ] || fail "status $st for bare names in allow-lists"
grep -q "^$TMP/names.ini:2: \[ptrace-attach\] allow: 'gdb' is not an absolute path" "$ERR" ||
	fail "no error for the bare name gdb: $(cat "$ERR")"
grep -q "^$TMP/names.ini:4: \[cron-overlap\] daemons: 'cron' is not an absolute path" "$ERR" ||
	fail "no error for the bare name cron: $(cat "$ERR")"
st=0
"$SPAWNWATCH" --rules "$TMP/missing.ini" --check 2>"$ERR" || st=$?
[ "$st" = 2 ] && grep -q "cannot read rules file $TMP/missing.ini: No such file" "$ERR" ||
	fail "missing file: status $st, $(cat "$ERR")"
st=0
"$SPAWNWATCH" --rules "$TMP" --check 2>"$ERR" || st=$?
[ "$st" = 2 ] || fail "a directory as rules file: status $st"
pass "--check, the example, the man page, file:line errors with status 2"

if [ "$(id -u)" = 0 ]; then
	printf '[killed]\nenabled = no\n' >"$TMP/quiet.ini"
	start_sw --rules "$TMP/quiet.ini"
	sh -c "kill -9 \$\$; : $MARK" 2>/dev/null
	/bin/sleep 0.1 "0.0$$"
	wait_until 10 has ".event == \"exit\" and .argv[2]? == \"0.0$$\"" || fail "no sentinel exit"
	stop_sw
	has '.event == "exit" and .signal == "SIGKILL"' || fail "no SIGKILL exit seen"
	[ "$(count '.tags // [] | index("killed")')" = 0 ] || fail "killed tagged though disabled"
	pass "a tag disabled in the rules file stays off"
fi
