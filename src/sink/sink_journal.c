/* SPDX-License-Identifier: MIT */
/*
 * --journal: each event as one journal entry (sd_journal_sendv), its line
 * as MESSAGE (JSON, or ECS with --format ecs), PRIORITY as for --syslog,
 * and the event's figures as SPAWNWATCH_* fields, so that
 * `journalctl SPAWNWATCH_EVENT=exec SPAWNWATCH_USER=www-data` needs no JSON.
 * Strings are as the JSON line has them: bytes that are not UTF-8 become
 * \xNN; argv is space-joined, tags comma-joined.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <syslog.h>

#include <systemd/sd-journal.h>

#include "sink.h"
#include "sink_syslog.h"
#include "text.h"

#define MAX_FIELDS 40

struct journal_sink {
	struct sw_buf line;
	struct sw_buf fields;	/* NAME=value, one after another */
	size_t off[MAX_FIELDS], len[MAX_FIELDS];
	unsigned n;
	bool ok;		/* the last entry went in */
};

static int begin(struct journal_sink *j, const char *name)
{
	if (j->n == MAX_FIELDS)
		return -ENOSPC;
	j->off[j->n] = j->fields.len;
	return sw_buf_printf(&j->fields, "%s=", name);
}

static void end(struct journal_sink *j)
{
	j->len[j->n] = j->fields.len - j->off[j->n];
	j->n++;
}

static int field(struct journal_sink *j, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int field(struct journal_sink *j, const char *name, const char *fmt, ...)
{
	char v[64];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	if ((r = begin(j, name)) < 0 || (r = sw_buf_puts(&j->fields, v)) < 0)
		return r;
	end(j);
	return 0;
}

/* A string from a process: as the JSON has it (invalid bytes as \xNN). */
static int text(struct journal_sink *j, const char *name, const char *s)
{
	int r;

	if (!s)
		return 0;
	if ((r = begin(j, name)) < 0 ||
	    (r = sw_text_utf8(&j->fields, s, strlen(s))) < 0)
		return r;
	end(j);
	return 0;
}

static int argv_field(struct journal_sink *j, const struct sw_event *ev)
{
	size_t i = 0;
	int r;

	if ((r = begin(j, "SPAWNWATCH_ARGV")) < 0)
		return r;
	while (i < ev->argv_len) {
		const char *end0 = memchr(ev->argv + i, '\0', ev->argv_len - i);
		size_t n = end0 ? (size_t)(end0 - (ev->argv + i)) : ev->argv_len - i;

		if ((i && (r = sw_buf_putc(&j->fields, ' ')) < 0) ||
		    (r = sw_text_utf8(&j->fields, ev->argv + i, n)) < 0)
			return r;
		i += n + 1;
	}
	end(j);
	return 0;
}

static int tags_field(struct journal_sink *j, const struct sw_event *ev)
{
	int r;

	if (!ev->n_tags)
		return 0;
	if ((r = begin(j, "SPAWNWATCH_TAGS")) < 0)
		return r;
	for (unsigned i = 0; i < ev->n_tags; i++)
		if ((i && (r = sw_buf_putc(&j->fields, ',')) < 0) ||
		    (r = sw_buf_puts(&j->fields, ev->tags[i])) < 0)
			return r;
	end(j);
	return 0;
}

static int process_fields(struct journal_sink *j, const struct sw_event *ev)
{
	const char *comm = ev->type == SW_EV_COMM ? ev->u.comm.comm
			   : (ev->have & SW_HAVE_COMM) ? ev->comm : NULL;
	int r = field(j, "SPAWNWATCH_PID", "%d", ev->pid);

	if (!r && ev->tid != ev->pid)
		r = field(j, "SPAWNWATCH_TID", "%d", ev->tid);
	if (!r && (ev->have & SW_HAVE_PPID))
		r = field(j, "SPAWNWATCH_PPID", "%d", ev->ppid);
	if (!r)
		r = text(j, "SPAWNWATCH_COMM", comm);
	if (!r && (ev->have & SW_HAVE_EXE))
		r = text(j, "SPAWNWATCH_EXE", ev->exe);
	if (!r && (ev->have & SW_HAVE_CWD))
		r = text(j, "SPAWNWATCH_CWD", ev->cwd);
	if (!r && (ev->have & SW_HAVE_ARGV) && ev->argv)
		r = argv_field(j, ev);
	if (!r && (ev->have & SW_HAVE_CREDS)) {
		r = field(j, "SPAWNWATCH_UID", "%u", ev->uid);
		r = r ? r : field(j, "SPAWNWATCH_EUID", "%u", ev->euid);
		r = r ? r : field(j, "SPAWNWATCH_GID", "%u", ev->gid);
		r = r ? r : field(j, "SPAWNWATCH_EGID", "%u", ev->egid);
		r = r ? r : text(j, "SPAWNWATCH_USER", ev->user);
	}
	if (!r && ev->n_ancestry) {
		r = text(j, "SPAWNWATCH_PARENT_COMM", ev->ancestry[0].comm);
		r = r ? r : text(j, "SPAWNWATCH_PARENT_EXE", ev->ancestry[0].exe);
	}
	if (!r && ev->container_id) {
		r = text(j, "SPAWNWATCH_CONTAINER_ID", ev->container_id);
		r = r ? r : text(j, "SPAWNWATCH_CONTAINER_RUNTIME",
				 ev->container_runtime);
	}
	return r;
}

static int kind_fields(struct journal_sink *j, const struct sw_event *ev)
{
	char sig[32];

	switch (ev->type) {
	case SW_EV_EXIT:
		if (ev->u.exit.signal)
			return field(j, "SPAWNWATCH_SIGNAL", "%s", sw_emit_signame(
				ev->u.exit.signal, sig, sizeof(sig)));
		return field(j, "SPAWNWATCH_EXIT_CODE", "%d", ev->u.exit.exit_code);
	case SW_EV_ANOMALY:
		return text(j, "SPAWNWATCH_TAG", ev->u.anomaly.tag);
	case SW_EV_LOST:
		if (ev->u.lost.count >= 0 &&
		    field(j, "SPAWNWATCH_LOST_COUNT", "%lld",
			  (long long)ev->u.lost.count) < 0)
			return -ENOMEM;
		return text(j, "SPAWNWATCH_LOST_REASON", ev->u.lost.reason);
	default:
		return 0;
	}
}

static int build(struct journal_sink *j, struct sw_emit *em,
		 const struct sw_event *ev)
{
	char ts[64];
	int r;

	j->n = 0;
	j->fields.len = 0;
	sw_emit_ts(em, ev->ktime_ns, ts, sizeof(ts));
	if ((r = begin(j, "MESSAGE")) < 0 ||
	    (r = sw_buf_append(&j->fields, j->line.data, j->line.len - 1)) < 0)
		return r;
	end(j);
	r = field(j, "PRIORITY", "%d", sw_syslog_severity(ev));
	r = r ? r : field(j, "SYSLOG_FACILITY", "%d", LOG_DAEMON >> 3);
	r = r ? r : field(j, "SYSLOG_IDENTIFIER", "spawnwatch");
	r = r ? r : field(j, "SPAWNWATCH_EVENT", "%s", sw_event_name(ev->type));
	r = r ? r : field(j, "SPAWNWATCH_SEQ", "%llu", (unsigned long long)em->seq);
	r = r ? r : field(j, "SPAWNWATCH_TS", "%s", ts);
	r = r ? r : text(j, "SPAWNWATCH_HOST", em->host);
	if (!r && sw_event_is_process(ev->type))
		r = process_fields(j, ev);
	r = r ? r : tags_field(j, ev);
	return r ? r : kind_fields(j, ev);
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
	j->ok = true;
	s->priv = j;
	return 0;
}

static int journal_event(struct sw_sink *s, struct sw_emit *em,
			 const struct sw_event *ev)
{
	struct journal_sink *j = s->priv;
	struct iovec iov[MAX_FIELDS];
	int r;

	j->line.len = 0;
	if ((r = sw_emit_event(em, ev, &j->line)) < 0)
		return r;
	/* Numbered already: an entry the journal refuses is a loss. */
	if (build(j, em, ev) < 0) {
		s->lost++;
		return 0;
	}
	for (unsigned i = 0; i < j->n; i++) {
		iov[i].iov_base = j->fields.data + j->off[i];
		iov[i].iov_len = j->len[i];
	}
	j->ok = sd_journal_sendv(iov, (int)j->n) >= 0;
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
	sw_buf_free(&j->fields);
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
