/* SPDX-License-Identifier: MIT */
/*
 * Sinks: where each event goes once it is formatted.  One per run, chosen
 * by the options: a file or standard output (lines batched, sw_output),
 * syslog (one RFC 5424 message per event, sink_syslog.c) or the systemd
 * journal (one entry per event with the fields of journal_fields.c,
 * sink_journal.c).  watch and replay open it from a struct sw_sink_conf
 * (sw_opts_sink_conf()), hand every event to sw_sink_event() and never
 * know which it is; what only some sinks do (reopen, chown) is an optional
 * op.  A line too long for a syslog message is cut by its format
 * (sw_emit_truncate()).
 */
#ifndef SW_SINK_H
#define SW_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "emit.h"
#include "event.h"
#include "output.h"

struct sw_sink;

/*
 * What the sinks are told of the command line: at most one of output,
 * syslog and journal (none: standard output).
 */
struct sw_sink_conf {
	const char *output;	/* --output FILE */
	const char *syslog;	/* --syslog ADDR */
	bool journal;		/* --journal */
	bool patient;		/* wait for a slow peer rather than drop (replay) */
	bool run_as;		/* --run-as: run_uid may own the output file */
	uid_t run_uid;
};

/*
 * A destination.  The ops after close are optional: NULL means the sink
 * has nothing to do there, and the call succeeds.
 */
struct sw_sink_ops {
	const char *name;	/* also the `reason` of its lost lines */
	/* Prepares s->priv and sets s->name; on failure a reason in err. */
	int (*open)(struct sw_sink *s, const struct sw_sink_conf *c, char *err,
		    size_t errlen);
	/*
	 * Numbers ev (sw_emit_event) and takes it.  A failure to format is
	 * -errno; a failure to deliver is counted in s->lost, not returned.
	 */
	int (*event)(struct sw_sink *s, struct sw_emit *em,
		     const struct sw_event *ev);
	/* Pushes what is pending, without blocking; -errno is fatal. */
	int (*flush)(struct sw_sink *s);
	/* Bytes waiting for flush (whether emit should flush now). */
	size_t (*pending)(const struct sw_sink *s);
	/* Whether lines can be delivered now (losses are reported then). */
	bool (*ready)(struct sw_sink *s);
	/* Delivers what it can within a bounded time; returns what is left. */
	uint64_t (*close)(struct sw_sink *s);
	/*
	 * SIGHUP: opens its file again (logrotate moved it).  0; 1 when it
	 * keeps writing to the file already open (the reason in why); -errno
	 * when what was pending could not be written.
	 */
	int (*reopen)(struct sw_sink *s, char *why, size_t whylen);
	/* --run-as: gives the file it created to the new user; 0 or -errno. */
	int (*chown)(struct sw_sink *s, uid_t uid, gid_t gid);
};

struct sw_sink {
	const struct sw_sink_ops *ops;
	struct sw_sink_conf conf;
	const char *name;	/* for messages: a path, an address */
	struct sw_output out;	/* file and standard output */
	void *priv;		/* syslog and journal state */
	uint64_t lost;		/* lines not delivered, not yet reported */
	bool lost_unknown;	/* and some more, how many unknown */
	bool closed;
};

extern const struct sw_sink_ops sw_sink_file_ops;
extern const struct sw_sink_ops sw_sink_syslog_ops;
#ifdef HAVE_LIBSYSTEMD
extern const struct sw_sink_ops sw_sink_journal_ops;
#endif

/*
 * Opens the destination conf names (a file, syslog, the journal, else
 * standard output).  0, or -errno with a one-line reason in err.
 */
int sw_sink_open(struct sw_sink **ret, struct sw_sink_conf conf, char *err,
		 size_t errlen);
/* Formats ev and hands it over; on error nothing is emitted. */
int sw_sink_event(struct sw_sink *s, struct sw_emit *em,
		  const struct sw_event *ev);
/* Writes what is buffered; -errno (-EPIPE: the reader left) ends the run. */
int sw_sink_flush(struct sw_sink *s);
size_t sw_sink_pending(const struct sw_sink *s);
/*
 * SIGHUP: reopens a file (logrotate); nothing for the others.  0; 1 when
 * the file already open is kept (why says why); -errno (ops->reopen).
 */
int sw_sink_reopen(struct sw_sink *s, char *why, size_t whylen);
/* --run-as: gives the output file to the new user (ops->chown); 0 or -errno. */
int sw_sink_chown(struct sw_sink *s, uid_t uid, gid_t gid);
const char *sw_sink_name(const struct sw_sink *s);

/*
 * Lines the destination could not take since the last call, once it takes
 * lines again: true with *ret_count (-1: unknown) and *ret_reason set, for
 * a `lost` event.
 */
bool sw_sink_take_lost(struct sw_sink *s, int64_t *ret_count,
		       const char **ret_reason);
/*
 * Delivers what is queued (waiting a little for a network peer) and
 * closes.  Returns the lines that were never delivered nor reported.
 */
uint64_t sw_sink_close(struct sw_sink *s);
void sw_sink_free(struct sw_sink *s);

#endif
