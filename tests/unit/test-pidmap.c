/* SPDX-License-Identifier: MIT */
/*
 * The pid hash under the lineage table and the detectors' slots: records
 * found by pid through growth, two records of one pid kept apart, removal
 * from inside a walk, the drain.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pidmap.h"

struct rec {
	struct sw_pidnode node;
	int gen;
	int pid;
	bool seen;
};

#define N 20000

static struct rec recs[N];
static struct sw_pidmap m;

static int setup(void **state)
{
	memset(recs, 0, sizeof(recs));
	assert_int_equal(sw_pidmap_init(&m, 4, offsetof(struct rec, pid)), 0);
	return 0;
}

static int teardown(void **state)
{
	sw_pidmap_fini(&m);
	return 0;
}

static struct rec *find(int pid, int gen)
{
	for (struct sw_pidnode *x = sw_pidmap_chain(&m, pid); x; x = x->next) {
		struct rec *r = (struct rec *)(void *)x;

		if (sw_pidmap_key(&m, x) == pid && r->gen == gen)
			return r;
	}
	return NULL;
}

/* From 4 buckets to 20,000 records: each is found, none twice. */
static void test_grow(void **state)
{
	for (int i = 0; i < N; i++) {
		recs[i].pid = i * 7 + 1;
		sw_pidmap_add(&m, &recs[i].node);
	}
	assert_int_equal(m.count, N);
	assert_true(m.n >= N / 2);
	assert_true((m.n & (m.n - 1)) == 0);
	for (int i = 0; i < N; i++)
		assert_ptr_equal(find(i * 7 + 1, 0), &recs[i]);
	assert_null(find(2, 0));
	assert_null(find(-1, 0));
}

/* A pid held twice (a process and its predecessor): both, apart. */
static void test_same_pid(void **state)
{
	recs[0].pid = recs[1].pid = 4242;
	recs[1].gen = 1;
	sw_pidmap_add(&m, &recs[0].node);
	sw_pidmap_add(&m, &recs[1].node);
	assert_ptr_equal(find(4242, 0), &recs[0]);
	assert_ptr_equal(find(4242, 1), &recs[1]);
	sw_pidmap_del(&m, &recs[0].node);
	assert_null(find(4242, 0));
	assert_ptr_equal(find(4242, 1), &recs[1]);
	/* A record the map does not hold: nothing happens. */
	sw_pidmap_del(&m, &recs[0].node);
	assert_int_equal(m.count, 1);
}

static void drop_odd(struct sw_pidnode *x, void *data)
{
	struct rec *r = (struct rec *)(void *)x;

	r->seen = true;
	if (r->pid % 2)
		sw_pidmap_del(data, x);
}

/* A walk visits each record once, and may remove the one it is given. */
static void test_each_removes(void **state)
{
	for (int i = 0; i < 1000; i++) {
		recs[i].pid = i;
		sw_pidmap_add(&m, &recs[i].node);
	}
	sw_pidmap_each(&m, drop_odd, &m);
	assert_int_equal(m.count, 500);
	for (int i = 0; i < 1000; i++) {
		assert_true(recs[i].seen);
		if (i % 2)
			assert_null(find(i, 0));
		else
			assert_ptr_equal(find(i, 0), &recs[i]);
	}
}

static unsigned drained;

static void count(struct sw_pidnode *x)
{
	assert_null(x->next);
	drained++;
}

static void test_drain(void **state)
{
	for (int i = 0; i < 300; i++) {
		recs[i].pid = i % 50;	/* long chains of one pid */
		recs[i].gen = i;
		sw_pidmap_add(&m, &recs[i].node);
	}
	drained = 0;
	sw_pidmap_drain(&m, count);
	assert_int_equal(drained, 300);
	assert_int_equal(m.count, 0);
	for (int i = 0; i < 50; i++)
		assert_null(sw_pidmap_chain(&m, i));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_grow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_pid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_removes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drain, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
