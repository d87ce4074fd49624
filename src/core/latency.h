/* SPDX-License-Identifier: MIT */
/*
 * Latency: how long an event waits between the kernel's timestamp and the
 * write of its line, kept as a histogram (1 µs steps below 16 µs, then 8
 * steps per power of two: within 12.5%) so that the stop line can give
 * percentiles without keeping a value per event.
 */
#ifndef SW_LATENCY_H
#define SW_LATENCY_H

#include <stdint.h>

#define SW_LAT_BUCKETS (16 + 60 * 8)

struct sw_latency {
	uint64_t n;
	uint64_t max_us;
	uint32_t hist[SW_LAT_BUCKETS];
};

void sw_latency_add(struct sw_latency *l, uint64_t us);

/*
 * The value at or below which a share p (0 < p <= 1) of the samples fall,
 * in µs, rounded up to its bucket's top (never above the largest sample);
 * 0 without samples.
 */
uint64_t sw_latency_pct(const struct sw_latency *l, double p);

#endif
