/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lineage.h"
#include "slots.h"

#define PRUNE_MIN 4096u		/* slots before the first pruning */

struct sw_slots {
	struct sw_slot **buckets;
	unsigned nbuckets;		/* power of two */
	unsigned count;
	unsigned prune_at;		/* prune when count reaches it */
	struct sw_slot *last;		/* the last found: a fork's parent, twice */
	struct sw_slot *pool;		/* freed slots for reuse (as lineage's) */
};

static unsigned hash(int pid, unsigned nbuckets)
{
	return ((uint32_t)pid * 2654435761u) & (nbuckets - 1);
}

struct sw_slots *sw_slots_new(void)
{
	struct sw_slots *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->nbuckets = 1024;
	s->prune_at = PRUNE_MIN;
	s->buckets = calloc(s->nbuckets, sizeof(*s->buckets));
	if (!s->buckets) {
		free(s);
		return NULL;
	}
	return s;
}

static void free_chain(struct sw_slot *x)
{
	while (x) {
		struct sw_slot *next = x->next;

		free(x);
		x = next;
	}
}

void sw_slots_free(struct sw_slots *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->nbuckets; i++)
		free_chain(s->buckets[i]);
	free_chain(s->pool);
	free(s->buckets);
	free(s);
}

struct sw_slot *sw_slots_find(struct sw_slots *s, int pid, uint64_t start_ns)
{
	struct sw_slot *x = s->last;

	if (x && x->pid == pid && x->start_ns == start_ns)
		return x;
	for (x = s->buckets[hash(pid, s->nbuckets)]; x; x = x->next)
		if (x->pid == pid && x->start_ns == start_ns)
			return s->last = x;
	return NULL;
}

static void grow(struct sw_slots *s)
{
	unsigned n = s->nbuckets * 2;
	struct sw_slot **b = calloc(n, sizeof(*b));

	if (!b)
		return;		/* longer chains, still correct */
	for (unsigned i = 0; i < s->nbuckets; i++) {
		struct sw_slot *x = s->buckets[i], *next;

		for (; x; x = next) {
			unsigned j = hash(x->pid, n);

			next = x->next;
			x->next = b[j];
			b[j] = x;
		}
	}
	free(s->buckets);
	s->buckets = b;
	s->nbuckets = n;
}

struct sw_slot *sw_slots_get(struct sw_slots *s, const struct sw_lineage *l,
			     int pid, uint64_t start_ns)
{
	struct sw_slot *x = sw_slots_find(s, pid, start_ns);
	unsigned b;

	if (x)
		return x;
	if (l && s->count >= s->prune_at)
		sw_slots_prune(s, l);
	if (s->pool) {
		x = s->pool;
		s->pool = x->next;
		memset(x, 0, sizeof(*x));
	} else if (!(x = calloc(1, sizeof(*x)))) {
		return NULL;
	}
	if (s->count >= s->nbuckets * 2)
		grow(s);
	x->pid = pid;
	x->start_ns = start_ns;
	b = hash(pid, s->nbuckets);
	x->next = s->buckets[b];
	s->buckets[b] = x;
	s->count++;
	return s->last = x;
}

static bool held(const struct sw_lineage *l, const struct sw_slot *x)
{
	const struct sw_proc *p = sw_lineage_lookup(l, x->pid);

	return p && p->start_ns == x->start_ns;
}

void sw_slots_prune(struct sw_slots *s, const struct sw_lineage *l)
{
	for (unsigned i = 0; i < s->nbuckets; i++) {
		struct sw_slot **pp = &s->buckets[i];

		while (*pp) {
			struct sw_slot *x = *pp;

			if (held(l, x)) {
				pp = &x->next;
				continue;
			}
			*pp = x->next;
			x->next = s->pool;
			s->pool = x;
			s->count--;
		}
	}
	s->last = NULL;
	s->prune_at = s->count > PRUNE_MIN / 2 ? 2 * s->count : PRUNE_MIN;
}

void sw_slots_foreach(struct sw_slots *s, void (*fn)(struct sw_slot *x, void *data),
		      void *data)
{
	for (unsigned i = 0; i < s->nbuckets; i++)
		for (struct sw_slot *x = s->buckets[i]; x; x = x->next)
			fn(x, data);
}

unsigned sw_slots_count(const struct sw_slots *s)
{
	return s->count;
}

void sw_slot_window(struct sw_slot *x, uint64_t sec)
{
	if (sec <= x->win_sec)
		return;
	for (uint64_t t = x->win_sec + 1; t <= sec && t <= x->win_sec + SW_WINDOW_S;
	     t++) {
		x->fork_win[t % SW_WINDOW_S] = 0;
		x->peak_win[t % SW_WINDOW_S] = 0;
	}
	x->win_sec = sec;
}
