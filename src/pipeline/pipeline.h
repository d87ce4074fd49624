/* SPDX-License-Identifier: MIT */
/*
 * The pipeline: the one per-event sequence every driver feeds.
 *
 *   event → enrich → lineage → detect → filter → emit → sink
 *
 * It owns the lineage table, the detectors' state, the filter and the
 * emitter, and writes to a sink the driver opened.  The live watch feeds
 * it batches from the netlink source, replay feeds it the lines of a log,
 * forest asks it how a snapshot would be judged.  What differs between
 * them is set through the hooks, never by a test of which driver runs.
 */
#ifndef SW_PIPELINE_H
#define SW_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "detect.h"
#include "emit.h"
#include "enrich.h"
#include "event.h"
#include "filter.h"
#include "host.h"
#include "lineage.h"
#include "sink.h"
#include "stats.h"

struct sw_pipeline_hooks {
	void *data;
	/* Every event first, before anything else sees it (live: the
	 * per-CPU sequence gaps, in time order). */
	void (*before)(void *data, struct sw_event *ev);
	/* Before the table applies it (replay: the processes the line names
	 * and the table does not know yet). */
	void (*seed)(void *data, struct sw_event *ev);
	/* After the table (replay: what the line said that the table could
	 * not know). */
	void (*applied)(void *data, struct sw_event *ev);
	/* After detect, before the filter (live: the -- COMMAND child;
	 * replay: reaps, which a log does not hold). */
	void (*judged)(void *data, struct sw_event *ev);
	/* The clock of the lines the pipeline writes of its own (lost lines
	 * of the destination); CLOCK_MONOTONIC when NULL. */
	uint64_t (*now)(void *data);
};

struct sw_pipeline_conf {
	const struct sw_rules *rules;
	const struct sw_emitter_ops *format;
	bool color;
	enum sw_text_charset charset;	/* what text output shows raw */
	bool live_clock;		/* times from the kernel's clock, else the wall clock */
	bool latency;			/* time each kernel event to its write */
	uint64_t count;			/* --count: stop after this many; 0: none */
	struct sw_filter filter;
	struct sw_lineage_conf lineage;
	struct sw_enrich *enrich;	/* /proc at exec (live); NULL: none */
	const struct sw_host *host;	/* copied; NULL: unknown (replay: see
					 * sw_pipeline_set_host_ns()) */
	struct sw_sink *sink;		/* the driver's: opened and closed there */
	struct sw_pipeline_hooks hooks;
};

struct sw_pipeline;

/* NULL when out of memory.  conf is copied. */
struct sw_pipeline *sw_pipeline_new(const struct sw_pipeline_conf *conf);
void sw_pipeline_free(struct sw_pipeline *pl);

/* One event through every stage. */
void sw_pipeline_event(struct sw_pipeline *pl, struct sw_event *ev);
/*
 * A batch read at once from a live source, in any order: put in time
 * order (stable), /proc read for all its execs first (a short-lived
 * process must be caught before it exits), then each event.
 */
void sw_pipeline_batch(struct sw_pipeline *pl, struct sw_event *evs, unsigned n);
/*
 * Finishes the batch whose thread stopped inside a /proc read (it was
 * deposed: sw_reader_depose()), from the event it was at, redone whole.
 * False when no batch was under way.
 */
bool sw_pipeline_resume(struct sw_pipeline *pl);

/* A line of spawnwatch's own (start, stop, lost, resync): written as is. */
void sw_pipeline_meta(struct sw_pipeline *pl, struct sw_event *ev);
/* A fresh line of spawnwatch's own of this type, timed now. */
struct sw_event *sw_pipeline_meta_event(struct sw_pipeline *pl,
					enum sw_ev_type type);
/* A lost line: n events lost (0: an unknown number), counted. */
void sw_pipeline_lost(struct sw_pipeline *pl, uint64_t n, const char *reason);
/* A recorded anomaly line (replay): written if it still stands. */
void sw_pipeline_recorded(struct sw_pipeline *pl, struct sw_event *ev);

/* Once a second: the aggregate detectors, then the table's caps. */
void sw_pipeline_tick(struct sw_pipeline *pl, uint64_t now_ns);
/* Re-reads the realtime/monotonic offset (clock steps, NTP). */
void sw_pipeline_sync_clock(struct sw_pipeline *pl);
/* The recording host's name (replay). */
void sw_pipeline_set_host(struct sw_pipeline *pl, const char *host);
/* The recording host's namespaces (replay: its start line). */
void sw_pipeline_set_host_ns(struct sw_pipeline *pl, uint64_t mntns, uint64_t pidns);

/*
 * Writes what is pending, then (tell_lost) a lost line for what the
 * destination could not take, if it lost any.  0, or -errno of the failed
 * write (then nothing more is written; -EPIPE: the reader left).
 */
int sw_pipeline_flush(struct sw_pipeline *pl, bool tell_lost);
/* Flushes when enough is pending for one write. */
void sw_pipeline_maybe_flush(struct sw_pipeline *pl);
/* The last line is next: what the destination lost, then the stop line. */
int sw_pipeline_stop(struct sw_pipeline *pl, struct sw_event *stop);
/* Whether nothing more is to be written: --count reached, or a write failed. */
bool sw_pipeline_done(const struct sw_pipeline *pl);
/* The error of the write that failed, or 0. */
int sw_pipeline_write_error(const struct sw_pipeline *pl);

struct sw_lineage *sw_pipeline_lineage(struct sw_pipeline *pl);
struct sw_users *sw_pipeline_users(struct sw_pipeline *pl);
const struct sw_emitter_ops *sw_pipeline_format(const struct sw_pipeline *pl);
/*
 * The counters the pipeline keeps, with those its stages keep (the
 * table's, enrich's) gathered into them as they are now: the stop line's.
 */
struct sw_stats *sw_pipeline_stats(struct sw_pipeline *pl);

/*
 * The tags an exec of what p runs now would get (exec-from-tmp, miner,
 * web-shell, ...): the tags of what it is, not of what it did.  rules come
 * from sw_pipeline_static_rules(): those about moments (off-hours,
 * cron-overlap) do not apply to a snapshot.  Fills scratch.
 */
void sw_pipeline_static_rules(struct sw_rules *dst, const struct sw_rules *src);
unsigned sw_pipeline_static_tags(const struct sw_rules *rules,
				 const struct sw_host *host,
				 const struct sw_lineage *l, const struct sw_proc *p,
				 struct sw_event *scratch);

#endif
