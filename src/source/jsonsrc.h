/* SPDX-License-Identifier: MIT */
/*
 * The source of `spawnwatch replay`: a recorded --json log (a file or
 * standard input), line by line, each line parsed by jsonin into the same
 * struct sw_event the netlink source gives.
 */
#ifndef SW_JSONSRC_H
#define SW_JSONSRC_H

#include <stddef.h>

#include "event.h"

struct sw_jsonsrc;

/*
 * The longest line read: far above what spawnwatch writes (an exec line
 * with a whole command line, every byte escaped), so that a hostile or
 * broken log cannot make replay hold it all in memory.  A longer line is
 * malformed, skipped up to its newline without being kept.
 */
#define SW_JSONSRC_LINE_MAX (16u << 20)

/* path "-" is standard input.  0 or -errno. */
int sw_jsonsrc_open(const char *path, struct sw_jsonsrc **ret);
/* The same with another longest line (tests). */
int sw_jsonsrc_open_max(const char *path, size_t line_max,
			struct sw_jsonsrc **ret);
void sw_jsonsrc_free(struct sw_jsonsrc *s);

enum {
	SW_JSONSRC_END = 0,	/* no more lines */
	SW_JSONSRC_EVENT = 1,	/* ev holds the next event */
	SW_JSONSRC_BAD = 2,	/* a malformed line: why says what is wrong */
};

/*
 * The next event, skipping blank lines: SW_JSONSRC_*, or -errno of a read
 * error.  ev's strings stay valid until the next call.
 */
int sw_jsonsrc_next(struct sw_jsonsrc *s, struct sw_event *ev, char *why,
		    size_t whylen);

/* The log's name for messages ("standard input" for -). */
const char *sw_jsonsrc_name(const struct sw_jsonsrc *s);
/* Lines read so far, and of them malformed. */
unsigned long sw_jsonsrc_lines(const struct sw_jsonsrc *s);
unsigned long sw_jsonsrc_bad(const struct sw_jsonsrc *s);
/* The "host" of the last line, or NULL. */
const char *sw_jsonsrc_host(const struct sw_jsonsrc *s);

#endif
