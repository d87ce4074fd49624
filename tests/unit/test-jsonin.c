/* SPDX-License-Identifier: MIT */
/*
 * JSON lines in: every kind emit_json.c writes, read back field by field,
 * and the lines a replay file must not be trusted with.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "emit.h"
#include "jsonin.h"
#include "stats.h"

#define KTIME 1700000000123456789ull	/* 2023-11-14T22:13:20.123456789Z */
/* The start of a hand-written line. */
#define TS "{\"ts\":\"2023-11-14T22:13:20Z\","

static struct sw_emit em;
static struct sw_buf out;
static struct sw_event src, dst;
static struct sw_jsonin *in;
static char err[256];

static int setup(void **state)
{
	sw_emit_init(&em, &sw_emit_json_ops, false);
	/* ktime is then wall time, which is what the reader gives back. */
	em.realtime_offset_ns = 0;
	strcpy(em.host, "box");
	memset(&out, 0, sizeof(out));
	memset(&src, 0, sizeof(src));
	src.ktime_ns = KTIME;
	in = sw_jsonin_new();
	assert_non_null(in);
	return 0;
}

static int teardown(void **state)
{
	sw_emit_fini(&em);
	sw_buf_free(&out);
	sw_jsonin_free(in);
	return 0;
}

/* Parses line[0..len) into dst, which holds garbage before. */
static int parse_n(const char *line, size_t len)
{
	memset(&dst, 0x5a, sizeof(dst));
	err[0] = '\0';
	return sw_jsonin_parse(in, line, len, &dst, err, sizeof(err));
}

static int parse(const char *line)
{
	return parse_n(line, strlen(line));
}

static void parse_ok(const char *line)
{
	if (parse(line) != 0)
		fail_msg("%s: %s", err, line);
}

/* The line fails, and the reason holds `why`. */
static void parse_bad(const char *line, const char *why)
{
	if (parse(line) != -1)
		fail_msg("accepted: %s", line);
	if (!strstr(err, why))
		fail_msg("reason \"%s\" lacks \"%s\" for %s", err, why, line);
}

/* Emits src as one line and reads it back into dst. */
static const char *roundtrip(void)
{
	out.len = 0;
	assert_int_equal(sw_emit_event(&em, &src, &out), 0);
	/* With its newline, as a reader of a file gets it. */
	if (parse_n(out.data, out.len) != 0)
		fail_msg("%s: %s", err, out.data);
	return out.data;
}

static void assert_str(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* Every field the line carries, as emitted and as read back. */
static void assert_same(const struct sw_event *a, const struct sw_event *b)
{
	assert_int_equal(b->type, a->type);
	assert_int_equal(b->ktime_ns, a->ktime_ns);
	assert_int_equal(b->have, a->have);
	assert_int_equal(b->n_tags, 0);
	assert_null(b->start);
	assert_null(b->stats);
	assert_int_equal(b->enriched, a->type == SW_EV_EXEC);
	if (a->type < SW_EV_KERNEL_KINDS || a->type == SW_EV_REPARENT ||
	    a->type == SW_EV_ANOMALY) {
		assert_int_equal(b->pid, a->pid);
		assert_int_equal(b->tid, a->tid);
	}
	assert_memory_equal(b->unread, a->unread, sizeof(a->unread));
	if (a->have & SW_HAVE_PPID)
		assert_int_equal(b->ppid, a->ppid);
	if (a->have & SW_HAVE_COMM)
		assert_str(b->comm, a->comm);
	else
		assert_null(b->comm);
	if (a->have & SW_HAVE_EXE)
		assert_str(b->exe, a->exe);
	else
		assert_null(b->exe);
	if (a->have & SW_HAVE_CWD)
		assert_str(b->cwd, a->cwd);
	else
		assert_null(b->cwd);
	if (a->have & SW_HAVE_ARGV) {
		assert_int_equal(b->argv_len, a->argv_len);
		assert_memory_equal(b->argv, a->argv, a->argv_len);
	} else {
		assert_null(b->argv);
		assert_int_equal(b->argv_len, 0);
	}
	if (a->have & SW_HAVE_CREDS) {
		assert_int_equal(b->uid, a->uid);
		assert_int_equal(b->euid, a->euid);
		assert_int_equal(b->gid, a->gid);
		assert_int_equal(b->egid, a->egid);
		assert_str(b->user, a->user);
	}
	assert_int_equal(b->n_ancestry, a->n_ancestry);
	for (unsigned i = 0; i < a->n_ancestry; i++) {
		assert_int_equal(b->ancestry[i].pid, a->ancestry[i].pid);
		assert_str(b->ancestry[i].comm, a->ancestry[i].comm);
		assert_str(b->ancestry[i].exe, a->ancestry[i].exe);
	}
	assert_str(b->container_id, a->container_id);
	if (a->have & SW_HAVE_NS) {
		assert_int_equal(b->mntns, a->mntns);
		assert_int_equal(b->pidns, a->pidns);
	}
	assert_str(b->container_runtime, a->container_runtime);
	assert_int_equal(b->have & SW_HAVE_NET, a->have & SW_HAVE_NET);
	if (a->have & SW_HAVE_NET) {
		assert_string_equal(b->net.peer, a->net.peer);
		assert_int_equal(b->net.port, a->net.port);
		assert_int_equal(b->net.udp, a->net.udp);
		assert_int_equal(b->net.via, a->net.via);
		assert_int_equal(b->net.holder, a->net.holder);
	}
	if (a->have & SW_HAVE_DURATION)
		assert_true(b->duration_s == a->duration_s);
	if (a->type == SW_EV_FORK || a->type == SW_EV_EXIT)
		assert_int_equal(b->thread, a->thread);
	else
		assert_false(b->thread);

	switch (a->type) {
	case SW_EV_FORK:
		assert_int_equal(b->u.fork.parent_pid, a->u.fork.parent_pid);
		assert_int_equal(b->u.fork.parent_tid, a->u.fork.parent_tid);
		break;
	case SW_EV_EXIT:
		assert_int_equal(b->u.exit.status, a->u.exit.status);
		assert_int_equal(b->u.exit.exit_code, a->u.exit.exit_code);
		assert_int_equal(b->u.exit.signal, a->u.exit.signal);
		assert_int_equal(b->u.exit.core, a->u.exit.core);
		assert_int_equal(b->u.exit.kernel_ppid, a->u.exit.kernel_ppid);
		break;
	case SW_EV_UID:
	case SW_EV_GID:
		assert_int_equal(b->u.id.r, a->u.id.r);
		assert_int_equal(b->u.id.e, a->u.id.e);
		assert_int_equal(b->u.id.have_prev, a->u.id.have_prev);
		if (a->u.id.have_prev) {
			assert_int_equal(b->u.id.prev_r, a->u.id.prev_r);
			assert_int_equal(b->u.id.prev_e, a->u.id.prev_e);
		}
		assert_str(b->u.id.exe, a->u.id.exe);
		break;
	case SW_EV_PTRACE:
		assert_int_equal(b->u.ptrace.tracer_pid,
				 a->u.ptrace.tracer_pid);
		assert_int_equal(b->u.ptrace.tracer_tid,
				 a->u.ptrace.tracer_tid);
		assert_str(b->u.ptrace.tracer_comm, a->u.ptrace.tracer_comm);
		break;
	case SW_EV_COMM:
		assert_string_equal(b->u.comm.comm, a->u.comm.comm);
		assert_int_equal(b->u.comm.have_prev, a->u.comm.have_prev);
		if (a->u.comm.have_prev)
			assert_string_equal(b->u.comm.prev, a->u.comm.prev);
		break;
	case SW_EV_COREDUMP:
		assert_int_equal(b->u.coredump.parent_pid,
				 a->u.coredump.parent_pid);
		break;
	case SW_EV_REPARENT:
		assert_int_equal(b->u.reparent.prev_ppid,
				 a->u.reparent.prev_ppid);
		break;
	case SW_EV_ANOMALY:
		assert_str(b->u.anomaly.tag, a->u.anomaly.tag);
		assert_int_equal(b->u.anomaly.count, a->u.anomaly.count);
		assert_int_equal(b->u.anomaly.threshold,
				 a->u.anomaly.threshold);
		assert_true(b->u.anomaly.window_s == a->u.anomaly.window_s);
		assert_true(b->u.anomaly.oldest_s == a->u.anomaly.oldest_s);
		break;
	case SW_EV_LOST:
		assert_int_equal(b->u.lost.count, a->u.lost.count);
		assert_str(b->u.lost.reason, a->u.lost.reason);
		break;
	case SW_EV_RESYNC:
		assert_memory_equal(&b->u.resync, &a->u.resync,
				    sizeof(a->u.resync));
		break;
	default:
		break;
	}
}

static void fill_process(enum sw_ev_type type)
{
	src.type = type;
	src.pid = src.tid = 100;
	src.have = SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_EXE | SW_HAVE_CWD |
		   SW_HAVE_ARGV | SW_HAVE_CREDS;
	src.ppid = 1;
	src.comm = "sh";
	src.exe = "/bin/sh";
	src.cwd = "/root";
	src.argv = "sh\0-c\0echo hi\0";
	src.argv_len = 15;
	src.uid = 1000;
	src.euid = 0;
	src.gid = 100;
	src.egid = 4294967295u;
	src.user = "root";
	src.ancestry[0] = (struct sw_ancestor){ 1, "systemd", "/sbin/init" };
	src.ancestry[1] = (struct sw_ancestor){ 0, NULL, NULL };
	src.n_ancestry = 2;
}

static void test_fork(void **state)
{
	fill_process(SW_EV_FORK);
	src.u.fork.parent_pid = src.u.fork.parent_tid = src.ppid;
	roundtrip();
	assert_same(&src, &dst);

	/* A thread, in a container, known by nothing else. */
	src.tid = 101;
	src.thread = true;
	src.have = SW_HAVE_PPID | SW_HAVE_CONTAINER;
	src.container_id = "0123abcd";
	src.container_runtime = "docker";
	src.n_ancestry = 0;
	roundtrip();
	assert_same(&src, &dst);

	src.have = 0;
	src.container_id = src.container_runtime = NULL;
	src.u.fork.parent_pid = src.u.fork.parent_tid = 0;
	roundtrip();
	assert_same(&src, &dst);
}

static void test_exec(void **state)
{
	fill_process(SW_EV_EXEC);
	src.enriched = true;
	roundtrip();
	assert_same(&src, &dst);
	/* The strings are the reader's own copies. */
	assert_true(dst.exe != src.exe);
	assert_true(dst.argv[dst.argv_len - 1] == '\0');

	/* A reverse shell's peer, each way, back as it was. */
	src.have |= SW_HAVE_NET;
	snprintf(src.net.peer, sizeof(src.net.peer), "192.0.2.4");
	src.net.port = 4444;
	src.net.via = SW_VIA_PIPE;
	src.net.holder = 4711;
	assert_non_null(strstr(roundtrip(), ",\"net\":{\"peer\":\"192.0.2.4\",\"port\":4444,"
			       "\"proto\":\"tcp\",\"via\":\"pipe\",\"holder\":4711}"));
	assert_same(&src, &dst);
	for (unsigned v = 0; v < SW_VIA__MAX; v++) {
		src.net.via = (uint8_t)v;
		src.net.holder = v ? 9 : 0;
		src.net.udp = v & 1;
		snprintf(src.net.peer, sizeof(src.net.peer), v & 2 ? "2001:db8::1" : "10.0.0.1");
		roundtrip();
		assert_same(&src, &dst);
	}
	src.have &= ~(unsigned)SW_HAVE_NET;

	/* Fields /proc did not give, and why. */
	src.have &= ~(unsigned)(SW_HAVE_ARGV | SW_HAVE_COMM);
	src.unread[SW_UF_ARGV] = SW_UNREAD_TIMEOUT;
	src.unread[SW_UF_COMM] = SW_UNREAD_REUSED;
	assert_non_null(strstr(roundtrip(), ",\"unread\":{\"argv\":\"proc_timeout\","
			       "\"comm\":\"pid_reused\"}"));
	assert_same(&src, &dst);
	memset(src.unread, 0, sizeof(src.unread));
	src.have |= SW_HAVE_ARGV | SW_HAVE_COMM;
	parse_bad("{\"ts\":\"2026-11-30T22:31:09.402873021Z\",\"event\":\"exec\","
		  "\"pid\":7,\"unread\":[]}", "unread");
	parse_bad("{\"ts\":\"2026-11-30T22:31:09.402873021Z\",\"event\":\"exec\","
		  "\"pid\":7,\"unread\":{\"argv\":1}}", "unread");
	parse_ok("{\"ts\":\"2026-11-30T22:31:09.402873021Z\",\"event\":\"exec\","
		 "\"pid\":7,\"unread\":{\"argv\":\"later\",\"x\":\"y\"}}");
	assert_int_equal(dst.unread[SW_UF_ARGV], SW_UNREAD_NONE);

	/* An empty argument, and an empty command line. */
	src.argv = "a\0\0b\0";
	src.argv_len = 5;
	roundtrip();
	assert_same(&src, &dst);
	src.argv_len = 0;
	roundtrip();
	assert_same(&src, &dst);
	assert_non_null(dst.argv);

	/* Three of the four credentials are not credentials. */
	parse_ok(TS "\"event\":\"exec\",\"pid\":5,"
		 "\"uid\":1,\"euid\":2,\"gid\":3}");
	assert_int_equal(dst.have, 0);
	assert_true(dst.enriched);
}

static void test_exit(void **state)
{
	fill_process(SW_EV_EXIT);
	src.have = SW_HAVE_PPID | SW_HAVE_DURATION;
	src.duration_s = 2.5;
	src.u.exit.exit_code = 3;
	src.u.exit.status = 3 << 8;
	src.u.exit.kernel_ppid = src.ppid;
	roundtrip();
	assert_same(&src, &dst);

	src.u.exit.exit_code = 0;
	src.u.exit.status = 0;
	roundtrip();
	assert_same(&src, &dst);

	src.have = 0;
	src.u.exit.kernel_ppid = 0;
	src.u.exit.exit_code = -1;
	src.u.exit.signal = 9;
	src.u.exit.status = 9;
	roundtrip();
	assert_same(&src, &dst);

	src.tid = 101;
	src.thread = true;
	src.u.exit.signal = 11;
	src.u.exit.core = true;
	src.u.exit.status = 11 | 0x80;
	roundtrip();
	assert_same(&src, &dst);

	/* Real-time signals have no name: "SIG40". */
	src.u.exit.signal = 40;
	src.u.exit.core = false;
	src.u.exit.status = 40;
	assert_non_null(strstr(roundtrip(), "\"signal\":\"SIG40\""));
	assert_same(&src, &dst);

	/* Every signal the emitter can name reads back as itself. */
	for (int sig = 1; sig <= 64; sig++) {
		src.u.exit.signal = sig;
		src.u.exit.status = (uint32_t)sig;
		roundtrip();
		assert_same(&src, &dst);
	}

	parse_ok(TS "\"event\":\"exit\",\"pid\":5,"
		 "\"signal\":\"SIG9\"}");
	assert_int_equal(dst.u.exit.signal, 9);
	assert_int_equal(dst.u.exit.exit_code, -1);
	parse_ok(TS "\"event\":\"exit\",\"pid\":5}");
	assert_int_equal(dst.u.exit.exit_code, -1);
	assert_int_equal(dst.u.exit.signal, 0);
	assert_false(dst.u.exit.core);
	assert_false(dst.thread);
	parse_bad(TS "\"event\":\"exit\",\"pid\":5,"
		  "\"signal\":\"SIGNOPE\"}", "unknown signal \"SIGNOPE\"");
	parse_bad(TS "\"event\":\"exit\",\"pid\":5,"
		  "\"signal\":\"SIG65\"}", "unknown signal");
	parse_bad(TS "\"event\":\"exit\",\"pid\":5,"
		  "\"signal\":\"SIG09\"}", "unknown signal");
	parse_bad(TS "\"event\":\"exit\",\"pid\":5,"
		  "\"signal\":\"SIGKILL\\u0000\"}", "unknown signal");
	parse_bad(TS "\"event\":\"exit\",\"pid\":5,"
		  "\"signal\":9}", "\"signal\" is not a string");
	parse_bad(TS "\"event\":\"exit\",\"pid\":5,"
		  "\"exit_code\":256}", "\"exit_code\" is out of range");
	parse_bad(TS "\"event\":\"exit\",\"pid\":5,"
		  "\"duration_s\":\"1\"}", "\"duration_s\" is not a number");
}

static void duration_bad(const char *v, const char *why)
{
	char line[256];

	snprintf(line, sizeof(line),
		 TS "\"event\":\"exit\",\"pid\":5,\"duration_s\":%s}", v);
	parse_bad(line, why);
}

static double duration_ok(const char *v)
{
	char line[256];

	snprintf(line, sizeof(line),
		 TS "\"event\":\"exit\",\"pid\":5,\"duration_s\":%s}", v);
	parse_ok(line);
	assert_true(dst.have & SW_HAVE_DURATION);
	return dst.duration_s;
}

/*
 * A lifetime is 0 to 10^10 s: a line with any other (a forged 1e300, a
 * negative one) is malformed, not written as a number it cannot be.  JSON
 * has no NaN or infinity, and a number too large for a double is refused
 * by the parser.
 */
static void test_duration_range(void **state)
{
	duration_bad("1e300", "\"duration_s\" is out of range");
	duration_bad("-1", "\"duration_s\" is out of range");
	duration_bad("-1e-300", "\"duration_s\" is out of range");
	duration_bad("10000000000.00001", "\"duration_s\" is out of range");
	duration_bad("1e11", "\"duration_s\" is out of range");
	duration_bad("1e400", "real number overflow");
	duration_bad("NaN", "not JSON");
	duration_bad("Infinity", "not JSON");
	duration_bad("-Infinity", "not JSON");
	assert_true(duration_ok("0") == 0);
	assert_true(duration_ok("-0.0") == 0);
	assert_true(duration_ok("1e-300") == 1e-300);
	assert_true(duration_ok("1e10") == SW_DURATION_MAX_S);
	assert_true(duration_ok("9999999999.999999") == 9999999999.999999);

	/* The longest one reads back as written. */
	fill_process(SW_EV_EXIT);
	src.have = SW_HAVE_PPID | SW_HAVE_DURATION;
	src.duration_s = SW_DURATION_MAX_S;
	src.u.exit.kernel_ppid = src.ppid;
	roundtrip();
	assert_same(&src, &dst);
	src.duration_s = 9999999999.999999;
	roundtrip();
	assert_true(dst.duration_s <= SW_DURATION_MAX_S);
}

static void test_id(void **state)
{
	fill_process(SW_EV_UID);
	src.u.id.r = src.uid;
	src.u.id.e = src.euid;
	src.u.id.prev_r = 1000;
	src.u.id.prev_e = 1000;
	src.u.id.have_prev = true;
	src.u.id.exe = src.exe;
	roundtrip();
	assert_same(&src, &dst);
	assert_ptr_equal(dst.u.id.exe, dst.exe);

	src.type = SW_EV_GID;
	src.u.id.r = src.gid;
	src.u.id.e = src.egid;
	src.u.id.have_prev = false;
	roundtrip();
	assert_same(&src, &dst);

	/* Without the process's credentials the new ids are unknown. */
	src.have = 0;
	src.u.id.r = src.u.id.e = 0;
	src.u.id.exe = NULL;
	roundtrip();
	assert_same(&src, &dst);

	/* Half the previous pair is no previous pair. */
	parse_ok(TS "\"event\":\"uid\",\"pid\":5,"
		 "\"uid\":7,\"euid\":0,\"prev_uid\":7}");
	assert_int_equal(dst.u.id.r, 7);
	assert_int_equal(dst.u.id.e, 0);
	assert_false(dst.u.id.have_prev);
	assert_int_equal(dst.have, 0);
	parse_bad(TS "\"event\":\"gid\",\"pid\":5,"
		  "\"prev_egid\":-1}", "\"prev_egid\" is out of range");
}

static void test_small_kinds(void **state)
{
	fill_process(SW_EV_SID);
	assert_non_null(strstr(roundtrip(), "\"sid\":100"));
	assert_same(&src, &dst);

	src.type = SW_EV_PTRACE;
	src.u.ptrace.tracer_pid = src.u.ptrace.tracer_tid = 7;
	src.u.ptrace.tracer_comm = "gdb\n";
	roundtrip();
	assert_same(&src, &dst);
	src.u.ptrace.tracer_pid = src.u.ptrace.tracer_tid = 0;
	src.u.ptrace.tracer_comm = NULL;
	roundtrip();
	assert_same(&src, &dst);
	/* A detach names no tracer, whatever else the line says. */
	parse_ok(TS "\"event\":\"ptrace\","
		 "\"pid\":5,\"tracer_pid\":7,\"tracer_comm\":\"x\","
		 "\"attach\":false}");
	assert_int_equal(dst.u.ptrace.tracer_pid, 0);
	assert_null(dst.u.ptrace.tracer_comm);

	src.type = SW_EV_COMM;
	memcpy(src.u.comm.comm, "0123456789abcdef", 17);
	strcpy(src.u.comm.prev, "sh");
	src.u.comm.have_prev = true;
	src.have &= ~SW_HAVE_COMM;	/* the line's comm is the new name */
	src.comm = NULL;
	roundtrip();
	assert_same(&src, &dst);
	src.u.comm.have_prev = false;
	roundtrip();
	assert_same(&src, &dst);
	/* The kernel's names fit 16 bytes: a longer one is cut there. */
	parse_ok(TS "\"event\":\"comm\",\"pid\":5,"
		 "\"comm\":\"0123456789abcdefXYZ\","
		 "\"prev_comm\":\"a\\u0000b\"}");
	assert_string_equal(dst.u.comm.comm, "0123456789abcdef");
	assert_string_equal(dst.u.comm.prev, "a");
	assert_true(dst.u.comm.have_prev);
	assert_null(dst.comm);

	fill_process(SW_EV_COREDUMP);
	src.u.coredump.parent_pid = src.ppid;
	roundtrip();
	assert_same(&src, &dst);

	src.type = SW_EV_REPARENT;
	src.u.reparent.prev_ppid = 42;
	roundtrip();
	assert_same(&src, &dst);
}

static void test_anomaly(void **state)
{
	fill_process(SW_EV_ANOMALY);
	src.u.anomaly.tag = "fork-storm";
	src.u.anomaly.count = 500;
	src.u.anomaly.threshold = 200;
	src.u.anomaly.window_s = 1.25;
	src.u.anomaly.oldest_s = 0.875;
	roundtrip();
	assert_same(&src, &dst);

	src.u.anomaly.window_s = 0;	/* no window: no key */
	assert_null(strstr(roundtrip(), "window_s"));
	assert_same(&src, &dst);

	parse_bad(TS "\"event\":\"anomaly\","
		  "\"pid\":5,\"tag\":\"x\",\"detail\":{\"count\":1.5}}",
		  "\"detail\": \"count\" is not an integer");
	parse_bad(TS "\"event\":\"anomaly\","
		  "\"pid\":5,\"tag\":\"x\",\"detail\":[]}",
		  "\"detail\" is not an object");
	/* An age is a lifetime: 0 to 10^10 s. */
	parse_bad(TS "\"event\":\"anomaly\","
		  "\"pid\":5,\"tag\":\"x\",\"detail\":{\"oldest_s\":1e300}}",
		  "\"detail\": \"oldest_s\" is out of range");
	parse_bad(TS "\"event\":\"anomaly\","
		  "\"pid\":5,\"tag\":\"x\",\"detail\":{\"oldest_s\":-0.5}}",
		  "\"detail\": \"oldest_s\" is out of range");
	parse_ok(TS "\"event\":\"anomaly\","
		 "\"pid\":5,\"tag\":\"x\",\"detail\":{\"oldest_s\":1e10}}");
	assert_true(dst.u.anomaly.oldest_s == 1e10);
}

/*
 * A reverse shell found at a tick: its anomaly line carries net, read back
 * as it was and written again byte for byte; so is a line as a live run
 * wrote it (but its host, and its tags, which the reader keeps aside).
 */
static void test_anomaly_net(void **state)
{
	static const char rec[] =
		"{\"ts\":\"2026-12-07T22:24:20.234574390Z\",\"seq\":156,\"host\":\"vm\","
		"\"event\":\"anomaly\",\"pid\":13606,\"ppid\":13604,\"comm\":\"sh\","
		"\"exe\":\"/usr/bin/dash\",\"cwd\":\"/tmp\",\"argv\":[\"sh\",\"-i\"],"
		"\"uid\":0,\"euid\":0,\"gid\":0,\"egid\":0,\"user\":\"root\","
		"\"ancestry\":[{\"pid\":13604,\"comm\":\"bash\",\"exe\":\"/usr/bin/bash\"}],"
		"\"net\":{\"peer\":\"2001:db8::ffff:1\",\"port\":4444,\"proto\":\"tcp\","
		"\"via\":\"pipe\",\"holder\":13609},\"tag\":\"reverse-shell\","
		"\"detail\":{\"count\":1,\"threshold\":1,\"oldest_s\":0.0}}\n";
	char *first;

	fill_process(SW_EV_ANOMALY);
	src.u.anomaly.tag = "reverse-shell";
	src.u.anomaly.count = src.u.anomaly.threshold = 1;
	src.have |= SW_HAVE_NET;
	snprintf(src.net.peer, sizeof(src.net.peer), "::ffff:192.0.2.4");
	src.net.port = 65535;
	src.net.udp = true;
	src.net.via = SW_VIA_SOCKETPAIR;
	src.net.holder = 2147483647;
	first = strdup(roundtrip());
	assert_non_null(first);
	assert_same(&src, &dst);
	out.len = 0;
	assert_int_equal(sw_emit_event(&em, &dst, &out), 0);
	assert_string_equal(strstr(out.data, ",\"host\""), strstr(first, ",\"host\""));
	free(first);

	parse_ok(rec);
	assert_true(dst.have & SW_HAVE_NET);
	assert_string_equal(dst.net.peer, "2001:db8::ffff:1");
	assert_int_equal(dst.net.holder, 13609);
	out.len = 0;
	assert_int_equal(sw_emit_event(&em, &dst, &out), 0);
	assert_string_equal(strstr(out.data, ",\"event\""), strstr(rec, ",\"event\""));
}

static void test_lost_resync(void **state)
{
	src.type = SW_EV_LOST;
	src.u.lost.count = 5;
	src.u.lost.reason = "enobufs";
	roundtrip();
	assert_same(&src, &dst);
	src.u.lost.count = -1;
	assert_non_null(strstr(roundtrip(), "\"count\":null"));
	assert_same(&src, &dst);
	/* Only process events carry the process keys. */
	assert_int_equal(dst.pid, 0);

	src.type = SW_EV_RESYNC;
	src.u.resync.added = 1;
	src.u.resync.removed = 2;
	src.u.resync.reparented = 3;
	src.u.resync.tracked = 4000000000u;
	roundtrip();
	assert_same(&src, &dst);

	parse_bad(TS "\"event\":\"lost\","
		  "\"count\":\"many\"}", "\"count\" is not an integer");
	parse_bad(TS "\"event\":\"resync\","
		  "\"added\":-1}", "\"added\" is out of range");
}

static void test_start_stop(void **state)
{
	struct sw_start_info si = { .version = "0.1.0", .kernel = "6.1.0",
				    .events = SW_EVMASK_ALL, .tracked = 42 };
	struct sw_stats st = { .emitted = 10, .tracked = 3 };

	src.type = SW_EV_START;
	src.start = &si;
	roundtrip();
	src.start = NULL;
	assert_same(&src, &dst);

	src.type = SW_EV_STOP;
	src.stats = &st;
	roundtrip();
	src.stats = NULL;
	assert_same(&src, &dst);
}

static void test_tags(void **state)
{
	const char *tags[SW_TAGS_MAX];

	fill_process(SW_EV_EXEC);
	src.enriched = true;
	src.tags[0] = "fork-storm";
	src.tags[1] = "privilege-escalation";
	src.n_tags = 2;
	roundtrip();
	src.n_tags = 0;
	assert_same(&src, &dst);
	assert_int_equal(sw_jsonin_tags(in, tags, SW_TAGS_MAX), 2);
	assert_string_equal(tags[0], "fork-storm");
	assert_string_equal(tags[1], "privilege-escalation");
	assert_int_equal(sw_jsonin_tags(in, NULL, 0), 2);
	assert_string_equal(sw_jsonin_host(in), "box");

	/* Cleared by the next line, and capped. */
	parse_ok(TS "\"event\":\"lost\"}");
	assert_int_equal(sw_jsonin_tags(in, tags, SW_TAGS_MAX), 0);
	assert_null(sw_jsonin_host(in));
	parse_ok(TS "\"event\":\"lost\",\"host\":\"h\\u0000x\"}");
	assert_string_equal(sw_jsonin_host(in), "h");
	assert_int_equal(parse(" \n"), 1);
	assert_null(sw_jsonin_host(in));
	parse_ok(TS "\"event\":\"lost\",\"tags\":"
		 "[\"0\",\"1\",\"2\",\"3\",\"4\","
		 "\"5\",\"6\",\"7\",\"8\",\"9\"]}");
	assert_int_equal(sw_jsonin_tags(in, tags, 3), SW_TAGS_MAX);
	assert_string_equal(tags[2], "2");
	assert_int_equal(sw_jsonin_tags(in, tags, SW_TAGS_MAX), SW_TAGS_MAX);
	assert_string_equal(tags[SW_TAGS_MAX - 1], "7");
	parse_bad(TS "\"event\":\"lost\","
		  "\"tags\":\"x\"}", "\"tags\" is not an array");
	parse_bad(TS "\"event\":\"lost\","
		  "\"tags\":[\"x\",1]}", "\"tags\"[1] is not a string");
}

static void test_ns(void **state)
{
	/* The emitter writes them on exec. */
	fill_process(SW_EV_EXEC);
	src.enriched = true;
	src.have |= SW_HAVE_NS;
	src.mntns = 4026531841ull;
	src.pidns = 4026532999ull;
	assert_non_null(strstr(roundtrip(), "\"ns\":{\"mnt\":4026531841,"));
	assert_same(&src, &dst);
	assert_int_equal(dst.mntns, src.mntns);
	assert_int_equal(dst.pidns, src.pidns);

	parse_ok(TS "\"event\":\"exec\","
		 "\"pid\":5,\"ns\":{\"mnt\":4026531841,\"pid\":4026531836}}");
	assert_int_equal(dst.have, SW_HAVE_NS);
	assert_int_equal(dst.mntns, 4026531841ull);
	assert_int_equal(dst.pidns, 4026531836ull);
	/* On any line, and only as a pair. */
	parse_ok(TS "\"event\":\"lost\","
		 "\"ns\":{\"mnt\":1,\"pid\":2}}");
	assert_int_equal(dst.have, SW_HAVE_NS);
	parse_ok(TS "\"event\":\"exec\","
		 "\"pid\":5,\"ns\":{\"mnt\":1}}");
	assert_int_equal(dst.have, 0);
	parse_bad(TS "\"event\":\"exec\","
		  "\"pid\":5,\"ns\":{\"mnt\":1,\"pid\":\"2\"}}",
		  "\"ns\": \"pid\" is not an integer");
	parse_bad(TS "\"event\":\"exec\","
		  "\"pid\":5,\"ns\":[1,2]}", "\"ns\" is not an object");
}

static void test_ts(void **state)
{
	static const struct {
		const char *ts;
		uint64_t ns;
	} good[] = {
		{ "1970-01-01T00:00:00.000000000Z", 0 },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2023-11-14T22:13:20.123456789Z", KTIME },
		{ "2023-11-14t22:13:20.123456789z", KTIME },
		{ "2023-11-14T22:13:20.1Z", 1700000000100000000ull },
		{ "2023-11-14T23:13:20.123456789+01:00", KTIME },
		{ "2023-11-14T21:43:20.123456789-00:30", KTIME },
		{ "2000-02-29T00:00:00Z", 951782400000000000ull },
		{ "2026-11-30T12:00:01.123456789Z", 1796040001123456789ull },
		{ "2016-12-31T23:59:60Z", 1483228800000000000ull },
		{ "2554-07-21T23:34:33.709551615Z", UINT64_MAX },
	};
	static const char *const bad[] = {
		"", "2023-11-14", "2023-11-14T22:13:20", "2023-11-14 22:13:20Z",
		"2023-11-14T22:13:20.Z", "2023-11-14T22:13:20.1234567890Z",
		"2023-13-14T22:13:20Z", "2023-00-14T22:13:20Z",
		"2023-02-29T22:13:20Z", "2023-04-31T22:13:20Z",
		"2023-11-14T24:00:00Z", "2023-11-14T22:60:20Z",
		"2023-11-14T22:13:61Z", "2023-11-14T22:13:20+0100",
		"2023-11-14T22:13:20+24:00", "2023-11-14T22:13:20Zjunk",
		"+023-11-14T22:13:20Z", "2023-11-14T22:13:20.12a4Z",
		"2023-11-14T22:13:20.123456789Z\\u0000",
	};
	static const char *const range[] = {
		"1969-12-31T23:59:59.999999999Z", "0000-01-01T00:00:00Z",
		"2554-07-21T23:34:33.709551616Z", "9999-12-31T23:59:59Z",
		"1970-01-01T00:00:00+00:01",
	};
	char line[256];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line),
			 "{\"ts\":\"%s\",\"event\":\"lost\"}", good[i].ts);
		parse_ok(line);
		if (dst.ktime_ns != good[i].ns)
			fail_msg("%s: %llu, not %llu", good[i].ts,
				 (unsigned long long)dst.ktime_ns,
				 (unsigned long long)good[i].ns);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line),
			 "{\"ts\":\"%s\",\"event\":\"lost\"}", bad[i]);
		parse_bad(line, "\"ts\" is not an RFC 3339 time");
	}
	for (size_t i = 0; i < sizeof(range) / sizeof(range[0]); i++) {
		snprintf(line, sizeof(line),
			 "{\"ts\":\"%s\",\"event\":\"lost\"}", range[i]);
		parse_bad(line, "\"ts\" is out of range");
	}
	parse_bad("{\"event\":\"lost\"}", "no \"ts\" key");
	parse_bad("{\"ts\":1700000000,\"event\":\"lost\"}",
		  "\"ts\" is not a string");

	/* What the emitter writes for any instant, read back exact. */
	src.type = SW_EV_LOST;
	src.u.lost.reason = "enobufs";
	for (uint64_t t = 1; t < UINT64_MAX / 3; t = t * 3 + 7) {
		src.ktime_ns = t;
		roundtrip();
		assert_int_equal(dst.ktime_ns, t);
	}
}

static void test_hostile(void **state)
{
	static const char argv[] = "{\"x\":1}\0\xff\n\0\x1b[2J\\\"\0\t\x7f\0";

	fill_process(SW_EV_EXEC);
	src.enriched = true;
	src.comm = "\n\x1b]0;t\a";
	src.exe = "/tmp/a\"b\\c";
	src.argv = argv;
	src.argv_len = sizeof(argv) - 1;
	src.have &= ~SW_HAVE_ARGV;
	roundtrip();
	/* Control bytes survive JSON escaping. */
	assert_same(&src, &dst);

	/* Invalid UTF-8 comes back as the emitter's \xNN text. */
	src.have |= SW_HAVE_ARGV;
	src.cwd = "/\xed\xa0\x80";
	roundtrip();
	assert_string_equal(dst.cwd, "/\\xed\\xa0\\x80");
	assert_int_equal(dst.argv_len, sizeof(argv) - 1 + 3);
	assert_memory_equal(dst.argv, "{\"x\":1}\0\\xff\n\0", 14);

	/* A NUL ends a C string, but not an argv element. */
	parse_ok(TS "\"event\":\"exec\",\"pid\":5,"
		 "\"comm\":\"a\\u0000b\",\"exe\":\"\\u0000\","
		 "\"argv\":[\"x\\u0000y\",\"\\u00e9\\ud83d\\ude00\"]}");
	assert_string_equal(dst.comm, "a");
	assert_string_equal(dst.exe, "");
	assert_int_equal(dst.argv_len, 4 + 7);
	assert_memory_equal(dst.argv, "x\0y\0\xc3\xa9\xf0\x9f\x98\x80\0", 11);

	/* Escapes that decode to longer bytes than they take. */
	parse_ok(TS "\"event\":\"exec\",\"pid\":5,"
		 "\"argv\":[\"\\u0800\",\"\",\"\\ud800\\udc00\"],"
		 "\"cwd\":\"\"}");
	assert_int_equal(dst.argv_len, 4 + 1 + 5);
	assert_string_equal(dst.cwd, "");
}

static void test_long(void **state)
{
	const size_t big = SW_ARGV_LINE_MAX - 16;
	char *argv = malloc(big + 8);

	assert_non_null(argv);
	memset(argv, 'x', big);
	memcpy(argv + big, "\0-a\0\xff\0\0", 8);
	fill_process(SW_EV_EXEC);
	src.enriched = true;
	src.argv = argv;
	src.argv_len = big + 7;
	roundtrip();
	assert_int_equal(dst.argv_len, big + 10);
	assert_memory_equal(dst.argv, argv, big + 4);
	assert_memory_equal(dst.argv + big + 4, "\\xff\0\0", 6);
	assert_string_equal(dst.exe, "/bin/sh");
	assert_string_equal(dst.ancestry[0].exe, "/sbin/init");

	/* Longer than an exec line carries: cut there, and read back so. */
	free(argv);
	argv = malloc(4 * big);
	assert_non_null(argv);
	memset(argv, 'y', 4 * big);
	src.argv = argv;
	src.argv_len = 4 * big;
	roundtrip();
	assert_true(dst.cut & SW_HAVE_ARGV);
	assert_int_equal(dst.argv_size, 4 * big);
	assert_int_equal(dst.argv_len, SW_ARGV_LINE_MAX + 1);
	assert_memory_equal(dst.argv, argv, SW_ARGV_LINE_MAX);
	/* As it was read back, it is written again, byte for byte. */
	{
		char *first = strdup(out.data), mark[64];

		assert_non_null(first);
		snprintf(mark, sizeof(mark), "\"argv_truncated\":true,\"argv_len\":%zu,",
			 4 * big);
		assert_non_null(strstr(first, mark));
		out.len = 0;
		assert_int_equal(sw_emit_event(&em, &dst, &out), 0);
		assert_string_equal(strstr(out.data, ",\"host\""),
				    strstr(first, ",\"host\""));
		free(first);
	}
	src.cut = 0;
	src.argv_size = 0;

	/* A short line after a long one: the store is reused. */
	src.argv = "a\0";
	src.argv_len = 2;
	roundtrip();
	assert_same(&src, &dst);
	free(argv);
}

static void test_ancestry(void **state)
{
	struct sw_buf line = { 0 };

	assert_int_equal(sw_buf_puts(&line, TS ""
				     "\"event\":\"fork\",\"pid\":1000,"
				     "\"ancestry\":["), 0);
	for (int i = 0; i < 70; i++)
		assert_int_equal(sw_buf_printf(&line,
			"%s{\"pid\":%d,\"comm\":\"c%d\",\"exe\":\"/e/%d\"}",
			i ? "," : "", 999 - i, i, i), 0);
	assert_int_equal(sw_buf_puts(&line, "]}"), 0);
	parse_ok(line.data);
	assert_int_equal(dst.n_ancestry, SW_ANCESTRY_MAX);
	assert_int_equal(dst.ancestry[0].pid, 999);
	assert_string_equal(dst.ancestry[63].comm, "c63");
	assert_string_equal(dst.ancestry[63].exe, "/e/63");
	sw_buf_free(&line);

	/* Full depth through the emitter. */
	fill_process(SW_EV_FORK);
	src.u.fork.parent_pid = src.u.fork.parent_tid = src.ppid;
	for (int i = 0; i < SW_ANCESTRY_MAX; i++)
		src.ancestry[i] = (struct sw_ancestor){ 99 - i, "p", NULL };
	src.n_ancestry = SW_ANCESTRY_MAX;
	roundtrip();
	assert_same(&src, &dst);

	parse_bad(TS "\"event\":\"fork\",\"pid\":1,"
		  "\"ancestry\":[{\"pid\":2},3]}",
		  "\"ancestry\"[1]: not an object");
	parse_bad(TS "\"event\":\"fork\",\"pid\":1,"
		  "\"ancestry\":[{\"comm\":\"x\"}]}",
		  "\"ancestry\"[0]: no \"pid\" key");
	parse_bad(TS "\"event\":\"fork\",\"pid\":1,"
		  "\"ancestry\":[{\"pid\":2,\"exe\":false}]}",
		  "\"ancestry\"[0]: \"exe\" is not a string");
	parse_bad(TS "\"event\":\"fork\",\"pid\":1,"
		  "\"ancestry\":{}}", "\"ancestry\" is not an array");
}

static void test_not_lines(void **state)
{
	char small[8];
	const char *line;
	size_t len;

	/* Blank lines are skipped, not errors. */
	assert_int_equal(parse_n("", 0), 1);
	assert_int_equal(parse("\n"), 1);
	assert_int_equal(parse(" \t\r\n"), 1);
	assert_string_equal(err, "");

	parse_bad("[]", "not a JSON object");
	parse_bad("[{\"ts\":\"2023-11-14T22:13:20Z\",\"event\":\"lost\"}]",
		  "not a JSON object");
	parse_bad("\"lost\"", "not JSON: ");
	parse_bad("42", "not JSON: ");
	parse_bad("null", "not JSON: ");
	parse_bad("garbage", "not JSON: ");
	parse_bad(TS "\"event\":\"lost\"} {}",
		  "not JSON: ");
	parse_bad(TS "\"event\":\"lost\"}\n{}",
		  "not JSON: ");
	parse_bad(TS "\"event\":\"lost\",}",
		  "not JSON: ");
	parse_bad("{\"ts\":\"\xff\",\"event\":\"lost\"}", "not JSON: ");
	assert_null(strchr(err, '\xff'));
	parse_bad(TS "\"event\":\"exec\","
		  "\"pid\":1,\"pid\":2}", "not JSON: duplicate object key");
	parse_bad(TS "\"event\":\"exec\","
		  "\"pid\":1,\"ancestry\":[{\"pid\":1,\"pid\":1}]}",
		  "duplicate object key");

	/* Every cut of a real line is refused, none read past its end. */
	fill_process(SW_EV_EXEC);
	src.tags[0] = "t";
	src.n_tags = 1;
	src.container_id = "c";
	src.container_runtime = "lxc";
	roundtrip();
	len = out.len - 1;
	for (size_t n = 1; n < len; n++) {
		char *cut = malloc(n);

		assert_non_null(cut);
		memcpy(cut, out.data, n);
		if (parse_n(cut, n) != -1)
			fail_msg("accepted %zu bytes: %.*s", n, (int)n, cut);
		assert_true(strlen(err) > 0);
		free(cut);
	}
	assert_int_equal(parse_n(out.data, len), 0);

	/* The reason fits any buffer, or none. */
	line = "{\"event\":\"\\u001b[2Jfoo\\u0085\"}";
	assert_int_equal(sw_jsonin_parse(in, line, strlen(line), &dst, small,
					 sizeof(small)), -1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(sw_jsonin_parse(in, line, strlen(line), &dst, NULL, 0),
			 -1);
	parse_bad(line, "unknown event \"?[2Jfoo??\"");
}

static void test_events(void **state)
{
	parse_bad("{\"ts\":\"2023-11-14T22:13:20Z\"}", "no \"event\" key");
	parse_bad(TS "\"event\":\"foo\"}",
		  "unknown event \"foo\"");
	parse_bad(TS "\"event\":\"ack\"}",
		  "unknown event \"ack\"");
	parse_bad(TS "\"event\":\"EXEC\"}",
		  "unknown event");
	parse_bad(TS "\"event\":\"exec\\u0000\","
		  "\"pid\":1}", "unknown event");
	parse_bad(TS "\"event\":3}",
		  "\"event\" is not a string");
	parse_bad(TS "\"event\":\"exec\"}",
		  "no \"pid\" key");

	for (int t = 0; t < SW_EV_ACK; t++) {
		char line[128];

		snprintf(line, sizeof(line),
			 TS "\"event\":\"%s\","
			 "\"pid\":1}", sw_event_name(t));
		parse_ok(line);
		assert_int_equal(dst.type, t);
	}
}

static void test_types(void **state)
{
	static const struct {
		const char *keys;
		const char *why;
	} bad[] = {
		{ "\"pid\":\"1\"", "\"pid\" is not an integer" },
		{ "\"pid\":1.0", "\"pid\" is not an integer" },
		{ "\"pid\":-1", "\"pid\" is out of range" },
		{ "\"pid\":2147483648", "\"pid\" is out of range" },
		{ "\"pid\":1,\"tid\":null", "\"tid\" is not an integer" },
		{ "\"pid\":1,\"ppid\":true", "\"ppid\" is not an integer" },
		{ "\"pid\":1,\"comm\":1", "\"comm\" is not a string" },
		{ "\"pid\":1,\"exe\":null", "\"exe\" is not a string" },
		{ "\"pid\":1,\"cwd\":[]", "\"cwd\" is not a string" },
		{ "\"pid\":1,\"argv\":\"a b\"", "\"argv\" is not an array" },
		{ "\"pid\":1,\"argv\":[\"a\",null]",
		  "\"argv\"[1] is not a string" },
		{ "\"pid\":1,\"uid\":-1", "\"uid\" is out of range" },
		{ "\"pid\":1,\"egid\":4294967296", "\"egid\" is out of range" },
		{ "\"pid\":1,\"user\":0", "\"user\" is not a string" },
		{ "\"pid\":1,\"container\":\"c\"",
		  "\"container\" is not an object" },
		{ "\"pid\":1,\"container\":{\"id\":1}",
		  "\"container\": \"id\" is not a string" },
		{ "\"pid\":1,\"net\":1", "\"net\" is not an object" },
		{ "\"pid\":1,\"net\":null", "\"net\" is not an object" },
		{ "\"pid\":1,\"net\":[]", "\"net\" is not an object" },
		{ "\"pid\":1,\"net\":{\"peer\":1234,\"port\":1,\"proto\":\"tcp\",\"via\":\"pipe\"}",
		  "\"net\": \"peer\" is not an address" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4.\",\"port\":1,\"proto\":\"tcp\",\"via\":\"pipe\"}",
		  "\"net\": \"peer\" is not an address" },
		/* Longer than the field (45 and its NUL): never an address. */
		{ "\"pid\":1,\"net\":{\"peer\":\"0000:0000:0000:0000:0000:0000:0000:0000:0000:0000\","
		  "\"port\":1,\"proto\":\"tcp\",\"via\":\"pipe\"}",
		  "\"net\": \"peer\" is not an address" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"port\":\"1\",\"proto\":\"tcp\",\"via\":\"pipe\"}",
		  "\"net\": \"port\" is not an integer" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"port\":-1,\"proto\":\"tcp\",\"via\":\"pipe\"}",
		  "\"net\": \"port\" is out of range" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"port\":1,\"proto\":6,\"via\":\"pipe\"}",
		  "\"net\": \"proto\" is not tcp or udp" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"port\":1,\"proto\":\"TCP\",\"via\":\"pipe\"}",
		  "\"net\": \"proto\" is not tcp or udp" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"port\":1,\"proto\":\"tcp\"}",
		  "\"net\": \"via\" is not stdio" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"port\":1,\"proto\":\"tcp\",\"via\":0}",
		  "\"net\": \"via\" is not stdio" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"port\":1,\"proto\":\"tcp\",\"via\":\"pipe\",\"holder\":\"7\"}",
		  "\"net\": \"holder\" is not an integer" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"port\":1,\"proto\":\"tcp\",\"via\":\"pipe\",\"holder\":2147483648}",
		  "\"net\": \"holder\" is out of range" },
		{ "\"pid\":1,\"net\":{}", "\"net\": \"peer\" is not an address" },
		{ "\"pid\":1,\"net\":{\"peer\":\"evil\\u001b[2J\",\"port\":1,\"proto\":\"tcp\",\"via\":\"pipe\"}",
		  "\"net\": \"peer\" is not an address" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\\u0000x\",\"port\":1,\"proto\":\"tcp\",\"via\":\"pipe\"}",
		  "\"net\": \"peer\" is not an address" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"proto\":\"tcp\",\"via\":\"pipe\"}",
		  "\"net\": \"port\" is missing" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"port\":65536,\"proto\":\"tcp\",\"via\":\"pipe\"}",
		  "\"net\": \"port\" is out of range" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"port\":1,\"proto\":\"sctp\",\"via\":\"pipe\"}",
		  "\"net\": \"proto\" is not tcp or udp" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"port\":1,\"proto\":\"tcp\",\"via\":\"magic\"}",
		  "\"net\": \"via\" is not stdio" },
		{ "\"pid\":1,\"net\":{\"peer\":\"1.2.3.4\",\"port\":1,\"proto\":\"tcp\",\"via\":\"pipe\",\"holder\":-2}",
		  "\"net\": \"holder\" is out of range" },
		{ "\"pid\":1,\"seq\":\"1\"", "\"seq\" is not an integer" },
		{ "\"pid\":1,\"host\":null", "\"host\" is not a string" },
		{ "\"pid\":1,\"pid\":1", "duplicate object key" },
		{ "\"pid\":99999999999999999999", "not JSON: " },
	};
	char line[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(strlen(bad[i].keys) + 64 < sizeof(line));
		snprintf(line, sizeof(line),
			 TS "\"event\":\"exec\",%s}",
			 bad[i].keys);
		parse_bad(line, bad[i].why);
	}
	parse_bad(TS "\"event\":\"fork\","
		  "\"pid\":1,\"thread\":1}", "\"thread\" is not a boolean");
	parse_bad(TS "\"event\":\"exit\","
		  "\"pid\":1,\"core\":\"no\"}", "\"core\" is not a boolean");
	parse_bad(TS "\"event\":\"sid\","
		  "\"pid\":1,\"sid\":\"1\"}", "\"sid\" is not an integer");
	parse_bad(TS "\"event\":\"ptrace\","
		  "\"pid\":1,\"attach\":0}", "\"attach\" is not a boolean");
	parse_bad(TS "\"event\":\"reparent\","
		  "\"pid\":1,\"prev_ppid\":\"1\"}", "\"prev_ppid\" is not an");
	parse_bad(TS "\"event\":\"lost\","
		  "\"reason\":5}", "\"reason\" is not a string");
}

static void test_unknown_keys(void **state)
{
	/* Newer versions add keys; older readers go on. */
	parse_ok(TS "\"schema\":2,\"event\":\"exec\","
		 "\"pid\":5,\"future\":{\"a\":[1,{\"b\":null}]},\"x\":1e300,"
		 "\"container\":{\"id\":\"c\",\"image\":\"i\"},"
		 "\"ancestry\":[{\"pid\":1,\"cmd\":\"y\"}]}");
	assert_int_equal(dst.type, SW_EV_EXEC);
	assert_int_equal(dst.pid, 5);
	assert_string_equal(dst.container_id, "c");
	assert_null(dst.container_runtime);
	assert_int_equal(dst.n_ancestry, 1);
	assert_null(dst.ancestry[0].comm);

	/* Another kind's keys mean nothing here; nor process keys off one. */
	parse_ok(TS "\"event\":\"fork\",\"pid\":5,"
		 "\"signal\":9,\"count\":\"x\",\"tracer_pid\":\"y\"}");
	parse_ok(TS "\"event\":\"lost\","
		 "\"pid\":\"z\",\"argv\":1}");
	assert_int_equal(dst.pid, 0);
	assert_null(dst.argv);
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_fork),
		TEST(test_exec),
		TEST(test_exit),
		TEST(test_duration_range),
		TEST(test_id),
		TEST(test_small_kinds),
		TEST(test_anomaly),
		TEST(test_anomaly_net),
		TEST(test_lost_resync),
		TEST(test_start_stop),
		TEST(test_tags),
		TEST(test_ns),
		TEST(test_ts),
		TEST(test_hostile),
		TEST(test_long),
		TEST(test_ancestry),
		TEST(test_not_lines),
		TEST(test_events),
		TEST(test_types),
		TEST(test_unknown_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
