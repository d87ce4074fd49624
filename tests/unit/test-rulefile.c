/* SPDX-License-Identifier: MIT */
/* The rules file: every key type, every kind of mistake, the round trip. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rulefile.h"

static struct sw_rules rules;
static char err[4096];

static int read_str(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int n;

	assert_non_null(f);
	sw_rules_free(&rules);
	n = sw_rulefile_read(f, "r.ini", &rules, err, sizeof(err));
	fclose(f);
	return n;
}

static char *print(const struct sw_rules *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	sw_rulefile_print(r, f);
	fclose(f);
	return buf;
}

static int teardown(void **state)
{
	sw_rules_free(&rules);
	return 0;
}

static void test_defaults(void **state)
{
	struct sw_rules d;

	assert_int_equal(read_str(""), 0);
	sw_rules_defaults(&d);
	assert_int_equal(memcmp(&d.storm, &rules.storm, sizeof(d.storm)), 0);
	assert_int_equal(rules.zombie.threshold, 100);
	assert_int_equal(rules.bomb.descendants, 200);
	assert_false(rules.hours.enabled);
	assert_string_equal(err, "");
	/* Comments and blank lines only. */
	assert_int_equal(read_str("# nothing\n; here\n\n[miner]\n"), 0);
	assert_true(rules.exec.miner_enabled);
}

static void test_values(void **state)
{
	assert_int_equal(read_str("[spawn-storm]\nforks = 500\nalive=20 ; inline\n"
				  "window = 5\nenabled = no\n"
				  "[zombie-accumulation]\nthreshold: 30\n"
				  "[ptrace-attach]\nallow = /usr/bin/gdb, /bin/strace\n"
				  "[privilege-escalation]\nallow = /usr/bin/sudo\n"
				  "\t/usr/bin/su /usr/bin/doas\n"
				  "[miner]\nENABLED = Off\n"), 0);
	assert_int_equal(rules.storm.forks, 500);
	assert_int_equal(rules.storm.alive, 20);
	assert_int_equal(rules.storm.window, 5);
	assert_false(rules.storm.enabled);
	assert_int_equal(rules.zombie.threshold, 30);
	assert_int_equal(rules.ptrace.allow.n, 2);
	assert_string_equal(rules.ptrace.allow.v[1], "/bin/strace");
	/* A list continues on indented lines; the file's list replaces. */
	assert_int_equal(rules.priv.allow.n, 3);
	assert_string_equal(rules.priv.allow.v[0], "/usr/bin/sudo");
	assert_string_equal(rules.priv.allow.v[2], "/usr/bin/doas");
	assert_false(rules.exec.miner_enabled);
	/* An empty list is allowed: nothing is excepted. */
	assert_int_equal(read_str("[ptrace-attach]\nallow =\n"), 0);
	assert_int_equal(rules.ptrace.allow.n, 0);
}

/*
 * The allow-lists name programs by absolute path: a bare name is refused
 * at load, with one line that says why, whichever list it is in.
 */
static void test_paths(void **state)
{
	static const char *const keys[] = {
		"[ptrace-attach]\nallow", "[cron-overlap]\ndaemons",
		"[privilege-escalation]\nallow",
	};
	char in[256], *a;

	assert_int_equal(read_str("[ptrace-attach]\nallow = gdb\n"), 1);
	assert_string_equal(err, "r.ini:2: [ptrace-attach] allow: 'gdb' is not an "
			    "absolute path (this list names programs by path, such "
			    "as /usr/bin/gdb: a bare name would let any copy by "
			    "that name pass)\n");
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		snprintf(in, sizeof(in), "%s = /usr/bin/x ./x\n", keys[i]);
		assert_int_equal(read_str(in), 1);
		assert_non_null(strstr(err, "'./x' is not an absolute path"));
		snprintf(in, sizeof(in), "%s = /usr/bin/x,\n\tbin/x\n", keys[i]);
		assert_int_equal(read_str(in), 1);
		assert_non_null(strstr(err, "r.ini:3: "));
		snprintf(in, sizeof(in), "%s = /usr/sbin/cron, /opt/c\n", keys[i]);
		assert_int_equal(read_str(in), 0);
	}
	assert_int_equal(rules.priv.allow.n, 2);
	assert_string_equal(rules.priv.allow.v[1], "/opt/c");
	/* Names stay names where a name is what is judged. */
	assert_int_equal(read_str("[miner]\nnames = xmrig\n"
				  "[web-shell]\nservers = nginx\n"), 0);
	/* The built-in lists are paths, and --check writes them back. */
	assert_int_equal(read_str(""), 0);
	a = print(&rules);
	assert_int_equal(read_str(a), 0);
	assert_string_equal(rules.ptrace.allow.v[0], "/usr/bin/gdb");
	assert_string_equal(rules.cron.daemons.v[0], "/usr/sbin/cron");
	assert_string_equal(rules.priv.allow.v[0], "/usr/bin/sudo");
	free(a);
}

static void test_off_hours(void **state)
{
	/* Hours and days switch it on... */
	assert_int_equal(read_str("[off-hours]\nhours = 08:00-19:00\n"
				  "days = mon-fri\n"), 0);
	assert_true(rules.hours.enabled);
	assert_int_equal(rules.hours.from_min, 480);
	assert_int_equal(rules.hours.to_min, 1140);
	assert_int_equal(rules.hours.days, 0x3e);
	/* ...unless it is turned off; wrapping ranges and lists of days. */
	assert_int_equal(read_str("[off-hours]\nenabled = no\nhours = 22:00-06:30\n"
				  "days = fri-mon wed\n"), 0);
	assert_false(rules.hours.enabled);
	assert_int_equal(rules.hours.to_min, 390);
	assert_int_equal(rules.hours.days, 0x63 | 0x08);
	/* On without hours is a mistake, reported for the file. */
	assert_int_equal(read_str("[off-hours]\nenabled = yes\ndays = mon\n"), 1);
	assert_non_null(strstr(err, "r.ini:0: [off-hours] needs both hours and days"));
	assert_int_equal(read_str("[off-hours]\nhours = 8-19\n"), 1);
	assert_non_null(strstr(err, "r.ini:2: [off-hours] hours: expected HH:MM-HH:MM"));
	assert_int_equal(read_str("[off-hours]\nhours = 08:00-08:00\n"), 1);
	assert_int_equal(read_str("[off-hours]\nhours = 25:00-08:00\n"), 1);
	assert_int_equal(read_str("[off-hours]\ndays = mon-fry\n"), 1);
	assert_non_null(strstr(err, "r.ini:2: [off-hours] days: expected days"));
}

/* Each mistake: its line, its reason, and the count. */
static void test_mistakes(void **state)
{
	assert_int_equal(read_str("[spawn-strom]\nforks = 1\n"), 1);
	assert_string_equal(err, "r.ini:1: unknown section [spawn-strom] (the "
			    "sections are the tag names; see spawnwatch-rules(5))\n");
	/* An empty unknown section is still reported. */
	assert_int_equal(read_str("[miner]\n\n[nope]\n"), 1);
	assert_non_null(strstr(err, "r.ini:3: unknown section [nope]"));
	assert_int_equal(read_str("[spawn-storm]\nfroks = 1\n"), 1);
	assert_string_equal(err, "r.ini:2: unknown key 'froks' in [spawn-storm]\n");
	assert_int_equal(read_str("[miner]\nenabled = yse\n"), 1);
	assert_string_equal(err, "r.ini:2: [miner] enabled: expected yes or no, "
			    "not 'yse'\n");
	assert_int_equal(read_str("[spawn-storm]\nforks = 2o0\n"), 1);
	assert_non_null(strstr(err, "expected a whole number from 1 to 1000000, not '2o0'"));
	assert_int_equal(read_str("[spawn-storm]\nforks = -1\n"), 1);
	assert_int_equal(read_str("[spawn-storm]\nforks = 0\n"), 1);
	assert_int_equal(read_str("[spawn-storm]\nforks = 99999999999999999999\n"), 1);
	assert_int_equal(read_str("[spawn-storm]\nwindow = 11\n"), 1);
	assert_int_equal(read_str("forks = 1\n"), 1);
	assert_string_equal(err, "r.ini:1: 'forks' is outside any section (start "
			    "with a [tag] line)\n");
	assert_int_equal(read_str("[miner]\njust words\n"), 1);
	assert_string_equal(err, "r.ini:2: expected 'key = value' or '[section]'\n");
	assert_int_equal(read_str("[miner\n"), 1);
	assert_int_equal(read_str("[spawn-storm]\nforks = 1\nforks = 2\n"), 1);
	assert_string_equal(err, "r.ini:3: [spawn-storm] forks is set twice\n");
	/* Several mistakes: every one, in order. */
	assert_int_equal(read_str("[miner]\nenabled = maybe\n[x]\n[killed]\nfoo = 1\n"), 3);
	assert_string_equal(err,
			    "r.ini:2: [miner] enabled: expected yes or no, not 'maybe'\n"
			    "r.ini:3: unknown section [x] (the sections are the tag "
			    "names; see spawnwatch-rules(5))\n"
			    "r.ini:5: unknown key 'foo' in [killed]\n");
}

static void test_limits(void **state)
{
	char text[8192];
	size_t n = 0;

	/* A line longer than the parser takes is one error, not two lines. */
	n = (size_t)snprintf(text, sizeof(text), "[miner]\nnames = ");
	memset(text + n, 'x', 300);
	strcpy(text + n + 300, "\nenabled = no\n");
	assert_int_equal(read_str(text), 1);
	assert_non_null(strstr(err, "r.ini:2: line longer than"));
	assert_false(rules.exec.miner_enabled);		/* line 3 still read */
	/* At most SW_NAMES_MAX names. */
	n = (size_t)snprintf(text, sizeof(text), "[miner]\nnames = a\n");
	for (int i = 0; i < SW_NAMES_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "\tn%d\n", i);
	assert_int_equal(read_str(text), 1);
	assert_non_null(strstr(err, "more than 64 names"));
	/* Control bytes in a name. */
	assert_int_equal(read_str("[miner]\nnames = a\x01" "b\n"), 1);
	/* Many mistakes: the first 20, then how many more. */
	n = (size_t)snprintf(text, sizeof(text), "[miner]\n");
	for (int i = 0; i < 25; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "k%d = 1\n", i);
	assert_int_equal(read_str(text), 25);
	assert_non_null(strstr(err, "r.ini: 5 more problems\n"));
}

/* What --check prints reads back to the same rules. */
static void test_round_trip(void **state)
{
	char *a, *b;

	assert_int_equal(read_str("[off-hours]\nhours = 07:30-18:00\ndays = sun,tue-thu\n"
				  "[miner]\nnames = a b c\n[spawn-storm]\nalive = 7\n"), 0);
	a = print(&rules);
	assert_non_null(strstr(a, "[off-hours]\nenabled = yes\nhours = 07:30-18:00\n"
			       "days = tue,wed,thu,sun\n"));
	assert_int_equal(read_str(a), 0);
	b = print(&rules);
	assert_string_equal(a, b);
	free(a);
	free(b);
	/* The defaults too, long lists wrapped on indented lines. */
	sw_rules_free(&rules);
	assert_int_equal(read_str(""), 0);
	a = print(&rules);
	for (char *line = a; *line; line = strchr(line, '\n') + 1)
		assert_true(strchr(line, '\n') - line < 198);
	assert_int_equal(read_str(a), 0);
	b = print(&rules);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/*
 * Found by fuzzing (tests/fuzz/fuzz-rules.c): a name starting with '#',
 * ';' or '[' was taken, and --check then wrote a file that read back
 * without it: wrapped to the start of a line it is a comment (or, between
 * brackets, a section), and after a space ';' starts an inline comment.
 */
static void test_comment_names(void **state)
{
	static const char fuzzed[] =
		"[miner]\nnames =med co\220\211 tca\255sre is s'ow = "
		"sudis sow = sudo su doasec newgrp #spg";
	char *a;

	assert_int_equal(read_str(fuzzed), 1);
	assert_string_equal(err, "r.ini:2: a name cannot start with '#' (written "
			    "back, it would read as a comment or a section)\n");
	assert_int_equal(read_str("[ptrace-attach]\nallow = /gdb,;x\n"), 1);
	assert_non_null(strstr(err, "r.ini:2: a name cannot start with ';'"));
	assert_int_equal(read_str("[miner]\nnames = a\n\t[b c\n"), 1);
	assert_non_null(strstr(err, "r.ini:3: a name cannot start with '['"));
	/* Inside a name they are only characters, and read back as such. */
	assert_int_equal(read_str("[ptrace-attach]\nallow = /a#b /c;d /e[f]\n"), 0);
	assert_int_equal(rules.ptrace.allow.n, 3);
	assert_string_equal(rules.ptrace.allow.v[1], "/c;d");
	a = print(&rules);
	assert_int_equal(read_str(a), 0);
	assert_int_equal(rules.ptrace.allow.n, 3);
	assert_string_equal(rules.ptrace.allow.v[2], "/e[f]");
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults, teardown),
		cmocka_unit_test_teardown(test_values, teardown),
		cmocka_unit_test_teardown(test_paths, teardown),
		cmocka_unit_test_teardown(test_off_hours, teardown),
		cmocka_unit_test_teardown(test_mistakes, teardown),
		cmocka_unit_test_teardown(test_limits, teardown),
		cmocka_unit_test_teardown(test_round_trip, teardown),
		cmocka_unit_test_teardown(test_comment_names, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
