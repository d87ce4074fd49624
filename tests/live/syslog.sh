#!/bin/bash
# --syslog to a real rsyslogd on loopback, over UDP and TCP: each message's
# MSG is the event's JSON line, its header carries version 1, the event
# name as MSGID, spawnwatch's pid and the event's severity (anomaly
# warning, tagged notice, others info).  A TCP receiver killed mid-run and
# started again gets the events after, and a `lost` line (reason syslog,
# severity err) for what overflowed the queue while it was away.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

if ! command -v rsyslogd >/dev/null; then
	echo "SKIP: rsyslogd is not installed (apt-get install rsyslog)"
	exit 77
fi

RS_PID=
MSGS=$TMP/msg.log	# MSG alone, one per line
WHOLE=$TMP/whole.log	# PRI VERSION MSGID APP-NAME PROCID MSG

cleanup_rsyslog() {
	if [ -n "$RS_PID" ]; then
		kill -KILL "$RS_PID" 2>/dev/null
		wait "$RS_PID" 2>/dev/null
	fi
	cleanup
}
trap cleanup_rsyslog EXIT

listening() {
	ss -Hltn "sport = :$TCP" | grep -q . && ss -Hlun "sport = :$UDP" | grep -q .
}

# start_rsyslog: rsyslogd in the foreground, its own config and files in
# $TMP (nothing in /run or /etc), on the ports $UDP and $TCP.
start_rsyslog() {
	mkdir -p "$TMP/rs"
	cat >"$TMP/rsyslog.conf" <<-EOF
		global(workDirectory="$TMP/rs" maxMessageSize="64k")
		module(load="imudp")
		module(load="imtcp")
		input(type="imudp" address="127.0.0.1" port="$UDP")
		input(type="imtcp" address="127.0.0.1" port="$TCP")
		template(name="msg" type="string" string="%msg%\n")
		template(name="whole" type="string"
			 string="%pri% %protocol-version% %msgid% %app-name% %procid% %msg%\n")
		if \$app-name == "spawnwatch" then {
			action(type="omfile" file="$MSGS" template="msg")
			action(type="omfile" file="$WHOLE" template="whole")
		}
	EOF
	rsyslogd -n -f "$TMP/rsyslog.conf" -i "$TMP/rs/rsyslog.$RANDOM.pid" \
		>>"$TMP/rsyslogd.out" 2>&1 &
	RS_PID=$!
	wait_until 10 listening
}

stop_rsyslog() {
	kill "-${1:-TERM}" "$RS_PID"
	wait "$RS_PID" 2>/dev/null
	RS_PID=
}

# Two free ports, tried a few times over (another test may take one).
for _ in 1 2 3 4 5; do
	UDP=$((20000 + RANDOM % 20000))
	TCP=$((UDP + 1))
	ss -Hltn "sport = :$TCP" | grep -q . && continue
	ss -Hlun "sport = :$UDP" | grep -q . && continue
	start_rsyslog && break
	stop_rsyslog KILL
done
if [ -z "$RS_PID" ]; then
	echo "SKIP: rsyslogd did not start: $(head -c 500 "$TMP/rsyslogd.out" 2>/dev/null)"
	exit 77
fi

# The host may be busy (other tests, benchmarks): each run follows this
# script's subtree only (--pid $$); start, stop, lost lines come anyway.
#
# msgs PID: what spawnwatch PID sent, one JSON object per message with
# its header fields and .msg, the MSG parsed.
msgs() {
	grep -F " spawnwatch $1 " "$WHOLE" 2>/dev/null | jq -R -c --arg pid "$1" 'capture("^(?<pri>[0-9]+) (?<ver>[^ ]+) (?<msgid>[^ ]+) (?<app>[^ ]+) (?<procid>[0-9]+) (?<msg>.*)$")
		| select(.procid == $pid) | .pri |= tonumber | .msg |= fromjson' 2>/dev/null
}

# sent PID FILTER: whether one of PID's messages matches FILTER.
sent() {
	msgs "$1" | jq -e -s --arg mark "$MARK" "any(.[]; $2)" >/dev/null 2>&1
}

start_syslog_sw() {
	"$SPAWNWATCH" "$@" 2>>"$ERR" &
	SW_PID=$!
	wait_until 10 sent "$SW_PID" '.msg.event == "start"' ||
		fail "no start message from spawnwatch $*: $(cat "$TMP/rsyslogd.out")"
}

# The header agrees with the event in every message of PID.
check_headers() {
	msgs "$1" | jq -e -s 'length > 0 and all(.[]; .ver == "1" and .app == "spawnwatch" and
		.msgid == .msg.event and
		.pri == 24 + (if .msg.event == "anomaly" then 4 elif .msg.event == "lost" then 3
			      elif (.msg.tags // [] | length) > 0 then 5 else 6 end))' >/dev/null ||
		fail "a header does not match its event: $(msgs "$1" | jq -c '[.pri, .msgid, .msg.event, .msg.tags]' | sort | uniq -c | head)"
}

# A program run from /tmp is tagged exec-from-tmp (alive long enough for
# /proc to show where it runs from).
cp "$(type -P sleep)" "$TMP/swtagged"
cat >"$TMP/zombie.rules" <<EOF
[zombie-accumulation]
threshold = 3
EOF

# --- UDP, with an anomaly and a tagged exec --------------------------------
start_syslog_sw --pid $$ --syslog="udp://127.0.0.1:$UDP" --rules "$TMP/zombie.rules"
udp_pid=$SW_PID
sh -c 'sleep 0.2; :' "$MARK-udp"
"$TMP/swtagged" 0.2
# A parent that never reaps: 4 zombies, over the threshold of 3.
sh -c 'sleep 0.1 & sleep 0.1 & sleep 0.1 & sleep 0.1 & exec sleep 2.5' "$MARK-z"
wait_until 10 sent "$udp_pid" '.msg.event == "exec" and .msg.argv == ["sh", "-c", "sleep 0.2; :", "\($mark)-udp"]' ||
	fail "no exec of the marked command over UDP"
wait_until 10 sent "$udp_pid" '.msg.event == "anomaly" and .msg.tag == "zombie-accumulation"' ||
	fail "no zombie-accumulation anomaly over UDP"
sent "$udp_pid" '.pri == 28 and .msgid == "anomaly"' || fail "the anomaly is not severity warning (28)"
sent "$udp_pid" '.pri == 29 and .msg.event == "exec" and .msg.comm == "swtagged" and
	(.msg.tags | index("exec-from-tmp"))' || fail "the tagged exec is not severity notice (29)"
sent "$udp_pid" '.pri == 30 and .msg.argv[3] == "\($mark)-udp"' || fail "a plain exec is not severity info (30)"
stop_sw
[ "$SW_STATUS" = 0 ] || fail "spawnwatch --syslog=udp exited $SW_STATUS"
# UDP may drop under load: only what came is checked, and it came whole.
wait_until 10 sent "$udp_pid" '.msg.event == "stop"' || true
jq -e -s 'length > 0 and all(.[]; type == "object" and has("event") and has("seq"))' "$MSGS" >/dev/null ||
	fail "a MSG is not a JSON event: $(grep -v '^{' "$MSGS" | head -n 3)"
check_headers "$udp_pid"
msgs "$udp_pid" | jq -e -s '[.[].msg.seq] | . == sort and . == unique' >/dev/null ||
	fail "UDP messages out of order or repeated"
pass "UDP: each MSG the JSON line; severities info, notice, warning; MSGID the event"

# --- TCP: whole stream, every line in order --------------------------------
start_syslog_sw --pid $$ --syslog="tcp://127.0.0.1:$TCP"
tcp_pid=$SW_PID
sh -c 'sleep 0.2; :' "$MARK-tcp"
"$TMP/swtagged" 0.2
wait_until 10 sent "$tcp_pid" '.msg.event == "exec" and .msg.argv == ["sh", "-c", "sleep 0.2; :", "\($mark)-tcp"]' ||
	fail "no exec of the marked command over TCP"
stop_sw
[ "$SW_STATUS" = 0 ] || fail "spawnwatch --syslog=tcp exited $SW_STATUS"
wait_until 10 sent "$tcp_pid" '.msg.event == "stop"' || fail "no stop message over TCP"
check_headers "$tcp_pid"
msgs "$tcp_pid" | jq -c .msg >"$TMP/tcp.json"
check_stream "$TMP/tcp.json"
sent "$tcp_pid" '.pri == 29 and .msg.event == "exec" and .msg.comm == "swtagged"' ||
	fail "the tagged exec is not severity notice over TCP"
pass "TCP: octet-counted frames, all $(wc -l <"$TMP/tcp.json") messages whole, seq without a gap"

# --- TCP: the receiver dies and comes back ---------------------------------
start_syslog_sw --pid $$ --syslog="tcp://127.0.0.1:$TCP"
drop_pid=$SW_PID
sh -c 'sleep 0.2; :' "$MARK-before"
wait_until 10 sent "$drop_pid" '.msg.argv[3]? == "\($mark)-before"' || fail "no exec before the drop"
stop_rsyslog KILL
# More than the 4 MiB queue while nobody listens: 400 execs of 16 KB each.
big=$(head -c 16000 /dev/zero | tr '\0' x)
for _ in $(seq 400); do
	/bin/true "$big"
done
start_rsyslog || fail "rsyslogd did not start again"
for _ in $(seq 60); do
	sh -c 'sleep 0.2; :' "$MARK-after"
	sent "$drop_pid" '.msg.argv[3]? == "\($mark)-after"' && break
	sleep 0.5
done
sent "$drop_pid" '.msg.argv[3]? == "\($mark)-after"' || fail "no events after rsyslogd came back"
wait_until 10 sent "$drop_pid" '.msg.event == "lost" and .msg.reason == "syslog"' ||
	fail "no lost line after the drop: $(msgs "$drop_pid" | jq -c 'select(.msg.event == "lost")')"
sent "$drop_pid" '.msg.event == "lost" and .msg.reason == "syslog" and .pri == 27 and
	(.msg.count | type == "number" and . > 0)' ||
	fail "lost line wrong: $(msgs "$drop_pid" | jq -c 'select(.msg.event == "lost") | [.pri, .msg]')"
# Told before what came after it.
lost_seq=$(msgs "$drop_pid" | jq -s '[.[] | select(.msg.event == "lost") | .msg.seq] | first')
after_seq=$(msgs "$drop_pid" | jq -s --arg mark "$MARK" '[.[] | select(.msg.argv[3]? == "\($mark)-after") | .msg.seq] | last')
[ "$lost_seq" -lt "$after_seq" ] || fail "lost line (seq $lost_seq) after the later events ($after_seq)"
stop_sw
[ "$SW_STATUS" = 0 ] || fail "spawnwatch exited $SW_STATUS after the drop"
check_headers "$drop_pid"
pass "TCP drop: reconnected, lost line (reason syslog, err) for $(msgs "$drop_pid" |
	jq -s '[.[] | select(.msg.event == "lost") | .msg.count] | add') messages, events after it"
