/* SPDX-License-Identifier: MIT */
/* Command line → struct sw_opts.  Pure: no I/O; errors come back as text. */
#ifndef SW_OPTS_H
#define SW_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "text.h"

enum sw_color { SW_COLOR_AUTO, SW_COLOR_ALWAYS, SW_COLOR_NEVER };

enum sw_cmd { SW_CMD_WATCH, SW_CMD_FOREST, SW_CMD_REPLAY };

#define SW_PIDS_MAX 64

struct sw_opts {
	enum sw_cmd cmd;
	int pids[SW_PIDS_MAX];	/* --pid, or forest's arguments */
	unsigned n_pids;
	const char *comm;	/* --comm */
	const char *user;	/* --user as given */
	uint32_t uid;		/* --user resolved */
	bool have_uid;
	char **command;		/* -- COMMAND [ARG...] */
	const char *replay;	/* replay's FILE; "-" is stdin */
	const char *rules;	/* --rules FILE */
	const char *run_as;	/* --run-as NAME as given */
	uint32_t run_uid, run_gid;	/* --run-as resolved */
	bool run_as_shared;	/* --run-as-shared: a user others share too */
	bool check;		/* --check: print the rules and stop */
	const char *format;	/* "text", "json" or "ecs" */
	unsigned events;	/* SW_EVMASK bits */
	bool threads;
	bool nonzero_exit;
	uint64_t count;		/* 0: no limit */
	double duration;	/* seconds; 0: no limit */
	const char *output;	/* NULL: stdout */
	const char *syslog;	/* --syslog ADDR; NULL: not to syslog */
	bool journal;		/* --journal */
	size_t rcvbuf;
	unsigned ancestry;
	bool stats;
	bool no_realtime;		/* stay at nice -5, not SCHED_FIFO */
	bool tagged;		/* only events that carry tags */
	enum sw_color color;
	/* What text output may show raw: not an option, the locale's
	 * (main.c, sw_text_locale()); SW_TEXT_UTF8 as parsed. */
	enum sw_text_charset charset;
	bool quiet;
	bool help;
	bool version;
};

#define SW_DEFAULT_RCVBUF (64u << 20)
#define SW_DEFAULT_ANCESTRY 8

/*
 * Parses argv into *ret.  Returns 0, or -EINVAL with a one-line reason in
 * err (a usage error: exit status 2).
 */
int sw_opts_parse(int argc, char **argv, struct sw_opts *ret, char *err,
		  size_t errlen);

/* Parses an event list such as "fork,exec" or "all" into a mask. */
int sw_opts_parse_events(const char *list, unsigned *ret, char *err,
			 size_t errlen);
/* Parses a byte count with an optional K, M or G suffix. */
int sw_opts_parse_size(const char *s, size_t *ret);

struct sw_sink_conf;
/* What the sink is told of the options: where events go (sink.h). */
struct sw_sink_conf sw_opts_sink_conf(const struct sw_opts *o);

extern const char sw_opts_usage[];

#endif
