/* SPDX-License-Identifier: MIT */
/*
 * The fuzzer's bytes read as an event, for fuzz-emit.c and fuzz-text.c:
 * the bytes taken in order (little-endian numbers, 0 past the end), each
 * string in an allocation of its own, and the fields both read alike.  A
 * fuzzer that includes this defines take_string(), its own way of reading
 * a string (NULL for none), which the shared fields use.
 */
#ifndef SW_FUZZ_INPUT_H
#define SW_FUZZ_INPUT_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"

struct input {
	const uint8_t *p;
	size_t n;
	/* Every string is its own exact-size allocation, for ASan. */
	char *owned[160];
	unsigned n_owned;
};

static const char *take_string(struct input *in);

static uint64_t take(struct input *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++)
		if (in->n) {
			v |= (uint64_t)*in->p++ << (8 * i);
			in->n--;
		}
	return v;
}

/* n bytes (at least one) freed by input_free(); NULL when too many. */
static char *own(struct input *in, size_t n)
{
	char *s;

	if (in->n_owned == sizeof(in->owned) / sizeof(in->owned[0]))
		return NULL;
	s = malloc(n ? n : 1);
	if (!s)
		abort();
	in->owned[in->n_owned++] = s;
	return s;
}

static void input_free(struct input *in)
{
	for (unsigned i = 0; i < in->n_owned; i++)
		free(in->owned[i]);
	in->n_owned = 0;
}

/*
 * The start of every event: kind (any, and two past the last), have (2),
 * flags, pid, tid when flags & 1, ppid (4 each); returns the flags.
 */
static unsigned take_head(struct input *in, struct sw_event *ev)
{
	unsigned flags;

	memset(ev, 0, offsetof(struct sw_event, ancestry));
	ev->type = (enum sw_ev_type)(take(in, 1) % (SW_EV__MAX + 2));
	ev->have = (unsigned)take(in, 2);
	flags = (unsigned)take(in, 1);
	ev->pid = (int)take(in, 4);
	ev->tid = flags & 1 ? (int)take(in, 4) : ev->pid;
	ev->thread = flags & 2;
	ev->ppid = (int)take(in, 4);
	return flags;
}

/*
 * A reverse shell's peer, when have says so: flags (1: IPv6, 2: udp, 4
 * and 8: via, 128: the peer a string), the address (16, of which IPv4
 * takes 4) or the string, port (2), holder (4).  The peer is inet_ntop's
 * text, as live and replayed lines have it, or any bytes cut to the
 * field, which the writers must carry as they carry a process's.
 */
static void take_net(struct input *in, struct sw_event *ev)
{
	unsigned f = (unsigned)take(in, 1);
	uint8_t a[16];

	if (!(ev->have & SW_HAVE_NET))
		return;
	if (f & 128) {
		const char *s = take_string(in);

		memset(ev->net.peer, 0, sizeof(ev->net.peer));
		strncpy(ev->net.peer, s ? s : "", sizeof(ev->net.peer) - 1);
	} else {
		for (unsigned i = 0; i < 16; i++)
			a[i] = (uint8_t)take(in, 1);
		inet_ntop(f & 1 ? AF_INET6 : AF_INET, a, ev->net.peer,
			  sizeof(ev->net.peer));
	}
	ev->net.udp = f & 2;
	ev->net.via = (uint8_t)((f >> 2) % SW_VIA__MAX);
	ev->net.port = (uint16_t)take(in, 2);
	ev->net.holder = (int)take(in, 4);
}

/* The kernel's clock (8) and the wall clock's offset (4, in seconds). */
static void take_clock(struct input *in, struct sw_event *ev,
		       int64_t *realtime_offset_ns)
{
	/* A clock that the sum of the two never overflows, before 2116. */
	ev->ktime_ns = take(in, 8) >> 2;
	*realtime_offset_ns = (int64_t)(int32_t)take(in, 4) * 1000000000ll;
}

/* A comm: a string cut to SW_COMM_LEN. */
static void take_comm(struct input *in, char *comm)
{
	const char *s = take_string(in);

	memset(comm, 0, SW_COMM_LEN + 1);
	strncpy(comm, s ? s : "", SW_COMM_LEN);
}

/*
 * The fields of the kinds both read alike: exit code (4), signal (1); the
 * previous ids (4 each) of uid and gid; ptrace's tracer (4), its comm and exe;
 * comm its new and old comm; reparent the old parent (4); resync its
 * counts (4 each).  Flags & 32: core, have_prev.  Nothing for the others.
 */
static void take_kind_common(struct input *in, struct sw_event *ev,
			     unsigned flags)
{
	switch (ev->type) {
	case SW_EV_EXIT:
		ev->u.exit.exit_code = (int)take(in, 4);
		ev->u.exit.signal = (int)(int8_t)take(in, 1);
		ev->u.exit.core = flags & 32;
		break;
	case SW_EV_UID:
	case SW_EV_GID:
		ev->u.id.prev_r = (uint32_t)take(in, 4);
		ev->u.id.prev_e = (uint32_t)take(in, 4);
		ev->u.id.have_prev = flags & 32;
		break;
	case SW_EV_PTRACE:
		ev->u.ptrace.tracer_pid = (int)take(in, 4);
		ev->u.ptrace.tracer_comm = take_string(in);
		ev->u.ptrace.tracer_exe = take_string(in);
		break;
	case SW_EV_COMM:
		take_comm(in, ev->u.comm.comm);
		take_comm(in, ev->u.comm.prev);
		ev->u.comm.have_prev = flags & 32;
		break;
	case SW_EV_REPARENT:
		ev->u.reparent.prev_ppid = (int)take(in, 4);
		break;
	case SW_EV_RESYNC:
		ev->u.resync.added = (unsigned)take(in, 4);
		ev->u.resync.removed = (unsigned)take(in, 4);
		ev->u.resync.reparented = (unsigned)take(in, 4);
		ev->u.resync.tracked = (unsigned)take(in, 4);
		break;
	default:
		break;
	}
}

#endif
