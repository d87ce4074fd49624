/* SPDX-License-Identifier: MIT */
/* replay's source: a log line by line, blank lines skipped, long ones cut. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "jsonsrc.h"

#define LINE(pid) "{\"ts\":\"2026-01-01T00:00:01.000000000Z\",\"seq\":1," \
		  "\"event\":\"fork\",\"pid\":" #pid ",\"ppid\":1}"

static char path[64];

static void write_log(const void *data, size_t n)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/sw-jsonsrc-XXXXXX");
	close(mkstemp(path));
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static void test_lines(void **state)
{
	static const char log[] = LINE(5) "\n\n   \n" LINE(6) "\nnot json\n" LINE(7);
	struct sw_jsonsrc *s;
	struct sw_event ev;
	char why[200];

	write_log(log, sizeof(log) - 1);
	assert_int_equal(sw_jsonsrc_open(path, &s), 0);
	assert_string_equal(sw_jsonsrc_name(s), path);
	assert_int_equal(sw_jsonsrc_next(s, &ev, why, sizeof(why)), SW_JSONSRC_EVENT);
	assert_int_equal(ev.pid, 5);
	assert_int_equal(sw_jsonsrc_next(s, &ev, why, sizeof(why)), SW_JSONSRC_EVENT);
	assert_int_equal(ev.pid, 6);
	assert_int_equal(sw_jsonsrc_lines(s), 4);	/* two blank ones skipped */
	assert_int_equal(sw_jsonsrc_next(s, &ev, why, sizeof(why)), SW_JSONSRC_BAD);
	assert_int_equal(sw_jsonsrc_lines(s), 5);
	/* The last line, without a newline, still counts. */
	assert_int_equal(sw_jsonsrc_next(s, &ev, why, sizeof(why)), SW_JSONSRC_EVENT);
	assert_int_equal(ev.pid, 7);
	assert_int_equal(sw_jsonsrc_next(s, &ev, why, sizeof(why)), SW_JSONSRC_END);
	assert_int_equal(sw_jsonsrc_bad(s), 1);
	assert_int_equal(sw_jsonsrc_lines(s), 6);
	sw_jsonsrc_free(s);
}

/* A line past the limit is malformed, not kept; the next one is read. */
static void test_long_line(void **state)
{
	size_t big = 300000, n = 0;
	char *log = malloc(big + 200);
	struct sw_jsonsrc *s;
	struct sw_event ev;
	char why[200];

	assert_non_null(log);
	log[n++] = '"';
	memset(log + n, 'x', big);
	n += big;
	n += (size_t)sprintf(log + n, "\"\n%s\n", LINE(8));
	write_log(log, n);
	free(log);
	assert_int_equal(sw_jsonsrc_open_max(path, 1000, &s), 0);
	assert_int_equal(sw_jsonsrc_next(s, &ev, why, sizeof(why)), SW_JSONSRC_BAD);
	assert_string_equal(why, "longer than 1000 bytes");
	assert_int_equal(sw_jsonsrc_next(s, &ev, why, sizeof(why)), SW_JSONSRC_EVENT);
	assert_int_equal(ev.pid, 8);
	assert_int_equal(sw_jsonsrc_lines(s), 2);
	sw_jsonsrc_free(s);
	/* At the default limit the same line is read (and is not an event). */
	assert_int_equal(sw_jsonsrc_open(path, &s), 0);
	assert_int_equal(sw_jsonsrc_next(s, &ev, why, sizeof(why)), SW_JSONSRC_BAD);
	assert_null(strstr(why, "longer than"));
	sw_jsonsrc_free(s);
}

/* A NUL byte inside a line is part of it: the line is malformed, whole. */
static void test_nul_byte(void **state)
{
	static const char log[] = "{\"ts\"\0:1}\n" LINE(9) "\n";
	struct sw_jsonsrc *s;
	struct sw_event ev;
	char why[200];

	write_log(log, sizeof(log) - 1);
	assert_int_equal(sw_jsonsrc_open(path, &s), 0);
	assert_int_equal(sw_jsonsrc_next(s, &ev, why, sizeof(why)), SW_JSONSRC_BAD);
	assert_int_equal(sw_jsonsrc_next(s, &ev, why, sizeof(why)), SW_JSONSRC_EVENT);
	assert_int_equal(ev.pid, 9);
	assert_int_equal(sw_jsonsrc_lines(s), 2);
	sw_jsonsrc_free(s);
}

static void test_missing(void **state)
{
	struct sw_jsonsrc *s;

	path[0] = '\0';
	assert_int_equal(sw_jsonsrc_open("/nonexistent/log", &s), -ENOENT);
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_lines, teardown),
		cmocka_unit_test_teardown(test_long_line, teardown),
		cmocka_unit_test_teardown(test_nul_byte, teardown),
		cmocka_unit_test_teardown(test_missing, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
