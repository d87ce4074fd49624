/* SPDX-License-Identifier: MIT */
/* Counters spawnwatch keeps about itself: the stop line and --stats. */
#ifndef SW_STATS_H
#define SW_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "event.h"
#include "latency.h"

/* Execs of one uid read late: past that uid's doorbell budget. */
struct sw_paced_uid {
	uint32_t uid;
	uint64_t execs;
};

#define SW_PACED_TOP 8		/* uids the stop line names */

struct sw_stats {
	uint64_t received[SW_EV__MAX];	/* decoded from the kernel, by type */
	uint64_t emitted;		/* lines written, start/stop included */
	uint64_t lost;			/* events reported lost, all methods */
	uint64_t lost_episodes;		/* ENOBUFS returned by recvmsg */
	uint64_t lost_seq;		/* found by per-CPU sequence gaps */
	uint64_t lost_drops;		/* the socket's Drops counter */
	uint64_t rejected;		/* frames not believed */
	uint64_t rejected_by[SW_REJ__MAX];
	uint64_t proc_gone;		/* /proc reads: process already gone */
	uint64_t proc_denied;		/* /proc reads: permission denied */
	uint64_t proc_timeout;		/* /proc reads: past the deadline, or
					 * not made (the process's reader was stuck) */
	uint64_t pid_reused;		/* exec reads of another process */
	uint64_t resyncs;
	uint64_t evicted;		/* exited entries dropped from the table */
	uint64_t untracked;		/* processes not tracked: table full */
	uint64_t anomalies;		/* aggregate anomalies raised */
	uint64_t wakeups;		/* returns from poll */
	uint64_t reopen_failed;		/* SIGHUPs that kept the old --output file */
	uint64_t paced;			/* execs past their uid's wakeup budget */
	unsigned n_paced_top;
	struct sw_paced_uid paced_top[SW_PACED_TOP];	/* most paced first */
	unsigned tracked;
	unsigned peak_tracked;
	unsigned zombies;		/* exited, not known to be reaped */
	unsigned readers_stuck;		/* reader threads blocked at the end */
	/* Descriptor reads (reverse-shell, web-shell): see revconn.h. */
	struct {
		uint64_t checked, holders, kept, late, dropped, listens;
	} conn;
	struct sw_latency latency;	/* kernel timestamp to write, per line */
};

struct sw_start_info {
	const char *version;
	const char *kernel;
	unsigned events;		/* SW_EVMASK bits */
	bool threads;
	bool nonzero_exit;
	unsigned tracked;
	int rcvbuf;			/* effective receive buffer, bytes */
	uint64_t mntns, pidns;		/* spawnwatch's own: the host's */
};

#endif
