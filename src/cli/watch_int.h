/* SPDX-License-Identifier: MIT */
/*
 * The live watch, inside: its state, shared by watch.c (the loop: poll,
 * timers, signals, the command, the privilege drop), watch_feed.c (the
 * netlink source into the pipeline: subscription, batches, loss, resync,
 * the start and stop lines) and watch_report.c (what it says on stderr).
 */
#ifndef SW_WATCH_INT_H
#define SW_WATCH_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "enrich.h"
#include "error.h"
#include "host.h"
#include "lineage.h"
#include "loss.h"
#include "nlsrc.h"
#include "nlsub.h"
#include "opts.h"
#include "pace.h"
#include "pipeline.h"
#include "sink.h"
#include "stats.h"

#define RECV_ROUNDS 16		/* batches per wakeup before output */
#define BATCH_EVENTS (2 * SW_NLSRC_BATCH)
#define RATE_WINDOW_NS (100 * 1000000ull)
#define BUSY_EVENTS 100		/* per window: from here on, batch */
#define BATCH_NS (10 * 1000000ull)	/* under load, read the socket this often */

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
	struct sw_host host;		/* probed once, at setup */
	struct sw_stats *stats;		/* the pipeline's, gathered: sw_watch_gather() */
	struct sw_loss loss;
	struct sw_event ev;		/* decode target, reused */
	struct sw_nlsrc_batch batch;
	struct sw_event *evs;		/* decoded, not yet processed */
	unsigned nev;
	uint64_t rejected;		/* frames not believed, */
	uint64_t rejected_by[SW_REJ__MAX];	/* by reason */
	uint64_t resyncs;
	uint64_t wakeups;		/* returns from poll */
	int procfd;
	int sigfd;
	bool busy;			/* batching: the socket is read on a timer */
	uint64_t next_drain;		/* when busy */
	uint64_t window_start;		/* of the rate window */
	uint64_t window_events;		/* datagrams read in it */
	struct sw_pace pace;		/* the exec doorbell's budget, per uid */
	bool stop;
	bool sealed;			/* the start-up backlog is read */
	struct sw_watchdog *wd;		/* watches the loop's /proc reads */
	bool final_drain;		/* on SIGINT/TERM: what is queued first */
	bool write_failed;		/* nothing more is written */
	uint64_t reopen_failed;		/* SIGHUPs that kept the old file */
	bool reopen_warned;		/* since the last good reopen */
	bool resync_pending;
	uint64_t last_resync;
	uint64_t next_tick;
	bool live_status;		/* --stats with stderr on a terminal */
	uint64_t status_events, status_ns;	/* at the last status line */
	uint64_t deadline;
	pid_t child;			/* -- COMMAND */
	int nice0;			/* the nice it was started with: the command's */
	int guard;			/* --run-as: closed, the command gets SIGTERM */
	pid_t guard_pid;
	int child_status;
	bool child_reaped;
	bool child_exit_seen;
	uint64_t child_deadline;	/* give up waiting for its exit event */
};

int sw_watch_fail(struct watch *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* watch_feed.c */
int sw_watch_open_source(struct watch *w);
int sw_watch_scan(struct watch *w, struct sw_scan_counts *c);
void sw_watch_replay_stash(struct watch *w);
int sw_watch_drain(struct watch *w);
void sw_watch_process(struct watch *w);
void sw_watch_on_before(void *data, struct sw_event *ev);
void sw_watch_on_judged(void *data, struct sw_event *ev);
void sw_watch_read_drops(struct watch *w);
void sw_watch_report_loss(struct watch *w, const char *reason, bool always);
void sw_watch_resync(struct watch *w);
void sw_watch_check_output(struct watch *w);
void sw_watch_flush(struct watch *w);
void sw_watch_start_line(struct watch *w);
void sw_watch_stop_line(struct watch *w);
/* Puts every module's counters in w->stats, for the stop line and --stats. */
void sw_watch_gather(struct watch *w);

/* watch_report.c */
void sw_watch_show_status(struct watch *w, uint64_t now);
void sw_watch_warn_degraded(const struct watch *w);
void sw_watch_warn_reopen(struct watch *w, const char *why);
void sw_watch_print_stats(struct watch *w);

/*
 * In the watchdog's thread, once it deposed the loop's: the loop from
 * where it stood, to the end of the watch; exits with its status.
 */
_Noreturn void sw_watch_carry_on(struct watch *w);

#endif
