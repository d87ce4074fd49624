#!/bin/bash
# spawnwatch forest: pid 1 and a test-made tree in the right shape, as
# nested JSON and as text; PID limits it to a subtree; each process's tags;
# works unprivileged.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

mkfifo "$TMP/gate"
# a (bash) -> b (cat), c (bash) -> d (cat); the cats end when the gate closes.
bash -c 'exec 3<"$1"; cat <&3 & bash -c "cat; true" <&3 & wait' bash "$TMP/gate" &
a=$!
exec 4>"$TMP/gate"
shape() {
	jq -e --argjson a "$a" '[.. | objects | select(.pid? == $a)] | first |
		(.comm == "bash") and (.children | length == 2) and
		([.children[] | .comm] | sort == ["bash", "cat"]) and
		([.children[] | select(.comm == "bash") | .children[] | .comm] == ["cat"])' "$1" >/dev/null
}
wait_until 10 eval '"$SPAWNWATCH" forest --json "$a" >"$TMP/f.json" && shape "$TMP/f.json"' ||
	fail "forest --json $a: wrong shape: $(cat "$TMP/f.json")"
"$SPAWNWATCH" forest --json >"$OUT" || fail "forest --json failed"
jq -e 'any(.[]; .pid == 1) and all(.. | objects | select(has("pid")); has("children") and has("ppid") and has("state"))' "$OUT" >/dev/null ||
	fail "forest --json lacks pid 1 or fields"
shape "$OUT" || fail "the whole forest does not hold the test tree"
pass "forest --json: pid 1 and the test tree, nested"

"$SPAWNWATCH" forest "$a" >"$TMP/f.txt" || fail "forest $a failed"
head -n 1 "$TMP/f.txt" | grep -q 'PID *PPID USER' || fail "no header"
grep -q "^ *$a .* bash -c" "$TMP/f.txt" || fail "root line missing: $(cat "$TMP/f.txt")"
grep -q '\\_ cat$' "$TMP/f.txt" || fail "no indented child: $(cat "$TMP/f.txt")"
[ "$(wc -l <"$TMP/f.txt")" = 5 ] || fail "forest $a: expected header and 4 lines: $(cat "$TMP/f.txt")"
pass "forest PID: text, indented, only that subtree"

if command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups "$SPAWNWATCH" forest --json >"$TMP/n.json" ||
		fail "unprivileged forest failed"
	jq -e 'any(.[]; .pid == 1)' "$TMP/n.json" >/dev/null || fail "unprivileged forest lacks pid 1"
	pass "forest runs unprivileged"
fi
# What a process is shows as its tags: a miner named xmrig run from /tmp.
cp "$(command -v sleep)" "$TMP/xmrig"
"$TMP/xmrig" 20 &
miner=$!
wait_until 10 eval '"$SPAWNWATCH" forest --json "$miner" >"$TMP/m.json" && jq -e ".[0].exe | endswith(\"xmrig\")" "$TMP/m.json" >/dev/null' ||
	fail "no xmrig in the forest"
jq -e '.[0].tags == ["exec-from-tmp", "miner"]' "$TMP/m.json" >/dev/null || fail "forest tags: $(cat "$TMP/m.json")"
"$SPAWNWATCH" forest "$miner" | grep -q 'xmrig 20  \[exec-from-tmp,miner\]$' || fail "text forest lacks the tags"
[ "$(jq '[.. | objects | select(.pid? == '"$a"') | .tags] | first' "$OUT")" = null ] || fail "a plain bash was tagged"
printf '[miner]\nenabled = no\n' >"$TMP/r.ini"
"$SPAWNWATCH" forest --json --rules "$TMP/r.ini" "$miner" | jq -e '.[0].tags == ["exec-from-tmp"]' >/dev/null ||
	fail "forest ignores the rules file"
kill "$miner"
pass "forest tags what each process is (exec-from-tmp, miner); the rules file applies"
st=0
"$SPAWNWATCH" forest 2147483000 >/dev/null 2>"$ERR" || st=$?
[ "$st" = 1 ] && grep -q "no process 2147483000" "$ERR" || fail "forest of a missing pid: $st $(cat "$ERR")"

# SIGUSR1 to a running text watch: the same forest on stderr.
"$SPAWNWATCH" --color never >"$TMP/text" 2>"$ERR" &
SW_PID=$!
wait_until 10 grep -q ' start ' "$TMP/text" || fail "no start line"
kill -USR1 "$SW_PID"
wait_until 10 grep -q "^ *$a " "$ERR" || fail "SIGUSR1 wrote no forest with $a"
stop_sw
exec 4>&-
wait "$a"
pass "SIGUSR1 writes the forest to stderr"
