#!/bin/bash
# bench/run.sh: how spawnwatch keeps up with process-event storms, next to
# forkstat, extrace and a bare listener, and whether it meets its targets.
#
#   bench/run.sh [--quick] [--build DIR] [--json-out FILE] [--reps N]
#                [--storms LIST] [--n-threads N] [--n-fork N] [--n-exec N]
#                [--n-procs N] [--n-idle N] [--n-live N] [--no-install]
#                [--keep DIR]
#
#   --quick          tiny sizes, 1 rep, seconds: threads 2000, fork 1000,
#                    exec 300, zombies and orphans 300, idle 20, live 200
#   --build DIR      use DIR/spawnwatch, DIR/bench/storm and DIR/bench/bare
#                    (make spawnwatch bench/storm bench/bare), no build
#   --json-out FILE  also write every row as a JSON line to FILE
#   --reps N         runs of each tool per storm (default 3, --quick 1)
#   --storms LIST    threads,fork,exec,idle,live (default); also zombies,
#                    orphans
#   --n-threads N    threads in the thread storm (default 100000)
#   --n-fork N       children in the fork+exit storm (default 100000)
#   --n-exec N       children in the fork+exec storm (default 20000)
#   --n-procs N      children in the zombies and orphans storms (default
#                    10000), and in fork and exec unless given on their own
#   --n-idle N       processes of the idle latency probe (default 200)
#   --n-live N       processes alive at once in the live run (default 10000)
#   --no-install     do not apt-get install forkstat and extrace
#   --keep DIR       keep every monitor's output and stderr in DIR
#
# Storms (bench/storm; 2 workers unless said otherwise):
#   threads   N threads created and joined (storm threads)
#   fork      N children that exit at once (storm fork)
#   exec      N children that exec the marked /bin/true (storm exec)
#   zombies, orphans   as bench/storm makes them
#   idle      latency on a quiet system: N processes exec'ing the marked
#             /bin/true one at a time, 20 ms apart, 1 worker (storm trickle)
#   live      memory with N processes alive at once: storm hold forks N
#             children that wait until all exist; once spawnwatch has gone
#             quiet they are let go and reaped (storm hold)
# In each storm these run alternately (the order reversed on even reps, so
# that drift hits every tool), --reps times over:
#   none      the storm alone, the baseline for the rate
#   sw-file   spawnwatch --json -o FILE
#   sw-null   spawnwatch --json --stats >/dev/null
#   forkstat  forkstat -E >FILE
#   extrace   extrace -o FILE (the exec storm only)
#   bare      bench/bare: one wakeup per event, 16 MiB buffer, nothing
#             printed per event; the floor of what a listener costs
# idle and live run sw-file alone, once per rep.  spawnwatch gets --threads
# in the thread storm (or it would print none of the thread events), and
# its default options otherwise.  forkstat and extrace are installed with
# apt-get when missing (as root, quietly; --no-install not to); a tool
# still missing has its rows skipped, with a note.
#
# Each monitor is started, given time to be ready (spawnwatch: its start
# line; all: its CPU time settles), the storm runs, the monitor is given
# time to catch up (its CPU time settles again: "lag"), its CPU time and
# VmHWM are read from /proc and it is stopped with SIGINT.  Per run:
#   rate, rel    storm units per second, and relative to the median of the
#                no-monitor runs of the same storm
#   ev/s, events process events the storm caused (forks + threads + execs
#                + exits, its own exec and exit included), and per second
#   expect       events the tool should print (extrace: execs only)
#   seen         those it printed: lines whose pid descends from the
#                storm's (by the fork lines) or whose argv has the storm's
#                mark (forkstat: also tasks it could not name, "<unknown>";
#                extrace: also execs whose argv was gone); sw-null and
#                bare, ~N: events received in all, system-wide, by their
#                own count (--stats; bare's summary)
#   missing      expect - seen, when positive (not for sw-null and bare)
#   lost         the tool's own count: spawnwatch's stop line or --stats,
#                bare's sequence gaps
#   CPU s, CPU/100k  the monitor's utime+stime, and per 100k storm events
#   RSS MiB      the monitor's peak resident set (VmHWM)
#   argv %       share of the storm's execs printed with their argv (its
#                mark): sw-file, forkstat and extrace
#   lat p50/p99 ms   from spawnwatch's stop line (sw-file): time from the
#                kernel's event timestamp to the write of its line, over
#                every kernel event line written ("-": a spawnwatch that
#                does not report it)
# Then the medians over the reps per storm and tool, and the targets, each
# from those medians, PASS, MISS or n/a (data missing, never a failure):
#   lost      sw-file missing + lost = 0 and sw-null lost = 0 on the
#             threads, fork and exec storms (sized 100k, 100k, 20k)
#   CPU       CPU/100k on exec <= 0.5 x forkstat's; on threads <= 1.0 x
#             bare's
#   argv      argv % on exec >= 99.5
#   rate      rel >= 0.9 with sw-file and with sw-null attached
#   RSS       VmHWM <= 8 MiB in the live run (10k alive); flat: VmHWM in
#             the fork storm (100k processes) <= that of the live run
#             + 2 MiB
#   latency   p50 <= 1 ms in the idle run, <= 20 ms in each storm
# --json-out FILE writes one JSON line per run ("kind":"run"), per storm
# and tool ("kind":"median") and per target ("kind":"target").
#
# Without --build, spawnwatch, bench/storm and bench/bare are built from
# this tree in a temporary directory (autogen.sh, configure, make).  Needs
# root; exits 77 without it.  Exit status 1 only for real breakage: a
# binary missing, the build failing, storm failing, spawnwatch crashing,
# failing or not stopping on SIGINT.  Slowness and MISS are reported, never
# a failure.

set -u
set -o pipefail

usage() {
	sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

QUICK=0
BUILD=
JSON_OUT=
REPS=
STORMS=threads,fork,exec,idle,live
N_THREADS=
N_FORK=
N_EXEC=
N_PROCS=
N_IDLE=
N_LIVE=
INSTALL=1
KEEP=
CONC=2
IDLE_INTERVAL_MS=20

while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--build) BUILD=${2:?--build needs a directory}; shift ;;
	--json-out) JSON_OUT=${2:?--json-out needs a file}; shift ;;
	--reps) REPS=${2:?--reps needs a number}; shift ;;
	--storms) STORMS=${2:?--storms needs a list}; shift ;;
	--n-threads) N_THREADS=${2:?--n-threads needs a number}; shift ;;
	--n-fork) N_FORK=${2:?--n-fork needs a number}; shift ;;
	--n-exec) N_EXEC=${2:?--n-exec needs a number}; shift ;;
	--n-procs) N_PROCS=${2:?--n-procs needs a number}; shift ;;
	--n-idle) N_IDLE=${2:?--n-idle needs a number}; shift ;;
	--n-live) N_LIVE=${2:?--n-live needs a number}; shift ;;
	--no-install) INSTALL=0 ;;
	--keep) KEEP=${2:?--keep needs a directory}; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

if [ "$QUICK" = 1 ]; then
	: "${REPS:=1}" "${N_THREADS:=2000}" "${N_FORK:=${N_PROCS:-1000}}"
	: "${N_EXEC:=${N_PROCS:-300}}" "${N_PROCS:=300}" "${N_IDLE:=20}" "${N_LIVE:=200}"
	LAG_MAX=15000
else
	: "${REPS:=3}" "${N_THREADS:=100000}" "${N_FORK:=${N_PROCS:-100000}}"
	: "${N_EXEC:=${N_PROCS:-20000}}" "${N_PROCS:=10000}" "${N_IDLE:=200}" "${N_LIVE:=10000}"
	LAG_MAX=120000
fi
for v in "$REPS" "$N_THREADS" "$N_FORK" "$N_EXEC" "$N_PROCS" "$N_IDLE" "$N_LIVE"; do
	[[ $v =~ ^[1-9][0-9]{0,8}$ ]] || { echo "run.sh: '$v' is not a positive number" >&2; exit 2; }
done
IFS=, read -r -a STORM_LIST <<<"$STORMS"
[ "${#STORM_LIST[@]}" -gt 0 ] || { echo "run.sh: no storms" >&2; exit 2; }
for s in "${STORM_LIST[@]}"; do
	case $s in
	threads | fork | exec | zombies | orphans | idle | live) ;;
	*)
		echo "run.sh: unknown storm '$s' (threads, fork, exec, zombies, orphans, idle, live)" >&2
		exit 2
		;;
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
HOLD_FD=
STORM_PID=

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
	if [ -n "$HOLD_FD" ]; then
		exec {HOLD_FD}>&-	# lets a held storm's children go
		HOLD_FD=
	fi
	if [ -n "$STORM_PID" ] && kill -0 "$STORM_PID" 2>/dev/null; then
		kill -TERM "$STORM_PID" 2>/dev/null
		wait "$STORM_PID" 2>/dev/null
	fi
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
mkfifo "$WORK/sleep.fifo" "$WORK/hold.fifo" || exit 1
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
	note "run.sh: building spawnwatch, bench/storm and bench/bare in $BUILD (log: build.log)"
	if ! { (cd "$REPO" && ./autogen.sh) &&
		(cd "$BUILD" && "$REPO/configure" &&
			make -j"$(nproc)" spawnwatch bench/storm bench/bare); } >"$WORK/build.log" 2>&1; then
		tail -n 30 "$WORK/build.log" >&2
		note "run.sh: BROKEN: the build failed (a tree configured in place"
		note "  cannot be built elsewhere: use --build DIR with a built tree)"
		exit 1
	fi
fi
SW=$BUILD/spawnwatch
STORM=$BUILD/bench/storm
BARE=$BUILD/bench/bare
for b in "$SW" "$STORM" "$BARE"; do
	[ -x "$b" ] || {
		note "run.sh: BROKEN: $b is missing or not executable (make spawnwatch bench/storm bench/bare)"
		exit 1
	}
done

# forkstat and extrace from Debian, when missing and apt-get is there.
if [ "$INSTALL" = 1 ]; then
	missing=()
	command -v forkstat >/dev/null || missing+=(forkstat)
	command -v extrace >/dev/null || missing+=(extrace)
	if [ "${#missing[@]}" -gt 0 ] && command -v apt-get >/dev/null; then
		note "run.sh: installing ${missing[*]} with apt-get (log: apt.log)"
		export DEBIAN_FRONTEND=noninteractive
		apt_install() {
			apt-get install -y -q --no-install-recommends "$@" >>"$WORK/apt.log" 2>&1
		}
		# One at a time: a package missing from the archive spares the other.
		for p in "${missing[@]}"; do
			apt_install "$p" ||
				{ apt-get update -q >>"$WORK/apt.log" 2>&1 && apt_install "$p"; } ||
				note "run.sh: apt-get install $p failed: $(tail -n 2 "$WORK/apt.log" | tr '\n' ' ')"
		done
	fi
fi
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
RSS_KB=
peak_rss() {	# PID -> HWM_KB (VmHWM) and RSS_KB (VmRSS)
	local k v _u
	HWM_KB=
	RSS_KB=
	while read -r k v _u; do
		case $k in
		VmHWM:) HWM_KB=$v ;;
		VmRSS:) RSS_KB=$v ;;
		esac
	done 2>/dev/null <"/proc/$1/status"
	[ -n "$HWM_KB" ]
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
		MON_CMD="forkstat -E >FILE"
		"${DEFSIG[@]}" forkstat -E >"$OUT" 2>"$ERR" &
		;;
	extrace)
		MON_CMD="extrace -o FILE"
		"${DEFSIG[@]}" extrace -o "$OUT" 2>"$ERR" &
		;;
	bare)
		MON_CMD="bench/bare >FILE"
		"${DEFSIG[@]}" "$BARE" >"$OUT" 2>"$ERR" &
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
# Each sets SEEN, METHOD, LOST_SELF, ARGV_SEEN (execs of the storm printed
# with their argv), NOTE_EXTRA and, from spawnwatch's stop line, LAT_*.
SEEN=
METHOD=
LOST_SELF=
ARGV_SEEN=
NOTE_EXTRA=
LAT_N=
LAT_P50=
LAT_P90=
LAT_P99=
LAT_MAX=

# An event is the storm's when its pid descends from the storm's (fork
# lines give the kernel's ppid) or its argv carries the mark: spawnwatch
# prints no argv for a process gone before it could read /proc.  A pid
# leaves the tree at its exit: pids are reused within a storm.
count_sw_file() {	# MARK STORM-PID
	local r
	r=$(awk -v m="\"$1\"" -v me="\"$1/exec\"" -v root="$2" '
		function val(line, key,   s) {
			if (!match(line, "\"" key "\":-?[0-9]+([.][0-9]+)?")) return ""
			s = substr(line, RSTART, RLENGTH)
			sub(/.*:/, "", s)
			return s
		}
		function dash(s) { return s == "" ? "-" : s }
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
			if (t == "x" && tree) delete mine[pid]
			marked = index($0, m) || index($0, me)
			if (tree || marked) { n[t]++; if (!marked) noargv++ }
			if (t == "e" && index($0, me)) argv++
		}
		index($0, "\"event\":\"lost\"") { lostlines++ }
		index($0, "\"event\":\"stop\"") { stop = $0 }
		END {
			lat = ""
			if (match(stop, /"latency_us":[{][^}]*[}]/))
				lat = substr(stop, RSTART, RLENGTH)
			rcv = val(stop, "fork") + val(stop, "exec") + val(stop, "exit")
			printf "%d %d %d %d %d %s %s %s %d %d %d %s %s %s %s %s %s %s\n",
			    n["f"] + n["e"] + n["x"], n["f"], n["e"], n["x"], rcv,
			    dash(val(stop, "lost")), dash(val(stop, "rejected")),
			    dash(val(stop, "proc_gone")), lostlines, noargv, argv,
			    dash(val(stop, "peak_tracked")),
			    dash(val(lat, "n")), dash(val(lat, "p50")), dash(val(lat, "p90")),
			    dash(val(lat, "p99")), dash(val(lat, "max")),
			    stop == "" ? "nostop" : "stop"
		}' "$OUT") || r="0 0 0 0 0 - - - 0 0 0 - - - - - - nostop"
	local total f e x rcv lost rej gone ll noargv argv peak stop
	read -r total f e x rcv lost rej gone ll noargv argv peak LAT_N LAT_P50 LAT_P90 LAT_P99 LAT_MAX stop <<<"$r"
	SEEN=$total
	METHOD="pid-tree+mark"
	LOST_SELF=$lost
	ARGV_SEEN=$argv
	NOTE_EXTRA="fork=$f exec=$e exit=$x received(system-wide)=$rcv unmarked=$noargv rejected=$rej"
	NOTE_EXTRA+=" proc_gone=$gone lost_lines=$ll peak_tracked=$peak"
	# No line timed: no latency to speak of.
	[ "$LAT_N" = 0 ] && LAT_P50=- LAT_P90=- LAT_P99=- LAT_MAX=-
	[ "$LAT_N" = - ] || NOTE_EXTRA+=" latency_n=$LAT_N p90_us=$LAT_P90 max_us=$LAT_MAX"
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

# forkstat -E: "fork|clone PID parent" lines come just before their
# "fork PID child" or "clone TID thread" line; exec lines name the process
# from field 4, exit lines (status, duration) from field 6.  An event is the
# storm's by pid tree, by mark, or when forkstat could not name the task:
# "<unknown>" (threads, and children whose parent it did not find: "fork 0
# parent [swapper]") or a bare "storm" (a child gone before forkstat read
# its cmdline).  "recv ----- nobufs" lines: it lost events (ENOBUFS).
count_forkstat() {	# MARK STORM-PID
	local r
	r=$(awk -v m="$1" -v me="$1/exec" -v root="$2" '
		BEGIN { mine[root] = 1 }
		$2 == "recv" && $4 == "nobufs" { nobufs++; next }	# it lost events
		($2 == "fork" || $2 == "clone") && $4 == "parent" { lastp = $3; next }
		($2 == "fork" && $4 == "child") || ($2 == "clone" && $4 == "thread") {
			p = 5; tree = (lastp in mine); if (tree) mine[$3] = 1
		}
		$2 == "exec" { p = 4; tree = ($3 in mine) }
		$2 == "exit" { p = 6; tree = ($3 in mine); if (tree) delete mine[$3] }
		$2 != "fork" && $2 != "clone" && $2 != "exec" && $2 != "exit" { next }
		{
			name = $p
			hit = tree || name == "<unknown>" || (name == "storm" && NF == p)
			for (i = p; i <= NF; i++)
				if ($i == m || $i == me) {
					hit = 1
					if ($2 == "exec" && $i == me) argv++
					break
				}
			if (hit) n++
		}
		END { print n + 0, argv + 0, nobufs + 0 }' "$OUT") || r="0 0 0"
	local nobufs
	read -r SEEN ARGV_SEEN nobufs <<<"$r"
	METHOD="pid-tree+mark+unnamed"
	LOST_SELF=
	NOTE_EXTRA=
	[ "$nobufs" = 0 ] || NOTE_EXTRA="nobufs_lines=$nobufs"
}

count_extrace() {	# MARK
	local a b r
	r=$(awk -v m="$1" -v me="$1/exec" '
		/^ *[0-9]+[+]? / {
			if ($NF == "'"''"'") { n++; next }
			for (i = 2; i <= NF; i++)
				if ($i == m || $i == me) { n++; if ($i == me) argv++; break }
		}
		END { print n + 0, argv + 0 }' "$OUT") || r="0 0"
	read -r a ARGV_SEEN <<<"$r"
	b=$(grep -c 'process vanished before notification' "$ERR")
	SEEN=$((a + b))
	METHOD="mark+vanished"
	LOST_SELF=
	NOTE_EXTRA="vanished=$b"
}

# bare prints one JSON line at SIGINT: what it received, system-wide.
count_bare() {
	local line k
	line=
	IFS= read -r line <"$OUT"
	METHOD=stats
	[[ $line == *'"events":'* ]] || { SEEN='?'; NOTE_EXTRA="no summary"; return 1; }
	json_field events "$line"; SEEN=$REPLY
	json_field seq_gaps "$line"; LOST_SELF=$REPLY
	NOTE_EXTRA="received(system-wide)"
	# bare adds each gap as a 32-bit difference: a sequence number that
	# repeats or goes back adds about 2^32, and the count means nothing.
	if [[ $LOST_SELF =~ ^[0-9]+$ ]] && [ "${#LOST_SELF}" -ge 10 ]; then
		NOTE_EXTRA+=" seq_gaps=$LOST_SELF(wrapped)"
		LOST_SELF='?'
	fi
	for k in fork exec exit enobufs wakeups; do
		json_field "$k" "$line"
		NOTE_EXTRA+=" $k=$REPLY"
	done
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

row() {	# FIELDS...: one tab-separated line of $ROWS (see REPORT_AWK)
	local IFS=$'\t' f a=()
	for f in "$@"; do
		f=${f//$'\t'/ }
		a+=("${f//$'\n'/ }")
	done
	printf '%s\n' "${a[*]}" >>"$ROWS"
}

# The live run: storm hold in the background; once all its children exist
# and the monitor has gone quiet, VmRSS is noted, then they are let go.
HELD_NOTE=
run_hold() {	# N MARK STORM-JSON; the storm's exit status
	local n=$1 mark=$2 sj=$3 line i st
	HELD_NOTE=
	"$STORM" hold -n "$n" -c "$CONC" -m "$mark" <"$WORK/hold.fifo" >"$sj" 2>"$WORK/storm.err" &
	STORM_PID=$!
	exec {HOLD_FD}>"$WORK/hold.fifo"
	for ((i = 0; i < LAG_MAX / 50; i++)); do
		line=
		IFS= read -r line <"$WORK/storm.err"
		[[ $line == "storm: hold:"* ]] && break
		kill -0 "$STORM_PID" 2>/dev/null || break
		nap 0.05
	done
	if [[ $line == "storm: hold:"* ]]; then
		if [ -n "$MON_PID" ]; then
			wait_idle "$MON_PID" 300 "$LAG_MAX"
			[ $? = 1 ] && HELD_NOTE+="busy-while-held "
			peak_rss "$MON_PID" && HELD_NOTE+="rss_held_kb=$RSS_KB "
		fi
	else
		HELD_NOTE+="never-held "
	fi
	exec {HOLD_FD}>&-
	HOLD_FD=
	wait "$STORM_PID"
	st=$?
	STORM_PID=
	return "$st"
}

one_run() {	# STORM N REP TOOL
	local storm=$1 n=$2 rep=$3 tool=$4 mark sj line notes="" status=ok
	local secs rate forks execs threads events expected lag="" ticks="" rss=""
	local thr=0 busy spid conc args ok
	RUN=$((RUN + 1))
	mark=swbench-$$-$RUN
	[ "$storm" = threads ] && thr=1
	STOP_NOTE=
	SEEN='' METHOD='' LOST_SELF='' ARGV_SEEN='' NOTE_EXTRA='' MON_CMD="(no monitor)"
	LAT_N='' LAT_P50='' LAT_P90='' LAT_P99='' LAT_MAX=''
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
			row "$storm" "$n" "$CONC" "$rep" "$tool" "$MON_CMD" - - - - - - - - - - \
				"$mark" - - - - - - "failed-start" "status=$MON_STATUS"
			return
		fi
	fi

	sj=$WORK/storm.json
	: >"$sj"
	case $storm in
	idle) args=(trickle -n "$n" -c 1 -i "$IDLE_INTERVAL_MS") ;;
	live) args=(hold -n "$n" -c "$CONC") ;;
	*) args=("$storm" -n "$n" -c "$CONC") ;;
	esac
	if [ "$storm" = live ]; then
		run_hold "$n" "$mark" "$sj"
		ok=$?
		notes+=$HELD_NOTE
	else
		"$STORM" "${args[@]}" -m "$mark" >"$sj" 2>"$WORK/storm.err"
		ok=$?
	fi
	if [ "$ok" != 0 ]; then
		breakage "storm ${args[0]} failed (status $ok): $(head -c 500 "$WORK/storm.err")"
		status="storm-failed"
	fi
	line=
	IFS= read -r line <"$sj"
	json_field seconds "$line"; secs=${REPLY:-0}
	json_field rate "$line"; rate=${REPLY:-0}
	json_field forks "$line"; forks=${REPLY:-0}
	json_field execs "$line"; execs=${REPLY:-0}
	json_field threads "$line"; threads=${REPLY:-0}
	json_field concurrency "$line"; conc=${REPLY:-$CONC}
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
		bare) count_bare || { [ "$status" = ok ] && status="no-summary"; } ;;
		esac
		if [ -n "$KEEP" ]; then
			mkdir -p "$KEEP"
			cp "$OUT" "$KEEP/$RUN-$storm-$tool.out" 2>/dev/null
			cp "$ERR" "$KEEP/$RUN-$storm-$tool.err" 2>/dev/null
		fi
		: >"$OUT"
	fi
	notes="$notes$NOTE_EXTRA"
	row "$storm" "$n" "$conc" "$rep" "$tool" "$MON_CMD" "$secs" "$rate" "$events" \
		"$expected" "${SEEN:--}" "${METHOD:--}" "${LOST_SELF:--}" "${lag:--}" \
		"${ticks:--}" "${rss:--}" "$mark" "$execs" "${ARGV_SEEN:--}" "${LAT_N:--}" \
		"${LAT_P50:--}" "${LAT_P99:--}" "${LAT_MAX:--}" "$status" "${notes% }"
}

# --- main -----------------------------------------------------------------------
now_ms
T0=$NOW_MS
KERNEL=$(uname -r)
SWVER=$("$SW" --version 2>/dev/null | head -n 1)
note "run.sh: $SWVER on Linux $KERNEL, $(nproc) CPUs; storms: ${STORM_LIST[*]}; reps $REPS"

size_of() {	# STORM -> REPLY
	case $1 in
	threads) REPLY=$N_THREADS ;;
	fork) REPLY=$N_FORK ;;
	exec) REPLY=$N_EXEC ;;
	idle) REPLY=$N_IDLE ;;
	live) REPLY=$N_LIVE ;;
	*) REPLY=$N_PROCS ;;
	esac
}

for storm in "${STORM_LIST[@]}"; do
	size_of "$storm"
	n=$REPLY
	case $storm in
	idle | live) tools=(sw-file) ;;
	*)
		tools=(none sw-file sw-null)
		[ "$HAVE_FORKSTAT" = 1 ] && tools+=(forkstat)
		[ "$HAVE_EXTRACE" = 1 ] && [ "$storm" = exec ] && tools+=(extrace)
		tools+=(bare)
		;;
	esac
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
# Rows: 1 storm, 2 n, 3 concurrency, 4 rep, 5 tool, 6 command, 7 storm
# seconds, 8 rate, 9 events, 10 expected, 11 seen, 12 seen method, 13 lost
# (own count), 14 lag ms, 15 CPU ticks, 16 VmHWM kB, 17 mark, 18 storm
# execs, 19 execs printed with argv, 20-23 latency n, p50, p99, max (us),
# 24 status, 25 notes.  "-": no value.
# shellcheck disable=SC2016 # an awk program
REPORT_AWK='
BEGIN {
	FS = "\t"
	CONVFMT = "%.10g"
	nmet = split("rel evs missing lost cpu100 rss argv p50 p99", MET, " ")
	if (jsonfile != "") printf "" >jsonfile
}
function q(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
function has(s) { return !(s == "" || s == "-" || s == "?") }
function num(s) { return has(s) ? s : "null" }
function dash(s) { return has(s) ? s : "-" }
function f(v, fm) { return v == "" ? "-" : sprintf(fm, v) }
function jn(v, fm) { return v == "" ? "null" : sprintf(fm, v) }
function median(list,   a, k, i, j, t) {	# list: values separated by spaces
	k = split(list, a, " ")
	if (k == 0) return ""
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return k % 2 ? a[(k + 1) / 2] + 0 : (a[k / 2] + a[k / 2 + 1]) / 2
}
{
	nr++
	for (i = 1; i <= 25; i++) c[nr, i] = $i
	if ($5 == "none" && $24 == "ok" && $8 + 0 > 0) baselist[$1] = baselist[$1] " " $8
	key = $1 SUBSEP $5
	if (!(key in kn)) { keys[++nk] = key; kstorm[nk] = $1; ktool[nk] = $5; kn[key] = 0; ksize[key] = $2 }
	if (!($1 in sn)) { sn[$1] = $2 }
	if (!($5 in cmd) && $5 != "none") { cmd[$5] = $6; tools[++ntools] = $5 }
}
function derive(r,   storm, tool, secs, seen, method, ticks, execs, argv) {
	storm = c[r, 1]; tool = c[r, 5]; secs = c[r, 7]
	seen = c[r, 11]; method = c[r, 12]; ticks = c[r, 15]; execs = c[r, 18]; argv = c[r, 19]
	D["rel"] = (base[storm] != "" && has(c[r, 8]) && c[r, 8] + 0 > 0) ? c[r, 8] / base[storm] : ""
	D["evs"] = (has(secs) && secs + 0 > 0) ? c[r, 9] / secs : ""
	D["missing"] = (has(seen) && method != "stats") ? c[r, 10] - seen : ""
	if (D["missing"] != "" && D["missing"] < 0) D["missing"] = 0
	D["lost"] = has(c[r, 13]) ? c[r, 13] + 0 : ""
	D["cpu"] = has(ticks) ? ticks / tck : ""
	D["cpu100"] = (D["cpu"] != "" && c[r, 9] + 0 > 0) ? D["cpu"] * 100000 / c[r, 9] : ""
	D["rss"] = has(c[r, 16]) ? c[r, 16] / 1024 : ""
	D["argv"] = (has(argv) && execs + 0 > 0) ? 100 * argv / execs : ""
	if (D["argv"] != "" && D["argv"] > 100) D["argv"] = 100
	D["p50"] = has(c[r, 21]) ? c[r, 21] / 1000 : ""
	D["p99"] = has(c[r, 22]) ? c[r, 22] / 1000 : ""
	D["lag"] = has(c[r, 14]) ? c[r, 14] / 1000 : ""
}
function med(storm, tool, m,   k) {
	k = storm SUBSEP tool SUBSEP m
	return (k in M) ? M[k] : ""
}
function verdict(v, op, thr) {
	if (v == "") return "n/a"
	if (op == "<=") return (v <= thr + 1e-9) ? "PASS" : "MISS"
	if (op == ">=") return (v >= thr - 1e-9) ? "PASS" : "MISS"
	return (v == thr) ? "PASS" : "MISS"
}
# A target: VALUE (or, with BYRATIO, RATIO = VALUE / REF) against THR.
function target(id, storm, tool, value, ref, ratio, byratio, thr, op, text,   res, line) {
	res = verdict(byratio ? ratio : value, op, thr)
	line = text " " res
	printf "  %s\n", line
	ntarget[res]++
	if (jsonfile != "")
		printf "{\"kind\":\"target\",\"target\":%s,\"storm\":%s,\"n\":%s,\"tool\":%s,\"value\":%s,\"reference\":%s,\"ratio\":%s,\"op\":%s,\"threshold\":%s,\"result\":%s,\"text\":%s}\n", \
		    q(id), q(storm), num(sn[storm]), q(tool), jn(value, "%.4f"), \
		    jn(ref, "%.4f"), jn(ratio, "%.4f"), \
		    q(op), thr, q(res), q(line) >jsonfile
}
function na(v, fm) { return v == "" ? "n/a" : sprintf(fm, v) }
function sz(storm) { return (storm in sn) ? "n=" sn[storm] : "not run" }
END {
	for (s in baselist) base[s] = median(baselist[s])
	hdr = "%-7s %-8s %3s %9s %5s %9s %8s %8s %8s %7s %6s %6s %7s %8s %7s %6s %7s %7s  %s\n"
	printf hdr, "storm", "tool", "rep", "rate/s", "rel", "ev/s", "events", "expect", \
	    "seen", "missing", "lost", "lag s", "CPU s", "CPU/100k", "RSS MiB", "argv %", \
	    "lat p50", "lat p99", "notes"
	for (r = 1; r <= nr; r++) {
		derive(r)
		storm = c[r, 1]; tool = c[r, 5]; key = storm SUBSEP tool
		kn[key]++
		for (i = 1; i <= nmet; i++)
			if (D[MET[i]] != "") L[key, MET[i]] = L[key, MET[i]] " " D[MET[i]]
		seen = c[r, 11]
		if (c[r, 12] == "stats" && has(seen)) seen = "~" seen
		printf hdr, storm, tool, c[r, 4], has(c[r, 8]) ? sprintf("%.0f", c[r, 8]) : "-", \
		    f(D["rel"], "%.2f"), f(D["evs"], "%.0f"), dash(c[r, 9]), \
		    tool == "none" ? "-" : dash(c[r, 10]), dash(seen), f(D["missing"], "%.0f"), \
		    dash(c[r, 13]), f(D["lag"], "%.1f"), f(D["cpu"], "%.2f"), f(D["cpu100"], "%.3f"), \
		    f(D["rss"], "%.1f"), f(D["argv"], "%.1f"), f(D["p50"], "%.2f"), f(D["p99"], "%.2f"), \
		    (c[r, 24] == "ok" ? "" : c[r, 24] " ") c[r, 25]
		if (jsonfile == "") continue
		printf "{\"kind\":\"run\",\"storm\":%s,\"n\":%s,\"concurrency\":%s,\"rep\":%s,\"tool\":%s,", \
		    q(storm), num(c[r, 2]), num(c[r, 3]), num(c[r, 4]), q(tool) >jsonfile
		printf "\"command\":%s,\"storm_seconds\":%s,\"rate\":%s,\"rate_rel\":%s,", \
		    q(c[r, 6]), num(c[r, 7]), num(c[r, 8]), jn(D["rel"], "%.3f") >jsonfile
		printf "\"events\":%s,\"events_per_s\":%s,\"expected\":%s,\"seen\":%s,", \
		    num(c[r, 9]), jn(D["evs"], "%.1f"), tool == "none" ? "null" : num(c[r, 10]), \
		    num(c[r, 11]) >jsonfile
		printf "\"seen_method\":%s,\"missing\":%s,\"lost_self\":%s,\"lag_s\":%s,", \
		    has(c[r, 12]) ? q(c[r, 12]) : "null", jn(D["missing"], "%.0f"), num(c[r, 13]), \
		    jn(D["lag"], "%.3f") >jsonfile
		printf "\"cpu_s\":%s,\"cpu_s_per_100k\":%s,\"peak_rss_kb\":%s,\"argv_share\":%s,", \
		    jn(D["cpu"], "%.2f"), jn(D["cpu100"], "%.3f"), num(c[r, 16]), \
		    D["argv"] == "" ? "null" : sprintf("%.4f", D["argv"] / 100) >jsonfile
		printf "\"latency_n\":%s,\"latency_p50_ms\":%s,\"latency_p99_ms\":%s,\"latency_max_ms\":%s,", \
		    num(c[r, 20]), jn(D["p50"], "%.3f"), jn(D["p99"], "%.3f"), \
		    has(c[r, 23]) ? sprintf("%.3f", c[r, 23] / 1000) : "null" >jsonfile
		printf "\"mark\":%s,\"status\":%s,\"notes\":%s}\n", q(c[r, 17]), q(c[r, 24]), q(c[r, 25]) >jsonfile
	}
	print "commands:"
	for (i = 1; i <= ntools; i++) printf "  %-8s %s\n", tools[i], cmd[tools[i]]
	print "rate: storm units/s (threads or children), rel: against the median of the"
	print "no-monitor runs; events: fork+exec+exit events the storm made; seen ~N: all"
	print "events the tool received (system-wide, its own count); lost: its own count;"
	print "lag: catch-up time after the storm; CPU/100k: monitor CPU s per 100k storm"
	print "events; argv %: the storm'"'"'s execs printed with argv; lat: event-to-line (ms)."

	# Medians over the reps.
	printf "\nmedians over %s rep(s):\n", reps
	mhdr = "%-7s %-8s %4s %5s %9s %7s %6s %8s %7s %6s %7s %7s\n"
	printf mhdr, "storm", "tool", "runs", "rel", "ev/s", "missing", "lost", "CPU/100k", \
	    "RSS MiB", "argv %", "lat p50", "lat p99"
	for (k = 1; k <= nk; k++) {
		key = keys[k]
		for (i = 1; i <= nmet; i++) M[key, MET[i]] = median(L[key, MET[i]])
		for (i = 1; i <= nmet; i++) if (M[key, MET[i]] == "") delete M[key, MET[i]]
		storm = kstorm[k]; tool = ktool[k]
		printf mhdr, storm, tool, kn[key], f(med(storm, tool, "rel"), "%.2f"), \
		    f(med(storm, tool, "evs"), "%.0f"), f(med(storm, tool, "missing"), "%.0f"), \
		    f(med(storm, tool, "lost"), "%.0f"), f(med(storm, tool, "cpu100"), "%.3f"), \
		    f(med(storm, tool, "rss"), "%.1f"), f(med(storm, tool, "argv"), "%.1f"), \
		    f(med(storm, tool, "p50"), "%.2f"), f(med(storm, tool, "p99"), "%.2f")
		if (jsonfile == "") continue
		printf "{\"kind\":\"median\",\"storm\":%s,\"n\":%s,\"tool\":%s,\"runs\":%d,", \
		    q(storm), num(ksize[key]), q(tool), kn[key] >jsonfile
		printf "\"rate_rel\":%s,\"events_per_s\":%s,\"missing\":%s,\"lost_self\":%s,", \
		    jn(med(storm, tool, "rel"), "%.3f"), jn(med(storm, tool, "evs"), "%.1f"), \
		    jn(med(storm, tool, "missing"), "%.0f"), jn(med(storm, tool, "lost"), "%.0f") >jsonfile
		v = med(storm, tool, "rss")
		printf "\"cpu_s_per_100k\":%s,\"peak_rss_kb\":%s,\"argv_share\":%s,", \
		    jn(med(storm, tool, "cpu100"), "%.3f"), v == "" ? "null" : sprintf("%.0f", v * 1024), \
		    med(storm, tool, "argv") == "" ? "null" : sprintf("%.4f", med(storm, tool, "argv") / 100) >jsonfile
		printf "\"latency_p50_ms\":%s,\"latency_p99_ms\":%s}\n", \
		    jn(med(storm, tool, "p50"), "%.3f"), jn(med(storm, tool, "p99"), "%.3f") >jsonfile
	}

	# Targets, from the medians.
	print "\ntargets (medians; n/a: not measured in this run):"
	split("threads fork exec", S3, " ")
	split("100000 100000 20000", SZ, " ")
	for (i = 1; i <= 3; i++) {
		s = S3[i]
		mi = med(s, "sw-file", "missing"); lo = med(s, "sw-file", "lost")
		v = (mi == "" && lo == "") ? "" : mi + lo
		target("lost-" s, s, "sw-file", v, "", "", 0, 0, "=", \
		    sprintf("lost %s (%s; target n=%s): sw-file missing %s + lost %s = %s (= 0)", \
		    s, sz(s), SZ[i], na(mi, "%.0f"), na(lo, "%.0f"), na(v, "%.0f")))
		lo = med(s, "sw-null", "lost")
		target("lost-" s, s, "sw-null", lo, "", "", 0, 0, "=", \
		    sprintf("lost %s (%s; target n=%s): sw-null lost %s (= 0)", s, sz(s), SZ[i], na(lo, "%.0f")))
	}
	split("exec forkstat 0.5 threads bare 1.0", CT, " ")
	for (i = 1; i <= 6; i += 3) {
		s = CT[i]; ref = med(s, CT[i + 1], "cpu100")
		for (t = 1; t <= 2; t++) {
			tool = t == 1 ? "sw-file" : "sw-null"
			v = med(s, tool, "cpu100")
			ratio = (v != "" && ref != "" && ref > 0) ? v / ref : ""
			target("cpu-" s "-vs-" CT[i + 1], s, tool, v, ref, ratio, 1, CT[i + 2], "<=", \
			    sprintf("CPU/100k %s (%s): %s %s vs %s %s → %s× (≤ %.2f)", s, sz(s), tool, \
			    na(v, "%.3f"), CT[i + 1], na(ref, "%.3f"), na(ratio, "%.2f"), CT[i + 2]))
		}
	}
	v = med("exec", "sw-file", "argv")
	target("argv-exec", "exec", "sw-file", v, "", "", 0, 99.5, ">=", \
	    sprintf("argv exec (%s): sw-file %s%% of execs with argv (≥ 99.5%%)", sz("exec"), na(v, "%.2f")))
	for (i = 1; i <= 3; i++) {
		s = S3[i]
		for (t = 1; t <= 2; t++) {
			tool = t == 1 ? "sw-file" : "sw-null"
			v = med(s, tool, "rel")
			target("rate-" s, s, tool, v, "", "", 0, 0.9, ">=", \
			    sprintf("rate %s (%s): with %s %s× the rate with no monitor (≥ 0.90)", \
			    s, sz(s), tool, na(v, "%.2f")))
		}
	}
	live = med("live", "sw-file", "rss")
	target("rss-live", "live", "sw-file", live, "", "", 0, 8, "<=", \
	    sprintf("RSS live (%s alive; target 10000): sw-file VmHWM %s MiB (≤ 8.0)", \
	    ("live" in sn) ? sn["live"] : "not run", na(live, "%.1f")))
	v = med("fork", "sw-file", "rss")
	d = (v != "" && live != "") ? v - live : ""
	target("rss-flat", "fork", "sw-file", d, live, "", 0, 2, "<=", \
	    sprintf("RSS flat: sw-file VmHWM over the fork storm (%s) %s MiB minus the live run'"'"'s %s MiB = %s MiB (≤ +2.0: no more than with 10000 alive, give or take 2 MiB)", \
	    sz("fork"), na(v, "%.1f"), na(live, "%.1f"), na(d, "%+.1f")))
	v = med("idle", "sw-file", "p50")
	target("latency-idle", "idle", "sw-file", v, "", "", 0, 1, "<=", \
	    sprintf("latency idle (%s): sw-file p50 %s ms, p99 %s ms (p50 ≤ 1)", sz("idle"), \
	    na(v, "%.2f"), na(med("idle", "sw-file", "p99"), "%.2f")))
	for (i = 1; i <= 3; i++) {
		s = S3[i]; v = med(s, "sw-file", "p50")
		target("latency-" s, s, "sw-file", v, "", "", 0, 20, "<=", \
		    sprintf("latency %s storm (%s): sw-file p50 %s ms, p99 %s ms (p50 ≤ 20)", s, sz(s), \
		    na(v, "%.2f"), na(med(s, "sw-file", "p99"), "%.2f")))
	}
	printf "targets: %d PASS, %d MISS, %d n/a\n", ntarget["PASS"], ntarget["MISS"], ntarget["n/a"]
	if (jsonfile != "") close(jsonfile)
}'

echo "spawnwatch benchmark: $SWVER, Linux $KERNEL, $(nproc) CPUs, ${ELAPSED}s"
echo "storms: ${STORM_LIST[*]} (threads n=$N_THREADS, fork n=$N_FORK, exec n=$N_EXEC," \
	"zombies/orphans n=$N_PROCS, idle n=$N_IDLE at ${IDLE_INTERVAL_MS} ms, live n=$N_LIVE;" \
	"$CONC workers), reps $REPS"
JSON_TMP=
[ -n "$JSON_OUT" ] && JSON_TMP=$WORK/report.jsonl
awk -v tck="$CLK_TCK" -v reps="$REPS" -v jsonfile="$JSON_TMP" "$REPORT_AWK" "$ROWS" ||
	breakage "the report failed"
if [ -n "$JSON_OUT" ]; then
	cp "$JSON_TMP" "$JSON_OUT" || breakage "cannot write $JSON_OUT"
fi
if [ "$BROKEN" != 0 ]; then
	note "run.sh: something broke (see BROKEN above)"
	exit 1
fi
exit 0
