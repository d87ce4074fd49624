/* SPDX-License-Identifier: MIT */
/*
 * The one clock: CLOCK_MONOTONIC in nanoseconds, the clock the kernel
 * stamps proc events with, and the offset that turns it into wall time.
 */
#ifndef SW_CLOCK_H
#define SW_CLOCK_H

#include <stdint.h>

#define SW_NSEC 1000000000ull

uint64_t sw_clock_now(void);

/* CLOCK_REALTIME - CLOCK_MONOTONIC, now (it moves when the time is set). */
int64_t sw_clock_realtime_offset(void);

#endif
