/* SPDX-License-Identifier: MIT */
/*
 * zombie-accumulation: one parent holds [100] exited children it has not
 * reaped.  Counted by the lineage table (the sweep finds reaps once a
 * second); raised once per crossing, as an anomaly naming the parent, and
 * re-armed when the count falls below the threshold again (the alert bit
 * is in the parent's slot).
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

/* Re-arms the alerts whose parent has fewer unreaped children again. */
static void rearm(struct sw_slot *x, void *data)
{
	struct sw_tick *t = data;
	const struct sw_proc *p;

	if (!(x->alerted & SW_ALERT_ZOMBIES))
		return;
	p = sw_lineage_lookup(t->l, x->pid);
	if (!p || p->start_ns != x->start_ns || p->zombies < t->r->zombie.threshold)
		x->alerted &= ~SW_ALERT_ZOMBIES;
}

static void check(const struct sw_proc *p, void *data)
{
	struct sw_tick *t = data;
	unsigned threshold = t->r->zombie.threshold;
	struct sw_slot *x;

	if (p->zombies < threshold)
		return;
	x = sw_slot_for(t->c, p->pid, p->start_ns);
	if (!x || (x->alerted & SW_ALERT_ZOMBIES))
		return;
	x->alerted |= SW_ALERT_ZOMBIES;
	sw_tick_raise(t, p, "zombie-accumulation", p->zombies, threshold, 0,
		      oldest_s(p, t->now_ns));
}

static void on_tick(struct sw_tick *t)
{
	if (!t->r->zombie.enabled)
		return;
	sw_slots_foreach(t->c->slots, rearm, t);
	sw_lineage_walk(t->l, check, t);
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
