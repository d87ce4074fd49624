/* SPDX-License-Identifier: MIT */
/* The one warning of a subscription without full privileges. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "privdrop.h"

#define MIB (1024L * 1024)

static void check(bool root, bool ptrace, size_t asked, long got, const char *want)
{
	char buf[512];
	int n = sw_privdrop_degraded(buf, sizeof(buf), root, ptrace, asked, got);

	if (!want) {
		assert_int_equal(n, 0);
		return;
	}
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(buf, want);
}

static void test_nothing_degraded(void **state)
{
	check(true, true, 64 * MIB, 64 * MIB, NULL);
	check(false, true, 64 * MIB, 64 * MIB, NULL);	/* both capabilities */
	check(false, true, 1024, 4608, NULL);		/* the kernel's minimum is more */
	check(false, true, 64 * MIB, -1, NULL);		/* size unknown: no claim */
}

static void test_blind(void **state)
{
	check(false, false, 64 * MIB, 64 * MIB,
	      "warning: not running as root: exe and cwd of other users' "
	      "processes are unreadable (no CAP_SYS_PTRACE)");
	check(true, false, 64 * MIB, 64 * MIB,
	      "warning: exe and cwd of other users' processes are unreadable "
	      "(no CAP_SYS_PTRACE)");
}

static void test_capped(void **state)
{
	check(false, true, 64 * MIB, 4 * MIB,
	      "warning: not running as root: the receive buffer is capped at "
	      "net.core.rmem_max (4194304 of the 67108864 bytes asked; "
	      "CAP_NET_ADMIN lifts it), so a storm may lose events");
	check(false, false, 64 * MIB, 4 * MIB,
	      "warning: not running as root: exe and cwd of other users' "
	      "processes are unreadable (no CAP_SYS_PTRACE), and the receive "
	      "buffer is capped at net.core.rmem_max (4194304 of the 67108864 "
	      "bytes asked; CAP_NET_ADMIN lifts it), so a storm may lose events");
}

static void test_short_buffer(void **state)
{
	char buf[16];
	int n = sw_privdrop_degraded(buf, sizeof(buf), false, false, 64 * MIB, 4 * MIB);

	assert_true(n > (int)sizeof(buf));	/* snprintf's count: it was cut */
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_degraded),
		cmocka_unit_test(test_blind),
		cmocka_unit_test(test_capped),
		cmocka_unit_test(test_short_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
