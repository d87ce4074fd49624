/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "loss.h"

void sw_loss_init(struct sw_loss *l)
{
	memset(l, 0, sizeof(*l));
}

uint32_t sw_loss_seq(struct sw_loss *l, uint32_t cpu, uint32_t seq)
{
	uint32_t gap;

	if (cpu >= SW_LOSS_CPUS)
		return 0;	/* the ack's cpu is -1: not in any sequence */
	if (!l->seen[cpu]) {
		l->seen[cpu] = true;
		l->last[cpu] = seq;
		return 0;
	}
	gap = seq - l->last[cpu] - 1;	/* wraps with the u32 counter */
	/* A step back (or a huge jump) is not loss: start over there. */
	if (gap >= 0x80000000u)
		gap = 0;
	l->last[cpu] = seq;
	l->seq_lost += gap;
	return gap;
}

void sw_loss_drops(struct sw_loss *l, uint64_t counter)
{
	/* A new socket's counter starts at zero: all of it is ours. */
	if (counter > l->drops)
		l->drops = counter;
}

void sw_loss_overflow(struct sw_loss *l)
{
	l->overflows++;
}

uint64_t sw_loss_take(struct sw_loss *l)
{
	uint64_t best = l->seq_lost > l->drops ? l->seq_lost : l->drops;
	uint64_t n = best > l->reported ? best - l->reported : 0;

	l->reported += n;
	return n;
}
