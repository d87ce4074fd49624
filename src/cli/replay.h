/* SPDX-License-Identifier: MIT */
/*
 * `spawnwatch replay`: a recorded --json log in place of the kernel.  The
 * lines rebuild the lineage table and go through the rules again (the
 * current rules file's), so that old logs can be hunted with new rules and
 * the rules tested without root.
 */
#ifndef SW_REPLAY_H
#define SW_REPLAY_H

#include "detect.h"
#include "error.h"
#include "opts.h"

/* Returns the exit status; on status 1 err holds why. */
int sw_replay_run(const struct sw_opts *opts, const struct sw_rules *rules,
		  struct sw_error *err);

#endif
