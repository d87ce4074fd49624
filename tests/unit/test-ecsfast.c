/* SPDX-License-Identifier: MIT */
/*
 * --format ecs on the JSON writer (sw_emit_ecs_ops) against its jansson
 * builder (sw_emit_ecs_ref_ops): every line the same bytes, or both refuse
 * it and the writer leaves the buffer as it was (the cases: fastcmp.h),
 * cut lines too.
 *
 *   test-ecsfast --bench ref|fast N	formats N fork/exec/exit lines and
 *					says how long that took
 */
#include "config.h"

#define FAST_OPS sw_emit_ecs_ops
#define FAST_REF sw_emit_ecs_ref_ops
#define FAST_NAME "ecs"
#define FAST_KINDS SW_EV__MAX
#define FAST_UNREAD false

#include "fastcmp.h"

static void fast_reals_held(void)
{
	/* ECS's uptime: the whole seconds of the same microseconds. */
	fill(SW_EV_EXIT, SW_HAVE_DURATION, 3);
	ev.thread = false;
	ev.tid = ev.pid;
	ev.duration_s = 1e300;
	assert_wrote("\"uptime\":10000000000,");
	ev.duration_s = -1e300;
	assert_wrote("\"uptime\":0,");
	ev.duration_s = NAN;
	assert_wrote("\"uptime\":0,");
	ev.duration_s = 59.9999999;
	assert_wrote("\"uptime\":59,");
	assert_wrote("\"duration_s\":59.999999");
	ev.duration_s = 60;
	assert_wrote("\"uptime\":60,");
}

static void fast_want_start(void)
{
	assert_non_null(strstr(fast.data, "\"os\":{\"kernel\":"
			       "\"6.8.0-45-generic\"}},\"agent\":{\"type\":"
			       "\"spawnwatch\",\"version\":\"1.4.2\"}"));
	assert_non_null(strstr(fast.data, ",\"spawnwatch\":{\"filter\":"
			       "{\"events\":[\"fork\","));
	assert_non_null(strstr(fast.data, "\"where\":\"user\"},\"tracked\":"
			       "4294967295,\"ns\":{\"mnt\":4026531841,\"pid\":-1},"
			       "\"rcvbuf\":67108864}}\n"));
}

static void fast_want_stop(void)
{
	assert_non_null(strstr(fast.data, ",\"spawnwatch\":{"
			       "\"stats\":{\"events\":"
			       "{\"fork\":1,\"exec\":2,"));
}

static void fast_want_resync(void)
{
	assert_non_null(strstr(fast.data, "\"action\":\"resync\","));
	assert_non_null(strstr(fast.data, ",\"spawnwatch\":{\"resync\":"
			       "{\"added\":3,\"removed\":0,\"reparented\":0,"
			       "\"tracked\":120}}}\n"));
}

/*
 * Cut to a size through the truncate hook: the same bytes, or both say it
 * does not fit, for every size from too small to whole.
 */
static void test_truncate(void **state)
{
	static char argv[3000];
	unsigned n_cut = 0;

	for (size_t i = 0; i < sizeof(argv); i++)
		argv[i] = i % 40 == 39 ? '\0' : i % 7 ? (char)('a' + i % 26) :
							"\xc3\xa9\xff\n"[i % 4];
	for (unsigned c = 0; c < 24; c++) {
		fill(c % 3 ? SW_EV_EXEC : SW_EV_EXIT, 0x3ff, c);
		ev.argv = argv;
		ev.argv_len = sizeof(argv) - c * 100;
		ev.n_ancestry = SW_ANCESTRY_MAX;
		for (unsigned i = 0; i < ev.n_ancestry; i++)
			ev.ancestry[i] = family[(i + c) % 4];
		for (size_t max = 200 + c; max < 4500; max += 37) {
			int rr, rf;

			ref.len = fast.len = 0;
			em.ops = &sw_emit_ecs_ref_ops;
			rr = sw_emit_truncate(&em, &ev, &ref, max);
			em.ops = &sw_emit_ecs_ops;
			rf = sw_emit_truncate(&em, &ev, &fast, max);
			assert_int_equal(rr, rf);
			if (rf < 0)
				continue;
			n_cut += rf;
			assert_true(fast.len <= max);
			assert_int_equal(ref.len, fast.len);
			assert_memory_equal(ref.data, fast.data, ref.len);
		}
	}
	assert_true(n_cut > 0);
	print_message("%u lines cut the same\n", n_cut);
}

FAST_MAIN(T(test_truncate))
