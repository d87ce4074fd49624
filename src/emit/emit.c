/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "emit.h"

/*
 * The formats, in the order --help names them.  The first is the default;
 * the first whose lines are JSON documents is what -j (--json) means.
 */
static const struct sw_emitter_ops *const emitters[] = {
	&sw_emit_text_ops,
	&sw_emit_json_ops,
	&sw_emit_ecs_ops,
};

const struct sw_emitter_ops *sw_emit_find(const char *name)
{
	for (size_t i = 0; i < sizeof(emitters) / sizeof(emitters[0]); i++)
		if (strcmp(emitters[i]->name, name) == 0)
			return emitters[i];
	return NULL;
}

const struct sw_emitter_ops *sw_emit_first(unsigned need)
{
	for (size_t i = 0; i < sizeof(emitters) / sizeof(emitters[0]); i++)
		if ((emitters[i]->flags & need) == need)
			return emitters[i];
	return NULL;
}

void sw_emit_names(unsigned need, const char *last_sep, char *buf, size_t size)
{
	size_t n = sizeof(emitters) / sizeof(emitters[0]), len = 0, left = 0;

	for (size_t i = 0; i < n; i++)
		left += (emitters[i]->flags & need) == need;
	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++) {
		int k;

		if ((emitters[i]->flags & need) != need)
			continue;
		left--;
		k = snprintf(buf + len, size - len, "%s%s", emitters[i]->name,
			     left > 1 ? ", " : left == 1 ? last_sep : "");
		if (k < 0)
			break;
		len += (size_t)k;
	}
}

void sw_emit_sync_clock(struct sw_emit *em)
{
	em->realtime_offset_ns = sw_clock_realtime_offset();
}

void sw_emit_init(struct sw_emit *em, const struct sw_emitter_ops *ops,
		  bool color)
{
	memset(em, 0, sizeof(*em));
	em->ops = ops;
	em->color = color;
	if (gethostname(em->host, sizeof(em->host) - 1) < 0)
		strcpy(em->host, "localhost");
	sw_emit_sync_clock(em);
}

void sw_emit_fini(struct sw_emit *em)
{
	sw_buf_free(&em->scratch);
	sw_buf_free(&em->cap_strs);
	free(em->cap);
	em->cap = NULL;
}

static void split(const struct sw_emit *em, uint64_t ktime_ns, time_t *sec,
		  long *nsec)
{
	int64_t real = (int64_t)ktime_ns + em->realtime_offset_ns;

	*sec = (time_t)(real / 1000000000ll);
	*nsec = (long)(real % 1000000000ll);
	if (*nsec < 0) {
		*nsec += 1000000000l;
		(*sec)--;
	}
}

/* The date and time of day of a second: the text before the fraction. */
static size_t day(time_t sec, char *buf, size_t size)
{
	struct tm tm;

	gmtime_r(&sec, &tm);
	return strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
}

void sw_emit_ts(const struct sw_emit *em, uint64_t ktime_ns, char *buf,
		size_t size)
{
	time_t sec;
	long nsec;
	size_t n;

	split(em, ktime_ns, &sec, &nsec);
	n = day(sec, buf, size);
	snprintf(buf + n, size - n, ".%09ldZ", nsec);
}

size_t sw_emit_ts_cached(struct sw_emit *em, uint64_t ktime_ns, char *buf)
{
	time_t sec;
	long nsec;
	size_t n;

	split(em, ktime_ns, &sec, &nsec);
	if (!em->ts_day_len || em->ts_sec != (int64_t)sec) {
		em->ts_sec = (int64_t)sec;
		em->ts_day_len = day(sec, em->ts_day, sizeof(em->ts_day));
	}
	n = em->ts_day_len;
	if (n > SW_EMIT_TS_MAX - 12) {
		sw_emit_ts(em, ktime_ns, buf, SW_EMIT_TS_MAX);
		return strlen(buf);
	}
	memcpy(buf, em->ts_day, n);
	/* ".%09ldZ" */
	buf[n] = '.';
	for (int i = 9; i > 0; i--) {
		buf[n + i] = (char)('0' + nsec % 10);
		nsec /= 10;
	}
	buf[n + 10] = 'Z';
	buf[n + 11] = '\0';
	return n + 11;
}

void sw_emit_clock(const struct sw_emit *em, uint64_t ktime_ns, char *buf,
		   size_t size)
{
	struct tm tm;
	time_t sec;
	long nsec;
	size_t n;

	split(em, ktime_ns, &sec, &nsec);
	localtime_r(&sec, &tm);
	n = strftime(buf, size, "%H:%M:%S", &tm);
	snprintf(buf + n, size - n, ".%06ld", nsec / 1000);
}

long long sw_emit_seconds(double s, long long per_s)
{
	if (!(s > 0))		/* NaN too */
		return 0;
	if (s >= SW_DURATION_MAX_S)
		return (long long)SW_DURATION_MAX_S * per_s;
	return (long long)(s * (double)per_s);
}

const char *sw_emit_signame(int sig, char *buf, size_t size)
{
#if HAVE_DECL_SIGABBREV_NP
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev) {
		snprintf(buf, size, "SIG%s", abbrev);
		return buf;
	}
#endif
	snprintf(buf, size, "SIG%d", sig);
	return buf;
}

/* ev's line within the sizes of emit_cap.c. */
static int format_capped(struct sw_emit *em, const struct sw_event *ev,
			 struct sw_buf *out)
{
	size_t mark = out->len;
	const struct sw_event *t = sw_emit_cap_exec(em, ev);
	int r;

	if (!t)
		return -ENOMEM;
	r = em->ops->format(em, t, out);
	if (r == 0 && sw_emit_cap_wanted(em, t, out->len - mark)) {
		out->len = mark;
		t = sw_emit_cap_fields(em, t);
		r = t ? em->ops->format(em, t, out) : -ENOMEM;
	}
	return r;
}

int sw_emit_event(struct sw_emit *em, const struct sw_event *ev,
		  struct sw_buf *out)
{
	size_t mark = out->len;
	int r;

	em->seq++;
	r = format_capped(em, ev, out);
	if (r < 0) {
		em->seq--;
		out->len = mark;
		if (out->data)
			out->data[mark] = '\0';
	}
	return r;
}
