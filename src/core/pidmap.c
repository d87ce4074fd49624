/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "pidmap.h"

static unsigned slot(int pid, unsigned n)
{
	return ((uint32_t)pid * 2654435761u) & (n - 1);
}

int sw_pidmap_init(struct sw_pidmap *m, unsigned nbuckets, size_t key_off)
{
	m->b = calloc(nbuckets, sizeof(*m->b));
	if (!m->b)
		return -ENOMEM;
	m->n = nbuckets;
	m->count = 0;
	m->key_off = key_off;
	return 0;
}

void sw_pidmap_fini(struct sw_pidmap *m)
{
	free(m->b);
	m->b = NULL;
	m->n = m->count = 0;
}

static void grow(struct sw_pidmap *m)
{
	unsigned n = m->n * 2;
	struct sw_pidnode **b = calloc(n, sizeof(*b));

	if (!b)
		return;
	for (unsigned i = 0; i < m->n; i++) {
		struct sw_pidnode *x = m->b[i], *next;

		for (; x; x = next) {
			unsigned j = slot(sw_pidmap_key(m, x), n);

			next = x->next;
			x->next = b[j];
			b[j] = x;
		}
	}
	free(m->b);
	m->b = b;
	m->n = n;
}

void sw_pidmap_add(struct sw_pidmap *m, struct sw_pidnode *x)
{
	unsigned i;

	if (m->count >= m->n * 2)
		grow(m);
	i = slot(sw_pidmap_key(m, x), m->n);
	x->next = m->b[i];
	m->b[i] = x;
	m->count++;
}

void sw_pidmap_del(struct sw_pidmap *m, struct sw_pidnode *x)
{
	struct sw_pidnode **pp = &m->b[slot(sw_pidmap_key(m, x), m->n)];

	while (*pp && *pp != x)
		pp = &(*pp)->next;
	if (!*pp)
		return;
	*pp = x->next;
	x->next = NULL;
	m->count--;
}

void sw_pidmap_each(struct sw_pidmap *m,
		    void (*fn)(struct sw_pidnode *x, void *data), void *data)
{
	for (unsigned i = 0; i < m->n; i++) {
		struct sw_pidnode *x = m->b[i], *next;

		for (; x; x = next) {
			next = x->next;
			fn(x, data);
		}
	}
}

void sw_pidmap_drain(struct sw_pidmap *m, void (*fn)(struct sw_pidnode *x))
{
	for (unsigned i = 0; i < m->n; i++) {
		struct sw_pidnode *x = m->b[i], *next;

		m->b[i] = NULL;
		for (; x; x = next) {
			next = x->next;
			x->next = NULL;
			fn(x);
		}
	}
	m->count = 0;
}
