/* SPDX-License-Identifier: MIT */
/*
 * The live watch: poll, timers, signals, pacing, the -- COMMAND and the
 * privilege drop.  The events go from the netlink source (watch_feed.c)
 * through the pipeline; this file decides when.
 */
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "decode.h"
#include "forest.h"
#include "pace.h"
#include "privdrop.h"
#include "procfs.h"
#include "run.h"
#include "sandbox.h"
#include "watch.h"
#include "watch_int.h"
#include "watchdog.h"

int sw_watch_fail(struct watch *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->err->msg, sizeof(w->err->msg), fmt, ap);
	va_end(ap);
	return 1;
}

static void tick(struct watch *w, uint64_t now)
{
	w->next_tick = now + SW_NSEC;
	sw_pipeline_sync_clock(w->pl);
	sw_watch_read_drops(w);
	sw_watch_report_loss(w, "drops", false);
	sw_lineage_sweep(w->lin, now, true);
	sw_pipeline_tick(w->pl, now);
	sw_watch_check_output(w);
	if (w->live_status)
		sw_watch_show_status(w, now);
}

#define DUMP_CHUNK 4096		/* PIPE_BUF: a write poll said fits */
#define DUMP_WAIT_MS 1000	/* for stderr's reader, at most */

/*
 * Writes the dump in pieces that fit when poll says stderr takes more, for
 * a second at most: a stderr pipe nobody reads must not stop the loop.
 * What did not fit is dropped.
 */
static void dump_write(const char *p, size_t len)
{
	uint64_t end = sw_clock_now() + DUMP_WAIT_MS * 1000000ull;
	struct pollfd pfd = { .fd = STDERR_FILENO, .events = POLLOUT };

	while (len) {
		uint64_t now = sw_clock_now();
		ssize_t n;

		if (now >= end || poll(&pfd, 1, (int)((end - now) / 1000000) + 1) <= 0 ||
		    !(pfd.revents & POLLOUT))
			return;
		n = write(STDERR_FILENO, p, len < DUMP_CHUNK ? len : DUMP_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

/*
 * SIGUSR1: the table as a forest, on stderr.  What it reads of /proc is
 * each process's stat, which does not touch the process's memory; the
 * command lines are the table's.
 */
static void dump_forest(struct watch *w)
{
	struct sw_buf b = { 0 };
	const struct sw_forest_src src = {
		.l = w->lin, .users = w->users, .procfd = w->procfd,
		.rules = w->rules, .host = &w->host,
	};

	sw_lineage_sweep(w->lin, sw_clock_now(), true);
	if (sw_forest_format(&src, NULL, 0,
			     sw_pipeline_format(w->pl)->flags & SW_EMIT_F_FOREST_JSON,
			     w->opts->charset, &b) == 0 && b.len)
		dump_write(b.data, b.len);
	sw_buf_free(&b);
}

/* The command is reaped, its pid no longer its own: the guard may go. */
static void release_guard(struct watch *w)
{
	if (w->guard < 0)
		return;
	(void)!write(w->guard, "", 1);
	close(w->guard);
	w->guard = -1;
}

/* The command ended: stop once its exit event is out (or after 1 s). */
static void on_child(struct watch *w)
{
	if (!w->child || w->child_reaped)
		return;
	if (sw_run_reap(w->child, &w->child_status) == 1) {
		w->child_reaped = true;
		release_guard(w);
		w->child_deadline = sw_clock_now() + SW_NSEC;
	}
}

/*
 * SIGHUP: the log is opened again where logrotate left its path.  If that
 * fails (the path is unwritable, or fails the checks of sw_output_open()),
 * the monitor goes on writing to the file it has, says so once, and counts
 * it in the stop line; only a write that fails stops it.
 */
static void on_hup(struct watch *w)
{
	char why[sizeof(w->err->msg)];
	int r = sw_sink_reopen(w->sink, why, sizeof(why));

	if (r < 0 && r != -EPIPE) {
		w->stop = true;
		w->write_failed = true;
		sw_watch_fail(w, "cannot write to %s: %s", sw_sink_name(w->sink),
			      strerror(-r));
	} else if (r > 0) {
		w->reopen_failed++;
		sw_watch_warn_reopen(w, why);
	} else if (r == 0) {
		w->reopen_warned = false;
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
			on_hup(w);
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
		sw_pace_window(&w->pace);
		if (w->busy && !was)
			timed = true;
	}
	if (empty != 1)
		w->next_drain = now;	/* more queued than a wakeup takes */
	else if (timed)
		w->next_drain = now + BATCH_NS;	/* an exec's drain keeps the beat */
}

/*
 * The uid an exec is charged to: the table's, when it knows the process
 * (a live entry: an exited one may be a reused pid's past); else the owner
 * of /proc/PID, which is the process's euid, or root when it is not
 * dumpable (a setuid or unreadable binary), when its real uid is read from
 * status.  -errno when the process is gone: then nothing is in a hurry.
 */
static int exec_uid(struct watch *w, int pid, uint32_t *ret)
{
	const struct sw_proc *p = sw_lineage_lookup(w->lin, pid);
	struct sw_proc_status status;
	char name[16];
	struct stat st;
	int fd, r;

	if (p && !p->exited) {
		*ret = p->uid;
		return 0;
	}
	snprintf(name, sizeof(name), "%d", pid);
	if (fstatat(w->procfd, name, &st, 0) < 0)
		return -errno;
	*ret = st.st_uid;
	if (st.st_uid != 0)
		return 0;
	if ((fd = sw_procfs_open_pid(w->procfd, pid)) < 0)
		return fd;
	r = sw_procfs_status(fd, &status);
	close(fd);
	if (r == 0)
		*ret = status.uid;
	return r;
}

struct ring {
	struct watch *w;
	bool now;		/* an exec within its uid's budget */
};

static void charge(struct sw_event *ev, void *data)
{
	struct ring *r = data;
	uint32_t uid = 0;

	if (ev->type == SW_EV_EXEC && exec_uid(r->w, ev->pid, &uid) == 0 &&
	    sw_pace_charge(&r->w->pace, uid))
		r->now = true;
}

/*
 * The doorbell rang: its datagrams only say who exec'd (the events come on
 * the main socket).  True when the main socket is to be read now.
 */
static bool ring(struct watch *w)
{
	struct sw_nlsrc_batch *b = &w->batch;
	struct ring r = { .w = w, .now = !sw_pace_ring(&w->pace) };
	int n;

	do {
		n = sw_nlsrc_recv_batch(w->bell, b);
		for (int i = 0; n > 0 && !r.now && i < n; i++)
			sw_decode_datagram(b->buf[i], b->len[i], b->sender[i],
					   b->flags[i], &w->ev, charge, &r);
	} while (n == SW_NLSRC_BATCH || n == -ENOBUFS);
	return r.now;
}

/* Until the watch ends; entered again by a watchdog that took it over. */
static int loop_run(struct watch *w)
{
	struct pollfd pfd[3] = {
		{ .fd = sw_nlsrc_fd(w->src), .events = POLLIN },
		{ .fd = w->sigfd, .events = POLLIN },
		{ .fd = w->bell ? sw_nlsrc_fd(w->bell) : -1, .events = POLLIN },
	};

	while (!w->stop) {
		uint64_t now = sw_clock_now();
		struct timespec ts = poll_timeout(w, now);
		bool due, timed;
		int empty = 0;

		/* Busy, the main socket is read on time, not on each event
		 * (an overflow is then seen at the next read, within 10 ms). */
		pfd[0].fd = w->busy ? -1 : sw_nlsrc_fd(w->src);
		/* Past the ceiling of all uids' budgets, a real-time process
		 * must not let exec storms keep it awake: the rest of the
		 * window goes by the timer alone (some execs then lose the
		 * race). */
		pfd[2].fd = w->bell && sw_pace_open(&w->pace) ?
			    sw_nlsrc_fd(w->bell) : -1;
		if (ppoll(pfd, 3, &ts, NULL) < 0 && errno != EINTR)
			return sw_watch_fail(w, "poll: %s", strerror(errno));
		w->wakeups++;
		if (pfd[1].revents & POLLIN)
			on_signal(w);
		due = pfd[0].revents & (POLLIN | POLLERR);
		if ((pfd[2].revents & (POLLIN | POLLERR)) && ring(w))
			due = true;
		now = sw_clock_now();
		timed = w->busy && now >= w->next_drain;
		due = due || timed;
		if (due && !w->stop) {
			empty = sw_watch_drain(w);
			if (empty < 0)
				return 1;
			now = sw_clock_now();
			sw_lineage_sweep(w->lin, now, false);
			/* The caps hold between ticks too: a storm's exited
			 * processes must not pile up for a second. */
			sw_lineage_expire(w->lin, now);
			pace(w, now, empty, timed);
		}
		if (empty == 1 && !w->sealed) {
			sw_lineage_seal(w->lin);	/* start-up backlog done */
			w->sealed = true;
		}
		now = sw_clock_now();
		if (now >= w->next_tick)
			tick(w, now);
		if (w->deadline && now >= w->deadline)
			w->stop = true;
		if (w->child_reaped && (w->child_exit_seen || now >= w->child_deadline))
			w->stop = true;
		if (w->resync_pending && empty == 1 && now >= w->last_resync + SW_NSEC)
			sw_watch_resync(w);
		/* Busy, lines go out on the timer's beat, not at each exec. */
		if (!w->busy || timed || w->stop)
			sw_watch_flush(w);
	}
	if (w->final_drain && !w->write_failed) {
		/* Events the kernel already queued belong to this run. */
		w->stop = false;
		for (int i = 0; i < 64 && sw_watch_drain(w) == 0 && !w->stop; i++)
			;
		sw_watch_flush(w);
	}
	return 0;
}

/*
 * The loop reads /proc on its own thread, watched: a read that blocks
 * has the watchdog carry on in its place (sw_watch_carry_on()).  Without
 * a watchdog, the reads go by a reader thread, with a deadline too.
 */
static int loop(struct watch *w)
{
	int status;

	w->window_start = sw_clock_now();
	sw_pace_init(&w->pace);
	if (w->wd)
		sw_reader_inline(w->enrich->reader, true);
	status = loop_run(w);
	sw_reader_inline(w->enrich->reader, false);
	sw_watchdog_stop(w);
	return status;
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
	sw_watch_flush(w);
	/* The log stays writable, and SIGHUP reopens it as the new user. */
	if ((r = sw_sink_chown(w->sink, o->run_uid, o->run_gid)) < 0)
		return sw_watch_fail(w, "--run-as: cannot give %s to %s: %s",
			    sw_sink_name(w->sink), o->run_as, strerror(-r));
	if (sw_privdrop(o->run_uid, o->run_gid, w->err->msg, sizeof(w->err->msg)) < 0)
		return 1;
	return 0;
}

/*
 * SPAWNWATCH_TEST_SANDBOX=PID (the live tests): what the filter refuses,
 * tried against PID just before it is installed and just after, one line
 * each on stderr.
 */
static void probe(const char *when)
{
	const char *t = getenv("SPAWNWATCH_TEST_SANDBOX");
	char buf[1024];
	long pid;

	if (!t || (pid = strtol(t, NULL, 10)) <= 0)
		return;
	sw_sandbox_probe((pid_t)pid, buf, sizeof(buf));
	fprintf(stderr, "spawnwatch: sandbox probe %s: %s\n", when, buf);
}

/*
 * The seccomp filter, once nothing is left to start: the -- COMMAND and
 * its guard are already running, and do not inherit it.
 */
static int confine(struct watch *w)
{
	probe("before");
	if (sw_sandbox_seccomp(w->err->msg, sizeof(w->err->msg)) < 0)
		return 1;
	probe("after");
	return 0;
}

static void boost_priority(struct watch *w)
{
	/* 2: its /proc reader thread runs at 1, below it (reader.c). */
	struct sched_param sp = { .sched_priority = 2 };
	int policy = sched_getscheduler(0);

	errno = 0;
	w->nice0 = getpriority(PRIO_PROCESS, 0);
	if (errno)
		w->nice0 = 0;
	if (policy == SCHED_FIFO || policy == SCHED_RR)
		return;		/* set by whoever started it (a unit) */
	if (!w->opts->no_realtime &&
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
		.charset = o->charset,
		.live_clock = true,
		.latency = true,
		.count = o->count,
		.lineage = SW_LINEAGE_STREAM_CONF(o->ancestry, -1),
		.hooks = { .data = w, .before = sw_watch_on_before, .judged = sw_watch_on_judged },
	};

	boost_priority(w);
	sw_loss_init(&w->loss);
	sw_filter_init(&pc.filter, o);
	if (sw_sink_open(&w->sink, sw_opts_sink_conf(o), w->err->msg,
			 sizeof(w->err->msg)) < 0)
		return 1;
	if (setup_signals(w) < 0)
		return sw_watch_fail(w, "cannot set up signal handling: %s", strerror(errno));
	w->procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->procfd < 0)
		return sw_watch_fail(w, "cannot open /proc: %s", strerror(errno));
	w->enrich = calloc(1, sizeof(*w->enrich));
	w->evs = calloc(BATCH_EVENTS, sizeof(*w->evs));
	if (!w->enrich || !w->evs)
		return sw_watch_fail(w, "out of memory");
	sw_host_probe(w->procfd, &w->host);	/* unknown ones stay 0 */
	w->enrich->procfd = w->procfd;
	w->enrich->host = w->host;
	/* Its first thread now: it takes spawnwatch's real-time policy. */
	w->enrich->reader = sw_reader_new(w->procfd, SW_READER_TIMEOUT_MS);
	if (!w->enrich->reader)
		return sw_watch_fail(w, "cannot start a /proc reader thread: %s",
				     strerror(errno ? errno : ENOMEM));
	pc.host = &w->host;
	pc.lineage.procfd = w->procfd;
	pc.enrich = w->enrich;
	pc.sink = w->sink;
	w->pl = sw_pipeline_new(&pc);
	if (!w->pl)
		return sw_watch_fail(w, "out of memory");
	w->lin = sw_pipeline_lineage(w->pl);
	w->users = sw_pipeline_users(w->pl);
	w->stats = sw_pipeline_stats(w->pl);
	return 0;
}

static void teardown(struct watch *w)
{
	uint64_t undelivered;

	sw_pipeline_free(w->pl);
	if (w->enrich)
		sw_reader_free(w->enrich->reader);
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
	if (w->guard >= 0)
		close(w->guard);
	if (w->guard_pid > 0)
		waitpid(w->guard_pid, NULL, 0);	/* it ends once its pipe closes */
}

/* --pid: each must be a live process; its descendants follow. */
/*
 * Once the command is started (nothing forks after it): the real-time
 * policy without SCHED_RESET_ON_FORK, so that the threads started later,
 * after --run-as too, inherit it (inheriting takes no privilege).
 */
static void threads_inherit(struct watch *w)
{
	struct sched_param sp;
	int policy = sched_getscheduler(0);

	if (policy < 0 || !(policy & SCHED_RESET_ON_FORK) || sched_getparam(0, &sp) < 0)
		return;
	sched_setscheduler(0, policy & ~SCHED_RESET_ON_FORK, &sp);
}

static int select_subtrees(struct watch *w)
{
	for (unsigned i = 0; i < w->opts->n_pids; i++) {
		struct sw_proc *p = sw_lineage_find(w->lin, w->opts->pids[i]);

		if (!p || p->exited)
			return sw_watch_fail(w, "no process %d", w->opts->pids[i]);
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
	pid = sw_run_start(w->opts->command, w->nice0);
	if (pid < 0) {
		sw_watch_fail(w, "cannot run %s: %s", w->opts->command[0], strerror((int)-pid));
		return -pid == ENOENT ? 127 : 126;
	}
	w->child = pid;
	/* After --run-as, spawnwatch may not signal a command that runs as root. */
	if (w->opts->run_as && (w->guard = sw_run_guard(pid, &w->guard_pid)) < 0) {
		kill(pid, SIGTERM);
		sw_watch_fail(w, "cannot run %s: %s", w->opts->command[0],
			      strerror(-w->guard));
		return 126;
	}
	return 0;
}

/*
 * The command's status; if spawnwatch stopped first, it is stopped too:
 * by SIGTERM, sent by its guard when --run-as took the right to.
 */
static int finish_command(struct watch *w)
{
	if (!w->child_reaped) {
		if (kill(w->child, SIGTERM) < 0 && errno == EPERM && w->guard >= 0) {
			close(w->guard);
			w->guard = -1;
		}
		while (sw_run_reap(w->child, &w->child_status) == 0)
			poll(NULL, 0, 10);
	}
	return w->child_status;
}

/* After the loop: the stop line, the command's status, --stats. */
static int finish_watch(struct watch *w, int status)
{
	if (!w->write_failed)
		sw_watch_stop_line(w);
	if (w->write_failed && w->err->msg[0])
		status = 1;
	else if (w->child && status == 0)
		status = finish_command(w);
	if (w->live_status)
		fputs("\r\033[K", stderr);	/* the status line goes */
	if (w->opts->stats)
		sw_watch_print_stats(w);
	return status;
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
	w->procfd = w->sigfd = w->guard = -1;
	w->live_status = opts->stats && isatty(STDERR_FILENO);
	status = setup(w);
	if (status == 0)
		status = sw_watch_open_source(w);
	if (status == 0)
		sw_watch_warn_degraded(w);
	if (status == 0 && sw_watch_scan(w, &c) < 0)
		status = sw_watch_fail(w, "cannot read /proc: %s", strerror(errno));
	if (status == 0) {
		if (opts->duration > 0)
			w->deadline = sw_clock_now() + (uint64_t)(opts->duration * 1e9);
		w->next_tick = sw_clock_now() + SW_NSEC;
		status = select_subtrees(w);
	}
	if (status == 0) {
		sw_watch_start_line(w);
		sw_watch_replay_stash(w);
		status = start_command(w);
		if (status == 0)
			threads_inherit(w);
		if (status == 0)
			status = drop_privileges(w);
		/* The threads that read /proc start after the drop, with the
		 * capability it keeps (capabilities are each thread's own).
		 * Without a watchdog, the loop's reads go by a reader thread. */
		if (status == 0 && w->opts->run_as)
			sw_reader_refresh(w->enrich->reader);
		if (status == 0)
			sw_watchdog_start(w);
		if (status == 0)
			status = confine(w);
		if (status == 0)
			status = loop(w);
		status = finish_watch(w, status);
	}
	teardown(w);
	free(w);
	return status;
}

_Noreturn void sw_watch_carry_on(struct watch *w)
{
	int status;

	if (sw_watchdog_start(w) < 0)
		sw_reader_inline(w->enrich->reader, false);
	sw_pipeline_resume(w->pl);
	w->nev = 0;
	sw_watch_check_output(w);
	status = loop_run(w);
	sw_reader_inline(w->enrich->reader, false);
	sw_watchdog_stop(w);
	status = finish_watch(w, status);
	if (status != 0 && w->err->msg[0])
		fprintf(stderr, "spawnwatch: %s\n", w->err->msg);
	teardown(w);
	free(w);
	exit(status);
}
