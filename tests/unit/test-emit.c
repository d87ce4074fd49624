/* SPDX-License-Identifier: MIT */
/* Emit: JSON lines parsed back with jansson, and the text format. */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "clock.h"
#include "emit.h"
#include "stats.h"

#define KTIME 1700000000123456789ull	/* 2023-11-14T22:13:20.123456789Z */

static struct sw_emit em;
static struct sw_buf out;
static struct sw_event ev;

static int setup(void **state)
{
	sw_emit_init(&em, &sw_emit_json_ops, false);
	em.realtime_offset_ns = 0;	/* ktime is wall time: fixed ts */
	strcpy(em.host, "box");
	memset(&out, 0, sizeof(out));
	memset(&ev, 0, sizeof(ev));
	ev.ktime_ns = KTIME;
	return 0;
}

static int teardown(void **state)
{
	sw_emit_fini(&em);
	sw_buf_free(&out);
	return 0;
}

/* One line, '\n' last and nowhere else, no raw control byte. */
static void assert_one_line(const char *p, size_t len)
{
	assert_true(len > 1);
	assert_int_equal(p[len - 1], '\n');
	for (size_t i = 0; i + 1 < len; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			fail_msg("raw byte 0x%02x at %zu in %.*s",
				 (unsigned char)p[i], i, (int)len, p);
}

/* Emits ev as JSON into out (after what it holds) and parses the line. */
static json_t *emit_json(void)
{
	size_t mark = out.len;
	json_error_t jerr;
	json_t *o;

	assert_int_equal(sw_emit_event(&em, &ev, &out), 0);
	assert_int_equal(strlen(out.data), out.len);
	assert_one_line(out.data + mark, out.len - mark);
	o = json_loadb(out.data + mark, out.len - mark - 1, 0, &jerr);
	if (!o)
		fail_msg("bad JSON (%s): %s", jerr.text, out.data + mark);
	assert_true(json_is_object(o));
	return o;
}

/* The keys of o, exactly and in this order (NULL-terminated). */
static void assert_keys(json_t *o, ...)
{
	void *it = json_object_iter(o);
	const char *want;
	va_list ap;

	va_start(ap, o);
	while ((want = va_arg(ap, const char *))) {
		if (!it)
			fail_msg("key '%s' missing", want);
		assert_string_equal(json_object_iter_key(it), want);
		it = json_object_iter_next(o, it);
	}
	va_end(ap);
	if (it)
		fail_msg("unexpected key '%s'", json_object_iter_key(it));
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("'%s' is not a string", key);
	return json_string_value(v);
}

static json_int_t num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("'%s' is not an integer", key);
	return json_integer_value(v);
}

static void fill_exec(void)
{
	ev.type = SW_EV_EXEC;
	ev.pid = ev.tid = 100;
	ev.have = SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_EXE | SW_HAVE_CWD |
		  SW_HAVE_ARGV | SW_HAVE_CREDS;
	ev.ppid = 1;
	ev.comm = "sh";
	ev.exe = "/bin/sh";
	ev.cwd = "/root";
	ev.argv = "a\0b\0";
	ev.argv_len = 4;
	ev.uid = 1000;
	ev.euid = 0;
	ev.gid = 100;
	ev.egid = 101;
	ev.user = "root";
	ev.ancestry[0] = (struct sw_ancestor){ 1, "init", "/sbin/init" };
	ev.ancestry[1] = (struct sw_ancestor){ 0, NULL, NULL };
	ev.n_ancestry = 2;
}

static void test_exec(void **state)
{
	json_t *o, *a;

	fill_exec();
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "ppid", "comm",
		    "exe", "cwd", "argv", "uid", "euid", "gid", "egid", "user",
		    "ancestry", NULL);
	assert_string_equal(str(o, "ts"), "2023-11-14T22:13:20.123456789Z");
	assert_int_equal(num(o, "seq"), 1);
	assert_string_equal(str(o, "host"), "box");
	assert_string_equal(str(o, "event"), "exec");
	assert_int_equal(num(o, "pid"), 100);
	assert_int_equal(num(o, "ppid"), 1);
	assert_string_equal(str(o, "exe"), "/bin/sh");
	assert_int_equal(num(o, "euid"), 0);
	assert_int_equal(num(o, "egid"), 101);
	a = json_object_get(o, "argv");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_array_get(a, 0)), "a");
	assert_string_equal(json_string_value(json_array_get(a, 1)), "b");
	a = json_object_get(o, "ancestry");
	assert_int_equal(json_array_size(a), 2);
	assert_keys(json_array_get(a, 0), "pid", "comm", "exe", NULL);
	assert_string_equal(str(json_array_get(a, 0), "exe"), "/sbin/init");
	assert_keys(json_array_get(a, 1), "pid", NULL);
	json_decref(o);
	assert_int_equal(em.seq, 1);
}

/* net: right after container, its members in order, holder when there is one. */
static void test_net(void **state)
{
	json_t *o, *n;

	fill_exec();
	ev.container_id = "0123456789ab";
	ev.container_runtime = "docker";
	ev.have |= SW_HAVE_NET | SW_HAVE_NS;
	snprintf(ev.net.peer, sizeof(ev.net.peer), "192.0.2.4");
	ev.net.port = 4444;
	ev.net.via = SW_VIA_PIPE;
	ev.net.holder = 1234;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "ppid", "comm",
		    "exe", "cwd", "argv", "uid", "euid", "gid", "egid", "user",
		    "ancestry", "container", "net", "ns", NULL);
	assert_non_null(strstr(out.data, ",\"container\":{\"id\":\"0123456789ab\","
			       "\"runtime\":\"docker\"},\"net\":{\"peer\":\"192.0.2.4\","
			       "\"port\":4444,\"proto\":\"tcp\",\"via\":\"pipe\","
			       "\"holder\":1234},\"ns\":"));
	json_decref(o);

	/* An anomaly line naming the shell: net before its tags and detail. */
	out.len = 0;
	ev.type = SW_EV_ANOMALY;
	ev.container_id = NULL;
	ev.net.udp = true;
	ev.net.via = SW_VIA_STDIO;
	ev.net.holder = 0;
	snprintf(ev.net.peer, sizeof(ev.net.peer), "2001:db8::1");
	ev.tags[0] = "reverse-shell";
	ev.n_tags = 1;
	ev.u.anomaly.tag = "reverse-shell";
	ev.u.anomaly.count = ev.u.anomaly.threshold = 1;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "ppid", "comm",
		    "exe", "cwd", "argv", "uid", "euid", "gid", "egid", "user",
		    "ancestry", "net", "tags", "tag", "detail", NULL);
	n = json_object_get(o, "net");
	assert_keys(n, "peer", "port", "proto", "via", NULL);
	assert_string_equal(str(n, "proto"), "udp");
	assert_string_equal(str(n, "via"), "stdio");
	json_decref(o);

	/* Not on a line of spawnwatch's own. */
	out.len = 0;
	ev.type = SW_EV_LOST;
	ev.u.lost.count = 1;
	ev.u.lost.reason = "enobufs";
	o = emit_json();
	assert_null(json_object_get(o, "net"));
	json_decref(o);
}

static void test_argv_shapes(void **state)
{
	json_t *o, *a;

	fill_exec();
	ev.argv = "a\0\0b";		/* an empty argument, no final NUL */
	ev.argv_len = 4;
	o = emit_json();
	a = json_object_get(o, "argv");
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(json_string_value(json_array_get(a, 1)), "");
	assert_string_equal(json_string_value(json_array_get(a, 2)), "b");
	json_decref(o);

	/* Without SW_HAVE_* bits nothing of the context is printed. */
	ev.have = 0;
	ev.n_ancestry = 0;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", NULL);
	assert_int_equal(num(o, "seq"), 2);
	json_decref(o);
}

static void test_hostile(void **state)
{
	static const char argv[] = "{\"x\":1}\0\xff\n{\"x\":1}\0\x1b[2J\\\"\0";
	json_t *o, *a;

	fill_exec();
	ev.comm = "\xff\n\x1b]0;t\a";
	ev.exe = "/tmp/a\"b\\c\xc0\xaf";
	ev.cwd = "/\xed\xa0\x80";
	ev.user = "\x1b";
	ev.argv = argv;
	ev.argv_len = sizeof(argv) - 1;
	strcpy(em.host, "h\xff\n");
	o = emit_json();
	assert_string_equal(str(o, "comm"), "\\xff\n\x1b]0;t\a");
	assert_string_equal(str(o, "exe"), "/tmp/a\"b\\c\\xc0\\xaf");
	assert_string_equal(str(o, "cwd"), "/\\xed\\xa0\\x80");
	assert_string_equal(str(o, "user"), "\x1b");
	assert_string_equal(str(o, "host"), "h\\xff\n");
	assert_null(json_object_get(o, "net"));
	a = json_object_get(o, "argv");
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(json_string_value(json_array_get(a, 0)), "{\"x\":1}");
	assert_string_equal(json_string_value(json_array_get(a, 1)),
			    "\\xff\n{\"x\":1}");
	assert_string_equal(json_string_value(json_array_get(a, 2)), "\x1b[2J\\\"");
	json_decref(o);

	/* A peer is inet_ntop's, but a byte of it never fails a line. */
	out.len = 0;
	ev.have |= SW_HAVE_NET;
	snprintf(ev.net.peer, sizeof(ev.net.peer), "1.2.3.4\xff\n\"");
	o = emit_json();
	assert_string_equal(str(json_object_get(o, "net"), "peer"), "1.2.3.4\\xff\n\"");
	json_decref(o);
}

static void test_exit(void **state)
{
	json_t *o;

	ev.type = SW_EV_EXIT;
	ev.pid = ev.tid = 200;
	ev.u.exit.exit_code = 3;
	ev.have = SW_HAVE_DURATION;
	ev.duration_s = 1.23456789;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "thread",
		    "exit_code", "core", "duration_s", NULL);
	assert_int_equal(num(o, "exit_code"), 3);
	assert_true(json_is_false(json_object_get(o, "thread")));
	assert_true(json_is_false(json_object_get(o, "core")));
	assert_float_equal(json_real_value(json_object_get(o, "duration_s")),
			   1.234567, 1e-9);
	json_decref(o);

	ev.u.exit.exit_code = -1;
	ev.u.exit.signal = 9;
	ev.have = 0;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "thread", "signal",
		    "core", NULL);
	assert_string_equal(str(o, "signal"), "SIGKILL");
	json_decref(o);

	ev.u.exit.signal = 11;
	ev.u.exit.core = true;
	ev.tid = 201;
	ev.thread = true;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "tid", "thread",
		    "signal", "core", NULL);
	assert_string_equal(str(o, "signal"), "SIGSEGV");
	assert_true(json_is_true(json_object_get(o, "core")));
	assert_true(json_is_true(json_object_get(o, "thread")));
	json_decref(o);
}

static void test_kinds(void **state)
{
	json_t *o;

	ev.type = SW_EV_FORK;
	ev.pid = 10;
	ev.tid = 11;
	ev.thread = true;
	ev.tags[0] = "storm";
	ev.n_tags = 1;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "tid", "tags",
		    "thread", NULL);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(o, "tags"), 0)), "storm");
	json_decref(o);
	ev.n_tags = 0;
	ev.thread = false;
	ev.tid = 10;

	ev.type = SW_EV_UID;
	ev.u.id = (__typeof__(ev.u.id)){ .r = 1, .e = 2, .prev_r = 3,
					 .prev_e = 4, .have_prev = true };
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "prev_uid",
		    "prev_euid", NULL);
	assert_int_equal(num(o, "prev_euid"), 4);
	json_decref(o);
	ev.type = SW_EV_GID;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "prev_gid",
		    "prev_egid", NULL);
	json_decref(o);
	ev.u.id.have_prev = false;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", NULL);
	json_decref(o);

	ev.type = SW_EV_SID;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "sid", NULL);
	assert_int_equal(num(o, "sid"), 10);
	json_decref(o);

	ev.type = SW_EV_PTRACE;
	ev.u.ptrace.tracer_pid = 7;
	ev.u.ptrace.tracer_comm = "gdb\n";
	ev.u.ptrace.tracer_exe = "/tmp/x/gdb";
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "tracer_pid",
		    "tracer_comm", "tracer_exe", "attach", NULL);
	assert_string_equal(str(o, "tracer_comm"), "gdb\n");
	assert_string_equal(str(o, "tracer_exe"), "/tmp/x/gdb");
	assert_true(json_is_true(json_object_get(o, "attach")));
	json_decref(o);
	ev.u.ptrace.tracer_pid = 0;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "attach", NULL);
	json_decref(o);

	ev.type = SW_EV_COMM;
	memcpy(ev.u.comm.comm, "0123456789abcdef", 17);
	strcpy(ev.u.comm.prev, "old\xff");
	ev.u.comm.have_prev = true;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "pid", "comm",
		    "prev_comm", NULL);
	assert_string_equal(str(o, "comm"), "0123456789abcdef");
	assert_string_equal(str(o, "prev_comm"), "old\\xff");
	json_decref(o);

	ev.type = SW_EV_RESYNC;
	ev.u.resync.added = 1;
	ev.u.resync.removed = 2;
	ev.u.resync.reparented = 3;
	ev.u.resync.tracked = 4;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "added", "removed",
		    "reparented", "tracked", NULL);
	assert_int_equal(num(o, "tracked"), 4);
	assert_int_equal(num(o, "seq"), 9);
	json_decref(o);
}

static void test_lost(void **state)
{
	size_t mark;
	json_t *o;

	ev.type = SW_EV_LOST;
	ev.u.lost.count = -1;
	ev.u.lost.reason = "enobufs";
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "count", "reason", NULL);
	assert_true(json_is_null(json_object_get(o, "count")));
	assert_string_equal(str(o, "reason"), "enobufs");
	json_decref(o);

	ev.u.lost.count = 5;
	o = emit_json();
	assert_int_equal(num(o, "count"), 5);
	assert_int_equal(num(o, "seq"), 2);
	json_decref(o);

	/* A line that cannot be built leaves no trace, not even a seq. */
	ev.u.lost.reason = NULL;
	mark = out.len;
	assert_true(sw_emit_event(&em, &ev, &out) < 0);
	assert_int_equal(out.len, mark);
	assert_int_equal(out.data[mark], '\0');
	assert_int_equal(em.seq, 2);
}

static void test_start_stop(void **state)
{
	struct sw_start_info si = {
		.version = "0.1.0", .kernel = "6.1.0-test",
		.events = SW_EVMASK(SW_EV_FORK) | SW_EVMASK(SW_EV_EXIT),
		.nonzero_exit = true, .tracked = 42, .rcvbuf = 1 << 20,
	};
	struct sw_stats st = { .emitted = 10, .lost = 7, .lost_seq = 5,
			       .rejected = 2, .tracked = 3, .evicted = 1 };
	json_t *o, *f, *s;

	ev.type = SW_EV_START;
	ev.start = &si;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "version", "kernel",
		    "filter", "tracked", "rcvbuf", NULL);
	assert_int_equal(num(o, "rcvbuf"), 1 << 20);
	f = json_object_get(o, "filter");
	assert_keys(f, "events", "threads", "nonzero_exit", "where", NULL);
	assert_int_equal(json_array_size(json_object_get(f, "events")), 2);
	assert_string_equal(json_string_value(json_array_get(
				    json_object_get(f, "events"), 1)), "exit");
	assert_true(json_is_true(json_object_get(f, "nonzero_exit")));
	json_decref(o);

	st.received[SW_EV_EXEC] = 4;
	st.rejected_by[SW_REJ_SENDER] = 2;
	ev.type = SW_EV_STOP;
	ev.stats = &st;
	o = emit_json();
	assert_keys(o, "ts", "seq", "host", "event", "stats", NULL);
	s = json_object_get(o, "stats");
	assert_int_equal(num(json_object_get(s, "events"), "exec"), 4);
	assert_int_equal(json_object_size(json_object_get(s, "events")),
			 SW_EV_KERNEL_KINDS);
	assert_int_equal(num(s, "lost"), 7);
	assert_int_equal(num(json_object_get(s, "lost_by"), "seq_gap"), 5);
	assert_int_equal(num(json_object_get(s, "rejected_by"), "sender"), 2);
	assert_int_equal(num(s, "evicted"), 1);
	json_decref(o);
}

static void assert_match(const char *re, const char *s)
{
	regex_t rx;

	assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	if (regexec(&rx, s, 0, NULL, 0) != 0)
		fail_msg("'%s' does not match %s", s, re);
	regfree(&rx);
}

static void test_ts(void **state)
{
	char ts[64];
	json_t *o;

	/* A real clock instant: RFC 3339, 9 fractional digits, Z. */
	sw_emit_sync_clock(&em);
	ev.type = SW_EV_SID;
	ev.ktime_ns = sw_clock_now();
	o = emit_json();
	assert_match("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
		     "\\.[0-9]{9}Z$", str(o, "ts"));
	json_decref(o);

	em.realtime_offset_ns = 0;
	sw_emit_ts(&em, 5, ts, sizeof(ts));
	assert_string_equal(ts, "1970-01-01T00:00:00.000000005Z");
	em.realtime_offset_ns = -1;	/* a negative remainder borrows */
	sw_emit_ts(&em, 0, ts, sizeof(ts));
	assert_string_equal(ts, "1969-12-31T23:59:59.999999999Z");
	sw_emit_clock(&em, KTIME, ts, sizeof(ts));
	assert_match("^[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}$", ts);
}

static void test_misc(void **state)
{
	char b[32];

	assert_ptr_equal(sw_emit_find("json"), &sw_emit_json_ops);
	assert_ptr_equal(sw_emit_find("text"), &sw_emit_text_ops);
	assert_null(sw_emit_find("xml"));
	assert_null(sw_emit_find(""));
	assert_string_equal(sw_emit_signame(9, b, sizeof(b)), "SIGKILL");
	assert_string_equal(sw_emit_signame(15, b, sizeof(b)), "SIGTERM");
	assert_string_equal(sw_emit_signame(200, b, sizeof(b)), "SIG200");
}

/* Text: one line, argv quoted for a shell, nothing raw. */
static const char *emit_text(void)
{
	out.len = 0;
	em.ops = &sw_emit_text_ops;
	assert_int_equal(sw_emit_event(&em, &ev, &out), 0);
	assert_int_equal(strlen(out.data), out.len);
	return out.data;
}

static void test_text(void **state)
{
	static const char argv[] = "ls\0a b\0it's\0\x1b[31m\n\0\xff\0";
	struct sw_start_info si = { .version = "9.9", .kernel = "k" };
	struct sw_stats st = { .emitted = 3 };
	const char *line;

	fill_exec();
	ev.argv = argv;
	ev.argv_len = sizeof(argv) - 1;
	ev.user = "bob\n";
	line = emit_text();
	assert_one_line(line, out.len);
	assert_non_null(strstr(line, " exec "));
	assert_non_null(strstr(line, "     100       1 $'bob\\x0a' "));
	assert_non_null(strstr(line, " ls 'a b' 'it'\\''s' $'\\x1b[31m\\x0a' "
				     "$'\\xff'\n"));

	/* A reverse shell's peer, between the command and the tags. */
	ev.have |= SW_HAVE_NET;
	snprintf(ev.net.peer, sizeof(ev.net.peer), "192.0.2.4");
	ev.net.port = 4444;
	ev.net.via = SW_VIA_PIPE;
	ev.net.holder = 4711;
	ev.tags[0] = "reverse-shell";
	ev.n_tags = 1;
	line = emit_text();
	assert_one_line(line, out.len);
	assert_non_null(strstr(line, "$'\\xff' net=tcp:192.0.2.4:4444 via=pipe:4711 [reverse-shell]\n"));
	snprintf(ev.net.peer, sizeof(ev.net.peer), "2001:db8::1");
	ev.net.udp = true;
	ev.net.via = SW_VIA_STDIO;
	ev.net.holder = 0;
	assert_non_null(strstr(emit_text(), " net=udp:[2001:db8::1]:4444 via=stdio [reverse-shell]\n"));
	/* A peer's bytes through the one quoting, as any other field's. */
	snprintf(ev.net.peer, sizeof(ev.net.peer), "1.2.3.4\x1b[2J");
	line = emit_text();
	assert_one_line(line, out.len);
	assert_non_null(strstr(line, " net=udp:$'1.2.3.4\\x1b[2J':4444 via=stdio "));
	/* The anomaly line of a shell found at a tick. */
	snprintf(ev.net.peer, sizeof(ev.net.peer), "192.0.2.4");
	ev.net.udp = false;
	ev.net.via = SW_VIA_SOCKETPAIR;
	ev.net.holder = 9;
	ev.type = SW_EV_ANOMALY;
	ev.u.anomaly.tag = "reverse-shell";
	ev.u.anomaly.count = ev.u.anomaly.threshold = 1;
	line = emit_text();
	assert_one_line(line, out.len);
	assert_non_null(strstr(line, " reverse-shell: 1 (threshold 1), oldest 0.0s "
				     "net=tcp:192.0.2.4:4444 via=socketpair:9 [reverse-shell]\n"));
	ev.type = SW_EV_EXEC;
	ev.have &= ~(unsigned)SW_HAVE_NET;
	ev.n_tags = 0;

	ev.have &= ~SW_HAVE_ARGV;
	ev.comm = "x y";
	line = emit_text();
	assert_one_line(line, out.len);
	assert_non_null(strstr(line, " ['x y']\n"));

	memset(&ev, 0, sizeof(ev));
	ev.type = SW_EV_EXIT;
	ev.pid = ev.tid = 5;
	ev.u.exit.exit_code = -1;
	ev.u.exit.signal = 9;
	ev.u.exit.core = true;
	line = emit_text();
	assert_one_line(line, out.len);
	assert_non_null(strstr(line, " ? SIGKILL core\n"));
	ev.u.exit.signal = 0;
	ev.u.exit.core = false;
	ev.u.exit.exit_code = 3;
	ev.have = SW_HAVE_DURATION;
	ev.duration_s = 2.5;
	assert_non_null(strstr(emit_text(), " status=3 after 2.500s\n"));

	memset(&ev, 0, sizeof(ev));
	ev.type = SW_EV_COMM;
	memcpy(ev.u.comm.comm, "new\x1b", 5);
	line = emit_text();
	assert_one_line(line, out.len);
	assert_non_null(strstr(line, " renamed $'new\\x1b'\n"));

	memset(&ev, 0, sizeof(ev));
	ev.type = SW_EV_LOST;
	ev.u.lost.count = 5;
	ev.u.lost.reason = "seq_gap";
	assert_non_null(strstr(emit_text(), " 5 events lost (seq_gap)\n"));
	ev.u.lost.count = -1;
	assert_non_null(strstr(emit_text(), "count unknown\n"));

	memset(&ev, 0, sizeof(ev));
	ev.type = SW_EV_START;
	ev.start = &si;
	assert_non_null(strstr(emit_text(), "spawnwatch 9.9 on box"));
	ev.type = SW_EV_STOP;
	ev.stats = &st;
	assert_non_null(strstr(emit_text(), " 3 lines, "));
	assert_one_line(out.data, out.len);
	/* net on a process line only, as in json. */
	ev.have |= SW_HAVE_NET;
	assert_null(strstr(emit_text(), " net="));
}

static void test_text_color(void **state)
{
	fill_exec();
	em.color = true;
	assert_non_null(strstr(emit_text(), "\033[32mexec    \033[0m"));
	em.color = false;
	assert_null(strchr(emit_text(), '\033'));
}

/* The registry says what each format can do; nothing else names them. */
static void test_registry(void **state)
{
	char buf[64];

	sw_emit_names(0, ", ", buf, sizeof(buf));
	assert_string_equal(buf, "text, json, ecs");
	sw_emit_names(SW_EMIT_F_DOCUMENT, " or ", buf, sizeof(buf));
	assert_string_equal(buf, "json or ecs");
	sw_emit_names(SW_EMIT_F_FOREST_JSON | SW_EMIT_F_FOREST_TEXT, " or ", buf, sizeof(buf));
	assert_string_equal(buf, "");
	sw_emit_names(0, ", ", buf, 6);			/* cut, still a string */
	assert_string_equal(buf, "text,");
	assert_ptr_equal(sw_emit_first(SW_EMIT_F_DOCUMENT), &sw_emit_json_ops);
	assert_ptr_equal(sw_emit_first(SW_EMIT_F_FOREST_TEXT), &sw_emit_text_ops);
	assert_null(sw_emit_first(SW_EMIT_F_FOREST_TEXT | SW_EMIT_F_DOCUMENT));
	assert_null(sw_emit_find("xml"));
	assert_ptr_equal(sw_emit_find("ecs"), &sw_emit_ecs_ops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_net, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv_shapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_misc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_color, setup, teardown),
		cmocka_unit_test(test_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
