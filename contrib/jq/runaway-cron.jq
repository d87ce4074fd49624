# Cron jobs started while an earlier run of the same command line was still
# alive (the cron-overlap tag and anomaly, spawnwatch(1) TAGS):
#
#   jq -c -f runaway-cron.jq /var/log/spawnwatch/events.json
#
# For each overlapping start (an exec tagged cron-overlap):
#   {"ts","host","event":"exec","pid","ppid","user","argv"}
# and for each anomaly, naming the job by its first run still alive:
#   {"ts","host","event":"anomaly","pid","comm","argv","earlier_runs","oldest_s"}
# (earlier_runs: runs of that command line still alive; oldest_s: the age in
# seconds of the oldest).
if .event == "anomaly" and .tag == "cron-overlap" then
	{ts, host, event, pid, comm, argv,
	 earlier_runs: .detail.count, oldest_s: .detail.oldest_s}
elif .event == "exec" and ((.tags // []) | index("cron-overlap")) then
	{ts, host, event, pid, ppid, user, argv}
else
	empty
end
