#!/bin/bash
# Usage errors are one line on stderr and status 2; --help and --version 0.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"

expect() {
	local want=$1
	shift
	local got=0
	"$SPAWNWATCH" "$@" >"$TMP/o" 2>"$TMP/e" || got=$?
	[ "$got" = "$want" ] || fail "spawnwatch $* gave $got, expected $want"
}

for args in "--bogus" "--events fork,bogus" "--events ," "--count 0" "--count x" \
	"--duration -1" "--rcvbuf 0" "--rcvbuf 9G" "--ancestry 65" "--format xml" \
	"--color sometimes" "extra" "watch extra" "-e"; do
	# shellcheck disable=SC2086
	expect 2 $args
	grep -q '^spawnwatch: ' "$TMP/e" || fail "no message for $args"
	[ ! -s "$TMP/o" ] || fail "stdout not empty for $args"
done
expect 2 --events bogus
grep -q "unknown event 'bogus'" "$TMP/e" || fail "unknown event not named"
expect 0 --help
grep -q -- '--events' "$TMP/o" || fail "--help lists no options"
expect 0 watch --help
expect 0 --version
grep -q '^spawnwatch [0-9]' "$TMP/o" || fail "--version prints no version"
pass "usage errors give status 2 with one line; --help/--version give 0"
