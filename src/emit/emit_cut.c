/* SPDX-License-Identifier: MIT */
/*
 * A line cut to a size (a syslog message's): the event formatted again,
 * from a copy, with its argv cut from the end (never inside a UTF-8
 * sequence), then with fewer ancestors (eldest first), then without cwd,
 * then without exe, until the line and the format's mark of the cut fit.
 * Each step is a binary search: fewer bytes in never make a longer line.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

struct cut {
	struct sw_buf *out;
	size_t start;		/* the line's first byte */
	struct sw_emit *em;
	struct sw_event *t;
	const struct sw_event *ev;	/* as it was */
	size_t max;
	int (*mark)(struct sw_buf *out, size_t start);
};

/* 1 when t fits, 0 when not, -errno. */
static int attempt(struct cut *c)
{
	struct sw_buf *out = c->out;
	int r;

	out->len = c->start;
	r = c->em->ops->format(c->em, c->t, out);
	if (r < 0)
		return r;
	r = c->mark(out, c->start);
	if (r < 0)
		return r;
	return out->len - c->start <= c->max;
}

/* The argv cut to k bytes, but never inside a UTF-8 sequence. */
static void set_argv(struct cut *c, size_t k)
{
	const unsigned char *p = (const unsigned char *)c->ev->argv;

	for (int i = 0; i < 3 && k > 0 && k < c->ev->argv_len &&
			(p[k] & 0xc0) == 0x80; i++)
		k--;
	c->t->argv_len = k;
	c->t->cut = (c->t->cut & ~(unsigned)SW_HAVE_ARGV) |
		    (k < c->ev->argv_len ? SW_HAVE_ARGV : c->ev->cut & SW_HAVE_ARGV);
	c->t->argv_size = sw_event_argv_size(c->ev);
}

static void set_ancestry(struct cut *c, size_t k)
{
	c->t->n_ancestry = (unsigned)k;
	c->t->ancestry_cut = k < c->ev->n_ancestry || c->ev->ancestry_cut;
}

/*
 * The most of [0, n] that fits, set and formatted in c->out: 1; 0 when
 * even none fits; -errno.
 */
static int search(struct cut *c, size_t n, void (*set)(struct cut *, size_t))
{
	size_t lo = 0, hi = n;
	int r;

	set(c, 0);
	if ((r = attempt(c)) <= 0)
		return r;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;

		set(c, mid);
		if ((r = attempt(c)) < 0)
			return r;
		if (r)
			lo = mid;
		else
			hi = mid - 1;
	}
	set(c, lo);
	return attempt(c);
}

static int shrink(struct cut *c)
{
	struct sw_event *t = c->t;
	int r;

	if ((t->have & SW_HAVE_ARGV) && t->argv &&
	    (r = search(c, t->argv_len, set_argv)) != 0)
		return r;
	if (t->n_ancestry && (r = search(c, t->n_ancestry, set_ancestry)) != 0)
		return r;
	set_ancestry(c, 0);
	t->have &= ~(unsigned)SW_HAVE_CWD;
	if ((r = attempt(c)) != 0)
		return r;
	t->have &= ~(unsigned)SW_HAVE_EXE;
	if ((r = attempt(c)) != 0)
		return r;
	return -EMSGSIZE;
}

/* The whole line, its '\n' dropped, when it fits: 1; 0 when not; -errno. */
static int whole(struct cut *c)
{
	struct sw_buf *out = c->out;
	int r = c->em->ops->format(c->em, c->ev, out);

	if (r < 0)
		return r;
	if (out->len > c->start && out->data[out->len - 1] == '\n')
		out->len--;
	return out->len - c->start <= c->max;
}

/* Cut from a copy, so that the caller's event stays as it is: 1 or -errno. */
static int cut_copy(struct cut *c)
{
	int r;

	c->t = malloc(sizeof(*c->t));
	if (!c->t)
		return -ENOMEM;
	memcpy(c->t, c->ev, sizeof(*c->t));
	r = shrink(c);
	free(c->t);
	return r;
}

int sw_emit_cut(struct sw_emit *em, const struct sw_event *ev,
		struct sw_buf *out, size_t max,
		int (*mark)(struct sw_buf *out, size_t start))
{
	struct cut c = { .out = out, .start = out->len, .em = em, .ev = ev,
			 .max = max, .mark = mark };
	int r = whole(&c);

	if (r == 0)
		r = cut_copy(&c);
	else if (r > 0)
		r = 0;
	if (r < 0)
		out->len = c.start;
	if (out->data)
		out->data[out->len] = '\0';
	return r;
}

/* A JSON object and '\n': the key goes before its closing brace. */
static int mark_document(struct sw_buf *out, size_t start)
{
	if (out->len < start + 3 || out->data[out->len - 2] != '}')
		return -EINVAL;
	out->len -= 2;
	return sw_buf_puts(out, ",\"truncated\":true}");
}

int sw_emit_cut_document(struct sw_emit *em, const struct sw_event *ev,
			 struct sw_buf *out, size_t max)
{
	return sw_emit_cut(em, ev, out, max, mark_document);
}

int sw_emit_truncate(struct sw_emit *em, const struct sw_event *ev,
		     struct sw_buf *out, size_t max)
{
	size_t start, len;
	int r;

	/* A format that cannot mark a cut has no lines cut. */
	if (!em->ops->truncate)
		return -EINVAL;
	/* From the line sw_emit_event() writes: its fields capped already. */
	ev = sw_emit_cap_exec(em, ev);
	if (!ev)
		return -ENOMEM;
	start = out->len;
	r = em->ops->format(em, ev, out);
	len = out->len - start;
	out->len = start;
	if (r < 0)
		return r;
	if (sw_emit_cap_wanted(em, ev, len) && !(ev = sw_emit_cap_fields(em, ev)))
		return -ENOMEM;
	return em->ops->truncate(em, ev, out, max);
}
