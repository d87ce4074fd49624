/* SPDX-License-Identifier: MIT */
/*
 * Detect: the stage after lineage.  Each detector family (a file in
 * src/detect/rules) looks at an event with its context and adds anomaly
 * tags to it.  The families are registered in one table (detect.c); each
 * has a section of settings with built-in defaults.  Detectors read the
 * lineage table through a const view and never write to it: what they
 * remember (per-second windows, clans, alerts raised) is theirs, in a
 * struct sw_detect, per process in slots keyed by pid and start time.
 */
#ifndef SW_DETECT_H
#define SW_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "host.h"

#define SW_NAMES_MAX 64

/* A list of names (basenames, allow-lists). */
struct sw_names {
	const char *v[SW_NAMES_MAX];
	unsigned n;
};

struct sw_rule_exec {
	bool tmp_enabled;		/* exec-from-tmp */
	struct sw_names tmp_dirs;
	struct sw_names interpreters;	/* whose first argument is the program */
	bool hidden_enabled;		/* hidden-exe */
	struct sw_names hidden_allow;	/* dot directories of installed tools */
	bool deleted_enabled;		/* deleted-exe */
	bool memfd_enabled;		/* memfd-exec */
	bool miner_enabled;		/* miner */
	struct sw_names miner_names;
};

struct sw_rule_exit {
	bool orphaned_enabled;		/* orphaned */
	bool killed_enabled;		/* killed */
	bool coredump_enabled;		/* coredump */
};

struct sw_rule_net {
	bool webshell_enabled;		/* web-shell */
	struct sw_names servers;	/* web and app servers */
	struct sw_names shells;
	struct sw_names recon;		/* tools an intruder runs first */
	struct sw_names apps;		/* servers unless started from a session */
	struct sw_names sessions;	/* what makes an app not a server */
	struct sw_names markers;	/* injection marker classes */
	bool revshell_enabled;		/* reverse-shell */
	struct sw_names rev_shells;	/* shells judged on /dev/tcp/ */
	struct sw_names netcats;
	struct sw_names rev_interpreters;	/* judged on their descriptors too */
	struct sw_names rev_allow;	/* remote-shell servers, by path */
	bool listener_enabled;		/* network-listener */
	struct sw_names listen_netcats;
};

struct sw_rule_ptrace {
	bool enabled;			/* ptrace-attach */
	struct sw_names allow;		/* debuggers */
};

struct sw_rule_zombie {
	bool enabled;			/* zombie-accumulation */
	unsigned threshold;		/* unreaped children of one parent */
};

/* The spawn-storm window's longest span, in seconds. */
#define SW_WINDOW_S 10

struct sw_rule_storm {
	bool enabled;			/* spawn-storm */
	unsigned forks;			/* children forked in the window */
	unsigned alive;			/* of them alive at once */
	unsigned window;		/* seconds, at most SW_WINDOW_S */
};

struct sw_rule_bomb {
	bool enabled;			/* fork-bomb */
	unsigned descendants;		/* live copies below the first */
	unsigned depth;			/* generations deep */
};

struct sw_rule_cron {
	bool enabled;			/* cron-overlap */
	unsigned runs;			/* earlier runs still alive */
	struct sw_names daemons;	/* what starts cron jobs */
};

struct sw_rule_hours {
	bool enabled;			/* off-hours */
	unsigned from_min, to_min;	/* working hours, minutes of the day */
	bool have_hours;
	unsigned days;			/* working days: bit 0 = Sunday */
	struct sw_names sessions;	/* what makes a session interactive */
};

struct sw_rule_escape {
	bool enabled;			/* container-escape */
};

struct sw_rule_priv {
	bool enabled;			/* privilege-escalation */
	struct sw_names allow;		/* programs whose job it is */
	struct sw_names shells;		/* never expected under a user's real uid */
};

struct sw_rule_masq {
	bool enabled;			/* masquerade */
	struct sw_names kthreads;	/* kernel threads' names (fnmatch) */
	struct sw_names daemons;	/* names a disguise borrows */
	struct sw_names multicall;	/* one binary, many names (busybox) */
	struct sw_names allow;		/* programs by path, never judged */
};

struct sw_rules {
	struct sw_rule_priv priv;
	struct sw_rule_masq masq;
	struct sw_rule_escape escape;
	struct sw_rule_storm storm;
	struct sw_rule_bomb bomb;
	struct sw_rule_zombie zombie;
	struct sw_rule_cron cron;
	struct sw_rule_hours hours;
	struct sw_rule_exec exec;
	struct sw_rule_net net;
	struct sw_rule_ptrace ptrace;
	struct sw_rule_exit exit;
	struct sw_strings *strings;	/* names read from a rules file */
};

/* Fills r with the built-in defaults (reads nothing from the system). */
void sw_rules_defaults(struct sw_rules *r);
/* Frees what a rules file added (the names). */
void sw_rules_free(struct sw_rules *r);

/*
 * A rules-file key: a field of struct sw_rules at offset off.  The rules
 * file, --check and the man page all come from these tables, which each
 * detector family declares for its tags (one section per tag).
 */
enum sw_key_type {
	SW_KEY_BOOL,		/* yes|no */
	SW_KEY_UINT,		/* min..max */
	SW_KEY_NAMES,		/* words separated by spaces or commas */
	SW_KEY_PATHS,		/* absolute paths, likewise (allow-lists) */
	SW_KEY_HOURS,		/* HH:MM-HH:MM (may wrap past midnight) */
	SW_KEY_DAYS,		/* mon-fri, sat,sun, ... */
};

struct sw_rule_key {
	const char *name;
	enum sw_key_type type;
	size_t off;
	unsigned min, max;
};

struct sw_rule_section {
	const char *name;		/* the tag */
	const struct sw_rule_key *keys;	/* ends with a NULL name */
};

/* Every section, in the order of SPEC's table; *n is set to the count. */
const struct sw_rule_section *const *sw_rule_sections(unsigned *n);

/*
 * Checks the rules once the file is read; given() says whether a key was
 * set in it.  Returns NULL or what is wrong, naming the section.
 */
const char *sw_rules_finish(struct sw_rules *r,
			    bool (*given)(const char *section, const char *key,
					  void *data),
			    void *data);

struct sw_lineage;
struct sw_detect;

/*
 * The detectors with their state, judging by rules and host (both kept by
 * pointer: the caller's, read at each call; host may be NULL, for none).
 * NULL when out of memory.
 */
struct sw_detect *sw_detect_new(const struct sw_rules *r,
				const struct sw_host *host);
void sw_detect_free(struct sw_detect *d);
/* The wall clock is ktime_ns + offset (off-hours). */
void sw_detect_set_clock(struct sw_detect *d, int64_t realtime_offset_ns);

/*
 * Before the table applies ev: what a fork's parent and an exec's old
 * program were (the table may evict an exited parent to make room).
 */
void sw_detect_before(struct sw_detect *d, const struct sw_lineage *l,
		      const struct sw_event *ev);
/*
 * After the table: adds the tags of every enabled detector to ev (at most
 * SW_TAGS_MAX).  l may be NULL: the detectors that need it stay silent.
 */
void sw_detect_event(struct sw_detect *d, const struct sw_lineage *l,
		     struct sw_event *ev);

typedef void (*sw_detect_emit_fn)(struct sw_event *ev, void *data);

/*
 * Runs the aggregate detectors over the table (after the zombie sweep,
 * once a second).  Each anomaly is emitted once when its threshold is
 * crossed, through emit with scratch, and re-armed when it clears.  The
 * slots of processes the table no longer holds are dropped first.
 */
void sw_detect_tick(struct sw_detect *d, const struct sw_lineage *l,
		    uint64_t now_ns, struct sw_event *scratch,
		    sw_detect_emit_fn emit, void *data);

/*
 * A recorded anomaly line (replay): whether it still stands under the
 * current rules, then tagged and given the threshold.
 */
bool sw_detect_recorded(const struct sw_detect *d, struct sw_event *ev);

/*
 * The tags of ev by the detectors that need neither table nor state (a
 * snapshot's: forest).
 */
void sw_detect_static(const struct sw_rules *r, const struct sw_host *host,
		      struct sw_event *ev);

/*
 * reverse-shell by connections.  Whether the descriptors of an exec are
 * worth reading in full (a shell or interpreter, reverse-shell enabled);
 * sw_rules_net_stdio() whether any are (reverse-shell enabled at all).
 */
bool sw_rules_net_candidate(const struct sw_rules *r, const struct sw_event *ev);
/*
 * Whether ev's parent is an interpreter given its program on the command
 * line (python3 -c, perl -e, ruby -e, php -r, awk 'PROGRAM', node -e): a
 * one-liner that may run each command it is sent through a shell on pipes.
 */
bool sw_rules_net_parent_inline(const struct sw_rules *r, const struct sw_lineage *l,
				const struct sw_event *ev);
bool sw_rules_net_stdio(const struct sw_rules *r);
/*
 * web-shell.  The pid of the app (one of `apps`: node, java) whose serving
 * would make ev a web shell: ev runs what a web shell runs, and the first
 * server or app above it in l is that app; 0 otherwise.  Whether the app
 * holds a listening socket is then read (ev->app_listens): a program run
 * by a script, listening on nothing, serves no requests.
 */
int sw_rules_net_web_app(const struct sw_rules *r, const struct sw_lineage *l,
			 const struct sw_event *ev);
bool sw_rules_net_webshell(const struct sw_rules *r);
/* NULL, or why [web-shell] cannot be used (a marker it does not know). */
const char *sw_rules_net_finish(const struct sw_rules *r);
/*
 * Whether ev, wired to a peer (ev->net, SW_HAVE_NET), is a reverse shell:
 * the holder of the socket is no allow-listed remote-shell server, and a
 * parent that holds the other end of a pipe holds the socket on its own
 * stdio, or is an interpreter given its program on the command line.  l
 * (may be NULL) names the holder.
 */
bool sw_rules_net_revshell(const struct sw_rules *r, const struct sw_lineage *l,
			   const struct sw_event *ev);

/* Processes the detectors keep state about (tests, benchmarks). */
unsigned sw_detect_slots(const struct sw_detect *d);

/* Adds tag once; false when the event has no room left. */
bool sw_detect_tag(struct sw_event *ev, const char *tag);

/* True when name is in the list. */
bool sw_names_has(const struct sw_names *l, const char *name);
/*
 * True when executable path exe is in the list of absolute paths: the same
 * file, with /bin, /sbin and /lib read as /usr/bin, /usr/sbin and /usr/lib
 * (merged /usr) and a " (deleted)" suffix (replaced since it started) set
 * aside.  A basename never matches.
 */
bool sw_paths_has(const struct sw_names *l, const char *exe);
/* Appends the static names v[0..n) (defaults). */
void sw_names_fill(struct sw_names *l, const char *const *v, unsigned n);
#define SW_NAMES_FILL(l, a) sw_names_fill(l, a, sizeof(a) / sizeof((a)[0]))

#endif
