#!/bin/bash
# masquerade on real processes: exec -a '[kworker/0:1]', exec -a sshd of a
# copy in /tmp, a copy named kswapd0 in a hidden directory, renames to a
# kernel thread's name (/proc/self/comm, perl's $0 through prctl); and the
# near misses: a login shell's -bash, sh for dash, awk and vi by their
# alternatives, python3 for python3.11, busybox applets, argv[0] a path or
# a symlink to the program, exec -a of a new name (no installed program's,
# no daemon's: it hides nothing), perl retitling itself "sshd: u@pts/0".
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

bin=$(command -v sleep)
cp "$bin" "$TMP/x"
mkdir -p "$TMP/.X25-unix/.rsync"
cp "$bin" "$TMP/.X25-unix/.rsync/kswapd0"
ln -s "$bin" "$TMP/nap"
execed() { has ".event == \"exec\" and .pid == $1"; }
masq() { jq -c "select(.pid == $1 and .event == \"$2\") | (.tags // [])" "$OUT" | grep -q '"masquerade"'; }

start_sw
# War stories.
bash -c 'exec -a "[kworker/0:1]" sleep 30' &
kw=$!
bash -c 'exec -a sshd "$1" 30' bash "$TMP/x" &
sshd=$!
bash -c 'cd "$1" && exec ./kswapd0 30' bash "$TMP/.X25-unix/.rsync" &
ksw=$!
bash -c 'printf kworker/0:2 >/proc/self/comm; exec sleep 30' &
ren=$!
perl -e '$0 = "[kworker/0:5]"; sleep 30' &
prl=$!
vi_=''
if [ -x /usr/bin/vi ] && [ "$(readlink -f /usr/bin/vi)" != "$(readlink -f "$bin")" ]; then
	bash -c 'exec -a vi "$1" 30' bash "$TMP/x" &
	vi_=$!
fi
# Near misses.
bash -c 'exec -a -bash bash -c "sleep 30"' &
login=$!
sh -c 'exec sleep 30' &
sh_=$!
awk 'BEGIN { exit 0 }' &
awk_=$!
bash -c 'exec -a mytool sleep 30' &
newname=$!
bash -c 'exec -a /bin/sleep sleep 30' &
path=$!
"$TMP/nap" 30 &
link=$!
perl -e '$0 = "sshd: u\@pts/0"; sleep 30' &
title=$!
bash -c 'printf worker-1 >/proc/self/comm; exec sleep 30' &
worker=$!
bb1='' bb2=''
if command -v busybox >/dev/null; then
	ln -s "$(command -v busybox)" "$TMP/ls"
	bash -c 'exec -a ls busybox -d /' >/dev/null &
	bb1=$!
	"$TMP/ls" -d / >/dev/null &
	bb2=$!
fi
py=''
if [ -x /usr/bin/python3 ]; then
	env PATH=/usr/bin python3 -c 'import time; time.sleep(30)' &
	py=$!
fi
vim_=''
if [ -x /usr/bin/vi ]; then
	env PATH=/usr/bin vi --version >/dev/null &
	vim_=$!
fi
for p in "$kw" "$sshd" "$ksw" "$login" "$sh_" "$awk_" "$newname" "$path" "$link"; do
	wait_until 10 execed "$p" || fail "no exec of pid $p"
done
wait_until 10 eval 'has ".event == \"comm\" and .pid == $ren" && has ".event == \"comm\" and .pid == $prl"' ||
	fail "no rename seen"
wait_until 10 eval 'has ".event == \"comm\" and .pid == $title" && has ".event == \"comm\" and .pid == $worker"' ||
	fail "no retitle seen"
all=()
for p in "$kw" "$sshd" "$ksw" "$ren" "$prl" "$vi_" "$login" "$sh_" "$awk_" "$newname" \
	"$path" "$link" "$title" "$worker" "$bb1" "$bb2" "$py" "$vim_"; do
	[ -z "$p" ] || all+=("$p")
done
kill "${all[@]}" 2>/dev/null
wait "${all[@]}" 2>/dev/null
stop_sw
check_stream

masq "$kw" exec || fail "exec -a '[kworker/0:1]' not tagged: $(jq -c "select(.pid == $kw)" "$OUT")"
masq "$sshd" exec || fail "exec -a sshd of a copy not tagged: $(jq -c "select(.pid == $sshd)" "$OUT")"
masq "$ksw" exec || fail "a copy named kswapd0 not tagged"
masq "$ren" comm || fail "a rename to kworker/0:2 not tagged: $(jq -c "select(.pid == $ren)" "$OUT")"
masq "$prl" comm || fail "perl's \$0 = [kworker/0:5] not tagged"
[ -z "$vi_" ] || masq "$vi_" exec || fail "exec -a vi of a copy not tagged"
n=5
[ -z "$vi_" ] || n=6
pass "masquerade: [kworker/0:1], sshd, kswapd0, a rename, perl's \$0${vi_:+, vi}: $n of $n"

# Not one: every line of the near misses and of their children.
near=("$login" "$sh_" "$awk_" "$newname" "$path" "$link" "$title" "$worker")
for p in "$bb1" "$bb2" "$py" "$vim_"; do
	[ -z "$p" ] || near+=("$p")
done
for p in "${near[@]}"; do
	[ "$(count "(.pid == $p or .ppid == $p) and (.tags // [] | index(\"masquerade\"))")" = 0 ] ||
		fail "a near miss was tagged: $(jq -c "select((.pid == $p or .ppid == $p) and (.tags // [] | index(\"masquerade\")))" "$OUT")"
done
has ".pid == $newname and .event == \"exec\" and .argv[0] == \"mytool\"" || fail "exec -a mytool not seen"
[ "$(count '.tags // [] | index("masquerade")')" -le 7 ] ||
	fail "tagged elsewhere: $(jq -c 'select(.tags // [] | index("masquerade")) | [.pid, .event, .argv, .exe]' "$OUT")"
pass "near misses untagged: -bash, sh, awk, exec -a mytool, a path, a symlink, a retitle, a rename${bb1:+, busybox}${py:+, python3}${vim_:+, vi}"

# Switched off in a rules file, nothing is tagged.
printf '[masquerade]\nenabled = no\n' >"$TMP/off.rules"
start_sw --rules "$TMP/off.rules"
bash -c 'exec -a "[kworker/0:1]" sleep 0.1' &
p=$!
wait_until 10 execed "$p" || fail "no exec with the rule off"
wait "$p"
stop_sw
[ "$(count '.tags // [] | index("masquerade")')" = 0 ] || fail "enabled = no still tags"
pass "[masquerade] enabled = no"
