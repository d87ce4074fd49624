/* SPDX-License-Identifier: MIT */
/*
 * Which container, if any, a process runs in, from the text of
 * /proc/PID/cgroup.  A pure parser: no /proc access here.
 *
 * Each line is "hierarchy-ID:controller-list:path" (cgroup v2 is "0::path");
 * the path is split on '/' and its elements are matched against the layouts
 * the runtimes create:
 *
 *   element(s)                          runtime      id
 *   docker/<hex>                        docker       hex
 *   docker-<hex>.scope                  docker       hex
 *   cri-containerd-<hex>.scope          containerd   hex
 *   ...:cri-containerd:<hex>            containerd   hex (SystemdCgroup off)
 *   nerdctl-<hex>.scope                 containerd   hex
 *   crio-<hex>[.scope]                  cri-o        hex
 *   libpod-<hex>[.scope]                podman       hex
 *   lxc/<name>, lxc.payload/<name>      lxc          name
 *   lxc.payload.<name>                  lxc          name
 *   <hex> below kubepods[.slice]        kubepods     hex (runtime unnamed)
 *   pod<uid>, *-pod<uid>.slice          kubepods     pod UID ('-' joined)
 *     below kubepods[.slice], with no container element below it
 *
 * <hex> is exactly 64 lowercase hex digits; <name> is 1 to
 * SW_CONTAINER_ID_MAX bytes of printable ASCII other than space; <uid> is a
 * UUID (with '-', or '_' in a systemd slice) or 32 hex digits (static pods).
 * A kubepods element is "kubepods", "kubepods.slice" or "*-kubepods.slice"
 * (kind nests kubelet-kubepods.slice).  Inside a pod the runtime is the one
 * the element names (cri-containerd-, crio-, docker-), and "kubepods" only
 * when it names none.  The runtime elements count anywhere, in a pod or not.
 *
 * Each of those counts only where its runtime puts it, because below
 * user@UID.service (a user's delegated subtree), or in a service delegated
 * to a user, anyone may create a cgroup of any name: outside any container,
 * docker-, cri-containerd- and nerdctl-<hex>.scope and crio-<hex> directly
 * below / or /system.slice (crio- also /machine.slice); libpod-<hex> below
 * /, /machine.slice, /machine.slice/machine-libpod_pod_*.slice,
 * /libpod_parent or /libpod_parent/<pod>; docker/<hex>, lxc/<name>,
 * lxc.payload/<name> and lxc.payload.<name> at the top; the colon form at
 * the top or below /system.slice/containerd.service; kubepods[.slice] at
 * the top or below /kubelet, *-kubepods.slice below /kubelet.slice.  Leading
 * ".." elements (parents above the reader's cgroup namespace) are skipped.
 * Inside a container or kubepods tree so placed, the elements count
 * anywhere (its inside belongs to it: nesting, kind).
 *
 * Rootless containers are the user's own: docker-, nerdctl- and
 * libpod-<hex>.scope directly below user@UID.service/user.slice (libpod
 * also below user.slice/user-libpod_pod_*.slice) are reported with the
 * runtime "docker-rootless", "containerd-rootless" or "podman-rootless",
 * so that a reader sees the id is the user's claim, and nothing below one
 * counts.  Any other runtime element below user@UID.service matches nothing.
 *
 * The deepest match in a path wins (a container started inside another
 * container belongs to the inner one); elements below it that match nothing
 * (init.scope, a "container" leaf) do not undo it.  The runtimes' monitors,
 * crio-conmon-<hex> and libpod-conmon-<hex>, are not the container they
 * watch: they match nothing, and a conmon element also cancels a pod match
 * above it, so conmon in a pod slice counts as outside the pod.  Nothing
 * else matches either: lxc.monitor.<name>, user.slice, init.scope, services
 * such as docker.service or containerd.service, a bare <hex> outside a
 * kubepods tree, a hex id of any other length or with upper-case digits.
 *
 * Across lines, a container match beats a pod match, and otherwise the first
 * line that matches wins.  Lines that are not "digits:field:/path" are
 * skipped, so garbage means "not a container".
 *
 * Whatever the runtime, the cgroup path may also name the process's group
 * (name, filled whether a runtime matched or not): plain runc puts a
 * container in /<id>, or in its cgroupsPath.  It is the deepest element of
 * the cgroup v2 line ("0::"; without one, of the first line that has such
 * an element: a v1 hierarchy's path may be the host's own) that is not
 * a systemd unit (*.slice, *.service, *.scope, *.socket, *.mount, *.swap:
 * a launcher's session, service or slice names no container), leading
 * ".." aside; machine-<name>.scope (systemd-nspawn) names <name>, above
 * anything below it.  It is printable ASCII other than space and '/', 1 to
 * SW_CONTAINER_ID_MAX bytes, else there is none.  Only the namespaces say
 * that the group is a container (sw_container_by_ns()).
 */
#ifndef SW_CONTAINER_H
#define SW_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#define SW_CONTAINER_ID_MAX 64

struct sw_container {
	char id[SW_CONTAINER_ID_MAX + 1];	/* container id as the runtime names it (hex for docker/containerd/cri-o/podman/kubepods, the name for lxc) */
	const char *runtime;			/* "docker", "containerd", "cri-o", "podman", "kubepods", "lxc", or "docker-rootless", "containerd-rootless", "podman-rootless"; "unknown" from sw_container_by_ns(); static string */
	char name[SW_CONTAINER_ID_MAX + 1];	/* what the cgroup path calls the group, or "" */
};

/*
 * Parses /proc/PID/cgroup text (buf[0..len), not NUL-terminated, any bytes).
 * Returns 1 and fills *ret when a container is recognised, 0 when not (host
 * process; *ret is then cleared).  Never fails: garbage is 0.
 */
int sw_container_parse(const char *buf, size_t len, struct sw_container *ret);

/*
 * A process whose mount AND pid namespaces both differ from the host's
 * runs in a container, whatever its cgroup says: a runtime gives its
 * processes both (plain runc, crun, unshare -pm), while a systemd service
 * with PrivateTmp= or ProtectSystem= has a mount namespace of its own in
 * the host's pid namespace, and is none.  For such a process, whose cgroup
 * named no runtime (sw_container_parse() said 0, which left c->name),
 * fills c with runtime "unknown" and the id c->name, or "pidns-<inode>"
 * (its pid namespace's inode) when the cgroup path names nothing, or was
 * not read (c->name ""; a caller that reuses c clears it).  Returns 1
 * then, 0 when c is left as it is (a namespace or the host's unknown: 0).
 */
int sw_container_by_ns(struct sw_container *c, uint64_t mntns, uint64_t pidns,
		       uint64_t host_mntns, uint64_t host_pidns);

#endif
