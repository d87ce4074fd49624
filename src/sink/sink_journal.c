/* SPDX-License-Identifier: MIT */
/*
 * --journal: each event as one journal entry (sd_journal_sendv), its line
 * as MESSAGE (JSON, or ECS with --format ecs) and the fields
 * journal_fields.c gets from the event.  Sent by a thread of its own from
 * a bounded queue (journal_queue.c): a journald that does not read blocks
 * that thread, never the loop; what the queue cannot take is a lost line
 * (reason "journal") once it takes lines again.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <systemd/sd-journal.h>

#include "journal_fields.h"
#include "journal_queue.h"
#include "sink.h"

struct journal_sink {
	struct sw_buf line;
	struct sw_journal_entry entry;
	struct sw_jq *q;
};

static int send_entry(const struct iovec *iov, int n, void *arg)
{
	(void)arg;
	return sd_journal_sendv(iov, n);
}

static int journal_open(struct sw_sink *s, const struct sw_sink_conf *c,
			char *err, size_t errlen)
{
	struct journal_sink *j = calloc(1, sizeof(*j));

	s->name = "the journal";
	if (!j) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (!(j->q = sw_jq_start(SW_JQ_ENTRIES, SW_JQ_BYTES, send_entry, NULL))) {
		int e = errno;

		snprintf(err, errlen, "cannot start the journal sender: %s", strerror(e));
		free(j);
		return -e;
	}
	s->priv = j;
	return 0;
}

static int journal_event(struct sw_sink *s, struct sw_emit *em,
			 const struct sw_event *ev)
{
	struct journal_sink *j = s->priv;
	struct sw_journal_entry *e = &j->entry;
	int r;

	s->lost += sw_jq_take_failed(j->q);
	j->line.len = 0;
	if ((r = sw_emit_event(em, ev, &j->line)) < 0)
		return r;
	/* Numbered already: an entry the journal refuses is a loss. */
	if (sw_journal_fields(e, em, ev, j->line.data, j->line.len) < 0 ||
	    sw_jq_push(j->q, e) < 0)
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
	struct journal_sink *j = s->priv;

	s->lost += sw_jq_take_failed(j->q);
	return sw_jq_ready(j->q);
}

static uint64_t journal_close(struct sw_sink *s)
{
	struct journal_sink *j = s->priv;
	/* Failures since the last take are in it too. */
	uint64_t left = sw_jq_stop(j->q, SW_JQ_CLOSE_MS);

	sw_buf_free(&j->line);
	sw_journal_entry_free(&j->entry);
	free(j);
	s->priv = NULL;
	return left;
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
