/* SPDX-License-Identifier: MIT */
/*
 * The fields of an event's journal entry (--journal): MESSAGE its line,
 * PRIORITY as for --syslog, and the event's figures as SPAWNWATCH_*
 * fields, so that `journalctl SPAWNWATCH_EVENT=exec SPAWNWATCH_USER=www-data`
 * needs no JSON.  Pure: no libsystemd, unit-tested; sink_journal.c sends.
 */
#ifndef SW_JOURNAL_FIELDS_H
#define SW_JOURNAL_FIELDS_H

#include <stddef.h>

#include "buf.h"
#include "emit.h"
#include "event.h"

#define SW_JOURNAL_FIELDS_MAX 48

struct sw_journal_entry {
	struct sw_buf buf;	/* NAME=value, one after another, no NUL */
	size_t off[SW_JOURNAL_FIELDS_MAX], len[SW_JOURNAL_FIELDS_MAX];
	unsigned n;
};

/*
 * Fills e with ev's fields, MESSAGE the line it was emitted as (line[0..
 * len), its '\n' dropped).  Strings are as the JSON line has them: bytes
 * that are not UTF-8 become \xNN; argv is space-joined, tags comma-joined.
 * 0 or -errno.
 */
int sw_journal_fields(struct sw_journal_entry *e, const struct sw_emit *em,
		      const struct sw_event *ev, const char *line, size_t len);
void sw_journal_entry_free(struct sw_journal_entry *e);

#endif
