/* SPDX-License-Identifier: MIT */
/*
 * The size of a line, field by field (spawnwatch-json(5), LINE SIZE).  An
 * exec line carries at most SW_ARGV_LINE_MAX bytes of its command line.
 * A process line of a document format (json, ecs) longer than
 * SW_LINE_MAX bytes is written again from a copy of its event whose
 * fields, each on its own, are cut to what they may cost on such a line:
 * the command line, the executable and the working directory, each
 * ancestor's executable, then the ancestors that no longer fit.  Each cut
 * is marked on the line (<field>_truncated), never the line itself cut.
 * The costs are the bytes the JSON writer writes (sw_jsonw_fit()), so
 * that the budgets bound the line whatever bytes a process chose.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "jsonw.h"

/* What each field may cost, in bytes written, on a line too long. */
struct budget {
	size_t argv;		/* the array between its brackets */
	size_t exe, cwd;
	size_t ancestry;	/* every entry, with its braces and commas */
	size_t ancestor_exe;
};

#define NONE SIZE_MAX

static const struct budget other_lines = {
	.argv = SW_CAP_ARGV, .exe = SW_CAP_PATH, .cwd = SW_CAP_PATH,
	.ancestry = SW_CAP_ANCESTRY, .ancestor_exe = SW_CAP_ANCESTOR_EXE,
};

/* An exec line keeps its own fields: they are what it is there for. */
static const struct budget exec_lines = {
	.argv = NONE, .exe = NONE, .cwd = NONE,
	.ancestry = SW_CAP_ANCESTRY, .ancestor_exe = SW_CAP_ANCESTOR_EXE,
};

/* Cut strings, kept until the next event: room for every one of them. */
#define STRS_ROOM (2 * (SW_CAP_PATH + 1) + \
		   SW_ANCESTRY_MAX * (SW_CAP_ANCESTOR_EXE + 1))

static struct sw_event *copy(struct sw_emit *em, const struct sw_event *ev)
{
	if (!em->cap) {
		em->cap = malloc(sizeof(*em->cap));
		if (!em->cap)
			return NULL;
	}
	if (em->cap != ev)
		memcpy(em->cap, ev, sizeof(*ev));
	return em->cap;
}

/* argv cut to k bytes, marked cut. */
static void cut_argv(struct sw_event *t, size_t k)
{
	t->argv_size = sw_event_argv_size(t);
	t->argv_len = k;
	t->cut |= SW_HAVE_ARGV;
}

const struct sw_event *sw_emit_cap_exec(struct sw_emit *em,
					const struct sw_event *ev)
{
	if (ev->type != SW_EV_EXEC || !(ev->have & SW_HAVE_ARGV) || !ev->argv ||
	    ev->argv_len <= SW_ARGV_LINE_MAX)
		return ev;
	const unsigned char *u = (const unsigned char *)ev->argv;
	size_t k = SW_ARGV_LINE_MAX;
	struct sw_event *t;

	/* Never inside a UTF-8 sequence. */
	for (int i = 0; i < 3 && k > 0 && (u[k] & 0xc0) == 0x80; i++)
		k--;
	t = copy(em, ev);
	if (t)
		cut_argv(t, k);
	return t;
}

/* The command line's elements, each quoted and but the last with a ','. */
static void fit_argv(struct sw_event *t, size_t budget)
{
	size_t i = 0, used = 0;

	while (i < t->argv_len) {
		const char *a = t->argv + i;
		const char *nul = memchr(a, '\0', t->argv_len - i);
		size_t n = nul ? (size_t)(nul - a) : t->argv_len - i, cost, k;

		if (budget - used < 3) {
			cut_argv(t, i);
			return;
		}
		k = sw_jsonw_fit(a, n, budget - used - 3, &cost);
		if (k < n) {
			cut_argv(t, i + k);
			return;
		}
		used += cost + 3;
		i += n + 1;
	}
}

/* *s cut to what budget allows, as a copy in em->cap_strs: true if cut. */
static bool fit_str(struct sw_emit *em, const char **s, size_t budget,
		    size_t *ret_cost)
{
	size_t n = strlen(*s), cost;
	size_t k = sw_jsonw_fit(*s, n, budget, &cost);
	char *p;

	if (ret_cost)
		*ret_cost = cost;
	if (k == n)
		return false;
	p = em->cap_strs.data + em->cap_strs.len;
	memcpy(p, *s, k);
	p[k] = '\0';
	em->cap_strs.len += k + 1;
	*s = p;
	return true;
}

/*
 * An entry: {"pid":N,"comm":"..","exe":"..","exe_truncated":true} and its
 * ','; the same in ECS's spawnwatch.ancestry.
 */
static size_t entry_cost(struct sw_emit *em, struct sw_event *t, unsigned i,
			 size_t exe_budget)
{
	struct sw_ancestor *a = &t->ancestry[i];
	size_t cost = sizeof("{\"pid\":-2147483648}") - 1 + 1, c;

	if (a->comm) {
		sw_jsonw_fit(a->comm, strlen(a->comm), NONE, &c);
		cost += sizeof(",\"comm\":\"\"") - 1 + c;
	}
	if (a->exe) {
		if (fit_str(em, &a->exe, exe_budget, &c))
			t->ancestry_exe_cut |= 1ull << i;
		cost += sizeof(",\"exe\":\"\"") - 1 + c;
		if (sw_event_ancestor_cut(t, i))
			cost += sizeof(",\"exe_truncated\":true") - 1;
	}
	return cost;
}

static void fit_ancestry(struct sw_emit *em, struct sw_event *t,
			 const struct budget *b)
{
	size_t used = 0;

	for (unsigned i = 0; i < t->n_ancestry; i++) {
		size_t cost = entry_cost(em, t, i, b->ancestor_exe);

		if (cost > b->ancestry - used) {
			t->n_ancestry = i;
			t->ancestry_cut = true;
			return;
		}
		used += cost;
	}
}

bool sw_emit_cap_wanted(const struct sw_emit *em, const struct sw_event *ev,
			size_t line_len)
{
	return line_len > SW_LINE_MAX && (em->ops->flags & SW_EMIT_F_DOCUMENT) &&
	       sw_event_is_process(ev->type);
}

const struct sw_event *sw_emit_cap_fields(struct sw_emit *em,
					  const struct sw_event *ev)
{
	const struct budget *b = ev->type == SW_EV_EXEC ? &exec_lines
							: &other_lines;
	struct sw_event *t;

	em->cap_strs.len = 0;
	if (sw_buf_reserve(&em->cap_strs, STRS_ROOM) < 0 || !(t = copy(em, ev)))
		return NULL;
	if ((t->have & SW_HAVE_ARGV) && t->argv && b->argv != NONE)
		fit_argv(t, b->argv);
	if ((t->have & SW_HAVE_EXE) && t->exe && b->exe != NONE &&
	    fit_str(em, &t->exe, b->exe, NULL))
		t->cut |= SW_HAVE_EXE;
	if ((t->have & SW_HAVE_CWD) && t->cwd && b->cwd != NONE &&
	    fit_str(em, &t->cwd, b->cwd, NULL))
		t->cut |= SW_HAVE_CWD;
	fit_ancestry(em, t, b);
	return t;
}
