/* SPDX-License-Identifier: MIT */
/* The exec doorbell's budget, per user: see pace.h. */
#include "config.h"

#include <string.h>

#include "pace.h"

void sw_pace_init(struct sw_pace *p)
{
	memset(p, 0, sizeof(*p));
}

void sw_pace_window(struct sw_pace *p)
{
	p->wakeups = 0;
	p->nslots = 0;
	p->shared.wakeups = 0;
}

bool sw_pace_open(const struct sw_pace *p)
{
	return p->wakeups < SW_PACE_CEILING;
}

bool sw_pace_ring(struct sw_pace *p)
{
	if (++p->ring == 0)	/* 0 is a new slot's: never a wakeup's */
		p->ring = 1;
	return ++p->wakeups > SW_PACE_FREE;
}

/* The uid's slot in this window; the shared one once the table is full. */
static struct sw_pace_slot *slot_of(struct sw_pace *p, uint32_t uid)
{
	for (unsigned i = 0; i < p->nslots; i++)
		if (p->slot[i].uid == uid)
			return &p->slot[i];
	if (p->nslots == SW_PACE_UIDS)
		return &p->shared;
	p->slot[p->nslots] = (struct sw_pace_slot){ .uid = uid };
	return &p->slot[p->nslots++];
}

static void count_paced(struct sw_pace *p, uint32_t uid)
{
	p->paced++;
	for (unsigned i = 0; i < p->nrun; i++)
		if (p->run[i].uid == uid) {
			p->run[i].execs++;
			return;
		}
	if (p->nrun < SW_PACE_RUN_UIDS)
		p->run[p->nrun++] = (struct sw_paced_uid){ .uid = uid, .execs = 1 };
}

bool sw_pace_charge(struct sw_pace *p, uint32_t uid)
{
	struct sw_pace_slot *s = slot_of(p, uid);

	if (s->ring != p->ring) {
		s->ring = p->ring;
		s->wakeups++;
	}
	if (s->wakeups <= SW_PACE_PER_UID)
		return true;
	count_paced(p, uid);
	return false;
}

unsigned sw_pace_top(const struct sw_pace *p, struct sw_paced_uid *ret,
		     unsigned n)
{
	unsigned k = 0;

	for (unsigned i = 0; i < p->nrun && n; i++) {
		unsigned j;

		if (k < n)
			j = k++;
		else if (p->run[i].execs > ret[n - 1].execs)
			j = n - 1;
		else
			continue;
		/* Into the sorted prefix, most first; ties keep first come. */
		while (j > 0 && ret[j - 1].execs < p->run[i].execs) {
			ret[j] = ret[j - 1];
			j--;
		}
		ret[j] = p->run[i];
	}
	return k;
}
