/* SPDX-License-Identifier: MIT */
/*
 * spawn-storm: one process forks [200] children within [10 s] while [50]
 * of them are alive at once.  A loop that runs helpers one after another
 * (configure, make, a shell loop) forks as many but never has many alive,
 * and is not a storm.  Threads never count: the lineage table counts
 * process forks only.  Raised once per crossing, naming the parent.
 */
#include "config.h"

#include "lineage.h"
#include "rules.h"

static void defaults(struct sw_rules *r)
{
	r->storm.enabled = true;
	r->storm.forks = 200;
	r->storm.alive = 50;
}

static void check(struct sw_proc *p, void *data)
{
	struct sw_tick *t = data;
	unsigned forks = 0, peak = 0;

	if (p->exited && !(p->alerted & SW_ALERT_STORM))
		return;
	sw_lineage_window(p, t->now_ns / 1000000000ull);
	for (unsigned i = 0; i < SW_WINDOW_S; i++) {
		forks += p->fork_win[i];
		if (p->peak_win[i] > peak)
			peak = p->peak_win[i];
	}
	if (forks < t->r->storm.forks || peak < t->r->storm.alive) {
		p->alerted &= ~SW_ALERT_STORM;	/* calm again: re-arm */
		return;
	}
	if (p->alerted & SW_ALERT_STORM)
		return;
	p->alerted |= SW_ALERT_STORM;
	sw_tick_raise(t, p, "spawn-storm", forks, t->r->storm.forks, SW_WINDOW_S, 0);
}

static void on_tick(struct sw_tick *t)
{
	if (t->r->storm.enabled)
		sw_lineage_foreach(t->l, check, t);
}

const struct sw_detector sw_rules_storm = {
	.family = "storm",
	.defaults = defaults,
	.on_tick = on_tick,
};
