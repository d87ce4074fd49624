#!/bin/bash
# A container started by plain runc (Debian's runc, a busybox bundle): its
# cgroup is /<id>, which names no runtime, but its processes run in a mount
# and a pid namespace of their own, so each exec inside carries
# {"container": {id: <id>, runtime: "unknown"}}.  Near misses on the host:
# a mount namespace alone (what a service's PrivateTmp= gives) and a pid
# namespace alone are no container; unshare of both is one, named by its
# pid namespace when its cgroup names nothing.  A container that runs
# before the watch starts is found by the /proc scan.
. "${LIVE_LIB:-$(dirname "$0")/lib.sh}"
need_root
command -v runc >/dev/null || { echo "SKIP: no runc (Debian package runc)"; exit 77; }
command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
bb=$(command -v busybox) || { echo "SKIP: no busybox (Debian package busybox)"; exit 77; }

# The bundle: busybox and the libraries it needs, if any, at their paths.
bundle=$TMP/bundle
root=$TMP/runc-root
mkdir -p "$bundle/rootfs/bin" "$root"
cp "$bb" "$bundle/rootfs/bin/busybox"
for lib in $(ldd "$bb" 2>/dev/null | grep -o '/[^ ]*'); do
	mkdir -p "$bundle/rootfs$(dirname "$lib")"
	cp -L "$lib" "$bundle/rootfs$lib"
done
for applet in sh sleep echo; do
	ln -s busybox "$bundle/rootfs/bin/$applet"
done
(cd "$bundle" && runc spec) || fail "runc spec failed"
jq '.process.terminal = false | .process.args = $args' \
	--argjson args '["/bin/sh", "-c", "sleep 3; echo hi"]' \
	"$bundle/config.json" >"$bundle/config.new" &&
	mv "$bundle/config.new" "$bundle/config.json" || fail "cannot edit config.json"

id=sw-$$-$RANDOM
runs=()
# run_container ID: runc run in the foreground, bounded; its output in $TMP/ID.
run_container() {
	runs+=("$1")
	timeout 30 runc --root "$root" run --bundle "$bundle" "$1" >"$TMP/$1" 2>&1
}
undo() {
	local r
	for r in "${runs[@]}"; do
		runc --root "$root" delete --force "$r" >/dev/null 2>&1
	done
	cleanup
}
trap undo EXIT

# Can runc run on this kernel at all (namespaces, cgroups, pivot_root)?
if ! run_container "$id-probe" || [ "$(cat "$TMP/$id-probe")" != hi ]; then
	echo "SKIP: runc cannot run a container here: $(tail -n 1 "$TMP/$id-probe")"
	exit 77
fi

# A container already running when the watch starts: the /proc scan gives
# its processes theirs.  Its sleep is found by its cgroup, /<id>.
runs+=("$id-seed")	# run in a subshell: its own runs+= is lost
run_container "$id-seed" &
seeder=$!
seeded_sleep() {
	local f
	for f in /proc/[0-9]*/cgroup; do
		grep -q ":/$id-seed\$" "$f" 2>/dev/null || continue
		f=${f%/cgroup}
		[ "$(cat "$f/comm" 2>/dev/null)" = sleep ] && { echo "${f#/proc/}"; return 0; }
	done
	return 1
}
wait_until 10 seeded_sleep >/dev/null || fail "the container $id-seed runs no sleep"
seeded=$(seeded_sleep)

start_sw
run_container "$id" || fail "runc run $id failed: $(cat "$TMP/$id")"
[ "$(cat "$TMP/$id")" = hi ] || fail "the container said: $(cat "$TMP/$id")"
# Near misses, and unshare of both namespaces.
unshare -m --propagation private sh -c 'exec /bin/sleep 0.1' "$MARK-mnt" &
p_mnt=$!
unshare -p -f sh -c 'exec /bin/sleep 0.1' "$MARK-pid" &
p_pid=$!
# Its mark is a time sleep adds: 0.0 seconds and the test's pid.
both_mark=0.0$$
unshare -m -p -f --mount-proc /bin/sleep 0.1 "$both_mark" &
p_both=$!
sh -c 'exec /bin/sleep 0.1' "$MARK-host" &
p_host=$!
wait "$p_mnt" "$p_pid" "$p_both" "$p_host" "$seeder"
wait_exit_of "$seeded"
wait_until 10 has ".event == \"exit\" and .argv == [\"/bin/sleep\", \"0.1\", \"$both_mark\"]" ||
	fail "no exit of the sleep in unshare -m -p"
stop_sw
check_stream

shline=$(jq -c 'select(.event == "exec" and .argv == ["/bin/sh", "-c", "sleep 3; echo hi"])' "$OUT")
[ "$(echo "$shline" | grep -c .)" = 1 ] || fail "not one exec of the container's sh: $shline"
echo "$shline" | jq -e --arg id "$id" '.container == {id: $id, runtime: "unknown"}' >/dev/null ||
	fail "the container's sh has no container $id: $shline"
n=$(count ".event == \"exec\" and .argv == [\"sleep\", \"3\"] and .container == {id: \"$id\", runtime: \"unknown\"}")
[ "$n" = 1 ] || fail "$n execs of the container's sleep with container $id: $(jq -c 'select(.argv == ["sleep", "3"])' "$OUT")"
shpid=$(echo "$shline" | jq .pid)
has ".event == \"exit\" and .pid == $shpid and .container.id == \"$id\"" ||
	fail "the exit of the container's sh lost the container"
# Any other process in both namespaces of its own is the unshare's.
other='.event == "exec" and .container.runtime? == "unknown" and .container.id != $id and .argv != ["/bin/sleep", "0.1", $mark]'
n=$(jq -c --arg id "$id" --arg mark "$both_mark" "select($other)" "$OUT" | wc -l)
[ "$n" = 0 ] || fail "$n execs outside the container got one: $(jq -c --arg id "$id" --arg mark "$both_mark" "select($other) | [.pid, .argv, .container]" "$OUT" | head -5)"
for p in "$p_mnt" "$p_pid" "$p_host"; do
	[ "$(count ".pid == $p and has(\"container\")")" = 0 ] ||
		fail "a process in one namespace of its own ($p) got a container: $(jq -c "select(.pid == $p)" "$OUT")"
done
both=$(jq -c "select(.event == \"exec\" and .argv == [\"/bin/sleep\", \"0.1\", \"$both_mark\"])" "$OUT")
echo "$both" | jq -e '.container.runtime == "unknown" and (.container.id | test("^pidns-[0-9]+$"))' >/dev/null ||
	fail "unshare -m -p: no container named by its pid namespace: $both"
has ".event == \"exit\" and .pid == $seeded and .container == {id: \"$id-seed\", runtime: \"unknown\"}" ||
	fail "the exit of $seeded, in $id-seed from before the start, has no container: $(jq -c "select(.pid == $seeded)" "$OUT")"
pass "runc $id: {id: $id, runtime: unknown} on its execs, and on a container running before the start; a mount or a pid namespace alone: none; both: $(echo "$both" | jq -r .container.id)"
