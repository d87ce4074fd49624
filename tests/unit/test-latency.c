/* SPDX-License-Identifier: MIT */
/* Latency histogram: percentiles within a bucket's width of the truth. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "latency.h"

static struct sw_latency lat;

static int setup(void **state)
{
	memset(&lat, 0, sizeof(lat));
	return 0;
}

static void test_empty(void **state)
{
	assert_int_equal(sw_latency_pct(&lat, 0.5), 0);
	assert_int_equal(sw_latency_pct(&lat, 1.0), 0);
	assert_int_equal(lat.n, 0);
}

/* Below 16 µs each value is its own bucket: exact. */
static void test_small_exact(void **state)
{
	for (uint64_t v = 0; v < 16; v++)
		sw_latency_add(&lat, v);
	assert_int_equal(lat.n, 16);
	assert_int_equal(sw_latency_pct(&lat, 0.5), 7);
	assert_int_equal(sw_latency_pct(&lat, 1.0), 15);
	assert_int_equal(sw_latency_pct(&lat, 0.0), 0);
	assert_int_equal(lat.max_us, 15);
}

static void test_single(void **state)
{
	sw_latency_add(&lat, 1234);
	/* Never above the largest sample, though its bucket reaches higher. */
	assert_int_equal(sw_latency_pct(&lat, 0.5), 1234);
	assert_int_equal(sw_latency_pct(&lat, 0.99), 1234);
}

/* 1..100000 µs once each: every percentile within 12.5% above the truth. */
static void test_uniform(void **state)
{
	const double ps[] = { 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0 };

	for (uint64_t v = 1; v <= 100000; v++)
		sw_latency_add(&lat, v);
	for (size_t i = 0; i < sizeof(ps) / sizeof(ps[0]); i++) {
		double truth = ps[i] * 100000;
		uint64_t got = sw_latency_pct(&lat, ps[i]);

		if ((double)got < truth || (double)got > truth * 1.125 + 1)
			fail_msg("p%.3f: %llu, truth %.0f", ps[i],
				 (unsigned long long)got, truth);
	}
	assert_int_equal(lat.max_us, 100000);
}

/* Bucket edges: each power of two and its neighbours land in order. */
static void test_monotonic(void **state)
{
	uint64_t prev = 0, prev_v = 0;

	for (unsigned e = 0; e < 62; e++) {
		for (int d = -1; d <= 1; d++) {
			uint64_t v = (1ull << e) + (uint64_t)(int64_t)d;

			memset(&lat, 0, sizeof(lat));
			sw_latency_add(&lat, v);
			sw_latency_add(&lat, UINT64_MAX);
			/* p50 is v's bucket top, capped by the max. */
			uint64_t got = sw_latency_pct(&lat, 0.5);

			assert_true(got >= v);
			if (v >= prev_v)
				assert_true(got >= prev);
			assert_true((double)got <= (double)v * 1.125 + 1);
			prev = got;
			prev_v = v;
		}
	}
}

/* Values past the last bucket are counted there; max stays exact. */
static void test_huge(void **state)
{
	sw_latency_add(&lat, UINT64_MAX);
	sw_latency_add(&lat, 5);
	assert_int_equal(lat.n, 2);
	assert_int_equal(sw_latency_pct(&lat, 0.5), 5);
	assert_true(sw_latency_pct(&lat, 1.0) == UINT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_empty, setup),
		cmocka_unit_test_setup(test_small_exact, setup),
		cmocka_unit_test_setup(test_single, setup),
		cmocka_unit_test_setup(test_uniform, setup),
		cmocka_unit_test_setup(test_monotonic, setup),
		cmocka_unit_test_setup(test_huge, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
