#!/bin/bash
# Golden replay tests, no root needed: each log in tests/replay holds every
# tag's war story and its near misses, each line carrying the tags replay
# must give it (none for a near miss; a "note" says why).  An anomaly line
# in a log is expected in the output when it carries tags.  X.rules, when
# present, is the rules file for X.jsonl.  The storm and bomb logs are
# made here (thousands of lines).  Then: malformed lines, stdin, filters.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
GOLD=$(dirname "$LIVE_LIB")/../replay
export TZ=UTC

# line T EVENT PID PPID COMM EXE [EXTRA]: one compact JSON line at 12:00:T.
gen() {
	awk -v mode="$1" '
	function line(t, ev, pid, ppid, comm, exe, extra,   s, ns) {
		s = int(t); ns = int((t - s) * 1e9 + 0.5)
		printf "{\"ts\":\"2026-11-30T12:00:%02d.%09dZ\",\"event\":\"%s\",\"pid\":%d,\"ppid\":%d,\"comm\":\"%s\",\"exe\":\"%s\"%s}\n",
			s, ns, ev, pid, ppid, comm, exe, extra
	}
	BEGIN {
		print "{\"ts\":\"2026-11-30T12:00:00.000000000Z\",\"event\":\"start\"}"
		pid = 10000
		if (mode == "storm") {
			# 1,000 children one after another: a shell loop, not a storm.
			for (i = 0; i < 1000; i++) {
				line(1 + i * 0.005, "fork", pid, 800, "bash", "/usr/bin/bash", ",\"thread\":false")
				line(1 + i * 0.005 + 0.001, "exit", pid++, 800, "true", "/usr/bin/true", ",\"thread\":false,\"exit_code\":0,\"core\":false")
			}
			# 199 alive at once: one short.
			for (i = 0; i < 199; i++)
				line(10 + i * 0.001, "fork", pid++, 801, "bash", "/usr/bin/bash", ",\"thread\":false")
			# 250 alive at once: a storm, one anomaly naming 802.
			for (i = 0; i < 250; i++)
				line(30 + i * 0.001, "fork", pid++, 802, "bash", "/usr/bin/bash", ",\"thread\":false")
			line(31, "anomaly", 802, 1, "bash", "/usr/bin/bash", ",\"tag\":\"spawn-storm\",\"detail\":{\"count\":250,\"threshold\":200},\"tags\":[\"spawn-storm\"]")
			# 300 threads: never a storm.
			for (i = 0; i < 300; i++)
				line(40 + i * 0.001, "fork", 803, 1, "java", "/usr/bin/java", ",\"tid\":" pid++ ",\"thread\":true")
		} else {
			# A bomb: four generations of four copies of copies.
			line(1, "exec", 900, 899, "bash", "/usr/bin/bash", "")
			n = 1; lv[0, 0] = 900; t = 2
			for (g = 1; g <= 4; g++) {
				m = 0
				for (i = 0; i < n; i++)
					for (k = 0; k < 4; k++) {
						t += 0.0001
						line(t, "fork", pid, lv[g - 1, i], "bash", "/usr/bin/bash", ",\"thread\":false")
						lv[g, m++] = pid++
					}
				n = m
			}
			# Named by its first copy (10000), not the shell 900 that ran it.
			line(4, "anomaly", 10000, 900, "bash", "/usr/bin/bash", ",\"tag\":\"fork-bomb\",\"detail\":{\"count\":336,\"threshold\":200},\"tags\":[\"fork-bomb\"]")
			# A server forking 300 workers itself: a storm, not a bomb.
			for (i = 0; i < 300; i++)
				line(10 + i * 0.001, "fork", pid++, 950, "apache2", "/usr/sbin/apache2", ",\"thread\":false")
			line(11, "anomaly", 950, 1, "apache2", "/usr/sbin/apache2", ",\"tag\":\"spawn-storm\",\"detail\":{\"count\":300,\"threshold\":200},\"tags\":[\"spawn-storm\"]")
		}
	}'
}
gen storm >"$TMP/storm.jsonl"
gen bomb >"$TMP/bomb.jsonl"

events='select(.event != "start" and .event != "stop" and .event != "anomaly") | [.event, .pid, .tid, (.tags // [])]'
anomalies='[.[] | select(.event == "anomaly" and .tags) | [.tag, .pid, .detail.count]] | sort'
n=0
for log in "$GOLD"/*.jsonl "$TMP/storm.jsonl" "$TMP/bomb.jsonl"; do
	name=$(basename "$log" .jsonl)
	rules=()
	[ -f "$GOLD/$name.rules" ] && rules=(--rules "$GOLD/$name.rules")
	"$SPAWNWATCH" replay --json --threads "${rules[@]}" "$log" >"$OUT" 2>"$ERR" || fail "$name: replay failed"
	[ ! -s "$ERR" ] || fail "$name: replay complained: $(head -3 "$ERR")"
	check_stream
	diff <(jq -c "$events" "$log") <(jq -c "$events" "$OUT") >"$TMP/diff" ||
		fail "$name: tags differ (< expected, > replay):
$(cat "$TMP/diff")"
	diff <(jq -cs "$anomalies" "$log") <(jq -cs "$anomalies" "$OUT") >"$TMP/diff" ||
		fail "$name: anomalies differ (< expected, > replay):
$(cat "$TMP/diff")"
	n=$((n + $(jq -s '[.[] | select(.tags)] | length' "$log")))
done
tags=$(cat "$GOLD"/*.jsonl "$TMP"/storm.jsonl "$TMP"/bomb.jsonl | jq -r '.tags[]?' | sort -u | wc -l)
[ "$tags" = 20 ] || fail "the golden logs cover $tags tags, not all 20"
pass "golden replay: $n tagged lines over all 20 tags, near misses untagged"

# The line's timestamps and host come back as they were.
"$SPAWNWATCH" replay --json "$GOLD/net.jsonl" >"$OUT"
diff <(jq -c 'select(.event == "exec") | [.ts, .host]' "$GOLD/net.jsonl") <(jq -c 'select(.event == "exec") | [.ts, .host]' "$OUT") >&2 ||
	fail "ts or host changed"
# Fresh rules on an old log: turn web-shell off.
printf '[web-shell]\nenabled = no\n' >"$TMP/noweb.rules"
"$SPAWNWATCH" replay --json --tagged --rules "$TMP/noweb.rules" "$GOLD/net.jsonl" >"$OUT"
[ "$(count '.tags | index("web-shell")')" = 0 ] && has '.tags | index("reverse-shell")' ||
	fail "a rules file did not change what replay tags"
pass "replay keeps ts and host; new rules give new tags"

# Malformed lines: reported with their number, skipped, never fatal.
{
	head -n 3 "$GOLD/exec.jsonl"
	echo 'not json at all'
	echo '{"ts":"2026-11-30T12:00:05Z","event":"exec"}'
	echo '{"ts":"yesterday","event":"fork","pid":1}'
	echo '[1,2,3]'
	echo
	printf '{"ts":"2026-11-30T12:00:06Z","event":"exec","pid":77,"exe":"/tmp/\\u00e9\\u0000x","argv":["\\u00ff"]}\n'
	tail -n +4 "$GOLD/exec.jsonl" | head -c 100
} >"$TMP/bad.jsonl"
st=0
"$SPAWNWATCH" replay --json - <"$TMP/bad.jsonl" >"$OUT" 2>"$ERR" || st=$?
[ "$st" = 0 ] || fail "replay of a damaged log: status $st"
check_stream
for l in 4 5 6 7 10; do
	grep -q "^spawnwatch: standard input:$l: .*; line skipped$" "$ERR" || fail "line $l not reported: $(cat "$ERR")"
done
grep -q '5 of 10 lines malformed, skipped' "$ERR" || fail "no summary: $(cat "$ERR")"
[ "$(count '.event == "exec"')" = 3 ] || fail "the good lines were not all replayed"
has '.pid == 77 and (.tags | index("exec-from-tmp"))' || fail "odd strings stopped a good line"
st=0
"$SPAWNWATCH" replay "$TMP/none.jsonl" 2>"$ERR" || st=$?
[ "$st" = 1 ] && grep -q "cannot read $TMP/none.jsonl" "$ERR" || fail "missing log: status $st"
st=0
"$SPAWNWATCH" replay a b 2>"$ERR" || st=$?
[ "$st" = 2 ] || fail "two logs: status $st"
# A reader that goes away ends replay cleanly.
st=0
"$SPAWNWATCH" replay --json --threads "$TMP/storm.jsonl" 2>"$ERR" | head -n 1 >/dev/null || st=$?
[ "$st" = 0 ] && [ ! -s "$ERR" ] || fail "replay into head: status $st, $(cat "$ERR")"
# Text output and the selection filters work on a replay too.
"$SPAWNWATCH" replay --color never --pid 300 "$GOLD/priv.jsonl" >"$OUT" || fail "text replay failed"
grep -q 'privilege-escalation' "$OUT" || fail "text replay lacks the tag"
"$SPAWNWATCH" replay --json --comm nc "$GOLD/net.jsonl" >"$OUT"
[ "$(count '.comm != "nc"')" = 0 ] && has '.comm == "nc"' || fail "--comm did not filter the replay"
pass "malformed lines reported and skipped; stdin, head, text and filters"
