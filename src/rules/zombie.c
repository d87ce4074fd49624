/* SPDX-License-Identifier: MIT */
/*
 * zombie-accumulation: one parent holds [100] exited children it has not
 * reaped.  Counted by the lineage table (the sweep finds reaps once a
 * second); raised once per crossing, as an anomaly naming the parent, and
 * re-armed when the count falls below the threshold again.
 */
#include "config.h"

#include "lineage.h"
#include "rules.h"

static void defaults(struct sw_rules *r)
{
	r->zombie.enabled = true;
	r->zombie.threshold = 100;
}

struct tick {
	const struct sw_rules *r;
	struct sw_lineage *l;
	uint64_t now_ns;
	struct sw_event *ev;
	sw_detect_emit_fn emit;
	void *data;
};

static double oldest_s(const struct sw_proc *p, uint64_t now_ns)
{
	uint64_t first = now_ns;

	for (const struct sw_proc *c = p->first_child; c; c = c->sib_next)
		if (c->zombie && c->exit_ns && c->exit_ns < first)
			first = c->exit_ns;
	return (double)(now_ns - first) / 1e9;
}

static void check(struct sw_proc *p, void *data)
{
	struct tick *t = data;
	struct sw_event *ev = t->ev;
	unsigned threshold = t->r->zombie.threshold;

	if (p->zombies < threshold) {
		p->alerted &= ~SW_ALERT_ZOMBIES;	/* cleared: re-arm */
		return;
	}
	if (p->alerted & SW_ALERT_ZOMBIES)
		return;
	p->alerted |= SW_ALERT_ZOMBIES;
	sw_event_reset(ev, SW_EV_ANOMALY);
	ev->ktime_ns = t->now_ns;
	ev->pid = ev->tid = p->pid;
	sw_lineage_fill(t->l, ev, p);
	ev->u.anomaly.tag = "zombie-accumulation";
	ev->u.anomaly.count = p->zombies;
	ev->u.anomaly.threshold = threshold;
	ev->u.anomaly.oldest_s = oldest_s(p, t->now_ns);
	sw_detect_tag(ev, "zombie-accumulation");
	t->emit(ev, t->data);
}

static void on_tick(const struct sw_rules *r, struct sw_lineage *l,
		    uint64_t now_ns, struct sw_event *scratch,
		    sw_detect_emit_fn emit, void *data)
{
	struct tick t = { r, l, now_ns, scratch, emit, data };

	if (r->zombie.enabled)
		sw_lineage_foreach(l, check, &t);
}

const struct sw_detector sw_rules_zombie = {
	.family = "zombie",
	.defaults = defaults,
	.on_tick = on_tick,
};
