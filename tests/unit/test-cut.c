/* SPDX-License-Identifier: MIT */
/*
 * The emitters' truncate hook (sw_emit_truncate): a line cut to a size and
 * marked the format's way, for each format; what --syslog sends when an
 * event is longer than a message.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "emit.h"

#define PREFIX "<30>1 header - "

static struct sw_emit em;
static struct sw_buf line, out;
static struct sw_event ev;
static char argv[6000];

static int setup(void **state)
{
	sw_emit_init(&em, &sw_emit_json_ops, false);
	em.realtime_offset_ns = 0;
	strcpy(em.host, "box");
	memset(&line, 0, sizeof(line));
	memset(&out, 0, sizeof(out));
	memset(&ev, 0, sizeof(ev));
	ev.ktime_ns = 1700000000123456789ull;
	ev.pid = ev.tid = 4242;
	ev.type = SW_EV_EXEC;
	ev.have = SW_HAVE_ARGV | SW_HAVE_COMM;
	ev.comm = "prog";
	memset(argv, 'a', sizeof(argv));
	memcpy(argv, "prog", 5);
	ev.argv = argv;
	ev.argv_len = sizeof(argv);
	return 0;
}

static int teardown(void **state)
{
	sw_emit_fini(&em);
	sw_buf_free(&line);
	sw_buf_free(&out);
	return 0;
}

/* ev's whole line, numbered once; its length without the '\n'. */
static size_t whole_line(void)
{
	line.len = 0;
	assert_int_equal(sw_emit_event(&em, &ev, &line), 0);
	assert_int_equal(line.data[line.len - 1], '\n');
	return line.len - 1;
}

/* The hook after PREFIX in out; what it returned. */
static int cut(size_t max)
{
	out.len = 0;
	assert_int_equal(sw_buf_puts(&out, PREFIX), 0);
	return sw_emit_truncate(&em, &ev, &out, max);
}

/* What the hook appended, parsed: one JSON object. */
static json_t *cut_json(void)
{
	const char *body = out.data + strlen(PREFIX);
	json_error_t jerr;
	json_t *o;

	assert_memory_equal(out.data, PREFIX, strlen(PREFIX));
	assert_int_equal(strlen(out.data), out.len);
	assert_null(strchr(body, '\n'));
	o = json_loads(body, 0, &jerr);
	if (!o)
		fail_msg("not JSON (%s): %.200s", jerr.text, body);
	assert_true(json_is_object(o));
	return o;
}

/* max exactly the line's length: whole, unmarked; one byte less: cut. */
static void edge(const char *last_key)
{
	size_t n = whole_line();
	uint64_t seq = em.seq;
	json_t *o;

	assert_int_equal(cut(n), 0);
	assert_int_equal(out.len - strlen(PREFIX), n);
	assert_memory_equal(out.data + strlen(PREFIX), line.data, n);
	assert_int_equal(cut(n + 100), 0);
	assert_int_equal(out.len - strlen(PREFIX), n);

	assert_int_equal(cut(n - 1), 1);
	assert_true(out.len - strlen(PREFIX) <= n - 1);
	/* Cut as little as it could: the argv lost a few bytes only. */
	assert_true(out.len - strlen(PREFIX) > n - 1 - 40);
	assert_non_null(strstr(out.data, last_key));
	o = cut_json();
	assert_true(json_is_true(json_object_get(o, "truncated")));
	json_decref(o);
	/* Neither numbered again nor changed. */
	assert_int_equal(em.seq, seq);
	assert_int_equal(ev.argv_len, sizeof(argv));
}

static void test_json_edge(void **state)
{
	edge(",\"truncated\":true}");
	/* The last key: after argv, before nothing. */
	assert_int_equal(strcmp(out.data + out.len - 18, ",\"truncated\":true}"), 0);
}

static void test_ecs_edge(void **state)
{
	json_t *o;

	em.ops = &sw_emit_ecs_ops;
	edge(",\"truncated\":true}");
	o = cut_json();
	assert_non_null(json_object_get(o, "process"));
	assert_non_null(json_object_get(o, "@timestamp"));
	json_decref(o);
}

/* Text lines are never cut: refused, nothing appended. */
static void test_text_never(void **state)
{
	em.ops = &sw_emit_text_ops;
	assert_null(sw_emit_text_ops.truncate);
	assert_int_equal(cut(whole_line() - 1), -EINVAL);
	assert_string_equal(out.data, PREFIX);
	assert_int_equal(cut(100000), -EINVAL);
	assert_int_equal(out.len, strlen(PREFIX));
}

/* The argv is cut between UTF-8 characters, never inside one. */
static void utf8(const struct sw_emitter_ops *ops)
{
	size_t n;

	em.ops = ops;
	memcpy(argv, "echo", 5);
	for (size_t i = 0; i + 3 <= sizeof(argv) - 5; i += 3)
		memcpy(argv + 5 + i, "\xe2\x82\xac", 3);	/* € */
	ev.argv_len = 5 + (sizeof(argv) - 5) / 3 * 3;
	n = whole_line();
	for (size_t max = n - 40; max < n; max++) {
		const char *s;

		assert_int_equal(cut(max), 1);
		assert_true(out.len - strlen(PREFIX) <= max);
		/* No byte of a cut character is left to become \xNN. */
		assert_null(strstr(out.data, "\\\\x"));
		s = strstr(out.data, "\xe2\x82\xac\"");
		assert_non_null(s);
	}
}

static void test_json_utf8(void **state)
{
	utf8(&sw_emit_json_ops);
}

static void test_ecs_utf8(void **state)
{
	utf8(&sw_emit_ecs_ops);
}

/* Then the eldest ancestors, then cwd, then exe; then it gives up. */
static void test_json_order(void **state)
{
	static char exe[700], cwd[700];
	json_t *o;

	memset(exe, 'e', sizeof(exe) - 1);
	exe[0] = '/';
	memset(cwd, 'c', sizeof(cwd) - 1);
	cwd[0] = '/';
	ev.have |= SW_HAVE_EXE | SW_HAVE_CWD;
	ev.exe = exe;
	ev.cwd = cwd;
	ev.argv = "prog";
	ev.argv_len = 5;
	for (unsigned i = 0; i < 8; i++)
		ev.ancestry[i] = (struct sw_ancestor){ (int)i + 1, "sh", exe };
	ev.n_ancestry = 8;

	assert_int_equal(cut(whole_line() - 5 * 720), 1);
	o = cut_json();
	assert_int_equal(json_array_size(json_object_get(o, "argv")), 0);
	assert_true(json_array_size(json_object_get(o, "ancestry")) < 8);
	assert_true(json_array_size(json_object_get(o, "ancestry")) > 0);
	/* The parent is kept, the eldest go. */
	assert_int_equal(json_integer_value(json_object_get(
		json_array_get(json_object_get(o, "ancestry"), 0), "pid")), 1);
	assert_non_null(json_object_get(o, "cwd"));
	json_decref(o);

	assert_int_equal(cut(1250), 1);
	o = cut_json();
	assert_null(json_object_get(o, "ancestry"));
	assert_null(json_object_get(o, "cwd"));
	assert_non_null(json_object_get(o, "exe"));
	json_decref(o);

	assert_int_equal(cut(400), 1);
	assert_true(out.len - strlen(PREFIX) <= 400);
	o = cut_json();
	assert_null(json_object_get(o, "exe"));
	assert_string_equal(json_string_value(json_object_get(o, "comm")), "prog");
	json_decref(o);

	/* Nothing left to cut: refused, what was there before kept. */
	assert_int_equal(cut(50), -EMSGSIZE);
	assert_string_equal(out.data, PREFIX);
	assert_int_equal(cut(0), -EMSGSIZE);
	assert_int_equal(out.len, strlen(PREFIX));
	assert_int_equal(ev.n_ancestry, 8);
	assert_int_equal(ev.have & (SW_HAVE_EXE | SW_HAVE_CWD),
			 SW_HAVE_EXE | SW_HAVE_CWD);
}

/* A line with nothing to cut is whole or refused, never split. */
static void test_lost_line(void **state)
{
	size_t n;

	ev.type = SW_EV_LOST;
	ev.have = 0;
	ev.u.lost.count = 12;
	ev.u.lost.reason = "syslog";
	n = whole_line();
	assert_int_equal(cut(n), 0);
	assert_memory_equal(out.data + strlen(PREFIX), line.data, n);
	assert_int_equal(cut(n - 1), -EMSGSIZE);
	assert_string_equal(out.data, PREFIX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ecs_edge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_never, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ecs_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_line, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
