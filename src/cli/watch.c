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
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/capability.h>

#include "clock.h"
#include "decode.h"
#include "enrich.h"
#include "forest.h"
#include "lineage.h"
#include "loss.h"
#include "nlsrc.h"
#include "nlsub.h"
#include "pipeline.h"
#include "privdrop.h"
#include "run.h"
#include "sink.h"
#include "stats.h"
#include "watch.h"

#define RECV_ROUNDS 16		/* batches per wakeup before output */
#define BATCH_EVENTS (2 * SW_NLSRC_BATCH)
#define RATE_WINDOW_NS (100 * 1000000ull)
#define BUSY_EVENTS 100		/* per window: from here on, batch */
#define BATCH_NS (10 * 1000000ull)	/* under load, read the socket this often */
#define BELL_BUDGET 500		/* exec wakeups per window, at most */

struct watch {
	const struct sw_opts *opts;
	struct sw_error *err;
	struct sw_nlsub *sub;		/* the subscription: */
	struct sw_nlsrc *src;		/* its events, */
	struct sw_nlsrc *bell;		/* its exec-only doorbell, or NULL */
	const struct sw_rules *rules;
	struct sw_sink *sink;		/* stdout, --output, --syslog, --journal */
	struct sw_pipeline *pl;
	struct sw_lineage *lin;		/* the pipeline's */
	struct sw_users *users;		/* the pipeline's */
	struct sw_enrich *enrich;
	struct sw_stats *stats;		/* the pipeline's */
	struct sw_loss loss;
	struct sw_event ev;		/* decode target, reused */
	struct sw_nlsrc_batch batch;
	struct sw_event *evs;		/* decoded, not yet processed */
	unsigned nev;
	int procfd;
	int sigfd;
	bool busy;			/* batching: the socket is read on a timer */
	uint64_t next_drain;		/* when busy */
	uint64_t window_start;		/* of the rate window */
	uint64_t window_events;		/* datagrams read in it */
	unsigned window_bells;		/* wakeups by the exec socket in it */
	bool stop;
	bool final_drain;		/* on SIGINT/TERM: what is queued first */
	bool write_failed;		/* nothing more is written */
	bool resync_pending;
	uint64_t last_resync;
	uint64_t next_tick;
	bool live_status;		/* --stats with stderr on a terminal */
	uint64_t status_events, status_ns;	/* at the last status line */
	uint64_t deadline;
	pid_t child;			/* -- COMMAND */
	int child_status;
	bool child_reaped;
	bool child_exit_seen;
	uint64_t child_deadline;	/* give up waiting for its exit event */
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

/*
 * After anything that writes: a failed write stops the watch (a reader
 * that left is a normal end), and so does --count once reached.
 */
static void check_output(struct watch *w)
{
	int e = sw_pipeline_write_error(w->pl);

	if (!sw_pipeline_done(w->pl))
		return;
	w->stop = true;
	if (e && !w->write_failed) {
		w->write_failed = true;
		if (e != -EPIPE)
			fail(w, "cannot write %s: %s", sw_sink_name(w->sink),
			     strerror(-e));
	}
}

static void flush(struct watch *w)
{
	if (!w->write_failed)
		sw_pipeline_flush(w->pl, !w->stop);
	check_output(w);
}

/* Reports what the loss detectors know and earlier reports did not say. */
static void report_loss(struct watch *w, const char *reason, bool always)
{
	uint64_t n = sw_loss_take(&w->loss);

	if (n == 0 && !always)
		return;
	w->resync_pending = true;
	sw_pipeline_lost(w->pl, n, reason);
}

static void read_drops(struct watch *w)
{
	uint64_t drops;

	if (sw_nlsrc_drops(w->src, &drops) == 0) {
		sw_loss_drops(&w->loss, drops);
		w->stats->lost_drops = w->loss.drops;
	}
}

/* Hook: in time order, the per-CPU sequence gaps. */
static void on_before(void *data, struct sw_event *ev)
{
	struct watch *w = data;
	uint32_t gap = sw_loss_seq(&w->loss, ev->cpu, ev->seq);

	if (gap) {
		w->stats->lost_seq += gap;
		report_loss(w, "seq_gap", false);
	}
}

/* Hook: -- COMMAND's subtree is marked at its fork; its exit ends the watch. */
static void on_judged(void *data, struct sw_event *ev)
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

static void process_events(struct watch *w)
{
	sw_pipeline_batch(w->pl, w->evs, w->nev);
	w->nev = 0;
	check_output(w);
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
		w->stats->rejected++;
		w->stats->rejected_by[-r - 1]++;
	}
}

static void on_enobufs(struct watch *w)
{
	w->stats->lost_episodes++;
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
	w->stats->resyncs++;
	ev = sw_pipeline_meta_event(w->pl, SW_EV_RESYNC);
	ev->u.resync.added = c.added;
	ev->u.resync.removed = c.removed;
	ev->u.resync.reparented = c.reparented;
	ev->u.resync.tracked = sw_lineage_count(w->lin);
	sw_pipeline_meta(w->pl, ev);
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
		events += w->stats->received[t];
	fprintf(stderr, "\r\033[Kspawnwatch: %.0f events/s, %" PRIu64 " lost, %u tracked, "
		"%" PRIu64 " anomal%s", s > 0 ? (double)(events - w->status_events) / s : 0.0,
		w->stats->lost, w->stats->tracked, w->stats->anomalies,
		w->stats->anomalies == 1 ? "y" : "ies");
	fflush(stderr);
	w->status_events = events;
	w->status_ns = now;
}

static void tick(struct watch *w, uint64_t now)
{
	w->next_tick = now + SW_NSEC;
	sw_pipeline_sync_clock(w->pl);
	read_drops(w);
	report_loss(w, "drops", false);
	sw_lineage_sweep(w->lin, now, true);
	sw_pipeline_tick(w->pl, now);
	check_output(w);
	if (w->live_status)
		show_status(w, now);
}

/* SIGUSR1: the table as a forest, on stderr, in one write. */
static void dump_forest(struct watch *w)
{
	struct sw_buf b = { 0 };

	sw_lineage_sweep(w->lin, sw_clock_now(), true);
	if (sw_forest_format(w->lin, w->users, w->procfd, w->rules, NULL, 0,
			     sw_pipeline_format(w->pl)->flags & SW_EMIT_F_FOREST_JSON,
			     &b) == 0 && b.len) {
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
		w->stats->wakeups++;
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

static void on_overflow(void *data)
{
	on_enobufs(data);
}

static void stashed(const void *buf, size_t len, uint32_t sender, int flags,
		    void *data)
{
	handle_datagram(data, buf, len, sender, flags);
}

/* What arrived while subscribing, once the table is seeded. */
static void replay_stash(struct watch *w)
{
	sw_nlsub_take_stash(w->sub, stashed, w);
	process_events(w);
}

static int open_source(struct watch *w)
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
	case SW_NL_BIND:
		if (r == -EPERM || r == -EACCES)
			return fail(w, "not permitted to listen to process events: "
				    "run as root (or with CAP_NET_ADMIN)");
		return fail(w, "cannot join the process-events group: %s", strerror(-r));
	case SW_NL_SUBSCRIBE:
		if (r == -ECONNREFUSED)
			return fail(w, "the proc connector is not available in this "
				    "network namespace: run spawnwatch on the host");
		return fail(w, "cannot subscribe to process events: %s", strerror(-r));
	case SW_NL_ACK_TIMEOUT:
		return fail(w, "the kernel did not confirm the process-events "
			    "subscription within %d s (kernel without "
			    "CONFIG_PROC_EVENTS, or not the host's namespaces)",
			    SW_NLSUB_ACK_MS / 1000);
	case SW_NL_ACK_ERROR:
		if (r == -EPERM)
			return fail(w, "the kernel refused the process-events subscription: "
				    "this kernel requires root (CAP_NET_ADMIN)");
		return fail(w, "the kernel refused the process-events subscription: %s",
			    strerror(-r));
	case SW_NL_POLL:
		return fail(w, "poll: %s", strerror(-r));
	default:
		return fail(w, "cannot read the proc connector: %s", strerror(-r));
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
		.mntns = w->rules->escape.host_mntns,
		.pidns = w->rules->escape.host_pidns,
	};
	struct sw_event *ev = sw_pipeline_meta_event(w->pl, SW_EV_START);

	ev->start = &si;
	sw_pipeline_meta(w->pl, ev);
	flush(w);
}

static void emit_stop(struct watch *w)
{
	read_drops(w);
	report_loss(w, "drops", false);
	w->stop = true;		/* the stop line is the last */
	sw_pipeline_stop(w->pl, sw_pipeline_meta_event(w->pl, SW_EV_STOP));
	check_output(w);
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
	const struct sw_opts *o = w->opts;
	struct sw_pipeline_conf pc = {
		.rules = w->rules,
		.format = sw_emit_find(o->format),
		.color = o->color == SW_COLOR_ALWAYS ||
			 (o->color == SW_COLOR_AUTO && !o->output &&
			  isatty(STDOUT_FILENO) && !getenv("NO_COLOR")),
		.live_clock = true,
		.latency = true,
		.count = o->count,
		.lineage = SW_LINEAGE_STREAM_CONF(o->ancestry, -1),
		.hooks = { .data = w, .before = on_before, .judged = on_judged },
	};

	boost_priority(o);
	sw_loss_init(&w->loss);
	sw_filter_init(&pc.filter, o);
	if (sw_sink_open(&w->sink, o, w->err->msg, sizeof(w->err->msg)) < 0)
		return 1;
	if (setup_signals(w) < 0)
		return fail(w, "cannot set up signal handling: %s", strerror(errno));
	w->procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->procfd < 0)
		return fail(w, "cannot open /proc: %s", strerror(errno));
	w->enrich = calloc(1, sizeof(*w->enrich));
	w->evs = calloc(BATCH_EVENTS, sizeof(*w->evs));
	if (!w->enrich || !w->evs)
		return fail(w, "out of memory");
	w->enrich->procfd = w->procfd;
	w->enrich->host_mntns = w->rules->escape.host_mntns;
	w->enrich->host_pidns = w->rules->escape.host_pidns;
	pc.lineage.procfd = w->procfd;
	pc.enrich = w->enrich;
	pc.sink = w->sink;
	w->pl = sw_pipeline_new(&pc);
	if (!w->pl)
		return fail(w, "out of memory");
	w->lin = sw_pipeline_lineage(w->pl);
	w->users = sw_pipeline_users(w->pl);
	w->stats = sw_pipeline_stats(w->pl);
	return 0;
}

static void teardown(struct watch *w)
{
	uint64_t undelivered;

	sw_pipeline_free(w->pl);
	free(w->enrich);
	free(w->evs);
	sw_nlsub_free(w->sub);
	undelivered = w->sink ? sw_sink_close(w->sink) : 0;
	if (undelivered)
		fprintf(stderr, "spawnwatch: %" PRIu64 " lines could not be "
			"delivered to %s\n", undelivered, sw_sink_name(w->sink));
	sw_sink_free(w->sink);
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
	const struct sw_stats *s = w->stats;

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
	w->rules = rules;
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
