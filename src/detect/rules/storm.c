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
	r->storm.window = SW_WINDOW_S;
}

static void check(struct sw_proc *p, void *data)
{
	struct sw_tick *t = data;
	unsigned forks = 0, peak = 0;

	if (p->exited && !(p->alerted & SW_ALERT_STORM))
		return;
	sw_lineage_window(p, t->now_ns / 1000000000ull);
	/* The newest `window` slots: the ring ends at second win_sec. */
	for (unsigned k = 0; k < t->r->storm.window; k++) {
		unsigned i = (unsigned)((p->win_sec + SW_WINDOW_S - k) % SW_WINDOW_S);

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
	sw_tick_raise(t, p, "spawn-storm", forks, t->r->storm.forks,
		      t->r->storm.window, 0);
}

static void on_tick(struct sw_tick *t)
{
	if (t->r->storm.enabled)
		sw_lineage_foreach(t->l, check, t);
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
	.on_tick = on_tick,
	.sections = sections,
};
