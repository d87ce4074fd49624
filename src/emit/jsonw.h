/* SPDX-License-Identifier: MIT */
/*
 * The JSON writer under --format json: keys, strings and numbers written
 * straight into an sw_buf, no object tree, no allocation but the buffer's
 * growth, byte for byte as jansson dumps them (JSON_COMPACT |
 * JSON_REAL_PRECISION(15)): the same strings (sw_text_utf8(), then
 * jansson's escapes), the same numbers (%lld, and %.15g as jansson trims
 * it), the same failures.  The first failure (out of memory, a string or
 * real jansson would refuse) is kept in w->err and every later write does
 * nothing.  Internal to the emitters.
 */
#ifndef SW_JSONW_H
#define SW_JSONW_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "buf.h"

/* A line being written: its buffer and the first failure, sticky. */
struct sw_jsonw {
	struct sw_buf *b;
	int err;
};

/* Whether n more bytes (and the NUL after them) fit; grows the buffer. */
static inline bool sw_jsonw_room(struct sw_jsonw *w, size_t n)
{
	if (w->err)
		return false;
	if (w->b->cap - w->b->len > n)
		return true;
	if (sw_buf_reserve(w->b, n) < 0) {
		w->err = -ENOMEM;
		return false;
	}
	return true;
}

static inline char *sw_jsonw_end(struct sw_jsonw *w)
{
	return w->b->data + w->b->len;
}

static inline void sw_jsonw_done(struct sw_jsonw *w, const char *p)
{
	w->b->len = (size_t)(p - w->b->data);
}

static inline void sw_jsonw_raw(struct sw_jsonw *w, const char *s, size_t n)
{
	if (!sw_jsonw_room(w, n))
		return;
	memcpy(sw_jsonw_end(w), s, n);
	w->b->len += n;
}

/* A literal: a key with its quotes, ',' and ':', or a bracket. */
#define JW_LIT(w, s) sw_jsonw_raw(w, s, sizeof(s) - 1)

/* A key (with its quotes, ',' and ':') and a number or a boolean. */
void sw_jsonw_key_int(struct sw_jsonw *w, const char *key, size_t klen,
		      long long v);
void sw_jsonw_key_bool(struct sw_jsonw *w, const char *key, size_t klen,
		       bool v);
#define JW_INT(w, k, v) sw_jsonw_key_int(w, k, sizeof(k) - 1, v)
#define JW_BOOL(w, k, v) sw_jsonw_key_bool(w, k, sizeof(k) - 1, v)

/*
 * A string, quoted.  A hostile one (from a process) has each byte that is
 * not part of valid UTF-8 written as \xNN, whose backslash JSON escapes;
 * a strict one (jansson's json_string()) must be valid UTF-8 already.
 */
void sw_jsonw_string(struct sw_jsonw *w, const char *p, size_t n,
		     bool strict);
/*
 * The longest start of the hostile string p[0..n), never cut inside a
 * UTF-8 sequence, that sw_jsonw_string() writes in at most budget bytes
 * between its quotes: its length, and in *ret_cost (when not NULL) those
 * bytes.
 */
size_t sw_jsonw_fit(const char *p, size_t n, size_t budget, size_t *ret_cost);
/* A process's string under key; none when s is NULL. */
void sw_jsonw_key_hostile(struct sw_jsonw *w, const char *key, size_t klen,
			  const char *s);
/* spawnwatch's own string under key: a NULL one fails the line. */
void sw_jsonw_key_strict(struct sw_jsonw *w, const char *key, size_t klen,
			 const char *s);
#define JW_HOSTILE(w, k, s) sw_jsonw_key_hostile(w, k, sizeof(k) - 1, s)
#define JW_STRICT(w, k, s) sw_jsonw_key_strict(w, k, sizeof(k) - 1, s)

/* A real as jansson writes it; infinities and NaN fail the line. */
void sw_jsonw_real(struct sw_jsonw *w, double v);
/* v / 10^k (k <= 6) as sw_jsonw_real() writes the double nearest to it. */
void sw_jsonw_scaled(struct sw_jsonw *w, long long v, int k);

/*
 * The end of a line begun at mark: 0 and the NUL after it, or the first
 * failure and nothing left of the line.
 */
int sw_jsonw_finish(struct sw_jsonw *w, size_t mark);

struct sw_event;
/*
 * The keys of a resync, start or stop line after its tags (emit_json_run.c);
 * nothing for the other kinds.
 */
void sw_emit_json_run(struct sw_jsonw *w, const struct sw_event *ev);

struct sw_start_info;
struct sw_stats;
/* ,"filter":{...} of a start line, as sw_json_filter() builds it. */
void sw_emit_json_filter(struct sw_jsonw *w, const struct sw_start_info *si);
/* ,"stats":{...} of a stop line, as sw_json_stats() builds it. */
void sw_emit_json_stats(struct sw_jsonw *w, const struct sw_stats *st);
/* What a start line says after its version: filter, tracked, ns, rcvbuf. */
void sw_emit_json_start(struct sw_jsonw *w, const struct sw_start_info *si);

#endif
