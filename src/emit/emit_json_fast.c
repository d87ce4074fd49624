/* SPDX-License-Identifier: MIT */
/*
 * JSON lines of the kinds one kernel event makes (fork ... lost), written
 * straight into the output buffer: no object tree, no allocation but the
 * buffer's growth.  The bytes are those of the jansson builder of
 * emit_json.c (sw_emit_json_ref_ops), which still writes the rare start,
 * stop and resync lines: the same keys in the same order, the same strings
 * (sw_text_utf8(), then jansson's escapes), the same numbers (%lld, and
 * %.15g as jansson trims it), the same failures.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "text.h"

/* A line being written: its buffer and the first failure, sticky. */
struct jw {
	struct sw_buf *b;
	int err;
};

/* Whether n more bytes (and the NUL after them) fit; grows the buffer. */
static inline bool room(struct jw *w, size_t n)
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

static inline char *end(struct jw *w)
{
	return w->b->data + w->b->len;
}

static inline void done(struct jw *w, const char *p)
{
	w->b->len = (size_t)(p - w->b->data);
}

static inline void raw(struct jw *w, const char *s, size_t n)
{
	if (!room(w, n))
		return;
	memcpy(end(w), s, n);
	w->b->len += n;
}

/* A literal: a key with its quotes, ',' and ':', or a bracket. */
#define LIT(w, s) raw(w, s, sizeof(s) - 1)

static const char two_digits[201] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* "%lld" */
static char *put_lld(char *d, long long v)
{
	unsigned long long u = v < 0 ? -(unsigned long long)v
				     : (unsigned long long)v;
	char tmp[20], *t = tmp + sizeof(tmp);
	size_t n;

	while (u >= 100) {
		t -= 2;
		memcpy(t, two_digits + 2 * (u % 100), 2);
		u /= 100;
	}
	if (u >= 10) {
		t -= 2;
		memcpy(t, two_digits + 2 * u, 2);
	} else {
		*--t = (char)('0' + u);
	}
	if (v < 0)
		*d++ = '-';
	n = (size_t)(tmp + sizeof(tmp) - t);
	memcpy(d, t, n);
	return d + n;
}

static void key_int(struct jw *w, const char *key, size_t klen, long long v)
{
	if (!room(w, klen + 20))
		return;
	memcpy(end(w), key, klen);
	done(w, put_lld(end(w) + klen, v));
}

#define KEY_INT(w, k, v) key_int(w, k, sizeof(k) - 1, v)

static void key_bool(struct jw *w, const char *key, size_t klen, bool v)
{
	if (!room(w, klen + 5))
		return;
	memcpy(end(w), key, klen);
	memcpy(end(w) + klen, v ? "true" : "false", v ? 4 : 5);
	w->b->len += klen + (v ? 4 : 5);
}

#define KEY_BOOL(w, k, v) key_bool(w, k, sizeof(k) - 1, v)

/* Bytes jansson copies as they are: printable ASCII but '"' and '\\'. */
static const unsigned char plain[256] = {
	[0x20 ... 0x21] = 1,
	[0x23 ... 0x5b] = 1,
	[0x5d ... 0x7f] = 1,
};

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Whether some byte of v is zero. */
static inline uint64_t zero_byte(uint64_t v)
{
	return (v - ONES) & ~v & HIGHS;
}

/* Whether the eight bytes of v are all plain. */
static inline bool plain8(uint64_t v)
{
	return !((v & HIGHS) | zero_byte(v ^ (ONES * '"')) |
		 zero_byte(v ^ (ONES * '\\')) |
		 ((v - ONES * 0x20) & ~v & HIGHS));
}

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

/* The JSON escape of an ASCII byte that is not plain. */
static char *put_escape(char *d, unsigned char c)
{
	char e;

	switch (c) {
	case '"':
		e = '"';
		break;
	case '\\':
		e = '\\';
		break;
	case '\b':
		e = 'b';
		break;
	case '\f':
		e = 'f';
		break;
	case '\n':
		e = 'n';
		break;
	case '\r':
		e = 'r';
		break;
	case '\t':
		e = 't';
		break;
	default:
		memcpy(d, "\\u00", 4);
		d[4] = hex_upper[c >> 4];
		d[5] = hex_upper[c & 15];
		return d + 6;
	}
	d[0] = '\\';
	d[1] = e;
	return d + 2;
}

/*
 * A string, quoted.  A hostile one (from a process) has each byte that is
 * not part of valid UTF-8 written as \xNN, whose backslash JSON escapes;
 * a strict one (jansson's json_string()) must be valid UTF-8 already.
 */
static void put_string(struct jw *w, const char *p, size_t n, bool strict)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, lim = n < 4096 ? n : 4096;
	char *d;

	/*
	 * A piece at a time, room made for the most it can be: 6 bytes out
	 * per byte in (\u00XX), and the quotes.  A UTF-8 sequence may end
	 * past its piece: its bytes out are fewer than 6 a byte in the piece.
	 */
	if (!room(w, 6 * lim + 2))
		return;
	d = end(w);
	*d++ = '"';
	for (;;) {
		while (i < lim) {
			unsigned char c;
			size_t len;
			uint64_t v;

			if (lim - i >= 8) {
				memcpy(&v, s + i, 8);
				if (plain8(v)) {
					memcpy(d, &v, 8);
					d += 8;
					i += 8;
					continue;
				}
			}
			/* Up to the byte that is not plain: fewer than 8. */
			while (i < lim && plain[s[i]])
				*d++ = (char)s[i++];
			if (i == lim)
				break;
			c = s[i];
			if (c < 0x80) {
				d = put_escape(d, c);
				i++;
				continue;
			}
			len = sw_text_utf8_seq(s + i, n - i);
			if (len) {
				memcpy(d, s + i, len);
				d += len;
				i += len;
				continue;
			}
			if (strict) {
				w->err = -EINVAL;
				return;
			}
			d[0] = '\\';
			d[1] = '\\';
			d[2] = 'x';
			d[3] = hex_lower[c >> 4];
			d[4] = hex_lower[c & 15];
			d += 5;
			i++;
		}
		if (i >= n)
			break;
		lim = n - i < 4096 ? n : i + 4096;
		done(w, d);
		if (!room(w, 6 * (lim - i) + 1))
			return;
		d = end(w);
	}
	*d++ = '"';
	done(w, d);
}

/* A process's string under key; none when s is NULL. */
static void key_hostile(struct jw *w, const char *key, size_t klen,
			const char *s)
{
	if (!s)
		return;
	raw(w, key, klen);
	put_string(w, s, strlen(s), false);
}

#define KEY_HOSTILE(w, k, s) key_hostile(w, k, sizeof(k) - 1, s)

/* spawnwatch's own string under key: a NULL one fails the line. */
static void key_strict(struct jw *w, const char *key, size_t klen,
		       const char *s)
{
	if (!s) {
		if (!w->err)
			w->err = -EINVAL;
		return;
	}
	raw(w, key, klen);
	put_string(w, s, strlen(s), true);
}

#define KEY_STRICT(w, k, s) key_strict(w, k, sizeof(k) - 1, s)

/*
 * A real as jansson writes it with JSON_REAL_PRECISION(15): "%.15g", ".0"
 * when that has neither '.' nor 'e', the exponent without '+' or leading
 * zeros.  Infinities and NaN are no JSON (json_real() refuses them).
 */
static void put_real(struct jw *w, double v)
{
	char tmp[64], point, *e;
	int n;

	if (!isfinite(v)) {
		if (!w->err)
			w->err = -EINVAL;
		return;
	}
	n = snprintf(tmp, sizeof(tmp), "%.15g", v);
	if (n < 0 || (size_t)n + 3 >= sizeof(tmp)) {
		if (!w->err)
			w->err = -EINVAL;
		return;
	}
	point = localeconv()->decimal_point[0];
	if (point != '.' && (e = strchr(tmp, point)))
		*e = '.';
	if (!strchr(tmp, '.') && !strchr(tmp, 'e')) {
		tmp[n++] = '.';
		tmp[n++] = '0';
		tmp[n] = '\0';
	}
	e = strchr(tmp, 'e');
	if (e) {
		char *start = e + 1, *from = start + 1;

		if (*start == '-')
			start++;
		while (*from == '0')
			from++;
		if (from != start) {
			memmove(start, from, (size_t)(tmp + n - from));
			n -= (int)(from - start);
		}
	}
	raw(w, tmp, (size_t)n);
}

/*
 * v / 10^k (k <= 6), written as put_real() writes the double nearest to it.
 * Exact for |v| < 10^15: such a decimal has at most 15 significant digits,
 * which is what "%.15g" gives back of the double nearest to it (DBL_DIG).
 */
static void put_scaled(struct jw *w, long long v, int k)
{
	unsigned long long u = v < 0 ? -(unsigned long long)v
				     : (unsigned long long)v;
	char dig[20], *d;
	int n = 0, sig, x;

	if (u >= 1000000000000000ull) {
		put_real(w, (double)v / (k == 6 ? 1e6 : 1e3));
		return;
	}
	if (u == 0) {
		LIT(w, "0.0");
		return;
	}
	if (!room(w, 40))
		return;
	for (unsigned long long t = u; t; t /= 10)
		n++;
	for (int i = n - 1; i >= 0; i--, u /= 10)
		dig[i] = (char)('0' + u % 10);
	for (sig = n; dig[sig - 1] == '0'; sig--)
		;
	x = n - 1 - k;		/* the decimal exponent */
	d = end(w);
	if (v < 0)
		*d++ = '-';
	if (x < -4) {
		/* "%g" turns to 1.5e-05, which jansson makes 1.5e-5. */
		*d++ = dig[0];
		if (sig > 1) {
			*d++ = '.';
			memcpy(d, dig + 1, (size_t)sig - 1);
			d += sig - 1;
		}
		*d++ = 'e';
		d = put_lld(d, x);
	} else {
		/* Fixed, trailing zeros cut, ".0" for a whole number. */
		int whole = n - k;

		if (whole > 0) {
			memcpy(d, dig, (size_t)whole);
			d += whole;
		} else {
			*d++ = '0';
		}
		*d++ = '.';
		if (sig <= whole) {
			*d++ = '0';
		} else {
			for (int i = whole; i < 0; i++)
				*d++ = '0';
			whole = whole > 0 ? whole : 0;
			memcpy(d, dig + whole, (size_t)(sig - whole));
			d += sig - whole;
		}
	}
	done(w, d);
}

/* sw_json_duration(): cut to the microsecond. */
static void put_duration(struct jw *w, double s)
{
	put_scaled(w, (long long)(s * 1e6), 6);
}

static void put_ancestry(struct jw *w, const struct sw_event *ev)
{
	LIT(w, ",\"ancestry\":[");
	for (unsigned i = 0; i < ev->n_ancestry; i++) {
		const struct sw_ancestor *a = &ev->ancestry[i];

		if (i)
			LIT(w, ",");
		KEY_INT(w, "{\"pid\":", a->pid);
		KEY_HOSTILE(w, ",\"comm\":", a->comm);
		KEY_HOSTILE(w, ",\"exe\":", a->exe);
		LIT(w, "}");
	}
	LIT(w, "]");
}

static void put_argv(struct jw *w, const char *argv, size_t len)
{
	size_t i = 0;

	LIT(w, ",\"argv\":[");
	while (i < len) {
		const char *nul = memchr(argv + i, '\0', len - i);
		size_t n = nul ? (size_t)(nul - (argv + i)) : len - i;

		if (i)
			LIT(w, ",");
		put_string(w, argv + i, n, false);
		i += n + 1;
	}
	LIT(w, "]");
}

static void put_process(struct jw *w, const struct sw_event *ev)
{
	KEY_INT(w, ",\"pid\":", ev->pid);
	if (ev->tid != ev->pid)
		KEY_INT(w, ",\"tid\":", ev->tid);
	if (ev->have & SW_HAVE_PPID)
		KEY_INT(w, ",\"ppid\":", ev->ppid);
	if (ev->type == SW_EV_COMM)
		KEY_HOSTILE(w, ",\"comm\":", ev->u.comm.comm);
	else if (ev->have & SW_HAVE_COMM)
		KEY_HOSTILE(w, ",\"comm\":", ev->comm);
	if (ev->have & SW_HAVE_EXE)
		KEY_HOSTILE(w, ",\"exe\":", ev->exe);
	if (ev->have & SW_HAVE_CWD)
		KEY_HOSTILE(w, ",\"cwd\":", ev->cwd);
	if ((ev->have & SW_HAVE_ARGV) && ev->argv)
		put_argv(w, ev->argv, ev->argv_len);
	if (ev->have & SW_HAVE_CREDS) {
		KEY_INT(w, ",\"uid\":", ev->uid);
		KEY_INT(w, ",\"euid\":", ev->euid);
		KEY_INT(w, ",\"gid\":", ev->gid);
		KEY_INT(w, ",\"egid\":", ev->egid);
		KEY_HOSTILE(w, ",\"user\":", ev->user);
	}
	if (ev->n_ancestry)
		put_ancestry(w, ev);
	if (ev->container_id) {
		KEY_HOSTILE(w, ",\"container\":{\"id\":", ev->container_id);
		KEY_STRICT(w, ",\"runtime\":", ev->container_runtime);
		LIT(w, "}");
	}
	if (ev->type == SW_EV_EXEC && (ev->have & SW_HAVE_NS)) {
		KEY_INT(w, ",\"ns\":{\"mnt\":", (long long)ev->mntns);
		KEY_INT(w, ",\"pid\":", (long long)ev->pidns);
		LIT(w, "}");
	}
}

static void put_tags(struct jw *w, const struct sw_event *ev)
{
	if (!ev->n_tags)
		return;
	KEY_STRICT(w, ",\"tags\":[", ev->tags[0]);
	for (unsigned i = 1; i < ev->n_tags; i++)
		KEY_STRICT(w, ",", ev->tags[i]);
	LIT(w, "]");
}

static void put_exit(struct jw *w, const struct sw_event *ev)
{
	const int signo = ev->u.exit.signal;
	char sig[32];

	KEY_BOOL(w, ",\"thread\":", ev->thread);
	if (signo == 0)
		KEY_INT(w, ",\"exit_code\":", ev->u.exit.exit_code);
	else
		KEY_STRICT(w, ",\"signal\":",
			   sw_emit_signame(signo, sig, sizeof(sig)));
	KEY_BOOL(w, ",\"core\":", ev->u.exit.core);
	if (ev->have & SW_HAVE_DURATION) {
		LIT(w, ",\"duration_s\":");
		put_duration(w, ev->duration_s);
	}
}

/* sw_json_anomaly_detail() */
static void put_detail(struct jw *w, const struct sw_event *ev)
{
	KEY_INT(w, ",\"detail\":{\"count\":", ev->u.anomaly.count);
	KEY_INT(w, ",\"threshold\":", ev->u.anomaly.threshold);
	if (ev->u.anomaly.window_s > 0) {
		LIT(w, ",\"window_s\":");
		put_real(w, ev->u.anomaly.window_s);
	}
	LIT(w, ",\"oldest_s\":");
	put_scaled(w, (long long)(ev->u.anomaly.oldest_s * 1000), 3);
	LIT(w, "}");
}

static void put_kind(struct jw *w, const struct sw_event *ev)
{
	const bool uid = ev->type == SW_EV_UID;

	switch (ev->type) {
	case SW_EV_FORK:
		KEY_BOOL(w, ",\"thread\":", ev->thread);
		break;
	case SW_EV_EXIT:
		put_exit(w, ev);
		break;
	case SW_EV_UID:
	case SW_EV_GID:
		if (!ev->u.id.have_prev)
			break;
		if (uid) {
			KEY_INT(w, ",\"prev_uid\":", ev->u.id.prev_r);
			KEY_INT(w, ",\"prev_euid\":", ev->u.id.prev_e);
		} else {
			KEY_INT(w, ",\"prev_gid\":", ev->u.id.prev_r);
			KEY_INT(w, ",\"prev_egid\":", ev->u.id.prev_e);
		}
		break;
	case SW_EV_SID:
		KEY_INT(w, ",\"sid\":", ev->pid);
		break;
	case SW_EV_PTRACE:
		if (ev->u.ptrace.tracer_pid) {
			KEY_INT(w, ",\"tracer_pid\":", ev->u.ptrace.tracer_pid);
			KEY_HOSTILE(w, ",\"tracer_comm\":",
				    ev->u.ptrace.tracer_comm);
		}
		KEY_BOOL(w, ",\"attach\":", ev->u.ptrace.tracer_pid != 0);
		break;
	case SW_EV_COMM:
		if (ev->u.comm.have_prev)
			KEY_HOSTILE(w, ",\"prev_comm\":", ev->u.comm.prev);
		break;
	case SW_EV_REPARENT:
		KEY_INT(w, ",\"prev_ppid\":", ev->u.reparent.prev_ppid);
		break;
	case SW_EV_ANOMALY:
		KEY_STRICT(w, ",\"tag\":", ev->u.anomaly.tag);
		put_detail(w, ev);
		break;
	case SW_EV_LOST:
		if (ev->u.lost.count < 0)
			LIT(w, ",\"count\":null");
		else
			KEY_INT(w, ",\"count\":", ev->u.lost.count);
		KEY_STRICT(w, ",\"reason\":", ev->u.lost.reason);
		break;
	default:
		break;
	}
}

static int json_write(struct sw_emit *em, const struct sw_event *ev,
		      struct sw_buf *out)
{
	struct jw w = { .b = out };
	size_t mark = out->len;
	char ts[SW_EMIT_TS_MAX];
	size_t n;

	if ((unsigned)ev->type > SW_EV_LOST)
		return sw_emit_json_ref_ops.format(em, ev, out);

	n = sw_emit_ts_cached(em, ev->ktime_ns, ts);
	LIT(&w, "{\"ts\":");
	put_string(&w, ts, n, true);
	KEY_INT(&w, ",\"seq\":", (long long)em->seq);
	KEY_HOSTILE(&w, ",\"host\":", em->host);
	KEY_STRICT(&w, ",\"event\":", sw_event_name(ev->type));
	if (sw_event_is_process(ev->type))
		put_process(&w, ev);
	put_tags(&w, ev);
	put_kind(&w, ev);
	LIT(&w, "}\n");
	if (w.err) {
		out->len = mark;
		if (out->data)
			out->data[mark] = '\0';
		return w.err;
	}
	out->data[out->len] = '\0';
	return 0;
}

const struct sw_emitter_ops sw_emit_json_ops = {
	.name = "json",
	.flags = SW_EMIT_F_DOCUMENT | SW_EMIT_F_FOREST_JSON,
	.format = json_write,
	.truncate = sw_emit_cut_document,
};
