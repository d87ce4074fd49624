/* SPDX-License-Identifier: MIT */
/*
 * spawn-storm: one process forks [200] children within [10 s] while [50]
 * of them are alive at once.  A loop that runs helpers one after another
 * (configure, make, a shell loop) forks as many but never has many alive,
 * and is not a storm.  Threads never count.  The parent's slot keeps its
 * forks and most live children per second for SW_WINDOW_S seconds,
 * counted at each fork (before the table makes room for the child, and
 * once it is linked).  Raised once per crossing, naming the parent.
 */
#include "config.h"

#include "lineage.h"
#include "rules.h"

static void defaults(struct sw_rules *r)
{
	r->storm.enabled = true;
	r->storm.forks = 200;
	r->storm.alive = 50;
	r->storm.window = SW_WINDOW_S;
}

/* A fork, in the parent's per-second window (before the child's entry). */
static void before(const struct sw_detect_ctx *c, const struct sw_event *ev)
{
	uint64_t sec = ev->ktime_ns / 1000000000ull;
	const struct sw_proc *parent;
	struct sw_slot *x;

	if (ev->type != SW_EV_FORK || ev->thread || !c->r->storm.enabled)
		return;
	parent = sw_lineage_lookup(c->l, ev->u.fork.parent_pid);
	if (!parent || parent->exited ||
	    !(x = sw_slot_for(c, parent->pid, parent->start_ns)))
		return;
	sw_slot_window(x, sec);
	if (x->fork_win[sec % SW_WINDOW_S] < UINT16_MAX)
		x->fork_win[sec % SW_WINDOW_S]++;
}

/* The most children alive at once, in the same window (once linked). */
static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	uint64_t sec = ev->ktime_ns / 1000000000ull;
	const struct sw_proc *child, *parent;
	struct sw_slot *x;
	uint16_t *peak;

	if (ev->type != SW_EV_FORK || !c->pend->new_child || !c->r->storm.enabled ||
	    !c->l || !(child = sw_lineage_lookup(c->l, ev->pid)) || !child->parent)
		return;
	parent = child->parent;
	if (!(x = sw_slot_for(c, parent->pid, parent->start_ns)))
		return;
	sw_slot_window(x, sec);
	peak = &x->peak_win[sec % SW_WINDOW_S];
	if (parent->live_kids > *peak)
		*peak = parent->live_kids > UINT16_MAX ? UINT16_MAX
						       : (uint16_t)parent->live_kids;
}

static void check(const struct sw_proc *p, void *data)
{
	struct sw_tick *t = data;
	unsigned forks = 0, peak = 0;
	struct sw_slot *x;

	/* Never forked while watched: nothing in its window. */
	if (!p->forks || !(x = sw_slot_of(t->c, p)))
		return;
	if (p->exited && !(x->alerted & SW_ALERT_STORM))
		return;
	sw_slot_window(x, t->now_ns / 1000000000ull);
	/* The newest `window` slots: the ring ends at second win_sec. */
	for (unsigned k = 0; k < t->r->storm.window; k++) {
		unsigned i = (unsigned)((x->win_sec + SW_WINDOW_S - k) % SW_WINDOW_S);

		forks += x->fork_win[i];
		if (x->peak_win[i] > peak)
			peak = x->peak_win[i];
	}
	if (forks < t->r->storm.forks || peak < t->r->storm.alive) {
		x->alerted &= ~SW_ALERT_STORM;	/* calm again: re-arm */
		return;
	}
	if (x->alerted & SW_ALERT_STORM)
		return;
	x->alerted |= SW_ALERT_STORM;
	sw_tick_raise(t, p, "spawn-storm", forks, t->r->storm.forks,
		      t->r->storm.window, 0);
}

static void on_tick(struct sw_tick *t)
{
	if (t->r->storm.enabled)
		sw_lineage_walk(t->l, check, t);
}

static const struct sw_rule_key keys[] = {
	SW_KEY_ENABLED(storm.enabled),
	SW_KEY_RANGE("forks", storm.forks, 1, 1000000),
	SW_KEY_RANGE("alive", storm.alive, 1, 1000000),
	SW_KEY_RANGE("window", storm.window, 1, SW_WINDOW_S),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_section section = { "spawn-storm", keys };
static const struct sw_rule_section *const sections[] = { &section, NULL };

const struct sw_detector sw_rules_storm = {
	.family = "storm",
	.defaults = defaults,
	.before = before,
	.on_event = on_event,
	.on_tick = on_tick,
	.sections = sections,
};
