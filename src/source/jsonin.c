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

/* The highest signal number on Linux (SIGRTMAX); a wait status holds 7 bits. */
#define SIG_LAST 64
#define SIG_NAME_LEN 16

struct sw_jsonin {
	/*
	 * Copies of the line's strings.  It is reserved to the line's length
	 * before parsing and never grows during it, so the pointers handed
	 * out stay valid: a JSON string never decodes to more bytes than it
	 * takes in the line, and its two quotes pay for the NUL of its copy.
	 */
	struct sw_buf store;
	const char *tags[SW_TAGS_MAX];
	unsigned n_tags;
	const char *host;
	/* What sw_emit_signame() writes, by number: the inverse is a lookup. */
	char signame[SIG_LAST + 1][SIG_NAME_LEN];
};

/* State of one sw_jsonin_parse() call. */
struct ctx {
	struct sw_jsonin *in;
	struct sw_event *ev;
	char *err;
	size_t errlen;
	const char *where;	/* error messages start with it: the object */
	char where_buf[32];
	/* Credentials as read; the event gets them only all four together. */
	json_int_t cred[4];
	unsigned have_cred;	/* bit i: cred[i] was present */
};

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

__attribute__((format(printf, 2, 3)))
static int fail(struct ctx *c, const char *fmt, ...)
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
static const char *keep(struct ctx *c, const char *s, size_t n)
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

static int get_int(struct ctx *c, json_t *o, const char *key, json_int_t min,
		   json_int_t max, json_int_t *ret)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_integer(v))
		return fail(c, "\"%s\" is not an integer", key);
	*ret = json_integer_value(v);
	if (*ret < min || *ret > max)
		return fail(c, "\"%s\" is out of range", key);
	return 1;
}

/* An int such as a pid: never negative. */
static int get_pid(struct ctx *c, json_t *o, const char *key, int *ret)
{
	json_int_t v = 0;
	int r = get_int(c, o, key, 0, INT_MAX, &v);

	if (r > 0)
		*ret = (int)v;
	return r;
}

static int get_uint(struct ctx *c, json_t *o, const char *key, unsigned *ret)
{
	json_int_t v = 0;
	int r = get_int(c, o, key, 0, UINT_MAX, &v);

	if (r > 0)
		*ret = (unsigned)v;
	return r;
}

static int get_bool(struct ctx *c, json_t *o, const char *key, bool *ret)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return fail(c, "\"%s\" is not a boolean", key);
	*ret = json_is_true(v);
	return 1;
}

static int get_double(struct ctx *c, json_t *o, const char *key, double *ret)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_number(v))
		return fail(c, "\"%s\" is not a number", key);
	*ret = json_number_value(v);
	return 1;
}

static int get_typed(struct ctx *c, json_t *o, const char *key,
		     json_type type, const char *what, json_t **ret)
{
	*ret = json_object_get(o, key);
	if (!*ret)
		return 0;
	if (json_typeof(*ret) != type)
		return fail(c, "\"%s\" is not %s", key, what);
	return 1;
}

/* A string, kept up to its first NUL: C strings cannot hold more. */
static int keep_cstr(struct ctx *c, json_t *v, const char **ret)
{
	const char *s = json_string_value(v);

	*ret = keep(c, s, strlen(s));
	return *ret ? 1 : fail(c, "string storage overflow");
}

static int get_str(struct ctx *c, json_t *o, const char *key,
		   const char **ret)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return fail(c, "\"%s\" is not a string", key);
	return keep_cstr(c, v, ret);
}

/* A name to look up: no NUL inside, or "exec\u0000x" would be "exec". */
static const char *plain_string(json_t *v)
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

static int get_ts(struct ctx *c, json_t *o)
{
	json_t *v = json_object_get(o, "ts");
	int r;

	if (!v)
		return fail(c, "no \"ts\" key");
	if (!json_is_string(v))
		return fail(c, "\"ts\" is not a string");
	r = parse_ts(json_string_value(v), json_string_length(v),
		     &c->ev->ktime_ns);
	if (r == -2)
		return fail(c, "\"ts\" is out of range");
	if (r < 0)
		return fail(c, "\"ts\" is not an RFC 3339 time");
	return 0;
}

/* --- keys of every line ------------------------------------------------- */

static int get_tags(struct ctx *c, json_t *o)
{
	struct sw_jsonin *in = c->in;
	json_t *a, *v;
	size_t i;
	int r;

	if ((r = get_typed(c, o, "tags", JSON_ARRAY, "an array", &a)) <= 0)
		return r;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return fail(c, "\"tags\"[%zu] is not a string", i);
		if (in->n_tags < SW_TAGS_MAX &&
		    keep_cstr(c, v, &in->tags[in->n_tags++]) < 0)
			return -1;
	}
	return 0;
}

static int get_ns(struct ctx *c, json_t *o)
{
	json_int_t mnt, pid;
	int r1, r2;
	json_t *ns;

	if ((r1 = get_typed(c, o, "ns", JSON_OBJECT, "an object", &ns)) <= 0)
		return r1;
	c->where = "\"ns\"";
	r1 = get_int(c, ns, "mnt", 0, INT64_MAX, &mnt);
	r2 = r1 < 0 ? -1 : get_int(c, ns, "pid", 0, INT64_MAX, &pid);
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

/* --- process events ----------------------------------------------------- */

/* argv elements back to /proc/PID/cmdline bytes: each followed by a NUL. */
static int get_argv(struct ctx *c, json_t *o)
{
	struct sw_buf *b = &c->in->store;
	struct sw_event *ev = c->ev;
	size_t start = b->len, i;
	json_t *a, *v;
	int r;

	if ((r = get_typed(c, o, "argv", JSON_ARRAY, "an array", &a)) <= 0)
		return r;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return fail(c, "\"argv\"[%zu] is not a string", i);
		/* keep() adds the NUL that separates the elements. */
		if (!keep(c, json_string_value(v), json_string_length(v)))
			return fail(c, "string storage overflow");
	}
	ev->argv = b->data + start;
	ev->argv_len = b->len - start;
	ev->have |= SW_HAVE_ARGV;
	return 0;
}

static int get_ancestry(struct ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	struct sw_ancestor *an;
	json_t *a, *v;
	size_t i;
	int r;

	if ((r = get_typed(c, o, "ancestry", JSON_ARRAY, "an array", &a)) <= 0)
		return r;
	c->where = c->where_buf;
	json_array_foreach(a, i, v) {
		/* As deep as --ancestry goes; the rest could not be emitted. */
		if (i >= SW_ANCESTRY_MAX)
			break;
		an = &ev->ancestry[i];
		snprintf(c->where_buf, sizeof(c->where_buf),
			 "\"ancestry\"[%zu]", i);
		if (!json_is_object(v))
			return fail(c, "not an object");
		an->comm = an->exe = NULL;
		if ((r = get_pid(c, v, "pid", &an->pid)) < 0)
			return -1;
		if (!r)
			return fail(c, "no \"pid\" key");
		if (get_str(c, v, "comm", &an->comm) < 0 ||
		    get_str(c, v, "exe", &an->exe) < 0)
			return -1;
		ev->n_ancestry = (unsigned)i + 1;
	}
	c->where = NULL;
	return 0;
}

static int get_container(struct ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	json_t *co;
	int r;

	if ((r = get_typed(c, o, "container", JSON_OBJECT, "an object",
			   &co)) <= 0)
		return r;
	c->where = "\"container\"";
	if (get_str(c, co, "id", &ev->container_id) < 0 ||
	    get_str(c, co, "runtime", &ev->container_runtime) < 0)
		return -1;
	c->where = NULL;
	ev->have |= SW_HAVE_CONTAINER;
	return 0;
}

static int get_creds(struct ctx *c, json_t *o)
{
	static const char *const keys[4] = { "uid", "euid", "gid", "egid" };
	struct sw_event *ev = c->ev;
	int r;

	for (int i = 0; i < 4; i++) {
		r = get_int(c, o, keys[i], 0, UINT32_MAX, &c->cred[i]);
		if (r < 0)
			return -1;
		if (r)
			c->have_cred |= 1u << i;
	}
	if (c->have_cred == 0xf) {
		ev->uid = (uint32_t)c->cred[0];
		ev->euid = (uint32_t)c->cred[1];
		ev->gid = (uint32_t)c->cred[2];
		ev->egid = (uint32_t)c->cred[3];
		ev->have |= SW_HAVE_CREDS;
	}
	return get_str(c, o, "user", &ev->user) < 0 ? -1 : 0;
}

/* comm: on a comm event the new name, in the event's own array. */
static int get_comm(struct ctx *c, json_t *o, const char *key, char *dst,
		    bool *ret_have)
{
	json_t *v = json_object_get(o, key);
	const char *s;
	size_t n;

	if (!v)
		return 0;
	if (!json_is_string(v))
		return fail(c, "\"%s\" is not a string", key);
	s = json_string_value(v);
	/* The array holds what a kernel comm can be: a longer name is cut. */
	n = strnlen(s, SW_COMM_LEN);
	memcpy(dst, s, n);
	dst[n] = '\0';
	if (ret_have)
		*ret_have = true;
	return 1;
}

static int get_process(struct ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	int r;

	r = get_pid(c, o, "pid", &ev->pid);
	if (r <= 0)
		return r < 0 ? -1 : fail(c, "no \"pid\" key");
	ev->tid = ev->pid;
	if (get_pid(c, o, "tid", &ev->tid) < 0)
		return -1;
	if ((r = get_pid(c, o, "ppid", &ev->ppid)) < 0)
		return -1;
	if (r)
		ev->have |= SW_HAVE_PPID;
	if (ev->type == SW_EV_COMM)
		r = get_comm(c, o, "comm", ev->u.comm.comm, NULL);
	else if ((r = get_str(c, o, "comm", &ev->comm)) > 0)
		ev->have |= SW_HAVE_COMM;
	if (r < 0)
		return -1;
	if ((r = get_str(c, o, "exe", &ev->exe)) < 0)
		return -1;
	if (r)
		ev->have |= SW_HAVE_EXE;
	if ((r = get_str(c, o, "cwd", &ev->cwd)) < 0)
		return -1;
	if (r)
		ev->have |= SW_HAVE_CWD;
	if (get_argv(c, o) < 0 || get_creds(c, o) < 0 ||
	    get_ancestry(c, o) < 0 || get_container(c, o) < 0)
		return -1;
	return 0;
}

/* --- keys of one kind --------------------------------------------------- */

/* The name sw_emit_signame() gives, or its "SIG42" form, to a number. */
static int signal_number(const struct sw_jsonin *in, const char *name)
{
	const char *p;
	int sig = 0;

	for (int i = 1; i <= SIG_LAST; i++)
		if (strcmp(in->signame[i], name) == 0)
			return i;
	if (strncmp(name, "SIG", 3) != 0)
		return -1;
	p = name + 3;
	if (*p < '1' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9' && sig <= SIG_LAST; p++)
		sig = sig * 10 + (*p - '0');
	return *p || sig > SIG_LAST ? -1 : sig;
}

static int get_exit(struct ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	json_int_t code;
	const char *name;
	json_t *v;
	int r;

	/* One or the other: the exit code, absent when killed. */
	ev->u.exit.exit_code = -1;
	if ((r = get_int(c, o, "exit_code", 0, 255, &code)) < 0)
		return -1;
	if (r)
		ev->u.exit.exit_code = (int)code;
	if ((r = get_typed(c, o, "signal", JSON_STRING, "a string", &v)) < 0)
		return -1;
	if (r) {
		name = plain_string(v);
		ev->u.exit.signal = name ? signal_number(c->in, name) : -1;
		if (ev->u.exit.signal < 0)
			return fail(c, "unknown signal \"%.32s\"",
				    json_string_value(v));
		ev->u.exit.exit_code = -1;
	}
	if (get_bool(c, o, "core", &ev->u.exit.core) < 0 ||
	    (r = get_double(c, o, "duration_s", &ev->duration_s)) < 0)
		return -1;
	if (r)
		ev->have |= SW_HAVE_DURATION;
	/* The wait status the kernel gave, as sw_decode_status() reads it. */
	if (ev->u.exit.signal)
		ev->u.exit.status = (uint32_t)ev->u.exit.signal;
	else if (ev->u.exit.exit_code > 0)
		ev->u.exit.status = (uint32_t)ev->u.exit.exit_code << 8;
	if (ev->u.exit.core)
		ev->u.exit.status |= 0x80;
	ev->u.exit.kernel_ppid = ev->ppid;
	return 0;
}

static int get_id(struct ctx *c, json_t *o)
{
	const bool uid = c->ev->type == SW_EV_UID;
	struct sw_event *ev = c->ev;
	const unsigned r = uid ? 0 : 2;	/* index in c->cred */
	json_int_t prev_r, prev_e;
	int pr, pe;

	if (c->have_cred & (1u << r))
		ev->u.id.r = (uint32_t)c->cred[r];
	if (c->have_cred & (2u << r))
		ev->u.id.e = (uint32_t)c->cred[r + 1];
	ev->u.id.exe = ev->exe;
	pr = get_int(c, o, uid ? "prev_uid" : "prev_gid", 0, UINT32_MAX,
		     &prev_r);
	pe = pr < 0 ? -1 : get_int(c, o, uid ? "prev_euid" : "prev_egid", 0,
				   UINT32_MAX, &prev_e);
	if (pe < 0)
		return -1;
	if (pr && pe) {
		ev->u.id.prev_r = (uint32_t)prev_r;
		ev->u.id.prev_e = (uint32_t)prev_e;
		ev->u.id.have_prev = true;
	}
	return 0;
}

static int get_ptrace(struct ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	bool attach = true;
	int r;

	if (get_pid(c, o, "tracer_pid", &ev->u.ptrace.tracer_pid) < 0 ||
	    get_str(c, o, "tracer_comm", &ev->u.ptrace.tracer_comm) < 0 ||
	    (r = get_bool(c, o, "attach", &attach)) < 0)
		return -1;
	/* A detach is a ptrace event whose tracer is 0. */
	if (r && !attach) {
		ev->u.ptrace.tracer_pid = 0;
		ev->u.ptrace.tracer_comm = NULL;
	}
	ev->u.ptrace.tracer_tid = ev->u.ptrace.tracer_pid;
	return 0;
}

static int get_anomaly(struct ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	json_t *d;
	int r;

	if (get_str(c, o, "tag", &ev->u.anomaly.tag) < 0)
		return -1;
	if ((r = get_typed(c, o, "detail", JSON_OBJECT, "an object", &d)) <= 0)
		return r;
	c->where = "\"detail\"";
	if (get_uint(c, d, "count", &ev->u.anomaly.count) < 0 ||
	    get_uint(c, d, "threshold", &ev->u.anomaly.threshold) < 0 ||
	    get_double(c, d, "window_s", &ev->u.anomaly.window_s) < 0 ||
	    get_double(c, d, "oldest_s", &ev->u.anomaly.oldest_s) < 0)
		return -1;
	c->where = NULL;
	return 0;
}

static int get_lost(struct ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	json_t *v = json_object_get(o, "count");
	json_int_t n;

	/* null: the kernel said ENOBUFS, not how many. */
	ev->u.lost.count = -1;
	if (v && !json_is_null(v)) {
		if (get_int(c, o, "count", 0, INT64_MAX, &n) < 0)
			return -1;
		ev->u.lost.count = n;
	}
	return get_str(c, o, "reason", &ev->u.lost.reason) < 0 ? -1 : 0;
}

static int get_resync(struct ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;

	if (get_uint(c, o, "added", &ev->u.resync.added) < 0 ||
	    get_uint(c, o, "removed", &ev->u.resync.removed) < 0 ||
	    get_uint(c, o, "reparented", &ev->u.resync.reparented) < 0 ||
	    get_uint(c, o, "tracked", &ev->u.resync.tracked) < 0)
		return -1;
	return 0;
}

static int get_kind(struct ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	int sid;

	switch (ev->type) {
	case SW_EV_FORK:
		ev->u.fork.parent_pid = ev->u.fork.parent_tid = ev->ppid;
		return get_bool(c, o, "thread", &ev->thread) < 0 ? -1 : 0;
	case SW_EV_EXEC:
		ev->enriched = true;
		return 0;
	case SW_EV_EXIT:
		if (get_bool(c, o, "thread", &ev->thread) < 0)
			return -1;
		return get_exit(c, o);
	case SW_EV_UID:
	case SW_EV_GID:
		return get_id(c, o);
	case SW_EV_SID:
		/* The new session is the process's own pid: nothing to keep. */
		return get_pid(c, o, "sid", &sid) < 0 ? -1 : 0;
	case SW_EV_PTRACE:
		return get_ptrace(c, o);
	case SW_EV_COMM:
		return get_comm(c, o, "prev_comm", ev->u.comm.prev,
				&ev->u.comm.have_prev) < 0 ? -1 : 0;
	case SW_EV_COREDUMP:
		ev->u.coredump.parent_pid = ev->ppid;
		return 0;
	case SW_EV_REPARENT:
		return get_pid(c, o, "prev_ppid", &ev->u.reparent.prev_ppid) < 0
			       ? -1 : 0;
	case SW_EV_ANOMALY:
		return get_anomaly(c, o);
	case SW_EV_LOST:
		return get_lost(c, o);
	case SW_EV_RESYNC:
		return get_resync(c, o);
	default:
		/* start, stop: their payload describes the recording run. */
		return 0;
	}
}

/* --- the line ------------------------------------------------------------ */

static int parse_object(struct ctx *c, json_t *o)
{
	json_t *v = json_object_get(o, "event");
	const char *name;
	json_int_t seq;
	int type;

	if (!v)
		return fail(c, "no \"event\" key");
	if (!json_is_string(v))
		return fail(c, "\"event\" is not a string");
	name = plain_string(v);
	type = name ? sw_event_from_name(name) : -1;
	/* ack is the kernel's answer to subscribing: never a line. */
	if (type < 0 || type == SW_EV_ACK)
		return fail(c, "unknown event \"%.32s\"", json_string_value(v));
	sw_event_reset(c->ev, (enum sw_ev_type)type);
	/* seq and host describe the recording, not the event. */
	if (get_ts(c, o) < 0 ||
	    get_int(c, o, "seq", 0, INT64_MAX, &seq) < 0 ||
	    get_str(c, o, "host", &c->in->host) < 0)
		return -1;
	if (get_tags(c, o) < 0 || get_ns(c, o) < 0)
		return -1;
	if (sw_event_is_process(c->ev->type) && get_process(c, o) < 0)
		return -1;
	return get_kind(c, o);
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
	struct ctx c = { .in = in, .ev = ev, .err = err, .errlen = errlen };
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
		return fail(&c, "out of memory");
	/* No JSON_DISABLE_EOF_CHECK: anything after the object is an error. */
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
		       &jerr);
	if (!o)
		return fail(&c, "not JSON: %s (byte %d)", jerr.text,
			    jerr.position);
	r = json_is_object(o) ? parse_object(&c, o)
			      : fail(&c, "not a JSON object");
	json_decref(o);
	return r;
}
