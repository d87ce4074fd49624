/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer entry point for the text emitter (sw_emit_text_ops) and the
 * quoting it shares with forest and --stats (sw_text_shell_quote): the
 * bytes are an event whose every string is hostile, formatted under both
 * charsets, with and without colour.  Aborts when a line is not one line
 * ending in '\n', when it is not valid UTF-8 (not ASCII under
 * SW_TEXT_ASCII), when it holds a C0 control, DEL, a C1 control, a bidi
 * embedding, override or isolate, or U+2028/U+2029 raw (the emitter's own
 * colour codes aside), when the bytes already in the buffer change; and
 * when a quoted word does not read back, as bash reads it, as the bytes it
 * was.  Checked by a decoder of its own, not by text.c's.
 * Seeds: tests/fuzz/text/.
 *
 * Input, read in order; missing bytes read as 0:
 *   kind, have (2), flags, pid, tid, ppid, euid (4 each), ktime (8), clock
 *   offset (4), bytes already in the buffer (1), host, comm, user
 *   (strings), argv (a string whose NULs split it; when flags say so a
 *   length (2) to repeat it up to), tags (count, strings), then the kind's
 *   own fields: exit code (4), signal (1), duration (8); uid/gid previous
 *   ids (4 each); ptrace tracer (4) and its comm; comm its new and old
 *   comm; reparent the old parent (4); anomaly its tag, count, threshold
 *   (4 each), age (8); lost its count (8) and reason; resync its counts
 *   (4 each); start the version and kernel; stop its counters (8 each);
 *   last the peer of a shell when have has SW_HAVE_NET (input.h,
 *   take_net()).
 * A string is a length byte (255: none) and that many tokens: a byte below
 * 0xe0 is itself, 0xff takes the next byte as it is, any other picks one
 * of the sequences a terminal cares about (C1, bidi, separators, their
 * neighbours, overlong forms, surrogates, cut sequences).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "stats.h"
#include "text.h"

#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARGV_MAX 8192

static const char *const seqs[] = {
	"\xc2\x80", "\xc2\x85", "\xc2\x9b", "\xc2\x9d", "\xc2\x9f", "\xc2\xa0",
	"\xe2\x80\xa7", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xaa",
	"\xe2\x80\xae", "\xe2\x80\xaf", "\xe2\x81\xa5", "\xe2\x81\xa6",
	"\xe2\x81\xa9", "\xe2\x81\xaa", "\xc3\xa9", "\xf0\x9f\x98\x80",
	"\xed\xa0\x80", "\xc0\x9b", "\xe0\x82\x9b", "\xf0\x82\x80\xae",
	"\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\x1b[", "\x7f", "'\\",
	"\xe2\x80", "\xef\xbf\xbf",
};

/* The bytes of a string: *len of them at buf (at most cap). */
static void take_bytes(struct input *in, char *buf, size_t cap, size_t *len)
{
	unsigned tokens = (unsigned)take(in, 1);

	*len = 0;
	for (unsigned t = 0; t < tokens && in->n; t++) {
		unsigned c = (unsigned)take(in, 1);
		const char *s;
		char raw;
		size_t k;

		if (c < 0xe0 || c == 0xff) {
			raw = (char)(c == 0xff ? take(in, 1) : c);
			s = &raw;
			k = 1;
		} else {
			s = seqs[(c - 0xe0) % (sizeof(seqs) / sizeof(seqs[0]))];
			k = strlen(s);
		}
		if (*len + k > cap)
			break;
		memcpy(buf + *len, s, k);
		*len += k;
	}
}

/* s[0..n) and a NUL, in an allocation of its own; NULL when too many. */
static char *own_copy(struct input *in, const char *s, size_t n)
{
	char *p = own(in, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* A C string: cut at its first NUL.  NULL when the length byte is 255. */
static const char *take_string(struct input *in)
{
	char buf[1024];
	size_t len;

	if (in->n && *in->p == 255) {
		take(in, 1);
		return NULL;
	}
	take_bytes(in, buf, sizeof(buf), &len);
	return own_copy(in, buf, strnlen(buf, len));
}

static void take_argv(struct input *in, struct sw_event *ev, unsigned flags)
{
	char buf[1024], *argv;
	size_t len, upto;

	take_bytes(in, buf, sizeof(buf), &len);
	upto = flags & 4 ? (size_t)take(in, 2) % (ARGV_MAX + 1) : len;
	upto = len && upto > len ? upto : len;
	if (!(flags & 8) || !(argv = own(in, upto)))
		return;
	for (size_t i = 0; i < upto; i++)
		argv[i] = buf[i % len];
	ev->argv = argv;
	ev->argv_len = upto;
}

static void take_kind(struct input *in, struct sw_event *ev, unsigned flags)
{
	static struct sw_start_info si;
	static struct sw_stats st;

	switch (ev->type) {
	case SW_EV_EXIT:
		take_kind_common(in, ev, flags);
		ev->duration_s = (double)(int64_t)take(in, 8) / 1e6;
		break;
	case SW_EV_UID:
	case SW_EV_GID:
		ev->u.id.r = (uint32_t)take(in, 4);
		ev->u.id.e = (uint32_t)take(in, 4);
		take_kind_common(in, ev, flags);
		break;
	case SW_EV_ANOMALY:
		ev->u.anomaly.tag = take_string(in);
		ev->u.anomaly.count = (unsigned)take(in, 4);
		ev->u.anomaly.threshold = (unsigned)take(in, 4);
		ev->u.anomaly.oldest_s = (double)(int64_t)take(in, 8) / 1e3;
		break;
	case SW_EV_LOST:
		ev->u.lost.count = flags & 32 ? -1 : (int64_t)(take(in, 8) >> 1);
		ev->u.lost.reason = take_string(in);
		break;
	case SW_EV_START:
		si.version = take_string(in);
		si.kernel = take_string(in);
		si.tracked = (unsigned)take(in, 4);
		ev->start = flags & 32 ? NULL : &si;
		break;
	case SW_EV_STOP:
		st.emitted = take(in, 8);
		st.lost = take(in, 8);
		st.rejected = take(in, 8);
		st.tracked = (unsigned)take(in, 4);
		ev->stats = flags & 32 ? NULL : &st;
		break;
	default:
		take_kind_common(in, ev, flags);
		break;
	}
}

static void fill(struct input *in, struct sw_event *ev, struct sw_emit *em,
		 size_t *pre, bool *color)
{
	const char *host;
	unsigned flags;

	flags = take_head(in, ev);
	ev->euid = (uint32_t)take(in, 4);
	take_clock(in, ev, &em->realtime_offset_ns);
	*pre = (size_t)take(in, 1);
	*color = flags & 64;
	host = take_string(in);
	snprintf(em->host, sizeof(em->host), "%s", host ? host : "");
	ev->comm = take_string(in);
	ev->user = take_string(in);
	take_argv(in, ev, flags);
	ev->n_tags = (unsigned)take(in, 1) % (SW_TAGS_MAX + 1);
	for (unsigned i = 0; i < ev->n_tags; i++)
		ev->tags[i] = take_string(in);
	take_kind(in, ev, flags);
	take_net(in, ev);
}

/* The code point at s[0..n) and its length, or 0 when not valid UTF-8. */
static size_t decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	size_t len = c < 0x80 ? 1 : c < 0xc2 ? 0 : c < 0xe0 ? 2 : c < 0xf0 ? 3 :
		     c < 0xf5 ? 4 : 0;

	if (!len || len > n)
		return 0;
	*cp = len == 1 ? c : c & (0x7fu >> len);
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[k] & 0x3f);
	}
	if ((len == 3 && *cp < 0x800) || (len == 4 && *cp < 0x10000) ||
	    (*cp >= 0xd800 && *cp <= 0xdfff) || *cp > 0x10ffff)
		return 0;
	return len;
}

static bool obeyed(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* s[0..n) is what a terminal may be shown raw under cs. */
static void check_shown(const unsigned char *s, size_t n, enum sw_text_charset cs)
{
	for (size_t i = 0, len; i < n; i += len) {
		unsigned cp = 0;

		len = decode(s + i, n - i, &cp);
		if (!len || obeyed(cp) || (cs == SW_TEXT_ASCII && cp >= 0x80))
			abort();
	}
}

/* Length of an SGR sequence "\033[...m" at s, or 0. */
static size_t sgr(const char *s, size_t n)
{
	size_t i = 2;

	if (n < 3 || s[0] != '\033' || s[1] != '[')
		return 0;
	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == ';'))
		i++;
	return i < n && s[i] == 'm' ? i + 1 : 0;
}

/*
 * One line, '\n' last and only there; with colour, the emitter's two SGR
 * codes around the kind's name (ts, a space, then the name padded to 8),
 * and nothing else a terminal obeys.
 */
static void check_line(const char *p, size_t len, const struct sw_event *ev,
		       bool color, enum sw_text_charset cs)
{
	static char b[1 << 17];
	size_t name = strlen(sw_event_name(ev->type)), at = 16, k, n = 0;

	if (len < 2 || p[len - 1] != '\n' || memchr(p, '\n', len - 1) ||
	    len - 1 > sizeof(b))
		abort();
	len--;
	if (color) {
		if (len < at || p[at - 1] != ' ')
			abort();
		k = sgr(p + at, len - at);	/* none: a clean exit */
		memcpy(b, p, at);
		n = at;
		at += k;
		k = (name < 8 ? 8 : name);
		if (at + k > len)
			abort();
		memcpy(b + n, p + at, k);
		n += k;
		at += k;
		k = sgr(p + at, len - at);	/* the reset: always */
		if (!k)
			abort();
		at += k;
	} else {
		at = 0;
	}
	memcpy(b + n, p + at, len - at);
	n += len - at;
	check_shown((const unsigned char *)b, n, cs);
}

/* Reads a quoted word back as bash does: bare, '...', \c and $'...'. */
static size_t unquote(const char *q, size_t n, char *out)
{
	size_t i = 0, o = 0;

	while (i < n) {
		if (q[i] == '$' && i + 1 < n && q[i + 1] == '\'') {
			for (i += 2; i < n && q[i] != '\''; i++) {
				if (q[i] != '\\') {
					out[o++] = q[i];
					continue;
				}
				if (++i == n)
					abort();
				if (q[i] == '\\' || q[i] == '\'') {
					out[o++] = q[i];
				} else if (q[i] == 'x' && i + 2 < n) {
					char hex[3] = { q[i + 1], q[i + 2], 0 };
					char *end;

					out[o++] = (char)strtoul(hex, &end, 16);
					if (*end)
						abort();	/* always two digits */
					i += 2;
				} else {
					abort();	/* no other escape is written */
				}
			}
			if (i++ == n)
				abort();
		} else if (q[i] == '\'') {
			const char *end = memchr(q + i + 1, '\'', n - i - 1);

			if (!end)
				abort();
			memcpy(out + o, q + i + 1, (size_t)(end - q) - i - 1);
			o += (size_t)(end - q) - i - 1;
			i = (size_t)(end - q) + 1;
		} else if (q[i] == '\\' && i + 1 < n) {
			out[o++] = q[i + 1];
			i += 2;
		} else if (strchr(" \t\n\"`$;&|<>()*?[]#~!{}\\", q[i])) {
			abort();	/* bash would read it as syntax */
		} else {
			out[o++] = q[i++];
		}
	}
	return o;
}

/* Each word of argv quoted alone: shown safely, and read back as it was. */
static void check_words(const struct sw_event *ev, enum sw_text_charset cs)
{
	static char back[ARGV_MAX * 4 + 16];
	struct sw_buf q = { 0 };

	for (size_t i = 0; ev->argv && i < ev->argv_len;) {
		const char *w = ev->argv + i;
		size_t n = strnlen(w, ev->argv_len - i);

		q.len = 0;
		if (sw_text_shell_quote(&q, w, n, cs) < 0)
			abort();
		check_shown((const unsigned char *)q.data, q.len, cs);
		if (q.len > sizeof(back) || unquote(q.data, q.len, back) != n ||
		    memcmp(back, w, n) != 0)
			abort();
		i += n + 1;
	}
	sw_buf_free(&q);
}

static void format(struct sw_emit *em, const struct sw_event *ev, size_t pre,
		   bool color, enum sw_text_charset cs)
{
	static char pattern[256];
	struct sw_buf out = { 0 };

	for (size_t i = 0; i < pre; i++)
		pattern[i] = (char)('A' + i % 26);
	em->color = color;
	em->charset = cs;
	if (sw_buf_append(&out, pattern, pre) < 0 ||
	    sw_emit_event(em, ev, &out) < 0 || out.len <= pre ||
	    memcmp(out.data, pattern, pre) != 0 || out.data[out.len] != '\0')
		abort();
	check_line(out.data + pre, out.len - pre, ev, color, cs);
	sw_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sw_emit em;
	static struct sw_event ev;
	static bool ready;
	struct input in = { .p = data, .n = size };
	size_t pre;
	bool color;

	if (!ready) {
		sw_emit_init(&em, &sw_emit_text_ops, false);
		ready = true;
	}
	fill(&in, &ev, &em, &pre, &color);
	format(&em, &ev, pre, color, SW_TEXT_UTF8);
	format(&em, &ev, pre, color, SW_TEXT_ASCII);
	check_words(&ev, SW_TEXT_UTF8);
	check_words(&ev, SW_TEXT_ASCII);
	input_free(&in);
	return 0;
}
