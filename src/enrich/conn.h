/* SPDX-License-Identifier: MIT */
/*
 * What a process's descriptors are wired to, from /proc alone: the link
 * of /proc/PID/fd/N (socket:[INO], pipe:[INO], /dev/pts/N, /dev/ptmx, a
 * path), its fdinfo (the inode and mount of a named file, the index of a
 * pty master), and the kernel's tables of inet sockets in the process's
 * network namespace (/proc/PID/net/tcp, tcp6, udp, udp6).  Nothing here
 * touches the file a descriptor names: a link, fdinfo and the socket
 * tables are procfs's own, so a file on a stalled FUSE mount cannot block
 * these reads.  The parsers are pure functions over the bytes read.
 */
#ifndef SW_CONN_H
#define SW_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

enum sw_fd_kind {
	SW_FD_NONE,		/* closed, or unreadable */
	SW_FD_SOCKET,		/* socket:[ino] */
	SW_FD_PIPE,		/* pipe:[ino] */
	SW_FD_PTS,		/* /dev/pts/N: a pty's terminal end */
	SW_FD_PTMX,		/* /dev/ptmx: a pty master (fdinfo tty-index) */
	SW_FD_TTY,		/* another terminal or device under /dev */
	SW_FD_PATH,		/* a named file: a fifo, or a regular file */
	SW_FD_OTHER,		/* anon_inode:..., and the like */
};

/*
 * A socket's protocol, from the xattr system.sockprotoname of its
 * /proc/PID/fd link (sockfs answers it: "TCP", "TCPv6", "UNIX-STREAM"...).
 * It tells which of the inet tables, if any, can hold the socket: reading
 * one walks the kernel's whole socket hash (a millisecond on a large
 * machine), so no table is read for a unix or netlink socket.
 */
enum sw_sock_proto {
	SW_PROTO_UNKNOWN,	/* could not be read: any table */
	SW_PROTO_TCP,
	SW_PROTO_TCP6,
	SW_PROTO_UDP,
	SW_PROTO_UDP6,
	SW_PROTO_OTHER,		/* in no inet table */
};

/* The protocol of a sockprotoname value. */
enum sw_sock_proto sw_conn_parse_proto(const char *name);

/* Paths of named files are compared up to this length. */
#define SW_FD_PATH_MAX 256

struct sw_fd {
	uint8_t kind;		/* enum sw_fd_kind */
	int fd;			/* its number in the process */
	int index;		/* SW_FD_PTS: N; SW_FD_PTMX: tty-index, -1 unknown */
	uint64_t ino;		/* SOCKET, PIPE: from the link; PATH: fdinfo */
	int mnt_id;		/* PATH: fdinfo's mnt_id */
	int flags;		/* fdinfo's (O_ACCMODE...), -1 unread */
	uint8_t proto;		/* SOCKET: enum sw_sock_proto */
	char path[SW_FD_PATH_MAX];	/* PATH: the link; "" when longer */
};

/* The kind of a /proc/PID/fd link (and ino, index, path from it). */
void sw_conn_parse_link(const char *link, struct sw_fd *ret);
/* Reads "flags:", "ino:", "mnt_id:" and "tty-index:" of an fdinfo file's text. */
void sw_conn_parse_fdinfo(const char *buf, size_t len, struct sw_fd *ret);

/*
 * Reads fd N of the process whose /proc/PID is dirfd: the link, fdinfo
 * for a pipe, a named file or a pty master, the protocol of a socket.
 * 0, or -errno (ret->kind is SW_FD_NONE then).
 */
int sw_conn_fd(int dirfd, int fd, struct sw_fd *ret);

/* Whether two descriptors (of any processes) are ends of one object. */
bool sw_conn_same(const struct sw_fd *a, const struct sw_fd *b);
/*
 * Whether b is the other end of a's pty (a: PTS, b: PTMX) or pipe/fifo:
 * the same one, b open for reading where a is open for writing (a copy
 * of the same write end, as siblings inherit a stdout, is not).
 */
bool sw_conn_other_end(const struct sw_fd *a, const struct sw_fd *b);

/*
 * One row of a socket table: /proc/net/{tcp,udp} (v6 false) or
 * {tcp6,udp6}.  State is the kernel's (1 established, 2 syn-sent, 10
 * listen, ...).
 */
struct sw_sock_row {
	uint64_t ino;
	uint8_t state;
	bool v6;
	uint8_t laddr[16], raddr[16];	/* v4: the first 4 bytes */
	uint16_t lport, rport;
};

/* One line of a table; 0, or -EINVAL for the header and malformed lines. */
int sw_conn_parse_row(const char *line, size_t len, bool v6,
		      struct sw_sock_row *ret);

/* How a socket inode looks in its namespace's tables. */
enum sw_sock_class {
	SW_SOCK_NOT_INET,	/* in no inet table: unix, netlink, ... */
	SW_SOCK_UNCONNECTED,	/* inet, with no peer */
	SW_SOCK_SERVER,		/* connected, on a port something listens on */
	SW_SOCK_CLIENT,		/* connected out to a peer */
};

/* Socket inodes classified by one pass over the tables, at most: */
#define SW_CONN_SOCKS_MAX 64

/*
 * Pure: a pass over the four tables looking for some socket inodes.  A tcp
 * socket is a server's when a listening tcp socket (v4 or v6) has its
 * local port; udp has no listeners, and a connected udp socket is a
 * client's.
 */
struct sw_sock_scan {
	unsigned n;
	uint64_t want[SW_CONN_SOCKS_MAX];
	bool found[SW_CONN_SOCKS_MAX];
	bool udp[SW_CONN_SOCKS_MAX];
	struct sw_sock_row row[SW_CONN_SOCKS_MAX];
	uint8_t listen[65536 / 8];	/* tcp ports listened on */
	uint64_t lines;
};

/* Starts a pass for n inodes (at most SW_CONN_SOCKS_MAX kept). */
void sw_conn_scan_init(struct sw_sock_scan *s, const uint64_t *ino, unsigned n);
/* One line of a table (any line; the header and bad lines are skipped). */
void sw_conn_scan_line(struct sw_sock_scan *s, const char *line, size_t len,
		       bool v6, bool udp);
/* The class of the i-th inode after the pass, and its peer when a client. */
enum sw_sock_class sw_conn_scan_class(const struct sw_sock_scan *s, unsigned i,
				      struct sw_net_peer *peer);

/*
 * Classifies n socket inodes (at most SW_CONN_SOCKS_MAX) of protocols
 * proto[i] (enum sw_sock_proto; NULL: unknown) in the tables of the
 * network namespace of the process whose /proc/PID is dirfd: cls[i] (enum
 * sw_sock_class) and, for a client, peer[i].  Only the tables the
 * protocols name are read, each once, up to the last inode sought.  0, or
 * -errno when no table could be read.
 */
int sw_conn_classify(int dirfd, const uint64_t *ino, const uint8_t *proto,
		     unsigned n, uint8_t *cls, struct sw_net_peer *peer);

/* What a holder scan found in the descriptors of one process. */
struct sw_holding {
	bool end;		/* it holds the object (or its other end) */
	bool end_on_stdio;	/* ... as its fd 0, 1 or 2 */
	bool client;		/* it holds a socket connected out */
	bool client_on_stdio;	/* ... as its fd 0, 1 or 2 */
	bool unix_sock;		/* it holds a socket in no inet table */
	struct sw_net_peer peer;	/* the client socket's peer */
	unsigned fds;		/* descriptors looked at */
};

/* Descriptors a holder scan looks at, at most. */
#define SW_CONN_SCAN_MAX 1024

/*
 * Scans the descriptors of the process whose /proc/PID is dirfd for the
 * other end of want (the same pipe or named fifo; the master of a pty;
 * for a socket, any socket in no inet table) and for a socket connected
 * out.  0, or -errno when its descriptors cannot be listed.
 */
int sw_conn_holder(int dirfd, const struct sw_fd *want, struct sw_holding *ret);

/*
 * One line of /proc/net/unix: the socket's inode, and whether it listens
 * (the kernel's __SO_ACCEPTCON flag).  0, or -EINVAL for the header and
 * malformed lines.
 */
int sw_conn_parse_unix_row(const char *line, size_t len, uint64_t *ino,
			   bool *listening);

/*
 * Whether the process whose /proc/PID is dirfd holds a listening socket,
 * tcp (v4 or v6) or unix: its descriptors, then the tables of its network
 * namespace (net/tcp, tcp6, unix) up to the last of its sockets.  0, or -errno when its
 * descriptors or both tables cannot be read.
 */
int sw_conn_listens(int dirfd, bool *ret);

#endif
