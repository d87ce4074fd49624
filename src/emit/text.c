/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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
	char hex[5];

	snprintf(hex, sizeof(hex), "\\x%02x", c);
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

static bool shell_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("@%+=:,./-_", c));
}

static int quote_ansi(struct sw_buf *out, const unsigned char *s, size_t n)
{
	int r = sw_buf_append(out, "$'", 2);

	for (size_t i = 0; i < n && r == 0;) {
		size_t len = sw_text_utf8_seq(s + i, n - i);

		if (len == 1 && (s[i] == '\'' || s[i] == '\\')) {
			r = sw_buf_putc(out, '\\');
			if (r == 0)
				r = sw_buf_putc(out, (char)s[i]);
		} else if (len == 1 && (s[i] < 0x20 || s[i] == 0x7f)) {
			r = put_hex(out, s[i]);
		} else if (len == 0) {
			r = put_hex(out, s[i]);
			len = 1;
		} else {
			r = sw_buf_append(out, s + i, len);
		}
		i += len ? len : 1;
	}
	return r ? r : sw_buf_putc(out, '\'');
}

int sw_text_shell_quote(struct sw_buf *out, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	bool safe = n > 0, plain = true;
	int r;

	for (size_t i = 0; i < n;) {
		size_t len = sw_text_utf8_seq(s + i, n - i);

		if (len == 0 || (len == 1 && (s[i] < 0x20 || s[i] == 0x7f)))
			plain = false;
		if (len != 1 || !shell_safe(s[i]))
			safe = false;
		i += len ? len : 1;
	}
	if (safe)
		return sw_buf_append(out, p, n);
	if (!plain)
		return quote_ansi(out, s, n);
	r = sw_buf_putc(out, '\'');
	for (size_t i = 0; i < n && r == 0; i++)
		r = s[i] == '\'' ? sw_buf_append(out, "'\\''", 4)
				 : sw_buf_putc(out, p[i]);
	return r ? r : sw_buf_putc(out, '\'');
}
