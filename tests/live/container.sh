#!/bin/bash
# A process in a container's cgroup carries {"container": {id, runtime}};
# one on the host carries none.  The container is made the way docker
# makes one with cgroupfs: a cgroup named /docker/<64 hex digits>, and a
# mount namespace of its own (a process in the host's namespaces that was
# in no container before its exec is taken to be in none after it: its
# cgroup is not read).
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

id=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
base=
for b in /sys/fs/cgroup/pids /sys/fs/cgroup/unified /sys/fs/cgroup; do
	if [ -e "$b/cgroup.procs" ] && mkdir -p "$b/docker/$id" 2>/dev/null; then
		base=$b
		break
	fi
done
[ -n "$base" ] || { echo "SKIP: cannot create a cgroup here"; exit 77; }
cg=$base/docker/$id
trap 'rmdir "$cg" 2>/dev/null; rmdir "$base/docker" 2>/dev/null; cleanup' EXIT

start_sw
unshare -m sh -c 'echo $$ >"$1/cgroup.procs" && exec /bin/sleep 0.1' "$MARK-in" "$cg" &
inside=$!
sh -c 'exec /bin/sleep 0.1' "$MARK-out" &
outside=$!
wait "$inside" "$outside"
wait_exit_of "$inside"
wait_exit_of "$outside"
stop_sw
check_stream
line=$(jq -c "select(.event == \"exec\" and .pid == $inside)" "$OUT")
echo "$line" | jq -e --arg id "$id" '.container == {id: $id, runtime: "docker"}' >/dev/null ||
	fail "no docker container on the exec inside $cg: $line"
has ".event == \"exit\" and .pid == $inside and .container.id == \"$id\"" ||
	fail "the exit line lost the container"
[ "$(count ".pid == $outside and has(\"container\")")" = 0 ] || fail "a host process got a container"
pass "container {id, runtime: docker} from the cgroup path; none on the host"
