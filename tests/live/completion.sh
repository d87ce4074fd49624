#!/bin/bash
# The bash and zsh completions (contrib/completion/), no root needed: every
# option of --help is in both, so that they cannot fall behind; bash
# completes subcommands, options, their values (a comma list for --events),
# users and files, with bash-completion's helpers and without them; zsh
# parses, and (in a pseudo-terminal) offers the same.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
SRC=$(dirname "$LIVE_LIB")/../..
BASHC=$SRC/contrib/completion/spawnwatch.bash
ZSHC=$SRC/contrib/completion/_spawnwatch
BC=/usr/share/bash-completion/bash_completion

# The options --help lists: "  -j, --json ..." and "      --format FMT ...".
"$SPAWNWATCH" --help >"$TMP/help" || fail "--help failed"
grep -oE '^ +(-[A-Za-z], )?--[a-z][a-z-]*' "$TMP/help" | grep -oE -- '--[a-z-]+$' | sort -u >"$TMP/long"
grep -oE '^ +-[A-Za-z],' "$TMP/help" | grep -oE -- '-[A-Za-z]' | sort -u >"$TMP/short"
[ "$(wc -l <"$TMP/long")" -ge 20 ] || fail "only $(wc -l <"$TMP/long") long options found in --help"
[ "$(wc -l <"$TMP/short")" -ge 10 ] || fail "only $(wc -l <"$TMP/short") short options found in --help"
for f in "$BASHC" "$ZSHC"; do
	while read -r o; do
		grep -qE -- "(^|[^a-z-])$o([^a-z-]|$)" "$f" || fail "$(basename "$f") lacks $o (in --help)"
	done <"$TMP/long"
	while read -r o; do
		grep -qE -- "(^|[^a-zA-Z-])$o([^a-zA-Z-]|$)" "$f" || fail "$(basename "$f") lacks $o (in --help)"
	done <"$TMP/short"
done
pass "every option of --help ($(wc -l <"$TMP/long") long, $(wc -l <"$TMP/short") short) is in both completions"

# complete MODE LINE: what bash offers at the end of LINE, sorted, on one
# line; MODE full loads bash-completion first, bare does not.
complete() {
	bash --norc --noprofile -c '
		if [ "$1" = full ]; then . "$4"; fi
		. "$2"
		# Outside a real completion compopt fails: nothing to test there.
		compopt() { :; }
		COMP_LINE=$3 COMP_POINT=${#3} COMP_TYPE=9 COMP_KEY=9
		# Split as readline does: "=" is a word of its own.
		read -ra COMP_WORDS <<<"${3//=/ = }"
		[[ $3 == *[\ =] ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_spawnwatch spawnwatch "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' bash "$1" "$BASHC" "$2" "$BC" 2>"$TMP/bash.err" |
		sort -u | tr '\n' ' ' | sed 's/ $//'
}

touch "$TMP/events.json" "$TMP/rules.ini"
modes=bare
[ -f "$BC" ] && modes="bare full"
for m in $modes; do
	expect() {
		local got
		got=$(complete "$m" "$1")
		[ "$got" = "$2" ] || fail "bash ($m): '$1<TAB>' gave '$got', expected '$2'"
	}
	expect 'spawnwatch --for' '--format'
	expect 'spawnwatch --format ' 'ecs json text'
	expect 'spawnwatch --format=j' 'json'
	expect 'spawnwatch -e fork,e' 'fork,exec fork,exit'
	expect 'spawnwatch --events exit,exec,' \
		'exit,exec,all exit,exec,comm exit,exec,coredump exit,exec,fork exit,exec,gid exit,exec,ptrace exit,exec,reparent exit,exec,sid exit,exec,uid'
	expect 'spawnwatch rep' 'replay'
	expect 'spawnwatch ' 'forest replay watch'
	expect 'spawnwatch --color ' 'always auto never'
	expect 'spawnwatch --color=n' 'never'
	expect 'spawnwatch --r' '--rcvbuf --rules --run-as --run-as-shared'
	expect 'spawnwatch replay --r' '--rules'
	expect 'spawnwatch forest --format ' 'json text'
	expect 'spawnwatch --syslog=' '/dev/log tcp:// udp://'
	expect "spawnwatch --user roo" 'root'
	expect "spawnwatch -Z nobod" 'nobody'
	expect "spawnwatch -o $TMP/ev" "$TMP/events.json"
	expect "spawnwatch --rules $TMP/ru" "$TMP/rules.ini"
	expect "spawnwatch replay $TMP/ev" "$TMP/events.json"
	expect "spawnwatch -p $$" "$(cd /proc && printf '%s\n' "$$"* | sort -u | tr '\n' ' ' | sed 's/ $//')"
	# After --, a command, then that command's own completion.
	complete "$m" 'spawnwatch -j -- bas' | grep -qw bash || fail "bash ($m): no command after --"
	pass "bash completion ($m): subcommands, options, values, event lists, users, files, pids"
done
[ "$modes" = "bare full" ] || echo "note: bash-completion is not installed: only tested without it"

if ! command -v zsh >/dev/null; then
	echo "SKIP: zsh is not installed: its completion was checked only for its options"
	exit 0
fi
zsh -n "$ZSHC" || fail "_spawnwatch does not parse"
mkdir "$TMP/fpath"
cp "$ZSHC" "$TMP/fpath/"
zexpect() {
	local got
	got=$(timeout 20 zsh -f "$SRC/tests/live/zcomplete.zsh" "$TMP/fpath" "$1" | sort -u | tr '\n' ' ' | sed 's/ $//')
	[ "$got" = "$2" ] || fail "zsh: '$1<TAB>' gave '$got', expected '$2'"
}
zexpect 'spawnwatch --for' '--format'
zexpect 'spawnwatch --format ' 'ecs json text'
zexpect 'spawnwatch rep' 'replay'
zexpect 'spawnwatch ' 'forest replay watch'
zexpect 'spawnwatch -e fork,e' 'exec exit'
zexpect 'spawnwatch --r' '--rcvbuf --rules --run-as --run-as-shared'
zexpect 'spawnwatch replay --r' '--rules'
zexpect 'spawnwatch forest --format ' 'json text'
zexpect 'spawnwatch --color=al' 'always'
zexpect 'spawnwatch --run-as nobod' 'nobody'
# Files: zsh keeps the directory and offers the names in it.
zexpect "spawnwatch replay $TMP/ev" "events.json"
zexpect "spawnwatch -o $TMP/ru" "rules.ini"
pass "zsh completion parses and offers subcommands, options, values, users, files"
