/* SPDX-License-Identifier: MIT */
/*
 * fork-bomb: a self-replicating subtree.  [200] live processes descend by
 * fork alone (no other program run) from one root, [4] or more generations
 * deep.  Only copies forked by copies count (generation 2 on): a server's
 * many workers are forked by the server itself and never replicate.  The clan is kept at fork (lineage), so it survives what a bomb
 * does to the tree: its members' parents exit and the kernel hands them
 * to init.  A server's workers (one generation) and a shell's subshells
 * (few alive) stay well below.  Raised once per crossing, naming the root
 * (or, once the root is gone, its oldest live descendant).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lineage.h"
#include "rules.h"

static void defaults(struct sw_rules *r)
{
	r->bomb.enabled = true;
	r->bomb.descendants = 200;
	r->bomb.depth = 4;
}

static bool same_program(const struct sw_proc *a, const struct sw_proc *b)
{
	return (a->have & SW_HAVE_EXE) && (b->have & SW_HAVE_EXE) && a->exe &&
	       b->exe && (a->exe == b->exe || strcmp(a->exe->s, b->exe->s) == 0);
}

/* A process found in /proc: its clan from the tree, as far as it goes. */
static void work_out(struct sw_proc *p)
{
	struct sw_proc *top = p;
	uint32_t gen = 0;

	while (!top->clan_known && top->parent && same_program(top, top->parent) &&
	       gen < 1000000) {
		top = top->parent;
		gen++;
	}
	if (top->clan_known && top != p) {
		/* Continue the known clan of an ancestor. */
		uint32_t base = top->clan_gen;
		int root_pid = base ? top->clan_pid : top->pid;
		uint64_t root_start = base ? top->clan_start : top->start_ns;

		for (struct sw_proc *q = p; q != top; q = q->parent) {
			q->clan_gen = base + gen--;
			q->clan_pid = root_pid;
			q->clan_start = root_start;
			q->clan_known = true;
		}
		return;
	}
	top->clan_gen = 0;
	top->clan_known = true;
	for (struct sw_proc *q = p; q != top; q = q->parent) {
		q->clan_gen = gen--;
		q->clan_pid = top->pid;
		q->clan_start = top->start_ns;
		q->clan_known = true;
	}
}

struct clan {
	int pid;
	uint64_t start;
	unsigned live;
	uint32_t depth;
	struct sw_proc *eldest;		/* lowest generation alive */
};

struct census {
	struct clan *v;
	unsigned n, cap;
	bool nomem;
};

static struct clan *clan_of(struct census *c, int pid, uint64_t start)
{
	for (unsigned i = 0; i < c->n; i++)
		if (c->v[i].pid == pid && c->v[i].start == start)
			return &c->v[i];
	if (c->n == c->cap) {
		unsigned cap = c->cap ? c->cap * 2 : 16;
		struct clan *v = realloc(c->v, cap * sizeof(*v));

		if (!v) {
			c->nomem = true;
			return NULL;
		}
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n] = (struct clan){ pid, start, 0, 0, NULL };
	return &c->v[c->n++];
}

static void count(struct sw_proc *p, void *data)
{
	struct census *c = data;
	struct clan *k;

	if (p->exited)
		return;
	if (!p->clan_known)
		work_out(p);
	/* Only a copy's copies replicate: skip the root's own children. */
	if (p->clan_gen < 2)
		return;
	k = clan_of(c, p->clan_pid, p->clan_start);
	if (!k)
		return;
	k->live++;
	if (p->clan_gen > k->depth)
		k->depth = p->clan_gen;
	if (!k->eldest || p->clan_gen < k->eldest->clan_gen)
		k->eldest = p;
}

static void on_tick(struct sw_tick *t)
{
	const struct sw_rule_bomb *b = &t->r->bomb;
	struct census c = { 0 };

	if (!b->enabled)
		return;
	sw_lineage_foreach(t->l, count, &c);
	for (unsigned i = 0; i < c.n; i++) {
		struct clan *k = &c.v[i];
		struct sw_proc *root;

		if (k->live < b->descendants || k->depth < b->depth)
			continue;
		if (!sw_alerts_hold(t, "fork-bomb", (uint64_t)k->pid, k->start))
			continue;
		root = sw_lineage_find(t->l, k->pid);
		if (!root || root->exited || root->start_ns != k->start)
			root = k->eldest;
		sw_tick_raise(t, root, "fork-bomb", k->live, b->descendants, 0,
			      (double)(t->now_ns - (k->start < t->now_ns ? k->start
									 : t->now_ns)) / 1e9);
	}
	free(c.v);
}

static const struct sw_rule_key keys[] = {
	SW_KEY_ENABLED(bomb.enabled),
	SW_KEY_RANGE("descendants", bomb.descendants, 1, 1000000),
	SW_KEY_RANGE("depth", bomb.depth, 1, 100000),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_section section = { "fork-bomb", keys };
static const struct sw_rule_section *const sections[] = { &section, NULL };

const struct sw_detector sw_rules_bomb = {
	.family = "bomb",
	.defaults = defaults,
	.on_tick = on_tick,
	.sections = sections,
};
