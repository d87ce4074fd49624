/* SPDX-License-Identifier: MIT */
/* Where lines go: stdout or an append-only file, written whole, in batches. */
#ifndef SW_OUTPUT_H
#define SW_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

#define SW_OUTPUT_NO_OWNER ((uid_t)-1)

struct sw_output {
	int fd;
	const char *path;	/* NULL: standard output */
	uid_t owner;		/* who may own the file besides root and us */
	bool created;		/* the open file is one spawnwatch created */
	struct sw_buf buf;	/* lines not yet written */
};

/*
 * Opens path for appending, or stdout when NULL.  The file must be a
 * regular file with one link, owned by root, by spawnwatch's effective uid
 * or by owner (the --run-as user; SW_OUTPUT_NO_OWNER: none), and not a
 * symbolic link; it is created (0600) when absent, and made 0600 when not.
 * A torn last line of spawnwatch's own log is cut; any other file that
 * does not end with a newline gets one, so that no line is glued to the
 * first one written.  0, or -errno with a reason in why.
 */
int sw_output_open(struct sw_output *o, const char *path, uid_t owner,
		   char *why, size_t whylen);
/*
 * Reopens the file (after logrotate moved it); no-op for stdout.  0; 1
 * when the path fails to open or the checks above, then the file already
 * open is kept and why says why; -errno when the lines still buffered for
 * the old file could not be written.
 */
int sw_output_reopen(struct sw_output *o, char *why, size_t whylen);
/* Writes every buffered line; -EPIPE when the reader is gone. */
int sw_output_flush(struct sw_output *o);
void sw_output_close(struct sw_output *o);

/* The kinds of lines spawnwatch writes that sw_output_own_line() knows. */
enum sw_output_kind { SW_OUTPUT_FOREIGN, SW_OUTPUT_JSON, SW_OUTPUT_ECS };

/*
 * Whether a whole line (without its newline) whose first n bytes are head
 * and whose last byte is last is one of spawnwatch's JSON or ECS lines.
 */
enum sw_output_kind sw_output_own_line(const char *head, size_t n, char last);
/*
 * Whether the n bytes after a file's last newline, where the line before
 * is of that kind, can be the beginning of a line of spawnwatch's (JSON or
 * ECS) cut short by a write that was killed.
 */
bool sw_output_own_torn(enum sw_output_kind kind, const char *tail, size_t n);

#endif
