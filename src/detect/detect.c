/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "lineage.h"
#include "rules/rules.h"

/* The detector families, in the order their tags appear. */
static const struct sw_detector *const detectors[] = {
	&sw_rules_exec,
	&sw_rules_net,
	&sw_rules_ptrace,
	&sw_rules_escape,
	&sw_rules_priv,
	&sw_rules_cron,
	&sw_rules_hours,
	&sw_rules_exit,
	&sw_rules_zombie,
	&sw_rules_storm,
	&sw_rules_bomb,
	&sw_rules_masq,
};

#define N_DETECTORS (sizeof(detectors) / sizeof(detectors[0]))

/* The rules file's sections in the order of the tag catalogue. */
static const char *const catalogue[] = {
	"spawn-storm", "fork-bomb", "zombie-accumulation", "cron-overlap",
	"web-shell", "exec-from-tmp", "hidden-exe", "deleted-exe",
	"memfd-exec", "miner", "reverse-shell", "network-listener",
	"privilege-escalation", "container-escape", "ptrace-attach",
	"orphaned", "killed", "coredump", "off-hours", "masquerade",
};

#define N_SECTIONS (sizeof(catalogue) / sizeof(catalogue[0]))

struct alert {
	const char *tag;
	uint64_t a, b;
	uint64_t tick;			/* the last tick that held it */
};

/* Aggregate anomalies raised and not yet cleared (keyed, per tick). */
struct sw_alerts {
	struct alert *v;
	unsigned n, cap;
	uint64_t tick;
};

struct sw_detect {
	struct sw_detect_ctx c;
	struct sw_alerts alerts;
	struct sw_pending pend;
};

const char *sw_rule_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

bool sw_names_has(const struct sw_names *l, const char *name)
{
	for (unsigned i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return true;
	return false;
}

/* path without a merged-/usr alias prefix: "/bin/x" gives "/usr" + it. */
static bool usr_alias(const char *path)
{
	return strncmp(path, "/bin/", 5) == 0 || strncmp(path, "/sbin/", 6) == 0 ||
	       strncmp(path, "/lib/", 5) == 0;
}

/* a (n bytes) and b name the same file, read the merged-/usr way. */
static bool same_path(const char *a, size_t n, const char *b)
{
	size_t m = strlen(b);

	if (usr_alias(a) && strncmp(b, "/usr/", 5) == 0)
		return n + 4 == m && memcmp(a, b + 4, n) == 0;
	if (usr_alias(b) && strncmp(a, "/usr/", 5) == 0)
		return m + 4 == n && memcmp(a + 4, b, m) == 0;
	return n == m && memcmp(a, b, n) == 0;
}

bool sw_paths_has(const struct sw_names *l, const char *exe)
{
	static const char deleted[] = " (deleted)";
	size_t n = strlen(exe), d = sizeof(deleted) - 1;

	if (exe[0] != '/')
		return false;
	if (n > d && strcmp(exe + n - d, deleted) == 0)
		n -= d;
	for (unsigned i = 0; i < l->n; i++)
		if (l->v[i][0] == '/' && same_path(exe, n, l->v[i]))
			return true;
	return false;
}

void sw_names_fill(struct sw_names *l, const char *const *v, unsigned n)
{
	for (unsigned i = 0; i < n && l->n < SW_NAMES_MAX; i++)
		l->v[l->n++] = v[i];
}

bool sw_detect_tag(struct sw_event *ev, const char *tag)
{
	for (unsigned i = 0; i < ev->n_tags; i++)
		if (strcmp(ev->tags[i], tag) == 0)
			return true;
	if (ev->n_tags == SW_TAGS_MAX)
		return false;
	ev->tags[ev->n_tags++] = tag;
	return true;
}

void sw_rules_defaults(struct sw_rules *r)
{
	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < N_DETECTORS; i++)
		detectors[i]->defaults(r);
}

const struct sw_rule_section *const *sw_rule_sections(unsigned *n)
{
	static const struct sw_rule_section *sections[N_SECTIONS];
	static unsigned count;

	if (!count) {
		for (size_t c = 0; c < N_SECTIONS; c++)
			for (size_t i = 0; i < N_DETECTORS; i++)
				for (const struct sw_rule_section *const *s =
					     detectors[i]->sections;
				     s && *s; s++)
					if (strcmp((*s)->name, catalogue[c]) == 0)
						sections[count++] = *s;
	}
	*n = count;
	return sections;
}

const char *sw_rules_finish(struct sw_rules *r,
			    bool (*given)(const char *section, const char *key,
					  void *data),
			    void *data)
{
	struct sw_rule_hours *h = &r->hours;
	bool set = h->have_hours && h->days;
	const char *why;

	if (r->storm.window > SW_WINDOW_S || r->storm.window == 0)
		return "[spawn-storm] window must be 1 to 10 seconds";
	if ((why = sw_rules_net_finish(r)))
		return why;
	/* off-hours is on once its hours and days are set... */
	if (set && !given("off-hours", "enabled", data))
		h->enabled = true;
	/* ...and cannot be on without them. */
	if (h->enabled && !set)
		return "[off-hours] needs both hours and days to be enabled";
	return NULL;
}

struct sw_detect *sw_detect_new(const struct sw_rules *r,
				const struct sw_host *host)
{
	struct sw_detect *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->c.r = r;
	d->c.host = host;
	d->c.pend = &d->pend;
	d->c.slots = sw_slots_new();
	if (!d->c.slots) {
		free(d);
		return NULL;
	}
	return d;
}

void sw_detect_free(struct sw_detect *d)
{
	if (!d)
		return;
	sw_slots_free(d->c.slots);
	free(d->alerts.v);
	free(d);
}

void sw_detect_set_clock(struct sw_detect *d, int64_t realtime_offset_ns)
{
	d->c.realtime_offset_ns = realtime_offset_ns;
}

unsigned sw_detect_slots(const struct sw_detect *d)
{
	return sw_slots_count(d->c.slots);
}

struct sw_slot *sw_slot_of(const struct sw_detect_ctx *c, const struct sw_proc *p)
{
	return c->slots ? sw_slots_find(c->slots, p->pid, p->start_ns) : NULL;
}

struct sw_slot *sw_slot_for(const struct sw_detect_ctx *c, int pid,
			    uint64_t start_ns)
{
	return c->slots ? sw_slots_get(c->slots, c->l, pid, start_ns) : NULL;
}

void sw_detect_before(struct sw_detect *d, const struct sw_lineage *l,
		      const struct sw_event *ev)
{
	d->c.l = l;
	d->pend = (struct sw_pending){ 0 };
	if (!l || (ev->type != SW_EV_FORK && ev->type != SW_EV_EXEC))
		return;
	d->pend.new_child = ev->type == SW_EV_FORK && !ev->thread &&
			    !sw_lineage_fork_seeded(l, ev);
	for (size_t i = 0; i < N_DETECTORS; i++)
		if (detectors[i]->before)
			detectors[i]->before(&d->c, ev);
}

static void run_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	for (size_t i = 0; i < N_DETECTORS; i++)
		if (detectors[i]->on_event)
			detectors[i]->on_event(c, ev);
}

void sw_detect_event(struct sw_detect *d, const struct sw_lineage *l,
		     struct sw_event *ev)
{
	d->c.l = l;
	run_event(&d->c, ev);
	d->pend = (struct sw_pending){ 0 };
}

void sw_detect_static(const struct sw_rules *r, const struct sw_host *host,
		      struct sw_event *ev)
{
	struct sw_pending pend = { 0 };
	const struct sw_detect_ctx c = { .r = r, .host = host, .pend = &pend };

	run_event(&c, ev);
}

bool sw_alerts_hold(struct sw_tick *t, const char *tag, uint64_t a, uint64_t b)
{
	struct sw_alerts *al = t->alerts;

	for (unsigned i = 0; i < al->n; i++) {
		struct alert *x = &al->v[i];

		if (x->a == a && x->b == b && strcmp(x->tag, tag) == 0) {
			x->tick = al->tick;
			return false;
		}
	}
	if (al->n == al->cap) {
		unsigned cap = al->cap ? al->cap * 2 : 16;
		struct alert *v = realloc(al->v, cap * sizeof(*v));

		if (!v)
			return true;	/* raise again rather than stay silent */
		al->v = v;
		al->cap = cap;
	}
	al->v[al->n++] = (struct alert){ tag, a, b, al->tick };
	return true;
}

/* Forgets the anomalies no detector held in this tick: they cleared. */
static void alerts_expire(struct sw_alerts *al)
{
	unsigned k = 0;

	for (unsigned i = 0; i < al->n; i++)
		if (al->v[i].tick == al->tick)
			al->v[k++] = al->v[i];
	al->n = k;
}

void sw_detect_tick(struct sw_detect *d, const struct sw_lineage *l,
		    uint64_t now_ns, struct sw_event *scratch,
		    sw_detect_emit_fn emit, void *data)
{
	struct sw_tick t = { &d->c, d->c.r, l, &d->alerts, now_ns, scratch,
			     emit, data };

	d->c.l = l;
	sw_slots_prune(d->c.slots, l);
	d->alerts.tick++;
	for (size_t i = 0; i < N_DETECTORS; i++)
		if (detectors[i]->on_tick)
			detectors[i]->on_tick(&t);
	alerts_expire(&d->alerts);
}

void sw_tick_raise(struct sw_tick *t, const struct sw_proc *p, const char *tag,
		   unsigned count, unsigned threshold, double window_s,
		   double oldest_s)
{
	struct sw_event *ev = t->ev;

	sw_event_reset(ev, SW_EV_ANOMALY);
	ev->ktime_ns = t->now_ns;
	ev->pid = ev->tid = p->pid;
	sw_lineage_fill(t->l, ev, p);
	ev->u.anomaly.tag = tag;
	ev->u.anomaly.count = count;
	ev->u.anomaly.threshold = threshold;
	ev->u.anomaly.window_s = window_s;
	ev->u.anomaly.oldest_s = oldest_s;
	sw_detect_tag(ev, tag);
	t->emit(ev, t->data);
}

/*
 * A recorded zombie-accumulation line (replay has no reaps to count):
 * it stands when its count still reaches the current threshold.
 */
bool sw_detect_recorded(const struct sw_detect *d, struct sw_event *ev)
{
	const struct sw_rule_zombie *z = &d->c.r->zombie;

	/* A shell found wired after its exec: judged again by its net. */
	if (ev->u.anomaly.tag && strcmp(ev->u.anomaly.tag, "reverse-shell") == 0) {
		if (!sw_rules_net_revshell(d->c.r, d->c.l, ev))
			return false;
		ev->n_tags = 0;
		sw_detect_tag(ev, "reverse-shell");
		return true;
	}
	if (!ev->u.anomaly.tag || strcmp(ev->u.anomaly.tag, "zombie-accumulation") ||
	    !z->enabled || ev->u.anomaly.count < z->threshold)
		return false;
	ev->u.anomaly.threshold = z->threshold;
	ev->n_tags = 0;
	sw_detect_tag(ev, "zombie-accumulation");
	return true;
}
