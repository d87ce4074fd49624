#!/bin/bash
# bench/soak.sh: spawnwatch under a mixed storm for a long time.
#
#   bench/soak.sh [--minutes M] [--build DIR]
#
# Runs bench/storm in turn as threads, fork+exit, fork+exec, zombies and
# orphans, one worker at a time (about half the rate of the two-worker
# storms that saturate a 2-core machine), for M minutes (default 10), with
# `spawnwatch --json --threads` attached, its output read by tail.  Every
# 10 s it samples spawnwatch's RSS.  At the end, after 5 quiet seconds, it
# stops spawnwatch and checks:
#   - zero events lost (stop line);
#   - RSS flat: the last minute's mean within 10% (or 1 MiB) of the first's;
#   - the table back to the host's live process count (within 10: the
#     processes born or gone between the count and the stop).
# Prints the figures as a table and one JSON line; exits 1 if a check fails.
# Not part of CI: it takes its full time.
set -u
minutes=10
build=
while [ $# -gt 0 ]; do
	case $1 in
	--minutes) minutes=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	*) echo "usage: bench/soak.sh [--minutes M] [--build DIR]" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "bench/soak.sh: needs root" >&2; exit 2; }
src=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$build" ]; then
	build=$(mktemp -d /tmp/spawnwatch-soak-build.XXXXXX)
	if ! (cd "$src" && { [ -x configure ] || ./autogen.sh >/dev/null; }) ||
		! (cd "$build" && "$src/configure" >/dev/null && make -j2 spawnwatch bench/storm >/dev/null); then
		echo "bench/soak.sh: build failed" >&2
		exit 1
	fi
fi
SW=$build/spawnwatch
STORM=$build/bench/storm
work=$(mktemp -d /tmp/spawnwatch-soak.XXXXXX)
trap 'kill "$sw" 2>/dev/null; rm -rf "$work"' EXIT

mkfifo "$work/out"
tail -n 1 <"$work/out" >"$work/stop.json" &
"$SW" --json --threads >"$work/out" 2>"$work/err" &
sw=$!
sleep 2
kill -0 "$sw" 2>/dev/null || { echo "bench/soak.sh: spawnwatch did not start: $(cat "$work/err")" >&2; exit 1; }

start=$(date +%s)
end=$((start + minutes * 60))
units=0
: >"$work/rss"
(
	while kill -0 "$sw" 2>/dev/null; do
		echo "$(($(date +%s) - start)) $(awk '$1 == "VmRSS:" { print $2 }' "/proc/$sw/status")"
		sleep 10
	done
) >>"$work/rss" &
sampler=$!
rounds=0
while [ "$(date +%s)" -lt "$end" ]; do
	for m in "threads 20000" "fork 5000" "exec 2000" "zombies 1000" "orphans 1000"; do
		read -r mode count <<<"$m"
		n=$("$STORM" "$mode" -n "$count" -c 1 | jq -r '.n // 0')
		units=$((units + n))
	done
	rounds=$((rounds + 1))
done
elapsed=$(($(date +%s) - start))
sleep 5
live=$(find /proc -maxdepth 1 -name '[0-9]*' | wc -l)
kill -INT "$sw"
wait 2>/dev/null
kill "$sampler" 2>/dev/null

stats=$(jq -c .stats "$work/stop.json")
lost=$(echo "$stats" | jq .lost)
tracked=$(echo "$stats" | jq .tracked)
received=$(echo "$stats" | jq '[.events[]] | add')
first=$(awk '$1 <= 60 { s += $2; n++ } END { printf "%d", n ? s / n : 0 }' "$work/rss")
last=$(awk -v e="$elapsed" '$1 >= e - 60 { s += $2; n++ } END { printf "%d", n ? s / n : 0 }' "$work/rss")
peak=$(awk '$2 > p { p = $2 } END { print p + 0 }' "$work/rss")
ok=yes
[ "$lost" = 0 ] || ok=no
grow=$((last - first))
[ "$grow" -le $((first / 10)) ] || [ "$grow" -le 1024 ] || ok=no
diff=$((tracked - live))
[ "${diff#-}" -le 10 ] || ok=no

printf '%-22s %s\n' "minutes" "$((elapsed / 60)).$((elapsed % 60 * 10 / 60))" \
	"storm rounds" "$rounds" "storm units" "$units" \
	"events received" "$received" "events/s" "$((received / (elapsed > 0 ? elapsed : 1)))" \
	"lost" "$lost" "RSS first min (KiB)" "$first" "RSS last min (KiB)" "$last" \
	"RSS peak (KiB)" "$peak" "tracked at end" "$tracked" "live processes" "$live" "pass" "$ok"
jq -nc --argjson s "$elapsed" --argjson rounds "$rounds" --argjson units "$units" \
	--argjson received "$received" --argjson lost "$lost" --argjson first "$first" \
	--argjson last "$last" --argjson peak "$peak" --argjson tracked "$tracked" \
	--argjson live "$live" --arg ok "$ok" \
	'{soak_s: $s, rounds: $rounds, units: $units, received: $received, lost: $lost,
	  rss_first_kib: $first, rss_last_kib: $last, rss_peak_kib: $peak,
	  tracked: $tracked, live: $live, pass: ($ok == "yes")}'
[ "$ok" = yes ]
