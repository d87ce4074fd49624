/* SPDX-License-Identifier: MIT */
#include "config.h"

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
	&sw_rules_exit,
	&sw_rules_zombie,
	&sw_rules_storm,
};

bool sw_names_has(const struct sw_names *l, const char *name)
{
	for (unsigned i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return true;
	return false;
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
	for (size_t i = 0; i < sizeof(detectors) / sizeof(detectors[0]); i++)
		detectors[i]->defaults(r);
}

void sw_detect_event(const struct sw_rules *r, struct sw_event *ev)
{
	for (size_t i = 0; i < sizeof(detectors) / sizeof(detectors[0]); i++)
		if (detectors[i]->on_event)
			detectors[i]->on_event(r, ev);
}

void sw_detect_tick(const struct sw_rules *r, struct sw_lineage *l,
		    uint64_t now_ns, struct sw_event *scratch,
		    sw_detect_emit_fn emit, void *data)
{
	struct sw_tick t = { r, l, now_ns, scratch, emit, data };

	for (size_t i = 0; i < sizeof(detectors) / sizeof(detectors[0]); i++)
		if (detectors[i]->on_tick)
			detectors[i]->on_tick(&t);
}

void sw_tick_raise(struct sw_tick *t, struct sw_proc *p, const char *tag,
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
