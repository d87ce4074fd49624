/* SPDX-License-Identifier: MIT */
/*
 * An intrusive hash of records by pid, shared by the lineage table and the
 * detectors' slots.  A record starts with its struct sw_pidnode and holds
 * its pid as an int at a fixed offset (given to sw_pidmap_init); a pid may
 * be held by more than one record (the slots keep a process and its
 * predecessor apart by start time), so a lookup walks the pid's chain:
 *
 *	for (n = sw_pidmap_chain(m, pid); n; n = n->next)
 *		if (sw_pidmap_key(m, n) == pid && ...)
 *
 * It grows at two records per bucket; a failed growth leaves longer
 * chains, still correct.
 */
#ifndef SW_PIDMAP_H
#define SW_PIDMAP_H

#include <stddef.h>
#include <stdint.h>

struct sw_pidnode {
	struct sw_pidnode *next;	/* hash chain, or a free list */
};

struct sw_pidmap {
	struct sw_pidnode **b;
	unsigned n;			/* buckets: a power of two */
	unsigned count;			/* records held */
	size_t key_off;			/* the pid's offset in a record */
};

/* 0, or -ENOMEM.  nbuckets: a power of two. */
int sw_pidmap_init(struct sw_pidmap *m, unsigned nbuckets, size_t key_off);
/* Frees the buckets, not the records (see sw_pidmap_drain). */
void sw_pidmap_fini(struct sw_pidmap *m);

static inline int sw_pidmap_key(const struct sw_pidmap *m,
				const struct sw_pidnode *x)
{
	return *(const int *)(const void *)((const char *)x + m->key_off);
}

static inline struct sw_pidnode *sw_pidmap_chain(const struct sw_pidmap *m,
						 int pid)
{
	return m->b[((uint32_t)pid * 2654435761u) & (m->n - 1)];
}

void sw_pidmap_add(struct sw_pidmap *m, struct sw_pidnode *x);
/* Unlinks x, which m holds; nothing when it does not. */
void sw_pidmap_del(struct sw_pidmap *m, struct sw_pidnode *x);
/*
 * fn on every record, in no order.  fn may sw_pidmap_del the record it is
 * given (and free it), no other.
 */
void sw_pidmap_each(struct sw_pidmap *m,
		    void (*fn)(struct sw_pidnode *x, void *data), void *data);
/* Unlinks every record, handing each to fn (which may free it). */
void sw_pidmap_drain(struct sw_pidmap *m, void (*fn)(struct sw_pidnode *x));

#endif
