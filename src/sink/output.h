/* SPDX-License-Identifier: MIT */
/* Where lines go: stdout or an append-only file, written whole, in batches. */
#ifndef SW_OUTPUT_H
#define SW_OUTPUT_H

#include "buf.h"

struct sw_output {
	int fd;
	const char *path;	/* NULL: standard output */
	struct sw_buf buf;	/* lines not yet written */
};

/* Opens path for appending (0600, no symlinks), or stdout when NULL. */
int sw_output_open(struct sw_output *o, const char *path);
/* Reopens the file (after logrotate moved it); no-op for stdout. */
int sw_output_reopen(struct sw_output *o);
/* Writes every buffered line; -EPIPE when the reader is gone. */
int sw_output_flush(struct sw_output *o);
void sw_output_close(struct sw_output *o);

#endif
