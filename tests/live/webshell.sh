#!/bin/bash
# web-shell on real stacks, each with its own configuration in a temp dir
# and listening on a socket there: nginx with php-fpm serving a page that
# runs system("ping -c 1 " . $_GET['host']), nginx with fcgiwrap (started
# here, as systemd's socket would) running a bash CGI that evals its query,
# and a node server (detached from this shell, as a service runs) that
# passes the query to child_process.exec.  Each stack gets benign requests
# (a plain host: no tag) and injected ones (;id, $(whoami), |cat
# /etc/passwd, &&uname -a, backticks: tagged); a node program run from an
# interactive shell running the same commands is no server.  Every request
# is followed by a sync exec, so that what it started is counted alone.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
PHPFPM=$(compgen -c php-fpm | grep -E '^php-fpm[0-9.]+$' | sort -V | tail -n 1)
for c in nginx fcgiwrap node curl ping setsid "${PHPFPM:-php-fpm}"; do
	command -v "$c" >/dev/null || { echo "SKIP: no $c"; exit 77; }
done

W=$TMP/web
mkdir -p "$W/www" "$W/cgi-bin" "$W/nginx"
NGINX_PID='' FPM_PID='' FCGI_PID='' NODE_PID=''
# group_gone PGID: every process of the group has ended.
group_gone() {
	local p
	for p in $(pgrep -g "$1"); do
		gone "$p" || return 1
	done
}
stop_stacks() {
	local p
	[ -n "$FCGI_PID" ] && kill -- "-$FCGI_PID" 2>/dev/null
	for p in "$NODE_PID" "$FCGI_PID" "$FPM_PID" "$NGINX_PID"; do
		[ -n "$p" ] && kill "$p" 2>/dev/null
	done
	for p in "$NODE_PID" "$FCGI_PID" "$FPM_PID" "$NGINX_PID"; do
		[ -n "$p" ] && wait_until 10 gone "$p"
	done
	[ -z "$FCGI_PID" ] || wait_until 10 group_gone "$FCGI_PID"
	NGINX_PID='' FPM_PID='' FCGI_PID='' NODE_PID=''
}
trap 'stop_stacks; cleanup' EXIT

cat >"$W/www/ping.php" <<'EOF'
<?php
header("Content-Type: text/plain");
system("ping -c 1 -W 1 " . $_GET['host']);
EOF
cat >"$W/cgi-bin/ping.sh" <<'EOF'
#!/bin/bash
printf 'Content-Type: text/plain\r\n\r\n'
q=${QUERY_STRING#host=}
q=${q//+/ }
printf -v q '%b' "${q//%/\\x}"
eval "ping -c 1 -W 1 $q" 2>&1
EOF
chmod 755 "$W/cgi-bin/ping.sh"
cat >"$W/server.js" <<'EOF'
const http = require("http"), { exec } = require("child_process");
http.createServer((req, res) => {
	const host = new URL(req.url, "http://x").searchParams.get("host") || "";
	exec("ping -c 1 -W 1 " + host, (err, out, errout) => res.end(out + errout));
}).listen(process.argv[2]);
EOF
cat >"$W/nginx.conf" <<EOF
user root root;
worker_processes 1;
pid $W/nginx.pid;
error_log $W/nginx/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $W/nginx/body;
	fastcgi_temp_path $W/nginx/fastcgi;
	proxy_temp_path $W/nginx/proxy;
	uwsgi_temp_path $W/nginx/uwsgi;
	scgi_temp_path $W/nginx/scgi;
	server {
		listen unix:$W/nginx.sock;
		root $W/www;
		location ~ \.php\$ {
			include /etc/nginx/fastcgi_params;
			fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
			fastcgi_pass unix:$W/php.sock;
		}
		location /cgi-bin/ {
			include /etc/nginx/fastcgi_params;
			fastcgi_param SCRIPT_FILENAME $W\$fastcgi_script_name;
			fastcgi_pass unix:$W/fcgiwrap.sock;
		}
	}
}
EOF
cat >"$W/php-fpm.conf" <<EOF
[global]
pid = $W/php-fpm.pid
error_log = $W/php-fpm.log
daemonize = no
[web]
user = root
group = root
listen = $W/php.sock
listen.mode = 0666
pm = static
pm.max_children = 2
EOF

start_sw
"$PHPFPM" -R -F -y "$W/php-fpm.conf" >/dev/null 2>&1 &
FPM_PID=$!
# fcgiwrap's preforked children outlive their parent: its own group.
setsid fcgiwrap -c 2 -s "unix:$W/fcgiwrap.sock" >/dev/null 2>&1 &
FCGI_PID=$!
nginx -c "$W/nginx.conf" -p "$W/nginx" -g 'daemon off;' >/dev/null 2>&1 &
NGINX_PID=$!
# The node server as a service runs: detached, its parent not this shell.
setsid -f node "$W/server.js" "$W/node.sock" >/dev/null 2>&1
wait_until 10 test -S "$W/php.sock" || fail "php-fpm did not listen: $(cat "$W/php-fpm.log" 2>/dev/null)"
wait_until 10 test -S "$W/fcgiwrap.sock" || fail "fcgiwrap did not listen"
wait_until 10 test -S "$W/nginx.sock" || fail "nginx did not listen: $(cat "$W/nginx/error.log" 2>/dev/null)"
wait_until 10 test -S "$W/node.sock" || fail "node did not listen"
NODE_PID=$(pgrep -f "^node $W/server.js" | head -n 1)
[ -n "$NODE_PID" ] || fail "no node server"

# Each request's interval of time, and what it started is what began
# within it: the lines' ts is the kernel's, whatever order they come in.
: >"$TMP/requests"
# request STACK KIND SOCKET URL: fetches URL; BODY what it answered.
request() {
	local t0 t1
	t0=$(date +%s.%N)
	BODY=$(curl -s --max-time 10 --unix-socket "$3" "http://localhost$4") ||
		fail "curl $4 on $3 failed"
	t1=$(date +%s.%N)
	printf '%s %s %s %s %s\n' "$1" "$2" "$t0" "$t1" "$4" >>"$TMP/requests"
}

# shellcheck disable=SC2016 # what the attacker types, unexpanded
INJECTED=('127.0.0.1;id' '$(whoami)' '127.0.0.1|cat /etc/passwd' '127.0.0.1&&uname -a' '`id`')
BENIGN=('127.0.0.1' 'localhost')
# stack NAME SOCKET PATH: the benign and injected requests to one stack.
stack() {
	local name=$1 sock=$2 path=$3 q
	for q in "${BENIGN[@]}"; do
		request "$name" benign "$sock" "$path?host=$(jq -rn --arg q "$q" '$q | @uri')"
		echo "$BODY" | grep -q ' 1 received' || fail "$name: the page did not ping $q: $BODY"
	done
	for q in "${INJECTED[@]}"; do
		request "$name" injected "$sock" "$path?host=$(jq -rn --arg q "$q" '$q | @uri')"
		case $q in
		*';id') echo "$BODY" | grep -q 'uid=0' || fail "$name: $q did not run: $BODY" ;;
		esac
	done
}

stack nginx+php-fpm "$W/nginx.sock" /ping.php
stack nginx+fcgiwrap "$W/nginx.sock" /cgi-bin/ping.sh
stack node "$W/node.sock" /


# Near miss: node run from an interactive shell, the same injected
# command through exec, is a program of the person at the terminal.
t0=$(date +%s.%N)
bash -ic "node -e 'require(\"child_process\").execSync(\"ping -c 1 -W 1 127.0.0.1;id\")' >/dev/null; true" \
	>/dev/null 2>&1 </dev/null
printf 'terminal benign %s %s node\n' "$t0" "$(date +%s.%N)" >>"$TMP/requests"
stop_stacks
stop_sw
# The node server was asked whether it listens, once per suspect shell.
conn=$(jq -c 'select(.event == "stop") | .stats.conn' "$OUT")
echo "$conn" | jq -e '.listens >= 5' >/dev/null || fail "stop line's conn.listens: $conn"

# tagged_in T0 T1: the web-shell exec lines that began from T0 to T1.
tagged_in() {
	jq -c --argjson t0 "$1" --argjson t1 "$2" 'select(.event == "exec" and
		(.tags // [] | index("web-shell")) and
		((.ts[0:19] + "Z" | fromdate) + ("0" + .ts[19:-1] | tonumber)) as $t |
		$t >= $t0 and $t <= $t1)' "$OUT" | wc -l
}
summary=
for name in nginx+php-fpm nginx+fcgiwrap node terminal; do
	detected=0 injected=0 alarms=0 benign=0
	while read -r st kind t0 t1 url; do
		[ "$st" = "$name" ] || continue
		n=$(tagged_in "$t0" "$t1")
		if [ "$kind" = injected ]; then
			injected=$((injected + 1))
			if [ "$n" -ge 1 ]; then detected=$((detected + 1)); else echo "$name: $url not tagged" >&2; fi
		else
			benign=$((benign + 1))
			if [ "$n" -ge 1 ]; then alarms=$((alarms + 1)); echo "$name: $url tagged" >&2; fi
		fi
	done <"$TMP/requests"
	echo "$name: $detected/$injected injected detected, $alarms/$benign benign tagged"
	summary="$summary $name $detected/$injected ($alarms/$benign false)"
	[ "$detected" = "$injected" ] && [ "$alarms" = 0 ] || FAILED="$FAILED $name"
done
[ "$(count '.event == "exec" and .argv == ["/bin/sh", "-c", "ping -c 1 -W 1 127.0.0.1;id"] and .ancestry[0].comm == "node" and .ancestry[1].comm == "bash"')" = 1 ] ||
	fail "the terminal's node did not run its shell"
# The servers themselves and their CGI are never tagged.
[ "$(count '(.tags // [] | index("web-shell")) and (.comm == "nginx" or (.comm | startswith("php-fpm")) or .comm == "fcgiwrap" or .comm == "node" or (.argv[1] // "" | endswith("ping.sh")))')" = 0 ] ||
	fail "a server or the CGI tagged"
[ -z "${FAILED:-}" ] || fail "missed or false alarms on:$FAILED"
pass "web-shell on real stacks:$summary"
