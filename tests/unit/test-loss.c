/* SPDX-License-Identifier: MIT */
/* Loss accounting: per-CPU sequence gaps and the Drops counter (item 10). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "loss.h"

static struct sw_loss loss;

static int setup(void **state)
{
	sw_loss_init(&loss);
	return 0;
}

static void test_init(void **state)
{
	loss.seq_lost = 7;
	loss.seen[3] = true;
	sw_loss_init(&loss);
	assert_int_equal(loss.seq_lost, 0);
	assert_int_equal(loss.drops, 0);
	assert_int_equal(loss.reported, 0);
	assert_false(loss.seen[3]);
	assert_int_equal(sw_loss_take(&loss), 0);
}

static void test_first_is_not_gap(void **state)
{
	assert_int_equal(sw_loss_seq(&loss, 0, 100), 0);
	assert_int_equal(sw_loss_seq(&loss, 1, 5000), 0);
	assert_int_equal(sw_loss_seq(&loss, SW_LOSS_CPUS - 1, 0xfffffff0u), 0);
	assert_int_equal(loss.seq_lost, 0);
}

static void test_consecutive(void **state)
{
	for (uint32_t s = 10; s < 1000; s++)
		assert_int_equal(sw_loss_seq(&loss, 0, s), 0);
	assert_int_equal(loss.seq_lost, 0);
}

static void test_gap(void **state)
{
	assert_int_equal(sw_loss_seq(&loss, 0, 100), 0);
	assert_int_equal(sw_loss_seq(&loss, 0, 101), 0);
	assert_int_equal(sw_loss_seq(&loss, 0, 107), 5);
	assert_int_equal(sw_loss_seq(&loss, 0, 108), 0);
	assert_int_equal(loss.seq_lost, 5);
	/* Other CPUs keep their own sequence. */
	assert_int_equal(sw_loss_seq(&loss, 1, 7), 0);
	assert_int_equal(sw_loss_seq(&loss, 1, 9), 1);
	assert_int_equal(sw_loss_seq(&loss, 0, 109), 0);
	assert_int_equal(loss.seq_lost, 6);
}

static void test_wrap(void **state)
{
	assert_int_equal(sw_loss_seq(&loss, 0, 0xffffffffu), 0);
	assert_int_equal(sw_loss_seq(&loss, 0, 0), 0);
	assert_int_equal(loss.seq_lost, 0);

	assert_int_equal(sw_loss_seq(&loss, 1, 0xfffffffeu), 0);
	assert_int_equal(sw_loss_seq(&loss, 1, 1), 2);
	assert_int_equal(loss.seq_lost, 2);
}

static void test_step_back(void **state)
{
	assert_int_equal(sw_loss_seq(&loss, 0, 200), 0);
	assert_int_equal(sw_loss_seq(&loss, 0, 150), 0);	/* back */
	assert_int_equal(sw_loss_seq(&loss, 0, 151), 0);	/* from there */
	assert_int_equal(sw_loss_seq(&loss, 0, 151), 0);	/* repeat */
	assert_int_equal(sw_loss_seq(&loss, 0, 153), 1);
	/* Back across the wrap. */
	assert_int_equal(sw_loss_seq(&loss, 1, 2), 0);
	assert_int_equal(sw_loss_seq(&loss, 1, 0xfffffff0u), 0);
	/* A jump of 2^31 or more is not believed as loss either. */
	assert_int_equal(sw_loss_seq(&loss, 2, 10), 0);
	assert_int_equal(sw_loss_seq(&loss, 2, 10 + 0x80000001u), 0);
	assert_int_equal(loss.seq_lost, 1);
}

static void test_bad_cpu(void **state)
{
	assert_int_equal(sw_loss_seq(&loss, SW_LOSS_CPUS, 1), 0);
	assert_int_equal(sw_loss_seq(&loss, SW_LOSS_CPUS, 100), 0);
	assert_int_equal(sw_loss_seq(&loss, 0xffffffffu, 1), 0);	/* ack */
	assert_int_equal(sw_loss_seq(&loss, 0xffffffffu, 50), 0);
	assert_int_equal(loss.seq_lost, 0);
	/* The ack did not start a sequence on any real CPU. */
	for (unsigned c = 0; c < SW_LOSS_CPUS; c++)
		assert_false(loss.seen[c]);
	assert_int_equal(sw_loss_seq(&loss, SW_LOSS_CPUS - 1, 1), 0);
	assert_int_equal(sw_loss_seq(&loss, SW_LOSS_CPUS - 1, 3), 1);
}

/* An overflow is counted, and is no count of events by itself. */
static void test_overflow(void **state)
{
	sw_loss_overflow(&loss);
	sw_loss_overflow(&loss);
	assert_int_equal(loss.overflows, 2);
	assert_int_equal(sw_loss_take(&loss), 0);
	sw_loss_drops(&loss, 4);
	assert_int_equal(sw_loss_take(&loss), 4);
	assert_int_equal(loss.overflows, 2);
}

static void test_take(void **state)
{
	uint64_t total = 0, n;

	assert_int_equal(sw_loss_take(&loss), 0);

	/* 5 by sequence, 3 by Drops: 5 known. */
	sw_loss_seq(&loss, 0, 1);
	sw_loss_seq(&loss, 0, 7);
	sw_loss_drops(&loss, 3);
	n = sw_loss_take(&loss);
	assert_int_equal(n, 5);
	total += n;
	assert_int_equal(sw_loss_take(&loss), 0);

	/* Drops catches up and passes: only the difference. */
	sw_loss_drops(&loss, 8);
	n = sw_loss_take(&loss);
	assert_int_equal(n, 3);
	total += n;

	/* A counter reading that goes down changes nothing. */
	sw_loss_drops(&loss, 2);
	assert_int_equal(loss.drops, 8);
	assert_int_equal(sw_loss_take(&loss), 0);

	/* Sequence gaps take the lead again: 5 + 4 = 9 > 8. */
	sw_loss_seq(&loss, 1, 10);
	sw_loss_seq(&loss, 1, 15);
	n = sw_loss_take(&loss);
	assert_int_equal(n, 1);
	total += n;

	/* Both see the same late burst. */
	sw_loss_seq(&loss, 1, 26);	/* 10 more: 19 */
	sw_loss_drops(&loss, 19);
	n = sw_loss_take(&loss);
	assert_int_equal(n, 10);
	total += n;

	assert_int_equal(total, 19);
	assert_int_equal(loss.reported, 19);
	assert_int_equal(sw_loss_take(&loss), 0);
}

/* Reports taken after every step add up to the truth, whichever leads. */
static void test_take_adds_up(void **state)
{
	uint64_t total = 0, drops = 0;
	uint32_t seq = 0xfffffff0u;

	sw_loss_seq(&loss, 5, seq);
	for (unsigned i = 1; i <= 200; i++) {
		uint32_t gap = i % 7;

		seq += gap + 1;
		sw_loss_seq(&loss, 5, seq);
		if (i % 3 == 0) {
			drops += 3 * gap;
			sw_loss_drops(&loss, drops);
		}
		total += sw_loss_take(&loss);
		assert_int_equal(total, loss.seq_lost > loss.drops ? loss.seq_lost
								 : loss.drops);
	}
	assert_true(total > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init, setup),
		cmocka_unit_test_setup(test_first_is_not_gap, setup),
		cmocka_unit_test_setup(test_consecutive, setup),
		cmocka_unit_test_setup(test_gap, setup),
		cmocka_unit_test_setup(test_wrap, setup),
		cmocka_unit_test_setup(test_step_back, setup),
		cmocka_unit_test_setup(test_bad_cpu, setup),
		cmocka_unit_test_setup(test_overflow, setup),
		cmocka_unit_test_setup(test_take, setup),
		cmocka_unit_test_setup(test_take_adds_up, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
