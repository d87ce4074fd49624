/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/cn_proc.h>

#include "clock.h"
#include "decode.h"
#include "detect.h"
#include "emit.h"
#include "enrich.h"
#include "filter.h"
#include "forest.h"
#include "lineage.h"
#include "loss.h"
#include "nlsrc.h"
#include "privdrop.h"
#include "run.h"
#include "sink.h"
#include "stats.h"
#include "watch.h"

#define ACK_TIMEOUT_MS 2000
#define RECV_ROUNDS 16		/* batches per wakeup before output */
#define BATCH_EVENTS (2 * SW_NLSRC_BATCH)
#define KEEP_EXECS 32		/* execs per batch enriched up front */
#define FLUSH_BYTES (64u << 10)
#define STASH_MAX (64u << 20)
#define LAT_PENDING 1024	/* lines awaiting their write, timed */
#define BELL_ACK_MS 300
#define BELL_RCVBUF (1u << 20)
#define RATE_WINDOW_NS (100 * 1000000ull)
#define BUSY_EVENTS 100		/* per window: from here on, batch */
#define BATCH_NS (10 * 1000000ull)	/* under load, read the socket this often */
#define BELL_BUDGET 500		/* exec wakeups per window, at most */

struct watch {
	const struct sw_opts *opts;
	struct sw_error *err;
	struct sw_nlsrc *src;
	struct sw_nlsrc *bell;		/* exec events only: reads /proc at once */
	struct sw_emit em;
	struct sw_sink *sink;		/* stdout, --output, --syslog, --journal */
	struct sw_lineage *lin;
	struct sw_users *users;
	struct sw_enrich *enrich;
	struct sw_stats stats;
	struct sw_detect_ctx dctx;	/* rules, table, clock */
	struct sw_alerts *alerts;	/* aggregate anomalies raised */
	struct sw_loss loss;
	struct sw_filter filter;
	struct sw_event ev;		/* decode target, reused */
	struct sw_event meta;		/* lost/resync/start/stop lines */
	struct sw_buf stash;		/* datagrams received before the scan */
	struct sw_nlsrc_batch batch;
	struct sw_event *evs;		/* decoded, not yet processed */
	unsigned nev;
	unsigned order[BATCH_EVENTS];	/* evs in time order */
	struct sw_buf keep;		/* strings read for the batch's execs */
	int procfd;
	int sigfd;
	uint32_t ack;
	bool acked;
	uint32_t want_ack;		/* the ack being waited for */
	bool busy;			/* batching: the socket is read on a timer */
	uint64_t next_drain;		/* when busy */
	uint64_t window_start;		/* of the rate window */
	uint64_t window_events;		/* datagrams read in it */
	unsigned window_bells;		/* wakeups by the exec socket in it */
	uint32_t ack_err;
	bool stop;
	bool final_drain;		/* on SIGINT/TERM: what is queued first */
	bool write_failed;
	bool resync_pending;
	uint64_t last_resync;
	uint64_t events_out;		/* kernel events written, for --count */
	uint64_t next_tick;
	bool live_status;		/* --stats with stderr on a terminal */
	uint64_t status_events, status_ns;	/* at the last status line */
	uint64_t deadline;
	pid_t child;			/* -- COMMAND */
	int child_status;
	bool child_reaped;
	bool child_exit_seen;
	uint64_t child_deadline;	/* give up waiting for its exit event */
	unsigned n_lat;
	uint64_t lat_kt[LAT_PENDING];	/* kernel times of pending lines */
	unsigned char rbuf[SW_NLSRC_SLOT];
};

static int fail(struct watch *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct watch *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->err->msg, sizeof(w->err->msg), fmt, ap);
	va_end(ap);
	return 1;
}

static void emit(struct watch *w, struct sw_event *ev);

/* Lines the destination could not take (syslog), told once it takes more. */
static void report_sink_loss(struct watch *w)
{
	struct sw_event ev;

	sw_event_reset(&ev, SW_EV_LOST);
	if (!sw_sink_take_lost(w->sink, &ev.u.lost.count, &ev.u.lost.reason))
		return;
	ev.ktime_ns = sw_clock_now();
	emit(w, &ev);
}

static void flush(struct watch *w)
{
	int r;

	if (w->write_failed)
		return;
	r = sw_sink_flush(w->sink);
	if (r >= 0 && w->n_lat) {
		uint64_t now = sw_clock_now();

		for (unsigned i = 0; i < w->n_lat; i++)
			sw_latency_add(&w->stats.latency, now > w->lat_kt[i]
				       ? (now - w->lat_kt[i]) / 1000 : 0);
	}
	w->n_lat = 0;
	if (r == -EPIPE) {
		w->stop = true;		/* the reader left: a normal end */
		w->write_failed = true;
	} else if (r < 0) {
		w->stop = true;
		w->write_failed = true;
		fail(w, "cannot write %s: %s", sw_sink_name(w->sink), strerror(-r));
	} else if (!w->stop) {
		report_sink_loss(w);	/* when stopping, emit_stop does */
	}
}

static void emit(struct watch *w, struct sw_event *ev)
{
	bool counted = ev->type < SW_EV_SELECTABLE && w->opts->count;

	if (w->write_failed || (counted && w->events_out >= w->opts->count))
		return;
	if (sw_sink_event(w->sink, &w->em, ev) < 0)
		return;
	w->stats.emitted++;
	if (ev->type < SW_EV_KERNEL_KINDS && w->n_lat < LAT_PENDING)
		w->lat_kt[w->n_lat++] = ev->ktime_ns;
	if (counted && ++w->events_out >= w->opts->count)
		w->stop = true;
	if (sw_sink_pending(w->sink) >= FLUSH_BYTES || w->n_lat == LAT_PENDING)
		flush(w);
}

static struct sw_event *meta(struct watch *w, enum sw_ev_type type)
{
	sw_event_reset(&w->meta, type);
	w->meta.ktime_ns = sw_clock_now();
	return &w->meta;
}

/* Reports what the loss detectors know and earlier reports did not say. */
static void report_loss(struct watch *w, const char *reason, bool always)
{
	uint64_t n = sw_loss_take(&w->loss);
	struct sw_event *ev;

	if (n == 0 && !always)
		return;
	ev = meta(w, SW_EV_LOST);
	ev->u.lost.count = n ? (int64_t)n : -1;
	ev->u.lost.reason = reason;
	w->stats.lost += n;
	w->resync_pending = true;
	emit(w, ev);
}

static void read_drops(struct watch *w)
{
	uint64_t drops;

	if (sw_nlsrc_drops(w->src, &drops) == 0) {
		sw_loss_drops(&w->loss, drops);
		w->stats.lost_drops = w->loss.drops;
	}
}

/* --pid, -- COMMAND, --comm and --user, for process events. */
static void on_event(struct watch *w, struct sw_event *ev)
{
	uint32_t gap = sw_loss_seq(&w->loss, ev->cpu, ev->seq);

	if (gap) {
		w->stats.lost_seq += gap;
		report_loss(w, "seq_gap", false);
	}
	if (ev->type == SW_EV_ACK) {
		if (ev->u.ack.ack == w->ack + 1) {
			w->acked = true;
			w->ack_err = ev->u.ack.err;
		}
		return;
	}
	w->stats.received[ev->type]++;
	if (ev->type == SW_EV_EXEC && !ev->enriched)
		sw_enrich_exec(w->enrich, ev, NULL, false);
	else if (ev->type == SW_EV_UID)
		sw_enrich_uid(w->enrich, ev);
	sw_lineage_apply(w->lin, ev);
	sw_detect_event(&w->dctx, ev);
	if (w->child && ev->pid == w->child && !ev->thread) {
		if (ev->type == SW_EV_FORK) {
			sw_lineage_mark_subtree(w->lin, w->child);
			ev->marked = true;
		} else if (ev->type == SW_EV_EXIT) {
			w->child_exit_seen = true;
		}
	}
	if (sw_filter_wanted(&w->filter, ev))
		emit(w, ev);
	if (ev->type == SW_EV_EXIT)
		while (sw_lineage_pop_reparent(w->lin, &w->meta)) {
			sw_detect_event(&w->dctx, &w->meta);
			if (sw_filter_wanted(&w->filter, &w->meta))
				emit(w, &w->meta);
		}
}

/*
 * The kernel orders events per CPU only: put the batch in time order
 * (stable, so each CPU's sequence stays as it came).
 */
static void sort_batch(struct watch *w)
{
	for (unsigned i = 0; i < w->nev; i++) {
		unsigned k = w->order[i] = i, j = i;

		while (j > 0 && w->evs[w->order[j - 1]].ktime_ns > w->evs[k].ktime_ns) {
			w->order[j] = w->order[j - 1];
			j--;
		}
		w->order[j] = k;
	}
}

/* True when the batch holds a later exec of the same process. */
static bool exec_again(const struct watch *w, unsigned pos)
{
	const struct sw_event *ev = &w->evs[w->order[pos]];

	for (unsigned i = pos + 1; i < w->nev; i++) {
		const struct sw_event *later = &w->evs[w->order[i]];

		if (later->type == SW_EV_EXEC && later->pid == ev->pid)
			return true;
	}
	return false;
}

/*
 * The exec'ing process was in no container: the table says so of it, or of
 * the parent whose fork of it is earlier in this batch (not yet applied).
 */
static bool no_container(struct watch *w, unsigned pos)
{
	const struct sw_event *ev = &w->evs[w->order[pos]];
	const struct sw_proc *p;

	for (unsigned i = pos; i-- > 0;) {
		const struct sw_event *f = &w->evs[w->order[i]];

		if (f->type == SW_EV_FORK && !f->thread && f->pid == ev->pid) {
			p = sw_lineage_find(w->lin, f->u.fork.parent_pid);
			return p && !p->exited && !p->cid;
		}
	}
	p = sw_lineage_find(w->lin, ev->pid);
	return p && !p->exited && !p->cid;
}

/*
 * A batch is read whole before anything else is done with it, and /proc is
 * read for all its execs first: a short-lived process must be caught
 * before it exits, not after the lines of the events ahead of it.  What
 * /proc shows belongs to a process's last exec: an earlier exec in the
 * same batch is left without, never given the next program's argv.
 */
static void process_events(struct watch *w)
{
	sort_batch(w);
	w->keep.len = 0;
	for (unsigned i = 0; i < w->nev; i++) {
		struct sw_event *ev = &w->evs[w->order[i]];

		if (ev->type != SW_EV_EXEC)
			continue;
		if (exec_again(w, i))
			ev->enriched = true;
		else if (w->keep.cap - w->keep.len > SW_ENRICH_MAX)
			sw_enrich_exec(w->enrich, ev, &w->keep, no_container(w, i));
	}
	for (unsigned i = 0; i < w->nev; i++)
		on_event(w, &w->evs[w->order[i]]);
	w->nev = 0;
}

static void collect(struct sw_event *ev, void *data)
{
	struct watch *w = data;

	if (w->nev == BATCH_EVENTS)
		process_events(w);
	memcpy(&w->evs[w->nev++], ev, offsetof(struct sw_event, ancestry));
}

static void handle_datagram(struct watch *w, const void *buf, size_t len,
			    uint32_t sender, int flags)
{
	int r = sw_decode_datagram(buf, len, sender, flags, &w->ev, collect, w);

	if (r < 0) {
		w->stats.rejected++;
		w->stats.rejected_by[-r - 1]++;
	}
}

static void on_enobufs(struct watch *w)
{
	w->stats.lost_episodes++;
	read_drops(w);
	report_loss(w, "enobufs", true);
}

/* Reads until the socket is empty or enough is done; 1 when empty. */
static int drain(struct watch *w)
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
			fail(w, "cannot read the proc connector: %s", strerror(-n));
			return -1;
		}
		w->window_events += b->n;
		for (unsigned j = 0; j < b->n; j++)
			handle_datagram(w, b->buf[j], b->len[j], b->sender[j],
					b->flags[j]);
		process_events(w);
		/* Short of a full batch: it was empty (what comes later
		 * wakes poll again), without one more call to learn it. */
		if (b->n < SW_NLSRC_BATCH)
			return 1;
	}
	return 0;
}

static int scan_proc(struct watch *w, struct sw_scan_counts *c)
{
	return sw_lineage_scan(w->lin, w->procfd, &w->enrich->snap,
			       sw_clock_now(), c);
}

static void resync(struct watch *w)
{
	struct sw_scan_counts c;
	struct sw_event *ev;

	w->resync_pending = false;
	w->last_resync = sw_clock_now();
	if (scan_proc(w, &c) < 0)
		return;
	w->stats.resyncs++;
	ev = meta(w, SW_EV_RESYNC);
	ev->u.resync.added = c.added;
	ev->u.resync.removed = c.removed;
	ev->u.resync.reparented = c.reparented;
	ev->u.resync.tracked = sw_lineage_count(w->lin);
	emit(w, ev);
}

static void emit_anomaly(struct sw_event *ev, void *data)
{
	struct watch *w = data;

	w->stats.anomalies++;
	if (sw_filter_selected(&w->filter, ev))
		emit(w, ev);
}

/*
 * --stats on a terminal: one line on stderr, rewritten each second, so that
 * whoever watches a storm sees the rate and the loss as they happen.
 */
static void show_status(struct watch *w, uint64_t now)
{
	uint64_t events = 0;
	double s = w->status_ns ? (double)(now - w->status_ns) / 1e9 : 0;

	for (int t = 0; t < SW_EV_KERNEL_KINDS; t++)
		events += w->stats.received[t];
	fprintf(stderr, "\r\033[Kspawnwatch: %.0f events/s, %" PRIu64 " lost, %u tracked, "
		"%" PRIu64 " anomal%s", s > 0 ? (double)(events - w->status_events) / s : 0.0,
		w->stats.lost, w->stats.tracked, w->stats.anomalies,
		w->stats.anomalies == 1 ? "y" : "ies");
	fflush(stderr);
	w->status_events = events;
	w->status_ns = now;
}

static void tick(struct watch *w, uint64_t now)
{
	w->next_tick = now + SW_NSEC;
	sw_emit_sync_clock(&w->em);
	w->dctx.realtime_offset_ns = w->em.realtime_offset_ns;
	read_drops(w);
	report_loss(w, "drops", false);
	sw_lineage_sweep(w->lin, now, true);
	sw_detect_tick(&w->dctx, w->alerts, now, &w->meta, emit_anomaly, w);
	sw_lineage_expire(w->lin, now);
	if (w->live_status)
		show_status(w, now);
}

/* SIGUSR1: the table as a forest, on stderr, in one write. */
static void dump_forest(struct watch *w)
{
	struct sw_buf b = { 0 };

	sw_lineage_sweep(w->lin, sw_clock_now(), true);
	if (sw_forest_format(w->lin, w->users, w->procfd, w->dctx.r, NULL, 0,
			     w->em.ops->flags & SW_EMIT_F_FOREST_JSON, &b) == 0 && b.len) {
		size_t done = 0;

		while (done < b.len) {
			ssize_t n = write(STDERR_FILENO, b.data + done, b.len - done);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			done += (size_t)n;
		}
	}
	sw_buf_free(&b);
}

/* The command ended: stop once its exit event is out (or after 1 s). */
static void on_child(struct watch *w)
{
	if (!w->child || w->child_reaped)
		return;
	if (sw_run_reap(w->child, &w->child_status) == 1) {
		w->child_reaped = true;
		w->child_deadline = sw_clock_now() + SW_NSEC;
	}
}

static void on_signal(struct watch *w)
{
	struct signalfd_siginfo si;

	while (read(w->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGUSR1) {
			dump_forest(w);
		} else if (si.ssi_signo == SIGCHLD) {
			on_child(w);
		} else if (si.ssi_signo == SIGHUP) {
			int r = sw_sink_reopen(w->sink);

			if (r < 0 && r != -EPIPE) {
				w->stop = true;
				w->write_failed = true;
				fail(w, "cannot reopen %s: %s", sw_sink_name(w->sink),
				     strerror(-r));
			}
		} else {
			w->stop = true;
			w->final_drain = true;
		}
	}
}

static struct timespec poll_timeout(const struct watch *w, uint64_t now)
{
	uint64_t until = w->next_tick, d;

	if (w->deadline && w->deadline < until)
		until = w->deadline;
	if (w->child_reaped && w->child_deadline < until)
		until = w->child_deadline;
	if (w->busy && w->next_drain < until)
		until = w->next_drain;
	d = until <= now ? 0 : until - now;
	return (struct timespec){ .tv_sec = (time_t)(d / SW_NSEC),
				  .tv_nsec = (long)(d % SW_NSEC) };
}

/*
 * Quiet, every event wakes spawnwatch and its line is out at once.  Past
 * BUSY_EVENTS per RATE_WINDOW_NS, the socket is read every BATCH_NS
 * instead, many events per wakeup, since wakeups are what a storm costs;
 * the exec-only socket still wakes it at each exec, so that /proc is read
 * while the process lives.  Without that socket (kernels before 6.6) every
 * event wakes it, as before.
 */
static void pace(struct watch *w, uint64_t now, int empty, bool timed)
{
	if (now - w->window_start >= RATE_WINDOW_NS) {
		bool was = w->busy;

		w->busy = w->bell && w->window_events >= BUSY_EVENTS;
		w->window_start = now;
		w->window_events = 0;
		w->window_bells = 0;
		if (w->busy && !was)
			timed = true;
	}
	if (empty != 1)
		w->next_drain = now;	/* more queued than a wakeup takes */
	else if (timed)
		w->next_drain = now + BATCH_NS;	/* an exec's drain keeps the beat */
}

static int loop(struct watch *w)
{
	struct pollfd pfd[3] = {
		{ .fd = sw_nlsrc_fd(w->src), .events = POLLIN },
		{ .fd = w->sigfd, .events = POLLIN },
		{ .fd = w->bell ? sw_nlsrc_fd(w->bell) : -1, .events = POLLIN },
	};
	bool sealed = false;

	w->window_start = sw_clock_now();
	while (!w->stop) {
		uint64_t now = sw_clock_now();
		struct timespec ts = poll_timeout(w, now);
		bool due, timed;
		int empty = 0;

		/* Busy, the main socket is read on time, not on each event
		 * (an overflow is then seen at the next read, within 10 ms). */
		pfd[0].fd = w->busy ? -1 : sw_nlsrc_fd(w->src);
		/* Past its budget, a real-time process must not let an exec
		 * storm keep it awake: the rest of the window goes by the
		 * timer alone (some execs then lose the race). */
		pfd[2].fd = w->bell && w->window_bells < BELL_BUDGET ?
			    sw_nlsrc_fd(w->bell) : -1;
		if (ppoll(pfd, 3, &ts, NULL) < 0 && errno != EINTR)
			return fail(w, "poll: %s", strerror(errno));
		w->stats.wakeups++;
		if (pfd[1].revents & POLLIN)
			on_signal(w);
		due = pfd[0].revents & (POLLIN | POLLERR);
		if (pfd[2].revents & (POLLIN | POLLERR)) {
			/* Only a doorbell: the events come on the main socket. */
			int n;

			while ((n = sw_nlsrc_recv_batch(w->bell, &w->batch)) == SW_NLSRC_BATCH ||
			       n == -ENOBUFS)
				;
			w->window_bells++;
			due = true;
		}
		now = sw_clock_now();
		timed = w->busy && now >= w->next_drain;
		due = due || timed;
		if (due && !w->stop) {
			empty = drain(w);
			if (empty < 0)
				return 1;
			now = sw_clock_now();
			sw_lineage_sweep(w->lin, now, false);
			/* The caps hold between ticks too: a storm's exited
			 * processes must not pile up for a second. */
			sw_lineage_expire(w->lin, now);
			pace(w, now, empty, timed);
		}
		if (empty == 1 && !sealed) {
			sw_lineage_seal(w->lin);	/* start-up backlog done */
			sealed = true;
		}
		now = sw_clock_now();
		if (now >= w->next_tick)
			tick(w, now);
		if (w->deadline && now >= w->deadline)
			w->stop = true;
		if (w->child_reaped && (w->child_exit_seen || now >= w->child_deadline))
			w->stop = true;
		if (w->resync_pending && empty == 1 && now >= w->last_resync + SW_NSEC)
			resync(w);
		/* Busy, lines go out on the timer's beat, not at each exec. */
		if (!w->busy || timed || w->stop)
			flush(w);
	}
	if (w->final_drain && !w->write_failed) {
		/* Events the kernel already queued belong to this run. */
		w->stop = false;
		for (int i = 0; i < 64 && drain(w) == 0 && !w->stop; i++)
			;
		flush(w);
	}
	return 0;
}

/* Keeps a datagram that arrived before the /proc scan, to replay after. */
static void stash(struct watch *w, const void *buf, size_t len, uint32_t sender,
		  int flags)
{
	uint32_t hdr[3] = { (uint32_t)len, sender, (uint32_t)flags };

	if (w->stash.len + sizeof(hdr) + len > STASH_MAX) {
		return;		/* counted by the sequence gaps it leaves */
	}
	if (sw_buf_append(&w->stash, hdr, sizeof(hdr)) == 0)
		sw_buf_append(&w->stash, buf, len);
}

static void on_wait_event(struct sw_event *ev, void *data)
{
	struct watch *w = data;

	if (ev->type == SW_EV_ACK && ev->u.ack.ack == w->want_ack) {
		w->acked = true;
		w->ack_err = ev->u.ack.err;
	}
}

/*
 * Waits for the kernel's ack WANT on the main socket (a filtered socket
 * gets no ack: the kernel filters it out as any other event), keeping what
 * arrives meanwhile for after the /proc scan.  1 when it came (w->ack_err
 * tells the answer), 0 after ms, -1 on a read error (w->err set).
 */
static int wait_ack(struct watch *w, uint32_t want, unsigned ms)
{
	uint64_t until = sw_clock_now() + ms * 1000000ull;
	struct pollfd pfd = { .fd = sw_nlsrc_fd(w->src), .events = POLLIN };

	w->want_ack = want;
	w->acked = false;
	w->ack_err = 0;
	while (!w->acked) {
		uint64_t now = sw_clock_now();
		uint32_t sender;
		int flags;
		ssize_t n;

		if (now >= until)
			return 0;
		if (poll(&pfd, 1, (int)((until - now) / 1000000) + 1) < 0 && errno != EINTR)
			return fail(w, "poll: %s", strerror(errno)), -1;
		while ((n = sw_nlsrc_recv(w->src, w->rbuf, sizeof(w->rbuf), &sender,
					  &flags)) != -EAGAIN) {
			if (n == -ENOBUFS) {
				on_enobufs(w);
				continue;
			}
			if (n < 0)
				return fail(w, "cannot read the proc connector: %s",
					    strerror((int)-n)), -1;
			stash(w, w->rbuf, (size_t)n, sender, flags);
			sw_decode_datagram(w->rbuf, (size_t)n, sender, flags, &w->ev,
					   on_wait_event, w);
		}
	}
	return 1;
}

static int ack_error(struct watch *w, uint32_t err)
{
	if (err == EPERM)
		return fail(w, "the kernel refused the process-events subscription: "
			    "this kernel requires root (CAP_NET_ADMIN)");
	return fail(w, "the kernel refused the process-events subscription: %s",
		    strerror((int)err));
}

/* Sends the subscription and waits for the kernel's ack (ours + 1). */
static int subscribe(struct watch *w)
{
	int r;

	if (getrandom(&w->ack, sizeof(w->ack), 0) != sizeof(w->ack))
		w->ack = (uint32_t)getpid() * 2654435761u;
	w->ack |= 1;	/* non-zero */
	r = sw_nlsrc_subscribe(w->src, w->ack, 0);
	if (r == -ECONNREFUSED)
		return fail(w, "the proc connector is not available in this network "
			    "namespace: run spawnwatch on the host");
	if (r < 0)
		return fail(w, "cannot subscribe to process events: %s", strerror(-r));
	r = wait_ack(w, w->ack + 1, ACK_TIMEOUT_MS);
	if (r < 0)
		return 1;
	if (r == 0)
		return fail(w, "the kernel did not confirm the process-events "
			    "subscription within %d s (kernel without "
			    "CONFIG_PROC_EVENTS, or not the host's namespaces)",
			    ACK_TIMEOUT_MS / 1000);
	return w->ack_err ? ack_error(w, w->ack_err) : 0;
}

/* Linux 6.6 and later: kernel-side filtering, so the bell can ring. */
static bool kernel_filters(void)
{
	struct utsname u;
	unsigned major = 0, minor = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 6);
}

/*
 * A second subscription for exec events only, its socket polled even when
 * the main one is read on a timer.  Best effort: without it (an older
 * kernel, a refusal) every event wakes spawnwatch.
 */
static int open_bell(struct watch *w)
{
	enum sw_nl_stage stage;
	uint32_t ack = (w->ack + 0x10000u) | 1;
	int r;

	if (!kernel_filters() || sw_nlsrc_open(BELL_RCVBUF, &w->bell, &stage) < 0)
		return 0;
	if (sw_nlsrc_subscribe(w->bell, ack, PROC_EVENT_EXEC) == 0) {
		r = wait_ack(w, ack + 1, BELL_ACK_MS);
		if (r < 0)
			return 1;
		if (r == 1 && w->ack_err == 0)
			return 0;
	}
	sw_nlsrc_free(w->bell);
	w->bell = NULL;
	return 0;
}

static void replay_stash(struct watch *w)
{
	size_t off = 0;

	while (off + 12 <= w->stash.len) {
		uint32_t hdr[3];

		memcpy(hdr, w->stash.data + off, sizeof(hdr));
		off += sizeof(hdr);
		handle_datagram(w, w->stash.data + off, hdr[0], hdr[1], (int)hdr[2]);
		off += hdr[0];
	}
	process_events(w);
	sw_buf_free(&w->stash);
}

static int open_source(struct watch *w)
{
	enum sw_nl_stage stage;
	int r = sw_nlsrc_open(w->opts->rcvbuf, &w->src, &stage);

	if (r == 0) {
		r = subscribe(w);
		return r ? r : open_bell(w);
	}
	switch (stage) {
	case SW_NL_NAMESPACE:
		return fail(w, "spawnwatch runs in a container (a user or pid namespace "
			    "other than the host's), where the kernel sends no "
			    "process events: run it on the host");
	case SW_NL_SOCKET:
		if (r == -EPROTONOSUPPORT || r == -EAFNOSUPPORT)
			return fail(w, "this kernel has no netlink connector "
				    "(CONFIG_CONNECTOR and CONFIG_PROC_EVENTS are needed)");
		return fail(w, "cannot open a netlink connector socket: %s", strerror(-r));
	default:
		if (r == -EPERM || r == -EACCES)
			return fail(w, "not permitted to listen to process events: "
				    "run as root (or with CAP_NET_ADMIN)");
		return fail(w, "cannot join the process-events group: %s", strerror(-r));
	}
}

/*
 * Where the kernel lets a non-root process subscribe, say once what it
 * cannot do: judged by the capabilities and the buffer it got, not by uid.
 */
static void warn_degraded(const struct watch *w)
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

static void emit_start(struct watch *w)
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
		.mntns = w->dctx.r->escape.host_mntns,
		.pidns = w->dctx.r->escape.host_pidns,
	};
	struct sw_event *ev = meta(w, SW_EV_START);

	ev->start = &si;
	emit(w, ev);
	flush(w);
}

static void emit_stop(struct watch *w)
{
	struct sw_event *ev;

	read_drops(w);
	report_loss(w, "drops", false);
	report_sink_loss(w);
	w->stop = true;		/* the stop line is the last */
	ev = meta(w, SW_EV_STOP);
	ev->stats = &w->stats;
	emit(w, ev);
	flush(w);
}

static int setup_signals(struct watch *w)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	/*
	 * An ignored signal never reaches a signalfd, and a shell starts its
	 * background jobs with SIGINT ignored: take the default back (the
	 * signals are blocked, so it never acts), or kill -INT would be lost.
	 */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	w->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return w->sigfd < 0 ? -errno : 0;
}

/*
 * A short-lived process must still be alive when its exec is read from
 * /proc.  Woken while the machine is busy, a reader at the default priority
 * often runs only once the process has exited: in a fork+exec storm of
 * /bin/true on 2 CPUs, a bare reader got argv for 45% of the execs at nice
 * 0, 93% at nice -5, 99.1% at nice -20, and 99.96% as SCHED_FIFO 1.  So
 * spawnwatch runs as SCHED_FIFO at the lowest real-time priority (what it
 * does per wakeup is bounded, and it sleeps between batches), reset at fork
 * so that a -- COMMAND does not inherit it; with --no-realtime, or where
 * that is refused, at nice -5 as auditd's priority_boost does.  A priority
 * the user set higher is kept.
 */
#define BOOST_NICE -5

/* --run-as, once everything that needs root is done. */
static int drop_privileges(struct watch *w)
{
	const struct sw_opts *o = w->opts;
	int r;

	if (!o->run_as)
		return 0;
	flush(w);
	/* The log stays writable, and SIGHUP reopens it as the new user. */
	if ((r = sw_sink_chown(w->sink, o->run_uid, o->run_gid)) < 0)
		return fail(w, "--run-as: cannot give %s to %s: %s",
			    sw_sink_name(w->sink), o->run_as, strerror(-r));
	if (sw_privdrop(o->run_uid, o->run_gid, w->err->msg, sizeof(w->err->msg)) < 0)
		return 1;
	return 0;
}

static void boost_priority(const struct sw_opts *o)
{
	struct sched_param sp = { .sched_priority = 1 };
	int policy = sched_getscheduler(0);

	if (policy == SCHED_FIFO || policy == SCHED_RR)
		return;		/* set by whoever started it (a unit) */
	if (!o->no_realtime &&
	    sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp) == 0)
		return;
	errno = 0;
	if (getpriority(PRIO_PROCESS, 0) > BOOST_NICE || errno)
		setpriority(PRIO_PROCESS, 0, BOOST_NICE);
}

static int setup(struct watch *w)
{
	struct sw_lineage_conf lc = SW_LINEAGE_STREAM_CONF(w->opts->ancestry, -1);
	bool color = w->opts->color == SW_COLOR_ALWAYS ||
		     (w->opts->color == SW_COLOR_AUTO && !w->opts->output &&
		      isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));

	boost_priority(w->opts);
	sw_loss_init(&w->loss);
	sw_emit_init(&w->em, sw_emit_find(w->opts->format), color);
	if (sw_sink_open(&w->sink, w->opts, w->err->msg, sizeof(w->err->msg)) < 0)
		return 1;
	if (setup_signals(w) < 0)
		return fail(w, "cannot set up signal handling: %s", strerror(errno));
	w->procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->procfd < 0)
		return fail(w, "cannot open /proc: %s", strerror(errno));
	lc.procfd = w->procfd;
	w->users = sw_users_new();
	w->enrich = calloc(1, sizeof(*w->enrich));
	w->evs = calloc(BATCH_EVENTS, sizeof(*w->evs));
	w->lin = w->users ? sw_lineage_new(&lc, &w->stats, w->users) : NULL;
	w->dctx.l = w->lin;
	w->dctx.realtime_offset_ns = w->em.realtime_offset_ns;
	w->alerts = sw_alerts_new();
	if (!w->lin || !w->enrich || !w->evs || !w->alerts ||
	    sw_buf_reserve(&w->keep, KEEP_EXECS * SW_ENRICH_MAX) < 0)
		return fail(w, "out of memory");
	w->enrich->procfd = w->procfd;
	w->enrich->host_mntns = w->dctx.r->escape.host_mntns;
	w->enrich->host_pidns = w->dctx.r->escape.host_pidns;
	w->enrich->stats = &w->stats;
	return 0;
}

static void teardown(struct watch *w)
{
	uint64_t undelivered;

	sw_lineage_free(w->lin);
	sw_alerts_free(w->alerts);
	sw_users_free(w->users);
	free(w->enrich);
	free(w->evs);
	sw_buf_free(&w->keep);
	sw_nlsrc_free(w->bell);
	sw_nlsrc_free(w->src);
	undelivered = sw_sink_close(w->sink);
	if (undelivered)
		fprintf(stderr, "spawnwatch: %" PRIu64 " lines could not be "
			"delivered to %s\n", undelivered, sw_sink_name(w->sink));
	sw_sink_free(w->sink);
	sw_emit_fini(&w->em);
	sw_buf_free(&w->stash);
	if (w->procfd >= 0)
		close(w->procfd);
	if (w->sigfd >= 0)
		close(w->sigfd);
}

#define TOP_SPAWNERS 5

struct top {
	const struct sw_proc *p[TOP_SPAWNERS];
};

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

/* The processes still in the table that forked the most while watched. */
static void print_spawners(struct watch *w)
{
	struct top t = { { NULL } };

	sw_lineage_foreach(w->lin, rank_spawner, &t);
	if (!t.p[0])
		return;
	fprintf(stderr, "spawnwatch: top spawners:");
	for (int i = 0; i < TOP_SPAWNERS && t.p[i]; i++)
		fprintf(stderr, "%s %d %.16s (%" PRIu64 " forks)", i ? "," : "",
			t.p[i]->pid, t.p[i]->comm, t.p[i]->forks);
	fputc('\n', stderr);
}

static void print_stats(struct watch *w)
{
	const struct sw_stats *s = &w->stats;

	fprintf(stderr, "spawnwatch: events:");
	for (int t = 0; t < SW_EV_KERNEL_KINDS; t++)
		fprintf(stderr, " %s %" PRIu64, sw_event_name(t), s->received[t]);
	fprintf(stderr, "\nspawnwatch: %" PRIu64 " lines, %" PRIu64 " lost "
		"(%" PRIu64 " overflows), %" PRIu64 " rejected, %u tracked "
		"(peak %u), %" PRIu64 " evicted\n",
		s->emitted, s->lost, s->lost_episodes, s->rejected, s->tracked,
		s->peak_tracked, s->evicted);
	fprintf(stderr, "spawnwatch: %" PRIu64 " wakeups", s->wakeups);
	if (s->latency.n)
		fprintf(stderr, "; latency from the kernel to the write: median %" PRIu64
			" us, p99 %" PRIu64 " us, max %" PRIu64 " us",
			sw_latency_pct(&s->latency, 0.5), sw_latency_pct(&s->latency, 0.99),
			s->latency.max_us);
	fputc('\n', stderr);
	print_spawners(w);
}

/* --pid: each must be a live process; its descendants follow. */
static int select_subtrees(struct watch *w)
{
	for (unsigned i = 0; i < w->opts->n_pids; i++) {
		struct sw_proc *p = sw_lineage_find(w->lin, w->opts->pids[i]);

		if (!p || p->exited)
			return fail(w, "no process %d", w->opts->pids[i]);
		sw_lineage_mark_subtree(w->lin, p->pid);
	}
	return 0;
}

/* -- COMMAND: started once the subscription is live, so nothing is missed. */
static int start_command(struct watch *w)
{
	pid_t pid;

	if (!w->opts->command)
		return 0;
	pid = sw_run_start(w->opts->command);
	if (pid < 0) {
		fail(w, "cannot run %s: %s", w->opts->command[0], strerror((int)-pid));
		return -pid == ENOENT ? 127 : 126;
	}
	w->child = pid;
	return 0;
}

/* The command's status; if spawnwatch stopped first, it is stopped too. */
static int finish_command(struct watch *w)
{
	if (!w->child_reaped) {
		kill(w->child, SIGTERM);
		while (sw_run_reap(w->child, &w->child_status) == 0)
			poll(NULL, 0, 10);
	}
	return w->child_status;
}

int sw_watch_run(const struct sw_opts *opts, const struct sw_rules *rules,
		 struct sw_error *err)
{
	struct watch *w = calloc(1, sizeof(*w));
	struct sw_scan_counts c;
	int status;

	if (!w) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return 1;
	}
	w->opts = opts;
	w->err = err;
	sw_filter_init(&w->filter, opts);
	w->dctx.r = rules;
	w->procfd = w->sigfd = -1;
	w->live_status = opts->stats && isatty(STDERR_FILENO);
	status = setup(w);
	if (status == 0)
		status = open_source(w);
	if (status == 0)
		warn_degraded(w);
	if (status == 0 && scan_proc(w, &c) < 0)
		status = fail(w, "cannot read /proc: %s", strerror(errno));
	if (status == 0) {
		if (opts->duration > 0)
			w->deadline = sw_clock_now() + (uint64_t)(opts->duration * 1e9);
		w->next_tick = sw_clock_now() + SW_NSEC;
		status = select_subtrees(w);
	}
	if (status == 0) {
		emit_start(w);
		replay_stash(w);
		status = start_command(w);
		if (status == 0)
			status = drop_privileges(w);
		if (status == 0)
			status = loop(w);
		if (!w->write_failed)
			emit_stop(w);
		if (w->write_failed && w->err->msg[0])
			status = 1;
		else if (w->child && status == 0)
			status = finish_command(w);
		if (w->live_status)
			fputs("\r\033[K", stderr);	/* the status line goes */
		if (opts->stats)
			print_stats(w);
	}
	teardown(w);
	free(w);
	return status;
}
