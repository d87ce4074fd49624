/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "sink.h"
#include "sink_syslog.h"
#include "syslog_conn.h"

#define CLOSE_TIMEOUT_MS 3000

static int bad(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int parse_path(const char *s, const char *path,
		      struct sw_syslog_addr *ret, char *err, size_t errlen)
{
	if (path[0] != '/')
		return bad(err, errlen, "invalid --syslog '%s': a socket path "
			   "must be absolute", s);
	if (strlen(path) >= sizeof(ret->path))
		return bad(err, errlen, "invalid --syslog '%s': socket path "
			   "longer than %zu bytes", s, sizeof(ret->path) - 1);
	ret->kind = SW_SYSLOG_UNIX;
	strcpy(ret->path, path);
	return 0;
}

/* A host name or an IPv4 address: what may go into a getaddrinfo name. */
static bool host_ok(const char *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = h[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
			return false;
	}
	return n > 0;
}

static int parse_port(const char *s, const char *p, struct sw_syslog_addr *ret,
		      char *err, size_t errlen)
{
	unsigned long v = 0;

	if (!*p)
		return bad(err, errlen, "invalid --syslog '%s': no port after ':'", s);
	for (const char *q = p; *q; q++) {
		if (*q < '0' || *q > '9' || v > 65535)
			return bad(err, errlen, "invalid --syslog '%s': port '%s' "
				   "is not a number from 1 to 65535", s, p);
		v = v * 10 + (unsigned long)(*q - '0');
	}
	if (v == 0 || v > 65535)
		return bad(err, errlen, "invalid --syslog '%s': port '%s' is not "
			   "a number from 1 to 65535", s, p);
	snprintf(ret->port, sizeof(ret->port), "%lu", v);
	return 0;
}

/* HOST[:PORT] or [IPV6][:PORT]. */
static int parse_hostport(const char *s, const char *hp,
			  struct sw_syslog_addr *ret, char *err, size_t errlen)
{
	const char *host = hp, *rest;
	unsigned char in6[16];
	size_t n;

	if (*hp == '[') {
		const char *end = strchr(hp, ']');

		if (!end)
			return bad(err, errlen, "invalid --syslog '%s': no ']' "
				   "after the IPv6 address", s);
		host = hp + 1;
		n = (size_t)(end - host);
		rest = end + 1;
		if (n == 0 || n >= sizeof(ret->host))
			return bad(err, errlen, "invalid --syslog '%s': no IPv6 "
				   "address in []", s);
		memcpy(ret->host, host, n);
		ret->host[n] = '\0';
		if (inet_pton(AF_INET6, ret->host, in6) != 1)
			return bad(err, errlen, "invalid --syslog '%s': '%s' is "
				   "not an IPv6 address", s, ret->host);
	} else {
		rest = strchr(hp, ':');
		n = rest ? (size_t)(rest - hp) : strlen(hp);
		if (rest && strchr(rest + 1, ':'))
			return bad(err, errlen, "invalid --syslog '%s': an IPv6 "
				   "address goes in brackets, as in udp://[::1]:514",
				   s);
		if (n == 0)
			return bad(err, errlen, "invalid --syslog '%s': no host", s);
		if (n >= sizeof(ret->host) || !host_ok(hp, n))
			return bad(err, errlen, "invalid --syslog '%s': '%.*s' is "
				   "not a host name or address", s,
				   (int)(n < 300 ? n : 300), hp);
		memcpy(ret->host, hp, n);
		ret->host[n] = '\0';
		if (!rest)
			rest = "";
	}
	if (!*rest) {
		strcpy(ret->port, SW_SYSLOG_PORT);
		return 0;
	}
	if (*rest != ':')
		return bad(err, errlen, "invalid --syslog '%s': ':PORT' expected "
			   "after the host", s);
	return parse_port(s, rest + 1, ret, err, errlen);
}

int sw_syslog_parse_addr(const char *s, struct sw_syslog_addr *ret, char *err,
			 size_t errlen)
{
	memset(ret, 0, sizeof(*ret));
	if (!s)
		s = SW_SYSLOG_DEFAULT;
	if (strncmp(s, "unix://", 7) == 0)
		return parse_path(s, s + 7, ret, err, errlen);
	if (s[0] == '/')
		return parse_path(s, s, ret, err, errlen);
	if (strncmp(s, "udp://", 6) == 0) {
		ret->kind = SW_SYSLOG_UDP;
		return parse_hostport(s, s + 6, ret, err, errlen);
	}
	if (strncmp(s, "tcp://", 6) == 0) {
		ret->kind = SW_SYSLOG_TCP;
		return parse_hostport(s, s + 6, ret, err, errlen);
	}
	return bad(err, errlen, "invalid --syslog '%s' (a socket path such as "
		   "/dev/log, udp://HOST:PORT or tcp://HOST:PORT)", s);
}

int sw_syslog_severity(const struct sw_event *ev)
{
	if (ev->type == SW_EV_ANOMALY)
		return LOG_WARNING;
	if (ev->type == SW_EV_LOST)
		return LOG_ERR;
	return ev->n_tags ? LOG_NOTICE : LOG_INFO;
}

int sw_syslog_header(struct sw_buf *out, const struct sw_emit *em,
		     const struct sw_event *ev, int procid)
{
	char ts[64], host[256];
	char *dot;
	size_t i;

	/* RFC 5424 allows six digits of a second: keep the microseconds. */
	sw_emit_ts(em, ev->ktime_ns, ts, sizeof(ts));
	dot = strchr(ts, '.');
	if (dot && strlen(dot) > 8)
		strcpy(dot + 7, "Z");
	/* HOSTNAME is 1 to 255 printable US-ASCII characters, no space. */
	for (i = 0; em->host[i] && i < sizeof(host) - 1; i++)
		host[i] = em->host[i] > ' ' && em->host[i] < 0x7f ? em->host[i] : '_';
	host[i] = '\0';
	return sw_buf_printf(out, "<%d>1 %s %s spawnwatch %d %s - ",
			     LOG_DAEMON | sw_syslog_severity(ev), ts,
			     i ? host : "-", procid, sw_event_name(ev->type));
}

int sw_syslog_frame(struct sw_buf *out, const char *msg, size_t len)
{
	int r = sw_buf_printf(out, "%zu ", len);

	return r < 0 ? r : sw_buf_append(out, msg, len);
}

int sw_syslog_message(struct sw_buf *out, struct sw_emit *em,
		      const struct sw_event *ev, const char *line, size_t len,
		      int procid, size_t max)
{
	size_t start = out->len, head;
	int r;

	if (len && line[len - 1] == '\n')
		len--;
	if ((r = sw_syslog_header(out, em, ev, procid)) < 0)
		goto fail;
	head = out->len - start;
	if (head + len <= max)
		return sw_buf_append(out, line, len);
	/* Too long: the format cuts it, and says so its own way. */
	r = sw_emit_truncate(em, ev, out, head < max ? max - head : 0);
	if (r >= 0)
		return r;
fail:
	out->len = start;
	if (out->data)
		out->data[out->len] = '\0';
	return r;
}

/* The sink: one message per event, handed to the connection. */
struct syslog_sink {
	struct sw_syslog_conn *conn;
	struct sw_buf line;
	struct sw_buf msg;
	int procid;
};

static int syslog_open(struct sw_sink *s, const struct sw_sink_conf *c,
		       char *err, size_t errlen)
{
	struct syslog_sink *sl = calloc(1, sizeof(*sl));
	struct sw_syslog_addr a;
	int r;

	if (!sl) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	s->name = c->syslog;
	r = sw_syslog_parse_addr(c->syslog, &a, err, errlen);
	if (r == 0)
		r = sw_syslog_conn_open(&sl->conn, &a, c->patient, err, errlen);
	if (r < 0) {
		free(sl);
		return r;
	}
	sl->procid = (int)getpid();
	s->priv = sl;
	return 0;
}

static void collect(struct sw_sink *s)
{
	struct syslog_sink *sl = s->priv;

	sw_syslog_conn_take_lost(sl->conn, &s->lost, &s->lost_unknown);
}

static int syslog_event(struct sw_sink *s, struct sw_emit *em,
			const struct sw_event *ev)
{
	struct syslog_sink *sl = s->priv;
	int r;

	sl->line.len = 0;
	if ((r = sw_emit_event(em, ev, &sl->line)) < 0)
		return r;
	sl->msg.len = 0;
	/* Numbered already: one that cannot be sent is a loss, not an error. */
	if (sw_syslog_message(&sl->msg, em, ev, sl->line.data, sl->line.len,
			      sl->procid, SW_SYSLOG_MAX) < 0)
		s->lost++;
	else
		sw_syslog_conn_send(sl->conn, sl->msg.data, sl->msg.len);
	collect(s);
	return 0;
}

static int syslog_flush(struct sw_sink *s)
{
	struct syslog_sink *sl = s->priv;

	sw_syslog_conn_flush(sl->conn);
	collect(s);
	return 0;
}

static size_t syslog_pending(const struct sw_sink *s)
{
	const struct syslog_sink *sl = s->priv;

	return sw_syslog_conn_pending(sl->conn);
}

static bool syslog_ready(struct sw_sink *s)
{
	struct syslog_sink *sl = s->priv;

	return sw_syslog_conn_ready(sl->conn);
}

static uint64_t syslog_close(struct sw_sink *s)
{
	struct syslog_sink *sl = s->priv;
	uint64_t left;

	collect(s);
	left = sw_syslog_conn_close(sl->conn, CLOSE_TIMEOUT_MS);
	sw_buf_free(&sl->line);
	sw_buf_free(&sl->msg);
	free(sl);
	s->priv = NULL;
	return left;
}

const struct sw_sink_ops sw_sink_syslog_ops = {
	.name = "syslog",
	.open = syslog_open,
	.event = syslog_event,
	.flush = syslog_flush,
	.pending = syslog_pending,
	.ready = syslog_ready,
	.close = syslog_close,
};
