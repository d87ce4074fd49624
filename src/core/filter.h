/* SPDX-License-Identifier: MIT */
/*
 * Which events are written: the selection (--pid, -- COMMAND, --comm,
 * --user) and the kinds (--events, --threads, --nonzero-exit, --tagged),
 * taken from the options once, judged per event.
 */
#ifndef SW_FILTER_H
#define SW_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"

struct sw_opts;

struct sw_filter {
	bool subtree;		/* only marked processes (--pid, -- COMMAND) */
	const char *comm;	/* --comm, or NULL */
	bool have_uid;		/* --user */
	uint32_t uid;
	unsigned events;	/* SW_EVMASK bits */
	bool threads;
	bool nonzero_exit;
	bool tagged;
};

void sw_filter_init(struct sw_filter *f, const struct sw_opts *o);

/* Whether an event is about a selected process (--pid, --comm, --user). */
bool sw_filter_selected(const struct sw_filter *f, const struct sw_event *ev);
/* Whether an event is written: selected, of a wanted kind, tagged if asked. */
bool sw_filter_wanted(const struct sw_filter *f, const struct sw_event *ev);

#endif
