/* SPDX-License-Identifier: MIT */
/* The detector families: one file each, registered in detect.c. */
#ifndef SW_RULES_H
#define SW_RULES_H

#include "detect.h"

/* One once-a-second pass of the aggregate detectors over the table. */
struct sw_tick {
	const struct sw_rules *r;
	struct sw_lineage *l;
	uint64_t now_ns;
	struct sw_event *ev;		/* scratch for the anomaly line */
	sw_detect_emit_fn emit;
	void *data;
};

struct sw_proc;

/* Emits the anomaly tag about p, responsible for count (of threshold). */
void sw_tick_raise(struct sw_tick *t, struct sw_proc *p, const char *tag,
		   unsigned count, unsigned threshold, double window_s,
		   double oldest_s);

struct sw_detector {
	const char *family;
	void (*defaults)(struct sw_rules *r);
	void (*on_event)(const struct sw_rules *r, struct sw_event *ev);
	void (*on_tick)(struct sw_tick *t);
};

/* Bits of struct sw_proc's alerted: one per aggregate anomaly. */
#define SW_ALERT_ZOMBIES 1u
#define SW_ALERT_STORM 2u

extern const struct sw_detector sw_rules_exec;
extern const struct sw_detector sw_rules_exit;
extern const struct sw_detector sw_rules_net;
extern const struct sw_detector sw_rules_ptrace;
extern const struct sw_detector sw_rules_zombie;
extern const struct sw_detector sw_rules_storm;
extern const struct sw_detector sw_rules_escape;
extern const struct sw_detector sw_rules_priv;

#endif
