/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>

#include "host.h"
#include "procfs.h"

static uint64_t ns_of(int procfd, const char *name)
{
	char link[64];
	uint64_t v = 0;

	if (sw_procfs_readlink(procfd, name, link, sizeof(link)) > 0)
		sw_procfs_parse_ns(link, &v);
	return v;
}

int sw_host_probe(int procfd, struct sw_host *h)
{
	h->mntns = ns_of(procfd, "1/ns/mnt");
	if (!h->mntns)
		h->mntns = ns_of(procfd, "self/ns/mnt");
	h->pidns = ns_of(procfd, "1/ns/pid");
	if (!h->pidns)
		h->pidns = ns_of(procfd, "self/ns/pid");
	return h->mntns && h->pidns ? 0 : -ENOENT;
}
