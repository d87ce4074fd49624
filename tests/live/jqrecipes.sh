#!/bin/bash
# The jq recipes of contrib/jq/, each run as its own header says, over the
# golden logs (no root needed) and, as root, over a log recorded here from
# real processes: what they print is what the log holds, counted apart with
# grep, sed and awk.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
SRC=$(dirname "$LIVE_LIB")/../..
JQDIR=$SRC/contrib/jq
RECIPES="top-spawners web-shells zombie-factories runaway-cron fork-rate"

# recipe NAME LOG: runs the first command line NAME.jq documents at its top,
# in contrib/jq/, on LOG instead of /var/log/spawnwatch/events.json.
recipe() {
	local cmd
	cmd=$(sed -n 's/^#   \(jq .*\)$/\1/p' "$JQDIR/$1.jq" | head -n 1)
	case $cmd in
	*"-f $1.jq /var/log/spawnwatch/events.json") ;;
	*) fail "$1.jq does not document how to run it over a log (got '$cmd')" ;;
	esac
	(cd "$JQDIR" && eval "${cmd% /var/log/spawnwatch/events.json} \"\$2\"") ||
		fail "$1.jq failed on $2"
}

# The independent counts.  forks LOG: "COUNT PPID" per parent, most first.
forks() {
	grep '"event":"fork"' "$1" | grep -v '"thread":true' |
		sed -n 's/.*"ppid":\([0-9]*\).*/\1/p' | sort | uniq -c |
		awk '{ print $1, $2 }' | sort -k1,1nr -k2,2n
}
# per_minute LOG: "MINUTE PPID COUNT" sorted.
per_minute() {
	grep '"event":"fork"' "$1" | grep -v '"thread":true' |
		sed -n 's/^{"ts":"\([^"]\{16\}\).*"ppid":\([0-9]*\).*/\1 \2/p' |
		sort | uniq -c | awk '{ print $2, $3, $1 }' | sort
}
lines_with() { # LOG EVENT STRING: lines of that event holding STRING
	grep "\"event\":\"$2\"" "$1" | grep -c -- "$3"
}

check_log() {
	local log=$1 name=$2 out
	out=$TMP/out.$name
	for r in $RECIPES; do
		recipe "$r" "$log" >"$out.$r"
		jq -e . "$out.$r" >/dev/null 2>&1 || [ ! -s "$out.$r" ] ||
			fail "$r.jq on $name: output is not JSON: $(head -n 2 "$out.$r")"
	done
	diff <(jq -r '"\(.forks) \(.ppid)"' "$out.top-spawners") <(forks "$log" | head -n 10) >&2 ||
		fail "top-spawners.jq on $name differs from the forks counted"
	diff <(jq -r '"\(.minute) \(.ppid) \(.forks)"' "$out.fork-rate" | sort) <(per_minute "$log") >&2 ||
		fail "fork-rate.jq on $name differs from the forks counted per minute"
	[ "$(wc -l <"$out.web-shells")" = "$(lines_with "$log" exec '"web-shell"')" ] ||
		fail "web-shells.jq on $name: $(wc -l <"$out.web-shells") lines, $(lines_with "$log" exec '"web-shell"') in the log"
	[ "$(jq -r .pid "$out.web-shells" | sort -n)" = "$(grep '"event":"exec"' "$log" | grep '"web-shell"' |
		sed -n 's/.*"event":"exec","pid":\([0-9]*\).*/\1/p' | sort -n)" ] || fail "web-shells.jq on $name: other pids"
	[ "$(wc -l <"$out.zombie-factories")" = "$(lines_with "$log" anomaly '"tag":"zombie-accumulation"')" ] ||
		fail "zombie-factories.jq on $name: $(wc -l <"$out.zombie-factories") lines"
	[ "$(jq -c 'select(.event == "exec")' "$out.runaway-cron" | wc -l)" = "$(lines_with "$log" exec '"cron-overlap"')" ] &&
		[ "$(jq -c 'select(.event == "anomaly")' "$out.runaway-cron" | wc -l)" = "$(lines_with "$log" anomaly '"tag":"cron-overlap"')" ] ||
		fail "runaway-cron.jq on $name: $(jq -c . "$out.runaway-cron")"
}

cat "$SRC"/tests/replay/*.jsonl >"$TMP/golden.json"
for f in "$SRC"/tests/replay/*.jsonl "$TMP/golden.json"; do
	check_log "$f" "$(basename "$f")"
done
# What the golden logs hold, so that the checks above are not of nothing.
[ "$(recipe top-spawners "$TMP/golden.json" | head -n 1)" = \
	'{"forks":4,"ppid":600,"comm":"cron","exe":"/usr/sbin/cron"}' ] || fail "top spawner of the golden logs"
[ "$(recipe web-shells "$TMP/golden.json" | jq -r .parent.comm | sort | tr '\n' ' ')" = "apache2 nginx node php-fpm8.2 php-fpm8.2 ping.sh sh sh " ] ||
	fail "web shells' parents: $(recipe web-shells "$TMP/golden.json")"
# found FILTER: some line of the output on stdin is one FILTER is true of.
found() {
	jq -s -e "any(.[]; $1)" "${@:2}" >/dev/null
}
recipe zombie-factories "$SRC/tests/replay/zombie.jsonl" |
	found '.pid == 990 and .zombies == 150 and .threshold == 100' || fail "zombie factory 990"
recipe runaway-cron "$SRC/tests/replay/cron.jsonl" | found '.event == "anomaly" and
	.pid == 602 and .argv == ["/bin/sh", "-c", "/usr/local/bin/backup"] and
	.earlier_runs == 1 and .oldest_s == 121' || fail "runaway cron 602"
# --argjson min 2 keeps the parents of 2 forks or more in a minute, each
# with its count, and those only (the logs hold some of 1 and some above).
want=$(per_minute "$TMP/golden.json" | awk '$3 >= 2 { print $3 }' | sort -n | tr '\n' ' ')
got=$(cd "$JQDIR" && jq -n -r --argjson min 2 -f fork-rate.jq "$TMP/golden.json" | jq -r .forks | sort -n | tr '\n' ' ')
[ -n "$want" ] && [ "$(per_minute "$TMP/golden.json" | awk '$3 < 2' | wc -l)" -ge 1 ] ||
	fail "the golden logs hold no parent of 2 forks a minute, or none of 1"
[ "$got" = "$want" ] || fail "fork-rate.jq --argjson min 2: $got, counted $want"
pass "the 5 recipes over the $(find "$SRC/tests/replay" -name '*.jsonl' | wc -l) golden logs: what they hold"

[ "$(id -u)" = 0 ] || {
	echo "SKIP: the recipes over a live recording need root"
	exit 0
}
mkfifo "$TMP/gate"
cp "$(command -v bash)" "$TMP/nginx"
# Only this test's processes: the host may be busy with others.
start_sw --pid $$
bash -c 'for i in $(seq 30); do /bin/true; done' "$MARK" &
looper=$!
wait "$looper"
"$TMP/nginx" -c "sh -c 'id >/dev/null'; true" "$MARK-web"
"$ZOMBIES" 120 <"$TMP/gate" >"$TMP/z.out" &
zpid=$!
exec 3>"$TMP/gate"
wait_until 10 grep -q ready "$TMP/z.out" || fail "zombie maker not ready"
wait_until 10 has ".event == \"anomaly\" and .pid == $zpid" || fail "no zombie-accumulation anomaly"
echo reap >&3
exec 3>&-
wait "$zpid"
wait_exit_of "$looper"
stop_sw
check_stream
check_log "$OUT" recorded
recipe top-spawners "$OUT" | found '.ppid == $p and .forks >= 30 and .comm == "bash"' --argjson p "$looper" ||
	fail "the loop ($looper) is not among the top spawners: $(recipe top-spawners "$OUT")"
recipe top-spawners "$OUT" | found '.ppid == $p and .forks >= 120' --argjson p "$zpid" ||
	fail "the zombie maker's 120 forks (and more with a sanitizer's): $(recipe top-spawners "$OUT")"
recipe web-shells "$OUT" | found '.parent.comm == "nginx" and .argv[0] == "sh"' ||
	fail "no web shell under nginx: $(recipe web-shells "$OUT")"
recipe zombie-factories "$OUT" | found '.pid == $p and .zombies >= 100 and .comm == "zombies"' --argjson p "$zpid" ||
	fail "no zombie factory $zpid: $(recipe zombie-factories "$OUT")"
pass "the recipes over a live recording: a loop's forks, a web shell, a zombie factory"
