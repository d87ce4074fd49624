/* SPDX-License-Identifier: MIT */
/*
 * cron-overlap: a job a cron daemon starts while [1] or more earlier runs
 * of the same command line still live: the "hourly" script that takes
 * longer than an hour, piling up until the process table is full.  The
 * job is the program a cron daemon's child execs; the command line is
 * compared as it is now (a shell that execs its one command becomes that
 * command, on both runs alike).  The exec is tagged; the anomaly is raised
 * once per command line and re-armed when the pile-up clears, on the job's
 * first run still alive: its pid and its command line (`sh -c JOB`, or
 * what that shell exec'd), never the cron daemon's child that forked it,
 * whose command line is the daemon's.  A cron
 * daemon is known by its executable's path only: a comm or a basename is
 * anyone's to choose (cp /bin/bash /tmp/cron).  Busybox's crond is not
 * known by default, as its path is every applet's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "lineage.h"
#include "rules.h"

/* Debian, Fedora, Alpine (cronie, dcron, fcron), Arch (merged bin). */
static const char *const daemons[] = {
	"/usr/sbin/cron", "/usr/sbin/crond", "/usr/sbin/anacron",
	"/usr/sbin/fcron", "/usr/sbin/bcron-exec", "/usr/bin/crond",
	"/usr/bin/anacron", "/usr/bin/fcron",
};

static void defaults(struct sw_rules *r)
{
	r->cron.enabled = true;
	r->cron.runs = 1;
	SW_NAMES_FILL(&r->cron.daemons, daemons);
}

static bool is_daemon(const struct sw_rule_cron *c, const struct sw_proc *p)
{
	return p && (p->have & SW_HAVE_EXE) && p->exe &&
	       sw_paths_has(&c->daemons, p->exe->s);
}

/* A job a cron daemon started: marked in its slot at its exec. */
static bool is_job(const struct sw_detect_ctx *c, const struct sw_proc *p)
{
	const struct sw_slot *x = sw_slot_of(c, p);

	return x && x->cron_job;
}

static bool same_line(const struct sw_proc *a, const struct sw_proc *b)
{
	return a->argv && b->argv && a->argv->len == b->argv->len &&
	       memcmp(a->argv->s, b->argv->s, a->argv->len) == 0;
}

/* The live process of job slot x, or NULL. */
static const struct sw_proc *job_proc(const struct sw_detect_ctx *c,
				      const struct sw_slot *x)
{
	const struct sw_proc *p = sw_lineage_lookup(c->l, x->pid);

	return p && p->start_ns == x->start_ns && !p->exited && p->argv ? p : NULL;
}

struct runs {
	const struct sw_detect_ctx *c;
	const struct sw_proc *job;
	unsigned n;
};

static void count_run(struct sw_slot *x, void *data)
{
	struct runs *r = data;
	const struct sw_proc *p = job_proc(r->c, x);

	if (p && p != r->job && same_line(r->job, p))
		r->n++;
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_rule_cron *cr = &c->r->cron;
	const struct sw_proc *p;
	struct sw_slot *x;
	struct runs runs = { c, NULL, 0 };

	if (ev->type != SW_EV_EXEC || !cr->enabled || !c->l || !c->slots)
		return;
	p = sw_lineage_lookup(c->l, ev->pid);
	if (!p || !(is_job(c, p) || is_daemon(cr, p->parent)) || !p->argv)
		return;
	x = sw_slot_for(c, p->pid, p->start_ns);
	if (x)
		sw_slots_mark_job(c->slots, x);
	runs.job = p;
	sw_slots_jobs(c->slots, count_run, &runs);
	if (runs.n >= cr->runs)
		sw_detect_tag(ev, "cron-overlap");
}

/* FNV-1a of a command line: the key of its anomaly. */
static uint64_t hash(const struct sw_str *s)
{
	uint64_t h = 1469598103934665603ull;

	for (uint32_t i = 0; i < s->len; i++)
		h = (h ^ (unsigned char)s->s[i]) * 1099511628211ull;
	return h;
}

struct jobs {
	const struct sw_detect_ctx *c;
	const struct sw_proc **v;
	unsigned n, cap;
};

static void collect(struct sw_slot *x, void *data)
{
	struct jobs *j = data;
	const struct sw_proc *p = job_proc(j->c, x);

	if (!p)
		return;
	if (j->n == j->cap) {
		unsigned cap = j->cap ? j->cap * 2 : 64;
		const struct sw_proc **v = realloc(j->v, cap * sizeof(*v));

		if (!v)
			return;
		j->v = v;
		j->cap = cap;
	}
	j->v[j->n++] = p;
}

static int by_line(const void *a, const void *b)
{
	const struct sw_proc *p = *(const struct sw_proc *const *)a;
	const struct sw_proc *q = *(const struct sw_proc *const *)b;
	int d;

	if (p->argv->len != q->argv->len)
		return p->argv->len < q->argv->len ? -1 : 1;
	d = memcmp(p->argv->s, q->argv->s, p->argv->len);
	if (d)
		return d;
	return p->start_ns < q->start_ns ? -1 : p->start_ns > q->start_ns;
}

static void on_tick(struct sw_tick *t)
{
	unsigned runs_min = t->r->cron.runs;
	struct jobs j = { t->c, NULL, 0, 0 };

	if (!t->r->cron.enabled || !t->c->slots)
		return;
	sw_slots_jobs(t->c->slots, collect, &j);
	if (j.n > 1)
		qsort(j.v, j.n, sizeof(*j.v), by_line);
	for (unsigned i = 0, k; i < j.n; i = k) {
		const struct sw_proc *oldest = j.v[i];

		for (k = i + 1; k < j.n && same_line(oldest, j.v[k]); k++)
			;
		if (k - i - 1 < runs_min ||
		    !sw_alerts_hold(t, "cron-overlap", hash(oldest->argv), 0))
			continue;
		/* The job, by its first run still alive: not cron's child. */
		sw_tick_raise(t, oldest, "cron-overlap", k - i - 1, runs_min, 0,
			      (double)(t->now_ns - oldest->start_ns) / 1e9);
	}
	free(j.v);
}

static const struct sw_rule_key keys[] = {
	SW_KEY_ENABLED(cron.enabled),
	SW_KEY_RANGE("runs", cron.runs, 1, 1000000),
	SW_KEY("daemons", SW_KEY_PATHS, cron.daemons),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_section section = { "cron-overlap", keys };
static const struct sw_rule_section *const sections[] = { &section, NULL };

const struct sw_detector sw_rules_cron = {
	.family = "cron",
	.defaults = defaults,
	.on_event = on_event,
	.on_tick = on_tick,
	.sections = sections,
};
