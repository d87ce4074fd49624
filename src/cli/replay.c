/* SPDX-License-Identifier: MIT */
/*
 * Replay: jsonin → lineage → detect → emit, on the log's own clock (the
 * lines' timestamps), with the once-a-second aggregate pass run as that
 * clock passes each second.  What a log cannot say is handled so:
 *  - processes that were running before the log began are entered from
 *    the first line that names them (the process and its ancestry);
 *  - reaps are not in a log: an exited process counts as reaped at once,
 *    so zombie-accumulation comes from the recorded anomaly lines, kept
 *    when their count still reaches the current threshold;
 *  - the orphans' new parents come from the recorded reparent lines;
 *  - the host's namespaces (for container-escape) come from the start line.
 * Recorded start, stop and anomaly lines are not repeated; lost and resync
 * lines are, as they were.  A malformed line is reported with its number
 * and skipped.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "jsonsrc.h"
#include "pipeline.h"
#include "replay.h"

/* After this many quiet seconds the aggregates cannot change: skip ahead. */
#define QUIET_TICKS (SW_WINDOW_S + 2)
#define MAX_REPORTED 100

struct replay {
	const struct sw_opts *opts;
	struct sw_error *err;
	struct sw_jsonsrc *src;
	struct sw_sink *sink;		/* stdout, --output, --syslog, --journal */
	struct sw_pipeline *pl;
	struct sw_lineage *lin;		/* the pipeline's */
	struct sw_event ev;
	struct sw_proc_snap *snap;
	uint64_t next_tick;		/* 0: before the first timed line */
	/* What the line says, kept while the table applies it. */
	const char *user, *tracer_comm, *tracer_exe;
	bool had_duration;
	double duration;
};

/* The log's clock, where it is. */
static uint64_t log_now(void *data)
{
	struct replay *r = data;

	return r->ev.ktime_ns;
}

static bool stopped(const struct replay *r)
{
	return sw_pipeline_done(r->pl);
}

/* Runs the aggregate pass for every second the log's clock has passed. */
static void advance(struct replay *r, uint64_t t)
{
	unsigned quiet = 0;

	if (!r->next_tick) {
		r->next_tick = t + SW_NSEC;
		return;
	}
	while (t >= r->next_tick && !stopped(r)) {
		sw_pipeline_tick(r->pl, r->next_tick);
		r->next_tick += SW_NSEC;
		if (++quiet == QUIET_TICKS && t >= r->next_tick + SW_NSEC)
			r->next_tick += (t - r->next_tick) / SW_NSEC * SW_NSEC;
	}
}

/* The line's command line, and whether it was cut, into the snapshot. */
static void seed_argv(struct sw_proc_snap *s, const struct sw_event *from)
{
	size_t n = from->argv_len;

	if (n > SW_ARGV_KEEP)
		n = SW_ARGV_KEEP + 1;	/* the table keeps no more, and cuts it */
	if (s->argv_cap < n + 1) {
		char *a = realloc(s->argv, n + 1);

		if (!a)
			return;
		s->argv = a;
		s->argv_cap = n + 1;
	}
	memcpy(s->argv, from->argv, n);
	s->argv_len = n;
	s->argv_size = from->argv_size ? from->argv_size : from->argv_len;
	s->cut = from->cut & SW_HAVE_ARGV;
	s->have |= SW_HAVE_ARGV;
}

/* Enters a process the table does not know from what a line says of it. */
static void seed(struct replay *r, int pid, bool have_ppid, int ppid,
		 const char *comm, const char *exe, const struct sw_event *from)
{
	struct sw_proc_snap *s = r->snap;
	struct sw_proc *p;

	if (pid <= 0 || sw_lineage_find(r->lin, pid))
		return;
	memset(s, 0, offsetof(struct sw_proc_snap, exe));
	s->exe[0] = s->cwd[0] = '\0';
	s->argv_len = s->argv_size = 0;
	s->cut = 0;
	s->container.id[0] = '\0';
	s->mntns = s->pidns = 0;
	if (have_ppid) {
		s->stat.ppid = ppid;
		s->have |= SW_HAVE_PPID;
	}
	if (comm) {
		snprintf(s->stat.comm, sizeof(s->stat.comm), "%s", comm);
		s->have |= SW_HAVE_COMM;
	}
	if (exe) {
		snprintf(s->exe, sizeof(s->exe), "%s", exe);
		s->have |= SW_HAVE_EXE;
	}
	if (from) {
		if ((from->have & SW_HAVE_CWD) && from->cwd) {
			snprintf(s->cwd, sizeof(s->cwd), "%s", from->cwd);
			s->have |= SW_HAVE_CWD;
		}
		if ((from->have & SW_HAVE_ARGV) && from->argv)
			seed_argv(s, from);
		if (from->have & SW_HAVE_CREDS) {
			s->status.uid = from->uid;
			s->status.euid = from->euid;
			s->status.gid = from->gid;
			s->status.egid = from->egid;
			s->have |= SW_HAVE_CREDS;
		}
		if (from->have & SW_HAVE_NS) {
			s->mntns = from->mntns;
			s->pidns = from->pidns;
			s->have |= SW_HAVE_NS;
		}
	}
	sw_lineage_seed(r->lin, pid, s);
	p = sw_lineage_find(r->lin, pid);
	if (p && p->parent && p->parent->marked)
		p->marked = true;	/* inside a --pid subtree */
}

/* The processes a line names, before the table applies it. */
static void seed_line(struct replay *r, const struct sw_event *ev)
{
	const struct sw_event *self = ev;
	bool have_ppid = ev->have & SW_HAVE_PPID;
	const char *comm = (ev->have & SW_HAVE_COMM) ? ev->comm : NULL;
	const char *exe = (ev->have & SW_HAVE_EXE) ? ev->exe : NULL;

	bool fork = ev->type == SW_EV_FORK && !ev->thread;

	/* Eldest first, so that each is linked under its parent. */
	for (unsigned k = ev->n_ancestry; k-- > (fork ? 1u : 0u);) {
		bool up = k + 1 < ev->n_ancestry;

		seed(r, ev->ancestry[k].pid, up, up ? ev->ancestry[k + 1].pid : 0,
		     ev->ancestry[k].comm, ev->ancestry[k].exe, NULL);
	}
	if (fork) {
		/* What a fork line says of the child was the parent's. */
		seed(r, ev->u.fork.parent_pid, ev->n_ancestry > 1,
		     ev->n_ancestry > 1 ? ev->ancestry[1].pid : 0, comm, exe, self);
		return;
	}
	if (ev->type == SW_EV_FORK)
		return;
	if (ev->type == SW_EV_PTRACE && ev->u.ptrace.tracer_pid > 0)
		seed(r, ev->u.ptrace.tracer_pid, false, 0, ev->u.ptrace.tracer_comm,
		     ev->u.ptrace.tracer_exe, NULL);
	if (ev->type != SW_EV_EXEC)
		seed(r, ev->pid, have_ppid, ev->ppid, comm, exe, self);
}

/* --pid: each subtree is marked once its root appears in the log. */
static void mark_subtrees(struct replay *r)
{
	for (unsigned i = 0; i < r->opts->n_pids; i++) {
		struct sw_proc *p = sw_lineage_find(r->lin, r->opts->pids[i]);

		if (p && !p->marked)
			sw_lineage_mark_subtree(r->lin, p->pid);
	}
}

/* Hook: the processes the line names, before the table applies it. */
static void on_seed(void *data, struct sw_event *ev)
{
	struct replay *r = data;

	r->user = ev->user;
	r->tracer_comm = ev->type == SW_EV_PTRACE ? ev->u.ptrace.tracer_comm : NULL;
	r->tracer_exe = ev->type == SW_EV_PTRACE ? ev->u.ptrace.tracer_exe : NULL;
	r->had_duration = ev->have & SW_HAVE_DURATION;
	r->duration = ev->duration_s;
	seed_line(r, ev);
	if (ev->type == SW_EV_FORK && r->opts->n_pids)
		mark_subtrees(r);	/* before the child inherits the mark */
	if (ev->type != SW_EV_REPARENT)
		ev->have &= ~SW_HAVE_DURATION;
}

/* Hook: what the table could not know, the line still says. */
static void on_applied(void *data, struct sw_event *ev)
{
	struct replay *r = data;
	struct sw_proc *p;

	if (r->opts->n_pids) {
		mark_subtrees(r);
		p = sw_lineage_find(r->lin, ev->pid);
		ev->marked = p && p->marked;
	}
	if (r->user && ev->user == NULL)
		ev->user = r->user;
	if (r->user && ev->user && strcmp(r->user, ev->user) != 0)
		ev->user = r->user;	/* the recording host's name for it */
	if (r->tracer_comm && !ev->u.ptrace.tracer_comm)
		ev->u.ptrace.tracer_comm = r->tracer_comm;
	if (r->tracer_exe)	/* what the tracer was judged by, as recorded */
		ev->u.ptrace.tracer_exe = r->tracer_exe;
	if (r->had_duration && !(ev->have & SW_HAVE_DURATION)) {
		ev->duration_s = r->duration;
		ev->have |= SW_HAVE_DURATION;
	}
}

/* Hook: a log holds no reaps, so an exited process counts as reaped. */
static void on_judged(void *data, struct sw_event *ev)
{
	struct replay *r = data;
	struct sw_proc *p;

	if (ev->type == SW_EV_EXIT && !ev->thread &&
	    (p = sw_lineage_find(r->lin, ev->pid)) && p->exited && p->zombie)
		sw_lineage_mark_reaped(r->lin, p, ev->ktime_ns);
}

static void one_event(struct replay *r, struct sw_event *ev)
{
	sw_pipeline_set_host(r->pl, sw_jsonsrc_host(r->src));
	advance(r, ev->ktime_ns);
	switch (ev->type) {
	case SW_EV_START:
		/* Judged against the recording host's namespaces, or none. */
		if (ev->have & SW_HAVE_NS)
			sw_pipeline_set_host_ns(r->pl, ev->mntns, ev->pidns);
		break;
	case SW_EV_STOP:
		break;
	case SW_EV_ANOMALY:
		sw_pipeline_recorded(r->pl, ev);
		break;
	case SW_EV_LOST:
	case SW_EV_RESYNC:
		if (!r->opts->tagged || ev->type == SW_EV_LOST)
			sw_pipeline_meta(r->pl, ev);
		break;
	default:
		sw_pipeline_event(r->pl, ev);
		break;
	}
}

static int fail(struct replay *r, const char *what, int e)
{
	snprintf(r->err->msg, sizeof(r->err->msg), "%s %s: %s", what,
		 sw_jsonsrc_name(r->src), strerror(e));
	return 1;
}

static int setup(struct replay *r, const struct sw_rules *rules)
{
	struct sw_pipeline_conf pc = {
		.rules = rules,
		.format = sw_emit_find(r->opts->format),
		.color = r->opts->color == SW_COLOR_ALWAYS,
		.charset = r->opts->charset,
		.lineage = SW_LINEAGE_STREAM_CONF(r->opts->ancestry, -1),
		.hooks = {
			.data = r,
			.seed = on_seed,
			.applied = on_applied,
			.judged = on_judged,
			.now = log_now,
		},
	};

	sw_filter_init(&pc.filter, r->opts);
	if (sw_sink_open(&r->sink, sw_opts_sink_conf(r->opts), r->err->msg,
			 sizeof(r->err->msg)) < 0)
		return 1;
	pc.sink = r->sink;
	r->pl = sw_pipeline_new(&pc);
	r->snap = calloc(1, sizeof(*r->snap));
	if (!r->pl || !r->snap) {
		snprintf(r->err->msg, sizeof(r->err->msg), "out of memory");
		return 1;
	}
	r->lin = sw_pipeline_lineage(r->pl);
	sw_lineage_seal(r->lin);
	return 0;
}

/* The end of the log: its last second, the last write, the counts. */
static int finish(struct replay *r, int status)
{
	unsigned long bad = sw_jsonsrc_bad(r->src);
	int e;

	/* The last second of the log: what it raised is still news. */
	if (status == 0 && r->next_tick && !stopped(r))
		sw_pipeline_tick(r->pl, r->next_tick);
	e = sw_pipeline_flush(r->pl, true);
	if (e < 0 && e != -EPIPE && status == 0) {
		snprintf(r->err->msg, sizeof(r->err->msg), "cannot write %s: %s",
			 sw_sink_name(r->sink), strerror(-e));
		status = 1;
	}
	if (bad > MAX_REPORTED)
		fprintf(stderr, "spawnwatch: %s: %lu more malformed lines skipped\n",
			sw_jsonsrc_name(r->src), bad - MAX_REPORTED);
	if (bad)
		fprintf(stderr, "spawnwatch: %s: %lu of %lu lines malformed, skipped\n",
			sw_jsonsrc_name(r->src), bad, sw_jsonsrc_lines(r->src));
	return status;
}

int sw_replay_run(const struct sw_opts *opts, const struct sw_rules *rules,
		  struct sw_error *err)
{
	struct replay *r = calloc(1, sizeof(*r));
	uint64_t undelivered;
	char why[200];
	int status, k;

	if (!r) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return 1;
	}
	r->opts = opts;
	r->err = err;
	signal(SIGPIPE, SIG_IGN);
	k = sw_jsonsrc_open(opts->replay, &r->src);
	if (k < 0) {
		snprintf(err->msg, sizeof(err->msg), "cannot read %s: %s",
			 opts->replay, strerror(-k));
		free(r);
		return 1;
	}
	status = setup(r, rules);
	while (status == 0 && !stopped(r) &&
	       (k = sw_jsonsrc_next(r->src, &r->ev, why, sizeof(why))) != SW_JSONSRC_END) {
		if (k < 0)
			status = fail(r, "cannot read", -k);
		else if (k == SW_JSONSRC_BAD && sw_jsonsrc_bad(r->src) <= MAX_REPORTED)
			fprintf(stderr, "spawnwatch: %s:%lu: %s; line skipped\n",
				sw_jsonsrc_name(r->src), sw_jsonsrc_lines(r->src), why);
		else if (k == SW_JSONSRC_EVENT)
			one_event(r, &r->ev);
	}
	if (r->pl)
		status = finish(r, status);
	undelivered = r->sink ? sw_sink_close(r->sink) : 0;
	if (undelivered)
		fprintf(stderr, "spawnwatch: %" PRIu64 " lines could not be "
			"delivered to %s\n", undelivered, sw_sink_name(r->sink));
	sw_sink_free(r->sink);
	sw_pipeline_free(r->pl);
	sw_jsonsrc_free(r->src);
	if (r->snap)
		sw_procfs_snap_fini(r->snap);
	free(r->snap);
	free(r);
	return status;
}
