/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "clock.h"
#include "syslog_conn.h"

#define MSEC 1000000ull
#define MAX_ADDRS 8
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 10000
#define CONNECT_TIMEOUT_MS 5000
#define PATIENCE_MS 5000
#define REFUSED_QUIET_NS (2 * SW_NSEC)
/* Bounds what a TCP peer may leave unacknowledged, hence kept to resend. */
#define TCP_SNDBUF (256 << 10)
#define IOV_BATCH 64

enum state { DOWN, CONNECTING, UP };

/*
 * The queue: entries of a uint32_t wire length and the wire bytes (the
 * message; on TCP "LEN SP" first; on a local stream a NUL after), from
 * head to q.len.  Entries before next are written (on a stream, kept until
 * the peer acknowledged them); part bytes of the one at next are written.
 */
struct sw_syslog_conn {
	struct sw_syslog_addr addr;
	struct sockaddr_storage sa[MAX_ADDRS];
	socklen_t salen[MAX_ADDRS];
	int nsa, cur;
	int type;		/* SOCK_DGRAM or SOCK_STREAM */
	bool typed;		/* local: the type found at start is kept */
	int fd;
	enum state state;
	uint64_t since;		/* CONNECTING since */
	uint64_t retry_at;	/* DOWN until */
	unsigned backoff_ms;
	bool patient;
	struct sw_buf q;
	size_t head, next, part;
	uint64_t entries;	/* from head */
	uint64_t wrote;		/* stream: bytes written on this connection */
	uint64_t popped;	/* stream: of those, acknowledged and dropped */
	uint64_t refused_at;	/* UDP: the last refusal seen */
	uint64_t lost;
	bool lost_unknown;
};

static bool is_stream(const struct sw_syslog_conn *c)
{
	return c->type == SOCK_STREAM;
}

static uint32_t entry_len(const struct sw_syslog_conn *c, size_t at)
{
	uint32_t w;

	memcpy(&w, c->q.data + at, sizeof(w));
	return w;
}

/* TCP: messages are kept until the peer's kernel acknowledged them. */
static bool acked_by_peer(const struct sw_syslog_conn *c)
{
	return c->addr.kind == SW_SYSLOG_TCP;
}

static void pop(struct sw_syslog_conn *c)
{
	c->head += sizeof(uint32_t) + entry_len(c, c->head);
	c->entries--;
}

static void close_fd(struct sw_syslog_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Drops, from the front, the messages the peer acknowledged whole. */
static void trim_acked(struct sw_syslog_conn *c)
{
	int unacked;
	uint64_t acked;

	if (!acked_by_peer(c) || c->fd < 0 || ioctl(c->fd, SIOCOUTQ, &unacked) < 0 ||
	    unacked < 0 || (uint64_t)unacked > c->wrote)
		return;
	acked = c->wrote - (uint64_t)unacked;
	while (c->head < c->next && c->popped + entry_len(c, c->head) <= acked) {
		c->popped += entry_len(c, c->head);
		pop(c);
	}
}

static void schedule_retry(struct sw_syslog_conn *c)
{
	c->state = DOWN;
	c->retry_at = sw_clock_now() + c->backoff_ms * MSEC;
	c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS
							   : c->backoff_ms * 2;
	if (c->nsa > 1)
		c->cur = (c->cur + 1) % c->nsa;
}

/*
 * The connection is gone.  What the peer had not acknowledged is sent
 * again on the next one, from the start of its message.
 */
static void lost_connection(struct sw_syslog_conn *c)
{
	trim_acked(c);
	close_fd(c);
	c->next = c->head;
	c->part = 0;
	c->wrote = c->popped = 0;
	schedule_retry(c);
}

static int make_socket(struct sw_syslog_conn *c, int family)
{
	int one = 1, sndbuf = TCP_SNDBUF;

	c->fd = socket(family, c->type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -errno;
	if (c->addr.kind == SW_SYSLOG_TCP) {
		setsockopt(c->fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
		setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	}
	return 0;
}

static int connect_unix(struct sw_syslog_conn *c)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int r;

	memcpy(sun.sun_path, c->addr.path, strlen(c->addr.path));
	if ((r = make_socket(c, AF_UNIX)) < 0)
		return r;
	if (connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return 0;
	r = -errno;
	close_fd(c);
	return r;
}

/* A local socket: datagram first, then stream, as syslog(3) does. */
static int connect_local(struct sw_syslog_conn *c)
{
	int r;

	c->type = SOCK_DGRAM;
	r = connect_unix(c);
	if (r < 0) {
		int r2;

		c->type = SOCK_STREAM;
		r2 = connect_unix(c);
		if (r2 == 0 || r == -EPROTOTYPE)
			r = r2;
		else
			c->type = SOCK_DGRAM;
	}
	return r;
}

/* 0 connected, 1 in progress, -errno. */
static int start_connect(struct sw_syslog_conn *c)
{
	int r;

	if (c->addr.kind == SW_SYSLOG_UNIX) {
		/* Queued messages are framed for the type found at start. */
		r = c->typed ? connect_unix(c) : connect_local(c);
		c->typed = true;
	} else {
		const struct sockaddr *sa = (struct sockaddr *)&c->sa[c->cur];

		if ((r = make_socket(c, sa->sa_family)) < 0)
			return r;
		if (connect(c->fd, sa, c->salen[c->cur]) == 0)
			r = 0;
		else if (errno == EINPROGRESS)
			r = 1;
		else
			r = -errno;
		if (r < 0)
			close_fd(c);
	}
	c->next = c->head;
	c->part = 0;
	c->wrote = c->popped = 0;
	c->since = sw_clock_now();
	c->state = r == 0 ? UP : r == 1 ? CONNECTING : DOWN;
	if (r == 0)
		c->backoff_ms = BACKOFF_MIN_MS;
	return r;
}

/* A connect in progress: done, still going (1), or failed. */
static int check_connect(struct sw_syslog_conn *c, int wait_ms)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };
	int soerr = 0;
	socklen_t len = sizeof(soerr);

	int n = poll(&pfd, 1, wait_ms);

	if (n <= 0)
		return sw_clock_now() - c->since > CONNECT_TIMEOUT_MS * MSEC ? -ETIMEDOUT
									: 1;
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		soerr = errno;
	if (soerr)
		return -soerr;
	c->state = UP;
	c->backoff_ms = BACKOFF_MIN_MS;
	return 0;
}

/* A stream peer that closed (or reset) is seen before the next write. */
static bool peer_closed(struct sw_syslog_conn *c)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN | POLLRDHUP };
	char buf[256];
	ssize_t n;

	if (poll(&pfd, 1, 0) <= 0)
		return false;
	if (pfd.revents & (POLLERR | POLLHUP | POLLRDHUP))
		return true;
	/* A syslog server says nothing: read and ignore what it does say. */
	while ((n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		;
	return n == 0 || (errno != EAGAIN && errno != EINTR);
}

/* The bytes to write of the entry at offset at (after its length). */
static const char *wire(const struct sw_syslog_conn *c, size_t at)
{
	return c->q.data + at + sizeof(uint32_t);
}

static void send_datagrams(struct sw_syslog_conn *c)
{
	bool retried = false;

	while (c->next < c->q.len) {
		uint32_t w = entry_len(c, c->next);
		ssize_t n = send(c->fd, wire(c, c->next), w,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n >= 0 || errno == EMSGSIZE) {
			if (n < 0)
				c->lost++;	/* a socket buffer below the cap */
			c->next += sizeof(uint32_t) + w;
			pop(c);
			retried = false;
			continue;
		}
		if (errno == EAGAIN || errno == ENOBUFS)
			return;
		/* UDP: an earlier datagram was refused; this one was not sent. */
		if (errno == ECONNREFUSED && c->addr.kind == SW_SYSLOG_UDP &&
		    !retried) {
			c->lost_unknown = true;
			c->refused_at = sw_clock_now();
			retried = true;
			continue;
		}
		lost_connection(c);
		return;
	}
}

/* The bytes written advance next and part over whole and partial entries. */
static void advance(struct sw_syslog_conn *c, size_t n)
{
	c->wrote += n;
	while (n) {
		size_t left = entry_len(c, c->next) - c->part;

		if (n < left) {
			c->part += n;
			return;
		}
		n -= left;
		c->next += sizeof(uint32_t) + entry_len(c, c->next);
		c->part = 0;
		/* A local stream: written is delivered, as for a datagram. */
		if (!acked_by_peer(c))
			pop(c);
	}
}

static void send_stream(struct sw_syslog_conn *c)
{
	while (c->next < c->q.len) {
		struct iovec iov[IOV_BATCH];
		struct msghdr mh = { .msg_iov = iov };
		size_t at = c->next, skip = c->part;
		ssize_t n;

		while (at < c->q.len && mh.msg_iovlen < IOV_BATCH) {
			uint32_t w = entry_len(c, at);

			iov[mh.msg_iovlen].iov_base = (char *)wire(c, at) + skip;
			iov[mh.msg_iovlen++].iov_len = w - skip;
			at += sizeof(uint32_t) + w;
			skip = 0;
		}
		n = sendmsg(c->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			lost_connection(c);
			return;
		}
		advance(c, (size_t)n);
	}
	trim_acked(c);
}

/* Moves the state on as far as it goes without waiting. */
static void pump(struct sw_syslog_conn *c)
{
	if (c->state == DOWN && sw_clock_now() >= c->retry_at &&
	    start_connect(c) < 0)
		schedule_retry(c);
	if (c->state == CONNECTING && check_connect(c, 0) < 0) {
		close_fd(c);
		schedule_retry(c);
	}
	if (c->state != UP)
		return;
	if (is_stream(c) && peer_closed(c)) {
		lost_connection(c);
		return;
	}
	if (is_stream(c))
		send_stream(c);
	else
		send_datagrams(c);
}

/* Moves the kept entries to the front once that costs less than it frees. */
static void compact(struct sw_syslog_conn *c, size_t need)
{
	if (c->head == 0 ||
	    (c->head < c->q.len - c->head && c->q.cap - c->q.len > need))
		return;
	memmove(c->q.data, c->q.data + c->head, c->q.len - c->head);
	c->q.len -= c->head;
	c->next -= c->head;
	c->head = 0;
}

/* Waits a little for the socket to take more (patient mode, close). */
static void wait_a_little(struct sw_syslog_conn *c, int ms)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };

	if (c->state == UP && c->next < c->q.len)
		poll(&pfd, 1, ms);
	else
		poll(NULL, 0, ms < 20 ? ms : 20);
}

static bool room_for(const struct sw_syslog_conn *c, size_t w)
{
	return c->q.len - c->head + sizeof(uint32_t) + w <= SW_SYSLOG_QUEUE_MAX;
}

static bool make_room(struct sw_syslog_conn *c, size_t w)
{
	uint64_t until = sw_clock_now() + PATIENCE_MS * MSEC;

	pump(c);
	while (!room_for(c, w) && c->patient && c->state == UP &&
	       sw_clock_now() < until) {
		wait_a_little(c, 100);
		pump(c);
	}
	return room_for(c, w);
}

void sw_syslog_conn_send(struct sw_syslog_conn *c, const char *msg, size_t len)
{
	bool tcp = c->addr.kind == SW_SYSLOG_TCP;
	char prefix[24] = "";
	size_t mark;
	uint32_t w;

	if (tcp)
		snprintf(prefix, sizeof(prefix), "%zu ", len);
	w = (uint32_t)(strlen(prefix) + len + (is_stream(c) && !tcp));
	if (!room_for(c, w) && !make_room(c, w)) {
		c->lost++;
		return;
	}
	compact(c, sizeof(w) + w);
	mark = c->q.len;
	if (sw_buf_append(&c->q, &w, sizeof(w)) < 0 ||
	    sw_buf_append(&c->q, prefix, strlen(prefix)) < 0 ||
	    sw_buf_append(&c->q, msg, len) < 0 ||
	    (is_stream(c) && !tcp && sw_buf_putc(&c->q, '\0') < 0)) {
		/* Out of memory: what was appended of it goes. */
		c->q.len = mark;
		c->lost++;
		return;
	}
	c->entries++;
	/* A stream sends in batches at flush; a datagram goes now. */
	if (!is_stream(c))
		pump(c);
}

void sw_syslog_conn_flush(struct sw_syslog_conn *c)
{
	pump(c);
}

size_t sw_syslog_conn_pending(const struct sw_syslog_conn *c)
{
	return is_stream(c) ? c->q.len - c->next : 0;
}

bool sw_syslog_conn_ready(struct sw_syslog_conn *c)
{
	/* Room for the report too, or it would be lost in turn. */
	if (c->state != UP || !room_for(c, 64u << 10))
		return false;
	return c->addr.kind != SW_SYSLOG_UDP || !c->refused_at ||
	       sw_clock_now() - c->refused_at >= REFUSED_QUIET_NS;
}

void sw_syslog_conn_take_lost(struct sw_syslog_conn *c, uint64_t *lost,
			      bool *unknown)
{
	*lost += c->lost;
	*unknown = *unknown || c->lost_unknown;
	c->lost = 0;
	c->lost_unknown = false;
}

bool sw_syslog_conn_stream(const struct sw_syslog_conn *c)
{
	return is_stream(c);
}

static int resolve(struct sw_syslog_conn *c, char *err, size_t errlen)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = c->type,
		.ai_flags = AI_ADDRCONFIG,
	}, *res, *ai;
	int r = getaddrinfo(c->addr.host, c->addr.port, &hints, &res);

	if (r) {
		snprintf(err, errlen, "--syslog: cannot resolve %s: %s", c->addr.host,
			 r == EAI_SYSTEM ? strerror(errno) : gai_strerror(r));
		return -EHOSTUNREACH;
	}
	for (ai = res; ai && c->nsa < MAX_ADDRS; ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof(c->sa[0]))
			continue;
		memcpy(&c->sa[c->nsa], ai->ai_addr, ai->ai_addrlen);
		c->salen[c->nsa++] = ai->ai_addrlen;
	}
	freeaddrinfo(res);
	return c->nsa ? 0 : -EHOSTUNREACH;
}

/* The first connection: every address in turn, each given 5 s. */
static int first_connect(struct sw_syslog_conn *c)
{
	int r = -EHOSTUNREACH;

	for (int i = 0; i < (c->nsa ? c->nsa : 1); i++) {
		c->cur = i;
		r = start_connect(c);
		while (r == 1)
			r = check_connect(c, 100);
		if (r == 0)
			return 0;
		close_fd(c);
	}
	return r;
}

static void connect_error(const struct sw_syslog_addr *a, int r, char *err,
			  size_t errlen)
{
	bool v6 = strchr(a->host, ':') != NULL;

	if (a->kind == SW_SYSLOG_UNIX)
		snprintf(err, errlen, "--syslog: cannot connect to %s: %s",
			 a->path, strerror(-r));
	else
		snprintf(err, errlen, "--syslog: cannot connect to %s://%s%s%s:%s: %s",
			 a->kind == SW_SYSLOG_TCP ? "tcp" : "udp", v6 ? "[" : "",
			 a->host, v6 ? "]" : "", a->port, strerror(-r));
}

int sw_syslog_conn_open(struct sw_syslog_conn **ret,
			const struct sw_syslog_addr *a, bool patient, char *err,
			size_t errlen)
{
	struct sw_syslog_conn *c = calloc(1, sizeof(*c));
	int r;

	*ret = NULL;
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	c->addr = *a;
	c->fd = -1;
	c->patient = patient;
	c->backoff_ms = BACKOFF_MIN_MS;
	c->type = a->kind == SW_SYSLOG_TCP ? SOCK_STREAM : SOCK_DGRAM;
	if (a->kind != SW_SYSLOG_UNIX && (r = resolve(c, err, errlen)) < 0)
		goto fail;
	r = first_connect(c);
	if (r < 0) {
		connect_error(a, r, err, errlen);
		goto fail;
	}
	*ret = c;
	return 0;
fail:
	close_fd(c);
	free(c);
	return r;
}

uint64_t sw_syslog_conn_close(struct sw_syslog_conn *c, unsigned timeout_ms)
{
	uint64_t until = sw_clock_now() + timeout_ms * MSEC, left;

	if (!c)
		return 0;
	pump(c);
	while (c->entries && sw_clock_now() < until) {
		wait_a_little(c, 50);
		pump(c);
	}
	left = c->entries + c->lost;
	close_fd(c);
	sw_buf_free(&c->q);
	free(c);
	return left;
}
