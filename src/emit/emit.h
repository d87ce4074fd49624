/* SPDX-License-Identifier: MIT */
/*
 * Emit: one struct sw_event in, one whole line appended to a buffer out.
 * Each output format is a struct sw_emitter_ops; nothing else in the
 * program knows which format is in use, nor how a line of it is cut to a
 * size (ops->truncate, emit_cut.c).
 */
#ifndef SW_EMIT_H
#define SW_EMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "event.h"
#include "text.h"

struct sw_emit;

/* Longest sw_emit_ts() text and its NUL. */
#define SW_EMIT_TS_MAX 64

/* What a format can do, so that no code outside the emitters names one. */
enum {
	SW_EMIT_F_DOCUMENT = 1,		/* each line is a JSON document (syslog, journal) */
	SW_EMIT_F_FOREST_TEXT = 2,	/* forest and SIGUSR1 write the text tree */
	SW_EMIT_F_FOREST_JSON = 4,	/* ... or the nested JSON one */
};

struct sw_emitter_ops {
	const char *name;
	unsigned flags;			/* SW_EMIT_F_* */
	/* Appends exactly one line ending in '\n', or returns -errno. */
	int (*format)(struct sw_emit *em, const struct sw_event *ev,
		      struct sw_buf *out);
	/*
	 * Optional (NULL: its lines are never cut): appends ev's line, its
	 * '\n' dropped, in at most max bytes: whole (0), or cut and the cut
	 * marked the format's way (1); -EMSGSIZE when nothing makes it fit,
	 * -errno, and then nothing is appended.  ev is not numbered again.
	 */
	int (*truncate)(struct sw_emit *em, const struct sw_event *ev,
			struct sw_buf *out, size_t max);
};

struct sw_emit {
	const struct sw_emitter_ops *ops;
	uint64_t seq;			/* last line number given */
	char host[256];
	int64_t realtime_offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	bool color;
	enum sw_text_charset charset;	/* text: what is shown raw (text.h) */
	struct sw_buf scratch;
	struct sw_event *cap;		/* a line's event with fields cut */
	struct sw_buf cap_strs;		/* its cut strings */
	/* sw_emit_ts_cached(): the date and time of day of ts_sec. */
	int64_t ts_sec;
	size_t ts_day_len;		/* 0: none yet */
	char ts_day[SW_EMIT_TS_MAX];
};

extern const struct sw_emitter_ops sw_emit_json_ops;
/*
 * The same JSON lines built as jansson objects (emit_json_ref.c): the oracle
 * sw_emit_json_ops, which writes every line, is tested and fuzzed against
 * byte for byte.  Not a --format of its own: built into the unit tests and
 * the fuzzers only (libswref.a), not into the program.
 */
extern const struct sw_emitter_ops sw_emit_json_ref_ops;
extern const struct sw_emitter_ops sw_emit_text_ops;
extern const struct sw_emitter_ops sw_emit_ecs_ops;
/* The oracle of sw_emit_ecs_ops (emit_ecs_ref.c): jansson, libswref.a. */
extern const struct sw_emitter_ops sw_emit_ecs_ref_ops;

/* The ops for a --format name, or NULL. */
const struct sw_emitter_ops *sw_emit_find(const char *name);
/* The first format in the registry with every flag in need, or NULL. */
const struct sw_emitter_ops *sw_emit_first(unsigned need);
/*
 * The names of the formats that have every flag in need, in the registry's
 * order, joined by ", " and the last by last_sep ("text, json, ecs").
 */
void sw_emit_names(unsigned need, const char *last_sep, char *buf, size_t size);

void sw_emit_init(struct sw_emit *em, const struct sw_emitter_ops *ops,
		  bool color);
void sw_emit_fini(struct sw_emit *em);
/* Re-reads the realtime/monotonic offset (clock steps, NTP). */
void sw_emit_sync_clock(struct sw_emit *em);

/* Numbers the event and appends its line; on error nothing is appended. */
int sw_emit_event(struct sw_emit *em, const struct sw_event *ev,
		  struct sw_buf *out);

/* ops->truncate(), or -EINVAL for a format whose lines are never cut. */
int sw_emit_truncate(struct sw_emit *em, const struct sw_event *ev,
		     struct sw_buf *out, size_t max);
/*
 * For a truncate hook: ev formatted again with its argv cut from the end
 * (never inside a UTF-8 sequence), then fewer ancestors (eldest first),
 * then no cwd, then no exe, until the line with mark's mark of the cut is
 * at most max bytes.  mark turns the line at out->data[start..] with its
 * '\n' into the marked line without it; 0 or -errno.
 */
int sw_emit_cut(struct sw_emit *em, const struct sw_event *ev,
		struct sw_buf *out, size_t max,
		int (*mark)(struct sw_buf *out, size_t start));
/* The hook of a JSON document: "truncated":true as its last key. */
int sw_emit_cut_document(struct sw_emit *em, const struct sw_event *ev,
			 struct sw_buf *out, size_t max);

/*
 * The size of a line (emit_cap.c; spawnwatch-json(5), LINE SIZE): an exec
 * line carries SW_ARGV_LINE_MAX bytes of its command line at most.  A
 * process line of a document format longer than SW_LINE_MAX is written
 * again with its fields cut to what they may cost, in bytes written: the
 * command line, the executable and the working directory (not on an exec
 * line), the ancestors (every entry; each one's executable), each cut
 * marked.
 */
#define SW_ARGV_LINE_MAX (256u << 10)
#define SW_LINE_MAX 8192u
#define SW_CAP_ARGV 1024u
#define SW_CAP_PATH 384u
#define SW_CAP_ANCESTRY 1536u
#define SW_CAP_ANCESTOR_EXE 192u

/* ev, or em's copy of it with its command line cut: NULL out of memory. */
const struct sw_event *sw_emit_cap_exec(struct sw_emit *em,
					const struct sw_event *ev);
/* Whether ev's line of line_len bytes is written again, cut. */
bool sw_emit_cap_wanted(const struct sw_emit *em, const struct sw_event *ev,
			size_t line_len);
/* em's copy of ev with its fields cut to their budgets; NULL: no memory. */
const struct sw_event *sw_emit_cap_fields(struct sw_emit *em,
					  const struct sw_event *ev);

/* RFC 3339 UTC with nanoseconds of a CLOCK_MONOTONIC instant. */
void sw_emit_ts(const struct sw_emit *em, uint64_t ktime_ns, char *buf,
		size_t size);
/*
 * sw_emit_ts() into buf[SW_EMIT_TS_MAX], its length returned: the same
 * text, with the date and time of day formatted once per second.
 */
size_t sw_emit_ts_cached(struct sw_emit *em, uint64_t ktime_ns, char *buf);
/* Local wall-clock HH:MM:SS.micro of a CLOCK_MONOTONIC instant. */
void sw_emit_clock(const struct sw_emit *em, uint64_t ktime_ns, char *buf,
		   size_t size);
/*
 * A lifetime or an age of s seconds in whole 1/per_s (duration_s in
 * microseconds, oldest_s in milliseconds, ECS's uptime in seconds), as
 * every format writes it: cut towards zero, and held to 0 ..
 * SW_DURATION_MAX_S whatever the double holds (NaN is 0), so that no value
 * converts to an integer it cannot fit.
 */
long long sw_emit_seconds(double s, long long per_s);
/* Signal name such as "SIGKILL" (or "SIG42"). */
const char *sw_emit_signame(int sig, char *buf, size_t size);

#endif
