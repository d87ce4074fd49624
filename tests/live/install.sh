#!/bin/bash
# make install DESTDIR=... from the build directory (no root needed): the
# binary, the three man pages, the unit (where configure put it) with this
# build's paths, the bash and zsh completions, the rules file the unit
# reads, and contrib/ under the documentation directory; nothing else.  A
# second install keeps an edited rules file; make uninstall removes the
# rest, and the rules file once it is as shipped.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
SRC=$(dirname "$LIVE_LIB")/../..
BUILD=$(dirname "${SW_REAL:-$SPAWNWATCH}")
if [ ! -f "$BUILD/Makefile" ]; then
	echo "SKIP: $BUILD is not a build directory"
	exit 77
fi
# make, without the make check that runs this test in its environment.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES make -s -C "$BUILD" "$@"
}
printf 'print-dirs:\n\t@printf "%%s\\n" "$(bindir)" "$(mandir)" "$(docdir)" "$(datadir)" "$(sysconfdir)" "$(systemdsystemunitdir)" "$(bashcompletiondir)"\n' >"$TMP/print.mk"
mapfile -t d < <(mk -f Makefile -f "$TMP/print.mk" print-dirs)
[ "${#d[@]}" = 7 ] || fail "could not read the install directories: ${d[*]}"
bindir=${d[0]} mandir=${d[1]} docdir=${d[2]} datadir=${d[3]} sysconfdir=${d[4]} unitdir=${d[5]} bcdir=${d[6]}

R=$TMP/root
mk install DESTDIR="$R" >"$TMP/install.log" 2>&1 || fail "make install: $(tail -n 20 "$TMP/install.log")"
{
	echo "$bindir/spawnwatch"
	echo "$mandir/man1/spawnwatch.1"
	echo "$mandir/man5/spawnwatch-rules.5"
	echo "$mandir/man5/spawnwatch-json.5"
	echo "$sysconfdir/spawnwatch/rules"
	echo "$datadir/zsh/site-functions/_spawnwatch"
	[ -n "$bcdir" ] && echo "$bcdir/spawnwatch"
	[ -n "$unitdir" ] && echo "$unitdir/spawnwatch.service"
	for f in spawnwatch.rules spawnwatch.service logrotate watch-storms rsyslog/spawnwatch.conf \
		vector/spawnwatch.toml fluent-bit/spawnwatch.conf fluent-bit/spawnwatch-parsers.conf \
		jq/top-spawners.jq jq/web-shells.jq jq/zombie-factories.jq jq/runaway-cron.jq jq/fork-rate.jq; do
		echo "$docdir/contrib/$f"
	done
} | sort >"$TMP/expected"
(cd "$R" && find . -type f | sed 's|^\.||' | sort) >"$TMP/installed"
diff "$TMP/expected" "$TMP/installed" >&2 || fail "make install did not install what is expected (< expected, > installed)"

[ -x "$R$bindir/spawnwatch" ] && "$R$bindir/spawnwatch" --version >/dev/null || fail "the installed binary does not run"
[ -x "$R$docdir/contrib/watch-storms" ] || fail "watch-storms is not executable"
cmp -s "$R$sysconfdir/spawnwatch/rules" "$SRC/contrib/spawnwatch.rules" || fail "the rules file is not contrib's"
[ -z "$bcdir" ] || cmp -s "$R$bcdir/spawnwatch" "$SRC/contrib/completion/spawnwatch.bash" ||
	fail "the bash completion is not contrib's"
for u in "$R$docdir/contrib/spawnwatch.service" ${unitdir:+"$R$unitdir/spawnwatch.service"}; do
	grep -qx "ExecStart=$bindir/spawnwatch --json --output /var/log/spawnwatch/events.json --run-as spawnwatch --rules $sysconfdir/spawnwatch/rules" "$u" ||
		fail "$u: $(grep ExecStart= "$u")"
done
if command -v groff >/dev/null; then
	for m in man1/spawnwatch.1 man5/spawnwatch-rules.5 man5/spawnwatch-json.5; do
		w=$(groff -man -Tutf8 -ww -z "$R$mandir/$m" 2>&1)
		[ -z "$w" ] || fail "$m: $w"
	done
fi
pass "make install: $(wc -l <"$TMP/expected") files where expected${unitdir:+, the unit in $unitdir}${bcdir:+, bash completion in $bcdir}"

# An edited rules file survives a second install and make uninstall.
echo '# edited' >>"$R$sysconfdir/spawnwatch/rules"
mk install DESTDIR="$R" >"$TMP/install.log" 2>&1 || fail "second make install: $(tail -n 20 "$TMP/install.log")"
tail -n 1 "$R$sysconfdir/spawnwatch/rules" | grep -qx '# edited' || fail "make install overwrote an edited rules file"
mk uninstall DESTDIR="$R" >"$TMP/uninstall.log" 2>&1 || fail "make uninstall: $(tail -n 20 "$TMP/uninstall.log")"
[ "$(cd "$R" && find . -type f)" = "./${sysconfdir#/}/spawnwatch/rules" ] ||
	fail "make uninstall left: $(cd "$R" && find . -type f | tr '\n' ' ')"
cp "$SRC/contrib/spawnwatch.rules" "$R$sysconfdir/spawnwatch/rules"
mk uninstall DESTDIR="$R" >"$TMP/uninstall.log" 2>&1 || fail "make uninstall: $(tail -n 20 "$TMP/uninstall.log")"
[ -z "$(cd "$R" && find . -type f)" ] || fail "make uninstall left: $(cd "$R" && find . -type f | tr '\n' ' ')"
pass "an edited rules file is kept by make install and make uninstall; the rest is uninstalled"
