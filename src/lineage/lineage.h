/* SPDX-License-Identifier: MIT */
/*
 * The lineage table: every process on the host, seeded from /proc and kept
 * current by the kernel's events.  It gives each event its family (ppid,
 * comm, exe, argv, credentials, ancestry), including for processes that
 * existed before spawnwatch started.
 */
#ifndef SW_LINEAGE_H
#define SW_LINEAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "pidmap.h"
#include "procfs.h"
#include "reader.h"
#include "users.h"

/* An immutable, reference-counted byte string shared between entries. */
struct sw_str {
	uint32_t refs;
	uint32_t len;		/* bytes, without the final NUL */
	char s[];
};

/*
 * One process.  Its states: live; exited but not yet reaped (a zombie, in
 * the zombie queue); reaped (in the gone queue, kept a moment for late
 * events, then evicted).  Entries form a tree through parent/children
 * links, set by identity (never by a pid that may have been reused).
 * Only what the table knows of the process is here: what a detector
 * remembers about it (windows, clans, alerts) is in the detector's own
 * slots, keyed by the same identity (pid and start time).
 */
struct sw_proc {
	struct sw_pidnode node;		/* by pid: first (see pidmap.h) */
	struct sw_proc *qprev, *qnext;	/* zombie or gone queue, oldest first */
	struct sw_proc *parent;		/* NULL: parent not tracked */
	struct sw_proc *first_child;
	struct sw_proc *sib_prev, *sib_next;
	int pid;
	int ppid;
	uint64_t start_ns;		/* CLOCK_MONOTONIC */
	uint64_t exit_ns;		/* exit, then reap once known */
	bool exited;			/* its exit event was seen */
	bool zombie;			/* exited, not known to be reaped */
	bool seeded;			/* read from /proc, fork not seen */
	bool marked;			/* inside a --pid subtree */
	unsigned have;			/* enum sw_have bits known */
	char comm[SW_COMM_LEN + 1];
	struct sw_str *exe, *cwd, *argv;	/* argv: SW_ARGV_KEEP bytes at most */
	unsigned cut;			/* enum sw_have bits: comm, argv cut */
	uint32_t argv_size;		/* the whole command line, when cut */
	struct sw_str *cid;		/* container id, when in one */
	const char *runtime;		/* its runtime (a static string) */
	uint64_t mntns, pidns;		/* namespaces, when SW_HAVE_NS */
	uint32_t uid, euid, gid, egid;
	uint64_t forks;			/* children forked while watched */
	unsigned zombies;		/* children exited and not reaped */
	unsigned live_kids;		/* children not exited */
	uint32_t scan_gen;		/* last /proc scan that saw it */
};

/*
 * What the table keeps of a command line: its lines other than the exec's
 * (fork, exit, uid...) carry no more (spawnwatch-json(5), LINE SIZE), and
 * each process costs the table at most this, whatever its exec had.
 */
#define SW_ARGV_KEEP 4096

struct sw_lineage_conf {
	unsigned cap;			/* entries tracked at most */
	unsigned zombie_cap;		/* unreaped entries at most */
	unsigned gone_cap;		/* reaped entries kept at most */
	unsigned ancestry;		/* ancestors per event */
	uint64_t linger_ns;		/* how long reaped entries stay */
	int procfd;			/* /proc, for orphans' new parents */
	/* Whether an exited pid has been reaped; NULL: kill(pid, 0) says. */
	bool (*reaped)(int pid);
};

/*
 * The bounds of a table that follows a stream (live or replayed): 256 Ki
 * entries, 64 Ki zombies, 4 Ki reaped ones kept for 2 s.
 */
#define SW_LINEAGE_STREAM_CONF(ancestry_, procfd_) \
	((struct sw_lineage_conf){ .cap = 262144, .zombie_cap = 65536, \
				   .gone_cap = 4096, .ancestry = (ancestry_), \
				   .linger_ns = 2000000000ull, .procfd = (procfd_) })

struct sw_lineage;

struct sw_lineage *sw_lineage_new(const struct sw_lineage_conf *conf,
				  struct sw_users *users);

/* What the table counts about itself (the stop line, --stats). */
struct sw_lineage_counters {
	unsigned tracked;		/* entries in any state */
	unsigned peak_tracked;
	unsigned zombies;		/* exited, not known to be reaped */
	uint64_t evicted;		/* exited entries dropped */
	uint64_t untracked;		/* processes not tracked: table full */
};

void sw_lineage_counters(const struct sw_lineage *l,
			 struct sw_lineage_counters *ret);
void sw_lineage_free(struct sw_lineage *l);

/* Adds (or corrects) the entry of one process read from /proc. */
int sw_lineage_seed(struct sw_lineage *l, int pid,
		    const struct sw_proc_snap *snap);

struct sw_scan_counts {
	unsigned added, removed, reparented;
};

/*
 * Reconciles the table with /proc as rd reads it: adds processes it lacks,
 * closes live entries whose process is gone (at now_ns), corrects changed
 * parents.  At start-up this is the seeding scan.  A process whose command
 * line cannot be read in time is added without it.
 */
int sw_lineage_scan(struct sw_lineage *l, struct sw_reader *rd,
		    uint64_t now_ns, struct sw_scan_counts *ret);
/* Ends the start-up phase: from now on a fork for a live pid is reuse. */
void sw_lineage_seal(struct sw_lineage *l);

/*
 * True when the child of this fork is already in the table, read from
 * /proc before sealing: the fork then only dates the entry (it is not a
 * new one, and its parent gains no child).
 */
bool sw_lineage_fork_seeded(const struct sw_lineage *l, const struct sw_event *ev);

/* Applies a kernel event to the table and fills the event's context. */
void sw_lineage_apply(struct sw_lineage *l, struct sw_event *ev);

/*
 * After the exit of a process that had live children, each call fills ev
 * with the `reparent` event of one of them (its new parent read from
 * /proc) and returns 1; 0 when there are no more.
 */
int sw_lineage_pop_reparent(struct sw_lineage *l, struct sw_event *ev);

/*
 * Finds which zombies have been reaped (conf.reaped, or kill(pid, 0)): all
 * of them, or
 * only those that exited since the last sweep (cheap, after every batch,
 * so that a storm of promptly reaped children does not pile up).
 */
void sw_lineage_sweep(struct sw_lineage *l, uint64_t now_ns, bool all);

/* Drops reaped entries older than the linger time (now: CLOCK_MONOTONIC). */
void sw_lineage_expire(struct sw_lineage *l, uint64_t now_ns);

/* Marks pid and every descendant, now and later, as inside a subtree. */
void sw_lineage_mark_subtree(struct sw_lineage *l, int pid);

struct sw_proc *sw_lineage_find(struct sw_lineage *l, int pid);
/* The read-only view (detectors): the entry of pid, and every entry. */
const struct sw_proc *sw_lineage_lookup(const struct sw_lineage *l, int pid);
void sw_lineage_walk(const struct sw_lineage *l,
		     void (*fn)(const struct sw_proc *p, void *data), void *data);
/* Gives a live entry another parent (a recorded reparent, in replay). */
void sw_lineage_reparent(struct sw_lineage *l, struct sw_proc *p, int ppid);
unsigned sw_lineage_count(const struct sw_lineage *l);

/* Gives ev the context (parent, names, credentials, ancestry) of p. */
void sw_lineage_fill(const struct sw_lineage *l, struct sw_event *ev,
		     const struct sw_proc *p);

/* Calls fn for every entry, live or exited. */
void sw_lineage_foreach(struct sw_lineage *l,
			void (*fn)(struct sw_proc *p, void *data), void *data);

/* Marks the entry exited (a zombie until a sweep finds it reaped). */
void sw_lineage_mark_exited(struct sw_lineage *l, struct sw_proc *p,
			    uint64_t now_ns);
/* Marks an exited entry reaped: it no longer counts as its parent's zombie. */
void sw_lineage_mark_reaped(struct sw_lineage *l, struct sw_proc *p,
			    uint64_t now_ns);

struct sw_str *sw_str_new(const char *s, size_t len);
/*
 * Gives p the command line argv[0..len) of a process whose whole line is
 * size bytes (0: len), cut marking it cut already; only its first
 * SW_ARGV_KEEP bytes are kept (never cut inside a UTF-8 sequence).
 */
void sw_proc_set_argv(struct sw_proc *p, const char *argv, size_t len,
		      size_t size, bool cut);
void sw_str_unref(struct sw_str *s);

#endif
