/* SPDX-License-Identifier: MIT */
/*
 * Descriptors and sockets from /proc: the parsers against strings, and
 * the reads against real sockets, pipes and ptys of this process.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pty.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "conn.h"
#include "procfs.h"

/* Parses an exact-size heap copy, so ASan sees any read past len. */
static int row(const char *s, bool v6, struct sw_sock_row *r)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, s, len);
	ret = sw_conn_parse_row(copy, len, v6, r);
	free(copy);
	return ret;
}

static void test_link(void **state)
{
	struct sw_fd f = { .fd = 7 };

	(void)state;
	sw_conn_parse_link("socket:[12345]", &f);
	assert_int_equal(f.kind, SW_FD_SOCKET);
	assert_int_equal(f.ino, 12345);
	assert_int_equal(f.fd, 7);
	sw_conn_parse_link("pipe:[99]", &f);
	assert_int_equal(f.kind, SW_FD_PIPE);
	assert_int_equal(f.ino, 99);
	sw_conn_parse_link("/dev/pts/3", &f);
	assert_int_equal(f.kind, SW_FD_PTS);
	assert_int_equal(f.index, 3);
	sw_conn_parse_link("/dev/ptmx", &f);
	assert_int_equal(f.kind, SW_FD_PTMX);
	assert_int_equal(f.index, -1);
	sw_conn_parse_link("/dev/pts/ptmx", &f);
	assert_int_equal(f.kind, SW_FD_PTMX);
	sw_conn_parse_link("/dev/null", &f);
	assert_int_equal(f.kind, SW_FD_TTY);
	sw_conn_parse_link("/tmp/f", &f);
	assert_int_equal(f.kind, SW_FD_PATH);
	assert_string_equal(f.path, "/tmp/f");
	sw_conn_parse_link("anon_inode:[eventpoll]", &f);
	assert_int_equal(f.kind, SW_FD_OTHER);
	sw_conn_parse_link("", &f);
	assert_int_equal(f.kind, SW_FD_NONE);
	/* Malformed ones are never sockets or pipes. */
	sw_conn_parse_link("socket:[]", &f);
	assert_int_equal(f.kind, SW_FD_OTHER);
	sw_conn_parse_link("socket:[12x]", &f);
	assert_int_equal(f.kind, SW_FD_OTHER);
	sw_conn_parse_link("socket:[0]", &f);
	assert_int_equal(f.kind, SW_FD_OTHER);
	sw_conn_parse_link("socket:[99999999999999999999]", &f);
	assert_int_equal(f.kind, SW_FD_OTHER);
	sw_conn_parse_link("/dev/pts/3x", &f);
	assert_int_equal(f.kind, SW_FD_TTY);
	/* A path too long to compare is kept as a path, never matched. */
	{
		char lng[SW_FD_PATH_MAX + 10];

		memset(lng, 'a', sizeof(lng) - 1);
		lng[0] = '/';
		lng[sizeof(lng) - 1] = '\0';
		sw_conn_parse_link(lng, &f);
		assert_int_equal(f.kind, SW_FD_PATH);
		assert_string_equal(f.path, "");
	}
}

static void test_proto(void **state)
{
	(void)state;
	assert_int_equal(sw_conn_parse_proto("TCP"), SW_PROTO_TCP);
	assert_int_equal(sw_conn_parse_proto("TCPv6"), SW_PROTO_TCP6);
	assert_int_equal(sw_conn_parse_proto("UDP"), SW_PROTO_UDP);
	assert_int_equal(sw_conn_parse_proto("UDPv6"), SW_PROTO_UDP6);
	assert_int_equal(sw_conn_parse_proto("UNIX-STREAM"), SW_PROTO_OTHER);
	assert_int_equal(sw_conn_parse_proto("NETLINK"), SW_PROTO_OTHER);
	assert_int_equal(sw_conn_parse_proto("TCPv"), SW_PROTO_OTHER);
	assert_int_equal(sw_conn_parse_proto(""), SW_PROTO_UNKNOWN);
}

static void test_fdinfo(void **state)
{
	const char *s = "pos:\t0\nflags:\t02100002\nmnt_id:\t24\nino:\t90\ntty-index:\t5\n";
	struct sw_fd f = { .index = -1 };

	(void)state;
	sw_conn_parse_fdinfo(s, strlen(s), &f);
	assert_int_equal(f.ino, 90);
	assert_int_equal(f.mnt_id, 24);
	assert_int_equal(f.index, 5);
	assert_int_equal(f.flags, 02100002);
	/* Cut short, junk values: nothing read past the end, nothing taken. */
	memset(&f, 0, sizeof(f));
	f.index = -1;
	f.flags = -1;
	s = "ino:\t12a\ntty-index:\t-1\nmnt_id:\t99999999999\nflags:\t0128\nflags:\nino";
	sw_conn_parse_fdinfo(s, strlen(s), &f);
	assert_int_equal(f.flags, -1);
	assert_int_equal(f.ino, 0);
	assert_int_equal(f.index, -1);
	assert_int_equal(f.mnt_id, 0);
	sw_conn_parse_fdinfo("ino:\t7", 6, &f);
	assert_int_equal(f.ino, 7);
}

static void test_row(void **state)
{
	struct sw_sock_row r;
	const char *v4 = "   1: 0100007F:A2C4 0100007F:115C 01 00000000:00000000 "
			 "00:00000000 00000000     0        0 4242 1 0000000000000000 "
			 "20 4 30 10 -1";
	const char *v6 = "   0: 00000000000000000000000000000000:1F90 "
			 "00000000000000000000000000000000:0000 0A 00000000:00000000 "
			 "00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0";

	(void)state;
	assert_int_equal(row(v4, false, &r), 0);
	assert_int_equal(r.ino, 4242);
	assert_int_equal(r.state, 1);
	assert_int_equal(r.lport, 0xA2C4);
	assert_int_equal(r.rport, 4444);
	assert_memory_equal(r.raddr, "\x7f\x00\x00\x01", 4);
	assert_int_equal(row(v6, true, &r), 0);
	assert_int_equal(r.ino, 777);
	assert_int_equal(r.state, 10);
	assert_int_equal(r.lport, 8080);
	/* The header, a v6 line read as v4 and cut lines are refused. */
	assert_int_equal(row("  sl  local_address rem_address   st tx_queue", false, &r),
			 -EINVAL);
	assert_int_equal(row(v6, false, &r), -EINVAL);
	/* Cut anywhere before its inode, a line is refused. */
	for (size_t n = 0; n <= (size_t)(strstr(v4, " 4242") - v4 + 1); n++) {
		char *cut = strndup(v4, n);

		assert_non_null(cut);
		assert_int_equal(row(cut, false, &r), -EINVAL);
		free(cut);
	}
}

static void feed(struct sw_sock_scan *s, const char *line, bool v6, bool udp)
{
	sw_conn_scan_line(s, line, strlen(line), v6, udp);
}

/* A pass over hand-made tables. */
/* /proc/net/unix rows: the inode, and the listening flag. */
static void test_unix_row(void **state)
{
	static const char hdr[] = "Num       RefCount Protocol Flags    Type St Inode Path";
	static const char lis[] = "0000000071b33d0a: 00000002 00000000 00010000 0001 01 23456 /run/app.sock";
	static const char conn[] = "00000000e1bb201f: 00000003 00000000 00000000 0001 03  1203";
	static const char anon[] = "00000000e1bb201f: 00000002 00000000 00010000 0005 01 77 @abstract";
	static const char *const bad[] = {
		"", ":", "x: ", "0000: 0002 0000 00010000 0001 01",
		"0000: 0002 0000 0001000g 0001 01 5", "0000: 0002 0000 00010000 0001 01 0",
		"0000: 0002 0000 00010000 0001 01 -5",
		"0000: 0002 0000 ffffffffffffffffff 0001 01 5",
	};
	uint64_t ino = 1;
	bool l = false;

	(void)state;
	assert_int_equal(sw_conn_parse_unix_row(hdr, strlen(hdr), &ino, &l), -EINVAL);
	assert_int_equal(sw_conn_parse_unix_row(lis, strlen(lis), &ino, &l), 0);
	assert_int_equal(ino, 23456);
	assert_true(l);
	assert_int_equal(sw_conn_parse_unix_row(conn, strlen(conn), &ino, &l), 0);
	assert_int_equal(ino, 1203);
	assert_false(l);
	assert_int_equal(sw_conn_parse_unix_row(anon, strlen(anon), &ino, &l), 0);
	assert_int_equal(ino, 77);
	assert_true(l);
	/* A line cut anywhere is refused, never read past its end. */
	for (size_t n = 0; n < strlen(lis) - strlen(" /run/app.sock") - 5; n++) {
		char *cut = malloc(n ? n : 1);

		memcpy(cut, lis, n);
		assert_int_equal(sw_conn_parse_unix_row(cut, n, &ino, &l), -EINVAL);
		free(cut);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sw_conn_parse_unix_row(bad[i], strlen(bad[i]), &ino, &l), -EINVAL);
}

/* Whether this process listens, on real sockets of each kind. */
static void test_listens(void **state)
{
	int dirfd = open("/proc/self", O_RDONLY | O_DIRECTORY | O_CLOEXEC), sp[2], t, u;
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	bool yes = true;

	(void)state;
	assert_true(dirfd >= 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp), 0);
	t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(t >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(t, (struct sockaddr *)&a, sizeof(a)), 0);
	/* A socketpair and a bound tcp socket: nothing listens. */
	assert_int_equal(sw_conn_listens(dirfd, &yes), 0);
	assert_false(yes);
	assert_int_equal(listen(t, 1), 0);
	assert_int_equal(sw_conn_listens(dirfd, &yes), 0);
	assert_true(yes);
	close(t);
	/* A unix socket, abstract, listening. */
	u = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(u >= 0);
	snprintf(un.sun_path + 1, sizeof(un.sun_path) - 1, "sw-test-conn-%d", getpid());
	assert_int_equal(bind(u, (struct sockaddr *)&un,
			      (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
					  strlen(un.sun_path + 1))), 0);
	assert_int_equal(sw_conn_listens(dirfd, &yes), 0);
	assert_false(yes);
	assert_int_equal(listen(u, 1), 0);
	assert_int_equal(sw_conn_listens(dirfd, &yes), 0);
	assert_true(yes);
	close(u);
	close(sp[0]);
	close(sp[1]);
	close(dirfd);
}

static void test_scan(void **state)
{
	static struct sw_sock_scan s;
	uint64_t want[] = { 10, 11, 12, 13, 14, 15 };
	struct sw_net_peer p;

	(void)state;
	sw_conn_scan_init(&s, want, 6);
	/* 10: a client of 192.0.2.4:4444 */
	feed(&s, "0: 0100007F:C000 040200C0:115C 01 00000000:00000000 00:00000000 00000000 0 0 10 1", false, false);
	/* 11: an accepted connection on port 22, which is listened on (v6) */
	feed(&s, "0: 0100007F:0016 0100007F:D000 01 00000000:00000000 00:00000000 00000000 0 0 11 1", false, false);
	feed(&s, "1: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 99 1", true, false);
	/* 12: a v4-mapped v6 client */
	feed(&s, "2: 0000000000000000FFFF00000100007F:C001 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000 00000000 0 0 12 1", true, false);
	/* 13: a connected udp socket; 14: an unconnected one */
	feed(&s, "3: 0100007F:C002 0100007F:0035 01 00000000:00000000 00:00000000 00000000 0 0 13 2", false, true);
	feed(&s, "4: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000 0 0 14 2", false, true);
	/* 15: in no table */
	assert_int_equal(sw_conn_scan_class(&s, 0, &p), SW_SOCK_CLIENT);
	assert_string_equal(p.peer, "192.0.2.4");
	assert_int_equal(p.port, 4444);
	assert_false(p.udp);
	assert_int_equal(sw_conn_scan_class(&s, 1, &p), SW_SOCK_SERVER);
	assert_int_equal(sw_conn_scan_class(&s, 2, &p), SW_SOCK_CLIENT);
	assert_string_equal(p.peer, "127.0.0.1");
	assert_int_equal(p.port, 8080);
	assert_int_equal(sw_conn_scan_class(&s, 3, &p), SW_SOCK_CLIENT);
	assert_true(p.udp);
	assert_int_equal(p.port, 53);
	assert_int_equal(sw_conn_scan_class(&s, 4, &p), SW_SOCK_UNCONNECTED);
	assert_int_equal(sw_conn_scan_class(&s, 5, &p), SW_SOCK_NOT_INET);
	assert_int_equal(sw_conn_scan_class(&s, 6, &p), SW_SOCK_NOT_INET);
	assert_int_equal(s.lines, 6);
}

static int self_dir(void)
{
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int d;

	assert_true(procfd >= 0);
	d = sw_procfs_open_pid(procfd, getpid());
	close(procfd);
	assert_true(d >= 0);
	return d;
}

static uint64_t sock_ino(int dir, int fd)
{
	struct sw_fd f;

	assert_int_equal(sw_conn_fd(dir, fd, &f), 0);
	assert_int_equal(f.kind, SW_FD_SOCKET);
	return f.ino;
}

/* Real tcp sockets on loopback: the client, the server's end, the listener. */
static void test_real_sockets(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), c, s, u[2];
	int dir = self_dir();
	uint64_t ino[4];
	uint8_t cls[4];
	struct sw_net_peer peer[4];

	(void)state;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(l >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(l, 1), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)&a, &alen), 0);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a, sizeof(a)), 0);
	s = accept(l, NULL, NULL);
	assert_true(s >= 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, u), 0);
	ino[0] = sock_ino(dir, c);
	ino[1] = sock_ino(dir, s);
	ino[2] = sock_ino(dir, l);
	ino[3] = sock_ino(dir, u[0]);
	assert_int_equal(sw_conn_classify(dir, ino, NULL, 4, cls, peer), 0);
	assert_int_equal(cls[0], SW_SOCK_CLIENT);
	assert_string_equal(peer[0].peer, "127.0.0.1");
	assert_int_equal(peer[0].port, ntohs(a.sin_port));
	assert_int_equal(cls[1], SW_SOCK_SERVER);
	assert_int_equal(cls[2], SW_SOCK_UNCONNECTED);
	assert_int_equal(cls[3], SW_SOCK_NOT_INET);
	/* With their protocols: the same, the unix one without a table. */
	{
		uint8_t proto[4];
		int fds[4] = { c, s, l, u[0] };
		struct sw_fd f;

		for (int i = 0; i < 4; i++) {
			assert_int_equal(sw_conn_fd(dir, fds[i], &f), 0);
			proto[i] = f.proto;
		}
		assert_int_equal(proto[0], SW_PROTO_TCP);
		assert_int_equal(proto[3], SW_PROTO_OTHER);
		memset(cls, 0xff, sizeof(cls));
		assert_int_equal(sw_conn_classify(dir, ino, proto, 4, cls, peer), 0);
		assert_int_equal(cls[0], SW_SOCK_CLIENT);
		assert_int_equal(cls[1], SW_SOCK_SERVER);
		assert_int_equal(cls[2], SW_SOCK_UNCONNECTED);
		assert_int_equal(cls[3], SW_SOCK_NOT_INET);
		/* A tcp socket said to be udp is not found in udp's tables. */
		proto[0] = SW_PROTO_UDP;
		assert_int_equal(sw_conn_classify(dir, ino, proto, 1, cls, peer), 0);
		assert_int_equal(cls[0], SW_SOCK_NOT_INET);
	}

	/* This process as a holder: the client socket, and u[1] for u[0]. */
	{
		struct sw_fd want = { .kind = SW_FD_SOCKET, .ino = ino[3] };
		struct sw_holding h;

		assert_int_equal(sw_conn_holder(dir, &want, &h), 0);
		assert_true(h.client);
		assert_false(h.client_on_stdio);
		assert_true(h.unix_sock);
		assert_true(h.end);
		assert_int_equal(h.peer.port, ntohs(a.sin_port));
		assert_true(h.fds >= 6);
	}
	close(c);
	close(s);
	close(l);
	close(u[0]);
	close(u[1]);
	close(dir);
}

/* A pipe, a named fifo and a pty: each end found by its other end. */
static void test_real_ends(void **state)
{
	int p[2], dir = self_dir(), m, t, ff;
	char fifo[] = "/tmp/sw-conn-XXXXXX", path[64];
	struct sw_fd rd, pts, named;
	struct sw_holding h;

	(void)state;
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	/* What a shell writes to: the write end, whose other end is read. */
	assert_int_equal(sw_conn_fd(dir, p[1], &rd), 0);
	assert_int_equal(rd.kind, SW_FD_PIPE);
	assert_int_equal(rd.flags & O_ACCMODE, O_WRONLY);
	assert_int_equal(sw_conn_holder(dir, &rd, &h), 0);
	assert_true(h.end);
	assert_false(h.client);
	/* A copy of the same write end (a sibling's inherited stdout) is not. */
	close(p[0]);
	assert_int_equal(sw_conn_holder(dir, &rd, &h), 0);
	assert_false(h.end);
	/* Nor is a read end looked for from the reading side. */
	assert_int_equal(pipe2(p, O_CLOEXEC), 0);
	assert_int_equal(sw_conn_fd(dir, p[0], &rd), 0);
	assert_int_equal(sw_conn_holder(dir, &rd, &h), 0);
	assert_false(h.end);

	assert_int_equal(openpty(&m, &t, NULL, NULL, NULL), 0);
	assert_int_equal(sw_conn_fd(dir, t, &pts), 0);
	assert_int_equal(pts.kind, SW_FD_PTS);
	assert_int_equal(sw_conn_holder(dir, &pts, &h), 0);
	assert_true(h.end);		/* the master's tty-index is pts's N */
	close(m);
	assert_int_equal(sw_conn_holder(dir, &pts, &h), 0);
	assert_false(h.end);

	assert_non_null(mkdtemp(fifo));
	snprintf(path, sizeof(path), "%s/f", fifo);
	assert_int_equal(mkfifo(path, 0600), 0);
	ff = open(path, O_RDWR | O_CLOEXEC);
	assert_true(ff >= 0);
	assert_int_equal(sw_conn_fd(dir, ff, &named), 0);
	assert_int_equal(named.kind, SW_FD_PATH);
	assert_true(named.ino != 0);
	assert_true(sw_conn_other_end(&named, &named));
	assert_int_equal(sw_conn_holder(dir, &named, &h), 0);
	assert_true(h.end);
	/* Another file at the same path is not the same end. */
	named.ino++;
	assert_int_equal(sw_conn_holder(dir, &named, &h), 0);
	assert_false(h.end);

	close(ff);
	unlink(path);
	rmdir(fifo);
	close(t);
	close(p[0]);
	close(p[1]);
	close(dir);
	/* A closed descriptor reads as nothing. */
	dir = self_dir();
	assert_true(sw_conn_fd(dir, 987, &rd) < 0);
	assert_int_equal(rd.kind, SW_FD_NONE);
	close(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_proto),
		cmocka_unit_test(test_fdinfo),
		cmocka_unit_test(test_row),
		cmocka_unit_test(test_unix_row),
		cmocka_unit_test(test_listens),
		cmocka_unit_test(test_scan),
		cmocka_unit_test(test_real_sockets),
		cmocka_unit_test(test_real_ends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
