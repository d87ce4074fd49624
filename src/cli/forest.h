/* SPDX-License-Identifier: MIT */
/* `spawnwatch forest` and the SIGUSR1 dump of a running watch. */
#ifndef SW_FOREST_H
#define SW_FOREST_H

#include <stdbool.h>

#include "buf.h"
#include "error.h"
#include "host.h"
#include "lineage.h"
#include "opts.h"
#include "text.h"
#include "users.h"

/*
 * Appends the forest of the table to out: every tree, or the subtrees of
 * pids.  Text like `ps --forest`, or one line of JSON (an array of nested
 * objects with `children`).  The text quotes what processes control as
 * sw_text_shell_quote() does, under cs.  -ESRCH when a pid is not a live
 * process.
 */
struct sw_rules;

/* What the forest is read from: the table, /proc and what judges it. */
struct sw_forest_src {
	struct sw_lineage *l;
	struct sw_users *users;
	int procfd;
	const struct sw_rules *rules;
	const struct sw_host *host;	/* the host's namespaces, probed once */
};

int sw_forest_format(const struct sw_forest_src *src, const int *pids,
		     unsigned n_pids, bool json, enum sw_text_charset cs,
		     struct sw_buf *out);

/* Runs `spawnwatch forest`: reads /proc, prints, returns the exit status. */
int sw_forest_run(const struct sw_opts *opts, const struct sw_rules *rules,
		  struct sw_error *err);

#endif
