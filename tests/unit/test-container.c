/* SPDX-License-Identifier: MIT */
/* Container recognition from /proc/PID/cgroup text. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "container.h"

#define HEX16 "0123456789abcdef"
#define HEX HEX16 HEX16 HEX16 HEX16		/* 64 digits */
#define HEX2 "fedcba9876543210" "fedcba9876543210" \
	     "fedcba9876543210" "fedcba9876543210"
#define HEX63 HEX16 HEX16 HEX16 "0123456789abcde"
#define HEXG HEX16 HEX16 HEX16 "0123456789abcdeg"	/* 'g' is not hex */
#define HEXU HEX16 HEX16 HEX16 "0123456789ABCDEF"	/* upper case */
#define HEX32 HEX16 HEX16
#define UID "74c13223-5a00-11e9-b385-42010a80018d"
#define UID_ "74c13223_5a00_11e9_b385_42010a80018d"	/* systemd slice */
#define NAME64 HEX16 HEX16 HEX16 HEX16
#define KSLICE "/kubepods.slice/kubepods-burstable.slice/" \
	       "kubepods-burstable-pod" UID_ ".slice"

/* Parses an exact-size heap copy, so ASan sees any read past len. */
static int parse_n(const char *s, size_t len, struct sw_container *c)
{
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, s, len);
	r = sw_container_parse(copy, len, c);
	free(copy);
	return r;
}

static int parse(const char *s, struct sw_container *c)
{
	return parse_n(s, strlen(s), c);
}

static void expect(const char *s, const char *runtime, const char *id)
{
	struct sw_container c;
	int r = parse(s, &c);

	if (r != 1 || strcmp(c.runtime, runtime) || strcmp(c.id, id))
		print_message("input: %s\n", s);
	assert_int_equal(r, 1);
	assert_string_equal(c.runtime, runtime);
	assert_string_equal(c.id, id);
}

static void expect_host(const char *s)
{
	struct sw_container c;
	int r = parse(s, &c);

	if (r != 0)
		print_message("input: %s\ngot %s %s\n", s, c.runtime, c.id);
	assert_int_equal(r, 0);
	assert_null(c.runtime);
	assert_string_equal(c.id, "");
}

static void test_docker(void **state)
{
	expect("0::/system.slice/docker-" HEX ".scope\n", "docker", HEX);
	expect("0::/docker-" HEX ".scope", "docker", HEX);
	expect("12:pids:/docker/" HEX "\n", "docker", HEX);
	expect("0::/docker/" HEX "/init.scope\n", "docker", HEX);
	/* Seen from a process in a child cgroup namespace. */
	expect("0::/../../system.slice/docker-" HEX ".scope\n", "docker", HEX);
	expect("12:pids:/docker/" HEX "\n"
	       "11:cpu,cpuacct:/docker/" HEX "\n"
	       "10:memory:/docker/" HEX "\n"
	       "1:name=systemd:/docker/" HEX "\n"
	       "0::/system.slice/containerd.service\n", "docker", HEX);
}

static void test_docker_near_misses(void **state)
{
	expect_host("0::/docker/" HEX63 "\n");
	expect_host("0::/docker/" HEX "0\n");
	expect_host("0::/docker/" HEXG "\n");
	expect_host("0::/docker/" HEXU "\n");
	expect_host("0::/system.slice/docker-" HEX63 ".scope\n");
	expect_host("0::/system.slice/docker-" HEXG ".scope\n");
	expect_host("0::/system.slice/docker-" HEX "0.scope\n");
	expect_host("0::/system.slice/docker-" HEX "\n");	/* no .scope */
	expect_host("0::/system.slice/docker-" HEX ".scope.d\n");
	expect_host("0::/system.slice/docker-" HEX ".service\n");
	expect_host("0::/system.slice/mydocker-" HEX ".scope\n");
	expect_host("0::/system.slice/docker.service\n");
	expect_host("0::/system.slice/docker.socket\n");
	expect_host("0::/system.slice/docker-cleanup.service\n");
	expect_host("0::/mydocker/" HEX "\n");
	expect_host("0::/docker.slice/" HEX "\n");
	expect_host("0::/docker\n");
	expect_host("0::/docker/\n");
	expect_host("0::/docker//" HEX "\n");
	expect_host("0::/docker/buildkit/abc123\n");
	expect_host("0::/" HEX "\n");	/* a bare id names no runtime */
	expect_host("0::/" HEX "/docker\n");
}

static void test_containerd(void **state)
{
	expect("0::/system.slice/cri-containerd-" HEX ".scope\n",
	       "containerd", HEX);
	expect("0::" KSLICE "/cri-containerd-" HEX ".scope\n",
	       "containerd", HEX);
	/* containerd without SystemdCgroup = true under a systemd kubelet. */
	expect("0::/system.slice/containerd.service/kubepods-burstable-pod"
	       UID_ ".slice:cri-containerd:" HEX "\n", "containerd", HEX);
	expect("0::/system.slice/nerdctl-" HEX ".scope\n", "containerd", HEX);

	expect_host("0::/system.slice/containerd.service\n");
	expect_host("0::/system.slice/containerd.service/"
		    "kubepods-burstable-pod" UID_ ".slice:cri-containerd:"
		    HEX63 "\n");
	expect_host("0::/system.slice/foo:cri-containerd:" HEXG "\n");
	expect_host("0::/system.slice/cri-containerd-" HEX "\n");
	expect_host("0::/system.slice/cri-containerd-" HEX63 ".scope\n");
	/* Not a layout containerd creates by default: not guessed at. */
	expect_host("0::/containerd/" HEX "\n");
	expect_host("0::/default/" HEX "\n");
}

static void test_crio(void **state)
{
	expect("0::" KSLICE "/crio-" HEX ".scope\n", "cri-o", HEX);
	expect("0::" KSLICE "/crio-" HEX ".scope/container\n", "cri-o", HEX);
	expect("0::/machine.slice/crio-" HEX ".scope\n", "cri-o", HEX);
	/* cgroupfs manager: no .scope. */
	expect("5:memory:/kubepods/besteffort/pod" UID "/crio-" HEX "\n",
	       "cri-o", HEX);

	/* conmon watches the container from outside it, and its pod. */
	expect_host("0::" KSLICE "/crio-conmon-" HEX ".scope\n");
	expect_host("0::/system.slice/crio-conmon-" HEX ".scope\n");
	expect_host("5:memory:/kubepods/besteffort/pod" UID "/crio-conmon-"
		    HEX "\n");
	expect_host("0::/system.slice/crio.service\n");
	/* A malformed container is not one; its pod still counts. */
	expect("0::" KSLICE "/crio-" HEX63 ".scope\n", "kubepods", UID);
}

static void test_podman(void **state)
{
	expect("0::/machine.slice/libpod-" HEX ".scope\n", "podman", HEX);
	expect("0::/machine.slice/libpod-" HEX ".scope/container\n",
	       "podman", HEX);
	expect("0::/libpod_parent/libpod-" HEX "\n", "podman", HEX);
	expect("0::/machine.slice/machine-libpod_pod_" HEX2 ".slice/libpod-"
	       HEX ".scope\n", "podman", HEX);
	/* Rootless, below user.slice: the user's own, and named so. */
	expect("0::/user.slice/user-1000.slice/user@1000.service/user.slice/"
	       "libpod-" HEX ".scope/container\n", "podman-rootless", HEX);

	expect_host("0::/machine.slice/libpod-conmon-" HEX ".scope\n");
	expect_host("0::/libpod_parent/libpod-conmon-" HEX "\n");
	expect_host("0::/user.slice/user-1000.slice/user@1000.service/"
		    "app.slice/podman-12345.scope\n");
	expect_host("0::/machine.slice/machine-libpod_pod_" HEX2 ".slice\n");
	expect_host("0::/machine.slice/libpod-" HEX63 ".scope\n");
	expect_host("0::/machine.slice/libpod-" HEXU ".scope\n");
	expect_host("0::/machine.slice/libpod-" HEX ".scope.x\n");
}

static void test_lxc(void **state)
{
	expect("0::/lxc.payload.web1\n", "lxc", "web1");
	expect("0::/lxc.payload.web1/init.scope\n", "lxc", "web1");
	expect("0::/lxc.payload/web1\n", "lxc", "web1");
	expect("4:memory:/lxc/web1\n", "lxc", "web1");
	expect("4:memory:/lxc/web1/system.slice/cron.service\n", "lxc",
	       "web1");
	expect("0::/lxc.payload.my_ct-2.example:x\n", "lxc",
	       "my_ct-2.example:x");
	expect("0::/lxc.payload." NAME64 "\n", "lxc", NAME64);
	expect("0::/lxc/" NAME64 "\n", "lxc", NAME64);

	expect_host("0::/lxc.payload." NAME64 "x\n");
	expect_host("0::/lxc/" NAME64 "x\n");
	expect_host("0::/lxc.monitor.web1\n");
	expect_host("0::/lxc.monitor/web1\n");
	expect_host("0::/lxc\n");
	expect_host("0::/lxc/\n");
	expect_host("0::/lxc.payload\n");
	expect_host("0::/lxc.payload.\n");
	expect_host("0::/lxc.payload.we b\n");
	expect_host("0::/lxc.payload.a\x1b[0m\n");
	expect_host("0::/lxc/a\x7f\n");
	expect_host("0::/lxc/caf\xc3\xa9\n");
	expect_host("0::/lxcfoo/web1\n");
	expect_host("0::/system.slice/lxc.service\n");
	expect_host("0::/system.slice/lxc-net.service\n");
}

static void test_kubepods(void **state)
{
	/* cgroupfs driver: the container id names no runtime. */
	expect("11:devices:/kubepods/besteffort/pod" UID "/" HEX "\n",
	       "kubepods", HEX);
	expect("0::/kubepods/pod" UID "/" HEX "\n", "kubepods", HEX);
	expect("0::/kubelet/kubepods/burstable/pod" UID "/" HEX "\n",
	       "kubepods", HEX);
	/* systemd driver: the scope names the CRI runtime. */
	expect("0::/kubepods.slice/kubepods-pod" UID_ ".slice/docker-" HEX
	       ".scope\n", "docker", HEX);
	expect("0::" KSLICE "/cri-containerd-" HEX ".scope\n", "containerd",
	       HEX);
	expect("0::/kubepods.slice/kubepods-besteffort.slice/"
	       "kubepods-besteffort-pod" HEX32 ".slice/cri-containerd-" HEX
	       ".scope\n", "containerd", HEX);
	/* kind: a kubelet cgroup root. */
	expect("0::/kubelet.slice/kubelet-kubepods.slice/"
	       "kubelet-kubepods-besteffort.slice/"
	       "kubelet-kubepods-besteffort-pod" UID_ ".slice/"
	       "cri-containerd-" HEX ".scope\n", "containerd", HEX);
	/* In the pod, in none of its containers: the pod UID. */
	expect("0::" KSLICE "\n", "kubepods", UID);
	expect("0::/kubepods/burstable/pod" UID "\n", "kubepods", UID);
	expect("0::/kubepods.slice/kubepods-burstable.slice/"
	       "kubepods-burstable-pod" HEX32 ".slice\n", "kubepods", HEX32);
	expect("0::/kubelet.slice/kubelet-kubepods.slice/"
	       "kubelet-kubepods-pod" UID_ ".slice\n", "kubepods", UID);
	/* A malformed container below a pod leaves the pod. */
	expect("0::/kubepods/burstable/pod" UID "/" HEX63 "\n", "kubepods",
	       UID);

	expect_host("0::/kubepods\n");
	expect_host("0::/kubepods.slice\n");
	expect_host("0::/kubepods/burstable\n");
	expect_host("0::/kubepods.slice/kubepods-burstable.slice\n");
	expect_host("0::/kubepods/burstable/pod" UID "x\n");
	expect_host("0::/kubepods/burstable/pod" UID_ "\n");
	expect_host("0::/kubepods/burstable/pod" HEX "\n");
	expect_host("0::/kubepods/burstable/podABCDEF00-5a00-11e9-b385-"
		    "42010a80018d\n");
	expect_host("0::/kubepods.slice/kubepods-burstable.slice/"
		    "kubepods-burstable-pod" UID ".slice\n");
	expect_host("0::/kubepods.slice/kubepods-burstable.slice/"
		    "kubepods-burstable-pod" UID_ ".scope\n");
	/* No kubepods element above: neither pods nor bare ids count. */
	expect_host("0::/burstable/pod" UID "/" HEX "\n");
	expect_host("0::/mykubepods/pod" UID "/" HEX "\n");
	expect_host("0::/pod" UID "\n");
	expect_host("0::/system.slice/kubelet.service\n");
}

#define USER "/user.slice/user-1000.slice/user@1000.service"

/*
 * A runtime's element counts only where the runtime puts it: below a
 * user's delegated subtree (user@UID.service), or a service a user was
 * given (Delegate=yes with User=), anyone can make docker-<hex>.scope.
 */
static void test_placement(void **state)
{
	/* Where the runtimes put them. */
	expect("0::/system.slice/docker-" HEX ".scope\n", "docker", HEX);
	expect("0::/docker-" HEX ".scope\n", "docker", HEX);
	expect("0::/docker/" HEX "\n", "docker", HEX);
	expect("0::/../../system.slice/docker-" HEX ".scope\n", "docker", HEX);
	expect("0::/system.slice/nerdctl-" HEX ".scope\n", "containerd", HEX);
	expect("0::/system.slice/cri-containerd-" HEX ".scope\n",
	       "containerd", HEX);
	expect("0::/machine.slice/crio-" HEX ".scope\n", "cri-o", HEX);
	expect("0::/machine.slice/libpod-" HEX ".scope\n", "podman", HEX);
	expect("0::/libpod_parent/libpod-" HEX "\n", "podman", HEX);
	expect("0::/libpod_parent/" HEX2 "/libpod-" HEX "\n", "podman", HEX);
	expect("0::/lxc.payload.web1\n", "lxc", "web1");
	expect("0::/lxc/web1\n", "lxc", "web1");
	expect("0::/kubepods/pod" UID "/" HEX "\n", "kubepods", HEX);
	expect("0::/kubelet/kubepods/pod" UID "/" HEX "\n", "kubepods", HEX);
	expect("0::/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-pod"
	       UID_ ".slice/cri-containerd-" HEX ".scope\n", "containerd", HEX);
	expect("0::/system.slice/containerd.service/x-pod" UID_
	       ".slice:cri-containerd:" HEX "\n", "containerd", HEX);
	expect("0::/a:cri-containerd:" HEX "\n", "containerd", HEX);

	/* Rootless: the user's own containers, named as such. */
	expect("0::" USER "/user.slice/libpod-" HEX ".scope\n",
	       "podman-rootless", HEX);
	expect("0::" USER "/user.slice/user-libpod_pod_" HEX2 ".slice/libpod-"
	       HEX ".scope\n", "podman-rootless", HEX);
	expect("0::" USER "/user.slice/docker-" HEX ".scope\n",
	       "docker-rootless", HEX);
	expect("0::" USER "/user.slice/nerdctl-" HEX ".scope\n",
	       "containerd-rootless", HEX);
	/* Nothing inside a rootless one counts more than it. */
	expect("0::" USER "/user.slice/libpod-" HEX ".scope/system.slice/docker-"
	       HEX2 ".scope\n", "podman-rootless", HEX);
	expect("0::" USER "/user.slice/libpod-" HEX ".scope/kubepods/pod" UID
	       "/" HEX2 "\n", "podman-rootless", HEX);

	/* A user's delegated subtree: no runtime's id. */
	expect_host("0::" USER "/docker-" HEX ".scope\n");
	expect_host("0::" USER "/app.slice/docker-" HEX ".scope\n");
	expect_host("0::" USER "/system.slice/docker-" HEX ".scope\n");
	expect_host("0::" USER "/docker/" HEX "\n");
	expect_host("0::" USER "/machine.slice/libpod-" HEX ".scope\n");
	expect_host("0::" USER "/libpod-" HEX ".scope\n");
	expect_host("0::" USER "/user.slice/cri-containerd-" HEX ".scope\n");
	expect_host("0::" USER "/user.slice/crio-" HEX ".scope\n");
	expect_host("0::" USER "/kubepods/pod" UID "/" HEX "\n");
	expect_host("0::" USER "/kubepods.slice/kubepods-pod" UID_
		    ".slice/docker-" HEX ".scope\n");
	expect_host("0::" USER "/lxc.payload.web1\n");
	expect_host("0::" USER "/lxc/web1\n");
	expect_host("0::" USER "/x:cri-containerd:" HEX "\n");
	expect_host("0::/user.slice/user@x.service/user.slice/libpod-" HEX
		    ".scope\n");
	expect_host("0::/user.slice/user@.service/user.slice/libpod-" HEX
		    ".scope\n");
	/* A service someone was delegated, and other parents no runtime uses. */
	expect_host("0::/system.slice/build.service/docker-" HEX ".scope\n");
	expect_host("0::/system.slice/build.service/docker/" HEX "\n");
	expect_host("0::/system.slice/x.service/libpod-" HEX ".scope\n");
	expect_host("0::/system.slice/x.service/kubepods/pod" UID "/" HEX "\n");
	expect_host("0::/system.slice/x.service/lxc.payload.web1\n");
	expect_host("0::/system.slice/x.service/a:cri-containerd:" HEX "\n");
	expect_host("0::/machine.slice/docker-" HEX ".scope\n");
	expect_host("0::/system.slice/libpod-" HEX ".scope\n");
	expect_host("0::/machine.slice/x.slice/libpod-" HEX ".scope\n");
	expect_host("0::/libpod_parent/a/b/libpod-" HEX "\n");
	expect_host("0::/a/kubepods/pod" UID "/" HEX "\n");
	expect_host("0::/a/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-pod"
		    UID_ ".slice/cri-containerd-" HEX ".scope\n");
	expect_host("0::/x-kubepods.slice/x-kubepods-pod" UID_
		    ".slice/cri-containerd-" HEX ".scope\n");
	expect_host("0::/..x/docker/" HEX "\n");
	expect_host("0::/a/../docker/" HEX "\n");
	/* A user's fake next to a real container line: the real one wins. */
	expect("1:name=systemd:" USER "/docker-" HEX2 ".scope\n"
	       "0::/system.slice/docker-" HEX ".scope\n", "docker", HEX);
}

static void test_host(void **state)
{
	expect_host("0::/user.slice/user-1000.slice/session-3.scope\n");
	expect_host("0::/user.slice/user-1000.slice/user@1000.service/"
		    "app.slice/app-org.gnome.Terminal.slice/"
		    "vte-spawn-0b6f9d1c-6c4f-4f0b-9f5e-2c1d1e8b3a77.scope\n");
	expect_host("0::/init.scope\n");
	expect_host("0::/\n");
	expect_host("0::/system.slice/sshd.service\n");
	expect_host("0::/system.slice/docker.service\n");
	expect_host("0::/system.slice/containerd.service\n");
	expect_host("12:pids:/user.slice/user-1000.slice/session-3.scope\n"
		    "11:cpu,cpuacct:/user.slice\n"
		    "10:memory:/user.slice/user-1000.slice/session-3.scope\n"
		    "3:devices:/user.slice\n"
		    "2:freezer:/\n"
		    "1:name=systemd:/user.slice/user-1000.slice/"
		    "session-3.scope\n"
		    "0::/user.slice/user-1000.slice/session-3.scope\n");
}

static void test_nested(void **state)
{
	expect("0::/lxc.payload.c1/system.slice/docker-" HEX ".scope\n",
	       "docker", HEX);
	expect("0::/docker/" HEX "/lxc/inner\n", "lxc", "inner");
	expect("0::/docker/" HEX "/docker/" HEX2 "\n", "docker", HEX2);
	expect("0::/system.slice/docker-" HEX ".scope/kubelet.slice/"
	       "kubelet-kubepods.slice/kubelet-kubepods-pod" UID_ ".slice/"
	       "cri-containerd-" HEX2 ".scope\n", "containerd", HEX2);
	expect("0::/lxc.payload.c1/kubepods/pod" UID "\n", "kubepods", UID);
	/* A monitor belongs to the container around it. */
	expect("0::/lxc.payload.c1" KSLICE "/crio-conmon-" HEX ".scope\n",
	       "lxc", "c1");
	expect("0::/lxc.payload.c1/machine.slice/libpod-conmon-" HEX
	       ".scope\n", "lxc", "c1");
	expect("0::/docker/" HEX "/system.slice/docker.service\n", "docker",
	       HEX);
}

static void test_multiline(void **state)
{
	/* Hybrid: only the v1 lines name it. */
	expect("12:pids:/\n"
	       "11:memory:/user.slice\n"
	       "1:name=systemd:/docker/" HEX "\n"
	       "0::/\n", "docker", HEX);
	expect("11:memory:/user.slice\n"
	       "10:cpu:/docker/" HEX "\n", "docker", HEX);
	/* The first container wins... */
	expect("2:cpu:/docker/" HEX "\n"
	       "1:name=systemd:/lxc/web\n", "docker", HEX);
	expect("2:cpu:/lxc/web\n"
	       "1:name=systemd:/docker/" HEX "\n", "lxc", "web");
	/* ...but a container beats a pod, and a pod beats the host. */
	expect("2:cpu:/kubepods/pod" UID "\n"
	       "1:memory:/kubepods/pod" UID "/" HEX "\n", "kubepods", HEX);
	expect("2:cpu:/\n"
	       "1:memory:/kubepods/pod" UID "\n", "kubepods", UID);
	/* Garbage and blank lines are skipped. */
	expect("garbage\n"
	       "\n\n"
	       "0::/docker/" HEX "\n\n", "docker", HEX);
	expect("0::/docker/" HEX63 "\n"
	       "0::/docker/" HEX2 "\n", "docker", HEX2);
}

static void test_garbage(void **state)
{
	static const char *const bad[] = {
		"", "\n", "\n\n\n", "garbage", "0", "0:", "0::", "0::\n",
		":/docker/" HEX, "::/docker/" HEX, "x::/docker/" HEX,
		"-1::/docker/" HEX, "0:/docker/" HEX, "0::docker/" HEX,
		" 0::/docker/" HEX, "0 ::/docker/" HEX,
		"docker/" HEX, "/docker/" HEX, "/system.slice/docker-" HEX
		".scope",
	};
	struct sw_container c;
	unsigned char all[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_host(bad[i]);
	for (i = 0; i < sizeof(all); i++)
		all[i] = (unsigned char)i;
	assert_int_equal(parse_n((const char *)all, sizeof(all), &c), 0);
	assert_int_equal(sw_container_parse(NULL, 0, &c), 0);
	assert_null(c.runtime);

	/* A host result clears what was there. */
	memset(c.id, 'x', sizeof(c.id));
	c.runtime = "stale";
	assert_int_equal(parse("0::/init.scope\n", &c), 0);
	assert_null(c.runtime);
	assert_string_equal(c.id, "");
}

static void test_nul_bytes(void **state)
{
	static const char in_hex[] = "0::/docker/" HEX16 HEX16 "\0"
				     "123456789abcdef" HEX16 "\n";
	static const char in_elem[] = "0::/a\0b/docker/" HEX "\n";
	static const char before[] = "\0\0\n0::/docker/" HEX;
	static const char in_name[] = "0::/lxc/we\0b1\n";
	static const char in_ctl[] = "0:\0:/docker/" HEX "\n";
	struct sw_container c;

	assert_int_equal(parse_n(in_hex, sizeof(in_hex) - 1, &c), 0);
	assert_int_equal(parse_n(in_name, sizeof(in_name) - 1, &c), 0);
	/* docker/<hex> below another element is no runtime's place. */
	assert_int_equal(parse_n(in_elem, sizeof(in_elem) - 1, &c), 0);
	assert_int_equal(parse_n(before, sizeof(before) - 1, &c), 1);
	assert_string_equal(c.runtime, "docker");
	assert_int_equal(parse_n(in_ctl, sizeof(in_ctl) - 1, &c), 1);
	assert_string_equal(c.id, HEX);
}

static char *repeat(const char *head, const char *unit, size_t n,
		    const char *tail, size_t *len)
{
	size_t h = strlen(head), u = strlen(unit), t = strlen(tail), i;
	char *s = malloc(h + u * n + t + 1);

	assert_non_null(s);
	memcpy(s, head, h);
	for (i = 0; i < n; i++)
		memcpy(s + h + u * i, unit, u);
	memcpy(s + h + u * n, tail, t + 1);
	*len = h + u * n + t;
	return s;
}

static void test_long(void **state)
{
	struct sw_container c;
	size_t len;
	char *s;

	/* A 1 MiB path, the container at its top. */
	s = repeat("0::/system.slice/docker-" HEX ".scope/", "a/", 512 * 1024,
		   "x", &len);
	assert_int_equal(parse_n(s, len, &c), 1);
	assert_string_equal(c.id, HEX);
	free(s);
	/* ... at its end: below elements no runtime makes. */
	s = repeat("0::/", "a/", 512 * 1024, "docker-" HEX ".scope", &len);
	assert_int_equal(parse_n(s, len, &c), 0);
	free(s);
	/* One 1 MiB element, no newline. */
	s = repeat("0::/docker/", "a", 1024 * 1024, "", &len);
	assert_int_equal(parse_n(s, len, &c), 0);
	free(s);
	s = repeat("0::/docker/", HEX, 1000, "\n", &len);
	assert_int_equal(parse_n(s, len, &c), 0);
	free(s);
	s = repeat("0::/lxc.payload.", "n", 100000, "\n", &len);
	assert_int_equal(parse_n(s, len, &c), 0);
	free(s);
	/* Many host lines, then one container line. */
	s = repeat("", "1:cpu:/user.slice\n", 100000, "0::/lxc/web1", &len);
	assert_int_equal(parse_n(s, len, &c), 1);
	assert_string_equal(c.id, "web1");
	free(s);
	s = repeat("", ":::::////\n\n-", 200000, "", &len);
	assert_int_equal(parse_n(s, len, &c), 0);
	free(s);
}

static const char *const valid[] = {
	"0::/system.slice/docker-" HEX ".scope\n",
	"12:pids:/docker/" HEX "\n1:name=systemd:/docker/" HEX "\n0::/\n",
	"0::" KSLICE "/cri-containerd-" HEX ".scope\n",
	"0::/system.slice/containerd.service/kubepods-burstable-pod" UID_
	".slice:cri-containerd:" HEX "\n",
	"0::" KSLICE "/crio-" HEX ".scope/container",
	"0::" KSLICE "/crio-conmon-" HEX ".scope",
	"0::/machine.slice/libpod-" HEX ".scope/container\n",
	"0::/lxc.payload.web1\n",
	"4:memory:/lxc/web1\n0::/lxc.payload/web2",
	"11:devices:/kubepods/besteffort/pod" UID "/" HEX "\n",
	"0::/kubepods/burstable/pod" UID "\n",
	"0::/lxc.payload.c1/kubepods/pod" UID "/crio-conmon-" HEX "\n",
	"0::/docker/" HEX "/docker/" HEX2 "\n",
};

/* Whatever the input, a result is one of the promised shapes. */
static void check_shape(const char *s, size_t len)
{
	static const char *const hex_runtimes[] = {
		"docker", "containerd", "cri-o", "podman",
	};
	struct sw_container c;
	int r = parse_n(s, len, &c);
	size_t i, n;

	assert_true(r == 0 || r == 1);
	if (r == 0) {
		assert_null(c.runtime);
		return;
	}
	assert_non_null(c.runtime);
	n = strnlen(c.id, sizeof(c.id));
	assert_in_range(n, 1, SW_CONTAINER_ID_MAX);
	for (i = 0; i < sizeof(hex_runtimes) / sizeof(hex_runtimes[0]); i++)
		if (strcmp(c.runtime, hex_runtimes[i]) == 0)
			assert_int_equal(n, 64);
	if (strcmp(c.runtime, "kubepods") == 0)
		assert_true(n == 64 || n == 36 || n == 32);
	else if (strcmp(c.runtime, "lxc") != 0)
		assert_int_equal(strspn(c.id, "0123456789abcdef"), 64);
}

static void test_fuzz(void **state)
{
	static const char bytes[] = { '\0', '\n', '/', ':', '-', '.', '_',
				      'a', 'G', ' ', '\xff' };
	size_t i, k, b, len;
	char *s;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		len = strlen(valid[i]);
		for (k = 0; k <= len; k++) {
			check_shape(valid[i], k);		/* prefixes */
			check_shape(valid[i] + k, len - k);	/* suffixes */
		}
		s = malloc(len);
		assert_non_null(s);
		for (k = 0; k < len; k++) {
			memcpy(s, valid[i], len);
			for (b = 0; b < sizeof(bytes); b++) {
				s[k] = bytes[b];
				check_shape(s, len);
			}
		}
		free(s);
	}
}

/* The name a cgroup path gives a group, whatever the runtime. */
static void expect_name(const char *s, const char *name)
{
	struct sw_container c;

	parse(s, &c);
	if (strcmp(c.name, name))
		print_message("input: %s\ngot name \"%s\"\n", s, c.name);
	assert_string_equal(c.name, name);
}

static void test_name(void **state)
{
	/* Plain runc: /<id>, or its cgroupsPath; hybrid v1 lines too. */
	expect_name("0::/swtest\n", "swtest");
	expect_name("0::/mygroup/web-1\n", "web-1");
	expect_name("9:name=systemd:/swtest\n"
		    "4:memory:/process_api/f8609a32/swtest\n"
		    "0::/swtest\n", "swtest");
	/* The v2 line alone, where there is one; else the first that names. */
	expect_name("4:memory:/a\n0::/b\n", "b");
	expect_name("4:memory:/process_api/f8609a32\n3:pids:/b\n0::/\n", "");
	expect_name("4:memory:/\n3:pids:/a\n2:cpu:/b\n", "a");
	/* A systemd unit inside the container names nothing: the one above. */
	expect_name("0::/c1/system.slice/cron.service\n", "c1");
	expect_name("0::/c1/init.scope\n", "c1");
	/* systemd-nspawn: the machine, not its payload. */
	expect_name("0::/machine.slice/machine-deb12.scope/payload/"
		    "system.slice/cron.service\n", "deb12");
	expect_name("0::/../../web\n", "web");
	/* A launcher's session, service or slice: no name. */
	expect_name("0::/user.slice/user-1000.slice/session-3.scope\n", "");
	expect_name("0::/system.slice/cron.service\n", "");
	expect_name("0::/system.slice/run-r1234.scope\n", "");
	expect_name("0::/\n", "");
	expect_name("garbage\n", "");
	expect_name("0::/" NAME64 "x\n", "");		/* 65 bytes */
	expect_name("0::/with space\n", "");
	/* Named or not, a runtime's path is still the runtime's. */
	expect("0::/system.slice/docker-" HEX ".scope\n", "docker", HEX);
	expect_host("0::/swtest\n");
}

/* Namespaces say whether it is a container; the name only names it. */
static void test_by_ns(void **state)
{
	const uint64_t hm = 4026531841ull, hp = 4026531836ull;
	struct sw_container c;

	/* runc: its own mount and pid namespaces, in /<id>. */
	parse("0::/swtest\n", &c);
	assert_int_equal(sw_container_by_ns(&c, 4026532174ull, 4026532177ull,
					    hm, hp), 1);
	assert_string_equal(c.runtime, "unknown");
	assert_string_equal(c.id, "swtest");
	/* unshare -pm from a session: the pid namespace names it. */
	parse("0::/user.slice/user-0.slice/session-3.scope\n", &c);
	assert_int_equal(sw_container_by_ns(&c, 4026532174ull, 4026532177ull,
					    hm, hp), 1);
	assert_string_equal(c.id, "pidns-4026532177");
	/*
	 * A systemd service with PrivateTmp=: a mount namespace of its own in
	 * the host's pid namespace; unshare -p alone: the other way round.
	 */
	parse("0::/system.slice/cron.service\n", &c);
	assert_int_equal(sw_container_by_ns(&c, 4026532174ull, hp, hm, hp), 0);
	assert_null(c.runtime);
	assert_string_equal(c.id, "");
	assert_int_equal(sw_container_by_ns(&c, hm, 4026532177ull, hm, hp), 0);
	assert_int_equal(sw_container_by_ns(&c, hm, hp, hm, hp), 0);
	/* Unknown namespaces, the host's or the process's: no judgement. */
	assert_int_equal(sw_container_by_ns(&c, 4026532174ull, 4026532177ull,
					    0, 0), 0);
	assert_int_equal(sw_container_by_ns(&c, 0, 0, hm, hp), 0);
	assert_null(c.runtime);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_docker),
		cmocka_unit_test(test_docker_near_misses),
		cmocka_unit_test(test_containerd),
		cmocka_unit_test(test_crio),
		cmocka_unit_test(test_podman),
		cmocka_unit_test(test_lxc),
		cmocka_unit_test(test_kubepods),
		cmocka_unit_test(test_placement),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_multiline),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_by_ns),
	};

	return cmocka_run_group_tests_name("container", tests, NULL, NULL);
}
