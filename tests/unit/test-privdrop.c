/* SPDX-License-Identifier: MIT */
/* The one warning of a subscription without full privileges. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

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

#define NOLOGIN "/usr/sbin/nologin"

static void test_own_user(void **state)
{
	assert_null(sw_privdrop_shared(999, 995, "spawnwatch", NOLOGIN, 0));
	assert_null(sw_privdrop_shared(999, 65534, "spawnwatch", NOLOGIN, 0));	/* nogroup */
	assert_null(sw_privdrop_shared(999, 995, "spawnwatch", "/bin/false", 0));
	assert_null(sw_privdrop_shared(999, 995, "spawnwatch", "/usr/bin/false", 0));
	assert_null(sw_privdrop_shared(999, 995, "spawnwatch", "/bin/true", 0));
	assert_null(sw_privdrop_shared(999, 995, "spawnwatch", "nologin", 0));
	assert_null(sw_privdrop_shared(1, 1, "daemon", NOLOGIN, 0));
	assert_null(sw_privdrop_shared(65533, 995, "spawnwatch", NOLOGIN, 0));
	assert_null(sw_privdrop_shared(65535, 995, "spawnwatch", NOLOGIN, 0));
}

static void assert_refused(const char *why, const char *want)
{
	assert_non_null(why);
	assert_non_null(strstr(why, want));
}

static void test_shared_user(void **state)
{
	assert_refused(sw_privdrop_shared(0, 0, "root", "/bin/bash", 0), "root");
	assert_refused(sw_privdrop_shared(0, 995, "toor", NOLOGIN, 0), "root");
	assert_refused(sw_privdrop_shared(65534, 65534, "nobody", NOLOGIN, 0), "nobody");
	/* The overflow uid whatever its name, and nobody whatever its uid. */
	assert_refused(sw_privdrop_shared(65534, 995, "unmapped", NOLOGIN, 0), "nobody");
	assert_refused(sw_privdrop_shared(99, 99, "nobody", NOLOGIN, 0), "nobody");
	assert_refused(sw_privdrop_shared(65534, 65534, "nfsnobody", NOLOGIN, 0), "nobody");
	assert_refused(sw_privdrop_shared(999, 0, "spawnwatch", NOLOGIN, 0), "group");
	assert_refused(sw_privdrop_shared(1000, 1000, "alice", "/bin/bash", 0), "login shell");
	assert_refused(sw_privdrop_shared(1000, 1000, "alice", "/bin/sh", 0), "login shell");
	/* An empty shell is /bin/sh to login(1); nologin must be the name. */
	assert_refused(sw_privdrop_shared(1000, 1000, "alice", "", 0), "login shell");
	assert_refused(sw_privdrop_shared(1000, 1000, "alice", NULL, 0), "login shell");
	assert_refused(sw_privdrop_shared(1000, 1000, "alice", "/bin/nologin-not", 0),
		       "login shell");
	assert_refused(sw_privdrop_shared(1000, 1000, "alice", "/home/alice/nologin/sh", 0),
		       "login shell");
	assert_refused(sw_privdrop_shared(999, 995, "spawnwatch", NOLOGIN, 1234),
		       "another process");
	assert_null(sw_privdrop_shared(999, 995, "spawnwatch", NOLOGIN, -2));	/* no pid */
}

/* The scan of /proc: this process runs as its own uid, pid 1 as root. */
static void test_uid_in_use(void **state)
{
	int other = sw_privdrop_uid_in_use((uint32_t)getuid(), 1);

	assert_true(other > 0);		/* at least this test itself */
	assert_int_equal(sw_privdrop_uid_in_use((uint32_t)getuid(), (int)getpid()) >= 0, 1);
	assert_int_equal(sw_privdrop_uid_in_use(4000000000u, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_degraded),
		cmocka_unit_test(test_blind),
		cmocka_unit_test(test_capped),
		cmocka_unit_test(test_short_buffer),
		cmocka_unit_test(test_own_user),
		cmocka_unit_test(test_shared_user),
		cmocka_unit_test(test_uid_in_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
