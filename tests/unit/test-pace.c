/* SPDX-License-Identifier: MIT */
/* The exec doorbell's budget, per uid: one user's flood paces only its own. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pace.h"

static struct sw_pace pace;

static int setup(void **state)
{
	sw_pace_init(&pace);
	return 0;
}

/* n wakeups of one exec of uid each; how many were within budget. */
static unsigned flood(uint32_t uid, unsigned n)
{
	unsigned now = 0;

	for (unsigned i = 0; i < n; i++)
		if (!sw_pace_ring(&pace) || sw_pace_charge(&pace, uid))
			now++;
	return now;
}

static void test_free_part(void **state)
{
	/* The first SW_PACE_FREE wakeups of a window need no uid. */
	for (unsigned i = 0; i < SW_PACE_FREE; i++)
		assert_false(sw_pace_ring(&pace));
	assert_true(sw_pace_ring(&pace));
	assert_true(sw_pace_open(&pace));
	assert_int_equal(pace.paced, 0);
}

static void test_one_flooder(void **state)
{
	/* Alone, a flooder gets what the old global budget gave (500). */
	assert_int_equal(flood(1001, 2000), SW_PACE_FREE + SW_PACE_PER_UID);
	assert_int_equal(pace.paced, 2000 - SW_PACE_FREE - SW_PACE_PER_UID);
}

static void test_other_user_not_blinded(void **state)
{
	flood(1001, 3000);
	/* Every wakeup of another uid in the same window is read at once. */
	for (unsigned i = 0; i < SW_PACE_PER_UID; i++) {
		assert_true(sw_pace_ring(&pace));
		assert_false(sw_pace_charge(&pace, 1001));
		assert_true(sw_pace_charge(&pace, 0));
	}
	/* Past its own budget, it is paced too. */
	assert_true(sw_pace_ring(&pace));
	assert_false(sw_pace_charge(&pace, 0));
}

static void test_one_charge_per_wakeup(void **state)
{
	flood(7, SW_PACE_FREE);
	/* A wakeup with many execs of one uid costs that uid one. */
	assert_true(sw_pace_ring(&pace));
	for (int i = 0; i < 100; i++)
		assert_true(sw_pace_charge(&pace, 42));
	assert_int_equal(pace.slot[0].wakeups, 1);
}

static void test_window_renews(void **state)
{
	flood(1001, 1000);
	sw_pace_window(&pace);
	assert_int_equal(flood(1001, 1000), SW_PACE_FREE + SW_PACE_PER_UID);
	/* The run's count goes on across windows. */
	assert_int_equal(pace.paced, 2 * (1000 - SW_PACE_FREE - SW_PACE_PER_UID));
}

static void test_ceiling(void **state)
{
	for (unsigned i = 0; i < SW_PACE_CEILING - 1; i++)
		sw_pace_ring(&pace);
	assert_true(sw_pace_open(&pace));
	sw_pace_ring(&pace);
	assert_false(sw_pace_open(&pace));
	sw_pace_window(&pace);
	assert_true(sw_pace_open(&pace));
}

static void test_table_bounded(void **state)
{
	/* Many uids (subordinate uid ranges): the table stays its size, the
	 * uids past it share one budget. */
	flood(0, SW_PACE_FREE);
	for (uint32_t u = 100000; u < 100000 + 10 * SW_PACE_UIDS; u++) {
		sw_pace_ring(&pace);
		sw_pace_charge(&pace, u);
	}
	assert_int_equal(pace.nslots, SW_PACE_UIDS);
	assert_int_equal(pace.shared.wakeups, 9 * SW_PACE_UIDS);
	/* A uid in the table keeps its own budget; one past it shares. */
	sw_pace_ring(&pace);
	assert_true(sw_pace_charge(&pace, 100000));
	assert_false(sw_pace_charge(&pace, 7));
}

static void test_run_counts_and_top(void **state)
{
	struct sw_paced_uid top[3];

	flood(0, SW_PACE_FREE);
	/* uid 5: 10 over, uid 6: 30 over, uid 7: 20 over, uid 8: 1 over. */
	for (uint32_t u = 5; u <= 8; u++) {
		unsigned over = u == 5 ? 10 : u == 6 ? 30 : u == 7 ? 20 : 1;

		for (unsigned i = 0; i < SW_PACE_PER_UID + over; i++) {
			sw_pace_ring(&pace);
			sw_pace_charge(&pace, u);
		}
	}
	assert_int_equal(pace.paced, 61);
	assert_int_equal(sw_pace_top(&pace, top, 3), 3);
	assert_int_equal(top[0].uid, 6);
	assert_int_equal(top[0].execs, 30);
	assert_int_equal(top[1].uid, 7);
	assert_int_equal(top[2].uid, 5);
	assert_int_equal(top[2].execs, 10);
	assert_int_equal(sw_pace_top(&pace, top, 0), 0);
	sw_pace_init(&pace);
	assert_int_equal(sw_pace_top(&pace, top, 3), 0);
}

static void test_run_table_bounded(void **state)
{
	struct sw_paced_uid top[SW_PACED_TOP];

	for (uint32_t u = 1; u <= 2 * SW_PACE_RUN_UIDS; u++) {
		sw_pace_window(&pace);
		flood(0, SW_PACE_FREE);
		for (unsigned i = 0; i <= SW_PACE_PER_UID; i++) {
			sw_pace_ring(&pace);
			sw_pace_charge(&pace, u);
		}
	}
	/* Every paced exec is counted; the first uids are named. */
	assert_int_equal(pace.paced, 2 * SW_PACE_RUN_UIDS);
	assert_int_equal(pace.nrun, SW_PACE_RUN_UIDS);
	assert_int_equal(sw_pace_top(&pace, top, SW_PACED_TOP), SW_PACED_TOP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_free_part, setup),
		cmocka_unit_test_setup(test_one_flooder, setup),
		cmocka_unit_test_setup(test_other_user_not_blinded, setup),
		cmocka_unit_test_setup(test_one_charge_per_wakeup, setup),
		cmocka_unit_test_setup(test_window_renews, setup),
		cmocka_unit_test_setup(test_ceiling, setup),
		cmocka_unit_test_setup(test_table_bounded, setup),
		cmocka_unit_test_setup(test_run_counts_and_top, setup),
		cmocka_unit_test_setup(test_run_table_bounded, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
