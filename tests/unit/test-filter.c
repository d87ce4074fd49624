/* SPDX-License-Identifier: MIT */
/* Which events are written: selection and kinds, from the options. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "filter.h"
#include "opts.h"

static struct sw_event ev;

static void exec_event(void)
{
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.pid = ev.tid = 42;
	ev.comm = "sh";
	ev.euid = 33;
	ev.have |= SW_HAVE_COMM | SW_HAVE_CREDS;
}

static void filter(struct sw_filter *f, const struct sw_opts *o)
{
	sw_filter_init(f, o);
	exec_event();
}

static void test_everything(void **state)
{
	struct sw_opts o = { .events = SW_EVMASK_ALL };
	struct sw_filter f;

	filter(&f, &o);
	assert_true(sw_filter_wanted(&f, &ev));
	ev.tid = 43;			/* a thread's event: hidden by default */
	assert_false(sw_filter_wanted(&f, &ev));
	assert_true(sw_filter_selected(&f, &ev));
	o.threads = true;
	sw_filter_init(&f, &o);
	assert_true(sw_filter_wanted(&f, &ev));
}

static void test_kinds(void **state)
{
	struct sw_opts o = { .events = SW_EVMASK(SW_EV_EXIT), .nonzero_exit = true };
	struct sw_filter f;

	filter(&f, &o);
	assert_false(sw_filter_wanted(&f, &ev));	/* an exec */
	assert_true(sw_filter_selected(&f, &ev));	/* still selected */
	ev.type = SW_EV_EXIT;
	assert_false(sw_filter_wanted(&f, &ev));	/* exit 0 */
	ev.u.exit.exit_code = 1;
	assert_true(sw_filter_wanted(&f, &ev));
	ev.u.exit.exit_code = 0;
	ev.u.exit.signal = 9;
	assert_true(sw_filter_wanted(&f, &ev));
}

static void test_tagged(void **state)
{
	struct sw_opts o = { .events = SW_EVMASK_ALL, .tagged = true };
	struct sw_filter f;

	filter(&f, &o);
	assert_false(sw_filter_wanted(&f, &ev));
	ev.n_tags = 1;
	assert_true(sw_filter_wanted(&f, &ev));
}

static void test_selection(void **state)
{
	struct sw_opts o = { .events = SW_EVMASK_ALL, .comm = "sh", .have_uid = true,
			     .uid = 33, .pids = { 7 }, .n_pids = 1 };
	struct sw_filter f;

	filter(&f, &o);
	assert_false(sw_filter_selected(&f, &ev));	/* not in the subtree */
	ev.marked = true;
	assert_true(sw_filter_selected(&f, &ev));
	ev.euid = 0;
	assert_false(sw_filter_selected(&f, &ev));
	ev.euid = 33;
	ev.have &= ~SW_HAVE_CREDS;			/* unknown is not 33 */
	assert_false(sw_filter_selected(&f, &ev));
	ev.have |= SW_HAVE_CREDS;
	ev.comm = "bash";
	assert_false(sw_filter_selected(&f, &ev));
	ev.have &= ~SW_HAVE_COMM;
	ev.comm = "sh";
	assert_false(sw_filter_selected(&f, &ev));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_everything),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_tagged),
		cmocka_unit_test(test_selection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
