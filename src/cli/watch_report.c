/* SPDX-License-Identifier: MIT */
/* What the live watch says on stderr: --stats, its status line, warnings. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/capability.h>

#include "privdrop.h"
#include "text.h"
#include "watch_int.h"

#define TOP_SPAWNERS 5

struct top {
	const struct sw_proc *p[TOP_SPAWNERS];
};

/*
 * --stats on a terminal: one line on stderr, rewritten each second, so that
 * whoever watches a storm sees the rate and the loss as they happen.
 */
void sw_watch_show_status(struct watch *w, uint64_t now)
{
	uint64_t events = 0;
	double s = w->status_ns ? (double)(now - w->status_ns) / 1e9 : 0;

	sw_watch_gather(w);
	for (int t = 0; t < SW_EV_KERNEL_KINDS; t++)
		events += w->stats->received[t];
	fprintf(stderr, "\r\033[Kspawnwatch: %.0f events/s, %" PRIu64 " lost, %u tracked, "
		"%" PRIu64 " anomal%s", s > 0 ? (double)(events - w->status_events) / s : 0.0,
		w->stats->lost, w->stats->tracked, w->stats->anomalies,
		w->stats->anomalies == 1 ? "y" : "ies");
	fflush(stderr);
	w->status_events = events;
	w->status_ns = now;
}

/*
 * Where the kernel lets a non-root process subscribe, say once what it
 * cannot do: judged by the capabilities and the buffer it got, not by uid.
 */
void sw_watch_warn_degraded(const struct watch *w)
{
	char msg[512];
	size_t asked;
	long got;

	if (w->opts->quiet)
		return;
	sw_nlsrc_rcvbuf_sizes(w->src, &asked, &got);
	if (sw_privdrop_degraded(msg, sizeof(msg), geteuid() == 0,
				 sw_privdrop_has_cap(CAP_SYS_PTRACE), asked, got) > 0)
		fprintf(stderr, "spawnwatch: %s\n", msg);
}

/* A SIGHUP that kept the old file: once, until a reopen succeeds. */
void sw_watch_warn_reopen(struct watch *w, const char *why)
{
	if (w->reopen_warned || w->opts->quiet)
		return;
	w->reopen_warned = true;
	fprintf(stderr, "spawnwatch: %s; still writing to the file already open\n",
		why);
}

static void rank_spawner(struct sw_proc *p, void *data)
{
	struct top *t = data;
	int i = TOP_SPAWNERS - 1;

	if (!p->forks || (t->p[i] && t->p[i]->forks >= p->forks))
		return;
	for (; i > 0 && (!t->p[i - 1] || t->p[i - 1]->forks < p->forks); i--)
		t->p[i] = t->p[i - 1];
	t->p[i] = p;
}

/*
 * The processes still in the table that forked the most while watched,
 * their comm quoted as text output quotes it: it is theirs to choose.
 */
static void print_spawners(struct watch *w)
{
	struct top t = { { NULL } };
	struct sw_buf b = { 0 };
	int r = 0;

	sw_lineage_foreach(w->lin, rank_spawner, &t);
	if (!t.p[0])
		return;
	r = sw_buf_puts(&b, "spawnwatch: top spawners:");
	for (int i = 0; r == 0 && i < TOP_SPAWNERS && t.p[i]; i++) {
		const struct sw_proc *p = t.p[i];

		r = sw_buf_printf(&b, "%s %d ", i ? "," : "", p->pid);
		r = r ? r : sw_text_shell_quote(&b, p->comm,
						strnlen(p->comm, sizeof(p->comm)),
						w->opts->charset);
		r = r ? r : sw_buf_printf(&b, " (%" PRIu64 " forks)", p->forks);
	}
	if (r == 0)
		fprintf(stderr, "%s\n", b.data);
	sw_buf_free(&b);
}

void sw_watch_print_stats(struct watch *w)
{
	const struct sw_stats *s = w->stats;

	sw_watch_gather(w);
	fprintf(stderr, "spawnwatch: events:");
	for (int t = 0; t < SW_EV_KERNEL_KINDS; t++)
		fprintf(stderr, " %s %" PRIu64, sw_event_name(t), s->received[t]);
	fprintf(stderr, "\nspawnwatch: %" PRIu64 " lines, %" PRIu64 " lost "
		"(%" PRIu64 " overflows), %" PRIu64 " rejected, %u tracked "
		"(peak %u), %" PRIu64 " evicted\n",
		s->emitted, s->lost, s->lost_episodes, s->rejected, s->tracked,
		s->peak_tracked, s->evicted);
	fprintf(stderr, "spawnwatch: %" PRIu64 " wakeups", s->wakeups);
	if (s->reopen_failed)
		fprintf(stderr, ", %" PRIu64 " failed reopen%s of the output file",
			s->reopen_failed, s->reopen_failed == 1 ? "" : "s");
	if (s->latency.n)
		fprintf(stderr, "; latency from the kernel to the write: median %" PRIu64
			" us, p99 %" PRIu64 " us, max %" PRIu64 " us",
			sw_latency_pct(&s->latency, 0.5), sw_latency_pct(&s->latency, 0.99),
			s->latency.max_us);
	fputc('\n', stderr);
	print_spawners(w);
}
