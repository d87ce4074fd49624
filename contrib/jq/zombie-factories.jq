# Parents that left 100 or more exited children unreaped (the
# zombie-accumulation anomaly, spawnwatch(1) TAGS), one line each time one
# was raised:
#
#   jq -c -f zombie-factories.jq /var/log/spawnwatch/events.json
#
# {"ts","host","pid","comm","exe","argv","zombies","threshold","oldest_s"}:
# the parent, how many zombies it held, the threshold in effect, and the age
# in seconds of its oldest zombie.
select(.event == "anomaly" and .tag == "zombie-accumulation")
| {ts, host, pid, comm, exe, argv,
   zombies: .detail.count, threshold: .detail.threshold,
   oldest_s: .detail.oldest_s}
