/* SPDX-License-Identifier: MIT */
#include "config.h"

#include "latency.h"

static unsigned bucket(uint64_t us)
{
	unsigned e;

	if (us < 16)
		return (unsigned)us;
	e = 63u - (unsigned)__builtin_clzll(us);	/* 4 .. 63 */
	return 16 + (e - 4) * 8 + (unsigned)((us >> (e - 3)) & 7);
}

/* The largest value that falls in bucket b. */
static uint64_t bucket_top(unsigned b)
{
	unsigned e, sub;

	if (b < 16)
		return b;
	e = (b - 16) / 8 + 4;
	sub = (b - 16) % 8;
	return ((8ull + sub + 1) << (e - 3)) - 1;
}

void sw_latency_add(struct sw_latency *l, uint64_t us)
{
	unsigned b = bucket(us);

	if (b >= SW_LAT_BUCKETS)
		b = SW_LAT_BUCKETS - 1;
	l->hist[b]++;
	l->n++;
	if (us > l->max_us)
		l->max_us = us;
}

uint64_t sw_latency_pct(const struct sw_latency *l, double p)
{
	uint64_t want, seen = 0;

	if (!l->n)
		return 0;
	if (p <= 0)
		p = 0;
	want = (uint64_t)(p * (double)l->n + 0.999999);
	if (want < 1)
		want = 1;
	if (want > l->n)
		want = l->n;
	for (unsigned b = 0; b < SW_LAT_BUCKETS; b++) {
		seen += l->hist[b];
		if (seen >= want) {
			uint64_t top = bucket_top(b);

			return top < l->max_us ? top : l->max_us;
		}
	}
	return l->max_us;
}
