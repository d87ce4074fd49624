/* SPDX-License-Identifier: MIT */
/*
 * Loss accounting.  Three detectors see the same drops at different times:
 * ENOBUFS from recvmsg (at once, no count), per-CPU sequence gaps (exact,
 * but only when that CPU sends again) and the socket's Drops counter
 * (exact, read once a second).  The best count known so far is the larger
 * of the two exact ones; each report carries only what earlier reports did
 * not, so the counts of all `lost` events add up to the real loss.
 */
#ifndef SW_LOSS_H
#define SW_LOSS_H

#include <stdbool.h>
#include <stdint.h>

#define SW_LOSS_CPUS 4096

struct sw_loss {
	uint32_t last[SW_LOSS_CPUS];
	bool seen[SW_LOSS_CPUS];
	uint64_t seq_lost;	/* sum of gaps */
	uint64_t drops;		/* the socket's Drops counter */
	uint64_t reported;	/* sum of counts already reported */
	uint64_t overflows;	/* ENOBUFS returned by recvmsg */
};

void sw_loss_init(struct sw_loss *l);
/* Records the sequence number of an event; returns the gap it reveals. */
uint32_t sw_loss_seq(struct sw_loss *l, uint32_t cpu, uint32_t seq);
/* Records a reading of the socket's Drops counter. */
void sw_loss_drops(struct sw_loss *l, uint64_t counter);
/* Records an ENOBUFS: events were dropped, how many is known later. */
void sw_loss_overflow(struct sw_loss *l);
/* Events known lost and not yet reported; marks them reported. */
uint64_t sw_loss_take(struct sw_loss *l);

#endif
