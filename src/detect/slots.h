/* SPDX-License-Identifier: MIT */
/*
 * What the detectors remember about one process, keyed by its identity
 * (pid and start time: pids are reused), apart from the lineage table,
 * which they only read.  A slot whose process the table no longer holds
 * is dropped: at each tick, and whenever the slots outgrow twice what was
 * left at the last pruning, so that they stay bounded by the table.
 */
#ifndef SW_SLOTS_H
#define SW_SLOTS_H

#include <stdbool.h>
#include <stdint.h>

#include "detect.h"
#include "pidmap.h"

struct sw_slot {
	struct sw_pidnode node;		/* by pid: first (see pidmap.h) */
	int pid;
	uint64_t start_ns;		/* the table's start_ns of the process */
	unsigned alerted;		/* aggregate anomalies raised, by bit */
	bool cron_job;			/* cron-overlap: a cron daemon's job */
	struct sw_slot *job_prev, *job_next;	/* the list of jobs */
	/*
	 * fork-bomb: its clan, the processes forked generation after
	 * generation from one root without running another program.
	 * clan_gen 0: it is a root; clan_known false (or no slot): not
	 * worked out yet (a process found in /proc).
	 */
	bool clan_known;
	uint32_t clan_gen;
	int clan_pid;
	uint64_t clan_start;
	/*
	 * privilege-escalation: how it holds root (enum sw_priv_how, kept
	 * across forks and execs that leave euid 0), how many programs it
	 * has run since an escalation (0: the escalated one), and whether
	 * its euid became 0 by the setuid exec whose exec line is to come.
	 */
	uint8_t priv_how;
	uint8_t priv_gen;
	bool priv_exec;
	/* spawn-storm: its forks and most live children, per second. */
	uint64_t win_sec;		/* the second of the newest slot */
	uint16_t fork_win[SW_WINDOW_S];
	uint16_t peak_win[SW_WINDOW_S];
};

/* How a process holds root (struct sw_slot's priv_how). */
enum sw_priv_how {
	SW_PRIV_NONE,		/* not known to: root's own processes have no slot */
	SW_PRIV_OWN,		/* it had 0 as real or saved uid and dropped it */
	SW_PRIV_HELPER,		/* by an allowed helper's setuid exec */
	SW_PRIV_ESCALATED,	/* by an escalation, tagged */
};

struct sw_slots;

struct sw_slots *sw_slots_new(void);
void sw_slots_free(struct sw_slots *s);

/* The slot of process (pid, start_ns), or NULL. */
struct sw_slot *sw_slots_find(struct sw_slots *s, int pid, uint64_t start_ns);
/*
 * The same, made (zeroed) when missing; NULL when out of memory.  May
 * first prune against l (when not NULL): slots of processes l holds stay.
 */
struct sw_slot *sw_slots_get(struct sw_slots *s, const struct sw_lineage *l,
			     int pid, uint64_t start_ns);
/* Drops the slots of processes l no longer holds. */
void sw_slots_prune(struct sw_slots *s, const struct sw_lineage *l);
void sw_slots_foreach(struct sw_slots *s, void (*fn)(struct sw_slot *x, void *data),
		      void *data);
unsigned sw_slots_count(const struct sw_slots *s);

/*
 * Makes x a cron daemon's job and puts it on the list of jobs, which
 * pruning keeps to the processes the table holds: cron-overlap counts
 * runs over the jobs, not over the table.
 */
void sw_slots_mark_job(struct sw_slots *s, struct sw_slot *x);
void sw_slots_jobs(struct sw_slots *s, void (*fn)(struct sw_slot *x, void *data),
		   void *data);

/* Moves x's per-second window to second sec (CLOCK_MONOTONIC seconds). */
void sw_slot_window(struct sw_slot *x, uint64_t sec);

#endif
