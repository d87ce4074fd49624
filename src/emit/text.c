/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

size_t sw_text_utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static int put_hex(struct sw_buf *out, unsigned char c)
{
	static const char digits[] = "0123456789abcdef";
	char hex[4] = { '\\', 'x', digits[c >> 4], digits[c & 15] };

	return sw_buf_append(out, hex, 4);
}

int sw_text_utf8(struct sw_buf *out, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, run = 0;
	int r;

	if (sw_buf_reserve(out, n) < 0)
		return -ENOMEM;
	while (i < n) {
		size_t len = sw_text_utf8_seq(s + i, n - i);

		if (len) {
			i += len;
			continue;
		}
		if ((r = sw_buf_append(out, p + run, i - run)) < 0 ||
		    (r = put_hex(out, s[i])) < 0)
			return r;
		run = ++i;
	}
	return sw_buf_append(out, p + run, n - run);
}

bool sw_text_cp_unsafe(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The code point of the valid len-byte sequence at p. */
static unsigned code_point(const unsigned char *p, size_t len)
{
	static const unsigned char lead_mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	unsigned cp = p[0] & lead_mask[len];

	for (size_t i = 1; i < len; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	return cp;
}

/*
 * The length of what starts at s (a valid sequence, or 1 for an invalid
 * byte), and in *shown whether a terminal may be shown it raw.
 */
static size_t next_char(const unsigned char *s, size_t n,
			enum sw_text_charset cs, bool *shown)
{
	size_t len;

	if (s[0] < 0x80) {	/* most of every line: no decoding */
		*shown = s[0] >= 0x20 && s[0] != 0x7f;
		return 1;
	}
	len = sw_text_utf8_seq(s, n);
	if (!len) {
		*shown = false;
		return 1;
	}
	*shown = !(len > 1 && cs == SW_TEXT_ASCII) &&
		 !sw_text_cp_unsafe(code_point(s, len));
	return len;
}

static bool shell_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("@%+=:,./-_", c));
}

static int quote_ansi(struct sw_buf *out, const unsigned char *s, size_t n,
		      enum sw_text_charset cs)
{
	int r = sw_buf_append(out, "$'", 2);

	for (size_t i = 0, len; i < n && r == 0; i += len) {
		bool shown;

		len = next_char(s + i, n - i, cs, &shown);
		if (!shown) {
			for (size_t k = 0; k < len && r == 0; k++)
				r = put_hex(out, s[i + k]);
		} else if (s[i] == '\'' || s[i] == '\\') {
			r = sw_buf_putc(out, '\\');
			r = r ? r : sw_buf_putc(out, (char)s[i]);
		} else {
			r = sw_buf_append(out, s + i, len);
		}
	}
	return r ? r : sw_buf_putc(out, '\'');
}

int sw_text_shell_quote(struct sw_buf *out, const char *p, size_t n,
			enum sw_text_charset cs)
{
	const unsigned char *s = (const unsigned char *)p;
	bool safe = n > 0, plain = true;
	int r;

	for (size_t i = 0, len; i < n; i += len) {
		bool shown;

		len = next_char(s + i, n - i, cs, &shown);
		plain = plain && shown;
		safe = safe && len == 1 && shell_safe(s[i]);
	}
	if (safe)
		return sw_buf_append(out, p, n);
	if (!plain)
		return quote_ansi(out, s, n, cs);
	r = sw_buf_putc(out, '\'');
	for (size_t i = 0; i < n && r == 0; i++)
		r = s[i] == '\'' ? sw_buf_append(out, "'\\''", 4)
				 : sw_buf_putc(out, p[i]);
	return r ? r : sw_buf_putc(out, '\'');
}

enum sw_text_charset sw_text_charset_of(const char *codeset)
{
	return codeset && (strcasecmp(codeset, "UTF-8") == 0 ||
			   strcasecmp(codeset, "UTF8") == 0)
		       ? SW_TEXT_UTF8
		       : SW_TEXT_ASCII;
}

enum sw_text_charset sw_text_locale(void)
{
	const char *now = setlocale(LC_CTYPE, NULL);
	char *was = now ? strdup(now) : NULL;
	enum sw_text_charset cs = SW_TEXT_ASCII;

	if (setlocale(LC_CTYPE, ""))
		cs = sw_text_charset_of(nl_langinfo(CODESET));
	setlocale(LC_CTYPE, was ? was : "C");
	free(was);
	return cs;
}
