# Forks per parent per minute over a spawnwatch --json log (UTC minutes, the
# log's own clock), busiest parent first within each minute:
#
#   jq -n -c -f fork-rate.jq /var/log/spawnwatch/events.json
#   jq -n -c --argjson min 100 -f fork-rate.jq events.json   # only >= 100/min
#
# {"minute":"2026-11-30T22:31","ppid":P,"comm":"...","forks":N}.  Threads
# (--threads) are not counted.
($ARGS.named.min // 1) as $min
| reduce (inputs | select(.event == "fork" and .thread != true)) as $e ({};
	($e.ancestry[0]? // {}) as $p
	| ($e.ts[0:16]) as $m
	| (if $p.pid == $e.ppid then $p.comm else null end // $e.comm) as $comm
	| "\($m)\u0000\($e.ppid)\u0000\($comm)" as $k
	| .[$k] |= {minute: $m, ppid: $e.ppid, comm: $comm, forks: ((.forks // 0) + 1)})
| [.[] | select(.forks >= $min)] | sort_by(.minute, -.forks, .ppid)[]
