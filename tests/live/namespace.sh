#!/bin/bash
# Where the kernel would send nothing (another network, user or pid
# namespace), spawnwatch says so in one line and exits 1, within 3 s.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }

try() {
	local what=$1 pattern=$2
	shift 2
	unshare "$@" true 2>/dev/null || { echo "skip: unshare $* not permitted here"; return 0; }
	local st=0 begin
	begin=$(date +%s%N)
	timeout 10 unshare "$@" "$SPAWNWATCH" --json >"$OUT" 2>"$ERR" || st=$?
	local ms=$((($(date +%s%N) - begin) / 1000000))
	[ "$st" = 1 ] || fail "$what: status $st, expected 1"
	[ "$(wc -l <"$ERR")" = 1 ] || fail "$what: message not one line: $(cat "$ERR")"
	grep -q "$pattern" "$ERR" || fail "$what: message does not say '$pattern': $(cat "$ERR")"
	[ ! -s "$OUT" ] || fail "$what: wrote output"
	[ "$ms" -lt 3000 ] || fail "$what: took $ms ms"
	pass "$what: $(cat "$ERR") ($ms ms)"
}

try "network namespace" "run spawnwatch on the host" --net
try "user namespace" "run it on the host" --user --map-root-user
try "pid namespace" "run it on the host" --pid --fork
