/* SPDX-License-Identifier: MIT */
/* The live stream: source → decode → enrich → lineage → emit, in one loop. */
#ifndef SW_WATCH_H
#define SW_WATCH_H

#include "error.h"
#include "opts.h"

/*
 * Runs `spawnwatch watch` until a signal, --count, --duration or a reader
 * that went away.  Returns the exit status; on status 1 err holds why.
 */
struct sw_rules;

int sw_watch_run(const struct sw_opts *opts, const struct sw_rules *rules,
		 struct sw_error *err);

#endif
