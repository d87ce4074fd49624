/* SPDX-License-Identifier: MIT */
/*
 * --syslog: the RFC 5424 header for each severity, octet-counting framing,
 * the truncation rule, address parsing, the options, and the transport
 * over real local sockets (unix datagram and stream, UDP, TCP).
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "emit.h"
#include "opts.h"
#include "sink.h"
#include "sink_syslog.h"
#include "syslog_conn.h"
#include "events.h"

#define TS "2023-11-14T22:13:20.123456Z"

static struct sw_emit em;
static struct sw_buf line, msg;
static struct sw_event ev;

static int setup(void **state)
{
	test_emit_event(&em, &ev);
	memset(&line, 0, sizeof(line));
	memset(&msg, 0, sizeof(msg));
	return 0;
}

static int teardown(void **state)
{
	sw_emit_fini(&em);
	sw_buf_free(&line);
	sw_buf_free(&msg);
	return 0;
}

static void header_is(const char *want)
{
	msg.len = 0;
	assert_int_equal(sw_syslog_header(&msg, &em, &ev, 777), 0);
	assert_string_equal(msg.data, want);
}

/* facility daemon (3): PRI = 24 + severity. */
static void test_header_severity(void **state)
{
	ev.type = SW_EV_EXEC;
	header_is("<30>1 " TS " box spawnwatch 777 exec - ");
	ev.tags[0] = "exec-from-tmp";
	ev.n_tags = 1;
	header_is("<29>1 " TS " box spawnwatch 777 exec - ");
	ev.type = SW_EV_ANOMALY;	/* tagged too: anomaly wins */
	header_is("<28>1 " TS " box spawnwatch 777 anomaly - ");
	ev.n_tags = 0;
	ev.type = SW_EV_LOST;
	header_is("<27>1 " TS " box spawnwatch 777 lost - ");
	ev.type = SW_EV_START;
	header_is("<30>1 " TS " box spawnwatch 777 start - ");
	ev.type = SW_EV_STOP;
	header_is("<30>1 " TS " box spawnwatch 777 stop - ");
	ev.type = SW_EV_COREDUMP;
	header_is("<30>1 " TS " box spawnwatch 777 coredump - ");
}

static void test_header_host(void **state)
{
	ev.type = SW_EV_FORK;
	strcpy(em.host, "b o\tx\xc3\xa9");	/* no space, ASCII only */
	header_is("<30>1 " TS " b_o_x__ spawnwatch 777 fork - ");
	em.host[0] = '\0';
	header_is("<30>1 " TS " - spawnwatch 777 fork - ");
	/* Microseconds are cut, not rounded: .999999 stays in its second. */
	strcpy(em.host, "box");
	ev.ktime_ns = 1700000000999999999ull;
	header_is("<30>1 2023-11-14T22:13:20.999999Z box spawnwatch 777 fork - ");
}

static void test_frame(void **state)
{
	assert_int_equal(sw_syslog_frame(&msg, "hello", 5), 0);
	assert_string_equal(msg.data, "5 hello");
	msg.len = 0;
	assert_int_equal(sw_syslog_frame(&msg, "", 0), 0);
	assert_string_equal(msg.data, "0 ");
	msg.len = 0;
	/* LEN counts octets, not characters. */
	assert_int_equal(sw_syslog_frame(&msg, "caf\xc3\xa9 x", 7), 0);
	assert_string_equal(msg.data, "7 caf\xc3\xa9 x");
}

/* Emits ev and builds its message within max; returns what it returned. */
static int message(size_t max)
{
	line.len = 0;
	msg.len = 0;
	assert_int_equal(sw_emit_event(&em, &ev, &line), 0);
	return sw_syslog_message(&msg, &em, &ev, line.data, line.len, 777, max);
}

/* MSG of the message in msg, parsed; the header checked. */
static json_t *msg_json(const char *msgid)
{
	char want[128];
	const char *body;
	json_error_t jerr;
	json_t *o;

	snprintf(want, sizeof(want), " box spawnwatch 777 %s - {", msgid);
	body = strstr(msg.data, want);
	assert_non_null(body);
	body = strchr(body, '{');
	assert_null(memchr(msg.data, '\n', msg.len));
	o = json_loadb(body, msg.len - (size_t)(body - msg.data), 0, &jerr);
	if (!o)
		fail_msg("bad JSON (%s): %s", jerr.text, body);
	return o;
}

static void test_message_whole(void **state)
{
	static const char argv[] = "ls\0-l\0/tmp";
	json_t *o;

	ev.type = SW_EV_EXEC;
	ev.have = SW_HAVE_ARGV | SW_HAVE_EXE;
	ev.exe = "/bin/ls";
	ev.argv = argv;
	ev.argv_len = sizeof(argv);
	assert_int_equal(message(SW_SYSLOG_MAX), 0);
	/* The line as emitted, its '\n' dropped, after the header. */
	assert_int_equal(msg.len, strlen("<30>1 " TS " box spawnwatch 777 exec - ") +
				  line.len - 1);
	assert_memory_equal(msg.data + msg.len - (line.len - 1), line.data,
			    line.len - 1);
	o = msg_json("exec");
	assert_null(json_object_get(o, "truncated"));
	assert_int_equal(json_array_size(json_object_get(o, "argv")), 3);
	json_decref(o);
}

/* A big argv: cut from the end to fit, the rest kept, marked truncated. */
static void test_truncate_argv(void **state)
{
	enum { N = 200, EACH = 1000 };
	char *argv = malloc(N * (EACH + 1));
	json_t *o, *a;
	size_t i;

	assert_non_null(argv);
	for (i = 0; i < N; i++) {
		memset(argv + i * (EACH + 1), 'a' + (int)(i % 26), EACH);
		argv[i * (EACH + 1) + EACH] = '\0';
	}
	ev.type = SW_EV_EXEC;
	ev.have = SW_HAVE_ARGV | SW_HAVE_EXE | SW_HAVE_CWD;
	ev.exe = "/bin/big";
	ev.cwd = "/";
	ev.argv = argv;
	ev.argv_len = N * (EACH + 1);
	ev.ancestry[0] = (struct sw_ancestor){ 1, "init", "/sbin/init" };
	ev.n_ancestry = 1;
	assert_int_equal(message(SW_SYSLOG_MAX), 1);
	assert_true(msg.len <= SW_SYSLOG_MAX);
	assert_true(msg.len > SW_SYSLOG_MAX - EACH);	/* as much as fits */
	o = msg_json("exec");
	assert_true(json_is_true(json_object_get(o, "truncated")));
	assert_int_equal(json_integer_value(json_object_get(o, "seq")), (json_int_t)em.seq);
	a = json_object_get(o, "argv");
	assert_true(json_array_size(a) > 50 && json_array_size(a) < N);
	for (i = 0; i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));

		/* Whole elements, the last one maybe cut short. */
		assert_memory_equal(s, argv + i * (EACH + 1), strlen(s));
		if (i + 1 < json_array_size(a))
			assert_int_equal(strlen(s), EACH);
	}
	/* Everything else is still there. */
	assert_string_equal(json_string_value(json_object_get(o, "exe")), "/bin/big");
	assert_string_equal(json_string_value(json_object_get(o, "cwd")), "/");
	assert_int_equal(json_array_size(json_object_get(o, "ancestry")), 1);
	/* The caller's event is as it was. */
	assert_int_equal(ev.argv_len, N * (EACH + 1));
	json_decref(o);
	free(argv);
}

/* A cut never splits a UTF-8 character: no \xNN appears from the cut. */
static void test_truncate_utf8(void **state)
{
	enum { N = 30000 };
	char *argv = malloc(3 * N + 8);
	const char *last;
	json_t *o, *a;

	assert_non_null(argv);
	memcpy(argv, "echo", 5);
	for (size_t i = 0; i < N; i++)
		memcpy(argv + 5 + 3 * i, "\xe2\x82\xac", 3);	/* € */
	ev.type = SW_EV_EXEC;
	ev.have = SW_HAVE_ARGV;
	ev.argv = argv;
	ev.argv_len = 5 + 3 * N;
	for (size_t max = 3000; max < 3010; max++) {
		assert_int_equal(message(max), 1);
		assert_true(msg.len <= max);
		o = msg_json("exec");
		a = json_object_get(o, "argv");
		assert_int_equal(json_array_size(a), 2);
		last = json_string_value(json_array_get(a, 1));
		assert_non_null(last);
		assert_null(strstr(last, "\\x"));
		assert_int_equal(strlen(last) % 3, 0);
		json_decref(o);
	}
	free(argv);
}

/* With no room even for argv[0]: fewer ancestors, then no cwd, no exe. */
static void test_truncate_order(void **state)
{
	static const char argv[] = "prog\0arg";
	static char exe[700], cwd[700];
	json_t *o;
	size_t base;

	memset(exe, 'e', sizeof(exe) - 1);
	exe[0] = '/';
	memset(cwd, 'c', sizeof(cwd) - 1);
	cwd[0] = '/';
	ev.type = SW_EV_EXEC;
	ev.have = SW_HAVE_ARGV | SW_HAVE_EXE | SW_HAVE_CWD;
	ev.exe = exe;
	ev.cwd = cwd;
	ev.argv = argv;
	ev.argv_len = sizeof(argv);
	for (unsigned i = 0; i < 8; i++)
		ev.ancestry[i] = (struct sw_ancestor){ (int)i + 1, "sh", exe };
	ev.n_ancestry = 8;
	assert_int_equal(message(SW_SYSLOG_MAX), 0);
	base = msg.len;

	/* Room for about 3 ancestors: argv goes first, all of it. */
	assert_int_equal(message(base - 5 * 720), 1);
	o = msg_json("exec");
	assert_int_equal(json_array_size(json_object_get(o, "argv")), 0);
	assert_true(json_array_size(json_object_get(o, "ancestry")) < 8);
	assert_true(json_array_size(json_object_get(o, "ancestry")) > 0);
	assert_non_null(json_object_get(o, "cwd"));
	json_decref(o);

	/* Room for exe alone: no ancestors, no cwd. */
	assert_int_equal(message(1300), 1);
	o = msg_json("exec");
	assert_null(json_object_get(o, "ancestry"));
	assert_null(json_object_get(o, "cwd"));
	assert_non_null(json_object_get(o, "exe"));
	json_decref(o);

	/* Room for neither. */
	assert_int_equal(message(500), 1);
	o = msg_json("exec");
	assert_null(json_object_get(o, "exe"));
	assert_true(json_is_true(json_object_get(o, "truncated")));
	assert_true(msg.len <= 500);
	json_decref(o);

	/* Nothing left to cut: not sent at all, never split. */
	assert_int_equal(message(100), -EMSGSIZE);
	assert_int_equal(msg.len, 0);
}

/* ECS documents are cut the same way and stay one JSON object. */
static void test_truncate_ecs(void **state)
{
	static char argv[40000];
	json_t *o;

	memset(argv, 'x', sizeof(argv));
	argv[3] = '\0';
	em.ops = &sw_emit_ecs_ops;
	ev.type = SW_EV_EXEC;
	ev.have = SW_HAVE_ARGV;
	ev.argv = argv;
	ev.argv_len = sizeof(argv);
	assert_int_equal(message(20000), 1);
	assert_true(msg.len <= 20000);
	o = msg_json("exec");
	assert_true(json_is_true(json_object_get(o, "truncated")));
	assert_non_null(json_object_get(o, "process"));
	json_decref(o);
}

static void addr_ok(const char *s, enum sw_syslog_kind kind, const char *a,
		    const char *port)
{
	struct sw_syslog_addr ad;
	char err[256] = "";

	if (sw_syslog_parse_addr(s, &ad, err, sizeof(err)) != 0)
		fail_msg("%s: %s", s, err);
	assert_int_equal(ad.kind, kind);
	if (kind == SW_SYSLOG_UNIX) {
		assert_string_equal(ad.path, a);
	} else {
		assert_string_equal(ad.host, a);
		assert_string_equal(ad.port, port);
	}
}

static void addr_bad(const char *s, const char *why)
{
	struct sw_syslog_addr ad;
	char err[256] = "";

	assert_int_equal(sw_syslog_parse_addr(s, &ad, err, sizeof(err)), -EINVAL);
	if (!strstr(err, why) || !strstr(err, "--syslog"))
		fail_msg("%s: message '%s' lacks '%s'", s, err, why);
}

static void test_addr(void **state)
{
	addr_ok(NULL, SW_SYSLOG_UNIX, "/dev/log", NULL);
	addr_ok("/dev/log", SW_SYSLOG_UNIX, "/dev/log", NULL);
	addr_ok("/run/systemd/journal/syslog", SW_SYSLOG_UNIX,
		"/run/systemd/journal/syslog", NULL);
	addr_ok("unix:///tmp/s", SW_SYSLOG_UNIX, "/tmp/s", NULL);
	addr_ok("udp://127.0.0.1:514", SW_SYSLOG_UDP, "127.0.0.1", "514");
	addr_ok("udp://loghost", SW_SYSLOG_UDP, "loghost", "514");
	addr_ok("tcp://log.example.com:6514", SW_SYSLOG_TCP, "log.example.com", "6514");
	addr_ok("tcp://[::1]:514", SW_SYSLOG_TCP, "::1", "514");
	addr_ok("udp://[fe80::1:2]", SW_SYSLOG_UDP, "fe80::1:2", "514");
	addr_ok("udp://h:65535", SW_SYSLOG_UDP, "h", "65535");
	addr_ok("udp://h:00514", SW_SYSLOG_UDP, "h", "514");

	addr_bad("", "a socket path such as /dev/log");
	addr_bad("syslog.example.com", "udp://HOST:PORT");
	addr_bad("http://h:1", "tcp://HOST:PORT");
	addr_bad("dev/log", "socket path");
	addr_bad("unix://dev/log", "absolute");
	addr_bad("/tmp/0123456789012345678901234567890123456789012345678901234567890123456789"
		 "0123456789012345678901234567890123456789", "longer than 107");
	addr_bad("udp://", "no host");
	addr_bad("udp://:514", "no host");
	addr_bad("tcp://h:", "no port");
	addr_bad("tcp://h:0", "port '0'");
	addr_bad("tcp://h:65536", "port '65536'");
	addr_bad("tcp://h:99999999999999999999", "port");
	addr_bad("tcp://h:51x", "port '51x'");
	addr_bad("tcp://h:-1", "port '-1'");
	addr_bad("udp://::1:514", "in brackets");
	addr_bad("udp://[::1", "no ']'");
	addr_bad("udp://[]:514", "no IPv6 address");
	addr_bad("udp://[not-v6]:514", "not an IPv6 address");
	addr_bad("udp://[::1]514", "':PORT'");
	addr_bad("udp://h/x:514", "not a host name");
	addr_bad("udp://user@h:514", "not a host name");
}

/* Options point into argv: kept in static storage, as a real argv lives. */
static int parse(struct sw_opts *o, char *err, size_t errlen, ...)
{
	static char storage[16][64];
	char *argv[17];
	const char *a = "spawnwatch";
	int argc = 0;
	va_list ap;

	va_start(ap, errlen);
	for (; a && argc < 16; a = va_arg(ap, const char *)) {
		snprintf(storage[argc], sizeof(storage[argc]), "%s", a);
		argv[argc] = storage[argc];
		argc++;
	}
	va_end(ap);
	argv[argc] = NULL;
	return sw_opts_parse(argc, argv, o, err, errlen);
}

static void test_opts(void **state)
{
	struct sw_opts o;
	char err[256];

	assert_int_equal(parse(&o, err, sizeof(err), "--syslog", NULL), 0);
	assert_string_equal(o.syslog, "/dev/log");
	assert_string_equal(o.format, "json");	/* never text */
	assert_int_equal(parse(&o, err, sizeof(err), "--format", "ecs",
			       "--syslog=tcp://[::1]:514", NULL), 0);
	assert_string_equal(o.syslog, "tcp://[::1]:514");
	assert_string_equal(o.format, "ecs");
	assert_int_equal(parse(&o, err, sizeof(err), "replay", "--syslog=udp://h:1",
			       "x.json", NULL), 0);
	assert_int_equal(parse(&o, err, sizeof(err), "--syslog=udp://h:0", NULL), -EINVAL);
	assert_non_null(strstr(err, "port '0'"));
	assert_int_equal(parse(&o, err, sizeof(err), "--syslog", "-o", "f", NULL), -EINVAL);
	assert_non_null(strstr(err, "give one"));
	assert_int_equal(parse(&o, err, sizeof(err), "forest", "--syslog", NULL), -EINVAL);
	assert_non_null(strstr(err, "forest"));
#ifdef HAVE_LIBSYSTEMD
	assert_int_equal(parse(&o, err, sizeof(err), "--journal", NULL), 0);
	assert_true(o.journal);
	assert_string_equal(o.format, "json");
	assert_int_equal(parse(&o, err, sizeof(err), "--journal", "--syslog", NULL),
			 -EINVAL);
#else
	assert_int_equal(parse(&o, err, sizeof(err), "--journal", NULL), -EINVAL);
	assert_non_null(strstr(err, "built without journal support"));
#endif
	assert_non_null(strstr(sw_opts_usage, "--syslog"));
	assert_non_null(strstr(sw_opts_usage, "--journal"));
}

/* --- the transport, over real sockets ------------------------------- */

static char dir[] = "/tmp/sw-syslog-test.XXXXXX";

static struct sw_syslog_conn *open_conn(const char *addr)
{
	struct sw_syslog_addr a;
	struct sw_syslog_conn *c;
	char err[256];

	assert_int_equal(sw_syslog_parse_addr(addr, &a, err, sizeof(err)), 0);
	if (sw_syslog_conn_open(&c, &a, false, err, sizeof(err)) < 0)
		fail_msg("%s: %s", addr, err);
	return c;
}

static int unix_server(int type, char *path, size_t size)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, type, 0);

	assert_true(fd >= 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/log%d", dir, type);
	snprintf(path, size, "%s", sun.sun_path);
	unlink(sun.sun_path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(fd, 4), 0);
	return fd;
}

static int inet_server(int type, int *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, type, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(fd, 4), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* Reads what a stream peer sent until want bytes came (or 2 s passed). */
static size_t read_stream(int fd, char *buf, size_t want)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;

	while (got < want && poll(&pfd, 1, 2000) == 1) {
		ssize_t n = read(fd, buf + got, want - got);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

static void test_unix_dgram(void **state)
{
	char path[128], buf[256];
	int srv = unix_server(SOCK_DGRAM, path, sizeof(path));
	struct sw_syslog_conn *c = open_conn(path);
	uint64_t lost = 0;
	bool unknown = false;
	ssize_t n;

	assert_false(sw_syslog_conn_stream(c));
	sw_syslog_conn_send(c, "<30>1 one", 9);
	sw_syslog_conn_send(c, "<30>1 two", 9);
	n = recv(srv, buf, sizeof(buf), MSG_DONTWAIT);
	assert_int_equal(n, 9);
	assert_memory_equal(buf, "<30>1 one", 9);
	n = recv(srv, buf, sizeof(buf), MSG_DONTWAIT);
	assert_int_equal(n, 9);
	assert_memory_equal(buf, "<30>1 two", 9);
	assert_true(sw_syslog_conn_ready(c));
	sw_syslog_conn_take_lost(c, &lost, &unknown);
	assert_int_equal(lost, 0);
	assert_int_equal(sw_syslog_conn_close(c, 100), 0);
	close(srv);
}

/* A stream socket where a datagram one was expected: as syslog(3), NUL. */
static void test_unix_stream(void **state)
{
	char path[128], buf[64];
	int srv = unix_server(SOCK_STREAM, path, sizeof(path)), peer;
	struct sw_syslog_conn *c = open_conn(path);

	assert_true(sw_syslog_conn_stream(c));
	peer = accept(srv, NULL, NULL);
	assert_true(peer >= 0);
	sw_syslog_conn_send(c, "<30>1 one", 9);
	sw_syslog_conn_send(c, "<30>1 two", 9);
	assert_true(sw_syslog_conn_pending(c) >= 20);
	sw_syslog_conn_flush(c);
	assert_int_equal(read_stream(peer, buf, 20), 20);
	assert_memory_equal(buf, "<30>1 one\0<30>1 two\0", 20);
	assert_int_equal(sw_syslog_conn_close(c, 500), 0);
	close(peer);
	close(srv);
}

static void test_udp(void **state)
{
	char addr[64], buf[64];
	int port, srv = inet_server(SOCK_DGRAM, &port);
	struct sw_syslog_conn *c;
	uint64_t lost = 0;
	bool unknown = false;

	snprintf(addr, sizeof(addr), "udp://127.0.0.1:%d", port);
	c = open_conn(addr);
	sw_syslog_conn_send(c, "<30>1 udp", 9);
	assert_int_equal(recv(srv, buf, sizeof(buf), 0), 9);
	assert_memory_equal(buf, "<30>1 udp", 9);
	/* Nobody listens: the refusals say some were lost, not how many. */
	close(srv);
	for (int i = 0; i < 4; i++) {
		sw_syslog_conn_send(c, "<30>1 gone", 10);
		poll(NULL, 0, 20);
	}
	sw_syslog_conn_take_lost(c, &lost, &unknown);
	assert_true(unknown);
	assert_false(sw_syslog_conn_ready(c));	/* not yet: it would go too */
	sw_syslog_conn_close(c, 100);
}

/* Parses "LEN SP MSG" frames from buf; returns how many, checks each. */
static int frames(const char *buf, size_t len, const char *prefix)
{
	size_t at = 0;
	int n = 0;

	while (at < len) {
		char *end;
		unsigned long k = strtoul(buf + at, &end, 10);

		assert_int_equal(*end, ' ');
		end++;
		assert_true((size_t)(end - buf) + k <= len);
		assert_memory_equal(end, prefix, strlen(prefix));
		at = (size_t)(end - buf) + k;
		n++;
	}
	return n;
}

static void test_tcp(void **state)
{
	char addr[64], m[64], buf[4096];
	int port, srv = inet_server(SOCK_STREAM, &port), peer;
	struct sw_syslog_conn *c;
	size_t got;

	snprintf(addr, sizeof(addr), "tcp://127.0.0.1:%d", port);
	c = open_conn(addr);
	peer = accept(srv, NULL, NULL);
	for (int i = 0; i < 10; i++) {
		int k = snprintf(m, sizeof(m), "<30>1 message %d", i);

		sw_syslog_conn_send(c, m, (size_t)k);
	}
	sw_syslog_conn_flush(c);
	got = read_stream(peer, buf, 10 * 18);
	assert_int_equal(got, 10 * 18);
	assert_memory_equal(buf, "15 <30>1 message 0", 18);
	assert_int_equal(frames(buf, got, "<30>1 message "), 10);

	/* The peer goes: nothing is lost, what is queued waits for the next. */
	close(peer);
	poll(NULL, 0, 50);
	sw_syslog_conn_send(c, "<30>1 later", 11);
	sw_syslog_conn_flush(c);
	assert_false(sw_syslog_conn_ready(c));
	peer = -1;
	for (int i = 0; i < 40 && peer < 0; i++) {
		struct pollfd pfd = { .fd = srv, .events = POLLIN };

		sw_syslog_conn_flush(c);
		if (poll(&pfd, 1, 50) == 1)
			peer = accept(srv, NULL, NULL);
	}
	assert_true(peer >= 0);
	for (int i = 0; i < 20 && !sw_syslog_conn_ready(c); i++) {
		poll(NULL, 0, 20);
		sw_syslog_conn_flush(c);
	}
	assert_true(sw_syslog_conn_ready(c));
	sw_syslog_conn_flush(c);
	got = read_stream(peer, buf, 14);
	assert_int_equal(got, 14);
	assert_memory_equal(buf, "11 <30>1 later", 14);
	assert_int_equal(sw_syslog_conn_close(c, 1000), 0);
	close(peer);
	close(srv);
}

/* A peer that reads nothing: the queue fills, and what overflows counts. */
static void test_tcp_overflow(void **state)
{
	char addr[64];
	static char m[8000];
	int port, srv = inet_server(SOCK_STREAM, &port);
	struct sw_syslog_conn *c;
	uint64_t lost = 0, left;
	bool unknown = false;
	int sent = 0;

	snprintf(addr, sizeof(addr), "tcp://127.0.0.1:%d", port);
	c = open_conn(addr);
	memset(m, 'm', sizeof(m));
	for (; sent < 2 * (int)(SW_SYSLOG_QUEUE_MAX / sizeof(m)); sent++) {
		sw_syslog_conn_send(c, m, sizeof(m));
		sw_syslog_conn_flush(c);
	}
	sw_syslog_conn_take_lost(c, &lost, &unknown);
	assert_false(unknown);
	assert_true(lost > 0 && lost < (uint64_t)sent);
	/* Connected, but the report would find no room either: later. */
	assert_false(sw_syslog_conn_ready(c));
	left = sw_syslog_conn_close(c, 50);
	assert_true(left > 0 && left + lost <= (uint64_t)sent);
	close(srv);
}

static int make_dir(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/log%d", dir, SOCK_DGRAM);
	unlink(p);
	snprintf(p, sizeof(p), "%s/log%d", dir, SOCK_STREAM);
	unlink(p);
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_header_severity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_host, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(test_message_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncate_argv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncate_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncate_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncate_ecs, setup, teardown),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_opts),
		cmocka_unit_test(test_unix_dgram),
		cmocka_unit_test(test_unix_stream),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_tcp_overflow),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
