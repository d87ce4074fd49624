/* SPDX-License-Identifier: MIT */
/* JSON lines in: the inverse of emit_json.c. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "emit.h"
#include "jsonin.h"
#include "jsonin_int.h"

struct sw_jsonin *sw_jsonin_new(void)
{
	struct sw_jsonin *in = calloc(1, sizeof(*in));

	if (!in)
		return NULL;
	for (int sig = 1; sig <= SIG_LAST; sig++)
		sw_emit_signame(sig, in->signame[sig], SIG_NAME_LEN);
	return in;
}

void sw_jsonin_free(struct sw_jsonin *in)
{
	if (!in)
		return;
	sw_buf_free(&in->store);
	free(in);
}

unsigned sw_jsonin_tags(const struct sw_jsonin *in, const char **tags,
			unsigned max)
{
	for (unsigned i = 0; i < in->n_tags && i < max; i++)
		tags[i] = in->tags[i];
	return in->n_tags;
}

const char *sw_jsonin_host(const struct sw_jsonin *in)
{
	return in->host;
}

int sw_jsonin_fail(struct sw_jsonin_ctx *c, const char *fmt, ...)
{
	size_t n = 0;
	va_list ap;

	if (!c->errlen)
		return -1;
	if (c->where)
		n = (size_t)snprintf(c->err, c->errlen, "%s: ", c->where);
	if (n < c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err + n, c->errlen - n, fmt, ap);
		va_end(ap);
	}
	/*
	 * The reason quotes the input (an event name, jansson's "near '...'"),
	 * and it ends up on a terminal: nothing but printable ASCII.
	 */
	for (char *p = c->err; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	return -1;
}

/* Copies s[0..n) and a NUL into the store; see struct sw_jsonin. */
const char *sw_jsonin_keep(struct sw_jsonin_ctx *c, const char *s, size_t n)
{
	struct sw_buf *b = &c->in->store;
	char *p;

	if (n >= b->cap - b->len)	/* cannot happen: never realloc here */
		return NULL;
	p = b->data + b->len;
	memcpy(p, s, n);
	p[n] = '\0';
	b->len += n + 1;
	return p;
}

/* Each getter returns 1 when the key is there, 0 when not, -1 on error. */

int sw_jsonin_get_int(struct sw_jsonin_ctx *c, json_t *o, const char *key,
		      json_int_t min, json_int_t max, json_int_t *ret)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_integer(v))
		return sw_jsonin_fail(c, "\"%s\" is not an integer", key);
	*ret = json_integer_value(v);
	if (*ret < min || *ret > max)
		return sw_jsonin_fail(c, "\"%s\" is out of range", key);
	return 1;
}

/* An int such as a pid: never negative. */
int sw_jsonin_get_pid(struct sw_jsonin_ctx *c, json_t *o, const char *key,
		      int *ret)
{
	json_int_t v = 0;
	int r = sw_jsonin_get_int(c, o, key, 0, INT_MAX, &v);

	if (r > 0)
		*ret = (int)v;
	return r;
}

int sw_jsonin_get_uint(struct sw_jsonin_ctx *c, json_t *o, const char *key,
		       unsigned *ret)
{
	json_int_t v = 0;
	int r = sw_jsonin_get_int(c, o, key, 0, UINT_MAX, &v);

	if (r > 0)
		*ret = (unsigned)v;
	return r;
}

int sw_jsonin_get_bool(struct sw_jsonin_ctx *c, json_t *o, const char *key,
		       bool *ret)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return sw_jsonin_fail(c, "\"%s\" is not a boolean", key);
	*ret = json_is_true(v);
	return 1;
}

int sw_jsonin_get_double(struct sw_jsonin_ctx *c, json_t *o, const char *key,
			 double *ret)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_number(v))
		return sw_jsonin_fail(c, "\"%s\" is not a number", key);
	*ret = json_number_value(v);
	return 1;
}

/* No lifetime or age is negative or longer than the kernel's clock spans. */
int sw_jsonin_get_seconds(struct sw_jsonin_ctx *c, json_t *o, const char *key,
			  double *ret)
{
	double s = 0;
	int r = sw_jsonin_get_double(c, o, key, &s);

	if (r <= 0)
		return r;
	if (!(s >= 0 && s <= SW_DURATION_MAX_S))
		return sw_jsonin_fail(c, "\"%s\" is out of range", key);
	*ret = s;
	return 1;
}

int sw_jsonin_get_typed(struct sw_jsonin_ctx *c, json_t *o, const char *key,
			json_type type, const char *what, json_t **ret)
{
	*ret = json_object_get(o, key);
	if (!*ret)
		return 0;
	if (json_typeof(*ret) != type)
		return sw_jsonin_fail(c, "\"%s\" is not %s", key, what);
	return 1;
}

/* A string, kept up to its first NUL: C strings cannot hold more. */
int sw_jsonin_keep_cstr(struct sw_jsonin_ctx *c, json_t *v, const char **ret)
{
	const char *s = json_string_value(v);

	*ret = sw_jsonin_keep(c, s, strlen(s));
	return *ret ? 1 : sw_jsonin_fail(c, "string storage overflow");
}

int sw_jsonin_get_str(struct sw_jsonin_ctx *c, json_t *o, const char *key,
		      const char **ret)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return sw_jsonin_fail(c, "\"%s\" is not a string", key);
	return sw_jsonin_keep_cstr(c, v, ret);
}

/* A name to look up: no NUL inside, or "exec\u0000x" would be "exec". */
const char *sw_jsonin_plain_string(json_t *v)
{
	const char *s = json_string_value(v);

	return strlen(s) == json_string_length(v) ? s : NULL;
}

/* --- ts: RFC 3339 date-time ---------------------------------------------- */

static bool digits(const char *p, unsigned n, unsigned *ret)
{
	unsigned v = 0;

	for (unsigned i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	*ret = v;
	return true;
}

static bool leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30,
						31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(unsigned year, unsigned m, unsigned d)
{
	/* Years start in March, so the leap day is the last of its year. */
	int64_t y = (int64_t)year - (m <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

/*
 * "2026-11-30T12:00:01.123456789Z" to nanoseconds since the epoch.  Up to 9
 * fractional digits (more would be below a nanosecond), "Z" or a numeric
 * offset.  Returns 0, -1 if malformed, -2 if outside what a uint64_t of
 * nanoseconds since 1970 holds.
 */
static int parse_ts(const char *s, size_t n, uint64_t *ret_ns)
{
	unsigned year, mon, day, hour, min, sec, oh, om, frac = 0, nd = 0;
	int64_t secs, off = 0;
	size_t i = 19;

	if (n < 20 || !digits(s, 4, &year) || s[4] != '-' ||
	    !digits(s + 5, 2, &mon) || s[7] != '-' || !digits(s + 8, 2, &day) ||
	    (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &hour) ||
	    s[13] != ':' || !digits(s + 14, 2, &min) || s[16] != ':' ||
	    !digits(s + 17, 2, &sec))
		return -1;
	if (s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			if (++nd > 9)
				return -1;
			frac = frac * 10 + (unsigned)(s[i] - '0');
		}
		if (!nd)
			return -1;
		for (; nd < 9; nd++)
			frac *= 10;
	}
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
		off = 0;
	} else if (i + 6 == n && (s[i] == '+' || s[i] == '-') &&
		   digits(s + i + 1, 2, &oh) && s[i + 3] == ':' &&
		   digits(s + i + 4, 2, &om) && oh <= 23 && om <= 59) {
		off = (int64_t)(oh * 60 + om) * 60;
		if (s[i] == '-')
			off = -off;
	} else {
		return -1;
	}
	/* Second 60 is a leap second: it reads as the next minute's first. */
	if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) ||
	    hour > 23 || min > 59 || sec > 60)
		return -1;
	secs = days_from_civil(year, mon, day) * 86400 +
	       (int64_t)(hour * 3600 + min * 60 + sec) - off;
	if (secs < 0 || (uint64_t)secs > (UINT64_MAX - frac) / 1000000000u)
		return -2;
	*ret_ns = (uint64_t)secs * 1000000000u + frac;
	return 0;
}

static int get_ts(struct sw_jsonin_ctx *c, json_t *o)
{
	json_t *v = json_object_get(o, "ts");
	int r;

	if (!v)
		return sw_jsonin_fail(c, "no \"ts\" key");
	if (!json_is_string(v))
		return sw_jsonin_fail(c, "\"ts\" is not a string");
	r = parse_ts(json_string_value(v), json_string_length(v),
		     &c->ev->ktime_ns);
	if (r == -2)
		return sw_jsonin_fail(c, "\"ts\" is out of range");
	if (r < 0)
		return sw_jsonin_fail(c, "\"ts\" is not an RFC 3339 time");
	return 0;
}

/* --- keys of every line ------------------------------------------------- */

static int get_tags(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_jsonin *in = c->in;
	json_t *a, *v;
	size_t i;
	int r;

	if ((r = sw_jsonin_get_typed(c, o, "tags", JSON_ARRAY, "an array", &a)) <= 0)
		return r;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return sw_jsonin_fail(c, "\"tags\"[%zu] is not a string", i);
		if (in->n_tags < SW_TAGS_MAX &&
		    sw_jsonin_keep_cstr(c, v, &in->tags[in->n_tags++]) < 0)
			return -1;
	}
	return 0;
}

static int get_ns(struct sw_jsonin_ctx *c, json_t *o)
{
	json_int_t mnt, pid;
	int r1, r2;
	json_t *ns;

	if ((r1 = sw_jsonin_get_typed(c, o, "ns", JSON_OBJECT, "an object", &ns)) <= 0)
		return r1;
	c->where = "\"ns\"";
	r1 = sw_jsonin_get_int(c, ns, "mnt", 0, INT64_MAX, &mnt);
	r2 = r1 < 0 ? -1 : sw_jsonin_get_int(c, ns, "pid", 0, INT64_MAX, &pid);
	c->where = NULL;
	if (r2 < 0)
		return -1;
	if (r1 && r2) {
		c->ev->mntns = (uint64_t)mnt;
		c->ev->pidns = (uint64_t)pid;
		c->ev->have |= SW_HAVE_NS;
	}
	return 0;
}

/* --- the line ------------------------------------------------------------ */

static int parse_object(struct sw_jsonin_ctx *c, json_t *o)
{
	json_t *v = json_object_get(o, "event");
	const char *name;
	json_int_t seq;
	int type;

	if (!v)
		return sw_jsonin_fail(c, "no \"event\" key");
	if (!json_is_string(v))
		return sw_jsonin_fail(c, "\"event\" is not a string");
	name = sw_jsonin_plain_string(v);
	type = name ? sw_event_from_name(name) : -1;
	/* ack is the kernel's answer to subscribing: never a line. */
	if (type < 0 || type == SW_EV_ACK)
		return sw_jsonin_fail(c, "unknown event \"%.32s\"", json_string_value(v));
	sw_event_reset(c->ev, (enum sw_ev_type)type);
	/* seq and host describe the recording, not the event. */
	if (get_ts(c, o) < 0 ||
	    sw_jsonin_get_int(c, o, "seq", 0, INT64_MAX, &seq) < 0 ||
	    sw_jsonin_get_str(c, o, "host", &c->in->host) < 0)
		return -1;
	if (get_tags(c, o) < 0 || get_ns(c, o) < 0)
		return -1;
	if (sw_event_is_process(c->ev->type) && sw_jsonin_get_process(c, o) < 0)
		return -1;
	return sw_jsonin_get_kind(c, o);
}

static bool blank(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

int sw_jsonin_parse(struct sw_jsonin *in, const char *line, size_t len,
		    struct sw_event *ev, char *err, size_t errlen)
{
	struct sw_jsonin_ctx c = { .in = in, .ev = ev, .err = err, .errlen = errlen };
	json_error_t jerr;
	json_t *o;
	int r;

	if (errlen)
		err[0] = '\0';
	in->n_tags = 0;
	in->host = NULL;
	in->store.len = 0;
	if (blank(line, len))
		return 1;
	/* See struct sw_jsonin: the copies never need more than the line. */
	if (len >= SIZE_MAX - 1 || sw_buf_reserve(&in->store, len + 1) < 0)
		return sw_jsonin_fail(&c, "out of memory");
	/* No JSON_DISABLE_EOF_CHECK: anything after the object is an error. */
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
		       &jerr);
	if (!o)
		return sw_jsonin_fail(&c, "not JSON: %s (byte %d)", jerr.text,
			    jerr.position);
	r = json_is_object(o) ? parse_object(&c, o)
			      : sw_jsonin_fail(&c, "not a JSON object");
	json_decref(o);
	return r;
}
