/* SPDX-License-Identifier: MIT */
/*
 * The per-event sequence, written once: enrich, lineage, detect, filter,
 * emit, sink.  The only caller of the detect stage.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "pipeline.h"
#include "revconn.h"

#define FLUSH_BYTES (64u << 10)
#define LAT_PENDING 1024	/* lines awaiting their write, timed */
#define KEEP_EXECS 32		/* execs per batch enriched up front */

struct sw_pipeline {
	struct sw_pipeline_conf conf;
	struct sw_pipeline_hooks h;
	struct sw_emit em;
	struct sw_users *users;
	struct sw_lineage *lin;
	struct sw_detect *det;		/* the detectors and their state */
	struct sw_host host;		/* what the detectors judge by */
	struct sw_stats stats;		/* its own; its stages' gathered in */
	struct sw_event meta;		/* lines of spawnwatch's own */
	struct sw_event scratch;	/* reparent and anomaly lines */
	struct sw_revconn *rc;		/* shells wired to peers (live) */
	struct sw_event late;		/* a shell found wired at a tick */
	struct sw_buf keep;		/* strings read for a batch's execs */
	unsigned *order;		/* a batch in time order */
	unsigned order_cap;
	struct {			/* the batch under way, to resume */
		struct sw_event *evs;
		unsigned n, i;
		bool active, applying, ahead;
	} cur;
	uint64_t events_out;		/* kernel events written, for --count */
	bool stopping;			/* the stop line is next */
	bool done;
	int write_err;
	unsigned n_lat;
	uint64_t lat_kt[LAT_PENDING];	/* kernel times of pending lines */
};

static uint64_t now(const struct sw_pipeline *pl)
{
	return pl->h.now ? pl->h.now(pl->h.data) : sw_clock_now();
}

struct sw_pipeline *sw_pipeline_new(const struct sw_pipeline_conf *conf)
{
	struct sw_pipeline *pl = calloc(1, sizeof(*pl));

	if (!pl)
		return NULL;
	pl->conf = *conf;
	pl->h = conf->hooks;
	sw_emit_init(&pl->em, conf->format, conf->color);
	pl->em.charset = conf->charset;
	if (!conf->live_clock)
		pl->em.realtime_offset_ns = 0;	/* the lines' clock is the wall clock */
	pl->users = sw_users_new();
	if (conf->host)
		pl->host = *conf->host;
	pl->lin = pl->users ? sw_lineage_new(&conf->lineage, pl->users) : NULL;
	pl->det = sw_detect_new(conf->rules, &pl->host);
	if (conf->enrich && (sw_rules_net_stdio(conf->rules) ||
			     sw_rules_net_webshell(conf->rules)))
		pl->rc = sw_revconn_new(conf->enrich->procfd);
	if (!pl->lin || !pl->det || (conf->enrich && (sw_rules_net_stdio(conf->rules) ||
						      sw_rules_net_webshell(conf->rules)) && !pl->rc) ||
	    (conf->enrich && sw_buf_reserve(&pl->keep, KEEP_EXECS * SW_ENRICH_MAX) < 0)) {
		sw_pipeline_free(pl);
		return NULL;
	}
	sw_detect_set_clock(pl->det, pl->em.realtime_offset_ns);
	return pl;
}

void sw_pipeline_free(struct sw_pipeline *pl)
{
	if (!pl)
		return;
	sw_lineage_free(pl->lin);
	sw_detect_free(pl->det);
	sw_revconn_free(pl->rc);
	sw_users_free(pl->users);
	sw_emit_fini(&pl->em);
	sw_buf_free(&pl->keep);
	free(pl->order);
	free(pl);
}

static void emit(struct sw_pipeline *pl, const struct sw_event *ev);

/* Lines the destination could not take (syslog), told once it takes more. */
static void report_sink_loss(struct sw_pipeline *pl)
{
	struct sw_event ev;

	sw_event_reset(&ev, SW_EV_LOST);
	if (!sw_sink_take_lost(pl->conf.sink, &ev.u.lost.count, &ev.u.lost.reason))
		return;
	ev.ktime_ns = now(pl);
	emit(pl, &ev);
}

int sw_pipeline_flush(struct sw_pipeline *pl, bool tell_lost)
{
	int r;

	if (pl->write_err)
		return pl->write_err;
	r = sw_sink_flush(pl->conf.sink);
	if (r >= 0 && pl->n_lat) {
		uint64_t t = sw_clock_now();

		for (unsigned i = 0; i < pl->n_lat; i++)
			sw_latency_add(&pl->stats.latency, t > pl->lat_kt[i]
				       ? (t - pl->lat_kt[i]) / 1000 : 0);
	}
	pl->n_lat = 0;
	if (r < 0) {
		pl->write_err = r;
		pl->done = true;
		return r;
	}
	if (tell_lost && !pl->stopping && !pl->done)
		report_sink_loss(pl);	/* when stopping, the stop does */
	return 0;
}

void sw_pipeline_maybe_flush(struct sw_pipeline *pl)
{
	if (sw_sink_pending(pl->conf.sink) >= FLUSH_BYTES || pl->n_lat == LAT_PENDING)
		sw_pipeline_flush(pl, true);
}

static void emit(struct sw_pipeline *pl, const struct sw_event *ev)
{
	bool counted = ev->type < SW_EV_SELECTABLE && pl->conf.count;

	if (pl->write_err || (counted && pl->events_out >= pl->conf.count))
		return;
	if (sw_sink_event(pl->conf.sink, &pl->em, ev) < 0)
		return;
	pl->stats.emitted++;
	if (pl->conf.latency && ev->type < SW_EV_KERNEL_KINDS && pl->n_lat < LAT_PENDING)
		pl->lat_kt[pl->n_lat++] = ev->ktime_ns;
	if (counted && ++pl->events_out >= pl->conf.count)
		pl->done = true;
	sw_pipeline_maybe_flush(pl);
}

static void emit_wanted(struct sw_pipeline *pl, struct sw_event *ev)
{
	if (sw_filter_wanted(&pl->conf.filter, ev))
		emit(pl, ev);
}

/* A recorded reparent line (replay): the table takes the new parent. */
static void recorded_reparent(struct sw_pipeline *pl, struct sw_event *ev)
{
	struct sw_proc *p = sw_lineage_find(pl->lin, ev->pid);

	if (p && (ev->have & SW_HAVE_PPID))
		sw_lineage_reparent(pl->lin, p, ev->ppid);
	if (p)
		sw_lineage_fill(pl->lin, ev, p);
}

static bool has_tag(const struct sw_event *ev, const char *tag)
{
	for (unsigned i = 0; i < ev->n_tags; i++)
		if (strcmp(ev->tags[i], tag) == 0)
			return true;
	return false;
}

void sw_pipeline_event(struct sw_pipeline *pl, struct sw_event *ev)
{
	struct sw_enrich *e = pl->conf.enrich;

	/* First: a read that is cut short resumes here (sw_pipeline_resume()). */
	if (e && ev->type == SW_EV_EXEC && !ev->enriched)
		sw_enrich_exec(e, ev, NULL, false);
	else if (e && ev->type == SW_EV_UID)
		sw_enrich_uid(e, ev);
	if (pl->h.before)
		pl->h.before(pl->h.data, ev);
	if (ev->type == SW_EV_ACK)
		return;			/* the source's business */
	if (ev->type < SW_EV_KERNEL_KINDS)
		pl->stats.received[ev->type]++;
	if (pl->h.seed)
		pl->h.seed(pl->h.data, ev);
	sw_detect_before(pl->det, pl->lin, ev);
	if (ev->type == SW_EV_REPARENT)
		recorded_reparent(pl, ev);
	else
		sw_lineage_apply(pl->lin, ev);
	if (e && ev->type == SW_EV_PTRACE)
		sw_enrich_tracer(e, ev);	/* when the table lacks it */
	if (pl->h.applied)
		pl->h.applied(pl->h.data, ev);
	/* Its descriptors, where it runs now: enrich's, with the table's family. */
	ev->app_pid = 0;
	ev->app_listens = SW_APP_UNKNOWN;
	if (pl->rc && ev->type == SW_EV_EXEC && ev->enriched) {
		ev->app_pid = sw_rules_net_web_app(pl->conf.rules, pl->lin, ev);
		if (ev->app_pid > 0)
			ev->app_listens = sw_revconn_listens(pl->rc, ev->app_pid);
	}
	if (pl->rc && ev->type == SW_EV_EXEC && ev->enriched &&
	    sw_rules_net_stdio(pl->conf.rules) && !(ev->have & SW_HAVE_NET)) {
		bool shell = sw_rules_net_candidate(pl->conf.rules, ev);

		sw_revconn_exec(pl->rc, pl->lin, ev, shell,
				shell && sw_rules_net_parent_inline(pl->conf.rules,
								    pl->lin, ev));
	}
	sw_detect_event(pl->det, pl->lin, ev);
	/* A peer is told on the line it makes a reverse shell, only. */
	if ((ev->have & SW_HAVE_NET) && !has_tag(ev, "reverse-shell"))
		ev->have &= ~(unsigned)SW_HAVE_NET;
	if (pl->h.judged)
		pl->h.judged(pl->h.data, ev);
	emit_wanted(pl, ev);
	if (ev->type == SW_EV_EXIT)
		while (sw_lineage_pop_reparent(pl->lin, &pl->scratch)) {
			sw_detect_event(pl->det, pl->lin, &pl->scratch);
			emit_wanted(pl, &pl->scratch);
		}
}

/* The batch in time order; stable, so each CPU's sequence stays as it came. */
static int sort_batch(struct sw_pipeline *pl, const struct sw_event *evs,
		      unsigned n)
{
	if (n > pl->order_cap) {
		unsigned *o = realloc(pl->order, n * sizeof(*o));

		if (!o)
			return -ENOMEM;
		pl->order = o;
		pl->order_cap = n;
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned k = pl->order[i] = i, j = i;

		while (j > 0 && evs[pl->order[j - 1]].ktime_ns > evs[k].ktime_ns) {
			pl->order[j] = pl->order[j - 1];
			j--;
		}
		pl->order[j] = k;
	}
	return 0;
}

/* True when the batch holds a later exec of the same process. */
static bool exec_again(const struct sw_pipeline *pl, const struct sw_event *evs,
		       unsigned n, unsigned pos)
{
	const struct sw_event *ev = &evs[pl->order[pos]];

	for (unsigned i = pos + 1; i < n; i++) {
		const struct sw_event *later = &evs[pl->order[i]];

		if (later->type == SW_EV_EXEC && later->pid == ev->pid)
			return true;
	}
	return false;
}

/*
 * The exec'ing process was in no container: the table says so of it, or of
 * the parent whose fork of it is earlier in this batch (not yet applied).
 */
static bool no_container(struct sw_pipeline *pl, const struct sw_event *evs,
			 unsigned pos)
{
	const struct sw_event *ev = &evs[pl->order[pos]];
	const struct sw_proc *p;

	for (unsigned i = pos; i-- > 0;) {
		const struct sw_event *f = &evs[pl->order[i]];

		if (f->type == SW_EV_FORK && !f->thread && f->pid == ev->pid) {
			p = sw_lineage_find(pl->lin, f->u.fork.parent_pid);
			return p && !p->exited && !p->cid;
		}
	}
	p = sw_lineage_find(pl->lin, ev->pid);
	return p && !p->exited && !p->cid;
}

/* The batch's i-th event in time order (as it came without an order). */
static struct sw_event *nth(struct sw_pipeline *pl, unsigned i)
{
	return &pl->cur.evs[pl->order ? pl->order[i] : i];
}

/*
 * The batch from where it stands: its execs read from /proc first, then
 * every event through the stages.  The position is kept in pl->cur, each
 * step redone whole, so that sw_pipeline_resume() can finish a batch whose
 * thread was stopped inside a /proc read.
 */
static void run_batch(struct sw_pipeline *pl)
{
	unsigned n = pl->cur.n;

	for (; !pl->cur.applying && pl->cur.i < n; pl->cur.i++) {
		struct sw_event *ev = nth(pl, pl->cur.i);

		if (ev->type != SW_EV_EXEC || !pl->conf.enrich)
			continue;
		if (exec_again(pl, pl->cur.evs, n, pl->cur.i))
			ev->enriched = true;
		else if (pl->cur.ahead && pl->keep.cap - pl->keep.len > SW_ENRICH_MAX)
			/* A command line too long to keep stays in enrich's buffer. */
			pl->cur.ahead = sw_enrich_exec(pl->conf.enrich, ev, &pl->keep,
						       no_container(pl, pl->cur.evs,
								    pl->cur.i)) == 0;
	}
	if (!pl->cur.applying) {
		pl->cur.applying = true;
		pl->cur.i = 0;
	}
	for (; pl->cur.i < n; pl->cur.i++)
		sw_pipeline_event(pl, nth(pl, pl->cur.i));
	pl->cur.active = false;
}

/*
 * What /proc shows belongs to a process's last exec: an earlier exec in
 * the same batch is left without, never given the next program's argv.
 */
void sw_pipeline_batch(struct sw_pipeline *pl, struct sw_event *evs, unsigned n)
{
	bool sorted = sort_batch(pl, evs, n) == 0;

	pl->keep.len = 0;
	pl->cur.evs = evs;
	pl->cur.n = n;
	pl->cur.i = 0;
	pl->cur.ahead = true;
	/* Unsorted (no memory for the order): as they came, none read ahead. */
	pl->cur.applying = !sorted;
	pl->cur.active = true;
	if (!sorted) {
		free(pl->order);
		pl->order = NULL;
		pl->order_cap = 0;
	}
	run_batch(pl);
}

bool sw_pipeline_resume(struct sw_pipeline *pl)
{
	if (!pl->cur.active)
		return false;
	run_batch(pl);
	return true;
}

void sw_pipeline_meta(struct sw_pipeline *pl, struct sw_event *ev)
{
	emit(pl, ev);
}

struct sw_event *sw_pipeline_meta_event(struct sw_pipeline *pl,
					enum sw_ev_type type)
{
	sw_event_reset(&pl->meta, type);
	pl->meta.ktime_ns = sw_clock_now();
	return &pl->meta;
}

void sw_pipeline_lost(struct sw_pipeline *pl, uint64_t n, const char *reason)
{
	struct sw_event *ev = sw_pipeline_meta_event(pl, SW_EV_LOST);

	ev->u.lost.count = n ? (int64_t)n : -1;
	ev->u.lost.reason = reason;
	pl->stats.lost += n;
	emit(pl, ev);
}

void sw_pipeline_recorded(struct sw_pipeline *pl, struct sw_event *ev)
{
	struct sw_proc *p = sw_lineage_find(pl->lin, ev->pid);

	if (p)
		sw_lineage_fill(pl->lin, ev, p);
	if (sw_detect_recorded(pl->det, ev) &&
	    sw_filter_selected(&pl->conf.filter, ev))
		emit(pl, ev);
}

static void emit_anomaly(struct sw_event *ev, void *data)
{
	struct sw_pipeline *pl = data;

	pl->stats.anomalies++;
	if (sw_filter_selected(&pl->conf.filter, ev))
		emit(pl, ev);
}

/* A shell kept at its exec is wired now: an anomaly line of its own. */
static void late_revshell(void *data, int pid, const struct sw_net_peer *net)
{
	struct sw_pipeline *pl = data;
	struct sw_event *ev = &pl->late;
	struct sw_proc *p = sw_lineage_find(pl->lin, pid);

	if (!p)
		return;
	sw_event_reset(ev, SW_EV_ANOMALY);
	ev->ktime_ns = now(pl);
	ev->pid = ev->tid = pid;
	sw_lineage_fill(pl->lin, ev, p);
	ev->net = *net;
	ev->have |= SW_HAVE_NET;
	ev->u.anomaly.tag = "reverse-shell";
	ev->u.anomaly.count = ev->u.anomaly.threshold = 1;
	if (!sw_rules_net_revshell(pl->conf.rules, pl->lin, ev))
		return;
	sw_detect_tag(ev, "reverse-shell");
	emit_anomaly(ev, pl);
}

void sw_pipeline_tick(struct sw_pipeline *pl, uint64_t now_ns)
{
	sw_detect_tick(pl->det, pl->lin, now_ns, &pl->scratch, emit_anomaly, pl);
	if (pl->rc)
		sw_revconn_tick(pl->rc, pl->lin, now_ns, late_revshell, pl);
	sw_lineage_expire(pl->lin, now_ns);
}

void sw_pipeline_sync_clock(struct sw_pipeline *pl)
{
	sw_emit_sync_clock(&pl->em);
	sw_detect_set_clock(pl->det, pl->em.realtime_offset_ns);
}

void sw_pipeline_set_host(struct sw_pipeline *pl, const char *host)
{
	if (host && strcmp(host, pl->em.host) != 0)
		snprintf(pl->em.host, sizeof(pl->em.host), "%s", host);
}

void sw_pipeline_set_host_ns(struct sw_pipeline *pl, uint64_t mntns, uint64_t pidns)
{
	pl->host.mntns = mntns;
	pl->host.pidns = pidns;
}

int sw_pipeline_stop(struct sw_pipeline *pl, struct sw_event *stop)
{
	report_sink_loss(pl);
	pl->stopping = true;
	pl->done = true;
	if (stop) {
		stop->stats = sw_pipeline_stats(pl);
		emit(pl, stop);
	}
	return sw_pipeline_flush(pl, false);
}

bool sw_pipeline_done(const struct sw_pipeline *pl)
{
	return pl->done;
}

int sw_pipeline_write_error(const struct sw_pipeline *pl)
{
	return pl->write_err;
}

struct sw_lineage *sw_pipeline_lineage(struct sw_pipeline *pl)
{
	return pl->lin;
}

struct sw_users *sw_pipeline_users(struct sw_pipeline *pl)
{
	return pl->users;
}

const struct sw_emitter_ops *sw_pipeline_format(const struct sw_pipeline *pl)
{
	return pl->em.ops;
}

struct sw_stats *sw_pipeline_stats(struct sw_pipeline *pl)
{
	struct sw_stats *s = &pl->stats;
	struct sw_lineage_counters c;

	sw_lineage_counters(pl->lin, &c);
	s->tracked = c.tracked;
	s->peak_tracked = c.peak_tracked;
	s->zombies = c.zombies;
	s->evicted = c.evicted;
	s->untracked = c.untracked;
	if (pl->conf.enrich) {
		s->proc_gone = pl->conf.enrich->proc_gone;
		s->proc_denied = pl->conf.enrich->proc_denied;
		s->pid_reused = pl->conf.enrich->pid_reused;
	}
	if (pl->conf.enrich && pl->conf.enrich->reader) {
		struct sw_reader_counters rc;

		sw_reader_counters(pl->conf.enrich->reader, &rc);
		s->proc_timeout = rc.timeouts + rc.skipped;
		s->readers_stuck = rc.stuck;
	}
	if (pl->rc) {
		struct sw_revconn_counts cc;

		sw_revconn_counts(pl->rc, &cc);
		s->conn.checked = cc.checked;
		s->conn.holders = cc.holders;
		s->conn.kept = cc.kept;
		s->conn.late = cc.late;
		s->conn.dropped = cc.dropped;
		s->conn.listens = cc.listens;
	}
	return s;
}

void sw_pipeline_static_rules(struct sw_rules *dst, const struct sw_rules *src)
{
	*dst = *src;
	dst->hours.enabled = false;
	dst->cron.enabled = false;
}

unsigned sw_pipeline_static_tags(const struct sw_rules *rules,
				 const struct sw_host *host,
				 const struct sw_lineage *l, const struct sw_proc *p,
				 struct sw_event *scratch)
{
	if (p->exited)
		return 0;
	sw_event_reset(scratch, SW_EV_EXEC);
	scratch->pid = scratch->tid = p->pid;
	sw_lineage_fill(l, scratch, p);
	sw_detect_static(rules, host, scratch);
	return scratch->n_tags;
}
