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

static int put_command(struct sw_buf *out, const struct sw_event *ev)
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
				r = sw_text_shell_quote(out, ev->argv + i, n);
			i += n + 1;
		}
		if (r == 0 && (ev->cut & SW_HAVE_ARGV))
			r = sw_buf_printf(out, " [argv cut: %zu bytes]",
					  sw_event_argv_size(ev));
		return r;
	}
	if (ev->have & SW_HAVE_COMM) {
		r = sw_buf_putc(out, '[');
		if (r == 0)
			r = sw_text_shell_quote(out, ev->comm, strlen(ev->comm));
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
		r = sw_buf_printf(out, " after %.3fs", ev->duration_s);
	return r;
}

static int put_change(struct sw_buf *out, const struct sw_event *ev)
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
			r = r ? r : sw_text_shell_quote(out, ev->u.ptrace.tracer_comm,
						       strlen(ev->u.ptrace.tracer_comm));
		}
		return r;
	case SW_EV_COMM:
		r = sw_buf_puts(out, " renamed ");
		if (r == 0 && ev->u.comm.have_prev) {
			r = sw_text_shell_quote(out, ev->u.comm.prev, strlen(ev->u.comm.prev));
			r = r ? r : sw_buf_puts(out, " -> ");
		}
		return r ? r : sw_text_shell_quote(out, ev->u.comm.comm,
						   strlen(ev->u.comm.comm));
	case SW_EV_COREDUMP:
		return sw_buf_puts(out, " dumping core");
	case SW_EV_REPARENT:
		return sw_buf_printf(out, " adopted by %d (parent %d exited)",
				     ev->ppid, ev->u.reparent.prev_ppid);
	case SW_EV_ANOMALY:
		return sw_buf_printf(out, " %s: %u (threshold %u), oldest %.1fs",
				     ev->u.anomaly.tag, ev->u.anomaly.count,
				     ev->u.anomaly.threshold, ev->u.anomaly.oldest_s);
	default:
		return 0;
	}
}

static int put_process(struct sw_buf *out, const struct sw_event *ev)
{
	char ppid[16] = "-";
	int r;

	if (ev->have & SW_HAVE_PPID)
		snprintf(ppid, sizeof(ppid), "%d", ev->ppid);
	r = sw_buf_printf(out, " %7d %7s ", ev->pid, ppid);
	if (r == 0 && ev->user)
		r = sw_text_shell_quote(out, ev->user, strlen(ev->user));
	else if (r == 0 && (ev->have & SW_HAVE_CREDS))
		r = sw_buf_printf(out, "%" PRIu32, ev->euid);
	else if (r == 0)
		r = sw_buf_putc(out, '-');
	r = r ? r : sw_buf_putc(out, ' ');
	r = r ? r : put_command(out, ev);
	return r ? r : put_change(out, ev);
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
		if (ev->u.lost.count < 0)
			return sw_buf_printf(out, " events lost (%s), count unknown",
					     ev->u.lost.reason);
		return sw_buf_printf(out, " %" PRId64 " events lost (%s)",
				     ev->u.lost.count, ev->u.lost.reason);
	case SW_EV_RESYNC:
		return sw_buf_printf(out, " table rebuilt from /proc: +%u -%u, %u reparented, %u tracked",
				     ev->u.resync.added, ev->u.resync.removed,
				     ev->u.resync.reparented, ev->u.resync.tracked);
	case SW_EV_START:
		return sw_buf_printf(out, " spawnwatch %s on %s (kernel %s), %u processes tracked",
				     ev->start->version, em->host,
				     ev->start->kernel, ev->start->tracked);
	case SW_EV_STOP:
		return sw_buf_printf(out, " %" PRIu64 " lines, %" PRIu64 " events lost, %" PRIu64
				     " frames rejected, %u tracked",
				     st->emitted, st->lost, st->rejected, st->tracked);
	default:
		return 0;
	}
}

static int put_tags(struct sw_buf *out, const struct sw_event *ev)
{
	int r = 0;

	for (unsigned i = 0; r == 0 && i < ev->n_tags; i++)
		r = sw_buf_printf(out, "%s%s", i ? "," : " [", ev->tags[i]);
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
	if (r == 0 && (ev->type < SW_EV_KERNEL_KINDS || ev->type == SW_EV_REPARENT ||
		       ev->type == SW_EV_ANOMALY))
		r = put_process(out, ev);
	else if (r == 0)
		r = put_meta(em, out, ev);
	r = r ? r : put_tags(out, ev);
	return r ? r : sw_buf_putc(out, '\n');
}

const struct sw_emitter_ops sw_emit_text_ops = {
	.name = "text",
	.flags = SW_EMIT_F_FOREST_TEXT,
	.format = text_format,
};
