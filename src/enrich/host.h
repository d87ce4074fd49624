/* SPDX-License-Identifier: MIT */
/*
 * Facts about the host, probed once by the live watch and passed to the
 * stages that judge by them: enrich (whether an exec still runs on the
 * host side) and detect (container-escape).  Replay takes them from the
 * recorded start line instead, and forest probes them as the watch does.
 */
#ifndef SW_HOST_H
#define SW_HOST_H

#include <stdint.h>

struct sw_host {
	uint64_t mntns, pidns;		/* the host's namespaces; 0: unknown */
};

/*
 * The host's namespaces are init's, read under procfd (/proc): spawnwatch
 * itself may run in a mount namespace of its own (systemd's
 * ProtectSystem=, PrivateTmp=).  Its own, when init's cannot be read.
 * 0, or -ENOENT when a namespace stays unknown (then 0 in h).
 */
int sw_host_probe(int procfd, struct sw_host *h);

#endif
