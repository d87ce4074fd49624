/* SPDX-License-Identifier: MIT */
/*
 * The journal fields of an event (sw_journal_fields), as "NAME=value"
 * strings, without a journal: what `journalctl SPAWNWATCH_...=` matches.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "emit.h"
#include "journal_fields.h"
#include "events.h"

#define TS "2023-11-14T22:13:20.123456789Z"

static struct sw_emit em;
static struct sw_journal_entry e;
static struct sw_event ev;

static int setup(void **state)
{
	test_emit_event(&em, &ev);
	em.seq = 41;
	memset(&e, 0, sizeof(e));
	return 0;
}

static int teardown(void **state)
{
	sw_emit_fini(&em);
	sw_journal_entry_free(&e);
	return 0;
}

/* The fields of ev, emitted as its line, are want[] (NULL-ended) in order. */
static void fields_are(const char *const *want)
{
	char line[4096], got[4096];
	struct sw_buf b = { 0 };
	unsigned i;

	assert_int_equal(sw_emit_event(&em, &ev, &b), 0);
	snprintf(line, sizeof(line), "MESSAGE=%.*s", (int)b.len - 1, b.data);
	assert_int_equal(sw_journal_fields(&e, &em, &ev, b.data, b.len), 0);
	sw_buf_free(&b);
	assert_true(e.n > 0);
	assert_int_equal(e.len[0], strlen(line));
	assert_memory_equal(e.buf.data + e.off[0], line, e.len[0]);
	for (i = 1; i < e.n && want[i - 1]; i++) {
		snprintf(got, sizeof(got), "%.*s", (int)e.len[i], e.buf.data + e.off[i]);
		assert_string_equal(got, want[i - 1]);
	}
	if (i < e.n)
		fail_msg("field %u not wanted: %.*s", i, (int)e.len[i],
			 e.buf.data + e.off[i]);
	if (want[i - 1])
		fail_msg("field %s missing", want[i - 1]);
}

static void test_exec(void **state)
{
	static const char argv[] = "sh\0-c\0echo \xff \"hi\"";
	static const char *const want[] = {
		"PRIORITY=5", "SYSLOG_FACILITY=3", "SYSLOG_IDENTIFIER=spawnwatch",
		"SPAWNWATCH_EVENT=exec", "SPAWNWATCH_SEQ=42", "SPAWNWATCH_TS=" TS,
		"SPAWNWATCH_HOST=box", "SPAWNWATCH_PID=4242", "SPAWNWATCH_PPID=1",
		"SPAWNWATCH_COMM=sh", "SPAWNWATCH_EXE=/usr/bin/dash",
		"SPAWNWATCH_CWD=/tmp", "SPAWNWATCH_ARGV=sh -c echo \\xff \"hi\"",
		"SPAWNWATCH_UID=33", "SPAWNWATCH_EUID=0", "SPAWNWATCH_GID=33",
		"SPAWNWATCH_EGID=4294967295", "SPAWNWATCH_USER=www-data",
		"SPAWNWATCH_PARENT_COMM=apache2",
		"SPAWNWATCH_PARENT_EXE=/usr/sbin/apache2",
		"SPAWNWATCH_CONTAINER_ID=0123456789ab",
		"SPAWNWATCH_CONTAINER_RUNTIME=docker",
		"SPAWNWATCH_NET_PEER=2001:db8::1", "SPAWNWATCH_NET_PORT=4444",
		"SPAWNWATCH_NET_PROTO=tcp", "SPAWNWATCH_NET_VIA=pty",
		"SPAWNWATCH_NET_HOLDER=77",
		"SPAWNWATCH_TAGS=exec-from-tmp,web-shell", NULL,
	};

	ev.type = SW_EV_EXEC;
	ev.have = SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_EXE | SW_HAVE_CWD |
		  SW_HAVE_ARGV | SW_HAVE_CREDS;
	ev.ppid = 1;
	ev.comm = "sh";
	ev.exe = "/usr/bin/dash";
	ev.cwd = "/tmp";
	ev.argv = argv;
	ev.argv_len = sizeof(argv) - 1;
	ev.uid = ev.gid = 33;
	ev.egid = 4294967295u;
	ev.user = "www-data";
	ev.ancestry[0] = (struct sw_ancestor){ 1, "apache2", "/usr/sbin/apache2" };
	ev.ancestry[1] = (struct sw_ancestor){ 0, "systemd", "/sbin/init" };
	ev.n_ancestry = 2;
	ev.container_id = "0123456789ab";
	ev.container_runtime = "docker";
	ev.have |= SW_HAVE_NET;
	snprintf(ev.net.peer, sizeof(ev.net.peer), "2001:db8::1");
	ev.net.port = 4444;
	ev.net.via = SW_VIA_PTY;
	ev.net.holder = 77;
	ev.tags[0] = "exec-from-tmp";
	ev.tags[1] = "web-shell";
	ev.n_tags = 2;
	fields_are(want);
}

static void test_exit_signal(void **state)
{
	static const char *const want[] = {
		"PRIORITY=6", "SYSLOG_FACILITY=3", "SYSLOG_IDENTIFIER=spawnwatch",
		"SPAWNWATCH_EVENT=exit", "SPAWNWATCH_SEQ=42", "SPAWNWATCH_TS=" TS,
		"SPAWNWATCH_HOST=box", "SPAWNWATCH_PID=4242", "SPAWNWATCH_TID=4243",
		"SPAWNWATCH_COMM=caf\xc3\xa9\\xfe", "SPAWNWATCH_SIGNAL=SIGKILL", NULL,
	};

	ev.type = SW_EV_EXIT;
	ev.tid = 4243;
	ev.thread = true;
	ev.have = SW_HAVE_COMM | SW_HAVE_DURATION;
	ev.comm = "caf\xc3\xa9\xfe";
	ev.u.exit.signal = 9;
	ev.u.exit.exit_code = -1;
	ev.duration_s = 1.5;
	fields_are(want);
}

static void test_exit_code(void **state)
{
	static const char *const want[] = {
		"PRIORITY=6", "SYSLOG_FACILITY=3", "SYSLOG_IDENTIFIER=spawnwatch",
		"SPAWNWATCH_EVENT=exit", "SPAWNWATCH_SEQ=42", "SPAWNWATCH_TS=" TS,
		"SPAWNWATCH_HOST=box", "SPAWNWATCH_PID=4242",
		"SPAWNWATCH_EXIT_CODE=3", NULL,
	};

	ev.type = SW_EV_EXIT;
	ev.u.exit.exit_code = 3;
	fields_are(want);
}

static void test_anomaly(void **state)
{
	static const char *const want[] = {
		"PRIORITY=4", "SYSLOG_FACILITY=3", "SYSLOG_IDENTIFIER=spawnwatch",
		"SPAWNWATCH_EVENT=anomaly", "SPAWNWATCH_SEQ=42", "SPAWNWATCH_TS=" TS,
		"SPAWNWATCH_HOST=box", "SPAWNWATCH_PID=4242",
		"SPAWNWATCH_TAGS=fork-bomb", "SPAWNWATCH_TAG=fork-bomb", NULL,
	};

	ev.type = SW_EV_ANOMALY;
	ev.tags[0] = "fork-bomb";
	ev.n_tags = 1;
	ev.u.anomaly.tag = "fork-bomb";
	ev.u.anomaly.count = 500;
	ev.u.anomaly.threshold = 200;
	ev.u.anomaly.window_s = 1;
	fields_are(want);
}

/* A shell found at a tick: its stdio the socket, no holder; a peer's bytes as any text. */
static void test_anomaly_net(void **state)
{
	static const char *const want[] = {
		"PRIORITY=4", "SYSLOG_FACILITY=3", "SYSLOG_IDENTIFIER=spawnwatch",
		"SPAWNWATCH_EVENT=anomaly", "SPAWNWATCH_SEQ=42", "SPAWNWATCH_TS=" TS,
		"SPAWNWATCH_HOST=box", "SPAWNWATCH_PID=4242",
		"SPAWNWATCH_NET_PEER=192.0.2.4\\xfe", "SPAWNWATCH_NET_PORT=0",
		"SPAWNWATCH_NET_PROTO=udp", "SPAWNWATCH_NET_VIA=stdio",
		"SPAWNWATCH_TAGS=reverse-shell", "SPAWNWATCH_TAG=reverse-shell", NULL,
	};

	ev.type = SW_EV_ANOMALY;
	ev.have = SW_HAVE_NET;
	snprintf(ev.net.peer, sizeof(ev.net.peer), "192.0.2.4\xfe");
	ev.net.udp = true;
	ev.net.via = SW_VIA_STDIO;
	ev.tags[0] = "reverse-shell";
	ev.n_tags = 1;
	ev.u.anomaly.tag = "reverse-shell";
	ev.u.anomaly.count = ev.u.anomaly.threshold = 1;
	fields_are(want);
}

static void test_lost(void **state)
{
	static const char *const want[] = {
		"PRIORITY=3", "SYSLOG_FACILITY=3", "SYSLOG_IDENTIFIER=spawnwatch",
		"SPAWNWATCH_EVENT=lost", "SPAWNWATCH_SEQ=42", "SPAWNWATCH_TS=" TS,
		"SPAWNWATCH_HOST=box", "SPAWNWATCH_LOST_COUNT=1099511627776",
		"SPAWNWATCH_LOST_REASON=enobufs", NULL,
	};
	static const char *const unknown[] = {
		"PRIORITY=3", "SYSLOG_FACILITY=3", "SYSLOG_IDENTIFIER=spawnwatch",
		"SPAWNWATCH_EVENT=lost", "SPAWNWATCH_SEQ=43", "SPAWNWATCH_TS=" TS,
		"SPAWNWATCH_HOST=box", "SPAWNWATCH_LOST_REASON=journal", NULL,
	};

	/* Not a process event: no pid, whatever the event holds. */
	ev.type = SW_EV_LOST;
	ev.have = SW_HAVE_COMM;
	ev.comm = "x";
	ev.u.lost.count = 1ll << 40;
	ev.u.lost.reason = "enobufs";
	fields_are(want);
	ev.u.lost.count = -1;
	ev.u.lost.reason = "journal";
	fields_are(unknown);
}

/* The message is the line without its '\n', whatever the format. */
static void test_message_ecs(void **state)
{
	struct sw_buf b = { 0 };

	em.ops = &sw_emit_ecs_ops;
	ev.type = SW_EV_FORK;
	assert_int_equal(sw_emit_event(&em, &ev, &b), 0);
	assert_int_equal(sw_journal_fields(&e, &em, &ev, b.data, b.len), 0);
	assert_int_equal(e.len[0], strlen("MESSAGE=") + b.len - 1);
	assert_memory_equal(e.buf.data + e.off[0] + 8, b.data, b.len - 1);
	sw_buf_free(&b);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_exec), T(test_exit_signal), T(test_exit_code),
		T(test_anomaly), T(test_anomaly_net), T(test_lost),
		T(test_message_ecs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
