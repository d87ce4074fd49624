/* SPDX-License-Identifier: MIT */
/*
 * --journal: each event as one journal entry (sd_journal_sendv), its line
 * as MESSAGE (JSON, or ECS with --format ecs) and the fields
 * journal_fields.c gets from the event.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/uio.h>

#include <systemd/sd-journal.h>

#include "journal_fields.h"
#include "sink.h"

struct journal_sink {
	struct sw_buf line;
	struct sw_journal_entry entry;
	bool ok;		/* the last entry went in */
};

static int journal_open(struct sw_sink *s, const struct sw_sink_conf *c,
			char *err, size_t errlen)
{
	struct journal_sink *j = calloc(1, sizeof(*j));

	s->name = "the journal";
	if (!j) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	j->ok = true;
	s->priv = j;
	return 0;
}

static int journal_event(struct sw_sink *s, struct sw_emit *em,
			 const struct sw_event *ev)
{
	struct journal_sink *j = s->priv;
	struct sw_journal_entry *e = &j->entry;
	struct iovec iov[SW_JOURNAL_FIELDS_MAX];
	int r;

	j->line.len = 0;
	if ((r = sw_emit_event(em, ev, &j->line)) < 0)
		return r;
	/* Numbered already: an entry the journal refuses is a loss. */
	if (sw_journal_fields(e, em, ev, j->line.data, j->line.len) < 0) {
		s->lost++;
		return 0;
	}
	for (unsigned i = 0; i < e->n; i++) {
		iov[i].iov_base = e->buf.data + e->off[i];
		iov[i].iov_len = e->len[i];
	}
	j->ok = sd_journal_sendv(iov, (int)e->n) >= 0;
	if (!j->ok)
		s->lost++;
	return 0;
}

static int journal_flush(struct sw_sink *s)
{
	return 0;
}

static size_t journal_pending(const struct sw_sink *s)
{
	return 0;
}

static bool journal_ready(struct sw_sink *s)
{
	const struct journal_sink *j = s->priv;

	return j->ok;
}

static uint64_t journal_close(struct sw_sink *s)
{
	struct journal_sink *j = s->priv;

	sw_buf_free(&j->line);
	sw_journal_entry_free(&j->entry);
	free(j);
	s->priv = NULL;
	return 0;
}

const struct sw_sink_ops sw_sink_journal_ops = {
	.name = "journal",
	.open = journal_open,
	.event = journal_event,
	.flush = journal_flush,
	.pending = journal_pending,
	.ready = journal_ready,
	.close = journal_close,
};
