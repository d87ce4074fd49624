/* SPDX-License-Identifier: MIT */
/* Inside the lineage table: shared by lineage*.c only. */
#ifndef SW_LINEAGE_INT_H
#define SW_LINEAGE_INT_H

#include "host.h"
#include "lineage.h"
#include "pidmap.h"

/* /proc start times have clock-tick granularity; allow two ticks. */
#define SW_START_SLACK_NS 20000000ull

struct sw_pq {
	struct sw_proc *head, *tail;	/* oldest first */
	unsigned n;
};

struct sw_lineage {
	struct sw_pidmap map;		/* entries in any state, by pid */
	struct sw_pq zombies;		/* exited, not known to be reaped */
	struct sw_proc *unchecked;	/* first zombie no sweep has seen */
	struct sw_pq gone;		/* reaped, kept for late events */
	struct sw_proc *pool;		/* freed entries for reuse */
	struct sw_lineage_conf conf;
	unsigned peak;			/* most entries at once */
	uint64_t evicted, untracked;
	struct sw_users *users;
	bool sealed;
	bool marking;			/* some subtree is marked */
	uint32_t scan_gen;
	int *orphans;			/* live children of the last exit */
	unsigned n_orphans, cap_orphans;
	uint64_t orphan_ns;		/* when they were orphaned */
	bool orphans_probe;		/* a thread's exit: the first tells */
	struct sw_host host;		/* for the scan: probed at the first */
	bool host_probed;
};

struct sw_proc *sw_lineage_insert(struct sw_lineage *l, int pid);
void sw_lineage_remove(struct sw_lineage *l, struct sw_proc *p);
/* (Re)links p under the entry of p->ppid, if that one is its parent. */
void sw_lineage_link(struct sw_lineage *l, struct sw_proc *p);
void sw_lineage_revive(struct sw_lineage *l, struct sw_proc *p);
/* True when a could be p's parent: not younger than p. */
bool sw_lineage_older(const struct sw_proc *a, const struct sw_proc *p);

struct sw_str *sw_str_ref(struct sw_str *s);
void sw_str_set(struct sw_str **slot, const char *s, size_t len);
void sw_proc_release(struct sw_proc *p);

#endif
