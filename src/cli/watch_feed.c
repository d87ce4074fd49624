/* SPDX-License-Identifier: MIT */
/*
 * The live watch's source side: the netlink subscription, its datagrams
 * decoded into batches for the pipeline, the loss found on the way, the
 * resync after it, and the start and stop lines.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "clock.h"
#include "decode.h"
#include "watch_int.h"

/*
 * After anything that writes: a failed write stops the watch (a reader
 * that left is a normal end), and so does --count once reached.
 */
void sw_watch_check_output(struct watch *w)
{
	int e = sw_pipeline_write_error(w->pl);

	if (!sw_pipeline_done(w->pl))
		return;
	w->stop = true;
	if (e && !w->write_failed) {
		w->write_failed = true;
		if (e != -EPIPE)
			sw_watch_fail(w, "cannot write %s: %s", sw_sink_name(w->sink),
			     strerror(-e));
	}
}

void sw_watch_flush(struct watch *w)
{
	if (!w->write_failed)
		sw_pipeline_flush(w->pl, !w->stop);
	sw_watch_check_output(w);
}

/* Reports what the loss detectors know and earlier reports did not say. */
void sw_watch_report_loss(struct watch *w, const char *reason, bool always)
{
	uint64_t n = sw_loss_take(&w->loss);

	if (n == 0 && !always)
		return;
	w->resync_pending = true;
	sw_pipeline_lost(w->pl, n, reason);
}

void sw_watch_read_drops(struct watch *w)
{
	uint64_t drops;

	if (sw_nlsrc_drops(w->src, &drops) == 0) {
		sw_loss_drops(&w->loss, drops);
	}
}

/* Hook: in time order, the per-CPU sequence gaps. */
void sw_watch_on_before(void *data, struct sw_event *ev)
{
	struct watch *w = data;
	uint32_t gap = sw_loss_seq(&w->loss, ev->cpu, ev->seq);

	if (gap)
		sw_watch_report_loss(w, "seq_gap", false);
}

/* Hook: -- COMMAND's subtree is marked at its fork; its exit ends the watch. */
void sw_watch_on_judged(void *data, struct sw_event *ev)
{
	struct watch *w = data;

	if (!w->child || ev->pid != w->child || ev->thread)
		return;
	if (ev->type == SW_EV_FORK) {
		sw_lineage_mark_subtree(w->lin, w->child);
		ev->marked = true;
	} else if (ev->type == SW_EV_EXIT) {
		w->child_exit_seen = true;
	}
}

void sw_watch_process(struct watch *w)
{
	sw_pipeline_batch(w->pl, w->evs, w->nev);
	w->nev = 0;
	sw_watch_check_output(w);
}

static void collect(struct sw_event *ev, void *data)
{
	struct watch *w = data;

	if (w->nev == BATCH_EVENTS)
		sw_watch_process(w);
	memcpy(&w->evs[w->nev++], ev, offsetof(struct sw_event, ancestry));
}

static void handle_datagram(struct watch *w, const void *buf, size_t len,
			    uint32_t sender, int flags)
{
	int r = sw_decode_datagram(buf, len, sender, flags, &w->ev, collect, w);

	if (r < 0) {
		w->rejected++;
		w->rejected_by[-r - 1]++;
	}
}

static void on_enobufs(struct watch *w)
{
	sw_loss_overflow(&w->loss);
	sw_watch_read_drops(w);
	sw_watch_report_loss(w, "enobufs", true);
}

/* Reads until the socket is empty or enough is done; 1 when empty. */
int sw_watch_drain(struct watch *w)
{
	struct sw_nlsrc_batch *b = &w->batch;

	for (int i = 0; i < RECV_ROUNDS && !w->stop; i++) {
		int n = sw_nlsrc_recv_batch(w->src, b);

		if (n == -EAGAIN)
			return 1;
		if (n == -ENOBUFS) {
			on_enobufs(w);
			continue;
		}
		if (n < 0) {
			w->stop = true;
			sw_watch_fail(w, "cannot read the proc connector: %s", strerror(-n));
			return -1;
		}
		w->window_events += b->n;
		for (unsigned j = 0; j < b->n; j++)
			handle_datagram(w, b->buf[j], b->len[j], b->sender[j],
					b->flags[j]);
		sw_watch_process(w);
		/* Short of a full batch: it was empty (what comes later
		 * wakes poll again), without one more call to learn it. */
		if (b->n < SW_NLSRC_BATCH)
			return 1;
	}
	return 0;
}

int sw_watch_scan(struct watch *w, struct sw_scan_counts *c)
{
	return sw_lineage_scan(w->lin, w->enrich->reader, sw_clock_now(), c);
}

void sw_watch_resync(struct watch *w)
{
	struct sw_scan_counts c;
	struct sw_event *ev;

	w->resync_pending = false;
	w->last_resync = sw_clock_now();
	if (sw_watch_scan(w, &c) < 0)
		return;
	w->resyncs++;
	ev = sw_pipeline_meta_event(w->pl, SW_EV_RESYNC);
	ev->u.resync.added = c.added;
	ev->u.resync.removed = c.removed;
	ev->u.resync.reparented = c.reparented;
	ev->u.resync.tracked = sw_lineage_count(w->lin);
	sw_pipeline_meta(w->pl, ev);
}

static void on_overflow(void *data)
{
	on_enobufs(data);
}

static void stashed(const void *buf, size_t len, uint32_t sender, int flags,
		    void *data)
{
	handle_datagram(data, buf, len, sender, flags);
}

/* One line for why the subscription failed (err: a positive errno). */
static int source_error(struct watch *w, enum sw_nl_stage stage, int err)
{
	const char *why = strerror(err);

	switch (stage) {
	case SW_NL_NAMESPACE:
		return sw_watch_fail(w, "spawnwatch runs in a container (a user or "
				     "pid namespace other than the host's), where the "
				     "kernel sends no process events: run it on the host");
	case SW_NL_SOCKET:
		if (err == EPROTONOSUPPORT || err == EAFNOSUPPORT)
			return sw_watch_fail(w, "this kernel has no netlink connector "
					     "(CONFIG_CONNECTOR and CONFIG_PROC_EVENTS "
					     "are needed)");
		return sw_watch_fail(w, "cannot open a netlink connector socket: %s", why);
	case SW_NL_BIND:
		if (err == EPERM || err == EACCES)
			return sw_watch_fail(w, "not permitted to listen to process events: "
					     "run as root (or with CAP_NET_ADMIN)");
		return sw_watch_fail(w, "cannot join the process-events group: %s", why);
	case SW_NL_SUBSCRIBE:
		if (err == ECONNREFUSED)
			return sw_watch_fail(w, "the proc connector is not available in "
					     "this network namespace: run spawnwatch "
					     "on the host");
		return sw_watch_fail(w, "cannot subscribe to process events: %s", why);
	case SW_NL_ACK_TIMEOUT:
		return sw_watch_fail(w, "the kernel did not confirm the process-events "
				     "subscription within %d s (kernel without "
				     "CONFIG_PROC_EVENTS, or not the host's namespaces)",
				     SW_NLSUB_ACK_MS / 1000);
	case SW_NL_ACK_ERROR:
		if (err == EPERM)
			return sw_watch_fail(w, "the kernel refused the process-events "
					     "subscription: this kernel requires root "
					     "(CAP_NET_ADMIN)");
		return sw_watch_fail(w, "the kernel refused the process-events "
				     "subscription: %s", why);
	case SW_NL_POLL:
		return sw_watch_fail(w, "poll: %s", why);
	default:
		return sw_watch_fail(w, "cannot read the proc connector: %s", why);
	}
}

/* What arrived while subscribing, once the table is seeded. */
void sw_watch_replay_stash(struct watch *w)
{
	sw_nlsub_take_stash(w->sub, stashed, w);
	sw_watch_process(w);
}

int sw_watch_open_source(struct watch *w)
{
	struct sw_nlsub_conf nc = {
		.rcvbuf = w->opts->rcvbuf, .overflow = on_overflow, .data = w,
	};
	enum sw_nl_stage stage;
	int r = sw_nlsub_open(&nc, &w->sub, &stage);

	if (r == 0) {
		w->src = sw_nlsub_events(w->sub);
		w->bell = sw_nlsub_bell(w->sub);
		return 0;
	}
	return source_error(w, stage, -r);
}

void sw_watch_start_line(struct watch *w)
{
	static struct utsname uts;
	struct sw_start_info si = {
		.version = PACKAGE_VERSION,
		.kernel = uname(&uts) == 0 ? uts.release : "unknown",
		.events = w->opts->events,
		.threads = w->opts->threads,
		.nonzero_exit = w->opts->nonzero_exit,
		.tracked = sw_lineage_count(w->lin),
		.rcvbuf = sw_nlsrc_rcvbuf(w->src),
		.mntns = w->host.mntns,
		.pidns = w->host.pidns,
	};
	struct sw_event *ev = sw_pipeline_meta_event(w->pl, SW_EV_START);

	ev->start = &si;
	sw_pipeline_meta(w->pl, ev);
	sw_watch_flush(w);
}

void sw_watch_gather(struct watch *w)
{
	struct sw_stats *s = sw_pipeline_stats(w->pl);	/* gathers the stages' */

	s->lost_episodes = w->loss.overflows;
	s->lost_seq = w->loss.seq_lost;
	s->lost_drops = w->loss.drops;
	s->rejected = w->rejected;
	memcpy(s->rejected_by, w->rejected_by, sizeof(s->rejected_by));
	s->resyncs = w->resyncs;
	s->wakeups = w->wakeups;
	s->reopen_failed = w->reopen_failed;
	s->paced = w->pace.paced;
	s->n_paced_top = sw_pace_top(&w->pace, s->paced_top, SW_PACED_TOP);
}

void sw_watch_stop_line(struct watch *w)
{
	sw_watch_read_drops(w);
	sw_watch_report_loss(w, "drops", false);
	w->stop = true;		/* the stop line is the last */
	sw_watch_gather(w);
	sw_pipeline_stop(w->pl, sw_pipeline_meta_event(w->pl, SW_EV_STOP));
	sw_watch_check_output(w);
}
