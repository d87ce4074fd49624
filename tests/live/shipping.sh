#!/bin/bash
# The shipping configurations of contrib/: all read the unit's log
# (/var/log/spawnwatch/events.json, which contrib/logrotate rotates).
# rsyslog (when rsyslogd is there): the snippet passes `rsyslogd -N1` under
# a main configuration like Debian's, and, run for real against a listener
# on 127.0.0.1, forwards each line of a log whole (a long one too), in
# RFC 5424 framing and with the plain JSON template.  Vector and Fluent Bit
# are validated by their own binaries, when they are installed (they are
# not Debian packages); the Vector file is at least read as TOML.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
SRC=$(dirname "$LIVE_LIB")/../..
RSYSLOG=$SRC/contrib/rsyslog/spawnwatch.conf
VECTOR=$SRC/contrib/vector/spawnwatch.toml
FLUENTBIT=$SRC/contrib/fluent-bit/spawnwatch.conf

for f in "$RSYSLOG" "$VECTOR" "$FLUENTBIT"; do
	grep -q '/var/log/spawnwatch/events.json' "$f" || fail "$f does not read the unit's log"
done
grep -q -- '--output /var/log/spawnwatch/events.json' "$SRC/contrib/spawnwatch.service.in" &&
	grep -q '^/var/log/spawnwatch/\*\.json {' "$SRC/contrib/logrotate" || fail "the unit and logrotate disagree on the log"
pass "the unit, logrotate and the shippers agree on /var/log/spawnwatch/events.json"

if command -v rsyslogd >/dev/null; then
	mkdir "$TMP/spool"
	# Debian's rsyslog.conf sets a work directory; the snippet asks for a
	# larger message size there.
	main() { # SNIPPET: a main configuration that includes SNIPPET
		printf 'global(maxMessageSize="256k" workDirectory="%s")\ninclude(file="%s")\n' "$TMP/spool" "$1"
	}
	main "$RSYSLOG" >"$TMP/rsyslog.conf"
	rsyslogd -N1 -f "$TMP/rsyslog.conf" >"$TMP/n1" 2>&1 || fail "rsyslogd -N1: $(cat "$TMP/n1")"
	pass "rsyslogd -N1 accepts contrib/rsyslog/spawnwatch.conf"

	# A log: the golden exec lines and one line of 45 KiB.
	{
		cat "$SRC/tests/replay/exec.jsonl"
		jq -c -n --arg a "$(head -c 45000 /dev/zero | tr '\0' x)" \
			'{ts: "2026-11-30T12:00:09.000000000Z", seq: 99, host: "web1", event: "exec", pid: 1, argv: ["big", $a]}'
	} >"$TMP/sample.json"
	n=$(wc -l <"$TMP/sample.json")
	for template in RSYSLOG_SyslogProtocol23Format spawnwatch-json; do
		rm -rf "$TMP/spool"/* "$TMP/received" "$TMP/events.json"
		touch "$TMP/events.json"
		# A listener on a free port of 127.0.0.1.
		port='' lpid=''
		for _ in 1 2 3 4 5; do
			port=$((20000 + RANDOM % 30000))
			nc -l 127.0.0.1 "$port" >"$TMP/received" 2>/dev/null &
			lpid=$!
			sleep 0.2
			kill -0 "$lpid" 2>/dev/null && break
			lpid=
		done
		[ -n "$lpid" ] || fail "no free port for a listener"
		sed -e "s|/var/log/spawnwatch/events.json|$TMP/events.json|" \
			-e "s|target=\"siem.example.com\" port=\"514\"|target=\"127.0.0.1\" port=\"$port\"|" \
			-e "s|template=\"RSYSLOG_SyslogProtocol23Format\"|template=\"$template\"|" \
			"$RSYSLOG" >"$TMP/snippet.conf"
		grep -q "port=\"$port\"" "$TMP/snippet.conf" && grep -q "template=\"$template\"" "$TMP/snippet.conf" ||
			fail "could not point the snippet at the listener"
		main "$TMP/snippet.conf" >"$TMP/rsyslog.conf"
		rsyslogd -n -f "$TMP/rsyslog.conf" -i "$TMP/rsyslog.pid" >"$TMP/rsyslog.err" 2>&1 &
		rpid=$!
		sleep 0.5
		cat "$TMP/sample.json" >>"$TMP/events.json"
		wait_until 20 eval '[ "$(grep -c "}" "$TMP/received")" -ge "$n" ]' ||
			fail "rsyslog ($template) forwarded $(wc -l <"$TMP/received") of $n lines: $(cat "$TMP/rsyslog.err")"
		kill "$rpid" "$lpid" 2>/dev/null
		wait "$rpid" "$lpid" 2>/dev/null
		if [ "$template" = spawnwatch-json ]; then
			cp "$TMP/received" "$TMP/json"
		else
			# <local6.info>1 TIMESTAMP HOST spawnwatch - - - JSON
			grep -cE '^<182>1 [^ ]+ [^ ]+ spawnwatch - - - \{' "$TMP/received" | grep -qx "$n" ||
				fail "not RFC 5424 from local6.info and tag spawnwatch: $(head -c 300 "$TMP/received")"
			sed -E 's/^<182>1 [^ ]+ [^ ]+ spawnwatch - - - //' "$TMP/received" >"$TMP/json"
		fi
		cmp -s "$TMP/json" "$TMP/sample.json" ||
			fail "rsyslog ($template) changed the lines: $(diff "$TMP/json" "$TMP/sample.json" | head -c 500)"
	done
	pass "rsyslog forwards each line whole ($n, one of 45 KiB) over TCP: RFC 5424 and plain JSON"
else
	echo "SKIP: no rsyslogd: contrib/rsyslog/spawnwatch.conf not tried"
fi

if command -v vector >/dev/null; then
	vector validate --no-environment "$VECTOR" >"$TMP/vector" 2>&1 || fail "vector validate: $(cat "$TMP/vector")"
	pass "vector validate accepts contrib/vector/spawnwatch.toml"
elif command -v python3 >/dev/null && python3 -c 'import tomllib' 2>/dev/null; then
	python3 - "$VECTOR" <<'EOF' || fail "contrib/vector/spawnwatch.toml is not what Vector reads"
import sys, tomllib
c = tomllib.load(open(sys.argv[1], "rb"))
src = c["sources"]["spawnwatch"]
assert src["type"] == "file" and src["include"] == ["/var/log/spawnwatch/events.json"], src
names = set(c["sources"]) | set(c["transforms"])
for kind in ("transforms", "sinks"):
    for name, comp in c[kind].items():
        assert comp["inputs"] and all(i in names for i in comp["inputs"]), (name, comp["inputs"])
assert {"elasticsearch", "kafka"} <= {s["type"] for s in c["sinks"].values()}
assert "parse_json" in c["transforms"]["spawnwatch_events"]["source"]
EOF
	echo "SKIP: no vector binary (not a Debian package): contrib/vector/spawnwatch.toml only read as TOML"
else
	echo "SKIP: no vector binary (not a Debian package) and no python3 tomllib: contrib/vector not checked"
fi

if command -v fluent-bit >/dev/null; then
	(cd "$(dirname "$FLUENTBIT")" && fluent-bit --dry-run -c "$FLUENTBIT") >"$TMP/fb" 2>&1 ||
		fail "fluent-bit --dry-run: $(cat "$TMP/fb")"
	pass "fluent-bit --dry-run accepts contrib/fluent-bit/spawnwatch.conf"
else
	echo "SKIP: no fluent-bit binary (not a Debian package): contrib/fluent-bit not validated"
fi
