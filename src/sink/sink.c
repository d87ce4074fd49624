/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sink.h"

static int file_open(struct sw_sink *s, const struct sw_sink_conf *c,
		     char *err, size_t errlen)
{
	s->name = c->output ? c->output : "standard output";
	return sw_output_open(&s->out, c->output,
			      c->run_as ? c->run_uid : SW_OUTPUT_NO_OWNER, err,
			      errlen);
}

/* Straight into the output buffer: lines are written in batches. */
static int file_event(struct sw_sink *s, struct sw_emit *em,
		      const struct sw_event *ev)
{
	return sw_emit_event(em, ev, &s->out.buf);
}

static int file_flush(struct sw_sink *s)
{
	return sw_output_flush(&s->out);
}

static size_t file_pending(const struct sw_sink *s)
{
	return s->out.buf.len;
}

static bool file_ready(struct sw_sink *s)
{
	return true;
}

static uint64_t file_close(struct sw_sink *s)
{
	sw_output_close(&s->out);
	return 0;
}

static int file_reopen(struct sw_sink *s, char *why, size_t whylen)
{
	return sw_output_reopen(&s->out, why, whylen);
}

/*
 * Only a file spawnwatch created is given away: standard output, or a
 * file that was there (root's, or the user's already), stays whose it is.
 */
static int file_chown(struct sw_sink *s, uid_t uid, gid_t gid)
{
	if (!s->out.path || !s->out.created)
		return 0;
	return fchown(s->out.fd, uid, gid) < 0 ? -errno : 0;
}

const struct sw_sink_ops sw_sink_file_ops = {
	.name = "output",
	.open = file_open,
	.event = file_event,
	.flush = file_flush,
	.pending = file_pending,
	.ready = file_ready,
	.close = file_close,
	.reopen = file_reopen,
	.chown = file_chown,
};

static const struct sw_sink_ops *choose(const struct sw_sink_conf *c)
{
	if (c->syslog)
		return &sw_sink_syslog_ops;
#ifdef HAVE_LIBSYSTEMD
	if (c->journal)
		return &sw_sink_journal_ops;
#endif
	/* opts refuses --journal in a build without it. */
	return &sw_sink_file_ops;
}

int sw_sink_open(struct sw_sink **ret, struct sw_sink_conf conf, char *err,
		 size_t errlen)
{
	struct sw_sink *s = calloc(1, sizeof(*s));
	int r;

	*ret = NULL;
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->conf = conf;
	s->ops = choose(&s->conf);
	s->out.fd = -1;
	r = s->ops->open(s, &s->conf, err, errlen);
	if (r < 0) {
		s->closed = true;	/* nothing to close */
		sw_sink_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

int sw_sink_event(struct sw_sink *s, struct sw_emit *em,
		  const struct sw_event *ev)
{
	return s->ops->event(s, em, ev);
}

int sw_sink_flush(struct sw_sink *s)
{
	return s->ops->flush(s);
}

size_t sw_sink_pending(const struct sw_sink *s)
{
	return s->ops->pending(s);
}

int sw_sink_reopen(struct sw_sink *s, char *why, size_t whylen)
{
	return s->ops->reopen ? s->ops->reopen(s, why, whylen) : 0;
}

int sw_sink_chown(struct sw_sink *s, uid_t uid, gid_t gid)
{
	return s->ops->chown ? s->ops->chown(s, uid, gid) : 0;
}

const char *sw_sink_name(const struct sw_sink *s)
{
	return s->name;
}

bool sw_sink_take_lost(struct sw_sink *s, int64_t *ret_count,
		       const char **ret_reason)
{
	if ((!s->lost && !s->lost_unknown) || !s->ops->ready(s))
		return false;
	*ret_count = s->lost_unknown ? -1 : (int64_t)s->lost;
	*ret_reason = s->ops->name;
	s->lost = 0;
	s->lost_unknown = false;
	return true;
}

uint64_t sw_sink_close(struct sw_sink *s)
{
	uint64_t left;

	if (!s || s->closed)
		return 0;
	s->closed = true;
	left = s->ops->close(s);
	return left + s->lost;
}

void sw_sink_free(struct sw_sink *s)
{
	if (!s)
		return;
	sw_sink_close(s);
	free(s);
}
