/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/cn_proc.h>

#include "buf.h"
#include "clock.h"
#include "decode.h"
#include "nlsub.h"

#define STASH_MAX (64u << 20)
#define BELL_ACK_MS 300
#define BELL_RCVBUF (1u << 20)

struct sw_nlsub {
	struct sw_nlsub_conf conf;
	struct sw_nlsrc *src;
	struct sw_nlsrc *bell;
	struct sw_buf stash;		/* datagrams received before the scan */
	uint32_t ack;
	uint32_t want_ack;		/* the ack being waited for */
	bool acked;
	uint32_t ack_err;
	struct sw_event ev;		/* decode target */
	unsigned char rbuf[SW_NLSRC_SLOT];
};

/* Keeps a datagram that arrived before the /proc scan, to replay after. */
static void stash(struct sw_nlsub *s, const void *buf, size_t len,
		  uint32_t sender, int flags)
{
	uint32_t hdr[3] = { (uint32_t)len, sender, (uint32_t)flags };

	/* Room for both first: a header is never left without its datagram. */
	if (s->stash.len + sizeof(hdr) + len > STASH_MAX ||
	    sw_buf_reserve(&s->stash, sizeof(hdr) + len) < 0)
		return;		/* counted by the sequence gaps it leaves */
	sw_buf_append(&s->stash, hdr, sizeof(hdr));
	sw_buf_append(&s->stash, buf, len);
}

static void on_wait_event(struct sw_event *ev, void *data)
{
	struct sw_nlsub *s = data;

	if (ev->type == SW_EV_ACK && ev->u.ack.ack == s->want_ack) {
		s->acked = true;
		s->ack_err = ev->u.ack.err;
	}
}

/*
 * Waits for the kernel's ack WANT on the main socket (a filtered socket
 * gets no ack: the kernel filters it out as any other event), keeping what
 * arrives meanwhile for after the /proc scan.  1 when it came (s->ack_err
 * tells the answer), 0 after ms, -errno on a poll or read error.
 */
static int wait_ack(struct sw_nlsub *s, uint32_t want, unsigned ms,
		    enum sw_nl_stage *stage)
{
	uint64_t until = sw_clock_now() + ms * 1000000ull;
	struct pollfd pfd = { .fd = sw_nlsrc_fd(s->src), .events = POLLIN };

	s->want_ack = want;
	s->acked = false;
	s->ack_err = 0;
	while (!s->acked) {
		uint64_t now = sw_clock_now();
		uint32_t sender;
		int flags;
		ssize_t n;

		if (now >= until)
			return 0;
		if (poll(&pfd, 1, (int)((until - now) / 1000000) + 1) < 0 &&
		    errno != EINTR) {
			*stage = SW_NL_POLL;
			return -errno;
		}
		while ((n = sw_nlsrc_recv(s->src, s->rbuf, sizeof(s->rbuf), &sender,
					  &flags)) != -EAGAIN) {
			if (n == -ENOBUFS) {
				if (s->conf.overflow)
					s->conf.overflow(s->conf.data);
				continue;
			}
			if (n < 0) {
				*stage = SW_NL_READ;
				return (int)n;
			}
			stash(s, s->rbuf, (size_t)n, sender, flags);
			sw_decode_datagram(s->rbuf, (size_t)n, sender, flags, &s->ev,
					   on_wait_event, s);
		}
	}
	return 1;
}

/* Sends the subscription and waits for the kernel's ack (ours + 1). */
static int subscribe(struct sw_nlsub *s, enum sw_nl_stage *stage)
{
	int r;

	if (getrandom(&s->ack, sizeof(s->ack), 0) != sizeof(s->ack))
		s->ack = (uint32_t)getpid() * 2654435761u;
	s->ack |= 1;	/* non-zero */
	*stage = SW_NL_SUBSCRIBE;
	r = sw_nlsrc_subscribe(s->src, s->ack, 0);
	if (r < 0)
		return r;
	r = wait_ack(s, s->ack + 1, SW_NLSUB_ACK_MS, stage);
	if (r < 0)
		return r;
	if (r == 0) {
		*stage = SW_NL_ACK_TIMEOUT;
		return -ETIMEDOUT;
	}
	if (s->ack_err) {
		*stage = SW_NL_ACK_ERROR;
		return -(int)s->ack_err;
	}
	return 0;
}

bool sw_nlsub_kernel_filters(void)
{
	struct utsname u;
	unsigned major = 0, minor = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 6);
}

/*
 * A second subscription for exec events only, its socket polled even when
 * the main one is read on a timer.  Best effort: without it (an older
 * kernel, a refusal) every event wakes the reader.
 */
static int open_bell(struct sw_nlsub *s, enum sw_nl_stage *stage)
{
	enum sw_nl_stage st;
	uint32_t ack = (s->ack + 0x10000u) | 1;
	int r;

	if (!sw_nlsub_kernel_filters() || sw_nlsrc_open(BELL_RCVBUF, &s->bell, &st) < 0)
		return 0;
	if (sw_nlsrc_subscribe(s->bell, ack, PROC_EVENT_EXEC) == 0) {
		r = wait_ack(s, ack + 1, BELL_ACK_MS, stage);
		if (r < 0)
			return r;
		if (r == 1 && s->ack_err == 0)
			return 0;
	}
	sw_nlsrc_free(s->bell);
	s->bell = NULL;
	return 0;
}

int sw_nlsub_open(const struct sw_nlsub_conf *conf, struct sw_nlsub **ret,
		  enum sw_nl_stage *ret_stage)
{
	struct sw_nlsub *s = calloc(1, sizeof(*s));
	int r;

	*ret = NULL;
	*ret_stage = SW_NL_SOCKET;
	if (!s)
		return -ENOMEM;
	s->conf = *conf;
	r = sw_nlsrc_open(conf->rcvbuf, &s->src, ret_stage);
	if (r == 0)
		r = subscribe(s, ret_stage);
	if (r == 0)
		r = open_bell(s, ret_stage);
	if (r < 0) {
		sw_nlsub_free(s);
		return r;
	}
	*ret = s;
	return 0;
}

void sw_nlsub_free(struct sw_nlsub *s)
{
	if (!s)
		return;
	sw_nlsrc_free(s->bell);
	sw_nlsrc_free(s->src);
	sw_buf_free(&s->stash);
	free(s);
}

struct sw_nlsrc *sw_nlsub_events(const struct sw_nlsub *s)
{
	return s->src;
}

struct sw_nlsrc *sw_nlsub_bell(const struct sw_nlsub *s)
{
	return s->bell;
}

void sw_nlsub_take_stash(struct sw_nlsub *s, sw_nlsub_datagram_fn fn, void *data)
{
	size_t off = 0;

	while (off + 12 <= s->stash.len) {
		uint32_t hdr[3];

		memcpy(hdr, s->stash.data + off, sizeof(hdr));
		off += sizeof(hdr);
		fn(s->stash.data + off, hdr[0], hdr[1], (int)hdr[2], data);
		off += hdr[0];
	}
	sw_buf_free(&s->stash);
}
