/* SPDX-License-Identifier: MIT */
/*
 * Enrich: at exec, read what the kernel's event does not carry (exe, argv,
 * cwd, credentials, comm, ppid) from /proc, at once, before the process
 * can exit.  A field that could not be read stays absent.
 */
#ifndef SW_ENRICH_H
#define SW_ENRICH_H

#include "event.h"
#include "procfs.h"
#include "stats.h"

struct sw_enrich {
	int procfd;
	struct sw_stats *stats;
	struct sw_proc_snap snap;
};

void sw_enrich_exec(struct sw_enrich *e, struct sw_event *ev);

#endif
