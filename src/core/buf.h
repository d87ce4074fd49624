/* SPDX-License-Identifier: MIT */
/* A growable byte buffer, reused from event to event. */
#ifndef SW_BUF_H
#define SW_BUF_H

#include <stddef.h>

struct sw_buf {
	char *data;
	size_t len;
	size_t cap;
};

int sw_buf_reserve(struct sw_buf *b, size_t more);
int sw_buf_append(struct sw_buf *b, const void *p, size_t n);
int sw_buf_putc(struct sw_buf *b, char c);
int sw_buf_puts(struct sw_buf *b, const char *s);
int sw_buf_printf(struct sw_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sw_buf_free(struct sw_buf *b);

#endif
