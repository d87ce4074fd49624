#!/bin/bash
# The false-alarm run: a stretch of ordinary admin work, for real, with
# spawnwatch watching.  apt (its methods drop to _apt and come back), dpkg,
# git (init, commit, clone, gc), gcc and make, curl against a local web
# server, logrotate with a postrotate script, sudo and su, useradd and
# userdel, run-parts, crontab -l, ssh-keygen, tar and xz, find | xargs,
# ps and ss, node and python3 scripts running commands, perl -e.  Nothing
# of it is an anomaly: any tag fails the test, but exec-from-tmp on a
# program or script that really lives under /tmp (the built program run
# from a work copy in /tmp, which is what that tag is for).
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
for c in git gcc make curl logrotate sudo su run-parts python3 perl tar xz \
	useradd userdel; do
	command -v "$c" >/dev/null || { echo "SKIP: no $c"; exit 77; }
done

# The work happens outside /tmp and /var/tmp, where admins work: a build
# in /tmp would make exec-from-tmp right, not wrong.
WORK=$(mktemp -d /var/lib/spawnwatch-admin.XXXXXX) || fail "mktemp in /var/lib"
ADMIN_USER=swadm$$
finish() {
	userdel -f "$ADMIN_USER" 2>/dev/null
	[ -n "${HTTP_PID:-}" ] && kill "$HTTP_PID" 2>/dev/null
	rm -rf "$WORK"
	cleanup
}
trap finish EXIT

cat >"$WORK/work.sh" <<'EOF'
#!/bin/bash
# Each step may fail for a reason of the machine (no network for apt):
# what is judged is what it starts, not whether it succeeds.
set -u
W=$1 USER_NAME=$2 TMPW=$3
cd "$W" || exit 1
step() { echo "== $*"; }

step apt
timeout 60 apt-get update -qq || true
(cd "$W" && timeout 60 apt-get download -qq hostname) || true
apt-cache policy bash >/dev/null
dpkg -l bash coreutils >/dev/null
dpkg-query -W -f '${Package}\n' bash >/dev/null

step git
git init -q repo && cd repo || exit 1
git config user.email admin@example.org && git config user.name admin
printf 'int main(void) { return 0; }\n' >m.c
printf 'all: m\nm: m.c\n\t$(CC) -O2 -o m m.c\n' >Makefile
git add . && git commit -qm "first" && git log --oneline >/dev/null
git status --short >/dev/null && git diff HEAD >/dev/null
cd "$W" && git clone -q repo repo2 && git -C repo2 gc -q --quiet

step gcc make
make -s -C repo2 CC=gcc && ./repo2/m
gcc -O2 -Wall -o hello repo/m.c && ./hello

step curl
mkdir -p www && echo hello >www/index.html
curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$HTTP_PORT/index.html"
curl -s "http://127.0.0.1:$HTTP_PORT/" | head -c 20 >/dev/null

step logrotate
mkdir -p logs && echo line >logs/app.log
printf '%s/logs/app.log {\n  rotate 2\n  compress\n  missingok\n  postrotate\n    /bin/true\n  endscript\n}\n' "$W" >lr.conf
chmod 0644 lr.conf
logrotate -f -s "$W/logs/state" lr.conf

step sudo su useradd
useradd --system --no-create-home --shell /bin/sh "$USER_NAME"
sudo -u "$USER_NAME" id >/dev/null
sudo true
su -s /bin/sh -c 'id -u' "$USER_NAME" >/dev/null
passwd -S "$USER_NAME" >/dev/null || true
userdel -f "$USER_NAME"

step run-parts cron
mkdir -p parts && printf '#!/bin/sh\nuptime >/dev/null\n' >parts/10-up && chmod +x parts/10-up
run-parts parts
crontab -l >/dev/null 2>&1 || true

step tools
ssh-keygen -q -t ed25519 -N '' -f "$W/key" >/dev/null 2>&1 || true
tar -cJf repo.tar.xz repo && tar -tJf repo.tar.xz >/dev/null
find "$W/repo" -name '*.c' -print0 | xargs -0 sha256sum >/dev/null
ps aux >/dev/null
ss -tln >/dev/null
df -h >/dev/null
perl -e 'print "ok\n"' >/dev/null
awk 'BEGIN { print 1 }' >/dev/null

step scripts
printf 'const { execSync } = require("child_process");\nexecSync("ls -l");\nexecSync("git -C repo log --oneline | head -1");\n' >s.js
if command -v node >/dev/null; then node s.js; fi
printf 'import subprocess\nsubprocess.run(["ls", "-l"], stdout=subprocess.DEVNULL)\nsubprocess.run("uname -a | cut -c1-10", shell=True, stdout=subprocess.DEVNULL)\n' >s.py
python3 s.py

step a program built in /tmp
cp hello "$TMPW/hello" && "$TMPW/hello"
echo done
EOF
chmod +x "$WORK/work.sh"

# A local web server for curl, ready when it answers.
mkdir -p "$WORK/www"
echo ready >"$WORK/www/ready"
HTTP_PORT=$((20000 + RANDOM % 20000))
python3 -m http.server "$HTTP_PORT" --bind 127.0.0.1 --directory "$WORK/www" \
	>/dev/null 2>&1 &
HTTP_PID=$!
wait_until 10 curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/ready" ||
	fail "the local web server did not answer"
export HTTP_PORT

# Only this test's processes: other work on the host is not judged here.
start_sw --pid $$
ALL=$TMP/all.json
mkdir -p "$TMP/w"
# SW_ADMIN_ROUNDS=N (by hand): the work N times over, for a longer run.
rounds=${SW_ADMIN_ROUNDS:-1}
rc=0
for ((round = 0; round < rounds && rc == 0; round++)); do
	rm -rf "$WORK/repo" "$WORK/repo2" "$WORK/parts" "$WORK/logs" "$WORK"/key* \
		"$WORK/repo.tar.xz" "$TMP/w/hello"
	timeout 240 "$WORK/work.sh" "$WORK" "$ADMIN_USER" "$TMP/w" >"$TMP/work.log" 2>&1
	rc=$?
done
grep -q '^done$' "$TMP/work.log" || { cat "$TMP/work.log" >&2; fail "the admin work did not finish (status $rc)"; }
# The last program's exec is in the stream before spawnwatch stops.
wait_until 10 has '.event == "exec" and .exe == "'"$TMP"'/w/hello"' ||
	fail "the program run from /tmp is not in the stream"
stop_sw
cp "$OUT" "$ALL"

execs=$(count '.event == "exec"' "$ALL")
[ "$execs" -ge 100 ] || fail "only $execs execs seen: the admin work did not run"
# What may be tagged: exec-from-tmp, alone, on a program or script under /tmp.
wrong=$(jq -c --arg t "$TMP/w/" '
	select((.tags // []) | length > 0)
	| select(((.tags == ["exec-from-tmp"]) and
		  ((.exe // "" | startswith($t)) or
		   ((.argv // [])[1:] | any(startswith($t))))) | not)
	| {event, pid, tags, exe, argv, ancestry: [(.ancestry // [])[] | .comm]}' "$ALL")
if [ -n "$wrong" ]; then
	echo "$wrong" | head -n 20 >&2
	fail "false alarms in ordinary admin work: $(echo "$wrong" | wc -l) tagged lines"
fi
right=$(count '.event == "exec" and (.tags // [] | index("exec-from-tmp")) and .exe == "'"$TMP"'/w/hello"' "$ALL")
[ "$right" -ge 1 ] || fail "the program run from /tmp was not tagged exec-from-tmp"
anom=$(count '.event == "anomaly"' "$ALL")
[ "$anom" = 0 ] || fail "$anom anomaly lines in ordinary admin work"
pass "admin work ($rounds round(s)): $execs execs, 0 false alarms, exec-from-tmp only on the program in /tmp"
