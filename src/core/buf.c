/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

int sw_buf_reserve(struct sw_buf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->cap - b->len > more)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap - b->len <= more) {
		if (cap > ((size_t)-1) / 2)
			return -ENOMEM;
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int sw_buf_append(struct sw_buf *b, const void *p, size_t n)
{
	int r = sw_buf_reserve(b, n);

	if (r < 0)
		return r;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int sw_buf_putc(struct sw_buf *b, char c)
{
	return sw_buf_append(b, &c, 1);
}

int sw_buf_puts(struct sw_buf *b, const char *s)
{
	return sw_buf_append(b, s, strlen(s));
}

int sw_buf_printf(struct sw_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b->data ? b->data + b->len : NULL,
		      b->data ? b->cap - b->len : 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if (b->data && (size_t)n < b->cap - b->len) {
		b->len += (size_t)n;
		return 0;
	}
	if (sw_buf_reserve(b, (size_t)n) < 0)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void sw_buf_free(struct sw_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}
