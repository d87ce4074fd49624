/* SPDX-License-Identifier: MIT */
/*
 * The exec doorbell's budget, per user.  Each exec wakes spawnwatch (the
 * exec-only socket), so that /proc is read while the process lives; a
 * real-time process must not let a storm keep it awake, so wakeups have a
 * budget per rate window.  One budget for all would let one user's exec
 * flood blind spawnwatch to every other user's execs: so the first
 * SW_PACE_FREE wakeups of a window are everyone's, and past them each uid
 * has SW_PACE_PER_UID of its own.  An exec of a uid past its budget is
 * "paced": read at the next timed read (within 10 ms) instead of at once.
 * Pure: no I/O, fixed memory, unit-tested.
 */
#ifndef SW_PACE_H
#define SW_PACE_H

#include <stdbool.h>
#include <stdint.h>

#include "stats.h"

#define SW_PACE_FREE 250	/* wakeups per window before uids are told apart */
#define SW_PACE_PER_UID 250	/* then, each uid's own */
#define SW_PACE_CEILING 4000	/* wakeups per window, all uids: then none */
#define SW_PACE_UIDS 64		/* uids told apart per window; the rest share one */
#define SW_PACE_RUN_UIDS 64	/* uids whose paced execs are counted apart */

struct sw_pace_slot {
	uint32_t uid;
	unsigned wakeups;	/* in this window, since SW_PACE_FREE */
	uint32_t ring;		/* the last wakeup that charged it */
};

struct sw_pace {
	unsigned wakeups;	/* exec wakeups in this window */
	uint32_t ring;		/* wakeups ever, a stamp */
	unsigned nslots;
	struct sw_pace_slot slot[SW_PACE_UIDS];
	struct sw_pace_slot shared;	/* the uids past SW_PACE_UIDS */
	uint64_t paced;			/* execs paced in the run */
	unsigned nrun;
	struct sw_paced_uid run[SW_PACE_RUN_UIDS];	/* by uid, first come */
};

void sw_pace_init(struct sw_pace *p);
/* A new rate window: every budget is whole again. */
void sw_pace_window(struct sw_pace *p);
/* Whether the doorbell may wake spawnwatch in this window at all. */
bool sw_pace_open(const struct sw_pace *p);
/*
 * The doorbell rang: one wakeup.  True when the uids of its execs must be
 * told apart (sw_pace_charge() each); false when it is within the free
 * part of the window and is read at once whoever's execs it holds.
 */
bool sw_pace_ring(struct sw_pace *p);
/*
 * One exec of uid in this wakeup: charges the uid's budget once per
 * wakeup.  True when the uid is within its budget (read now); false when
 * paced (counted).
 */
bool sw_pace_charge(struct sw_pace *p, uint32_t uid);
/* The most paced uids, most first, at most n: how many written. */
unsigned sw_pace_top(const struct sw_pace *p, struct sw_paced_uid *ret,
		     unsigned n);

#endif
