/* SPDX-License-Identifier: MIT */
/*
 * The table itself: entries by pid, their tree, the queues of zombies and
 * reaped entries, and the bounds that keep memory flat whatever the host
 * does (fork bombs, pid wrap-around, millions of short lives).
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lineage_int.h"

struct sw_str *sw_str_new(const char *s, size_t len)
{
	struct sw_str *str;

	if (len > UINT32_MAX - 1)
		return NULL;
	str = malloc(sizeof(*str) + len + 1);
	if (!str)
		return NULL;
	str->refs = 1;
	str->len = (uint32_t)len;
	memcpy(str->s, s, len);
	str->s[len] = '\0';
	return str;
}

struct sw_str *sw_str_ref(struct sw_str *s)
{
	if (s)
		s->refs++;
	return s;
}

void sw_str_unref(struct sw_str *s)
{
	if (s && --s->refs == 0)
		free(s);
}

void sw_str_set(struct sw_str **slot, const char *s, size_t len)
{
	sw_str_unref(*slot);
	*slot = s ? sw_str_new(s, len) : NULL;
}

void sw_proc_set_argv(struct sw_proc *p, const char *argv, size_t len,
		      size_t size, bool cut)
{
	const unsigned char *u = (const unsigned char *)argv;

	if (!size || size < len)
		size = len;
	if (argv && len > SW_ARGV_KEEP) {
		len = SW_ARGV_KEEP;
		for (int i = 0; i < 3 && len > 0 && (u[len] & 0xc0) == 0x80; i++)
			len--;
		cut = true;
	}
	sw_str_set(&p->argv, argv, len);
	cut = cut && p->argv;
	p->cut = (p->cut & ~(unsigned)SW_HAVE_ARGV) | (cut ? SW_HAVE_ARGV : 0);
	p->argv_size = cut ? (uint32_t)(size < UINT32_MAX ? size : UINT32_MAX) : 0;
}

void sw_proc_release(struct sw_proc *p)
{
	sw_str_unref(p->exe);
	sw_str_unref(p->cwd);
	sw_str_unref(p->argv);
	sw_str_unref(p->cid);
}

struct sw_lineage *sw_lineage_new(const struct sw_lineage_conf *conf,
				  struct sw_users *users)
{
	struct sw_lineage *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->conf = *conf;
	l->users = users;
	if (sw_pidmap_init(&l->map, 4096, offsetof(struct sw_proc, pid)) < 0) {
		free(l);
		return NULL;
	}
	return l;
}

_Static_assert(offsetof(struct sw_proc, node) == 0,
	       "a table entry starts with its pidmap node");

static struct sw_proc *proc_of(struct sw_pidnode *x)
{
	return (struct sw_proc *)(void *)x;	/* its first member */
}

static void free_proc(struct sw_pidnode *x)
{
	sw_proc_release(proc_of(x));
	free(x);
}

void sw_lineage_free(struct sw_lineage *l)
{
	if (!l)
		return;
	sw_pidmap_drain(&l->map, free_proc);
	while (l->pool) {
		struct sw_proc *next = proc_of(l->pool->node.next);

		free(l->pool);
		l->pool = next;
	}
	free(l->orphans);
	sw_pidmap_fini(&l->map);
	free(l);
}

struct sw_proc *sw_lineage_find(struct sw_lineage *l, int pid)
{
	struct sw_pidnode *x = sw_pidmap_chain(&l->map, pid);

	while (x && proc_of(x)->pid != pid)
		x = x->next;
	return x ? proc_of(x) : NULL;
}

const struct sw_proc *sw_lineage_lookup(const struct sw_lineage *l, int pid)
{
	return sw_lineage_find((struct sw_lineage *)l, pid);
}

unsigned sw_lineage_count(const struct sw_lineage *l)
{
	return l->map.count;
}

void sw_lineage_counters(const struct sw_lineage *l,
			 struct sw_lineage_counters *ret)
{
	ret->tracked = l->map.count;
	ret->peak_tracked = l->peak;
	ret->zombies = l->zombies.n;
	ret->evicted = l->evicted;
	ret->untracked = l->untracked;
}

struct each {
	void (*fn)(struct sw_proc *p, void *data);
	void (*cfn)(const struct sw_proc *p, void *data);
	void *data;
};

static void each(struct sw_pidnode *x, void *data)
{
	const struct each *e = data;

	if (e->fn)
		e->fn(proc_of(x), e->data);
	else
		e->cfn(proc_of(x), e->data);
}

void sw_lineage_walk(const struct sw_lineage *l,
		     void (*fn)(const struct sw_proc *p, void *data), void *data)
{
	struct each e = { .cfn = fn, .data = data };

	sw_pidmap_each((struct sw_pidmap *)&l->map, each, &e);
}

void sw_lineage_foreach(struct sw_lineage *l,
			void (*fn)(struct sw_proc *p, void *data), void *data)
{
	struct each e = { .fn = fn, .data = data };

	sw_pidmap_each(&l->map, each, &e);
}

static void pq_push(struct sw_pq *q, struct sw_proc *p)
{
	p->qprev = q->tail;
	p->qnext = NULL;
	if (q->tail)
		q->tail->qnext = p;
	else
		q->head = p;
	q->tail = p;
	q->n++;
}

static void pq_unlink(struct sw_pq *q, struct sw_proc *p)
{
	if (p->qprev)
		p->qprev->qnext = p->qnext;
	else
		q->head = p->qnext;
	if (p->qnext)
		p->qnext->qprev = p->qprev;
	else
		q->tail = p->qprev;
	p->qprev = p->qnext = NULL;
	q->n--;
}

/* Leaves whichever queue p is in, keeping the sweep's place. */
static void queue_leave(struct sw_lineage *l, struct sw_proc *p,
			struct sw_pq *q)
{
	if (l->unchecked == p)
		l->unchecked = p->qnext;
	pq_unlink(q, p);
}

static struct sw_pq *queue_of(struct sw_lineage *l, const struct sw_proc *p)
{
	if (!p->exited)
		return NULL;
	return p->zombie ? &l->zombies : &l->gone;
}

bool sw_lineage_older(const struct sw_proc *a, const struct sw_proc *p)
{
	return !(a->have & SW_HAVE_START) || !(p->have & SW_HAVE_START) ||
	       a->start_ns <= p->start_ns + SW_START_SLACK_NS;
}

static void tree_unlink(struct sw_proc *p)
{
	if (!p->parent)
		return;
	if (p->sib_prev)
		p->sib_prev->sib_next = p->sib_next;
	else
		p->parent->first_child = p->sib_next;
	if (p->sib_next)
		p->sib_next->sib_prev = p->sib_prev;
	if (p->zombie && p->parent->zombies)
		p->parent->zombies--;
	if (!p->exited && p->parent->live_kids)
		p->parent->live_kids--;
	p->parent = p->sib_prev = p->sib_next = NULL;
}

/*
 * Whether a is p or below it.  A process without children (a fork's child,
 * every time) has nothing below it.  Otherwise the walk up from a stops at
 * the first ancestor that started before p: p's descendants started after
 * p, and a start time read from /proc is at most a clock tick early (the
 * slack is two), so an older one is not below p, nor is any ancestor of
 * it.  A 30,000-deep chain costs a fork nothing, a relink the ancestors
 * that started within the slack of it.
 */
static bool under(const struct sw_proc *a, const struct sw_proc *p)
{
	if (!p->first_child)
		return a == p;
	for (const struct sw_proc *up = a; up; up = up->parent) {
		if (up == p)
			return true;
		if ((up->have & SW_HAVE_START) && (p->have & SW_HAVE_START) &&
		    up->start_ns + SW_START_SLACK_NS < p->start_ns)
			return false;
	}
	return false;
}

void sw_lineage_link(struct sw_lineage *l, struct sw_proc *p)
{
	struct sw_proc *a;

	tree_unlink(p);
	if (!(p->have & SW_HAVE_PPID) || p->ppid <= 0 || p->ppid == p->pid)
		return;
	a = sw_lineage_find(l, p->ppid);
	if (!a || !sw_lineage_older(a, p))
		return;
	if (under(a, p))
		return;		/* never under its own descendant */
	p->parent = a;
	p->sib_next = a->first_child;
	if (a->first_child)
		a->first_child->sib_prev = p;
	a->first_child = p;
	if (p->zombie)
		a->zombies++;
	if (!p->exited)
		a->live_kids++;
}

void sw_lineage_remove(struct sw_lineage *l, struct sw_proc *p)
{
	struct sw_pq *q = queue_of(l, p);

	sw_pidmap_del(&l->map, &p->node);
	if (q)
		queue_leave(l, p, q);
	tree_unlink(p);
	while (p->first_child) {
		struct sw_proc *c = p->first_child;

		p->first_child = c->sib_next;
		c->parent = c->sib_prev = c->sib_next = NULL;
	}
	sw_proc_release(p);
	memset(p, 0, sizeof(*p));
	p->node.next = l->pool ? &l->pool->node : NULL;
	l->pool = p;
}

/* Makes room: the oldest reaped entry goes first, then the oldest zombie. */
static bool evict_one(struct sw_lineage *l)
{
	struct sw_proc *victim = l->gone.head ? l->gone.head : l->zombies.head;

	if (!victim)
		return false;
	sw_lineage_remove(l, victim);
	l->evicted++;
	return true;
}

struct sw_proc *sw_lineage_insert(struct sw_lineage *l, int pid)
{
	struct sw_proc *p;

	if (l->map.count >= l->conf.cap && !evict_one(l)) {
		l->untracked++;
		return NULL;
	}
	if (l->pool) {
		p = l->pool;
		l->pool = p->node.next ? proc_of(p->node.next) : NULL;
	} else {
		p = calloc(1, sizeof(*p));
		if (!p)
			return NULL;
	}
	p->pid = pid;
	sw_pidmap_add(&l->map, &p->node);
	if (l->map.count > l->peak)
		l->peak = l->map.count;
	return p;
}

void sw_lineage_mark_exited(struct sw_lineage *l, struct sw_proc *p,
			    uint64_t now_ns)
{
	if (p->exited)
		return;
	p->exited = true;
	p->zombie = true;
	p->exit_ns = now_ns;
	pq_push(&l->zombies, p);
	if (!l->unchecked)
		l->unchecked = p;
	if (p->parent) {
		p->parent->zombies++;
		if (p->parent->live_kids)
			p->parent->live_kids--;
	}
}

void sw_lineage_mark_reaped(struct sw_lineage *l, struct sw_proc *p,
			    uint64_t now_ns)
{
	if (!p->exited || !p->zombie)
		return;
	queue_leave(l, p, &l->zombies);
	if (p->parent && p->parent->zombies)
		p->parent->zombies--;
	p->zombie = false;
	p->exit_ns = now_ns;
	pq_push(&l->gone, p);
}

void sw_lineage_revive(struct sw_lineage *l, struct sw_proc *p)
{
	struct sw_pq *q = queue_of(l, p);

	if (!q)
		return;
	queue_leave(l, p, q);
	if (p->zombie && p->parent && p->parent->zombies)
		p->parent->zombies--;
	if (p->parent)
		p->parent->live_kids++;
	p->exited = false;
	p->zombie = false;
	p->exit_ns = 0;
}

/* Caps are enforced here, never while a caller walks the table. */
void sw_lineage_expire(struct sw_lineage *l, uint64_t now_ns)
{
	while (l->gone.head && (l->gone.n > l->conf.gone_cap ||
				l->gone.head->exit_ns + l->conf.linger_ns <= now_ns)) {
		sw_lineage_remove(l, l->gone.head);
		l->evicted++;
	}
	while (l->zombies.n > l->conf.zombie_cap) {
		sw_lineage_remove(l, l->zombies.head);
		l->evicted++;
	}
}

void sw_lineage_reparent(struct sw_lineage *l, struct sw_proc *p, int ppid)
{
	p->ppid = ppid;
	p->have |= SW_HAVE_PPID;
	sw_lineage_link(l, p);
}

void sw_lineage_seal(struct sw_lineage *l)
{
	l->sealed = true;
}

/* p and all below it, however deep: a walk of the tree, no recursion. */
static void mark_below(struct sw_proc *p)
{
	struct sw_proc *c = p;

	for (;;) {
		c->marked = true;
		if (c->first_child) {
			c = c->first_child;
			continue;
		}
		while (c != p && !c->sib_next)
			c = c->parent;
		if (c == p)
			return;
		c = c->sib_next;
	}
}

void sw_lineage_mark_subtree(struct sw_lineage *l, int pid)
{
	struct sw_proc *p = sw_lineage_find(l, pid);

	l->marking = true;
	if (p)
		mark_below(p);
}
