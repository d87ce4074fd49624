/* SPDX-License-Identifier: MIT */
/*
 * Descriptors and sockets from /proc: links, fdinfo, the inet tables.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "conn.h"
#include "procfs.h"

#define TCP_LISTEN 10
#define TCP_CLOSE 7

/* A decimal number at s (digits only, up to end); -1 when none or too big. */
static long long number(const char *s, const char *end)
{
	long long v = 0;

	if (s >= end || *s < '0' || *s > '9')
		return -1;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > (1ll << 53))
			return -1;
	}
	return s == end ? v : -1;
}

/* "socket:[123]" with prefix "socket:[": 123, or 0. */
static uint64_t bracketed(const char *link, const char *prefix)
{
	size_t n = strlen(prefix), len = strlen(link);
	long long v;

	if (strncmp(link, prefix, n) != 0 || len < n + 2 || link[len - 1] != ']')
		return 0;
	v = number(link + n, link + len - 1);
	return v > 0 ? (uint64_t)v : 0;
}

void sw_conn_parse_link(const char *link, struct sw_fd *ret)
{
	int fd = ret->fd;
	long long v;

	memset(ret, 0, sizeof(*ret));
	ret->fd = fd;
	ret->index = -1;
	ret->flags = -1;
	if ((ret->ino = bracketed(link, "socket:["))) {
		ret->kind = SW_FD_SOCKET;
	} else if ((ret->ino = bracketed(link, "pipe:["))) {
		ret->kind = SW_FD_PIPE;
	} else if (strncmp(link, "/dev/pts/", 9) == 0 &&
		   (v = number(link + 9, link + strlen(link))) >= 0 && v < (1 << 20)) {
		ret->kind = SW_FD_PTS;
		ret->index = (int)v;
	} else if (strcmp(link, "/dev/ptmx") == 0 || strcmp(link, "/dev/pts/ptmx") == 0) {
		ret->kind = SW_FD_PTMX;
	} else if (strncmp(link, "/dev/", 5) == 0) {
		ret->kind = SW_FD_TTY;
	} else if (link[0] == '/') {
		ret->kind = SW_FD_PATH;
		if (strlen(link) < sizeof(ret->path))
			strcpy(ret->path, link);
	} else {
		ret->kind = link[0] ? SW_FD_OTHER : SW_FD_NONE;
	}
}

void sw_conn_parse_fdinfo(const char *buf, size_t len, struct sw_fd *ret)
{
	const char *end = buf + len, *line = buf;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *eol = nl ? nl : end, *v;
		long long n;

		v = memchr(line, ':', (size_t)(eol - line));
		if (v && v - line == 5 && memcmp(line, "flags", 5) == 0) {
			long f = 0;
			const char *q;

			for (q = v + 1; q < eol && (*q == '\t' || *q == ' '); q++)
				;
			if (q == eol)
				v = NULL;
			for (; q < eol && *q >= '0' && *q <= '7' && f < 0x1000000; q++)
				f = f * 8 + (*q - '0');
			if (v && q == eol)
				ret->flags = (int)f;
		} else if (v) {
			size_t key = (size_t)(v - line);

			for (v++; v < eol && (*v == '\t' || *v == ' '); v++)
				;
			n = number(v, eol);
			if (n >= 0 && key == 3 && memcmp(line, "ino", 3) == 0)
				ret->ino = (uint64_t)n;
			else if (n >= 0 && n <= 0x7fffffff && key == 6 &&
				 memcmp(line, "mnt_id", 6) == 0)
				ret->mnt_id = (int)n;
			else if (n >= 0 && n < (1 << 20) && key == 9 &&
				 memcmp(line, "tty-index", 9) == 0)
				ret->index = (int)n;
		}
		line = eol + 1;
	}
}

enum sw_sock_proto sw_conn_parse_proto(const char *name)
{
	static const struct {
		const char *name;
		enum sw_sock_proto proto;
	} v[] = {
		{ "TCP", SW_PROTO_TCP }, { "TCPv6", SW_PROTO_TCP6 },
		{ "UDP", SW_PROTO_UDP }, { "UDPv6", SW_PROTO_UDP6 },
		{ "UDP-Lite", SW_PROTO_UDP }, { "UDPLITEv6", SW_PROTO_UDP6 },
		{ "MPTCP", SW_PROTO_TCP }, { "MPTCPv6", SW_PROTO_TCP6 },
	};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strcmp(name, v[i].name) == 0)
			return v[i].proto;
	/* PING, RAW, UNIX-STREAM, NETLINK, PACKET...: never in the tables. */
	return name[0] ? SW_PROTO_OTHER : SW_PROTO_UNKNOWN;
}

/*
 * The protocol of the socket at fd of the process at dirfd.  The link is
 * resolved again: if the process put another file there since it was read,
 * the xattr is asked of that file (the watchdog covers a file system that
 * never answers, as for any /proc read).
 */
static uint8_t sock_proto(int dirfd, int fd)
{
	char path[64], name[32];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d/fd/%d", dirfd, fd);
	n = getxattr(path, "system.sockprotoname", name, sizeof(name) - 1);
	if (n <= 0)
		return SW_PROTO_UNKNOWN;
	name[n] = '\0';
	return (uint8_t)sw_conn_parse_proto(name);
}

/* fd N of the process whose /proc/PID is dirfd, its link in link. */
static int read_fd(int dirfd, int fd, const char *link, struct sw_fd *ret)
{
	char name[48], buf[512];
	int n;

	ret->fd = fd;
	sw_conn_parse_link(link, ret);
	if (ret->kind == SW_FD_SOCKET)
		ret->proto = sock_proto(dirfd, fd);
	if (ret->kind != SW_FD_PATH && ret->kind != SW_FD_PTMX &&
	    ret->kind != SW_FD_PIPE)
		return 0;
	if (ret->kind == SW_FD_PATH && !ret->path[0])
		return 0;		/* too long to compare: never matched */
	snprintf(name, sizeof(name), "fdinfo/%d", fd);
	n = sw_procfs_read(dirfd, name, buf, sizeof(buf));
	if (n < 0) {
		ret->kind = SW_FD_NONE;
		return n;
	}
	sw_conn_parse_fdinfo(buf, (size_t)n, ret);
	return 0;
}

int sw_conn_fd(int dirfd, int fd, struct sw_fd *ret)
{
	char name[32], link[SW_FD_PATH_MAX + 64];
	int n;

	snprintf(name, sizeof(name), "fd/%d", fd);
	n = sw_procfs_readlink(dirfd, name, link, sizeof(link));
	if (n < 0) {
		memset(ret, 0, sizeof(*ret));
		ret->fd = fd;
		ret->index = -1;
		return n;
	}
	return read_fd(dirfd, fd, link, ret);
}

bool sw_conn_same(const struct sw_fd *a, const struct sw_fd *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case SW_FD_SOCKET:
	case SW_FD_PIPE:
		return a->ino && a->ino == b->ino;
	case SW_FD_PATH:
		return a->ino && a->ino == b->ino && a->mnt_id == b->mnt_id &&
		       a->path[0] && strcmp(a->path, b->path) == 0;
	default:
		return false;
	}
}

bool sw_conn_other_end(const struct sw_fd *a, const struct sw_fd *b)
{
	if (a->kind == SW_FD_PTS)
		return b->kind == SW_FD_PTMX && b->index >= 0 && b->index == a->index;
	return (a->kind == SW_FD_PIPE || a->kind == SW_FD_PATH) && sw_conn_same(a, b) &&
	       a->flags >= 0 && b->flags >= 0 && (a->flags & O_ACCMODE) != O_RDONLY &&
	       (b->flags & O_ACCMODE) != O_WRONLY;
}

/* --- the inet tables ------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* n hex digits at *p (advanced) into *v; false when short. */
static bool hex(const char **p, const char *end, unsigned n, uint32_t *v)
{
	uint32_t x = 0;

	for (unsigned i = 0; i < n; i++) {
		int d = *p + i < end ? hexval((*p)[i]) : -1;

		if (d < 0)
			return false;
		x = x << 4 | (uint32_t)d;
	}
	*p += n;
	*v = x;
	return true;
}

/*
 * ADDR:PORT as the kernel prints it: each 32-bit word of the address in
 * the machine's byte order, as %08X; the port as %04X.
 */
static bool addr_port(const char **p, const char *end, bool v6, uint8_t *addr,
		      uint16_t *port)
{
	uint32_t w, pt;

	for (unsigned i = 0; i < (v6 ? 4u : 1u); i++) {
		if (!hex(p, end, 8, &w))
			return false;
		memcpy(addr + 4 * i, &w, 4);
	}
	if (*p >= end || **p != ':')
		return false;
	(*p)++;
	if (!hex(p, end, 4, &pt))
		return false;
	*port = (uint16_t)pt;
	return true;
}

static void skip_spaces(const char **p, const char *end)
{
	while (*p < end && **p == ' ')
		(*p)++;
}

int sw_conn_parse_row(const char *line, size_t len, bool v6,
		      struct sw_sock_row *ret)
{
	const char *p = line, *end = line + len;
	uint32_t st, skip;

	memset(ret, 0, sizeof(*ret));
	ret->v6 = v6;
	skip_spaces(&p, end);
	/* "sl:" */
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	if (p == line || p >= end || *p != ':')
		return -EINVAL;
	p++;
	skip_spaces(&p, end);
	if (!addr_port(&p, end, v6, ret->laddr, &ret->lport))
		return -EINVAL;
	skip_spaces(&p, end);
	if (!addr_port(&p, end, v6, ret->raddr, &ret->rport))
		return -EINVAL;
	skip_spaces(&p, end);
	if (!hex(&p, end, 2, &st))
		return -EINVAL;
	ret->state = (uint8_t)st;
	/* tx:rx tr:when retrnsmt uid timeout inode */
	skip_spaces(&p, end);
	if (!hex(&p, end, 8, &skip) || p >= end || *p++ != ':' ||
	    !hex(&p, end, 8, &skip))
		return -EINVAL;
	for (int field = 0; field < 4; field++) {
		skip_spaces(&p, end);
		if (p >= end || *p == ' ')
			return -EINVAL;
		while (p < end && *p != ' ')
			p++;
	}
	skip_spaces(&p, end);
	{
		const char *q = p;
		uint64_t ino = 0;

		while (q < end && *q >= '0' && *q <= '9' && ino < (1ull << 60))
			ino = ino * 10 + (uint64_t)(*q++ - '0');
		if (q == p || (q < end && *q != ' ' && *q != '\n'))
			return -EINVAL;
		ret->ino = ino;
	}
	return 0;
}

void sw_conn_scan_init(struct sw_sock_scan *s, const uint64_t *ino, unsigned n)
{
	memset(s, 0, sizeof(*s));
	s->n = n < SW_CONN_SOCKS_MAX ? n : SW_CONN_SOCKS_MAX;
	memcpy(s->want, ino, s->n * sizeof(*ino));
}

void sw_conn_scan_line(struct sw_sock_scan *s, const char *line, size_t len,
		       bool v6, bool udp)
{
	struct sw_sock_row r;

	s->lines++;
	if (sw_conn_parse_row(line, len, v6, &r) < 0)
		return;
	if (!udp && r.state == TCP_LISTEN)
		s->listen[r.lport / 8] |= (uint8_t)(1u << (r.lport % 8));
	if (!r.ino)
		return;
	for (unsigned i = 0; i < s->n; i++)
		if (s->want[i] == r.ino && !s->found[i]) {
			s->found[i] = true;
			s->udp[i] = udp;
			s->row[i] = r;
		}
}

static bool zero(const uint8_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

/* The peer's address as text; an IPv4-mapped IPv6 address as IPv4. */
static void peer_text(const struct sw_sock_row *r, char *buf, size_t size)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (!r->v6)
		inet_ntop(AF_INET, r->raddr, buf, (socklen_t)size);
	else if (memcmp(r->raddr, mapped, 12) == 0)
		inet_ntop(AF_INET, r->raddr + 12, buf, (socklen_t)size);
	else
		inet_ntop(AF_INET6, r->raddr, buf, (socklen_t)size);
}

enum sw_sock_class sw_conn_scan_class(const struct sw_sock_scan *s, unsigned i,
				      struct sw_net_peer *peer)
{
	const struct sw_sock_row *r;

	if (i >= s->n || !s->found[i])
		return SW_SOCK_NOT_INET;
	r = &s->row[i];
	if (!r->rport || zero(r->raddr, r->v6 ? 16 : 4) ||
	    (!s->udp[i] && (r->state == TCP_LISTEN || r->state == TCP_CLOSE)))
		return SW_SOCK_UNCONNECTED;
	if (!s->udp[i] && (s->listen[r->lport / 8] >> (r->lport % 8) & 1))
		return SW_SOCK_SERVER;
	if (peer) {
		memset(peer, 0, sizeof(*peer));
		peer_text(r, peer->peer, sizeof(peer->peer));
		peer->port = r->rport;
		peer->udp = s->udp[i];
	}
	return SW_SOCK_CLIENT;
}

static bool all_found(const struct sw_sock_scan *s)
{
	for (unsigned i = 0; i < s->n; i++)
		if (!s->found[i])
			return false;
	return true;
}

/*
 * Feeds one table, line by line, to the scan, up to where every inode
 * sought is found (a listener comes before the connections of its table:
 * the kernel prints the listening hash first).  0, or -errno.
 */
typedef void (*scan_line_fn)(struct sw_sock_scan *s, const char *line,
			     size_t len, bool v6, bool udp);

static int feed_lines(int dirfd, const char *name, bool v6, bool udp,
		      struct sw_sock_scan *s, scan_line_fn line);

static int feed_table(int dirfd, const char *name, bool v6, bool udp,
		      struct sw_sock_scan *s)
{
	return feed_lines(dirfd, name, v6, udp, s, sw_conn_scan_line);
}

static int feed_lines(int dirfd, const char *name, bool v6, bool udp,
		      struct sw_sock_scan *s, scan_line_fn line)
{
	char buf[16384];
	size_t have = 0;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - have);
		char *p = buf, *end, *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		end = buf + have + n;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			line(s, p, (size_t)(nl - p), v6, udp);
			p = nl + 1;
		}
		if (all_found(s)) {
			have = 0;
			break;
		}
		have = (size_t)(end - p);
		if (have == sizeof(buf))
			have = 0;	/* a line longer than any the kernel writes */
		memmove(buf, p, have);
	}
	if (have)
		line(s, buf, have, v6, udp);
	close(fd);
	return 0;
}

int sw_conn_classify(int dirfd, const uint64_t *ino, const uint8_t *proto,
		     unsigned n, uint8_t *cls, struct sw_net_peer *peer)
{
	static const struct {
		const char *name;
		bool v6, udp;
		uint8_t proto;
	} tables[] = {
		{ "net/tcp", false, false, SW_PROTO_TCP },
		{ "net/tcp6", true, false, SW_PROTO_TCP6 },
		{ "net/udp", false, true, SW_PROTO_UDP },
		{ "net/udp6", true, true, SW_PROTO_UDP6 },
	};
	struct sw_sock_scan *s;
	uint64_t want[SW_CONN_SOCKS_MAX];
	unsigned map[SW_CONN_SOCKS_MAX], m = 0;
	int read_any = 0;

	if (n > SW_CONN_SOCKS_MAX)
		n = SW_CONN_SOCKS_MAX;
	for (unsigned i = 0; i < n; i++) {
		cls[i] = SW_SOCK_NOT_INET;
		if (!proto || proto[i] != SW_PROTO_OTHER) {
			map[m] = i;
			want[m++] = ino[i];
		}
	}
	if (!m)
		return 0;
	s = malloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	sw_conn_scan_init(s, want, m);
	read_any = -ENOENT;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]) && !all_found(s); t++) {
		bool needed = false;
		int r;

		for (unsigned j = 0; j < m; j++)
			needed |= !s->found[j] && (!proto || proto[map[j]] == tables[t].proto ||
						   proto[map[j]] == SW_PROTO_UNKNOWN);
		if (!needed)
			continue;
		r = feed_table(dirfd, tables[t].name, tables[t].v6, tables[t].udp, s);
		if (r == 0)
			read_any = 0;
		else if (read_any)
			read_any = r;
	}
	if (all_found(s))
		read_any = 0;
	for (unsigned j = 0; j < m; j++)
		cls[map[j]] = (uint8_t)sw_conn_scan_class(s, j, &peer[map[j]]);
	free(s);
	return read_any;
}

/* --- holders --------------------------------------------------------- */

int sw_conn_holder(int dirfd, const struct sw_fd *want, struct sw_holding *ret)
{
	uint64_t socks[SW_CONN_SOCKS_MAX];
	uint8_t protos[SW_CONN_SOCKS_MAX];
	bool sock_stdio[SW_CONN_SOCKS_MAX];
	unsigned n_socks = 0;
	int dfd = openat(dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	memset(ret, 0, sizeof(*ret));
	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		int err = -errno;

		close(dfd);
		return err;
	}
	while ((de = readdir(d)) && ret->fds < SW_CONN_SCAN_MAX) {
		char link[SW_FD_PATH_MAX + 64];
		struct sw_fd f;
		long long fd = number(de->d_name, de->d_name + strlen(de->d_name));
		bool stdio = fd >= 0 && fd <= 2;
		ssize_t n;

		if (fd < 0 || fd > 0x7fffffff)
			continue;
		n = readlinkat(dfd, de->d_name, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		ret->fds++;
		f.fd = (int)fd;
		sw_conn_parse_link(link, &f);
		/* fdinfo only for what could be the end sought. */
		if ((f.kind == SW_FD_PTMX && want->kind == SW_FD_PTS) ||
		    (f.kind == SW_FD_PIPE && want->kind == SW_FD_PIPE &&
		     f.ino == want->ino) ||
		    (f.kind == SW_FD_PATH && want->kind == SW_FD_PATH &&
		     strcmp(f.path, want->path) == 0))
			read_fd(dirfd, (int)fd, link, &f);
		if (sw_conn_other_end(want, &f)) {
			ret->end = true;
			ret->end_on_stdio |= stdio;
		}
		if (f.kind == SW_FD_SOCKET && n_socks < SW_CONN_SOCKS_MAX) {
			bool seen = false;

			for (unsigned i = 0; i < n_socks; i++)
				if (socks[i] == f.ino) {
					sock_stdio[i] |= stdio;
					seen = true;
				}
			if (!seen) {
				sock_stdio[n_socks] = stdio;
				protos[n_socks] = sock_proto(dirfd, (int)fd);
				socks[n_socks++] = f.ino;
			}
		}
	}
	closedir(d);
	for (unsigned i = 0; i < n_socks; i++)
		if (protos[i] == SW_PROTO_OTHER) {
			ret->unix_sock = true;
			if (want->kind == SW_FD_SOCKET && want->ino != socks[i])
				ret->end = true;
		}
	/* The tables only for a holder of the end (they cost a hash walk). */
	if (n_socks && ret->end) {
		uint8_t cls[SW_CONN_SOCKS_MAX];
		struct sw_net_peer peers[SW_CONN_SOCKS_MAX];

		if (sw_conn_classify(dirfd, socks, protos, n_socks, cls, peers) < 0)
			return 0;
		for (unsigned i = 0; i < n_socks; i++)
			if (cls[i] == SW_SOCK_CLIENT &&
			    (!ret->client || (sock_stdio[i] && !ret->client_on_stdio))) {
				ret->client = true;
				ret->client_on_stdio = sock_stdio[i];
				ret->peer = peers[i];
			}
	}
	return 0;
}

/* --- listeners ------------------------------------------------------- */

/* A hexadecimal field at *p, up to a space; advances *p past it. */
static bool hex_field(const char **p, const char *end, unsigned long long *v)
{
	const char *q = *p;

	while (q < end && *q == ' ')
		q++;
	*v = 0;
	if (q >= end || *q == ' ')
		return false;
	for (; q < end && *q != ' '; q++) {
		int d = (*q >= '0' && *q <= '9') ? *q - '0' :
			(*q >= 'a' && *q <= 'f') ? *q - 'a' + 10 :
			(*q >= 'A' && *q <= 'F') ? *q - 'A' + 10 : -1;

		if (d < 0 || *v >> 60)
			return false;
		*v = *v * 16 + (unsigned)d;
	}
	*p = q;
	return true;
}

/* The kernel's __SO_ACCEPTCON: a unix socket that listen() was called on. */
#define UNIX_ACCEPTCON 0x10000

int sw_conn_parse_unix_row(const char *line, size_t len, uint64_t *ino,
			   bool *listening)
{
	const char *p = memchr(line, ':', len), *end = line + len, *q;
	unsigned long long refs, proto, flags, type, st;
	long long v;

	if (!p || p + 1 >= end || p[1] != ' ')
		return -EINVAL;
	p++;
	if (!hex_field(&p, end, &refs) || !hex_field(&p, end, &proto) ||
	    !hex_field(&p, end, &flags) || !hex_field(&p, end, &type) ||
	    !hex_field(&p, end, &st))
		return -EINVAL;
	while (p < end && *p == ' ')
		p++;
	for (q = p; q < end && *q != ' '; q++)
		;
	v = number(p, q);
	if (v <= 0)
		return -EINVAL;
	*ino = (uint64_t)v;
	*listening = (flags & UNIX_ACCEPTCON) != 0;
	return 0;
}

/* One line of /proc/net/unix: a listening socket sought is marked so. */
static void scan_unix_line(struct sw_sock_scan *s, const char *line, size_t len,
			   bool v6, bool udp)
{
	uint64_t ino;
	bool listening;

	(void)v6;
	(void)udp;
	s->lines++;
	if (sw_conn_parse_unix_row(line, len, &ino, &listening) < 0)
		return;
	for (unsigned i = 0; i < s->n; i++)
		if (s->want[i] == ino && !s->found[i]) {
			s->found[i] = true;
			memset(&s->row[i], 0, sizeof(s->row[i]));
			s->row[i].ino = ino;
			s->row[i].state = listening ? TCP_LISTEN : 0;
		}
}


int sw_conn_listens(int dirfd, bool *ret)
{
	uint64_t socks[SW_CONN_SOCKS_MAX], unix_socks[SW_CONN_SOCKS_MAX];
	unsigned n_socks = 0, n_unix = 0, fds = 0;
	int dfd = openat(dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct sw_sock_scan *s;
	struct dirent *de;
	DIR *d;
	int r = 0;

	*ret = false;
	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		int err = -errno;

		close(dfd);
		return err;
	}
	while ((de = readdir(d)) && fds < SW_CONN_SCAN_MAX &&
	       n_socks < SW_CONN_SOCKS_MAX) {
		char link[SW_FD_PATH_MAX + 64];
		struct sw_fd f;
		long long fd = number(de->d_name, de->d_name + strlen(de->d_name));
		ssize_t n;
		uint8_t proto;

		if (fd < 0 || fd > 0x7fffffff)
			continue;
		n = readlinkat(dfd, de->d_name, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		fds++;
		sw_conn_parse_link(link, &f);
		if (f.kind != SW_FD_SOCKET)
			continue;
		proto = sock_proto(dirfd, (int)fd);
		if (proto == SW_PROTO_TCP || proto == SW_PROTO_TCP6 ||
		    proto == SW_PROTO_UNKNOWN)
			socks[n_socks++] = f.ino;
		else if (proto == SW_PROTO_OTHER && n_unix < SW_CONN_SOCKS_MAX)
			unix_socks[n_unix++] = f.ino;	/* unix, netlink, ... */
	}
	closedir(d);
	if (!n_socks && !n_unix)
		return 0;
	s = malloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	if (n_socks) {
		sw_conn_scan_init(s, socks, n_socks);
		r = feed_table(dirfd, "net/tcp", false, false, s) < 0 ? -ENOENT : 0;
		if (!all_found(s) && feed_table(dirfd, "net/tcp6", true, false, s) == 0)
			r = 0;
		for (unsigned i = 0; i < s->n; i++)
			if (s->found[i] && s->row[i].state == TCP_LISTEN)
				*ret = true;
	}
	/* A server behind a web server may listen on a unix socket. */
	if (!*ret && n_unix) {
		int ru;

		sw_conn_scan_init(s, unix_socks, n_unix);
		ru = feed_lines(dirfd, "net/unix", false, false, s, scan_unix_line);
		for (unsigned i = 0; i < s->n; i++)
			if (s->found[i] && s->row[i].state == TCP_LISTEN)
				*ret = true;
		if (!n_socks)
			r = ru;
		else if (ru == 0)
			r = 0;
	}
	free(s);
	return *ret ? 0 : r;
}
