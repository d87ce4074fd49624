/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <time.h>

#include "clock.h"

uint64_t sw_clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * SW_NSEC + (uint64_t)ts.tv_nsec;
}

int64_t sw_clock_realtime_offset(void)
{
	struct timespec rt, mono;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	return ((int64_t)rt.tv_sec - (int64_t)mono.tv_sec) * (int64_t)SW_NSEC +
	       ((int64_t)rt.tv_nsec - (int64_t)mono.tv_nsec);
}
