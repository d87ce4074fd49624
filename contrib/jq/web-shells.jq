# Shells and recon tools started by a web or application server (tag
# web-shell, spawnwatch(1) TAGS), with the server that started them:
#
#   jq -c -f web-shells.jq /var/log/spawnwatch/events.json
#   spawnwatch -j --tagged | jq -c --unbuffered -f web-shells.jq
#
# One object per exec: {"ts","host","pid","user","argv","cwd",
# "parent":{"pid","comm","exe"}}.
select(.event == "exec" and ((.tags // []) | index("web-shell")))
| {ts, host, pid, user, argv, cwd,
   parent: ((.ancestry[0]? // {}) | {pid: (.pid // null), comm, exe})}
