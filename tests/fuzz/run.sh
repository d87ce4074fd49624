#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs each libFuzzer target of a build configured with --enable-fuzzing
# for SECONDS, from a copy of its seeds tests/fuzz/<target>/ in a temporary
# directory (the source tree is never written), and prints one line per
# target: "PASS: fuzz-<target> (...)" or "FAIL: ...", with the runs
# executed, the corpus size and the coverage reached.  A crashing input is
# kept in BUILDDIR/fuzz-artifacts/ and its path printed with the report;
# each target's whole libFuzzer output is kept there too, as <target>.log.
# Exits non-zero if any target failed.
#
#   tests/fuzz/run.sh SECONDS BUILDDIR [TARGET...]
set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 SECONDS BUILDDIR [TARGET...]" >&2
	exit 2
fi
secs=$1
build=$(cd "$2" && pwd)
shift 2
here=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- decode emit jsonin procfs rules text

# Longest input per target: a receive slot (SW_NLSRC_SLOT), an event with
# its strings (a long argv is made by repeating), a JSON line with a full
# ancestry, the buffers procfs reads stat/status/cgroup into, a rules file
# with every list full, an event of hostile strings for the text emitter.
max_len() {
	case $1 in
	decode) echo 512 ;;
	emit) echo 8192 ;;
	jsonin) echo 16384 ;;
	procfs) echo 4096 ;;
	rules) echo 8192 ;;
	text) echo 8192 ;;
	*) echo 4096 ;;
	esac
}

work=$(mktemp -d "${TMPDIR:-/tmp}/spawnwatch-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"

failed=0
for t in "$@"; do
	bin=$build/tests/fuzz/fuzz-$t
	corpus=$work/$t
	log=$work/$t.log
	mkdir -p "$corpus"
	if [ ! -x "$bin" ] || [ ! -d "$here/$t" ]; then
		echo "FAIL: fuzz-$t (no $bin or no seeds in $here/$t)"
		failed=1
		continue
	fi
	cp "$here/$t"/* "$corpus"/
	result=PASS
	"$bin" -max_total_time="$secs" -max_len="$(max_len "$t")" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$artifacts/$t-" "$corpus" >"$log" 2>&1 ||
		result=FAIL
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	# The last status line: "cov: N ft: N corp: UNITS/SIZE".
	cov=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" |
		tail -n 1 || true)
	files=$(find "$corpus" -type f | wc -l)
	cp "$log" "$artifacts/$t.log"
	echo "$result: fuzz-$t (${runs:-?} runs, ${speed:-?}/s, $files files, ${cov:-no coverage})"
	if [ "$result" = FAIL ]; then
		failed=1
		# libFuzzer names the input it saved: "Test unit written to PATH".
		sed -n 's/.*Test unit written to /  crash input: /p' "$log"
		# The report: what follows libFuzzer's last status line.
		awk 'NR == FNR { if (/^#[0-9]/) last = FNR; next } FNR > last' \
			"$log" "$log" | head -n 100 | sed 's/^/  | /'
	fi
done
exit "$failed"
