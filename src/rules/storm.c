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

struct tick {
	const struct sw_rules *r;
	struct sw_lineage *l;
	uint64_t now_ns;
	struct sw_event *ev;
	sw_detect_emit_fn emit;
	void *data;
};

static void raise_storm(struct tick *t, struct sw_proc *p, unsigned forks)
{
	struct sw_event *ev = t->ev;

	sw_event_reset(ev, SW_EV_ANOMALY);
	ev->ktime_ns = t->now_ns;
	ev->pid = ev->tid = p->pid;
	sw_lineage_fill(t->l, ev, p);
	ev->u.anomaly.tag = "spawn-storm";
	ev->u.anomaly.count = forks;
	ev->u.anomaly.threshold = t->r->storm.forks;
	ev->u.anomaly.window_s = SW_WINDOW_S;
	sw_detect_tag(ev, "spawn-storm");
	t->emit(ev, t->data);
}

static void check(struct sw_proc *p, void *data)
{
	struct tick *t = data;
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
	raise_storm(t, p, forks);
}

static void on_tick(const struct sw_rules *r, struct sw_lineage *l,
		    uint64_t now_ns, struct sw_event *scratch,
		    sw_detect_emit_fn emit, void *data)
{
	struct tick t = { r, l, now_ns, scratch, emit, data };

	if (r->storm.enabled)
		sw_lineage_foreach(l, check, &t);
}

const struct sw_detector sw_rules_storm = {
	.family = "storm",
	.defaults = defaults,
	.on_tick = on_tick,
};
