/* SPDX-License-Identifier: MIT */
/* The detector families: one file each, registered in detect.c. */
#ifndef SW_RULES_H
#define SW_RULES_H

#include <stddef.h>

#include "detect.h"
#include "slots.h"

/*
 * What sw_detect_before() saw of the event in hand, for the
 * sw_detect_event() of the same event (the table has changed between).
 */
struct sw_pending {
	bool new_child;			/* a fork that adds the child's entry */
	bool new_program;		/* an exec of another program than before */
};

/* What a detector sees besides the event. */
struct sw_detect_ctx {
	const struct sw_rules *r;
	const struct sw_host *host;	/* NULL: unknown */
	const struct sw_lineage *l;	/* the table, read only; NULL: none */
	int64_t realtime_offset_ns;	/* wall clock = ktime_ns + this */
	struct sw_slots *slots;		/* per process; NULL: stateless */
	struct sw_pending *pend;
};

struct sw_proc;

/* p's slot, or NULL (none yet, or stateless). */
struct sw_slot *sw_slot_of(const struct sw_detect_ctx *c, const struct sw_proc *p);
/* The slot of process (pid, start_ns), made when missing; NULL if stateless. */
struct sw_slot *sw_slot_for(const struct sw_detect_ctx *c, int pid,
			    uint64_t start_ns);

struct sw_alerts;

/* One once-a-second pass of the aggregate detectors over the table. */
struct sw_tick {
	const struct sw_detect_ctx *c;
	const struct sw_rules *r;
	const struct sw_lineage *l;
	struct sw_alerts *alerts;
	uint64_t now_ns;
	struct sw_event *ev;		/* scratch for the anomaly line */
	sw_detect_emit_fn emit;
	void *data;
};

/* Emits the anomaly tag about p, responsible for count (of threshold). */
void sw_tick_raise(struct sw_tick *t, const struct sw_proc *p, const char *tag,
		   unsigned count, unsigned threshold, double window_s,
		   double oldest_s);

/*
 * Keeps an aggregate anomaly (tag, key a/b) raised through this tick.
 * True the first time: raise it then.  One not held in a tick is cleared
 * after it, and raised again at its next crossing.
 */
bool sw_alerts_hold(struct sw_tick *t, const char *tag, uint64_t a, uint64_t b);

struct sw_detector {
	const char *family;
	void (*defaults)(struct sw_rules *r);
	/* Before the table applies ev; may note what it saw in c->pend. */
	void (*before)(const struct sw_detect_ctx *c, const struct sw_event *ev);
	void (*on_event)(const struct sw_detect_ctx *c, struct sw_event *ev);
	void (*on_tick)(struct sw_tick *t);
	const struct sw_rule_section *const *sections;	/* NULL-terminated */
};

/* A rules-file key of struct sw_rules field f. */
#define SW_KEY(name, type, f) { name, type, offsetof(struct sw_rules, f), 0, 0 }
#define SW_KEY_RANGE(name, f, lo, hi) \
	{ name, SW_KEY_UINT, offsetof(struct sw_rules, f), lo, hi }
#define SW_KEY_ENABLED(f) SW_KEY("enabled", SW_KEY_BOOL, f)

/* Bits of struct sw_slot's alerted: one per aggregate anomaly. */
#define SW_ALERT_ZOMBIES 1u
#define SW_ALERT_STORM 2u

/* The basename of a path. */
const char *sw_rule_base(const char *path);

extern const struct sw_detector sw_rules_exec;
extern const struct sw_detector sw_rules_exit;
extern const struct sw_detector sw_rules_net;
extern const struct sw_detector sw_rules_ptrace;
extern const struct sw_detector sw_rules_zombie;
extern const struct sw_detector sw_rules_storm;
extern const struct sw_detector sw_rules_bomb;
extern const struct sw_detector sw_rules_cron;
extern const struct sw_detector sw_rules_hours;
extern const struct sw_detector sw_rules_escape;
extern const struct sw_detector sw_rules_priv;
extern const struct sw_detector sw_rules_masq;

#endif
