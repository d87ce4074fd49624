/* SPDX-License-Identifier: MIT */
/*
 * A fast writer against its jansson oracle, for test-jsonfast.c and
 * test-ecsfast.c: every line the same bytes, or both refuse it and the
 * writer leaves the buffer as it was.  The events (every kind with every
 * field, every real, every hostile string, thousands at random), the
 * comparison and the bench are the same for both formats; a test file
 * defines, before it includes this one:
 *
 *   FAST_OPS, FAST_REF	the writer and its oracle (struct sw_emitter_ops)
 *   FAST_NAME		the writer's name, as sw_emit_find() takes it
 *   FAST_KINDS		how many event types test_kinds_and_fields() walks
 *   FAST_UNREAD		whether the events say why /proc fields are missing
 *
 * and after it the checks of its own format that the shared tests call:
 * fast_reals_held(), fast_want_start(), fast_want_stop(), fast_want_resync().
 */
#ifndef SW_TEST_FASTCMP_H
#define SW_TEST_FASTCMP_H


#include <errno.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "emit.h"
#include "lineage.h"
#include "procfs.h"
#include "stats.h"

#define KTIME 1700000000123456789ull	/* 2023-11-14T22:13:20.123456789Z */

static struct sw_emit em;
static struct sw_buf ref, fast;
static struct sw_event ev;
static unsigned long n_same, n_refused;

/* The format's own checks, in the test file (fast holds the line). */
static void fast_reals_held(void);
static void fast_want_start(void);
static void fast_want_stop(void);
static void fast_want_resync(void);

/* splitmix64: the same sequence on every run. */
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* Of any magnitude: 0 to 64 random bits. */
static uint64_t rnd_any(void)
{
	unsigned shift = below(64);

	return rnd() >> shift;
}

/* A 53-bit mantissa times 2^[lo, hi). */
static double rnd_real(int lo, int hi)
{
	int e = lo + (int)below((unsigned)(hi - lo));

	return ldexp((double)(rnd() >> 11), e);
}

/* Within +-2^(64 - shift). */
static int64_t rnd_signed(unsigned shift)
{
	int64_t a = (int64_t)(rnd() >> shift);

	return a - (int64_t)(rnd() >> shift);
}

static int setup(void **state)
{
	sw_emit_init(&em, &FAST_OPS, false);
	em.realtime_offset_ns = 0;
	strcpy(em.host, "box");
	memset(&ref, 0, sizeof(ref));
	memset(&fast, 0, sizeof(fast));
	memset(&ev, 0, sizeof(ev));
	ev.ktime_ns = KTIME;
	em.seq = 1;
	rng_state = 42;
	n_same = n_refused = 0;
	return 0;
}

static int teardown(void **state)
{
	sw_emit_fini(&em);
	sw_buf_free(&ref);
	sw_buf_free(&fast);
	return 0;
}

/* A line is one JSON object, '\n' last and nowhere else, no raw control. */
static void assert_json_line(const char *p, size_t len)
{
	json_error_t jerr;
	json_t *o;

	assert_true(len > 2);
	assert_int_equal(p[len - 1], '\n');
	for (size_t i = 0; i + 1 < len; i++)
		if ((unsigned char)p[i] < 0x20)
			fail_msg("raw byte 0x%02x at %zu", (unsigned char)p[i], i);
	o = json_loadb(p, len - 1, 0, &jerr);
	/*
	 * A real within 5e292 of DBL_MAX is written with 15 digits, which
	 * round it beyond: JSON, but more than a double for jansson.
	 */
	if (!o && strstr(jerr.text, "real number overflow"))
		return;
	if (!o)
		fail_msg("bad JSON (%s): %.*s", jerr.text, (int)len, p);
	assert_true(json_is_object(o));
	json_decref(o);
}

/*
 * Formats ev with both, after `pre` bytes already in each buffer (from
 * time to time a new, empty buffer: growth in the middle of a line).
 * Returns 0 when both wrote it, -1 when both refused it.
 */
static int check(void)
{
	static unsigned round;
	size_t pre = (round * 97) % 700;
	int rr, rf;

	if (round++ % 5 == 0) {
		sw_buf_free(&ref);
		sw_buf_free(&fast);
	}
	ref.len = fast.len = 0;
	for (size_t i = 0; i < pre; i++) {
		assert_int_equal(sw_buf_putc(&ref, (char)('a' + i % 26)), 0);
		assert_int_equal(sw_buf_putc(&fast, (char)('a' + i % 26)), 0);
	}
	rr = FAST_REF.format(&em, &ev, &ref);
	rf = FAST_OPS.format(&em, &ev, &fast);
	if (rr < 0 || rf < 0) {
		if (rr >= 0 || rf >= 0)
			fail_msg("type %d: reference %d, writer %d%s%.*s", ev.type,
				 rr, rf, rr >= 0 ? ": " : "",
				 rr >= 0 ? (int)(ref.len - pre) : 0,
				 ref.data + pre);
		/* Nothing appended, the NUL after what was there. */
		assert_int_equal(fast.len, pre);
		if (fast.data)
			assert_int_equal(fast.data[pre], '\0');
		for (size_t i = 0; i < pre; i++)
			assert_int_equal(fast.data[i], (char)('a' + i % 26));
		n_refused++;
		return -1;
	}
	if (ref.len != fast.len || memcmp(ref.data, fast.data, ref.len) != 0) {
		size_t i = 0;

		while (i < ref.len && i < fast.len && ref.data[i] == fast.data[i])
			i++;
		fail_msg("type %d: differ at byte %zu\nreference %.*s"
			 "writer    %.*s", ev.type, i - pre,
			 (int)(ref.len - pre), ref.data + pre,
			 (int)(fast.len - pre), fast.data + pre);
	}
	assert_int_equal(fast.data[fast.len], '\0');
	assert_json_line(fast.data + pre, fast.len - pre);
	n_same++;
	return 0;
}

static void check_ok(void)
{
	if (check() < 0)
		fail_msg("type %d: refused", ev.type);
}

static const struct sw_ancestor family[] = {
	{ 4242, "bash", "/usr/bin/bash" },
	{ 4000, "sshd", "/usr/sbin/sshd" },
	{ 900, "sshd", "/usr/sbin/sshd" },
	{ 1, "systemd", "/usr/lib/systemd/systemd" },
	{ 0, NULL, NULL },
	{ 77, "\xff\x1b[0m", NULL },
	{ -1, NULL, "/\xc0\xaf" },
	{ 2147483647, "kthreadd", "" },
};

/* ev filled as the index c says: each field on, off, or odd. */
static void fill(enum sw_ev_type type, unsigned have, unsigned c)
{
	static const char *const tags[] = { "storm", "exec-from-tmp",
					    "container-escape", "priv" };
	static const char argv[] = "sh\0-c\0echo \"hi\" >/dev/null\0";

	memset(&ev, 0, offsetof(struct sw_event, ancestry));
	ev.type = type;
	ev.ktime_ns = KTIME + (uint64_t)c * 333333333ull;
	ev.pid = 100 + (int)c;
	ev.tid = c % 3 ? ev.pid : ev.pid + 1;
	ev.thread = c & 1;
	ev.have = have;
	ev.ppid = c % 4 ? 1 : -5;
	ev.comm = c % 11 ? "sh" : NULL;
	ev.exe = c % 13 ? "/usr/bin/dash" : NULL;
	ev.cwd = c % 17 ? "/home/u" : NULL;
	ev.argv = c % 19 ? argv : NULL;
	ev.argv_len = c % 7 ? sizeof(argv) - 1 : c % 14 ? 0 : 5;
	ev.uid = c % 5 ? 1000 : 4294967295u;
	ev.euid = 0;
	ev.gid = 100;
	ev.egid = c;
	ev.user = c % 23 ? "alice" : NULL;
	ev.n_ancestry = c % 9;
	for (unsigned i = 0; i < ev.n_ancestry; i++)
		ev.ancestry[i] = family[(i + c) % 8];
	if ((c / 9) % 2) {
		ev.container_id = "0123456789abcdef";
		ev.container_runtime = "docker";
	}
	if ((c / 5) % 3 == 1) {
		/* A peer not as inet_ntop writes it is escaped, never refused. */
		static const char *const peers[] = {
			"192.0.2.4", "2001:db8::ffff:1", "10.0.0.1\xff\x1b[2J\"\\",
		};

		ev.have |= SW_HAVE_NET;
		snprintf(ev.net.peer, sizeof(ev.net.peer), "%s", peers[c % 3]);
		ev.net.port = (uint16_t)(c * 977);
		ev.net.udp = c % 4 == 0;
		ev.net.via = (uint8_t)(c % SW_VIA__MAX);
		ev.net.holder = c % 3 ? (int)c + 7 : 0;
	}
	ev.mntns = c % 6 ? 4026531841ull : UINT64_MAX;
	ev.pidns = 4026531836ull;
	if (FAST_UNREAD)
		for (unsigned i = 0; i < SW_UF__MAX; i++)
			ev.unread[i] = (uint8_t)((c / (29 + i)) % SW_UNREAD__MAX);
	ev.duration_s = (double)c / 7;
	ev.n_tags = (c / 18) % 5;
	for (unsigned i = 0; i < ev.n_tags; i++)
		ev.tags[i] = tags[(i + c) % 4];
	switch (type) {
	case SW_EV_EXIT:
		ev.u.exit.exit_code = c % 4 ? (int)c % 256 : -1;
		ev.u.exit.signal = c % 4 ? 0 : (int)(c % 70);
		ev.u.exit.core = c & 2;
		break;
	case SW_EV_UID:
	case SW_EV_GID:
		ev.u.id.r = 0;
		ev.u.id.e = 0;
		ev.u.id.prev_r = c;
		ev.u.id.prev_e = 4294967295u - c;
		ev.u.id.have_prev = c & 2;
		break;
	case SW_EV_PTRACE:
		ev.u.ptrace.tracer_pid = c % 3 ? (int)c : 0;
		ev.u.ptrace.tracer_comm = c % 5 ? "gdb\n" : NULL;
		ev.u.ptrace.tracer_exe = c % 7 ? "/usr/bin/\x9bgdb" : NULL;
		break;
	case SW_EV_COMM:
		strcpy(ev.u.comm.comm, c % 2 ? "0123456789abcdef" : "x\xfe\x7f");
		strcpy(ev.u.comm.prev, c % 3 ? "old" : "");
		ev.u.comm.have_prev = c & 2;
		break;
	case SW_EV_REPARENT:
		ev.u.reparent.prev_ppid = (int)c - 10;
		break;
	case SW_EV_ANOMALY:
		ev.u.anomaly.tag = "fork-bomb";
		ev.u.anomaly.count = c;
		ev.u.anomaly.threshold = 4294967295u;
		ev.u.anomaly.window_s = c % 3 ? (double)c / 3 : 0;
		ev.u.anomaly.oldest_s = (double)c / 9;
		break;
	case SW_EV_LOST:
		ev.u.lost.count = c % 2 ? -1 : (int64_t)c << 40;
		ev.u.lost.reason = "enobufs";
		break;
	case SW_EV_RESYNC:
		ev.u.resync.added = c;
		break;
	default:
		break;
	}
}

/* Every kind of line with every subset of the have bits. */
static void test_kinds_and_fields(void **state)
{
	unsigned c = 0;

	for (int type = 0; type < FAST_KINDS; type++)
		for (unsigned have = 0; have < (1u << 12); have++) {
			fill((enum sw_ev_type)type, have, c++);
			em.seq = c * 2654435761u;
			check_ok();
		}
	print_message("%lu lines the same\n", n_same);
}

/* Ancestry 0..8 and the table's bound, tags 0..SW_TAGS_MAX. */
static void test_ancestry_tags(void **state)
{
	for (unsigned n = 0; n <= SW_ANCESTRY_MAX; n++) {
		fill(SW_EV_EXEC, 0x3ff, 0);
		ev.n_ancestry = n;
		for (unsigned i = 0; i < n; i++)
			ev.ancestry[i] = family[i % 8];
		ev.n_tags = n % (SW_TAGS_MAX + 1);
		for (unsigned i = 0; i < ev.n_tags; i++)
			ev.tags[i] = i % 2 ? "a" : "b\"\\/\x7f\xc3\xa9";
		check_ok();
	}
}

static void exit_after(double s)
{
	fill(SW_EV_EXIT, SW_HAVE_DURATION, 3);
	ev.duration_s = s;
	check_ok();
}

/* The line for ev holds `want`: what every format writes of a double. */
static void assert_wrote(const char *want)
{
	check_ok();
	fast.data[fast.len - 1] = '\0';
	if (!strstr(fast.data, want))
		fail_msg("no %s in %s", want, fast.data);
}

/*
 * Any double, even one no source gives (a forged 1e300, NaN, a negative
 * age), is held to 0 .. 10^10 s before its cut to an integer: never an
 * undefined conversion, never a number of the wrong sign.
 */
static void test_reals_held(void **state)
{
	static const struct {
		double s;
		const char *us, *ms;
	} v[] = {
		{ 1e300, "10000000000.0", "10000000000.0" },
		{ DBL_MAX, "10000000000.0", "10000000000.0" },
		{ INFINITY, "10000000000.0", "10000000000.0" },
		{ 9.3e12, "10000000000.0", "10000000000.0" },
		{ 1e10, "10000000000.0", "10000000000.0" },
		{ 999999999.999999, "999999999.999999", "999999999.999" },
		{ 9999999999.999999, "10000000000.0", "9999999999.999" },
		{ NAN, "0.0", "0.0" },
		{ -NAN, "0.0", "0.0" },
		{ -INFINITY, "0.0", "0.0" },
		{ -1e300, "0.0", "0.0" },
		{ -1.5, "0.0", "0.0" },
		{ -0.0, "0.0", "0.0" },
		{ 2.5, "2.5", "2.5" },
	};
	char want[64];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		fill(SW_EV_EXIT, SW_HAVE_DURATION, 3);
		ev.duration_s = v[i].s;
		snprintf(want, sizeof(want), "\"duration_s\":%s", v[i].us);
		assert_wrote(want);
		fill(SW_EV_ANOMALY, 0, 1);
		ev.u.anomaly.oldest_s = v[i].s;
		snprintf(want, sizeof(want), "\"oldest_s\":%s", v[i].ms);
		assert_wrote(want);
	}
	fast_reals_held();
}

/* Every magnitude of a lifetime and of an anomaly's ages. */
static void test_reals(void **state)
{
	static const double some[] = {
		0, -0.0, 1e-7, 1e-6, 2e-6, 5e-6, 9e-6, 1e-5, 1.2e-5, 9.9e-5,
		1e-4, 1.23e-4, 0.000999, 0.001, 0.01, 0.1, 0.5, 0.999999, 1,
		1.5, 2, 3, 3.0000001, 1.23456789, 10, 59.999999, 60, 100,
		1e3, 1e5, 1e6, 1e7, 123456789.123456, 999999999.999999,
		999999999.9999999, 1e9, 1234567890.5, 1e10, 99999999.999999,
		1e12, 9e12, 9.2e12, 1e8 + 0.000001, DBL_MIN, DBL_TRUE_MIN,
		0.3, 0.7, 0.1 + 0.2, 4503599627.370496, 4503599627.370497,
	};
	double s;

	for (size_t i = 0; i < sizeof(some) / sizeof(some[0]); i++) {
		exit_after(some[i]);
		exit_after(-some[i]);
		exit_after(some[i] * (1 + DBL_EPSILON));
		exit_after(some[i] * (1 - DBL_EPSILON));
	}
	/* Microseconds of every length, and their neighbours. */
	for (unsigned long long us = 1; us < 10000000000000000000ull / 10;
	     us *= 10)
		for (int d = -2; d <= 2; d++) {
			long long a = (long long)(us + (unsigned long long)d);
			long long b = (long long)(us * 9 + (unsigned long long)d);

			exit_after((double)a / 1e6);
			exit_after(-(double)b / 1e6);
		}
	for (int i = 0; i < 20000; i++) {
		long long us = (long long)rnd_any();

		exit_after((double)us / 1e6);
		{
			uint64_t bits = rnd();

			memcpy(&s, &bits, sizeof(s));
		}
		exit_after(s);
		exit_after(rnd_real(-80, 0));
	}

	/* An anomaly's window is any real but infinity; its age is cut. */
	for (int i = 0; i < 20000; i++) {
		uint64_t bits = rnd();

		fill(SW_EV_ANOMALY, 0, (unsigned)i);
		memcpy(&ev.u.anomaly.window_s, &bits, sizeof(double));
		if (i % 3 == 0)
			ev.u.anomaly.window_s = rnd_real(-70, 30);
		bits = rnd();
		memcpy(&s, &bits, sizeof(s));
		if (i % 2)
			s = rnd_real(-60, 30);
		ev.u.anomaly.oldest_s = s;
		check();
	}
	fill(SW_EV_ANOMALY, 0, 1);
	ev.u.anomaly.window_s = INFINITY;
	assert_int_equal(check(), -1);
	ev.u.anomaly.window_s = NAN;	/* not > 0: no window */
	check_ok();
	ev.u.anomaly.window_s = -INFINITY;
	check_ok();
	ev.u.anomaly.window_s = DBL_MAX;
	check_ok();
	print_message("%lu lines the same\n", n_same);
}

/* s as every string field of a process, as argv and as the host. */
static void hostile_everywhere(const char *s, size_t n)
{
	char argv[1024];

	assert_true(2 * n + 2 <= sizeof(argv));
	fill(SW_EV_EXEC, 0x3ff, 1);
	ev.comm = ev.exe = ev.cwd = ev.user = s;
	ev.container_id = s;
	ev.container_runtime = "docker";
	ev.n_ancestry = 1;
	ev.ancestry[0] = (struct sw_ancestor){ 1, s, s };
	/* s, then s again without a final NUL. */
	memcpy(argv, s, n + 1);
	memcpy(argv + n + 1, s, n);
	ev.argv = argv;
	ev.argv_len = 2 * n + 1;
	check_ok();

	fill(SW_EV_PTRACE, SW_HAVE_COMM, 1);
	ev.u.ptrace.tracer_comm = s;
	ev.u.ptrace.tracer_pid = 1;
	ev.comm = s;
	check_ok();

	if (n <= SW_COMM_LEN) {
		fill(SW_EV_COMM, 0, 2);
		memcpy(ev.u.comm.comm, s, n + 1);
		memcpy(ev.u.comm.prev, s, n + 1);
		check_ok();
	}
	if (n < sizeof(em.host)) {
		memcpy(em.host, s, n + 1);
		fill(SW_EV_FORK, 0, 0);
		check_ok();
		strcpy(em.host, "box");
	}
}

/* Quick: s only as exe, for the many. */
static void hostile_exe(const char *s)
{
	fill(SW_EV_FORK, SW_HAVE_EXE, 3);
	ev.exe = s;
	check_ok();
}

static size_t utf8(unsigned cp, char *d)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xe0 | cp >> 12);
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		d[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | cp >> 18);
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	d[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static void test_hostile(void **state)
{
	static const char *const odd[] = {
		"", "\"", "\\", "/", "\x7f", "\xc0\xaf", "\xc1\xbf",
		"\xe0\x80\xaf", "\xe0\x9f\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf",
		"\xed\xa0\x80", "\xed\xbf\xbf", "\xee\x80\x80", "\xef\xbf\xbf",
		"\xf0\x80\x80\xaf", "\xf0\x8f\xbf\xbf", "\xf0\x90\x80\x80",
		"\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
		"\xf8\x88\x80\x80\x80", "\xfc\x84\x80\x80\x80\x80", "\xfe",
		"\xff", "\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xc3x", "\xe2\x82x",
		"\xf0\x9f\x98x", "\xc2\x80", "\xc2\x9f", "\xc2\xa0", "\xdf\xbf",
		"\xe2\x80\xa8\xe2\x80\xa9", "\xef\xbb\xbf", "\xf0\x9f\x98\x80",
		"\x80", "\xbf", "\x80\x80\x80", "a\xf0\x9f\x98\x80\xff\x80z",
		"\x1b]0;pwned\a", "\x1b[2J\r\n", "\b\f\n\r\t\v\x01\x1f",
		"{\"x\":1}", "</script>", "\\u0000", "\\xff", "%s%n",
	};
	char s[64];
	char big[4 * 64 + 1];

	/* Every byte alone, every pair. */
	for (unsigned a = 1; a < 256; a++) {
		s[0] = (char)a;
		s[1] = '\0';
		hostile_everywhere(s, 1);
		for (unsigned b = 1; b < 256; b++) {
			s[1] = (char)b;
			s[2] = '\0';
			hostile_exe(s);
		}
	}
	/* Every lead byte of a long sequence with any second byte. */
	for (unsigned a = 0xc0; a < 0x100; a++)
		for (unsigned b = 1; b < 256; b++)
			for (unsigned k = 0; k < 4; k++) {
				static const unsigned char tail[] = {
					0x80, 0xbf, 0x41, 0xc0 };

				s[0] = (char)a;
				s[1] = (char)b;
				s[2] = (char)tail[k];
				s[3] = (char)tail[(k + 1) % 4];
				s[4] = (char)tail[(k + 2) % 4];
				s[5] = '\0';
				hostile_exe(s);
			}
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		hostile_everywhere(odd[i], strlen(odd[i]));
	/* Every code point, encoded, 64 at a time; surrogates encoded too. */
	for (unsigned cp = 1; cp < 0x110000; cp += 64) {
		size_t n = 0;

		for (unsigned k = 0; k < 64 && cp + k < 0x110000; k++)
			n += utf8(cp + k, big + n);
		big[n] = '\0';
		hostile_exe(big);
	}
	print_message("%lu lines the same\n", n_same);
}

/* A long command line, for the writers: 32 KiB. */
#define LONG_ARGV 32768

/* argv: empty, only NULs, no final NUL, the longest kept, random bytes. */
static void test_argv(void **state)
{
	static char argv[LONG_ARGV];
	static const struct {
		const char *p;
		size_t n;
	} shapes[] = {
		{ "", 0 }, { "\0", 1 }, { "\0\0", 2 }, { "a", 1 }, { "a\0", 2 },
		{ "a\0\0b", 4 }, { "\0a", 2 }, { "\xff\0\xc3", 3 },
		{ "x\ny\0\"\\\0", 7 },
	};

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		fill(SW_EV_EXEC, SW_HAVE_ARGV, 1);
		ev.argv = shapes[i].p;
		ev.argv_len = shapes[i].n;
		check_ok();
	}
	/* A sequence across the writer's 4096-byte pieces; only escapes. */
	for (size_t at = 4080; at < 4100; at++)
		for (int k = 0; k < 4; k++) {
			static const char *const seq[] = {
				"\xf0\x9f\x98\x80", "\xe2\x82\xac", "\xc3\xa9",
				"\xf0\x9f\x98" };
			size_t n = 2 * at;

			memset(argv, k % 2 ? '\n' : 'a', n);
			memcpy(argv + at, seq[k], strlen(seq[k]));
			memcpy(argv + n - 3, seq[k], strlen(seq[k]) < 3 ?
							 strlen(seq[k]) : 3);
			fill(SW_EV_EXEC, SW_HAVE_ARGV, 1);
			ev.argv = argv;
			ev.argv_len = n;
			check_ok();
		}
	memset(argv, '\x01', LONG_ARGV);
	fill(SW_EV_EXEC, SW_HAVE_ARGV, 1);
	ev.argv = argv;
	ev.argv_len = LONG_ARGV;
	check_ok();
	for (int round = 0; round < 200; round++) {
		size_t n = round < 10 ? LONG_ARGV - (size_t)round
				      : below(LONG_ARGV + 1);
		unsigned mode = below(4);

		for (size_t i = 0; i < n; i++) {
			unsigned r = below(256);

			/* all bytes; mostly text; control bytes; UTF-8 */
			argv[i] = mode == 0 ? (char)r :
				  mode == 1 ? (char)(r < 16 ? 0 : 0x20 + r % 95) :
				  mode == 2 ? (char)(r % 33) :
					      (char)(r < 128 ? 0xc3 : 0x80 + r % 64);
		}
		fill(SW_EV_EXEC, 0x3ff, (unsigned)round);
		ev.argv = argv;
		ev.argv_len = n;
		check_ok();
	}
}

/*
 * A line of more than 4096 bytes ending at every place around the end of
 * the buffer's room: no byte written past it, the NUL included.
 */
static void test_buffer_end(void **state)
{
	static char argv[5000];
	size_t len, cap;

	for (size_t i = 0; i < sizeof(argv); i++)
		argv[i] = i % 50 == 49 ? '\0' : (char)('a' + i % 26);
	fill(SW_EV_EXEC, 0x3ff, 1);
	ev.argv = argv;
	ev.argv_len = sizeof(argv);
	sw_buf_free(&ref);
	assert_int_equal(FAST_REF.format(&em, &ev, &ref), 0);
	len = ref.len;
	sw_buf_free(&ref);
	assert_int_equal(sw_buf_reserve(&ref, 16000), 0);
	cap = ref.cap;
	assert_true(cap > len + 16);
	for (size_t pre = cap - len - 8; pre < cap - len + 8; pre++)
		for (int k = 0; k < 2; k++) {
			const struct sw_emitter_ops *ops =
				k ? &FAST_OPS : &FAST_REF;
			struct sw_buf *b = k ? &fast : &ref;

			sw_buf_free(b);
			assert_int_equal(sw_buf_reserve(b, 16000), 0);
			assert_int_equal(b->cap, cap);
			memset(b->data, '-', pre);
			b->len = pre;
			assert_int_equal(ops->format(&em, &ev, b), 0);
			assert_int_equal(b->len, pre + len);
			assert_int_equal(b->data[b->len], '\0');
			assert_true(b->len < b->cap);
			if (k)
				assert_memory_equal(ref.data, fast.data, ref.len);
		}
}

/* A random string from hostile pieces, or NULL; into buf[256]. */
static const char *random_string(char *buf, bool null_ok)
{
	static const char *const pieces[] = {
		"a", "/usr/bin/", "python3", " ", "\"", "\\", "\n", "\x1b[31m",
		"\xff", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
		"\xed\xa0\x80", "\xc0\xaf", "\x7f", "\t", "/", "{}",
		"\xf4\x90\x80\x80", "\xe0\x80",
	};
	size_t n = 0, k;

	if (null_ok && below(8) == 0)
		return NULL;
	k = below(12);
	while (k--) {
		const char *p = pieces[below(sizeof(pieces) / sizeof(pieces[0]))];
		size_t len = strlen(p);

		if (n + len >= 255)
			break;
		memcpy(buf + n, p, len);
		n += len;
	}
	if (below(4) == 0) {
		k = below(20);
		while (k-- && n < 255) {
			char c = (char)below(256);

			buf[n++] = c ? c : '?';
		}
	}
	buf[n] = '\0';
	return buf;
}

/* Thousands of events with every field random. */
static void random_start(struct sw_start_info *si, char *a, char *b)
{
	si->version = below(20) ? "1.4.2" : random_string(a, true);
	si->kernel = below(3) ? "6.8.0-45-generic" : random_string(b, true);
	si->events = (unsigned)rnd();
	si->threads = rnd() & 1;
	si->nonzero_exit = rnd() & 1;
	si->tracked = (unsigned)rnd();
	si->rcvbuf = (int)rnd();
	si->mntns = below(3) ? rnd() : 0;
	si->pidns = rnd_any();
}

static void random_stats(struct sw_stats *st)
{
	uint64_t *c = (uint64_t *)st;

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < offsetof(struct sw_stats, tracked) / 8; i++)
		c[i] = rnd_any();
	st->tracked = (unsigned)rnd();
	st->peak_tracked = (unsigned)rnd();
	st->zombies = (unsigned)rnd();
	for (unsigned k = below(50); k; k--)
		sw_latency_add(&st->latency, rnd_any());
}

static void test_random(void **state)
{
	static struct sw_start_info si;
	static struct sw_stats st;
	static char strs[64][256];
	static char argv[4096];
	static const char *const tags[] = { "storm", "priv", "ok" };
	double s;

	for (int i = 0; i < 30000; i++) {
		unsigned k = 0;
		uint64_t bits;

		memset(&ev, 0, offsetof(struct sw_event, ancestry));
		/* Now and then one of the run's own lines, or an ack. */
		ev.type = (enum sw_ev_type)(below(8) ? below(SW_EV_LOST + 1) :
					    below(SW_EV__MAX));
		ev.ktime_ns = rnd() >> 2;
		em.realtime_offset_ns = rnd_signed(3);
		em.seq = rnd_any();
		ev.pid = (int)rnd();
		ev.tid = below(3) ? ev.pid : (int)rnd();
		ev.thread = rnd() & 1;
		ev.have = (unsigned)rnd() & 0xfff;
		ev.ppid = (int)rnd();
		ev.comm = random_string(strs[k++], true);
		ev.exe = random_string(strs[k++], true);
		ev.cwd = random_string(strs[k++], true);
		ev.user = random_string(strs[k++], true);
		ev.uid = (uint32_t)rnd();
		ev.euid = (uint32_t)rnd();
		ev.gid = (uint32_t)rnd();
		ev.egid = (uint32_t)rnd();
		ev.argv_len = below(sizeof(argv));
		for (size_t j = 0; j < ev.argv_len; j++)
			argv[j] = (char)(below(5) ? 0x20 + below(95) : below(256));
		ev.argv = below(10) ? argv : NULL;
		ev.n_ancestry = below(10);
		for (unsigned j = 0; j < ev.n_ancestry; j++) {
			ev.ancestry[j].pid = (int)rnd();
			ev.ancestry[j].comm = random_string(strs[k++], true);
			ev.ancestry[j].exe = random_string(strs[k++], true);
		}
		if (below(3) == 0) {
			ev.container_id = random_string(strs[k++], false);
			ev.container_runtime = below(50) ? "podman" : NULL;
		}
		if (below(4) == 0) {
			ev.have |= SW_HAVE_NET;
			snprintf(ev.net.peer, sizeof(ev.net.peer), "%u.%u.%u.%u",
				 below(256), below(256), below(256), below(256));
			ev.net.port = (uint16_t)rnd();
			ev.net.udp = below(2);
			ev.net.via = (uint8_t)below(SW_VIA__MAX);
			ev.net.holder = below(2) ? (int)(rnd() & 0x7fffffff) : 0;
		}
		ev.mntns = rnd();
		ev.pidns = rnd();
		if (FAST_UNREAD)
			for (unsigned j = 0; j < SW_UF__MAX; j++)
				ev.unread[j] = (uint8_t)(below(3) ? 0 :
							 below(SW_UNREAD__MAX));
		/* Cuts marked now and then: the marks are the same bytes too. */
		if (below(4) == 0) {
			ev.cut = (unsigned)rnd() & (SW_HAVE_COMM | SW_HAVE_EXE |
						    SW_HAVE_CWD | SW_HAVE_ARGV);
			ev.argv_size = below(2) ? (size_t)rnd_any() >> 1 : 0;
			ev.ancestry_cut = rnd() & 1;
			ev.ancestry_exe_cut = rnd();
		}
		bits = rnd();
		memcpy(&s, &bits, sizeof(s));
		if (below(2))
			s = (double)(long long)rnd_any() / 1e6;
		ev.duration_s = s;
		ev.n_tags = below(SW_TAGS_MAX + 1);
		for (unsigned j = 0; j < ev.n_tags; j++)
			ev.tags[j] = below(100) ? tags[below(3)] : NULL;
		switch (ev.type) {
		case SW_EV_EXIT:
			ev.u.exit.exit_code = (int)rnd();
			ev.u.exit.signal = below(2) ? 0 : (int)below(80) - 5;
			ev.u.exit.core = rnd() & 1;
			break;
		case SW_EV_UID:
		case SW_EV_GID:
			ev.u.id.prev_r = (uint32_t)rnd();
			ev.u.id.prev_e = (uint32_t)rnd();
			ev.u.id.have_prev = rnd() & 1;
			break;
		case SW_EV_PTRACE:
			ev.u.ptrace.tracer_pid = below(2) ? (int)rnd() : 0;
			ev.u.ptrace.tracer_comm = random_string(strs[k++], true);
			ev.u.ptrace.tracer_exe = below(2) ?
				random_string(strs[k++], true) : NULL;
			break;
		case SW_EV_COMM:
			snprintf(ev.u.comm.comm, sizeof(ev.u.comm.comm), "%s",
				 random_string(strs[k++], false));
			snprintf(ev.u.comm.prev, sizeof(ev.u.comm.prev), "%s",
				 random_string(strs[k++], false));
			ev.u.comm.have_prev = rnd() & 1;
			break;
		case SW_EV_REPARENT:
			ev.u.reparent.prev_ppid = (int)rnd();
			break;
		case SW_EV_ANOMALY:
			ev.u.anomaly.tag = below(50) ? "bomb" : NULL;
			ev.u.anomaly.count = (unsigned)rnd();
			ev.u.anomaly.threshold = (unsigned)rnd();
			ev.u.anomaly.window_s = (double)(rnd() >> 40) / 1e3;
			ev.u.anomaly.oldest_s = (double)rnd_any() / 1e9;
			break;
		case SW_EV_LOST:
			ev.u.lost.count = below(2) ? -1 : (int64_t)(rnd() >> 1);
			ev.u.lost.reason = below(50) ? "seq_gap" : NULL;
			break;
		case SW_EV_RESYNC:
			ev.u.resync.added = (unsigned)rnd_any();
			ev.u.resync.removed = (unsigned)rnd_any();
			ev.u.resync.reparented = (unsigned)rnd_any();
			ev.u.resync.tracked = (unsigned)rnd();
			break;
		case SW_EV_START:
			random_start(&si, strs[k], strs[k + 1]);
			k += 2;
			ev.start = below(10) ? &si : NULL;
			break;
		case SW_EV_STOP:
			random_stats(&st);
			ev.stats = below(10) ? &st : NULL;
			break;
		default:
			break;
		}
		assert_true(k <= 64);
		check();
	}
	print_message("%lu lines the same, %lu refused by both\n", n_same,
		      n_refused);
}

/* What jansson cannot take fails the line, and nothing is left of it. */
static void test_refused(void **state)
{
	fill(SW_EV_EXEC, 0x3ff, 9);
	ev.container_runtime = NULL;
	assert_int_equal(check(), -1);
	ev.container_runtime = "d\xff";
	assert_int_equal(check(), -1);

	fill(SW_EV_FORK, 0, 18);
	assert_true(ev.n_tags > 0);
	ev.tags[ev.n_tags - 1] = NULL;
	assert_int_equal(check(), -1);
	ev.tags[ev.n_tags - 1] = "\xc0\xaf";
	assert_int_equal(check(), -1);
	ev.tags[ev.n_tags - 1] = "\xc3\xa9\n";	/* valid: escaped */
	check_ok();

	fill(SW_EV_ANOMALY, 0, 1);
	ev.u.anomaly.tag = NULL;
	assert_int_equal(check(), -1);
	ev.u.anomaly.tag = "\xed\xa0\x80";
	assert_int_equal(check(), -1);

	fill(SW_EV_LOST, 0, 1);
	ev.u.lost.reason = NULL;
	assert_int_equal(check(), -1);

	/* Through sw_emit_event: no line, no seq. */
	em.seq = 7;
	fast.len = 0;
	assert_true(sw_emit_event(&em, &ev, &fast) < 0);
	assert_int_equal(em.seq, 7);
	assert_int_equal(fast.len, 0);
}

/* A start line with every field, and with each one off or odd. */
static void test_start(void **state)
{
	struct sw_start_info si = {
		.version = "1.4.2",
		.kernel = "6.8.0-45-generic",
		.events = SW_EVMASK_ALL,
		.threads = true,
		.nonzero_exit = true,
		.tracked = 4294967295u,
		.rcvbuf = 67108864,
		.mntns = 4026531841ull,
		.pidns = UINT64_MAX,
	};

	fill(SW_EV_START, 0, 1);
	ev.start = &si;
	check_ok();
	fast_want_start();
	for (unsigned m = 0; m < 2 * SW_EVMASK_ALL + 2; m += 7) {
		si.events = m;
		si.threads = m & 1;
		si.nonzero_exit = m & 2;
		si.mntns = m & 4 ? 0 : m;
		si.rcvbuf = (int)m - 500;
		ev.n_tags = m % 3;
		ev.tags[0] = "storm";
		ev.tags[1] = "priv";
		check_ok();
	}
	si.kernel = "6.1 \"quoted\" \\ \xc3\xa9\t";	/* escaped, valid UTF-8 */
	check_ok();
	si.kernel = "6.1-\xff";
	assert_int_equal(check(), -1);
	si.kernel = NULL;
	assert_int_equal(check(), -1);
	si.kernel = "6.1";
	si.version = NULL;
	assert_int_equal(check(), -1);
	/* Without its info: the common keys only. */
	ev.start = NULL;
	check_ok();
}

/* A stop line with every counter set, to the largest too. */
static void test_stop(void **state)
{
	struct sw_stats st;
	uint64_t *c = (uint64_t *)&st;

	for (int round = 0; round < 200; round++) {
		memset(&st, 0, sizeof(st));
		for (size_t i = 0; i < offsetof(struct sw_stats, tracked) / 8; i++)
			c[i] = round == 0 ? i + 1 : round == 1 ? UINT64_MAX :
								rnd_any();
		st.tracked = round ? (unsigned)rnd() : 70000;
		st.peak_tracked = round ? (unsigned)rnd() : 4294967295u;
		st.zombies = round ? (unsigned)rnd() : 3;
		for (int k = 0; k < (round ? (int)below(2000) : 100); k++)
			sw_latency_add(&st.latency, round ? rnd_any() : (uint64_t)k * 37);
		if (round == 1)
			st.latency.max_us = UINT64_MAX;
		fill(SW_EV_STOP, 0, (unsigned)round);
		ev.stats = &st;
		check_ok();
		if (round == 0) {
			fast_want_stop();
			assert_non_null(strstr(fast.data, "\"lost_by\":{\"enobufs\":"));
			assert_non_null(strstr(fast.data, "\"rejected_by\":{\""));
			assert_non_null(strstr(fast.data, ",\"peak_tracked\":4294967295,"
					       "\"zombies\":3,"));
			assert_non_null(strstr(fast.data, ",\"latency_us\":{\"n\":100,"));
		}
	}
	ev.stats = NULL;
	check_ok();
}

/* A resync's figures, after the tags. */
static void test_resync(void **state)
{
	for (unsigned c = 0; c < 500; c++) {
		fill(SW_EV_RESYNC, (unsigned)rnd() & 0xfff, c);
		ev.u.resync.added = (unsigned)rnd_any();
		ev.u.resync.removed = c % 5 ? (unsigned)rnd() : 0;
		ev.u.resync.reparented = (unsigned)rnd_any();
		ev.u.resync.tracked = c ? (unsigned)rnd() : 4294967295u;
		check_ok();
	}
	fill(SW_EV_RESYNC, 0, 0);
	ev.u.resync.added = 3;
	ev.u.resync.tracked = 120;
	check_ok();
	fast_want_resync();
}

static void test_ts(void **state)
{
	char a[SW_EMIT_TS_MAX], b[SW_EMIT_TS_MAX];
	uint64_t t = KTIME;

	for (int i = 0; i < 100000; i++) {
		size_t n;

		if (i % 1000 == 0)
			em.realtime_offset_ns = rnd_signed(2);
		/* Mostly forward by little, sometimes a jump back or far. */
		t += below(10) ? rnd() % 300000000 : 0;
		if (below(50) == 0)
			t = rnd() >> 2;
		sw_emit_ts(&em, t, a, sizeof(a));
		n = sw_emit_ts_cached(&em, t, b);
		assert_string_equal(a, b);
		assert_int_equal(n, strlen(a));
	}
}

static void test_find(void **state)
{
	assert_ptr_equal(sw_emit_find(FAST_NAME), &FAST_OPS);
	assert_null(sw_emit_find(FAST_NAME "-ref"));
}

/*
 * A process-exec storm: fork, exec, exit of a shell's children with a
 * real command line and a full ancestry.
 */
static __attribute__((noinline)) void bench_loop(const struct sw_emitter_ops *ops,
						 long n)
{
	static const char argv[] =
		"/usr/bin/python3\0-m\0pip\0install\0--upgrade\0requests==2.31.0\0";
	static const struct sw_ancestor anc[8] = {
		{ 4242, "bash", "/usr/bin/bash" },
		{ 4200, "tmux: server", "/usr/bin/tmux" },
		{ 4100, "sshd", "/usr/sbin/sshd" },
		{ 900, "sshd", "/usr/sbin/sshd" },
		{ 1, "systemd", "/usr/lib/systemd/systemd" },
		{ 4243, "make", "/usr/bin/make" },
		{ 4244, "sh", "/usr/bin/dash" },
		{ 4245, "cc", "/usr/bin/x86_64-linux-gnu-gcc-12" },
	};

	memset(&ev, 0, sizeof(ev));
	ev.have = SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_EXE | SW_HAVE_CWD |
		  SW_HAVE_ARGV | SW_HAVE_CREDS;
	ev.ppid = 4242;
	ev.comm = "python3";
	ev.exe = "/usr/bin/python3.11";
	ev.cwd = "/home/alice/src/project";
	ev.argv = argv;
	ev.argv_len = sizeof(argv) - 1;
	ev.uid = ev.euid = 1000;
	ev.gid = ev.egid = 1000;
	ev.user = "alice";
	memcpy(ev.ancestry, anc, sizeof(anc));
	ev.n_ancestry = 8;
	for (long i = 0; i < n; i++) {
		ev.type = i % 3 == 0 ? SW_EV_FORK : i % 3 == 1 ? SW_EV_EXEC :
								 SW_EV_EXIT;
		ev.pid = ev.tid = 10000 + (int)(i / 3);
		ev.ktime_ns = KTIME + (uint64_t)i * 20000;
		if (ev.type == SW_EV_EXIT) {
			ev.have |= SW_HAVE_DURATION;
			ev.duration_s = 0.0123456789 + (double)(i % 1000) / 1e4;
		} else {
			ev.have &= ~SW_HAVE_DURATION;
		}
		em.seq++;
		if (ops->format(&em, &ev, &fast) < 0)
			abort();
		/* The output's flush. */
		if (fast.len > 60000)
			fast.len = 0;
	}
}

static int bench(const char *which, long n)
{
	const struct sw_emitter_ops *ops = strcmp(which, "ref") == 0 ?
						   &FAST_REF :
						   &FAST_OPS;

	struct timespec t0, t1;

	setup(NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bench_loop(ops, n);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s: %ld lines in %.3f s, last %zu bytes\n", ops->name, n,
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       fast.len);
	teardown(NULL);
	return 0;
}

/*
 * main(): the shared cases, then the format's own (each T(test_x)); with
 * --bench ref|fast N, the bench instead.
 */
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define FAST_MAIN(...)							\
	int main(int argc, char **argv)					\
	{								\
		const struct CMUnitTest tests[] = {			\
			T(test_kinds_and_fields), T(test_ancestry_tags),	\
			T(test_reals_held), T(test_reals), T(test_hostile), \
			T(test_argv), T(test_buffer_end), T(test_random),	\
			T(test_refused), T(test_start), T(test_stop),	\
			T(test_resync), T(test_ts), T(test_find),	\
			__VA_ARGS__					\
		};							\
									\
		if (argc == 4 && strcmp(argv[1], "--bench") == 0)	\
			return bench(argv[2], atol(argv[3]));		\
		return cmocka_run_group_tests(tests, NULL, NULL);	\
	}

#endif
