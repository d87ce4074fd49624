/* SPDX-License-Identifier: MIT */
/*
 * Detect: the stage after lineage.  Each detector family (a file in src/rules)
 * looks at an event with its context and adds anomaly tags to it.  The
 * families are registered in one table (detect.c); each has a section of
 * settings with built-in defaults.
 */
#ifndef SW_DETECT_H
#define SW_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"

#define SW_NAMES_MAX 32

/* A list of names (basenames, allow-lists). */
struct sw_names {
	const char *v[SW_NAMES_MAX];
	unsigned n;
};

struct sw_rule_exec {
	bool tmp_enabled;		/* exec-from-tmp */
	struct sw_names tmp_dirs;
	bool hidden_enabled;		/* hidden-exe */
	bool deleted_enabled;		/* deleted-exe */
	bool memfd_enabled;		/* memfd-exec */
	bool miner_enabled;		/* miner */
	struct sw_names miner_names;
	struct sw_names interpreters;	/* whose first argument is the program */
};

struct sw_rule_exit {
	bool killed_enabled;		/* killed */
	bool coredump_enabled;		/* coredump */
};

struct sw_rule_net {
	bool webshell_enabled;		/* web-shell */
	bool revshell_enabled;		/* reverse-shell */
	bool listener_enabled;		/* network-listener */
	struct sw_names servers;	/* web and app servers */
	struct sw_names shells;
	struct sw_names recon;		/* tools an intruder runs first */
	struct sw_names netcats;
};

struct sw_rule_ptrace {
	bool enabled;			/* ptrace-attach */
	struct sw_names allow;		/* debuggers */
};

struct sw_rule_zombie {
	bool enabled;			/* zombie-accumulation */
	unsigned threshold;		/* unreaped children of one parent */
};

struct sw_rule_storm {
	bool enabled;			/* spawn-storm */
	unsigned forks;			/* children forked in the window */
	unsigned alive;			/* of them alive at once */
};

struct sw_rule_escape {
	bool enabled;			/* container-escape */
	uint64_t host_mntns, host_pidns;	/* spawnwatch's own: the host's */
};

struct sw_rule_priv {
	bool enabled;			/* privilege-escalation */
	struct sw_names allow;		/* programs whose job it is */
};

struct sw_rules {
	struct sw_rule_priv priv;
	struct sw_rule_escape escape;
	struct sw_rule_storm storm;
	struct sw_rule_zombie zombie;
	struct sw_rule_exec exec;
	struct sw_rule_net net;
	struct sw_rule_ptrace ptrace;
	struct sw_rule_exit exit;
};

void sw_rules_defaults(struct sw_rules *r);

/* Adds the tags of every enabled detector to ev (at most SW_TAGS_MAX). */
void sw_detect_event(const struct sw_rules *r, struct sw_event *ev);

struct sw_lineage;
typedef void (*sw_detect_emit_fn)(struct sw_event *ev, void *data);

/*
 * Runs the aggregate detectors over the table (after the zombie sweep,
 * once a second).  Each anomaly is emitted once when its threshold is
 * crossed, through emit with scratch, and re-armed when it clears.
 */
void sw_detect_tick(const struct sw_rules *r, struct sw_lineage *l,
		    uint64_t now_ns, struct sw_event *scratch,
		    sw_detect_emit_fn emit, void *data);

/* Adds tag once; false when the event has no room left. */
bool sw_detect_tag(struct sw_event *ev, const char *tag);

/* True when name is in the list. */
bool sw_names_has(const struct sw_names *l, const char *name);

#endif
