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
	struct sw_tick *t = data;
	unsigned threshold = t->r->zombie.threshold;

	if (p->zombies < threshold) {
		p->alerted &= ~SW_ALERT_ZOMBIES;	/* cleared: re-arm */
		return;
	}
	if (p->alerted & SW_ALERT_ZOMBIES)
		return;
	p->alerted |= SW_ALERT_ZOMBIES;
	sw_tick_raise(t, p, "zombie-accumulation", p->zombies, threshold, 0,
		      oldest_s(p, t->now_ns));
}

static void on_tick(struct sw_tick *t)
{
	if (t->r->zombie.enabled)
		sw_lineage_foreach(t->l, check, t);
}

static const struct sw_rule_key keys[] = {
	SW_KEY_ENABLED(zombie.enabled),
	SW_KEY_RANGE("threshold", zombie.threshold, 1, 1000000),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_section section = { "zombie-accumulation", keys };
static const struct sw_rule_section *const sections[] = { &section, NULL };

const struct sw_detector sw_rules_zombie = {
	.family = "zombie",
	.defaults = defaults,
	.on_tick = on_tick,
	.sections = sections,
};
