# The processes that forked the most over a spawnwatch --json log, top 10:
#
#   jq -n -c -f top-spawners.jq /var/log/spawnwatch/events.json
#   zcat events.json.2.gz | jq -n -c -f top-spawners.jq
#
# One object per parent, most forks first: {"forks":N,"ppid":P,"comm":"...",
# "exe":"..."}.  Counts process forks, not threads (--threads); a parent is
# its pid and name, so a reused pid of another program counts apart.
reduce (inputs | select(.event == "fork" and .thread != true)) as $e ({};
	($e.ancestry[0]? // {}) as $p
	| (if $p.pid == $e.ppid then $p else {} end) as $parent
	| "\($e.ppid)\u0000\($parent.comm // $e.comm)" as $k
	| .[$k].forks += 1
	| .[$k].ppid = $e.ppid
	| .[$k].comm = ($parent.comm // $e.comm)
	| .[$k].exe = ($parent.exe // $e.exe))
| [.[]] | sort_by(-.forks, .ppid) | .[:10][]
| {forks, ppid, comm, exe}
