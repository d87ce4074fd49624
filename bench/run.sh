#!/bin/bash
# bench/run.sh: how spawnwatch keeps up with process-event storms, next to
# forkstat and extrace.
#
#   bench/run.sh [--quick] [--build DIR] [--json-out FILE] [--reps N]
#                [--storms LIST] [--n-threads N] [--n-procs N] [--keep DIR]
#
#   --quick          tiny storms (2000 threads, 300 children), 1 rep: seconds
#   --build DIR      use DIR/spawnwatch and DIR/bench/storm, no build
#   --json-out FILE  also write the rows as JSON lines to FILE
#   --reps N         runs of each tool per storm (default 2, --quick 1)
#   --storms LIST    threads,exec (default); also fork, zombies, orphans
#   --n-threads N    threads in the thread storm (default 100000)
#   --n-procs N      children in the other storms (default 10000)
#   --keep DIR       keep every monitor's output and stderr in DIR
#
# For each storm (bench/storm: by default a thread storm and a fork+exec
# storm, 2 workers each) it runs, alternately and --reps times over:
#   none      the storm alone, the baseline for the rate
#   sw-file   spawnwatch --json -o FILE
#   sw-null   spawnwatch --json --stats >/dev/null
#   forkstat  forkstat -e fork,exec,exit >FILE
#   extrace   extrace -o FILE (storms that exec only)
# (spawnwatch gets --threads in the thread storm, or it would print none of
# the thread events it is sent.)  Each monitor is started, given time to be
# ready (spawnwatch: its start line; all: its CPU time settles), the storm
# runs, the monitor is given time to catch up (its CPU time settles again:
# "lag"), its CPU time and VmHWM are read from /proc and it is stopped with
# SIGINT.  Reported per run:
#   rate, rel    storm units per second, and relative to the no-monitor runs
#   events       process events the storm caused (forks + threads + execs +
#                exits, its own exec and exit included), ev/s the same per s
#   expected     events the tool should print (extrace: execs only)
#   seen         those it printed: lines whose pid descends from the
#                storm's (by the fork lines) or whose argv has the storm's
#                mark (forkstat: also tasks it could not name, "<unknown>";
#                extrace: also execs whose argv was gone); sw-null: events
#                spawnwatch received in all, from --stats (system-wide, ~N)
#   missing      expected - seen, when positive
#   lost         spawnwatch's own count (stop line or --stats)
#   CPU s, CPU/100k  the monitor's utime+stime, and per 100k storm events
#   RSS MiB      the monitor's peak resident set (VmHWM)
# Without --build, spawnwatch and bench/storm are built from this tree in a
# temporary directory (autogen.sh, configure, make).  --json-out FILE also
# writes every row as a JSON line.  Needs root; exits 77 without it.  Exit
# status 1 only for real breakage: a binary missing, the build failing,
# storm failing, spawnwatch crashing, failing or not stopping on SIGINT.
# Slowness is reported, never a failure.

set -u
set -o pipefail

usage() {
	sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

QUICK=0
BUILD=
JSON_OUT=
REPS=
STORMS=threads,exec
N_THREADS=
N_PROCS=
KEEP=
CONC=2

while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--build) BUILD=${2:?--build needs a directory}; shift ;;
	--json-out) JSON_OUT=${2:?--json-out needs a file}; shift ;;
	--reps) REPS=${2:?--reps needs a number}; shift ;;
	--storms) STORMS=${2:?--storms needs a list}; shift ;;
	--n-threads) N_THREADS=${2:?--n-threads needs a number}; shift ;;
	--n-procs) N_PROCS=${2:?--n-procs needs a number}; shift ;;
	--keep) KEEP=${2:?--keep needs a directory}; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

if [ "$QUICK" = 1 ]; then
	: "${REPS:=1}" "${N_THREADS:=2000}" "${N_PROCS:=300}"
	LAG_MAX=15000
else
	: "${REPS:=2}" "${N_THREADS:=100000}" "${N_PROCS:=10000}"
	LAG_MAX=120000
fi
for v in "$REPS" "$N_THREADS" "$N_PROCS"; do
	[[ $v =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: '$v' is not a positive number" >&2; exit 2; }
done
IFS=, read -r -a STORM_LIST <<<"$STORMS"
for s in "${STORM_LIST[@]}"; do
	case $s in
	threads | fork | exec | zombies | orphans) ;;
	*) echo "run.sh: unknown storm '$s' (threads, fork, exec, zombies, orphans)" >&2; exit 2 ;;
	esac
done

note() { printf '%s\n' "$*" >&2; }
BROKEN=0
breakage() {
	note "run.sh: BROKEN: $*"
	BROKEN=1
}

if [ "$(id -u)" != 0 ]; then
	note "run.sh: the proc connector needs root; skipped"
	exit 77
fi

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd) || exit 1
REPO=$(dirname "$HERE")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/spawnwatch-bench.XXXXXX") || exit 1
MON_PID=
SLEEP_FD=

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
	if [ -n "$MON_PID" ] && kill -0 "$MON_PID" 2>/dev/null; then
		kill -KILL "$MON_PID" 2>/dev/null
		wait "$MON_PID" 2>/dev/null
	fi
	[ -n "$SLEEP_FD" ] && exec {SLEEP_FD}>&-
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Sleeping and reading the clock without forking: the monitors see every
# process this script starts, and the sampling loops should add none.
mkfifo "$WORK/sleep.fifo" || exit 1
exec {SLEEP_FD}<>"$WORK/sleep.fifo"
nap() { read -r -t "$1" -u "$SLEEP_FD" _; }	# seconds, e.g. 0.1
NOW_MS=0
now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	NOW_MS=$((10#$t / 1000))
}

# --- binaries --------------------------------------------------------------
if [ -z "$BUILD" ]; then
	BUILD=$WORK/build
	mkdir -p "$BUILD"
	note "run.sh: building spawnwatch and bench/storm in $BUILD (log: build.log)"
	if ! { (cd "$REPO" && ./autogen.sh) &&
		(cd "$BUILD" && "$REPO/configure" &&
			make -j"$(nproc)" spawnwatch bench/storm); } >"$WORK/build.log" 2>&1; then
		tail -n 30 "$WORK/build.log" >&2
		note "run.sh: BROKEN: the build failed (a tree configured in place"
		note "  cannot be built elsewhere: use --build DIR with a built tree)"
		exit 1
	fi
fi
SW=$BUILD/spawnwatch
STORM=$BUILD/bench/storm
for b in "$SW" "$STORM"; do
	[ -x "$b" ] || { note "run.sh: BROKEN: $b is missing or not executable"; exit 1; }
done
HAVE_FORKSTAT=0
HAVE_EXTRACE=0
command -v forkstat >/dev/null && HAVE_FORKSTAT=1
command -v extrace >/dev/null && HAVE_EXTRACE=1
[ "$HAVE_FORKSTAT" = 1 ] || note "run.sh: forkstat not installed (apt-get install forkstat): its rows are skipped"
[ "$HAVE_EXTRACE" = 1 ] || note "run.sh: extrace not installed (apt-get install extrace): its rows are skipped"
# A background job of a script starts with SIGINT ignored; extrace keeps
# that, and would not stop on SIGINT.
DEFSIG=()
env --default-signal=INT,TERM true 2>/dev/null && DEFSIG=(env "--default-signal=INT,TERM")
CLK_TCK=$(getconf CLK_TCK) || CLK_TCK=100

# --- /proc probes ------------------------------------------------------------
TICKS=
cpu_ticks() {	# PID -> TICKS (utime + stime); 1 when gone
	local line f
	TICKS=
	IFS= read -r line 2>/dev/null <"/proc/$1/stat" || return 1
	line=${line##*) }
	read -r -a f <<<"$line"
	TICKS=$((f[11] + f[12]))
}
HWM_KB=
peak_rss() {	# PID -> HWM_KB
	local k v _u
	HWM_KB=
	while read -r k v _u; do
		[ "$k" = VmHWM: ] && { HWM_KB=$v; return 0; }
	done 2>/dev/null <"/proc/$1/status"
	return 1
}

# Waits until PID's CPU time has not moved for 300 ms, at least MIN_MS and
# at most MAX_MS; WAITED_MS says how long.  0 settled, 1 still busy, 2 gone.
WAITED_MS=0
wait_idle() {
	local pid=$1 min=$2 max=$3 start last quiet=0
	now_ms; start=$NOW_MS
	cpu_ticks "$pid" || return 2
	last=$TICKS
	while :; do
		nap 0.1
		cpu_ticks "$pid" || return 2
		now_ms
		WAITED_MS=$((NOW_MS - start))
		if [ "$TICKS" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; fi
		last=$TICKS
		[ "$WAITED_MS" -ge "$min" ] && [ "$quiet" -ge 3 ] && return 0
		[ "$WAITED_MS" -ge "$max" ] && return 1
	done
}

# --- monitors ----------------------------------------------------------------
OUT=$WORK/mon.out
ERR=$WORK/mon.err
MON_CMD=

start_monitor() {	# TOOL THREADS(0|1); sets MON_PID; 1 if it never got ready
	local tool=$1 thra=() line
	[ "$2" = 1 ] && thra=(--threads)
	: >"$OUT"
	: >"$ERR"
	case $tool in
	sw-file)
		MON_CMD="spawnwatch --json ${thra[*]} -o FILE"
		"${DEFSIG[@]}" "$SW" --json "${thra[@]}" -o "$OUT" 2>"$ERR" &
		;;
	sw-null)
		MON_CMD="spawnwatch --json ${thra[*]} --stats >/dev/null"
		"${DEFSIG[@]}" "$SW" --json "${thra[@]}" --stats >/dev/null 2>"$ERR" &
		;;
	forkstat)
		MON_CMD="forkstat -e fork,exec,exit >FILE"
		"${DEFSIG[@]}" forkstat -e fork,exec,exit >"$OUT" 2>"$ERR" &
		;;
	extrace)
		MON_CMD="extrace -o FILE"
		"${DEFSIG[@]}" extrace -o "$OUT" 2>"$ERR" &
		;;
	esac
	MON_PID=$!
	MON_CMD=${MON_CMD//  / }
	if [ "$tool" = sw-file ]; then
		local i
		for ((i = 0; i < 200; i++)); do
			line=
			IFS= read -r line <"$OUT"
			[[ $line == *'"event":"start"'* ]] && break
			kill -0 "$MON_PID" 2>/dev/null || break
			nap 0.05
		done
		[[ $line == *'"event":"start"'* ]] || return 1
	fi
	# Settle: the start-up /proc scan done, the process alive.
	wait_idle "$MON_PID" 300 5000
	[ $? = 2 ] && return 1
	kill -0 "$MON_PID" 2>/dev/null
}

MON_STATUS=
stop_monitor() {	# SIGINT, then TERM, then KILL; MON_STATUS = wait status
	local i sig
	for sig in INT TERM KILL; do
		kill -"$sig" "$MON_PID" 2>/dev/null
		for ((i = 0; i < 100; i++)); do
			kill -0 "$MON_PID" 2>/dev/null || break 2
			nap 0.1
		done
		note "run.sh: $MON_CMD did not stop on SIG$sig within 10 s"
		STOP_NOTE+="no-stop-on-$sig "
	done
	wait "$MON_PID"
	MON_STATUS=$?
	MON_PID=
}

# --- counting ----------------------------------------------------------------
# Each sets SEEN, METHOD and, for spawnwatch, LOST_SELF and NOTE_EXTRA.
SEEN=
METHOD=
LOST_SELF=
NOTE_EXTRA=

# An event is the storm's when its pid descends from the storm's (fork
# lines give the kernel's ppid) or its argv carries the mark: spawnwatch
# prints no argv for a process gone before it could read /proc.
count_sw_file() {	# MARK STORM-PID
	local r
	r=$(awk -v m="\"$1\"" -v me="\"$1/exec\"" -v root="$2" '
		function val(line, key,   s) {
			if (!match(line, "\"" key "\":-?[0-9]+")) return ""
			s = substr(line, RSTART, RLENGTH)
			sub(/.*:/, "", s)
			return s
		}
		BEGIN { mine[root] = 1 }
		{
			if (index($0, "\"event\":\"fork\"")) t = "f"
			else if (index($0, "\"event\":\"exec\"")) t = "e"
			else if (index($0, "\"event\":\"exit\"")) t = "x"
			else t = ""
		}
		t != "" {
			pid = val($0, "pid")
			if (t == "f" && !index($0, "\"thread\":true")) {
				tree = (val($0, "ppid") in mine)
				if (tree) mine[pid] = 1
			} else
				tree = (pid in mine)
			marked = index($0, m) || index($0, me)
			if (tree || marked) { n[t]++; if (!marked) noargv++ }
		}
		index($0, "\"event\":\"lost\"") { lostlines++ }
		index($0, "\"event\":\"stop\"") { stop = $0 }
		END {
			printf "%d %d %d %d %s %s %s %d %d %s\n", n["f"] + n["e"] + n["x"],
			    n["f"], n["e"], n["x"], stop == "" ? "?" : val(stop, "lost"),
			    stop == "" ? "?" : val(stop, "rejected"),
			    stop == "" ? "?" : val(stop, "proc_gone"), lostlines, noargv,
			    stop == "" ? "nostop" : "stop"
		}' "$OUT") || r="0 0 0 0 ? ? ? 0 0 nostop"
	local total f e x lost rej gone ll noargv stop
	read -r total f e x lost rej gone ll noargv stop <<<"$r"
	SEEN=$total
	METHOD="pid-tree+mark"
	LOST_SELF=${lost:-?}
	NOTE_EXTRA="fork=$f exec=$e exit=$x unmarked=$noargv rejected=${rej:-?} proc_gone=${gone:-?} lost_lines=$ll"
	[ "$stop" = stop ] || { NOTE_EXTRA+=" NO-STOP-LINE"; return 1; }
}

count_sw_null() {
	local r
	r=$(awk '
		/^spawnwatch: events:/ {
			for (i = 3; i < NF; i += 2) ev[$i] = $(i + 1)
			have = 1
		}
		/^spawnwatch: [0-9]+ lines, / { lost = $4; rej = $8 }
		END {
			if (!have) { print "? ? ? ? ?"; exit }
			printf "%d %d %s %s %d\n", ev["fork"] + ev["exec"] + ev["exit"],
			    ev["fork"], lost == "" ? "?" : lost, rej == "" ? "?" : rej, ev["exec"]
		}' "$ERR") || r="? ? ? ? ?"
	local total f lost rej e
	read -r total f lost rej e <<<"$r"
	SEEN=$total
	METHOD=stats
	LOST_SELF=$lost
	NOTE_EXTRA="received(system-wide) fork=$f exec=$e rejected=$rej"
	[ "$total" != "?" ]
}

# forkstat: by pid tree (a fork's parent line comes just before its child
# line), by mark, or a task it could not name: "<unknown>" (threads, on this
# kernel, come with parent 0) or a bare "storm" (a child gone before forkstat
# read its cmdline).
count_forkstat() {	# MARK STORM-PID
	SEEN=$(awk -v m="$1" -v root="$2" '
		BEGIN { mine[root] = 1 }
		$2 == "fork" && $4 == "parent" { lastp = $3; next }
		$2 == "fork" && $4 == "child" { p = 5; tree = (lastp in mine); if (tree) mine[$3] = 1 }
		$2 == "exec" { p = 4; tree = ($3 in mine) }
		$2 == "exit" { p = 6; tree = ($3 in mine) }
		$2 != "fork" && $2 != "exec" && $2 != "exit" { next }
		{
			name = $p
			hit = tree || name == "<unknown>" || (name == "storm" && NF == p)
			for (i = p; i <= NF && !hit; i++)
				if ($i == m || $i == m "/exec") hit = 1
			if (hit) n++
		}
		END { print n + 0 }' "$OUT") || SEEN=0
	METHOD="pid-tree+mark+unnamed"
	LOST_SELF=
	NOTE_EXTRA=
}

count_extrace() {	# MARK
	local a b
	a=$(awk -v m="$1" '
		/^ *[0-9]+[+]? / {
			if ($NF == "'"''"'") { n++; next }
			for (i = 2; i <= NF; i++) if ($i == m || $i == m "/exec") { n++; break }
		}
		END { print n + 0 }' "$OUT") || a=0
	b=$(grep -c 'process vanished before notification' "$ERR")
	SEEN=$((a + b))
	METHOD="mark+vanished"
	LOST_SELF=
	NOTE_EXTRA="vanished=$b"
}

# --- one run ------------------------------------------------------------------
ROWS=$WORK/rows.tsv
: >"$ROWS"
RUN=0
STOP_NOTE=

json_field() {	# KEY LINE -> REPLY
	REPLY=
	[[ $2 =~ \"$1\":\"?([^,\"}]*) ]] && REPLY=${BASH_REMATCH[1]}
}

one_run() {	# STORM N REP TOOL
	local storm=$1 n=$2 rep=$3 tool=$4 mark sj line notes="" status=ok
	local secs rate forks execs threads events expected lag="" ticks="" rss=""
	local thr=0 busy spid
	RUN=$((RUN + 1))
	mark=swbench-$$-$RUN
	[ "$storm" = threads ] && thr=1
	STOP_NOTE=
	SEEN='' METHOD='' LOST_SELF='' NOTE_EXTRA='' MON_CMD="(no monitor)"
	note "run.sh: [$storm n=$n rep $rep] $tool"

	if [ "$tool" != none ] && ! start_monitor "$tool" "$thr"; then
		if kill -0 "$MON_PID" 2>/dev/null; then
			note "run.sh: $MON_CMD not ready in time; running anyway"
			notes="slow-start "
		else
			wait "$MON_PID"
			MON_STATUS=$?
			MON_PID=
			note "run.sh: $MON_CMD exited at start (status $MON_STATUS): $(head -c 500 "$ERR")"
			case $tool in sw-*) breakage "$MON_CMD exited at start" ;; esac
			printf '%s\t%s\t%s\t%s\t%s\t%s\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t-\t%s\t%s\n' \
				"$storm" "$n" "$CONC" "$rep" "$tool" "$MON_CMD" "failed-start" \
				"status=$MON_STATUS" >>"$ROWS"
			return
		fi
	fi

	sj=$WORK/storm.json
	if ! "$STORM" "$storm" -n "$n" -c "$CONC" -m "$mark" >"$sj" 2>"$WORK/storm.err"; then
		breakage "storm $storm failed: $(head -c 500 "$WORK/storm.err")"
		status="storm-failed"
	fi
	line=
	IFS= read -r line <"$sj"
	json_field seconds "$line"; secs=${REPLY:-0}
	json_field rate "$line"; rate=${REPLY:-0}
	json_field forks "$line"; forks=${REPLY:-0}
	json_field execs "$line"; execs=${REPLY:-0}
	json_field threads "$line"; threads=${REPLY:-0}
	json_field pid "$line"; spid=${REPLY:-0}
	# Every fork and thread is created and exits; storm itself execs and exits.
	events=$((2 * (forks + threads) + execs + 2))
	expected=$events
	[ "$tool" = extrace ] && expected=$((execs + 1))

	if [ "$tool" != none ]; then
		wait_idle "$MON_PID" 300 "$LAG_MAX"
		busy=$?
		lag=$WAITED_MS
		[ "$busy" = 1 ] && notes+="still-busy-after-${lag}ms "
		if [ "$busy" = 2 ] || ! kill -0 "$MON_PID" 2>/dev/null; then
			lag=
			notes+="died-during-storm "
			case $tool in sw-*) breakage "$MON_CMD died during the $storm storm" ;; esac
		else
			cpu_ticks "$MON_PID" && ticks=$TICKS
			peak_rss "$MON_PID" && rss=$HWM_KB
		fi
		[ -n "$MON_PID" ] && stop_monitor
		notes+=$STOP_NOTE
		case $tool in
		sw-*)
			if [ "$MON_STATUS" != 0 ]; then
				breakage "$MON_CMD exited with status $MON_STATUS: $(head -c 500 "$ERR")"
				status="monitor-failed"
			fi
			;;
		*)
			# 130/143: killed by SIGINT/SIGTERM, which is how extrace stops.
			case $MON_STATUS in 0 | 130 | 143) ;; *) notes+="exit-status-$MON_STATUS " ;; esac
			;;
		esac
		[ -n "$STOP_NOTE" ] && case $tool in sw-*) breakage "$MON_CMD did not stop on SIGINT" ;; esac
		case $tool in
		sw-file) count_sw_file "$mark" "$spid" || { [ "$status" = ok ] && status="no-stop-line"; breakage "no stop line from $MON_CMD"; } ;;
		sw-null) count_sw_null || { [ "$status" = ok ] && status="no-stats"; breakage "no --stats from $MON_CMD"; } ;;
		forkstat) count_forkstat "$mark" "$spid" ;;
		extrace) count_extrace "$mark" ;;
		esac
		if [ -n "$KEEP" ]; then
			mkdir -p "$KEEP"
			cp "$OUT" "$KEEP/$RUN-$storm-$tool.out" 2>/dev/null
			cp "$ERR" "$KEEP/$RUN-$storm-$tool.err" 2>/dev/null
		fi
		: >"$OUT"
	fi
	notes="$notes$NOTE_EXTRA"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
		"$storm" "$n" "$CONC" "$rep" "$tool" "$MON_CMD" "$secs" "$rate" "$events" \
		"${expected}" "${SEEN:--}" "${METHOD:--}" "${LOST_SELF:--}" "${lag:--}" \
		"${ticks:--}" "${rss:--}" "$mark" "-" "$status" "${notes% }" >>"$ROWS"
}

# --- main -----------------------------------------------------------------------
now_ms
T0=$NOW_MS
KERNEL=$(uname -r)
SWVER=$("$SW" --version 2>/dev/null | head -n 1)
note "run.sh: $SWVER on Linux $KERNEL, $(nproc) CPUs; storms: ${STORM_LIST[*]}; reps $REPS"

for storm in "${STORM_LIST[@]}"; do
	n=$N_PROCS
	[ "$storm" = threads ] && n=$N_THREADS
	tools=(none sw-file sw-null)
	[ "$HAVE_FORKSTAT" = 1 ] && tools+=(forkstat)
	[ "$HAVE_EXTRACE" = 1 ] && [ "$storm" = exec ] && tools+=(extrace)
	for ((rep = 1; rep <= REPS; rep++)); do
		# Alternate the order between reps, so drift hits every tool.
		order=("${tools[@]}")
		if ((rep % 2 == 0)); then
			order=()
			for ((i = ${#tools[@]} - 1; i >= 0; i--)); do order+=("${tools[i]}"); done
		fi
		for tool in "${order[@]}"; do
			one_run "$storm" "$n" "$rep" "$tool"
		done
	done
done
now_ms
ELAPSED=$(((NOW_MS - T0) / 1000))

# --- report ---------------------------------------------------------------------
# shellcheck disable=SC2016 # an awk program
REPORT_AWK='
BEGIN { FS = "\t" }
{
	nr++
	for (i = 1; i <= 20; i++) c[nr, i] = $i
	if ($5 == "none" && $19 == "ok" && $8 + 0 > 0) { base[$1] += $8; nbase[$1]++ }
}
function q(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
function num(s) { return (s == "-" || s == "?" || s == "") ? "null" : s }
function dash(s) { return (s == "" || s == "?") ? "-" : s }
END {
	if (!json) {
		printf "%-7s %-8s %3s %9s %5s %9s %8s %8s %8s %7s %6s %6s %7s %8s %7s  %s\n",
		    "storm", "tool", "rep", "rate/s", "rel", "ev/s", "events", "expect",
		    "seen", "missing", "lost", "lag s", "CPU s", "CPU/100k", "RSS MiB", "notes"
	}
	for (r = 1; r <= nr; r++) {
		storm = c[r, 1]; tool = c[r, 5]; secs = c[r, 7]; rate = c[r, 8]
		events = c[r, 9]; expct = c[r, 10]; seen = c[r, 11]; method = c[r, 12]
		lost = c[r, 13]; lag = c[r, 14]; ticks = c[r, 15]; rss = c[r, 16]
		status = c[r, 19]; notes = c[r, 20]
		rel = (nbase[storm] && rate != "-") ? rate / (base[storm] / nbase[storm]) : ""
		evs = (secs != "-" && secs + 0 > 0) ? events / secs : ""
		missing = (seen != "-" && seen != "?" && method != "stats") ? expct - seen : ""
		if (missing != "" && missing < 0) missing = 0
		cpu = (ticks != "-") ? ticks / tck : ""
		cpu100 = (cpu != "" && events + 0 > 0) ? cpu * 100000 / events : ""
		lags = (lag != "-") ? lag / 1000 : ""
		if (json) {
			printf "{\"storm\":%s,\"n\":%s,\"concurrency\":%s,\"rep\":%s,\"tool\":%s,", \
			    q(storm), c[r, 2], c[r, 3], c[r, 4], q(tool)
			printf "\"command\":%s,\"storm_seconds\":%s,\"rate\":%s,\"rate_rel\":%s,", \
			    q(c[r, 6]), num(secs), num(rate), rel == "" ? "null" : sprintf("%.3f", rel)
			printf "\"events\":%s,\"events_per_s\":%s,\"expected\":%s,\"seen\":%s,", \
			    num(events), evs == "" ? "null" : sprintf("%.1f", evs), \
			    tool == "none" ? "null" : num(expct), num(seen)
			printf "\"seen_method\":%s,\"missing\":%s,\"lost_self\":%s,\"lag_s\":%s,", \
			    method == "-" ? "null" : q(method), missing == "" ? "null" : missing, \
			    num(lost), lags == "" ? "null" : sprintf("%.3f", lags)
			printf "\"cpu_s\":%s,\"cpu_s_per_100k\":%s,\"peak_rss_kb\":%s,", \
			    cpu == "" ? "null" : sprintf("%.2f", cpu), \
			    cpu100 == "" ? "null" : sprintf("%.3f", cpu100), num(rss)
			printf "\"mark\":%s,\"status\":%s,\"notes\":%s}\n", q(c[r, 17]), q(status), q(notes)
			continue
		}
		if (method == "stats" && seen != "-" && seen != "?") seen = "~" seen
		printf "%-7s %-8s %3s %9s %5s %9s %8s %8s %8s %7s %6s %6s %7s %8s %7s  %s\n",
		    storm, tool, c[r, 4], rate == "-" ? "-" : sprintf("%.0f", rate),
		    rel == "" ? "-" : sprintf("%.2f", rel), evs == "" ? "-" : sprintf("%.0f", evs),
		    events, tool == "none" ? "-" : expct, dash(seen), missing == "" ? "-" : missing,
		    dash(lost), lags == "" ? "-" : sprintf("%.1f", lags),
		    cpu == "" ? "-" : sprintf("%.2f", cpu), cpu100 == "" ? "-" : sprintf("%.3f", cpu100),
		    rss == "-" ? "-" : sprintf("%.1f", rss / 1024),
		    (status == "ok" ? "" : status " ") notes
	}
}'

echo "spawnwatch benchmark: $SWVER, Linux $KERNEL, $(nproc) CPUs, ${ELAPSED}s"
echo "storms: ${STORM_LIST[*]} (threads n=$N_THREADS, others n=$N_PROCS, $CONC workers), reps $REPS"
awk -v tck="$CLK_TCK" -v json=0 "$REPORT_AWK" "$ROWS"
echo "commands:"
awk -F '\t' '!seen[$5]++ && $5 != "none" { printf "  %-8s %s\n", $5, $6 }' "$ROWS"
echo "rate: storm units/s (threads or children), rel: against the no-monitor runs;"
echo "events: fork+exec+exit events the storm made; seen ~N: all events spawnwatch"
echo "received (--stats, system-wide); lost: spawnwatch's own count; lag: catch-up"
echo "time after the storm; CPU/100k: monitor CPU s per 100k storm events."
if [ -n "$JSON_OUT" ]; then
	awk -v tck="$CLK_TCK" -v json=1 "$REPORT_AWK" "$ROWS" >"$JSON_OUT" ||
		breakage "cannot write $JSON_OUT"
fi
if [ "$BROKEN" != 0 ]; then
	note "run.sh: something broke (see BROKEN above)"
	exit 1
fi
exit 0
