#!/bin/bash
# cron-overlap with the real cron daemon (Debian's cron), in a mount
# namespace of the test's own whose /etc/cron.d, crontabs and /run hold
# only the test's jobs: two @reboot runs of one job (`sh -c JOB`) start
# together, so the second starts while the first lives.  The second's exec
# is tagged, and one anomaly names the job by its first run still alive:
# that run's pid and the job's command line, not cron's child and its
# argv (`/usr/sbin/CRON -f`).  Another job under cron, and the same
# command line run twice by hand, are not overlaps.  (allowpath.sh: a
# copy named cron elsewhere is no daemon.)
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
crond=/usr/sbin/cron
[ -x "$crond" ] || { echo "SKIP: no $crond (Debian package cron)"; exit 77; }
[ -d /etc/cron.d ] || { echo "SKIP: no /etc/cron.d"; exit 77; }
if [ -z "${SW_OWN_MOUNTS:-}" ]; then
	command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
	rm -rf "$TMP"
	trap - EXIT
	SW_OWN_MOUNTS=1 exec unshare -m --propagation private "$BASH" "$0" "$@"
fi
# Only the test's jobs, and a /run without the host's crond.pid or the
# crond.reboot that keeps @reboot jobs from running twice a boot.
for d in /run /etc/cron.d /var/spool/cron/crontabs; do
	if [ -d "$d" ]; then
		mount -t tmpfs -o mode=0755 tmpfs "$d" || fail "cannot mount a tmpfs on $d"
	fi
done
if [ -e /etc/crontab ]; then
	printf 'SHELL=/bin/sh\n' >"$TMP/crontab"
	mount --bind "$TMP/crontab" /etc/crontab || fail "cannot hide /etc/crontab"
fi
# sleep adds its arguments: the second one makes the command line unique;
# "; true" keeps sh from exec'ing sleep, so the job is `sh -c JOB`.
job="/bin/sleep 3 0.0$$; true"
other="/bin/sleep 3 0.1$$; true"
printf 'SHELL=/bin/sh\n@reboot root %s\n@reboot root %s\n@reboot root %s\n' \
	"$job" "$job" "$other" >/etc/cron.d/swtest
chmod 0644 /etc/cron.d/swtest

start_sw
"$crond" -f &
cron=$!
# The same command line twice by hand, outside cron.
/bin/sh -c "$job" &
plain1=$!
/bin/sh -c "$job" &
plain2=$!
is_job='.event == "exec" and .argv == ["/bin/sh", "-c", $job]'
runs() { jq -c --arg job "$job" "select($is_job)" "$OUT" | wc -l; }
wait_until 15 has ".event == \"anomaly\" and .tag == \"cron-overlap\"" ||
	fail "no cron-overlap anomaly: $(jq -c --arg job "$job" "select($is_job)" "$OUT")"
wait_until 10 eval '[ "$(runs)" -ge 4 ]' || fail "not four runs of the job: $(runs)"
kill "$cron"
wait "$cron" "$plain1" "$plain2"
# The jobs' sleeps end within 3 s; the last exit of a job is the sentinel.
mapfile -t jobs < <(jq --arg job "$job" --arg o "$other" \
	'select(.event == "exec" and (.argv == ["/bin/sh", "-c", $job] or .argv == ["/bin/sh", "-c", $o])) | .pid' "$OUT")
for p in "${jobs[@]}"; do
	wait_exit_of "$p"
done
stop_sw
check_stream

jcount() { jq -c --arg job "$job" --arg o "$other" "select($1)" "$OUT" | wc -l; }
# Four runs of the job: two under cron's children, two by hand.
mapfile -t cronruns < <(jq --argjson cron "$cron" --arg job "$job" '
	select(.event == "exec" and .argv == ["/bin/sh", "-c", $job] and
	       .ancestry[1].pid? == $cron) | .pid' "$OUT")
[ "${#cronruns[@]}" = 2 ] || fail "not two runs of the job under cron: ${cronruns[*]}"
[ "$(jcount ".event == \"exec\" and (.tags // [] | index(\"cron-overlap\"))")" = 1 ] ||
	fail "expected one tagged exec: $(jq -c 'select(.event == "exec" and .tags) | [.pid, .argv, .tags]' "$OUT")"
tagged=$(jq --arg job "$job" "select($is_job and (.tags // [] | index(\"cron-overlap\"))) | .pid" "$OUT")
case " ${cronruns[*]} " in
*" $tagged "*) ;;
*) fail "the tagged exec ($tagged) is not a run under cron (${cronruns[*]})" ;;
esac
# The first run is the one that started (forked) first: the two @reboot
# runs start together, so it may be the one whose exec came second.
first=$(jq -s --argjson a "${cronruns[0]}" --argjson b "${cronruns[1]}" '
	map(select(.event == "fork" and (.pid == $a or .pid == $b))) | .[0].pid' "$OUT")
line=$(jq -c 'select(.event == "anomaly" and .tag == "cron-overlap")' "$OUT")
[ "$(echo "$line" | grep -c .)" = 1 ] || fail "raised more than once: $line"
echo "$line" | jq -e --argjson p "$first" --arg job "$job" --argjson cron "$cron" '
	.pid == $p and .argv == ["/bin/sh", "-c", $job] and .comm == "sh" and
	.ancestry[1].pid == $cron and .tags == ["cron-overlap"] and
	.detail.count == 1 and .detail.threshold == 1 and .detail.oldest_s >= 0' >/dev/null ||
	fail "the anomaly does not name the job's first run ($first, sh -c JOB): $line"
[ "$(jcount ".event == \"exec\" and .argv == [\"/bin/sh\", \"-c\", \$o] and has(\"tags\")")" = 0 ] ||
	fail "the other job was tagged"
pass "cron-overlap on the second run under real cron; one anomaly naming the first run ($first) and its command line"
