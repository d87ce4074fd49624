/* SPDX-License-Identifier: MIT */
/* The JSON writer (jsonw.h): jansson's bytes without jansson. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jsonw.h"
#include "text.h"

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

void sw_jsonw_key_int(struct sw_jsonw *w, const char *key, size_t klen,
		      long long v)
{
	if (!sw_jsonw_room(w, klen + 20))
		return;
	memcpy(sw_jsonw_end(w), key, klen);
	sw_jsonw_done(w, put_lld(sw_jsonw_end(w) + klen, v));
}


void sw_jsonw_key_bool(struct sw_jsonw *w, const char *key, size_t klen,
		       bool v)
{
	if (!sw_jsonw_room(w, klen + 5))
		return;
	memcpy(sw_jsonw_end(w), key, klen);
	memcpy(sw_jsonw_end(w) + klen, v ? "true" : "false", v ? 4 : 5);
	w->b->len += klen + (v ? 4 : 5);
}


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
void sw_jsonw_string(struct sw_jsonw *w, const char *p, size_t n,
		     bool strict)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, lim = n < 4096 ? n : 4096;
	char *d;

	/*
	 * A piece at a time, room made for the most it can be: 6 bytes out
	 * per byte in (\u00XX), and the quotes.  A UTF-8 sequence may end
	 * past its piece: its bytes out are fewer than 6 a byte in the piece.
	 */
	if (!sw_jsonw_room(w, 6 * lim + 2))
		return;
	d = sw_jsonw_end(w);
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
		sw_jsonw_done(w, d);
		if (!sw_jsonw_room(w, 6 * (lim - i) + 1))
			return;
		d = sw_jsonw_end(w);
	}
	*d++ = '"';
	sw_jsonw_done(w, d);
}

size_t sw_jsonw_fit(const char *p, size_t n, size_t budget, size_t *ret_cost)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, cost = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len = 1, out;

		if (plain[c]) {
			out = 1;
		} else if (c < 0x80) {
			char e[6];

			out = (size_t)(put_escape(e, c) - e);
		} else if ((len = sw_text_utf8_seq(s + i, n - i)) != 0) {
			out = len;
		} else {
			len = 1;
			out = 5;	/* \\xNN */
		}
		if (out > budget - cost)
			break;
		cost += out;
		i += len;
	}
	if (ret_cost)
		*ret_cost = cost;
	return i;
}

/* A process's string under key; none when s is NULL. */
void sw_jsonw_key_hostile(struct sw_jsonw *w, const char *key, size_t klen,
			  const char *s)
{
	if (!s)
		return;
	sw_jsonw_raw(w, key, klen);
	sw_jsonw_string(w, s, strlen(s), false);
}


/* spawnwatch's own string under key: a NULL one fails the line. */
void sw_jsonw_key_strict(struct sw_jsonw *w, const char *key, size_t klen,
			 const char *s)
{
	if (!s) {
		if (!w->err)
			w->err = -EINVAL;
		return;
	}
	sw_jsonw_raw(w, key, klen);
	sw_jsonw_string(w, s, strlen(s), true);
}


/*
 * A real as jansson writes it with JSON_REAL_PRECISION(15): "%.15g", ".0"
 * when that has neither '.' nor 'e', the exponent without '+' or leading
 * zeros.  Infinities and NaN are no JSON (json_real() refuses them).
 */
void sw_jsonw_real(struct sw_jsonw *w, double v)
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
	sw_jsonw_raw(w, tmp, (size_t)n);
}

/*
 * v / 10^k (k <= 6), written as sw_jsonw_real() writes the double nearest to it.
 * Exact for |v| < 10^15: such a decimal has at most 15 significant digits,
 * which is what "%.15g" gives back of the double nearest to it (DBL_DIG).
 */
void sw_jsonw_scaled(struct sw_jsonw *w, long long v, int k)
{
	unsigned long long u = v < 0 ? -(unsigned long long)v
				     : (unsigned long long)v;
	char dig[20], *d;
	int n = 0, sig, x;

	if (u >= 1000000000000000ull) {
		sw_jsonw_real(w, (double)v / (k == 6 ? 1e6 : 1e3));
		return;
	}
	if (u == 0) {
		JW_LIT(w, "0.0");
		return;
	}
	if (!sw_jsonw_room(w, 40))
		return;
	for (unsigned long long t = u; t; t /= 10)
		n++;
	for (int i = n - 1; i >= 0; i--, u /= 10)
		dig[i] = (char)('0' + u % 10);
	for (sig = n; dig[sig - 1] == '0'; sig--)
		;
	x = n - 1 - k;		/* the decimal exponent */
	d = sw_jsonw_end(w);
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
	sw_jsonw_done(w, d);
}

int sw_jsonw_finish(struct sw_jsonw *w, size_t mark)
{
	if (w->err) {
		w->b->len = mark;
		if (w->b->data)
			w->b->data[mark] = '\0';
		return w->err;
	}
	w->b->data[w->b->len] = '\0';
	return 0;
}
