/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "jsonin.h"
#include "jsonsrc.h"

struct sw_jsonsrc {
	int fd;
	bool std;
	const char *name;
	struct sw_jsonin *in;
	struct sw_buf line;
	size_t line_max;
	char rd[65536];			/* read ahead, rd[rd_pos..rd_len) unused */
	size_t rd_pos, rd_len;
	unsigned long lines, bad;
};

int sw_jsonsrc_open(const char *path, struct sw_jsonsrc **ret)
{
	return sw_jsonsrc_open_max(path, SW_JSONSRC_LINE_MAX, ret);
}

int sw_jsonsrc_open_max(const char *path, size_t line_max,
			struct sw_jsonsrc **ret)
{
	struct sw_jsonsrc *s = calloc(1, sizeof(*s));
	int r;

	*ret = NULL;
	if (!s)
		return -ENOMEM;
	s->line_max = line_max;
	s->std = strcmp(path, "-") == 0;
	s->name = s->std ? "standard input" : path;
	s->fd = s->std ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0) {
		r = -errno;
		free(s);
		return r;
	}
	s->in = sw_jsonin_new();
	if (!s->in) {
		sw_jsonsrc_free(s);
		return -ENOMEM;
	}
	*ret = s;
	return 0;
}

void sw_jsonsrc_free(struct sw_jsonsrc *s)
{
	if (!s)
		return;
	if (s->fd >= 0 && !s->std)
		close(s->fd);
	sw_jsonin_free(s->in);
	sw_buf_free(&s->line);
	free(s);
}

/*
 * Refills the read buffer with what is there (a pipe from a live watch
 * gives each line as it comes): its byte count, 0 at the end, -errno.
 */
static ssize_t refill(struct sw_jsonsrc *s)
{
	ssize_t n;

	do
		n = read(s->fd, s->rd, sizeof(s->rd));
	while (n < 0 && errno == EINTR);
	s->rd_pos = 0;
	s->rd_len = n > 0 ? (size_t)n : 0;
	return n < 0 ? -errno : n;
}

/*
 * Reads one line (NUL bytes and all) into s->line, at most line_max bytes
 * of it: 1, or 2 when it was longer (the rest read and dropped), 0 at the
 * end, -errno.
 */
static int read_line(struct sw_jsonsrc *s)
{
	bool long_line = false, any = false;

	s->line.len = 0;
	for (;;) {
		const char *p, *nl;
		size_t n;

		if (s->rd_pos == s->rd_len) {
			ssize_t r = refill(s);

			if (r < 0)
				return (int)r;
			if (r == 0)
				return !any ? 0 : long_line ? 2 : 1;
		}
		any = true;
		p = s->rd + s->rd_pos;
		nl = memchr(p, '\n', s->rd_len - s->rd_pos);
		n = nl ? (size_t)(nl - p) + 1 : s->rd_len - s->rd_pos;
		s->rd_pos += n;
		if (!long_line && s->line.len + n > s->line_max)
			long_line = true;
		if (!long_line && sw_buf_append(&s->line, p, n) < 0)
			return -ENOMEM;
		if (nl)
			return long_line ? 2 : 1;
	}
}

int sw_jsonsrc_next(struct sw_jsonsrc *s, struct sw_event *ev, char *why,
		    size_t whylen)
{
	int r;

	while ((r = read_line(s)) > 0) {
		int k;

		s->lines++;
		if (r == 2) {
			snprintf(why, whylen, "longer than %zu bytes", s->line_max);
			s->bad++;
			return SW_JSONSRC_BAD;
		}
		k = sw_jsonin_parse(s->in, s->line.data, s->line.len, ev, why, whylen);
		if (k == 1)
			continue;
		if (k < 0) {
			s->bad++;
			return SW_JSONSRC_BAD;
		}
		return SW_JSONSRC_EVENT;
	}
	return r < 0 ? r : SW_JSONSRC_END;
}

const char *sw_jsonsrc_name(const struct sw_jsonsrc *s)
{
	return s->name;
}

unsigned long sw_jsonsrc_lines(const struct sw_jsonsrc *s)
{
	return s->lines;
}

unsigned long sw_jsonsrc_bad(const struct sw_jsonsrc *s)
{
	return s->bad;
}

const char *sw_jsonsrc_host(const struct sw_jsonsrc *s)
{
	return sw_jsonin_host(s->in);
}
