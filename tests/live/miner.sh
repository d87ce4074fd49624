#!/bin/bash
# miner on real processes: every command line of tests/data/miners/cmdlines.txt
# (miners' own documentation, real and disguised names) exec'd for real by
# a program that does nothing, copied to the case's name and place (under
# this test's own directories: /tmp/... in $TMP, /var/tmp and /dev/shm in
# directories of the test's, other places under /run), with the config
# files of the corpus in its working directory.  The share tagged miner
# must reach 38 in 40.  Near misses: curl -o -u, sort -o, gcc -o, make -j,
# tar -c config.json, ssh -o -p, and a program under /tmp given an
# ordinary config file.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
[ -x "${IDLE:-}" ] || { echo "SKIP: no idle helper (IDLE)"; exit 77; }
DATA=$(dirname "$LIVE_LIB")/../data/miners
VT=/var/tmp/sw-miner-$$
SHM=/dev/shm/sw-miner-$$
RUN=/run/sw-miner-$$
trap 'rm -rf "$VT" "$SHM" "$RUN"; cleanup' EXIT

# place EXE: where this test puts the corpus's executable EXE.
place() {
	case $1 in
	/tmp/*) echo "$TMP/root${1#/tmp}" ;;
	/var/tmp/*) echo "$VT${1#/var/tmp}" ;;
	/dev/shm/*) echo "$SHM${1#/dev/shm}" ;;
	*) echo "$RUN$1" ;;
	esac
}

ids=() pids=()
start_sw
while IFS=$'\t' read -r id exe argv; do
	case $id in '#'* | '') continue ;; esac
	path=$(place "$exe")
	dir=$(dirname "$path")
	mkdir -p "$dir"
	[ -e "$path" ] || cp "$IDLE" "$path"
	cp "$DATA/config.json" "$DATA/config_etc.ini" "$DATA/config.txt" "$dir/"
	eval "args=($argv)"
	# shellcheck disable=SC2154 # args is set by the eval
	(cd "$dir" && exec -a "${args[0]}" "$path" "${args[@]:1}") &
	ids+=("$id")
	pids+=("$!")
done <"$DATA/cmdlines.txt"
for p in "${pids[@]}"; do
	wait_until 10 has ".event == \"exec\" and .pid == $p" || fail "no exec of pid $p"
done
wait "${pids[@]}"

# Near misses, each with a marker in its argv or as its pid.
near=()
curl -s -o "$TMP/out" -u user:pass "file:///etc/hostname" "$MARK" 2>/dev/null &
near+=("$!")
sort -o "$TMP/sorted" /etc/hostname &
near+=("$!")
if command -v gcc >/dev/null; then
	printf 'int main(void) { return 0; }\n' >"$TMP/a.c"
	gcc -o "$TMP/a" "$TMP/a.c" &
	near+=("$!")
fi
mkdir -p "$TMP/mk"
printf 'all:\n\t@true\n' >"$TMP/mk/Makefile"
make -s -j2 -C "$TMP/mk" >/dev/null &
near+=("$!")
tar -c -f "$TMP/x.tar" -C "$DATA" config.json &
near+=("$!")
ssh -o BatchMode=yes -o ConnectTimeout=1 -p 1 127.0.0.1 true 2>/dev/null &
near+=("$!")
mkdir -p "$TMP/app"
printf '{ "listen": "127.0.0.1:8080", "user": "www-data", "workers": 4 }\n' >"$TMP/app/settings.json"
cp "$IDLE" "$TMP/app/server"
(cd "$TMP/app" && IDLE_MS=300 exec ./server -c settings.json) &
near+=("$!")
(cd "$TMP/app" && IDLE_MS=300 exec ./server --config=config.json) &	# no such file
near+=("$!")
for p in "${near[@]}"; do
	wait "$p" 2>/dev/null
done
for p in "${near[@]}"; do
	wait_until 10 has ".event == \"exit\" and .pid == $p" || fail "no exit of near miss $p"
done
stop_sw
check_stream

n=0 m=${#pids[@]} missed=()
for i in "${!pids[@]}"; do
	if has ".event == \"exec\" and .pid == ${pids[$i]} and (.tags // [] | index(\"miner\"))"; then
		n=$((n + 1))
	else
		missed+=("${ids[$i]}")
	fi
done
echo "miner: $n of $m command lines tagged${missed[*]:+; missed: ${missed[*]}}"
[ $((n * 40)) -ge $((m * 38)) ] || fail "$n of $m miners tagged, below 38 in 40"
pass "miner: $n of $m"

for p in "${near[@]}"; do
	[ "$(count ".pid == $p and (.tags // [] | index(\"miner\"))")" = 0 ] ||
		fail "a near miss was tagged miner: $(jq -c "select(.pid == $p and .tags)" "$OUT")"
done
pass "near misses untagged: curl -o -u, sort -o, gcc -o, make -j, tar -c config.json, ssh -o -p, an ordinary config"
