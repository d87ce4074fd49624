/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer entry point for the netlink frame decoder: any bytes are one
 * datagram received from the kernel's port (sender 0, no MSG_TRUNC), as
 * watch.c hands a recvmsg()/recvmmsg() slot to sw_decode_datagram().
 * Seeds: tests/fuzz/decode/, datagrams built with tests/unit/frames.h (one
 * event of each kind, two in one datagram, an ack, a few damaged frames).
 *
 * What is checked besides ASan/UBSan: only what decode.h promises.  The
 * decoder does not promise positive pids (it passes on what the kernel
 * says), so they are not checked.
 *   - the result is an event count or -(enum sw_reject + 1);
 *   - a rejected datagram calls fn not at all, an accepted one once per
 *     event counted;
 *   - each event is one of the kernel's kinds, freshly reset (no stale
 *     context from the reused scratch event) and self-consistent;
 *   - the same bytes from another sender, or truncated, are rejected for
 *     that reason first; and decoding is pure: twice gives the same.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "decode.h"

/* The receive slot in watch.c (SW_NLSRC_SLOT); longer would be MSG_TRUNC. */
#define DGRAM_MAX 512
/* Every event takes a netlink header, a cn_msg and the event's header. */
#define MSG_MIN (16 + 20 + 16)
#define EVENTS_MAX (DGRAM_MAX / MSG_MIN + 1)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	int n;
	struct sw_event ev[EVENTS_MAX];
};

static void check_event(const struct sw_event *ev)
{
	int code, sig;
	bool core;

	if (ev->type >= SW_EV_KERNEL_KINDS && ev->type != SW_EV_ACK)
		abort();
	/* sw_event_reset(): nothing of an earlier event is left. */
	if (ev->have || ev->enriched || ev->comm || ev->exe || ev->cwd ||
	    ev->argv || ev->argv_len || ev->user || ev->container_id ||
	    ev->n_ancestry || ev->n_tags || ev->start || ev->stats)
		abort();
	switch (ev->type) {
	case SW_EV_FORK:
	case SW_EV_EXIT:
		if (ev->thread != (ev->pid != ev->tid))
			abort();
		break;
	case SW_EV_ACK:
		break;
	default:
		if (ev->thread)
			abort();
		break;
	}
	if (ev->type == SW_EV_EXIT) {
		sw_decode_status(ev->u.exit.status, &code, &sig, &core);
		if (code != ev->u.exit.exit_code || sig != ev->u.exit.signal ||
		    core != ev->u.exit.core)
			abort();
		if ((code < 0) == (sig == 0) || code > 255 || sig > 127)
			abort();
	}
	if (ev->type == SW_EV_COMM &&
	    memchr(ev->u.comm.comm, '\0', sizeof(ev->u.comm.comm)) == NULL)
		abort();
}

static void on_event(struct sw_event *ev, void *data)
{
	struct seen *s = data;

	check_event(ev);
	if (s->n >= EVENTS_MAX)
		abort();	/* more events than the bytes can hold */
	s->ev[s->n++] = *ev;
}

static int decode(const void *buf, size_t len, uint32_t sender, int flags,
		  struct seen *s)
{
	static struct sw_event scratch;

	s->n = 0;
	/* Garbage in the scratch event, as left by the previous datagram. */
	memset(&scratch, 0xa5, sizeof(scratch));
	return sw_decode_datagram(buf, len, sender, flags, &scratch, on_event, s);
}

static bool same_event(const struct sw_event *a, const struct sw_event *b)
{
	return a->type == b->type && a->pid == b->pid && a->tid == b->tid &&
	       a->thread == b->thread && a->seq == b->seq && a->cpu == b->cpu &&
	       a->ktime_ns == b->ktime_ns &&
	       memcmp(&a->u, &b->u, sizeof(a->u)) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seen a, b;
	unsigned char *buf;
	int r;

	if (size > DGRAM_MAX)
		return -1;	/* not a datagram the socket delivers whole */
	/* An exact-size copy: a read past len is an ASan report. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);

	r = decode(buf, size, 0, 0, &a);
	if (r < 0) {
		if (r < -SW_REJ__MAX || a.n != 0)
			abort();
		if (r == -(SW_REJ_SENDER + 1) || r == -(SW_REJ_TRUNC + 1))
			abort();	/* neither applies here */
	} else {
		if (a.n != r || (r > 0 && size < MSG_MIN))
			abort();
	}
	/* Same bytes, same answer. */
	if (decode(buf, size, 0, 0, &b) != r || b.n != a.n)
		abort();
	for (int i = 0; i < a.n; i++)
		if (!same_event(&a.ev[i], &b.ev[i]))
			abort();
	/* The sender and truncation are judged before any byte. */
	if (decode(buf, size, 1, 0, &b) != -(SW_REJ_SENDER + 1) || b.n)
		abort();
	if (decode(buf, size, 0, MSG_TRUNC, &b) != -(SW_REJ_TRUNC + 1) || b.n)
		abort();
	free(buf);
	return 0;
}
