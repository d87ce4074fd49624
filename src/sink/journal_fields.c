/* SPDX-License-Identifier: MIT */
/*
 * The journal fields of an event: one table, field name to how it is got
 * from the event, the only place a journal field is named.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "journal_fields.h"
#include "sink_syslog.h"
#include "text.h"

/* What a field is got from. */
struct src {
	const struct sw_emit *em;
	const struct sw_event *ev;
	const char *line;
	size_t len;
};

/*
 * A getter appends the value and returns 1, or 0 when the event has no
 * such field, or -errno.
 */
struct field {
	const char *name;
	int (*get)(struct sw_buf *b, const struct src *s);
};

static int num(struct sw_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A figure of spawnwatch's own: short, as printf writes it. */
static int num(struct sw_buf *b, const char *fmt, ...)
{
	char v[64];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	r = sw_buf_puts(b, v);
	return r < 0 ? r : 1;
}

/* A string from a process: as the JSON has it (invalid bytes as \xNN). */
static int text(struct sw_buf *b, const char *s)
{
	int r;

	if (!s)
		return 0;
	r = sw_text_utf8(b, s, strlen(s));
	return r < 0 ? r : 1;
}

static bool process(const struct src *s)
{
	return sw_event_is_process(s->ev->type);
}

static bool have(const struct src *s, unsigned bit)
{
	return process(s) && (s->ev->have & bit);
}

static int get_message(struct sw_buf *b, const struct src *s)
{
	size_t n = s->len && s->line[s->len - 1] == '\n' ? s->len - 1 : s->len;
	int r = sw_buf_append(b, s->line, n);

	return r < 0 ? r : 1;
}

static int get_priority(struct sw_buf *b, const struct src *s)
{
	return num(b, "%d", sw_syslog_severity(s->ev));
}

static int get_facility(struct sw_buf *b, const struct src *s)
{
	return num(b, "%d", LOG_DAEMON >> 3);
}

static int get_identifier(struct sw_buf *b, const struct src *s)
{
	return num(b, "%s", "spawnwatch");
}

static int get_event(struct sw_buf *b, const struct src *s)
{
	return num(b, "%s", sw_event_name(s->ev->type));
}

static int get_seq(struct sw_buf *b, const struct src *s)
{
	return num(b, "%llu", (unsigned long long)s->em->seq);
}

static int get_ts(struct sw_buf *b, const struct src *s)
{
	char ts[64];

	sw_emit_ts(s->em, s->ev->ktime_ns, ts, sizeof(ts));
	return num(b, "%s", ts);
}

static int get_host(struct sw_buf *b, const struct src *s)
{
	return text(b, s->em->host);
}

static int get_pid(struct sw_buf *b, const struct src *s)
{
	return process(s) ? num(b, "%d", s->ev->pid) : 0;
}

static int get_tid(struct sw_buf *b, const struct src *s)
{
	return process(s) && s->ev->tid != s->ev->pid ? num(b, "%d", s->ev->tid) : 0;
}

static int get_ppid(struct sw_buf *b, const struct src *s)
{
	return have(s, SW_HAVE_PPID) ? num(b, "%d", s->ev->ppid) : 0;
}

static int get_comm(struct sw_buf *b, const struct src *s)
{
	const struct sw_event *ev = s->ev;

	if (!process(s))
		return 0;
	if (ev->type == SW_EV_COMM)
		return text(b, ev->u.comm.comm);
	return ev->have & SW_HAVE_COMM ? text(b, ev->comm) : 0;
}

static int get_exe(struct sw_buf *b, const struct src *s)
{
	return have(s, SW_HAVE_EXE) ? text(b, s->ev->exe) : 0;
}

static int get_cwd(struct sw_buf *b, const struct src *s)
{
	return have(s, SW_HAVE_CWD) ? text(b, s->ev->cwd) : 0;
}

/* Space-joined. */
static int get_argv(struct sw_buf *b, const struct src *s)
{
	const struct sw_event *ev = s->ev;
	size_t i = 0;
	int r;

	if (!have(s, SW_HAVE_ARGV) || !ev->argv)
		return 0;
	while (i < ev->argv_len) {
		const char *end = memchr(ev->argv + i, '\0', ev->argv_len - i);
		size_t n = end ? (size_t)(end - (ev->argv + i)) : ev->argv_len - i;

		if ((i && (r = sw_buf_putc(b, ' ')) < 0) ||
		    (r = sw_text_utf8(b, ev->argv + i, n)) < 0)
			return r;
		i += n + 1;
	}
	return 1;
}

static int get_uid(struct sw_buf *b, const struct src *s)
{
	return have(s, SW_HAVE_CREDS) ? num(b, "%u", s->ev->uid) : 0;
}

static int get_euid(struct sw_buf *b, const struct src *s)
{
	return have(s, SW_HAVE_CREDS) ? num(b, "%u", s->ev->euid) : 0;
}

static int get_gid(struct sw_buf *b, const struct src *s)
{
	return have(s, SW_HAVE_CREDS) ? num(b, "%u", s->ev->gid) : 0;
}

static int get_egid(struct sw_buf *b, const struct src *s)
{
	return have(s, SW_HAVE_CREDS) ? num(b, "%u", s->ev->egid) : 0;
}

static int get_user(struct sw_buf *b, const struct src *s)
{
	return have(s, SW_HAVE_CREDS) ? text(b, s->ev->user) : 0;
}

static int get_parent_comm(struct sw_buf *b, const struct src *s)
{
	return process(s) && s->ev->n_ancestry ? text(b, s->ev->ancestry[0].comm) : 0;
}

static int get_parent_exe(struct sw_buf *b, const struct src *s)
{
	return process(s) && s->ev->n_ancestry ? text(b, s->ev->ancestry[0].exe) : 0;
}

static int get_container_id(struct sw_buf *b, const struct src *s)
{
	return process(s) ? text(b, s->ev->container_id) : 0;
}

static int get_container_runtime(struct sw_buf *b, const struct src *s)
{
	return process(s) && s->ev->container_id ?
		       text(b, s->ev->container_runtime) : 0;
}

static int get_net_peer(struct sw_buf *b, const struct src *s)
{
	return have(s, SW_HAVE_NET) ? text(b, s->ev->net.peer) : 0;
}

static int get_net_port(struct sw_buf *b, const struct src *s)
{
	return have(s, SW_HAVE_NET) ? num(b, "%u", (unsigned)s->ev->net.port) : 0;
}

static int get_net_proto(struct sw_buf *b, const struct src *s)
{
	return have(s, SW_HAVE_NET) ? text(b, s->ev->net.udp ? "udp" : "tcp") : 0;
}

static int get_net_via(struct sw_buf *b, const struct src *s)
{
	const char *via = sw_net_via_name(s->ev->net.via);

	return have(s, SW_HAVE_NET) ? text(b, via ? via : "stdio") : 0;
}

static int get_net_holder(struct sw_buf *b, const struct src *s)
{
	return have(s, SW_HAVE_NET) && s->ev->net.holder ?
		       num(b, "%d", s->ev->net.holder) : 0;
}

/* Comma-joined. */
static int get_tags(struct sw_buf *b, const struct src *s)
{
	const struct sw_event *ev = s->ev;
	int r;

	if (!ev->n_tags)
		return 0;
	for (unsigned i = 0; i < ev->n_tags; i++)
		if ((i && (r = sw_buf_putc(b, ',')) < 0) ||
		    (r = sw_buf_puts(b, ev->tags[i])) < 0)
			return r;
	return 1;
}

static int get_signal(struct sw_buf *b, const struct src *s)
{
	char sig[32];

	if (s->ev->type != SW_EV_EXIT || !s->ev->u.exit.signal)
		return 0;
	return num(b, "%s", sw_emit_signame(s->ev->u.exit.signal, sig,
					    sizeof(sig)));
}

static int get_exit_code(struct sw_buf *b, const struct src *s)
{
	if (s->ev->type != SW_EV_EXIT || s->ev->u.exit.signal)
		return 0;
	return num(b, "%d", s->ev->u.exit.exit_code);
}

static int get_tag(struct sw_buf *b, const struct src *s)
{
	return s->ev->type == SW_EV_ANOMALY ? text(b, s->ev->u.anomaly.tag) : 0;
}

static int get_lost_count(struct sw_buf *b, const struct src *s)
{
	if (s->ev->type != SW_EV_LOST || s->ev->u.lost.count < 0)
		return 0;
	return num(b, "%lld", (long long)s->ev->u.lost.count);
}

static int get_lost_reason(struct sw_buf *b, const struct src *s)
{
	return s->ev->type == SW_EV_LOST ? text(b, s->ev->u.lost.reason) : 0;
}

static const struct field fields[] = {
	{ "MESSAGE", get_message },
	{ "PRIORITY", get_priority },
	{ "SYSLOG_FACILITY", get_facility },
	{ "SYSLOG_IDENTIFIER", get_identifier },
	{ "SPAWNWATCH_EVENT", get_event },
	{ "SPAWNWATCH_SEQ", get_seq },
	{ "SPAWNWATCH_TS", get_ts },
	{ "SPAWNWATCH_HOST", get_host },
	{ "SPAWNWATCH_PID", get_pid },
	{ "SPAWNWATCH_TID", get_tid },
	{ "SPAWNWATCH_PPID", get_ppid },
	{ "SPAWNWATCH_COMM", get_comm },
	{ "SPAWNWATCH_EXE", get_exe },
	{ "SPAWNWATCH_CWD", get_cwd },
	{ "SPAWNWATCH_ARGV", get_argv },
	{ "SPAWNWATCH_UID", get_uid },
	{ "SPAWNWATCH_EUID", get_euid },
	{ "SPAWNWATCH_GID", get_gid },
	{ "SPAWNWATCH_EGID", get_egid },
	{ "SPAWNWATCH_USER", get_user },
	{ "SPAWNWATCH_PARENT_COMM", get_parent_comm },
	{ "SPAWNWATCH_PARENT_EXE", get_parent_exe },
	{ "SPAWNWATCH_CONTAINER_ID", get_container_id },
	{ "SPAWNWATCH_CONTAINER_RUNTIME", get_container_runtime },
	{ "SPAWNWATCH_NET_PEER", get_net_peer },
	{ "SPAWNWATCH_NET_PORT", get_net_port },
	{ "SPAWNWATCH_NET_PROTO", get_net_proto },
	{ "SPAWNWATCH_NET_VIA", get_net_via },
	{ "SPAWNWATCH_NET_HOLDER", get_net_holder },
	{ "SPAWNWATCH_TAGS", get_tags },
	{ "SPAWNWATCH_SIGNAL", get_signal },
	{ "SPAWNWATCH_EXIT_CODE", get_exit_code },
	{ "SPAWNWATCH_TAG", get_tag },
	{ "SPAWNWATCH_LOST_COUNT", get_lost_count },
	{ "SPAWNWATCH_LOST_REASON", get_lost_reason },
};

int sw_journal_fields(struct sw_journal_entry *e, const struct sw_emit *em,
		      const struct sw_event *ev, const char *line, size_t len)
{
	const struct src s = { .em = em, .ev = ev, .line = line, .len = len };

	e->n = 0;
	e->buf.len = 0;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		size_t off = e->buf.len;
		int r = sw_buf_printf(&e->buf, "%s=", fields[i].name);

		if (r >= 0)
			r = fields[i].get(&e->buf, &s);
		if (r < 0)
			return r;
		if (r == 0) {
			e->buf.len = off;
			continue;
		}
		if (e->n == SW_JOURNAL_FIELDS_MAX)
			return -ENOSPC;
		e->off[e->n] = off;
		e->len[e->n] = e->buf.len - off;
		e->n++;
	}
	return 0;
}

void sw_journal_entry_free(struct sw_journal_entry *e)
{
	sw_buf_free(&e->buf);
	e->n = 0;
}
