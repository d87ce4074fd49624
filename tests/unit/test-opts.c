/* SPDX-License-Identifier: MIT */
/* Command line parsing: defaults, every option, every usage error. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "event.h"
#include "opts.h"
#include "sink.h"

#define MAX_ARGS 16

static struct sw_opts opts;
static char err[256];

/* Parses "spawnwatch ARG..." (NULL-terminated) into opts and err. */
static int parse(const char *first, ...)
{
	static char storage[MAX_ARGS][128];
	char *argv[MAX_ARGS + 1];
	int argc = 0;
	va_list ap;

	snprintf(storage[argc], sizeof(storage[argc]), "spawnwatch");
	argv[argc] = storage[argc];
	argc++;
	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *)) {
		assert_true(argc < MAX_ARGS);
		assert_true(strlen(a) < sizeof(storage[argc]));
		snprintf(storage[argc], sizeof(storage[argc]), "%s", a);
		argv[argc] = storage[argc];
		argc++;
	}
	va_end(ap);
	argv[argc] = NULL;
	memset(err, 0, sizeof(err));
	memset(&opts, 0x5a, sizeof(opts));
	return sw_opts_parse(argc, argv, &opts, err, sizeof(err));
}

/* One line of plain text: no control byte reaches the terminal. */
static void assert_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			fail_msg("control byte 0x%02x in the message",
				 (unsigned char)*s);
}

#define OK(...) assert_int_equal(parse(__VA_ARGS__, NULL), 0)

/* A usage error: -EINVAL and a message naming the culprit. */
#define BAD(culprit, ...)                                              \
	do {                                                           \
		assert_int_equal(parse(__VA_ARGS__, NULL), -EINVAL);   \
		assert_true(err[0] != '\0');                           \
		assert_printable(err);                                 \
		if ((culprit)[0] && !strstr(err, culprit))             \
			fail_msg("'%s' does not name '%s'", err, culprit); \
	} while (0)

static void assert_defaults(void)
{
	assert_string_equal(opts.format, "text");
	assert_int_equal(opts.events, SW_EVMASK_ALL);
	assert_false(opts.threads);
	assert_false(opts.nonzero_exit);
	assert_int_equal(opts.count, 0);
	assert_true(opts.duration == 0.0);
	assert_null(opts.output);
	assert_int_equal(opts.rcvbuf, SW_DEFAULT_RCVBUF);
	assert_int_equal(opts.ancestry, SW_DEFAULT_ANCESTRY);
	assert_false(opts.stats);
	assert_int_equal(opts.color, SW_COLOR_AUTO);
	assert_false(opts.quiet);
	assert_false(opts.help);
	assert_false(opts.version);
	assert_null(opts.run_as);
	assert_false(opts.run_as_shared);
}

static void test_defaults(void **state)
{
	char *argv[] = { NULL };

	assert_int_equal(parse(NULL), 0);
	assert_defaults();
	assert_int_equal(SW_DEFAULT_RCVBUF, 64u << 20);
	/* argc 0 is survivable too. */
	memset(&opts, 0x5a, sizeof(opts));
	assert_int_equal(sw_opts_parse(0, argv, &opts, err, sizeof(err)), 0);
	assert_defaults();
}

static void test_watch_word(void **state)
{
	OK("watch");
	assert_defaults();
	OK("watch", "--json", "-n", "3");
	assert_string_equal(opts.format, "json");
	assert_int_equal(opts.count, 3);
	BAD("watch", "watch", "watch");
	BAD("watch", "--json", "watch");
	OK("forest");
	assert_int_equal(opts.cmd, SW_CMD_FOREST);
	assert_int_equal(opts.n_pids, 0);
	OK("forest", "-j", "1", "42");
	assert_int_equal(opts.cmd, SW_CMD_FOREST);
	assert_string_equal(opts.format, "json");
	assert_int_equal(opts.n_pids, 2);
	assert_int_equal(opts.pids[1], 42);
	BAD("invalid pid 'x'", "forest", "x");
	BAD("invalid pid '0'", "forest", "0");
	BAD("'forest'", "forest", "forest");
	/* Subtree selection and a command to follow. */
	OK("--pid", "7", "-p", "8", "--comm", "nginx", "--user", "33");
	assert_int_equal(opts.n_pids, 2);
	assert_int_equal(opts.pids[0], 7);
	assert_string_equal(opts.comm, "nginx");
	assert_true(opts.have_uid);
	assert_int_equal(opts.uid, 33);
	OK("--user", "www-data");
	assert_false(opts.have_uid);
	assert_string_equal(opts.user, "www-data");
	BAD("invalid --comm", "--comm", "0123456789abcdefX");
	BAD("invalid pid '-3'", "--pid", "-3");
	OK("-j", "--", "sh", "-c", "exit 7");
	assert_non_null(opts.command);
	assert_string_equal(opts.command[0], "sh");
	assert_string_equal(opts.command[2], "exit 7");
	OK("watch", "--", "true");
	assert_string_equal(opts.command[0], "true");
	BAD("must be followed", "--");
	BAD("extra", "-j", "extra");
	BAD("extra", "watch", "-j", "extra", "-q");
}

static void test_format(void **state)
{
	OK("--json");
	assert_string_equal(opts.format, "json");
	OK("-j");
	assert_string_equal(opts.format, "json");
	OK("--format", "json");
	assert_string_equal(opts.format, "json");
	OK("--format=text");
	assert_string_equal(opts.format, "text");
	OK("--json", "--format", "text");	/* the last one wins */
	assert_string_equal(opts.format, "text");
	BAD("xml", "--format", "xml");
	BAD("", "--format", "");
	BAD("JSON", "--format=JSON");
}

static void test_events(void **state)
{
	OK("--events", "fork,exec");
	assert_int_equal(opts.events,
			 SW_EVMASK(SW_EV_FORK) | SW_EVMASK(SW_EV_EXEC));
	OK("-e", "exit");
	assert_int_equal(opts.events, SW_EVMASK(SW_EV_EXIT));
	OK("-e", "all");
	assert_int_equal(opts.events, SW_EVMASK_ALL);
	OK("-e", "uid,gid,sid,ptrace,comm,coredump");
	assert_int_equal(opts.events, SW_EVMASK_ALL & ~(SW_EVMASK(SW_EV_FORK) |
							SW_EVMASK(SW_EV_EXEC) |
							SW_EVMASK(SW_EV_EXIT) |
							SW_EVMASK(SW_EV_REPARENT)));
	OK("-e", "reparent");
	assert_int_equal(opts.events, SW_EVMASK(SW_EV_REPARENT));
	OK("--events=exec,exec,all");
	assert_int_equal(opts.events, SW_EVMASK_ALL);
	BAD("bogus", "--events", "fork,bogus");
	BAD("", "--events", "");
	BAD("", "--events", ",");
	/* Names of events the kernel does not send are not selectable. */
	BAD("lost", "-e", "lost");
	BAD("ack", "-e", "ack");
	BAD("start", "-e", "fork,start");
	BAD("Fork", "-e", "Fork");
}

static void test_parse_events(void **state)
{
	unsigned mask = 12345;
	char long_list[400];

	assert_int_equal(sw_opts_parse_events("coredump", &mask, err, sizeof(err)), 0);
	assert_int_equal(mask, SW_EVMASK(SW_EV_COREDUMP));
	mask = 12345;
	err[0] = '\0';
	assert_int_equal(sw_opts_parse_events("nope", &mask, err, sizeof(err)), -EINVAL);
	assert_int_equal(mask, 12345);
	assert_non_null(strstr(err, "nope"));
	/* A list longer than the parser's buffer is refused, not cut. */
	memset(long_list, 0, sizeof(long_list));
	for (size_t i = 0; i + 5 < sizeof(long_list); i += 5)
		memcpy(long_list + i, "fork,", 5);
	err[0] = '\0';
	assert_int_equal(sw_opts_parse_events(long_list, &mask, err, sizeof(err)),
			 -EINVAL);
	assert_true(err[0] != '\0');
}

static void test_count(void **state)
{
	OK("--count", "1");
	assert_int_equal(opts.count, 1);
	OK("-n", "18446744073709551615");
	assert_int_equal(opts.count, UINT64_MAX);
	BAD("0", "--count", "0");
	BAD("abc", "--count", "abc");
	BAD("-1", "--count=-1");
	BAD("5x", "-n", "5x");
	BAD("", "--count=");
	BAD(" 5", "-n", " 5");
	BAD("18446744073709551616", "-n", "18446744073709551616");
}

static void test_duration(void **state)
{
	OK("--duration", "0.5");
	assert_true(opts.duration == 0.5);
	OK("-d", "10");
	assert_true(opts.duration == 10.0);
	OK("-d", ".25");
	assert_true(opts.duration == 0.25);
	BAD("-1", "--duration", "-1");
	BAD("abc", "--duration", "abc");
	BAD("0", "-d", "0");
	BAD("0.0", "-d", "0.0");
	BAD("inf", "-d", "inf");
	BAD("nan", "-d", "nan");
	BAD("1e10", "-d", "1e10");
	BAD("2s", "-d", "2s");
	BAD("", "-d", "");
}

static void test_rcvbuf(void **state)
{
	OK("--rcvbuf", "4096");
	assert_int_equal(opts.rcvbuf, 4096);
	OK("--rcvbuf", "16M");
	assert_int_equal(opts.rcvbuf, 16u << 20);
	OK("--rcvbuf=512k");
	assert_int_equal(opts.rcvbuf, 512u << 10);
	OK("--rcvbuf", "1G");
	assert_int_equal(opts.rcvbuf, 1u << 30);
	BAD("0", "--rcvbuf", "0");
	BAD("3G", "--rcvbuf", "3G");
	BAD("abc", "--rcvbuf", "abc");
	BAD("-1", "--rcvbuf", "-1");
	BAD("1.5M", "--rcvbuf", "1.5M");
	BAD("16MB", "--rcvbuf", "16MB");
	BAD("4T", "--rcvbuf", "4T");
}

static void test_parse_size(void **state)
{
	size_t v = 777;

	assert_int_equal(sw_opts_parse_size("1", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(sw_opts_parse_size("2g", &v), 0);
	assert_int_equal(v, (size_t)2 << 30);
	assert_int_equal(sw_opts_parse_size("2048M", &v), 0);
	assert_int_equal(v, (size_t)2 << 30);
	v = 777;
	assert_int_equal(sw_opts_parse_size("2049M", &v), -EINVAL);
	assert_int_equal(sw_opts_parse_size("2147483649", &v), -EINVAL);
	assert_int_equal(sw_opts_parse_size("99999999999999999999", &v), -EINVAL);
	assert_int_equal(sw_opts_parse_size("18014398509481985K", &v), -EINVAL);
	assert_int_equal(sw_opts_parse_size("", &v), -EINVAL);
	assert_int_equal(sw_opts_parse_size("K", &v), -EINVAL);
	assert_int_equal(sw_opts_parse_size("+5", &v), -EINVAL);
	assert_int_equal(v, 777);
}

static void test_ancestry(void **state)
{
	OK("--ancestry", "0");
	assert_int_equal(opts.ancestry, 0);
	OK("--ancestry", "64");
	assert_int_equal(opts.ancestry, SW_ANCESTRY_MAX);
	OK("--ancestry=3");
	assert_int_equal(opts.ancestry, 3);
	BAD("65", "--ancestry", "65");
	BAD("-1", "--ancestry", "-1");
	BAD("x", "--ancestry", "x");
	BAD("4294967297", "--ancestry", "4294967297");
}

static void test_flags_and_misc(void **state)
{
	OK("--stats", "-q", "--threads", "--nonzero-exit", "-h", "-V",
	   "-o", "/tmp/x.log", "--color", "never");
	assert_true(opts.stats);
	assert_true(opts.quiet);
	assert_true(opts.threads);
	assert_true(opts.nonzero_exit);
	assert_true(opts.help);
	assert_true(opts.version);
	assert_string_equal(opts.output, "/tmp/x.log");
	assert_int_equal(opts.color, SW_COLOR_NEVER);
	OK("--colour=always", "--output=out");
	assert_int_equal(opts.color, SW_COLOR_ALWAYS);
	assert_string_equal(opts.output, "out");
	OK("--color", "auto", "-jq");
	assert_int_equal(opts.color, SW_COLOR_AUTO);
	assert_string_equal(opts.format, "json");
	assert_true(opts.quiet);
	BAD("sometimes", "--color", "sometimes");
}

static void test_run_as(void **state)
{
	OK("-Z", "spawnwatch");
	assert_string_equal(opts.run_as, "spawnwatch");
	assert_false(opts.run_as_shared);
	OK("--run-as=daemon", "--run-as-shared");
	assert_string_equal(opts.run_as, "daemon");
	assert_true(opts.run_as_shared);
	OK("--run-as-shared", "-Z", "nobody");	/* in any order */
	assert_true(opts.run_as_shared);
	BAD("--run-as-shared", "--run-as-shared");
	BAD("--run-as", "-Z", "");
	BAD("--run-as-shared=1", "-Z", "x", "--run-as-shared=1");
}

static void test_unknown_option(void **state)
{
	BAD("--bogus", "--bogus");
	BAD("-x", "-x");
	BAD("-x", "-jx");
	BAD("--jsonx", "--jsonx");
	BAD("--bogus", "-j", "--bogus", "-q");
	/* Flags given a value; --stats has no short form. */
	BAD("--json=yes", "--json=yes");
	BAD("--stats=1", "--stats=1");
	BAD("--threads=", "--threads=");
	BAD("-:", "-:");
}

static void test_missing_value(void **state)
{
	BAD("--count", "--count");
	BAD("-n", "-n");
	BAD("--format", "--format");
	BAD("-e", "-j", "-e");
	BAD("--rcvbuf", "watch", "--rcvbuf");
	/* A following option is taken as the value, and refused. */
	BAD("-j", "--count", "-j");
}

/* Parsing is re-entrant: one command line leaves nothing for the next. */
static void test_reentrant(void **state)
{
	BAD("--bogus", "-j", "--bogus");
	OK("-n", "2");
	assert_int_equal(opts.count, 2);
	assert_string_equal(opts.format, "text");
	BAD("-n", "-q", "-n");
	OK(NULL);
	assert_defaults();
}

static void test_usage_text(void **state)
{
	static const char *const names[] = {
		"--json", "--format", "--output", "--color", "--ancestry",
		"--stats", "--quiet", "--events", "--nonzero-exit", "--threads",
		"--count", "--duration", "--rcvbuf", "--help", "--version",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strstr(sw_opts_usage, names[i]))
			fail_msg("usage lacks %s", names[i]);
}

/* Where events go, and nothing else, is what the sink is told. */
static void test_sink_conf(void **state)
{
	struct sw_sink_conf c;

	OK("-n", "1");
	c = sw_opts_sink_conf(&opts);
	assert_null(c.output);
	assert_null(c.syslog);
	assert_false(c.journal);
	assert_false(c.patient);
	OK("--output", "/var/log/spawnwatch.log");
	c = sw_opts_sink_conf(&opts);
	assert_string_equal(c.output, "/var/log/spawnwatch.log");
	assert_null(c.syslog);
	assert_false(c.journal);
	assert_false(c.run_as);
	/* The --run-as user (resolved by main) may own the output file. */
	OK("-Z", "nobody", "-o", "/var/log/spawnwatch.log");
	opts.run_uid = 65534;
	c = sw_opts_sink_conf(&opts);
	assert_true(c.run_as);
	assert_int_equal(c.run_uid, 65534);
	OK("--syslog=udp://127.0.0.1:5514");
	c = sw_opts_sink_conf(&opts);
	assert_null(c.output);
	assert_string_equal(c.syslog, "udp://127.0.0.1:5514");
	assert_false(c.patient);
	OK("replay", "--syslog=tcp://[::1]:6514", "log.jsonl");
	c = sw_opts_sink_conf(&opts);
	assert_string_equal(c.syslog, "tcp://[::1]:6514");
	assert_true(c.patient);
#ifdef HAVE_LIBSYSTEMD
	OK("--journal");
	c = sw_opts_sink_conf(&opts);
	assert_true(c.journal);
	assert_null(c.output);
	assert_null(c.syslog);
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_watch_word),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_parse_events),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_rcvbuf),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_ancestry),
		cmocka_unit_test(test_flags_and_misc),
		cmocka_unit_test(test_run_as),
		cmocka_unit_test(test_unknown_option),
		cmocka_unit_test(test_missing_value),
		cmocka_unit_test(test_reentrant),
		cmocka_unit_test(test_usage_text),
		cmocka_unit_test(test_sink_conf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
