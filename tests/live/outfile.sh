#!/bin/bash
# --output as an attack surface, each attack staged for real: a hard link
# to a root file, a symbolic link, a FIFO (must not hang), another user's
# file, a directory and a device are refused with one line and status 1,
# the file behind left as it was; a 0644 file comes out 0600; a file that
# is not spawnwatch's log keeps its last line, a torn line of its own log
# is cut; a SIGHUP whose reopen fails (a FIFO put at the path, a directory
# the --run-as user can no longer write) keeps the monitor writing to the
# file it has, says so once on stderr and counts it in the stop line.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

# refused FILE REASON: spawnwatch -o FILE exits 1 at once with one line.
refused() {
	local st=0
	: >"$ERR"
	timeout 20 "$SPAWNWATCH" --json -o "$1" -d 1 2>"$ERR" >/dev/null || st=$?
	[ "$st" = 1 ] || fail "-o $1 ($2) gave status $st: $(cat "$ERR")"
	[ "$(wc -l <"$ERR")" = 1 ] && grep -q -- "$1" "$ERR" && grep -q -- "$2" "$ERR" ||
		fail "-o $1: message '$(cat "$ERR")' lacks '$2'"
}

same() {	# same FILE CONTENT MODE
	[ "$(cat "$1")" = "$2" ] || fail "$1 was written to: $(head -c 200 "$1")"
	[ "$(stat -c %a "$1")" = "$3" ] || fail "$1 is mode $(stat -c %a "$1"), was $3"
}

# A hard link to a root file (as /etc/shadow would be): never written,
# never chmod'ed, its last line (no newline) never cut.
printf 'root:secret\nlast line' >"$TMP/rootfile"
chmod 0644 "$TMP/rootfile"
ln "$TMP/rootfile" "$TMP/hardlink"
refused "$TMP/hardlink" "2 hard links"
same "$TMP/rootfile" "$(printf 'root:secret\nlast line')" 644

# A symbolic link to it.
ln -s "$TMP/rootfile" "$TMP/symlink"
refused "$TMP/symlink" "symbolic link"
same "$TMP/rootfile" "$(printf 'root:secret\nlast line')" 644

# A FIFO nobody reads: refused at once, no hang (O_NONBLOCK).
mkfifo -m 0644 "$TMP/fifo"
t0=$(date +%s%N)
refused "$TMP/fifo" "it is a FIFO, not a regular file"
[ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 10000 ] || fail "the FIFO took over 10 s"
[ "$(stat -c %a "$TMP/fifo")" = 644 ] || fail "the FIFO was chmod'ed"

# Another user's file: a log planted where root will write.
printf 'planted\n' >"$TMP/planted"
chown nobody: "$TMP/planted"
refused "$TMP/planted" "it belongs to uid $(id -u nobody), not to root"
same "$TMP/planted" planted 644

mkdir "$TMP/dir"
refused "$TMP/dir" "Is a directory"
refused /dev/null "a character device, not a regular file"
[ "$(stat -c %a /dev/null)" = 666 ] || fail "/dev/null is now $(stat -c %a /dev/null)"
pass "hard link, symlink, FIFO, another user's file, directory, device: refused, status 1, one line, untouched"

# A file that is there, 0644, not spawnwatch's log, without a last newline:
# made 0600, kept whole, its last line ended, then whole JSON lines.
log=$TMP/app.log
printf 'first line\nlast line, no newline' >"$log"
chmod 0644 "$log"
"$SPAWNWATCH" --json -o "$log" -d 0.3 2>"$ERR" || fail "append to a foreign file: status $?"
[ "$(stat -c %a "$log")" = 600 ] || fail "mode $(stat -c %a "$log"), expected 600"
[ "$(head -n 2 "$log")" = "$(printf 'first line\nlast line, no newline')" ] ||
	fail "the foreign file's lines changed: $(head -n 2 "$log")"
tail -n +3 "$log" >"$TMP/ours"
check_stream "$TMP/ours"
[ "$(head -n 1 "$TMP/ours" | jq -r .event)" = start ] || fail "the first line written is not whole"
pass "a 0644 file comes out 0600; a foreign file's last line is kept, ended, not cut"

# spawnwatch's own log, torn by a killed write: the half line is cut.
own=$TMP/own.log
"$SPAWNWATCH" --json -o "$own" -d 0.3 2>"$ERR" || fail "first run: status $?"
printf '{"ts":"2026-12-07T09:29:26.12' >>"$own"
"$SPAWNWATCH" --json -o "$own" -d 0.3 2>"$ERR" || fail "second run: status $?"
jq -e -s 'all(.[]; type == "object") and ([.[] | select(.event == "stop")] | length) == 2' \
	"$own" >/dev/null || fail "the torn line of its own log was not cut: $(grep -v '^{.*}$' "$own" | head -c 200)"
# The same log in text format is never cut: nothing tells its lines apart.
text=$TMP/text.log
"$SPAWNWATCH" -o "$text" -d 0.3 2>"$ERR" || fail "text run: status $?"
printf '12:01:00.0' >>"$text"
lines=$(wc -l <"$text")
"$SPAWNWATCH" -o "$text" -d 0.3 2>"$ERR" || fail "second text run: status $?"
[ "$(sed -n "$((lines + 1))p" "$text")" = 12:01:00.0 ] || fail "the text log's last line was cut"
pass "a torn line of its own JSON log is cut; a text log's is kept"

# SIGHUP, and the path now fails: a FIFO put there.
rot=$TMP/rot
mkdir "$rot"
"$SPAWNWATCH" --json -o "$rot/log" 2>"$ERR" &
SW_PID=$!
wait_until 10 grep -qs '"event":"start"' "$rot/log" || fail "no start line in $rot/log"
mv "$rot/log" "$rot/log.1"
mkfifo "$rot/log"
kill -HUP "$SW_PID"
wait_until 10 grep -q 'still writing to the file already open' "$ERR" || fail "no word of the failed reopen: $(cat "$ERR")"
kill -0 "$SW_PID" || fail "the monitor stopped after a failed reopen"
sh -c 'sleep 0.01' "$MARK-kept"
wait_until 10 grep -q -- "$MARK-kept" "$rot/log.1" || fail "events no longer written after the failed reopen"
# Once said: a second SIGHUP that fails again says nothing more.
kill -HUP "$SW_PID"
sh -c 'sleep 0.01' "$MARK-kept2"
wait_until 10 grep -q -- "$MARK-kept2" "$rot/log.1" || fail "events lost after the second failed reopen"
[ "$(grep -c 'still writing' "$ERR")" = 1 ] || fail "the failure was not said exactly once: $(cat "$ERR")"
grep -q "refusing $rot/log: it is a FIFO" "$ERR" || fail "the reason is not given: $(cat "$ERR")"
# The path fixed, the next SIGHUP reopens.
rm "$rot/log"
kill -HUP "$SW_PID"
marked_in "$rot/log" new || fail "no events in the file reopened at last"
stop_sw
[ "$SW_STATUS" = 0 ] || fail "status $SW_STATUS"
[ "$(tail -n 1 "$rot/log" | jq .stats.reopen_failed)" = 2 ] ||
	fail "stop line counts $(tail -n 1 "$rot/log" | jq .stats.reopen_failed) failed reopens, not 2"
cat "$rot/log.1" "$rot/log" >"$TMP/all"
check_stream "$TMP/all"
pass "a failed SIGHUP reopen keeps the monitor writing, said once, counted (reopen_failed 2)"

# --run-as: the directory made unwritable for the user after the rotation.
chmod 755 "$TMP"
ras=$TMP/ras
mkdir "$ras"
chown nobody: "$ras"
: >"$ERR"
"$SPAWNWATCH" --json -Z nobody --run-as-shared -o "$ras/log" 2>"$ERR" &
SW_PID=$!
wait_until 10 grep -qs '"event":"start"' "$ras/log" || fail "no start line in $ras/log"
wait_until 10 eval '[ "$(proc_status Uid)" = "$(id -u nobody)" ]' ||
	fail "never became nobody"
[ "$(stat -c %U "$ras/log")" = nobody ] || fail "the log it created is not nobody's"
mv "$ras/log" "$ras/log.1"
chown root: "$ras"
kill -HUP "$SW_PID"
wait_until 10 grep -q "cannot open $ras/log: Permission denied; still writing" "$ERR" ||
	fail "no word of the refused reopen: $(cat "$ERR")"
sh -c 'sleep 0.01' "$MARK-ras"
wait_until 10 grep -q -- "$MARK-ras" "$ras/log.1" || fail "events not written after the refused reopen"
stop_sw
[ "$SW_STATUS" = 0 ] || fail "--run-as status $SW_STATUS"
[ "$(tail -n 1 "$ras/log.1" | jq .stats.reopen_failed)" = 1 ] || fail "stop line: $(tail -n 1 "$ras/log.1")"
# A root-owned file that was there is not given to the user.
printf '' >"$ras/root.log"
"$SPAWNWATCH" --json -Z nobody --run-as-shared -o "$ras/root.log" -d 0.5 2>"$ERR" || fail "-Z with a root file: status $?"
[ "$(stat -c %U "$ras/root.log")" = root ] || fail "a file spawnwatch did not create was given to nobody"
grep -q '"event":"stop"' "$ras/root.log" || fail "nothing written to the root file"
pass "--run-as: a reopen the user may not do keeps the old file; only a file it created is chown'ed"
