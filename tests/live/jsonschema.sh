#!/bin/bash
# doc/spawnwatch-json.5 documents every key spawnwatch writes: every key
# src/emit/emit_json_ref.c names, every key of the golden logs and fuzz seeds run
# through `spawnwatch replay --json`, of `spawnwatch forest -j` and, as
# root, of a real run that makes fork, exec, exit, uid, gid, sid, ptrace,
# comm, coredump, reparent and anomaly events and threads.  A key is
# documented when it is set in bold (.B, .BR, \fB).
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
SRC=$(dirname "$LIVE_LIB")/../..
PAGE=$SRC/doc/spawnwatch-json.5

# The words the page sets in bold.
sed -e 's/\\-/-/g' -e 's/\\e/\\/g' "$PAGE" | awk '
	/^\.(B|BR|RB|BI|IB) / {
		for (i = 2; i <= NF; i++) { w = $i; gsub(/^["(]+|[",.;:)]+$/, "", w); print w }
	}
	{ s = $0; while (match(s, /\\fB[^\\]*\\f/)) { print substr(s, RSTART + 3, RLENGTH - 5); s = substr(s, RSTART + RLENGTH) } }
' | sort -u >"$TMP/bold"
[ "$(wc -l <"$TMP/bold")" -gt 50 ] || fail "could not read the bold words of spawnwatch-json(5)"

# keys FILE...: every key of every object in the JSON lines of FILE.
keys() {
	jq -r 'paths | map(select(type == "string")) | .[]' "$@" | sort -u
}
# check WHAT FILE: every key in FILE (one a line) is in the page.
check() {
	local missing
	missing=$(comm -23 "$2" "$TMP/bold" | tr '\n' ' ')
	[ -z "$missing" ] || fail "spawnwatch-json(5) does not document, from $1: $missing"
}

# The keys the code names: string literals on the lines that set a key.
# The jansson oracle (emit_json_ref.c, with the builders of emit_json.c)
# names each key once; the production writer is held to it byte for byte.
cat "$SRC/src/emit/emit_json_ref.c" "$SRC/src/emit/emit_json.c" |
	grep -E '(set|set_str)\(|\? "' | grep -oE '"[a-z_]+"' | tr -d '"' | sort -u >"$TMP/src"
grep -qx prev_egid "$TMP/src" && grep -qx window_s "$TMP/src" && grep -qx rcvbuf "$TMP/src" ||
	fail "could not read the keys of src/emit/emit_json_ref.c"
check src/emit/emit_json_ref.c "$TMP/src"

# Replayed: the golden logs (with their rules) and the fuzzer's seeds, which
# hold one line of each kind (lost, resync, container, ptrace...).
for f in "$SRC"/tests/replay/*.jsonl; do
	r=()
	[ -f "${f%.jsonl}.rules" ] && r=(--rules "${f%.jsonl}.rules")
	"$SPAWNWATCH" replay --json "${r[@]}" "$f" 2>/dev/null
done >"$TMP/replayed.json"
cat "$SRC"/tests/fuzz/jsonin/*.json | "$SPAWNWATCH" replay --json - 2>/dev/null >>"$TMP/replayed.json"
for e in exec exit fork uid gid sid ptrace comm coredump reparent lost resync; do
	has ".event == \"$e\"" "$TMP/replayed.json" || fail "no $e line replayed"
done
keys "$TMP/replayed.json" >"$TMP/k.replay"
check "spawnwatch replay" "$TMP/k.replay"
"$SPAWNWATCH" forest -j >"$TMP/forest.json" || fail "forest -j failed"
keys "$TMP/forest.json" >"$TMP/k.forest"
check "spawnwatch forest -j" "$TMP/k.forest"
pass "the keys of emit_json_ref.c ($(wc -l <"$TMP/src")), of replay ($(wc -l <"$TMP/k.replay")) and forest -j are documented"

[ "$(id -u)" = 0 ] || {
	echo "SKIP: the keys of a live run need root"
	exit 0
}
mkfifo "$TMP/gate"
start_sw --threads --pid $$
/bin/true "$MARK"
setpriv --reuid=65534 --regid=65534 --clear-groups /bin/true
setsid /bin/true
bash -c 'printf renamed >/proc/$$/comm; /bin/sleep 0.1'
bash -c '/bin/sleep 0.3 & exit 0'
# A core dumped (in $TMP, where it is cleaned up) for the coredump line.
{ (cd "$TMP" && bash -c 'ulimit -c unlimited; kill -SEGV $$'); } 2>/dev/null
/bin/sleep 5 &
victim=$!
if command -v strace >/dev/null; then
	strace -o /dev/null -e trace=none -p "$victim" 2>/dev/null &
	tracer=$!
	wait_until 10 has ".event == \"ptrace\" and .pid == $victim and .attach" || fail "no ptrace attach"
	kill "$tracer"
	wait "$tracer" 2>/dev/null
fi
kill "$victim"
"$STORM" threads -n 20 -c 1 >/dev/null || fail "storm threads failed"
"$ZOMBIES" 120 <"$TMP/gate" >"$TMP/z.out" &
zpid=$!
exec 3>"$TMP/gate"
wait_until 10 grep -q ready "$TMP/z.out" || fail "zombie maker not ready"
wait_until 10 has ".event == \"anomaly\" and .pid == $zpid" || fail "no zombie-accumulation anomaly"
echo reap >&3
exec 3>&-
wait "$zpid"
# A storm: 250 children alive at once, for spawn-storm's window_s.
bash -c 'for i in $(seq 250); do /bin/sleep 2 & done; wait' &
spawner=$!
wait_until 15 has ".event == \"anomaly\" and .tag == \"spawn-storm\" and .pid == $spawner" || fail "no spawn-storm anomaly"
wait "$spawner"
wait_exit_of "$spawner"
stop_sw
check_stream
for e in start fork exec exit uid gid sid comm coredump reparent anomaly stop; do
	has ".event == \"$e\"" || fail "no $e line in the live run"
done
has '.tid' || fail "no thread event with tid"
keys "$OUT" >"$TMP/k.live"
check "a live run" "$TMP/k.live"
pass "the keys of a live run ($(wc -l <"$TMP/k.live")) are documented"
