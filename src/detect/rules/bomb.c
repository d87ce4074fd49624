/* SPDX-License-Identifier: MIT */
/*
 * fork-bomb: a self-replicating subtree.  [200] live processes descend by
 * fork alone (no other program run) from one root, [4] or more generations
 * deep.  Only copies forked by copies count (generation 2 on): a server's
 * many workers are forked by the server itself and never replicate.  The
 * clan is kept in each member's slot from its fork, so it survives what a
 * bomb does to the tree: its members' parents exit and the kernel hands
 * them to init.  A server's workers (one generation) and a shell's subshells
 * (few alive) stay well below.
 *
 * Raised once per bomb, naming its top-most copy alive: from the eldest
 * copy's copy (the first forked of the lowest generation), up through the
 * live copies above it, to generation 1 at most.  Never the root: it only
 * ran the program, and the root of `:(){ :|:& };:` is the innocent
 * interactive shell it was typed in, which a script acting on the line
 * (contrib/watch-storms --act) must not stop.  Once raised, the anomaly holds while half the threshold of
 * copies' copies live, so that a bomb held at a pids.max, whose count
 * wavers around the threshold as copies die and fork, is one anomaly; it
 * re-arms below that (the root's alert bit, in its slot).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lineage.h"
#include "rules.h"

/* The root's slot: its clan's bomb was raised and has not cleared. */
#define SW_ALERT_BOMB 4u
_Static_assert((SW_ALERT_BOMB & (SW_ALERT_ZOMBIES | SW_ALERT_STORM)) == 0,
	       "fork-bomb's alert bit is its own");

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

static void set_clan(struct sw_slot *x, uint32_t gen, int pid, uint64_t start)
{
	x->clan_gen = gen;
	x->clan_pid = pid;
	x->clan_start = start;
	x->clan_known = true;
}

/*
 * A fork: the child runs the parent's program, one generation on (read
 * before the table makes room for the child, which may evict an exited
 * parent).  An exec of another program: the start of a clan of its own.
 */
static void before(const struct sw_detect_ctx *c, const struct sw_event *ev)
{
	const struct sw_proc *p;
	const struct sw_slot *px;
	struct sw_slot *x;
	uint32_t gen = 0;
	int root_pid = 0;
	uint64_t root_start = 0;

	if (!c->r->bomb.enabled)
		return;
	if (ev->type == SW_EV_EXEC) {
		p = sw_lineage_lookup(c->l, ev->pid);
		c->pend->new_program = !p || !p->exe || !ev->exe ||
				       strcmp(p->exe->s, ev->exe) != 0;
		return;
	}
	if (!c->pend->new_child)
		return;
	p = sw_lineage_lookup(c->l, ev->u.fork.parent_pid);
	if (p && (p->have & SW_HAVE_EXE)) {
		px = sw_slot_of(c, p);
		gen = (px ? px->clan_gen : 0) + 1;
		root_pid = px && px->clan_gen ? px->clan_pid : p->pid;
		root_start = px && px->clan_gen ? px->clan_start : p->start_ns;
	}
	/* The child's entry will start at the fork. */
	if ((x = sw_slot_for(c, ev->pid, ev->ktime_ns)))
		set_clan(x, gen, root_pid, root_start);
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_proc *p;
	struct sw_slot *x;

	if (ev->type != SW_EV_EXEC || !c->pend->new_program || !c->l ||
	    !(p = sw_lineage_lookup(c->l, ev->pid)))
		return;
	x = sw_slot_for(c, p->pid, p->start_ns);
	if (x)
		set_clan(x, 0, 0, 0);
}

static const struct sw_slot *known(const struct sw_detect_ctx *c,
				   const struct sw_proc *p)
{
	const struct sw_slot *x = sw_slot_of(c, p);

	return x && x->clan_known ? x : NULL;
}

/* A process found in /proc: its clan from the tree, as far as it goes. */
static const struct sw_slot *work_out(const struct sw_detect_ctx *c,
				      const struct sw_proc *p)
{
	const struct sw_proc *top = p;
	const struct sw_slot *tx;
	uint32_t gen = 0, base = 0;
	int root_pid;
	uint64_t root_start;

	while (!(tx = known(c, top)) && top->parent && same_program(top, top->parent) &&
	       gen < 1000000) {
		top = top->parent;
		gen++;
	}
	if (tx && top != p) {
		/* Continue the known clan of an ancestor. */
		base = tx->clan_gen;
		root_pid = base ? tx->clan_pid : top->pid;
		root_start = base ? tx->clan_start : top->start_ns;
	} else {
		struct sw_slot *x = sw_slot_for(c, top->pid, top->start_ns);

		if (!x)
			return NULL;
		if (!tx) {
			x->clan_gen = 0;
			x->clan_known = true;
		}
		root_pid = top->pid;
		root_start = top->start_ns;
	}
	for (const struct sw_proc *q = p; q != top; q = q->parent) {
		struct sw_slot *x = sw_slot_for(c, q->pid, q->start_ns);

		if (x)
			set_clan(x, base + gen, root_pid, root_start);
		gen--;
	}
	return known(c, p);
}

struct clan {
	int pid;
	uint64_t start;
	unsigned live;
	uint32_t depth;
	const struct sw_proc *eldest;	/* lowest generation alive, from 2 */
	uint32_t eldest_gen;
};

/*
 * The clans of one tick, found by their root through an open-addressed
 * index (a power of two, at most half full): 20,000 clans cost a tick
 * 20,000 look-ups, not 20,000 scans of the list.
 */
struct census {
	const struct sw_detect_ctx *c;
	struct clan *v;
	unsigned n, cap;
	unsigned *index;		/* 1 + a clan's place in v; 0: free */
	unsigned nindex;
	bool nomem;
	const struct sw_proc **armed;	/* roots whose alert bit is set */
	unsigned narmed, cap_armed;
};

static unsigned place(int pid, uint64_t start, unsigned n)
{
	uint64_t h = ((uint64_t)(uint32_t)pid << 32 ^ start) * 0x9e3779b97f4a7c15ull;

	return (unsigned)(h >> 32) & (n - 1);
}

static bool reindex(struct census *c)
{
	unsigned n = c->nindex ? c->nindex * 2 : 64;
	unsigned *index = calloc(n, sizeof(*index));

	if (!index)
		return false;
	for (unsigned i = 0; i < c->n; i++) {
		unsigned j = place(c->v[i].pid, c->v[i].start, n);

		while (index[j])
			j = (j + 1) & (n - 1);
		index[j] = i + 1;
	}
	free(c->index);
	c->index = index;
	c->nindex = n;
	return true;
}

/* The clan's place in the index: its own, or the free one it would take. */
static unsigned slot_in(const struct census *c, int pid, uint64_t start)
{
	unsigned j;

	for (j = place(pid, start, c->nindex); c->index[j];
	     j = (j + 1) & (c->nindex - 1)) {
		const struct clan *k = &c->v[c->index[j] - 1];

		if (k->pid == pid && k->start == start)
			break;
	}
	return j;
}

/* The clan of root (pid, start) if the census has it, or NULL. */
static struct clan *clan_find(const struct census *c, int pid, uint64_t start)
{
	unsigned j;

	if (!c->nindex)
		return NULL;
	j = slot_in(c, pid, start);
	return c->index[j] ? &c->v[c->index[j] - 1] : NULL;
}

static struct clan *clan_of(struct census *c, int pid, uint64_t start)
{
	unsigned j;

	if (2 * (c->n + 1) > c->nindex && !reindex(c)) {
		c->nomem = true;
		return NULL;
	}
	j = slot_in(c, pid, start);
	if (c->index[j])
		return &c->v[c->index[j] - 1];
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
	c->v[c->n] = (struct clan){ .pid = pid, .start = start };
	c->index[j] = ++c->n;
	return &c->v[c->n - 1];
}

/* A root whose clan's bomb was raised: looked at after the census. */
static void arm(struct census *c, const struct sw_proc *p)
{
	if (c->narmed == c->cap_armed) {
		unsigned cap = c->cap_armed ? c->cap_armed * 2 : 8;
		const struct sw_proc **v = realloc(c->armed, cap * sizeof(*v));

		if (!v)
			return;
		c->armed = v;
		c->cap_armed = cap;
	}
	c->armed[c->narmed++] = p;
}

static void count(const struct sw_proc *p, void *data)
{
	struct census *c = data;
	const struct sw_slot *x;
	struct clan *k;

	if (p->exited)
		return;
	x = sw_slot_of(c->c, p);
	if (x && (x->alerted & SW_ALERT_BOMB))
		arm(c, p);
	if (!x || !x->clan_known)
		x = work_out(c->c, p);
	/* Only a copy's copies replicate: skip the root's own children. */
	if (!x || x->clan_gen < 2)
		return;
	k = clan_of(c, x->clan_pid, x->clan_start);
	if (!k)
		return;
	k->live++;
	if (x->clan_gen > k->depth)
		k->depth = x->clan_gen;
	if (!k->eldest || x->clan_gen < k->eldest_gen ||
	    (x->clan_gen == k->eldest_gen && p->start_ns < k->eldest->start_ns)) {
		k->eldest = p;
		k->eldest_gen = x->clan_gen;
	}
}

/*
 * The top-most copy alive on the branch that replicates: from the eldest
 * copy's copy up through the live copies above it, short of the root (a
 * server's own workers, at generation 1 too, are beside that branch).
 */
static const struct sw_proc *top_copy(const struct sw_tick *t,
				      const struct clan *k)
{
	const struct sw_proc *top = k->eldest;

	while (top->parent && !top->parent->exited) {
		const struct sw_slot *x = known(t->c, top->parent);

		if (!x || x->clan_gen < 1 || x->clan_pid != k->pid ||
		    x->clan_start != k->start)
			break;
		top = top->parent;
	}
	return top;
}

/*
 * The root's slot, where the clan's alert bit is kept (made when make);
 * NULL: none, or the table no longer holds the root.
 */
static struct sw_slot *root_slot(const struct sw_tick *t, int pid,
				 uint64_t start, bool make)
{
	const struct sw_proc *root = sw_lineage_lookup(t->l, pid);

	if (!root || root->start_ns != start)
		return NULL;
	return make ? sw_slot_for(t->c, pid, start) : sw_slot_of(t->c, root);
}

/* The roots whose raised clan has no copies' copies left: re-armed. */
static void clear_gone(const struct census *c)
{
	for (unsigned i = 0; i < c->narmed; i++) {
		const struct sw_proc *p = c->armed[i];
		struct sw_slot *x;

		if (!clan_find(c, p->pid, p->start_ns) && (x = sw_slot_of(c->c, p)))
			x->alerted &= ~SW_ALERT_BOMB;
	}
}

/* Whether clan k is a bomb now: crossing, or raised and still half. */
static bool judge(const struct sw_tick *t, const struct clan *k)
{
	const struct sw_rule_bomb *b = &t->r->bomb;
	bool crossed = k->live >= b->descendants && k->depth >= b->depth;
	struct sw_slot *rx = root_slot(t, k->pid, k->start, crossed);

	if (crossed || (rx && (rx->alerted & SW_ALERT_BOMB) &&
			2 * k->live >= b->descendants)) {
		if (rx)
			rx->alerted |= SW_ALERT_BOMB;
		return true;
	}
	if (rx)
		rx->alerted &= ~SW_ALERT_BOMB;
	return false;
}

static void on_tick(struct sw_tick *t)
{
	const struct sw_rule_bomb *b = &t->r->bomb;
	struct census c = { .c = t->c };

	if (!b->enabled)
		return;
	sw_lineage_walk(t->l, count, &c);
	clear_gone(&c);
	for (unsigned i = 0; i < c.n; i++) {
		const struct clan *k = &c.v[i];

		if (!judge(t, k) ||
		    !sw_alerts_hold(t, "fork-bomb", (uint64_t)k->pid, k->start))
			continue;
		sw_tick_raise(t, top_copy(t, k), "fork-bomb", k->live,
			      b->descendants, 0,
			      (double)(t->now_ns - (k->start < t->now_ns ? k->start
									 : t->now_ns)) / 1e9);
	}
	free(c.v);
	free(c.index);
	free(c.armed);
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
	.before = before,
	.on_event = on_event,
	.on_tick = on_tick,
	.sections = sections,
};
