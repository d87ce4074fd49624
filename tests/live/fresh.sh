#!/bin/bash
# The README's first command as a newcomer meets it: a git clone in a
# folder outside /tmp, on a machine without the test-only packages (cmocka
# hidden from pkg-config).  ./autogen.sh && ./configure && make builds
# without a warning, ./spawnwatch starts and streams, make install puts the
# binary and the man pages in place, and make check stops at once with one
# line that names libcmocka-dev.  The clone holds this tree as it stands
# (what `git add -A` would commit), so uncommitted work is tried too.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
if [ -n "${SANITIZED:-}" ] || [ -n "${VALGRIND:-}" ]; then
	echo "SKIP: the newcomer's build runs once, in the plain build"
	exit 77
fi
SRC=$(cd "$(dirname "$LIVE_LIB")/../.." && pwd -P)
command -v git >/dev/null || { echo "SKIP: no git"; exit 77; }
# A release tarball has no .git (distcheck unpacks one inside the checkout).
[ "$(git -C "$SRC" rev-parse --show-toplevel 2>/dev/null)" = "$SRC" ] ||
	{ echo "SKIP: $SRC is not a git checkout (a release tarball)"; exit 77; }

DIR=$(mktemp -d /var/tmp/spawnwatch-fresh.XXXXXX)
trap 'rm -rf "$DIR"; cleanup' EXIT
C=$DIR/spawnwatch
git clone -q "$SRC" "$C" || fail "git clone failed"
# This tree's files over the clone's: tracked and new, never ignored.
git -C "$C" ls-files -z | (cd "$C" && xargs -0 rm -f)
(cd "$SRC" && git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
	xargs -0 cp --parents -t "$C") || fail "cannot copy the tree"

# pkg-config that has never heard of cmocka.
mkdir "$DIR/bin"
printf '#!/bin/sh\nfor a; do case $a in cmocka*) exit 1 ;; esac; done\nexec %s "$@"\n' \
	"$(command -v pkg-config)" >"$DIR/bin/pkg-config"
chmod +x "$DIR/bin/pkg-config"
export PATH=$DIR/bin:$PATH
pkg-config --exists cmocka && fail "cmocka is still visible"

cd "$C" || fail "no clone"
(./autogen.sh && ./configure) >"$DIR/configure.log" 2>&1 ||
	fail "configure failed without cmocka: $(grep -m 3 -iE 'error|not met' "$DIR/configure.log")"
grep -q 'unit tests: none: make check needs cmocka (install libcmocka-dev)' "$DIR/configure.log" ||
	fail "configure does not say that make check needs cmocka"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -j2 >"$DIR/make.log" 2>&1 ||
	fail "make failed: $(tail -n 5 "$DIR/make.log")"
! grep -iE 'warning|error' "$DIR/make.log" || fail "the build is not quiet"
pass "a clone in $DIR builds without cmocka, without a warning"

# ./spawnwatch, as the README starts it: the text stream, live.
./spawnwatch >"$DIR/stream.txt" 2>"$ERR" &
SW_PID=$!
wait_until 10 grep -q ' start  *spawnwatch ' "$DIR/stream.txt" ||
	fail "no start line: $(cat "$DIR/stream.txt")"
sh -c 'exit 3' "$MARK"
wait_until 10 grep -q "exit .*$MARK.* status=3" "$DIR/stream.txt" ||
	fail "the marked process is not in the stream: $(tail -n 5 "$DIR/stream.txt")"
stop_sw
[ "$SW_STATUS" = 0 ] || fail "./spawnwatch stopped with status $SW_STATUS"
tail -n 1 "$DIR/stream.txt" | grep -q ' stop  *[0-9]* lines, 0 events lost' ||
	fail "no stop line: $(tail -n 1 "$DIR/stream.txt")"
pass "./spawnwatch streams: start line, a process's exit status, stop line"

st=0
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make check >"$DIR/check.out" 2>"$DIR/check.err" || st=$?
[ "$st" != 0 ] || fail "make check passed without cmocka"
[ "$(grep -c 'install libcmocka-dev' "$DIR/check.err")" = 1 ] ||
	fail "make check does not name libcmocka-dev: $(cat "$DIR/check.err")"
! grep -q 'CC' "$DIR/check.out" || fail "make check compiled before it stopped"
[ ! -e tests/unit/test-decode ] || fail "make check built a unit test"
pass "make check without cmocka stops at once: $(grep 'libcmocka' "$DIR/check.err")"

# The README's second command after the first: the in-place build gives
# way to the ones in build/ (here only the first step, without apt-get).
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL SPAWNWATCH_NO_APT=1 tests/run --build-only \
	>"$DIR/run.log" 2>&1 || fail "tests/run after the first command: $(tail -n 5 "$DIR/run.log")"
grep -q 'configured in place' "$DIR/run.log" || fail "tests/run did not say it cleaned the in-place build"
build/spawnwatch --version | grep -q '^spawnwatch ' || fail "tests/run did not build build/spawnwatch"
[ ! -e spawnwatch ] || fail "the in-place build is still there"
pass "tests/run after the first command: cleans the in-place build, builds in build/"

(./configure && make -j2) >"$DIR/make2.log" 2>&1 || fail "in-place build again: $(tail -n 5 "$DIR/make2.log")"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make install DESTDIR="$DIR/root" >"$DIR/install.log" 2>&1 ||
	fail "make install failed: $(tail -n 5 "$DIR/install.log")"
for f in bin/spawnwatch share/man/man1/spawnwatch.1 share/man/man5/spawnwatch-rules.5 \
	share/man/man5/spawnwatch-json.5; do
	[ -s "$DIR/root/usr/local/$f" ] || fail "make install did not install $f"
done
"$DIR/root/usr/local/bin/spawnwatch" --version | grep -q '^spawnwatch ' || fail "the installed binary does not run"
pass "make install without cmocka: the binary and the three man pages"
