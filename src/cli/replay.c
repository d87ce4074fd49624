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
#include "emit.h"
#include "filter.h"
#include "jsonin.h"
#include "lineage.h"
#include "replay.h"
#include "sink.h"
#include "users.h"

#define FLUSH_BYTES (64u << 10)
/* After this many quiet seconds the aggregates cannot change: skip ahead. */
#define QUIET_TICKS (SW_WINDOW_S + 2)
#define MAX_REPORTED 100

struct replay {
	const struct sw_opts *opts;
	struct sw_error *err;
	const char *name;		/* the log, for messages */
	struct sw_rules rules;		/* with the log's host namespaces */
	struct sw_detect_ctx dctx;
	struct sw_alerts *alerts;
	struct sw_filter filter;
	struct sw_stats stats;
	struct sw_users *users;
	struct sw_lineage *lin;
	struct sw_jsonin *in;
	struct sw_emit em;
	struct sw_sink *sink;		/* stdout, --output, --syslog, --journal */
	struct sw_event ev;
	struct sw_event scratch;	/* the anomaly lines of a tick */
	struct sw_proc_snap *snap;
	uint64_t next_tick;		/* 0: before the first timed line */
	unsigned long line, bad;
	bool stop;
	int status;
};

static void emit(struct replay *r, const struct sw_event *ev);

/* Lines the destination could not take (syslog), told once it takes more. */
static void report_sink_loss(struct replay *r)
{
	struct sw_event ev;

	sw_event_reset(&ev, SW_EV_LOST);
	if (!sw_sink_take_lost(r->sink, &ev.u.lost.count, &ev.u.lost.reason))
		return;
	ev.ktime_ns = r->ev.ktime_ns;	/* the log's clock, where it is */
	emit(r, &ev);
}

static void flush(struct replay *r)
{
	int e;

	if (r->stop)
		return;
	e = sw_sink_flush(r->sink);
	if (e == -EPIPE) {
		r->stop = true;		/* the reader left: a normal end */
	} else if (e < 0) {
		r->stop = true;
		r->status = 1;
		snprintf(r->err->msg, sizeof(r->err->msg), "cannot write %s: %s",
			 sw_sink_name(r->sink), strerror(-e));
	} else {
		report_sink_loss(r);
	}
}

static void emit(struct replay *r, const struct sw_event *ev)
{
	if (r->stop || sw_sink_event(r->sink, &r->em, ev) < 0)
		return;
	r->stats.emitted++;
	if (sw_sink_pending(r->sink) >= FLUSH_BYTES)
		flush(r);
}

static void emit_anomaly(struct sw_event *ev, void *data)
{
	struct replay *r = data;

	if (sw_filter_selected(&r->filter, ev))
		emit(r, ev);
}

static void tick(struct replay *r, uint64_t now)
{
	sw_detect_tick(&r->dctx, r->alerts, now, &r->scratch, emit_anomaly, r);
	sw_lineage_expire(r->lin, now);
}

/* Runs the aggregate pass for every second the log's clock has passed. */
static void advance(struct replay *r, uint64_t t)
{
	unsigned quiet = 0;

	if (!r->next_tick) {
		r->next_tick = t + SW_NSEC;
		return;
	}
	while (t >= r->next_tick && !r->stop) {
		tick(r, r->next_tick);
		r->next_tick += SW_NSEC;
		if (++quiet == QUIET_TICKS && t >= r->next_tick + SW_NSEC)
			r->next_tick += (t - r->next_tick) / SW_NSEC * SW_NSEC;
	}
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
	s->argv_len = 0;
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
		if ((from->have & SW_HAVE_ARGV) && from->argv &&
		    from->argv_len <= sizeof(s->argv)) {
			memcpy(s->argv, from->argv, from->argv_len);
			s->argv_len = from->argv_len;
			s->have |= SW_HAVE_ARGV;
		}
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
		     NULL, NULL);
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

static void apply(struct replay *r, struct sw_event *ev)
{
	const char *user = ev->user;
	const char *tracer_comm = ev->type == SW_EV_PTRACE ? ev->u.ptrace.tracer_comm
							 : NULL;
	bool had_duration = ev->have & SW_HAVE_DURATION;
	double duration = ev->duration_s;
	struct sw_proc *p;

	if (ev->type < SW_EV_KERNEL_KINDS)
		r->stats.received[ev->type]++;
	seed_line(r, ev);
	if (ev->type == SW_EV_FORK && r->opts->n_pids)
		mark_subtrees(r);	/* before the child inherits the mark */
	if (ev->type == SW_EV_REPARENT) {
		p = sw_lineage_find(r->lin, ev->pid);
		if (p && (ev->have & SW_HAVE_PPID))
			sw_lineage_reparent(r->lin, p, ev->ppid);
		if (p)
			sw_lineage_fill(r->lin, ev, p);
	} else {
		ev->have &= ~SW_HAVE_DURATION;
		sw_lineage_apply(r->lin, ev);
	}
	if (r->opts->n_pids) {
		mark_subtrees(r);
		p = sw_lineage_find(r->lin, ev->pid);
		ev->marked = p && p->marked;
	}
	/* What the table could not know, the line still says. */
	if (user && ev->user == NULL)
		ev->user = user;
	if (user && ev->user && strcmp(user, ev->user) != 0)
		ev->user = user;	/* the recording host's name for it */
	if (tracer_comm && !ev->u.ptrace.tracer_comm)
		ev->u.ptrace.tracer_comm = tracer_comm;
	if (had_duration && !(ev->have & SW_HAVE_DURATION)) {
		ev->duration_s = duration;
		ev->have |= SW_HAVE_DURATION;
	}
	sw_detect_event(&r->dctx, ev);
	if (ev->type == SW_EV_EXIT && !ev->thread &&
	    (p = sw_lineage_find(r->lin, ev->pid)) && p->exited && p->zombie)
		sw_lineage_mark_reaped(r->lin, p, ev->ktime_ns);
	if (sw_filter_wanted(&r->filter, ev))
		emit(r, ev);
}

/* A recorded zombie-accumulation line, judged by the current rules. */
static void recorded_zombies(struct replay *r, struct sw_event *ev)
{
	const struct sw_rule_zombie *z = &r->rules.zombie;
	struct sw_proc *p;

	if (!ev->u.anomaly.tag || strcmp(ev->u.anomaly.tag, "zombie-accumulation") ||
	    !z->enabled || ev->u.anomaly.count < z->threshold)
		return;
	p = sw_lineage_find(r->lin, ev->pid);
	if (p)
		sw_lineage_fill(r->lin, ev, p);
	ev->u.anomaly.threshold = z->threshold;
	ev->n_tags = 0;
	sw_detect_tag(ev, "zombie-accumulation");
	if (sw_filter_selected(&r->filter, ev))
		emit(r, ev);
}

static void one_line(struct replay *r, const char *line, size_t len)
{
	struct sw_event *ev = &r->ev;
	char why[200];
	const char *host;
	int k;

	r->line++;
	k = sw_jsonin_parse(r->in, line, len, ev, why, sizeof(why));
	if (k == 1)
		return;
	if (k < 0) {
		if (++r->bad <= MAX_REPORTED)
			fprintf(stderr, "spawnwatch: %s:%lu: %s; line skipped\n",
				r->name, r->line, why);
		return;
	}
	host = sw_jsonin_host(r->in);
	if (host && strcmp(host, r->em.host) != 0)
		snprintf(r->em.host, sizeof(r->em.host), "%s", host);
	advance(r, ev->ktime_ns);
	switch (ev->type) {
	case SW_EV_START:
		if (ev->have & SW_HAVE_NS) {
			r->rules.escape.host_mntns = ev->mntns;
			r->rules.escape.host_pidns = ev->pidns;
		}
		break;
	case SW_EV_STOP:
		break;
	case SW_EV_ANOMALY:
		recorded_zombies(r, ev);
		break;
	case SW_EV_LOST:
	case SW_EV_RESYNC:
		if (!r->opts->tagged || ev->type == SW_EV_LOST)
			emit(r, ev);
		break;
	default:
		apply(r, ev);
		break;
	}
}

static int setup(struct replay *r, const struct sw_rules *rules)
{
	struct sw_lineage_conf lc = SW_LINEAGE_STREAM_CONF(r->opts->ancestry, -1);
	bool color = r->opts->color == SW_COLOR_ALWAYS;

	/* Judged against the recording host's namespaces, or none. */
	r->rules = *rules;
	r->rules.escape.host_mntns = r->rules.escape.host_pidns = 0;
	r->dctx.r = &r->rules;
	sw_emit_init(&r->em, sw_emit_find(r->opts->format), color);
	r->em.realtime_offset_ns = 0;	/* the lines' clock is the wall clock */
	if (sw_sink_open(&r->sink, r->opts, r->err->msg, sizeof(r->err->msg)) < 0)
		return 1;
	r->users = sw_users_new();
	r->lin = r->users ? sw_lineage_new(&lc, &r->stats, r->users) : NULL;
	r->in = sw_jsonin_new();
	r->alerts = sw_alerts_new();
	r->snap = malloc(sizeof(*r->snap));
	if (!r->lin || !r->in || !r->alerts || !r->snap) {
		snprintf(r->err->msg, sizeof(r->err->msg), "out of memory");
		return 1;
	}
	sw_lineage_seal(r->lin);
	r->dctx.l = r->lin;
	r->dctx.realtime_offset_ns = 0;
	return 0;
}

int sw_replay_run(const struct sw_opts *opts, const struct sw_rules *rules,
		  struct sw_error *err)
{
	struct replay *r = calloc(1, sizeof(*r));
	bool std = strcmp(opts->replay, "-") == 0;
	FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0;
	uint64_t undelivered;
	ssize_t n;
	int status;

	if (!r) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return 1;
	}
	r->opts = opts;
	r->err = err;
	sw_filter_init(&r->filter, opts);
	r->name = std ? "standard input" : opts->replay;
	signal(SIGPIPE, SIG_IGN);
	f = std ? stdin : fopen(opts->replay, "re");
	if (!f) {
		snprintf(err->msg, sizeof(err->msg), "cannot read %s: %s",
			 opts->replay, strerror(errno));
		free(r);
		return 1;
	}
	status = setup(r, rules);
	while (status == 0 && !r->stop && (n = getline(&line, &cap, f)) >= 0)
		one_line(r, line, (size_t)n);
	if (status == 0 && ferror(f)) {
		snprintf(err->msg, sizeof(err->msg), "cannot read %s: %s", r->name,
			 strerror(errno));
		r->status = 1;
	}
	/* The last second of the log: what it raised is still news. */
	if (status == 0 && r->next_tick && !r->stop)
		tick(r, r->next_tick);
	if (status == 0)
		flush(r);
	if (r->bad > MAX_REPORTED)
		fprintf(stderr, "spawnwatch: %s: %lu more malformed lines skipped\n",
			r->name, r->bad - MAX_REPORTED);
	if (r->bad)
		fprintf(stderr, "spawnwatch: %s: %lu of %lu lines malformed, skipped\n",
			r->name, r->bad, r->line);
	if (status == 0)
		status = r->status;
	free(line);
	if (!std)
		fclose(f);
	undelivered = sw_sink_close(r->sink);
	if (undelivered)
		fprintf(stderr, "spawnwatch: %" PRIu64 " lines could not be "
			"delivered to %s\n", undelivered, sw_sink_name(r->sink));
	sw_sink_free(r->sink);
	sw_emit_fini(&r->em);
	sw_lineage_free(r->lin);
	sw_users_free(r->users);
	sw_jsonin_free(r->in);
	sw_alerts_free(r->alerts);
	free(r->snap);
	free(r);
	return status;
}
