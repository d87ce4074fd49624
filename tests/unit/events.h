/* SPDX-License-Identifier: MIT */
/*
 * The emitter and event the sink tests start from: a JSON emitter on host
 * "box" with the kernel's clock taken as wall time, and an event of pid
 * 4242 at KTIME.
 */
#ifndef SW_TEST_EVENTS_H
#define SW_TEST_EVENTS_H

#include <string.h>

#include "emit.h"
#include "event.h"

#define KTIME 1700000000123456789ull	/* 2023-11-14T22:13:20.123456789Z */

static inline void test_emit_event(struct sw_emit *em, struct sw_event *ev)
{
	sw_emit_init(em, &sw_emit_json_ops, false);
	em->realtime_offset_ns = 0;
	strcpy(em->host, "box");
	memset(ev, 0, sizeof(*ev));
	ev->ktime_ns = KTIME;
	ev->pid = ev->tid = 4242;
}

#endif
