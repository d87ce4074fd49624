/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"
#include "jsonsrc.h"

struct sw_jsonsrc {
	FILE *f;
	bool std;
	const char *name;
	struct sw_jsonin *in;
	char *line;
	size_t cap;
	unsigned long lines, bad;
};

int sw_jsonsrc_open(const char *path, struct sw_jsonsrc **ret)
{
	struct sw_jsonsrc *s = calloc(1, sizeof(*s));
	int r;

	*ret = NULL;
	if (!s)
		return -ENOMEM;
	s->std = strcmp(path, "-") == 0;
	s->name = s->std ? "standard input" : path;
	s->f = s->std ? stdin : fopen(path, "re");
	if (!s->f) {
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
	if (s->f && !s->std)
		fclose(s->f);
	sw_jsonin_free(s->in);
	free(s->line);
	free(s);
}

int sw_jsonsrc_next(struct sw_jsonsrc *s, struct sw_event *ev, char *why,
		    size_t whylen)
{
	ssize_t n;

	while ((n = getline(&s->line, &s->cap, s->f)) >= 0) {
		int k;

		s->lines++;
		k = sw_jsonin_parse(s->in, s->line, (size_t)n, ev, why, whylen);
		if (k == 1)
			continue;
		if (k < 0) {
			s->bad++;
			return SW_JSONSRC_BAD;
		}
		return SW_JSONSRC_EVENT;
	}
	if (ferror(s->f))
		return errno ? -errno : -EIO;
	return SW_JSONSRC_END;
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
