/* SPDX-License-Identifier: MIT */
/*
 * Readable lines: time, event, pid, ppid, user, then the command quoted so
 * that it can be pasted into a shell, then what the event changed and its
 * tags.  Nothing a process controls reaches the terminal unescaped.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "stats.h"
#include "text.h"

#define C_RESET "\033[0m"

static const char *color_of(const struct sw_event *ev)
{
	switch (ev->type) {
	case SW_EV_EXEC:
		return "\033[32m";	/* green */
	case SW_EV_FORK:
		return "\033[34m";	/* blue */
	case SW_EV_EXIT:
		return ev->u.exit.signal || ev->u.exit.exit_code ? "\033[31m" : "";
	case SW_EV_LOST:
	case SW_EV_ANOMALY:
		return "\033[1;31m";	/* bold red */
	default:
		return "\033[33m";	/* yellow */
	}
}

/* A string a process or a log controls: the one quoting (text.h); '?' none. */
static int put_str(struct sw_buf *out, const char *s, enum sw_text_charset cs)
{
	return s ? sw_text_shell_quote(out, s, strlen(s), cs) : sw_buf_puts(out, "'?'");
}

static int put_command(struct sw_buf *out, const struct sw_event *ev,
		       enum sw_text_charset cs)
{
	int r = 0;

	if ((ev->have & SW_HAVE_ARGV) && ev->argv && ev->argv_len) {
		size_t i = 0;

		while (r == 0 && i < ev->argv_len) {
			const char *end = memchr(ev->argv + i, '\0', ev->argv_len - i);
			size_t n = end ? (size_t)(end - (ev->argv + i)) : ev->argv_len - i;

			if (i)
				r = sw_buf_putc(out, ' ');
			if (r == 0)
				r = sw_text_shell_quote(out, ev->argv + i, n, cs);
			i += n + 1;
		}
		if (r == 0 && (ev->cut & SW_HAVE_ARGV))
			r = sw_buf_printf(out, " [argv cut: %zu bytes]",
					  sw_event_argv_size(ev));
		return r;
	}
	if ((ev->have & SW_HAVE_COMM) && ev->comm) {
		r = sw_buf_putc(out, '[');
		if (r == 0)
			r = put_str(out, ev->comm, cs);
		return r ? r : sw_buf_putc(out, ']');
	}
	return sw_buf_puts(out, "?");
}

static int put_exit(struct sw_buf *out, const struct sw_event *ev)
{
	char sig[32];
	int r;

	if (ev->u.exit.signal)
		r = sw_buf_printf(out, " %s", sw_emit_signame(ev->u.exit.signal,
							    sig, sizeof(sig)));
	else
		r = sw_buf_printf(out, " status=%d", ev->u.exit.exit_code);
	if (r == 0 && ev->u.exit.core)
		r = sw_buf_puts(out, " core");
	if (r == 0 && (ev->have & SW_HAVE_DURATION))
		r = sw_buf_printf(out, " after %.3fs",
				  (double)sw_emit_seconds(ev->duration_s, 1000000) / 1e6);
	return r;
}

static int put_change(struct sw_buf *out, const struct sw_event *ev,
		      enum sw_text_charset cs)
{
	const char *what = ev->type == SW_EV_UID ? "uid" : "gid";
	int r = 0;

	switch (ev->type) {
	case SW_EV_FORK:
		return ev->thread ? sw_buf_printf(out, " thread %d", ev->tid) : 0;
	case SW_EV_EXIT:
		return put_exit(out, ev);
	case SW_EV_UID:
	case SW_EV_GID:
		if (ev->u.id.have_prev)
			return sw_buf_printf(out, " %s %" PRIu32 "->%" PRIu32
					     " e%s %" PRIu32 "->%" PRIu32,
					     what, ev->u.id.prev_r, ev->u.id.r,
					     what, ev->u.id.prev_e, ev->u.id.e);
		return sw_buf_printf(out, " %s %" PRIu32 " e%s %" PRIu32, what,
				     ev->u.id.r, what, ev->u.id.e);
	case SW_EV_SID:
		return sw_buf_printf(out, " new session %d", ev->pid);
	case SW_EV_PTRACE:
		if (!ev->u.ptrace.tracer_pid)
			return sw_buf_puts(out, " detached");
		r = sw_buf_printf(out, " attached by %d", ev->u.ptrace.tracer_pid);
		if (r == 0 && ev->u.ptrace.tracer_comm) {
			r = sw_buf_putc(out, ' ');
			r = r ? r : put_str(out, ev->u.ptrace.tracer_comm, cs);
		}
		if (r == 0 && ev->u.ptrace.tracer_exe) {
			r = sw_buf_puts(out, " exe ");
			r = r ? r : put_str(out, ev->u.ptrace.tracer_exe, cs);
		}
		return r;
	case SW_EV_COMM:
		r = sw_buf_puts(out, " renamed ");
		if (r == 0 && ev->u.comm.have_prev) {
			r = put_str(out, ev->u.comm.prev, cs);
			r = r ? r : sw_buf_puts(out, " -> ");
		}
		return r ? r : put_str(out, ev->u.comm.comm, cs);
	case SW_EV_COREDUMP:
		return sw_buf_puts(out, " dumping core");
	case SW_EV_REPARENT:
		return sw_buf_printf(out, " adopted by %d (parent %d exited)",
				     ev->ppid, ev->u.reparent.prev_ppid);
	case SW_EV_ANOMALY:
		r = sw_buf_putc(out, ' ');
		r = r ? r : put_str(out, ev->u.anomaly.tag, cs);
		return r ? r : sw_buf_printf(out, ": %u (threshold %u), oldest %.1fs",
					     ev->u.anomaly.count, ev->u.anomaly.threshold,
					     (double)sw_emit_seconds(ev->u.anomaly.oldest_s,
								     1000) / 1000);
	default:
		return 0;
	}
}

static int put_process(struct sw_buf *out, const struct sw_event *ev,
		       enum sw_text_charset cs)
{
	char ppid[16] = "-";
	int r;

	if (ev->have & SW_HAVE_PPID)
		snprintf(ppid, sizeof(ppid), "%d", ev->ppid);
	r = sw_buf_printf(out, " %7d %7s ", ev->pid, ppid);
	if (r == 0 && ev->user)
		r = put_str(out, ev->user, cs);
	else if (r == 0 && (ev->have & SW_HAVE_CREDS))
		r = sw_buf_printf(out, "%" PRIu32, ev->euid);
	else if (r == 0)
		r = sw_buf_putc(out, '-');
	r = r ? r : sw_buf_putc(out, ' ');
	r = r ? r : put_command(out, ev, cs);
	return r ? r : put_change(out, ev, cs);
}

static int put_lost(struct sw_buf *out, const struct sw_event *ev,
		    enum sw_text_charset cs)
{
	int r;

	if (ev->u.lost.count < 0)
		r = sw_buf_puts(out, " events lost (");
	else
		r = sw_buf_printf(out, " %" PRId64 " events lost (", ev->u.lost.count);
	r = r ? r : put_str(out, ev->u.lost.reason, cs);
	r = r ? r : sw_buf_putc(out, ')');
	return r || ev->u.lost.count >= 0 ? r : sw_buf_puts(out, ", count unknown");
}

static int put_start(struct sw_emit *em, struct sw_buf *out,
		     const struct sw_event *ev)
{
	const struct sw_start_info *si = ev->start;
	int r = sw_buf_puts(out, " spawnwatch ");

	r = r ? r : put_str(out, si->version, em->charset);
	r = r ? r : sw_buf_puts(out, " on ");
	r = r ? r : put_str(out, em->host, em->charset);
	r = r ? r : sw_buf_puts(out, " (kernel ");
	r = r ? r : put_str(out, si->kernel, em->charset);
	return r ? r : sw_buf_printf(out, "), %u processes tracked", si->tracked);
}

static int put_meta(struct sw_emit *em, struct sw_buf *out,
		    const struct sw_event *ev)
{
	const struct sw_stats *st = ev->stats;

	if ((ev->type == SW_EV_START && !ev->start) ||
	    (ev->type == SW_EV_STOP && !st))
		return 0;
	switch (ev->type) {
	case SW_EV_LOST:
		return put_lost(out, ev, em->charset);
	case SW_EV_RESYNC:
		return sw_buf_printf(out, " table rebuilt from /proc: +%u -%u, %u reparented, %u tracked",
				     ev->u.resync.added, ev->u.resync.removed,
				     ev->u.resync.reparented, ev->u.resync.tracked);
	case SW_EV_START:
		return put_start(em, out, ev);
	case SW_EV_STOP:
		return sw_buf_printf(out, " %" PRIu64 " lines, %" PRIu64 " events lost, %" PRIu64
				     " frames rejected, %u tracked",
				     st->emitted, st->lost, st->rejected, st->tracked);
	default:
		return 0;
	}
}

/* net=tcp:192.0.2.4:4444 via=pipe:4711, an IPv6 peer in brackets. */
static int put_net(struct sw_buf *out, const struct sw_event *ev,
		   enum sw_text_charset cs)
{
	const char *via = sw_net_via_name(ev->net.via);
	bool v6 = strchr(ev->net.peer, ':') != NULL;
	int r = sw_buf_printf(out, " net=%s:%s", ev->net.udp ? "udp" : "tcp", v6 ? "[" : "");

	r = r ? r : put_str(out, ev->net.peer, cs);
	r = r ? r : sw_buf_printf(out, "%s:%u via=%s", v6 ? "]" : "", ev->net.port,
				  via ? via : "stdio");
	return r || !ev->net.holder ? r : sw_buf_printf(out, ":%d", ev->net.holder);
}

static int put_tags(struct sw_buf *out, const struct sw_event *ev,
		    enum sw_text_charset cs)
{
	int r = 0;

	for (unsigned i = 0; r == 0 && i < ev->n_tags; i++) {
		r = sw_buf_puts(out, i ? "," : " [");
		r = r ? r : put_str(out, ev->tags[i], cs);
	}
	return r == 0 && ev->n_tags ? sw_buf_putc(out, ']') : r;
}

static int text_format(struct sw_emit *em, const struct sw_event *ev,
		       struct sw_buf *out)
{
	char ts[64];
	int r;

	sw_emit_clock(em, ev->ktime_ns, ts, sizeof(ts));
	r = sw_buf_printf(out, "%s %s%-8s%s", ts,
			  em->color ? color_of(ev) : "", sw_event_name(ev->type),
			  em->color ? C_RESET : "");
	if (r == 0 && sw_event_is_process(ev->type))
		r = put_process(out, ev, em->charset);
	else if (r == 0)
		r = put_meta(em, out, ev);
	/* On a process line only, as in json. */
	if (r == 0 && sw_event_is_process(ev->type) && (ev->have & SW_HAVE_NET))
		r = put_net(out, ev, em->charset);
	r = r ? r : put_tags(out, ev, em->charset);
	return r ? r : sw_buf_putc(out, '\n');
}

const struct sw_emitter_ops sw_emit_text_ops = {
	.name = "text",
	.flags = SW_EMIT_F_FOREST_TEXT,
	.format = text_format,
};
