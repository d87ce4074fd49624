#!/bin/bash
# A container id counts only where the runtime puts it.  Any user may make
# cgroups in the subtree systemd delegates to them, user@UID.service, and
# name one docker-<64 hex>.scope: a process moved there and exec'ing gets
# no container, while one moved into /system.slice/docker-<hex>.scope (a
# place only root can create) gets {id, runtime: docker}.  Both run in a
# mount namespace of their own, as a container's processes do (a process
# in the host's namespaces that was in no container is not looked up).
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root

hex() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
fake=$(hex)
real=$(hex)
uid=$((60000 + RANDOM % 5000))
made=()
# mk DIR...: creates each missing directory, remembering it for the trap.
mk() {
	local d
	for d in "$@"; do
		[ -d "$d" ] && continue
		mkdir "$d" 2>/dev/null || return 1
		made=("$d" "${made[@]}")
	done
}
# The cgroups go once their processes are reaped.
undo() {
	local d
	for d in "${made[@]}"; do
		wait_until 5 rmdir "$d" 2>/dev/null || echo "left $d" >&2
	done
	cleanup
}
trap undo EXIT

base=
for b in /sys/fs/cgroup/unified /sys/fs/cgroup; do
	if [ "$(stat -f -c %T "$b" 2>/dev/null)" = cgroup2fs ] && [ -w "$b/cgroup.procs" ]; then
		base=$b
		break
	fi
done
[ -n "$base" ] || { echo "SKIP: no writable cgroup v2 hierarchy"; exit 77; }
user=$base/user.slice/user-$uid.slice/user@$uid.service
mk "$base/user.slice" "$base/user.slice/user-$uid.slice" "$user" \
	"$user/docker-$fake.scope" ||
	{ echo "SKIP: cannot create cgroups below $base"; exit 77; }
mk "$base/system.slice" "$base/system.slice/docker-$real.scope" ||
	fail "cannot create $base/system.slice/docker-$real.scope"
# A docker-<hex>.scope a user made in the delegated subtree, like the
# rootless shape but one level off, and the real rootless shape.
mk "$user/user.slice" "$user/user.slice/libpod-$real.scope" ||
	fail "cannot create $user/user.slice/libpod-$real.scope"

start_sw
# join_cg CGROUP MARK: a process that joins CGROUP in a mount namespace of
# its own, then execs; its pid on stdout.
join_cg() {
	unshare -m sh -c 'echo $$ >"$1/cgroup.procs" && exec /bin/sleep 0.1' \
		"$MARK-$2" "$1" >/dev/null 2>&1 &
	echo $!
}
p_fake=$(join_cg "$user/docker-$fake.scope" fake)
p_real=$(join_cg "$base/system.slice/docker-$real.scope" real)
p_root=$(join_cg "$user/user.slice/libpod-$real.scope" rootless)
for p in "$p_fake" "$p_real" "$p_root"; do
	wait_exit_of "$p"
done
stop_sw
check_stream

line() { jq -c "select(.event == \"exec\" and .pid == $1)" "$OUT"; }
l=$(line "$p_fake")
[ -n "$l" ] || fail "no exec line from the process in $user/docker-$fake.scope"
echo "$l" | jq -e 'has("container") | not' >/dev/null ||
	fail "a cgroup a user can make gave a container: $l"
[ "$(count ".pid == $p_fake and has(\"container\")")" = 0 ] ||
	fail "a line of the process in the user's docker-<hex>.scope has a container"
l=$(line "$p_real")
echo "$l" | jq -e --arg id "$real" '.container == {id: $id, runtime: "docker"}' >/dev/null ||
	fail "no docker container on the exec in /system.slice/docker-<hex>.scope: $l"
l=$(line "$p_root")
echo "$l" | jq -e --arg id "$real" '.container == {id: $id, runtime: "podman-rootless"}' >/dev/null ||
	fail "the rootless podman shape is not podman-rootless: $l"
pass "docker-<hex>.scope below user@$uid.service: no container; /system.slice: docker; user.slice/libpod: podman-rootless"
