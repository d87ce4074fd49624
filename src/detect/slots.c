/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lineage.h"
#include "slots.h"

#define PRUNE_MIN 4096u		/* slots before the first pruning */

struct sw_slots {
	struct sw_pidmap map;
	unsigned prune_at;		/* prune when the map holds that many */
	struct sw_slot *last;		/* the last found: a fork's parent, twice */
	struct sw_pidnode *pool;	/* freed slots for reuse (as lineage's) */
	struct sw_slot *jobs;		/* cron jobs, newest first */
};

_Static_assert(offsetof(struct sw_slot, node) == 0,
	       "a slot starts with its pidmap node");

static struct sw_slot *slot_of(struct sw_pidnode *x)
{
	return (struct sw_slot *)(void *)x;	/* its first member */
}

struct sw_slots *sw_slots_new(void)
{
	struct sw_slots *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->prune_at = PRUNE_MIN;
	if (sw_pidmap_init(&s->map, 1024, offsetof(struct sw_slot, pid)) < 0) {
		free(s);
		return NULL;
	}
	return s;
}

static void free_node(struct sw_pidnode *x)
{
	free(x);
}

void sw_slots_free(struct sw_slots *s)
{
	if (!s)
		return;
	sw_pidmap_drain(&s->map, free_node);
	while (s->pool) {
		struct sw_pidnode *next = s->pool->next;

		free(s->pool);
		s->pool = next;
	}
	sw_pidmap_fini(&s->map);
	free(s);
}

struct sw_slot *sw_slots_find(struct sw_slots *s, int pid, uint64_t start_ns)
{
	struct sw_slot *x = s->last;

	if (x && x->pid == pid && x->start_ns == start_ns)
		return x;
	for (struct sw_pidnode *n = sw_pidmap_chain(&s->map, pid); n; n = n->next) {
		x = slot_of(n);
		if (x->pid == pid && x->start_ns == start_ns)
			return s->last = x;
	}
	return NULL;
}

struct sw_slot *sw_slots_get(struct sw_slots *s, const struct sw_lineage *l,
			     int pid, uint64_t start_ns)
{
	struct sw_slot *x = sw_slots_find(s, pid, start_ns);

	if (x)
		return x;
	if (l && s->map.count >= s->prune_at)
		sw_slots_prune(s, l);
	if (s->pool) {
		x = slot_of(s->pool);
		s->pool = s->pool->next;
		memset(x, 0, sizeof(*x));
	} else if (!(x = calloc(1, sizeof(*x)))) {
		return NULL;
	}
	x->pid = pid;
	x->start_ns = start_ns;
	sw_pidmap_add(&s->map, &x->node);
	return s->last = x;
}

static bool held(const struct sw_lineage *l, const struct sw_slot *x)
{
	const struct sw_proc *p = sw_lineage_lookup(l, x->pid);

	return p && p->start_ns == x->start_ns;
}

static void unlink_job(struct sw_slots *s, struct sw_slot *x)
{
	if (x->job_prev)
		x->job_prev->job_next = x->job_next;
	else
		s->jobs = x->job_next;
	if (x->job_next)
		x->job_next->job_prev = x->job_prev;
	x->job_prev = x->job_next = NULL;
	x->cron_job = false;
}

void sw_slots_mark_job(struct sw_slots *s, struct sw_slot *x)
{
	if (x->cron_job)
		return;
	x->cron_job = true;
	x->job_prev = NULL;
	x->job_next = s->jobs;
	if (s->jobs)
		s->jobs->job_prev = x;
	s->jobs = x;
}

void sw_slots_jobs(struct sw_slots *s, void (*fn)(struct sw_slot *x, void *data),
		   void *data)
{
	for (struct sw_slot *x = s->jobs, *next; x; x = next) {
		next = x->job_next;
		fn(x, data);
	}
}

struct prune {
	struct sw_slots *s;
	const struct sw_lineage *l;
};

static void prune_one(struct sw_pidnode *n, void *data)
{
	const struct prune *pr = data;

	struct sw_slot *x = slot_of(n);

	if (held(pr->l, x))
		return;
	if (x->cron_job)
		unlink_job(pr->s, x);
	sw_pidmap_del(&pr->s->map, n);
	n->next = pr->s->pool;
	pr->s->pool = n;
}

void sw_slots_prune(struct sw_slots *s, const struct sw_lineage *l)
{
	struct prune pr = { s, l };
	unsigned left;

	sw_pidmap_each(&s->map, prune_one, &pr);
	s->last = NULL;
	left = s->map.count;
	s->prune_at = left > PRUNE_MIN / 2 ? 2 * left : PRUNE_MIN;
}

struct each {
	void (*fn)(struct sw_slot *x, void *data);
	void *data;
};

static void each(struct sw_pidnode *n, void *data)
{
	const struct each *e = data;

	e->fn(slot_of(n), e->data);
}

void sw_slots_foreach(struct sw_slots *s, void (*fn)(struct sw_slot *x, void *data),
		      void *data)
{
	struct each e = { fn, data };

	sw_pidmap_each(&s->map, each, &e);
}

unsigned sw_slots_count(const struct sw_slots *s)
{
	return s->map.count;
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
