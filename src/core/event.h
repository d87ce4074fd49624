/* SPDX-License-Identifier: MIT */
/*
 * struct sw_event is the vocabulary every pipeline stage shares: decode fills
 * the kernel's fields, enrich adds what /proc says at exec, lineage adds the
 * family, emit turns the whole into one line.  String fields point into
 * buffers owned by the stage that filled them and stay valid until the next
 * event is decoded.
 */
#ifndef SW_EVENT_H
#define SW_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SW_COMM_LEN 16		/* TASK_COMM_LEN */
/*
 * The longest lifetime or age spawnwatch writes (duration_s, oldest_s):
 * 10^10 s (317 years), more than the kernel's clock can have counted since
 * boot, and one digit, so that no rounding to 15 significant digits
 * (jsonw, jansson) goes past it.
 */
#define SW_DURATION_MAX_S 1e10
#define SW_ANCESTRY_MAX 64	/* hard upper bound of --ancestry */
#define SW_TAGS_MAX 8

enum sw_ev_type {
	SW_EV_FORK,
	SW_EV_EXEC,
	SW_EV_EXIT,
	SW_EV_UID,
	SW_EV_GID,
	SW_EV_SID,
	SW_EV_PTRACE,
	SW_EV_COMM,
	SW_EV_COREDUMP,
	SW_EV_REPARENT,
	SW_EV_ANOMALY,
	SW_EV_LOST,
	SW_EV_RESYNC,
	SW_EV_START,
	SW_EV_STOP,
	SW_EV_ACK,		/* subscription answer; never emitted */
	SW_EV__MAX
};

/* Event kinds the kernel sends (fork..coredump). */
#define SW_EV_KERNEL_KINDS 9
/* Kinds --events selects: the kernel's and reparent; a mask of these. */
#define SW_EV_SELECTABLE 10
#define SW_EVMASK(t) (1u << (t))
#define SW_EVMASK_ALL ((1u << SW_EV_SELECTABLE) - 1)

/* Which context fields of an event are known (enum sw_have bits). */
enum sw_have {
	SW_HAVE_PPID = 1u << 0,
	SW_HAVE_COMM = 1u << 1,
	SW_HAVE_EXE = 1u << 2,
	SW_HAVE_CWD = 1u << 3,
	SW_HAVE_ARGV = 1u << 4,
	SW_HAVE_CREDS = 1u << 5,
	SW_HAVE_DURATION = 1u << 6,
	SW_HAVE_START = 1u << 7,
	SW_HAVE_CONTAINER = 1u << 8,	/* it runs in a container */
	SW_HAVE_NS = 1u << 9,		/* mount and pid namespace ids */
	SW_HAVE_PARENT_NS = 1u << 10,	/* the parent's, too */
	SW_HAVE_PARENT_CREDS = 1u << 11,
	SW_HAVE_NET = 1u << 12,		/* ev->net: a shell wired to a peer */
};

/*
 * How a shell reaches the network (ev->net.via): its own stdin, stdout or
 * stderr is the socket, or it is wired by a pipe or named fifo, a pty, or a
 * socketpair to the process that holds the socket (ev->net.holder).
 */
enum sw_app_listens {
	SW_APP_UNKNOWN = 0,
	SW_APP_LISTENS,
	SW_APP_SILENT,		/* no listening socket */
};

enum sw_net_via {
	SW_VIA_STDIO,
	SW_VIA_PIPE,
	SW_VIA_PTY,
	SW_VIA_SOCKETPAIR,
	SW_VIA__MAX
};

#define SW_NET_ADDR_MAX 46	/* INET6_ADDRSTRLEN */

/*
 * How the holder was found (ev->net.why): facts for the judgement, never
 * written (a recorded net has none, and is judged by the allow-list alone).
 */
enum sw_net_why {
	SW_NETW_PARENT = 1u << 0,	/* the holder is the shell's parent */
	SW_NETW_SIBLING = 1u << 1,	/* ... another child of its parent */
	SW_NETW_END_STDIO = 1u << 2,	/* it holds its end as fd 0, 1 or 2 */
	SW_NETW_SOCK_STDIO = 1u << 3,	/* it holds the socket as fd 0, 1 or 2 */
	SW_NETW_LATE = 1u << 4,		/* found after the exec, at a tick */
};

/* The peer of a connected inet or inet6 socket: "net" on a line. */
struct sw_net_peer {
	char peer[SW_NET_ADDR_MAX];	/* 192.0.2.4, 2001:db8::1 */
	uint16_t port;
	bool udp;			/* proto "udp", else "tcp" */
	uint8_t via;			/* enum sw_net_via */
	int holder;			/* the socket's holder; 0 for stdio */
	uint8_t why;			/* enum sw_net_why bits */
};

/*
 * Why a field read from /proc at exec is missing (ev->unread[field]): the
 * "unread" object of an exec line, the field's name to the reason's.
 */
enum sw_unread {
	SW_UNREAD_NONE,
	SW_UNREAD_GONE,		/* proc_gone: the process had exited */
	SW_UNREAD_DENIED,	/* proc_denied: EACCES, EPERM */
	SW_UNREAD_TIMEOUT,	/* proc_timeout: not read within the deadline */
	SW_UNREAD_REUSED,	/* pid_reused: /proc/PID was another process */
	SW_UNREAD__MAX
};

/* The fields an unread reason is given for, in the order of the line. */
enum sw_unread_field {
	SW_UF_ARGV,
	SW_UF_EXE,
	SW_UF_CWD,
	SW_UF_COMM,
	SW_UF__MAX
};

struct sw_ancestor {
	int pid;
	const char *comm;
	const char *exe;
};

struct sw_start_info;
struct sw_stats;

struct sw_event {
	enum sw_ev_type type;
	uint32_t cpu;		/* CPU the kernel reported it on */
	uint32_t seq;		/* per-CPU connector sequence number */
	uint64_t ktime_ns;	/* CLOCK_MONOTONIC of the kernel event */

	int pid;		/* process (tgid) the event is about */
	int tid;		/* thread id; equal to pid for the leader */
	bool thread;		/* thread creation or exit */

	union {
		struct {
			int parent_pid, parent_tid;
		} fork;
		struct {
			uint32_t status;	/* raw wait status */
			int exit_code;		/* -1 when killed */
			int signal;		/* 0 when it exited */
			bool core;
			int kernel_ppid;
		} exit;
		struct {
			uint32_t r, e;		/* new real / effective id */
			uint32_t prev_r, prev_e;
			bool have_prev;
			const char *exe;	/* read at a gain of root */
			/*
			 * Also read then, for privilege-escalation only
			 * (never written): the saved uid and capability
			 * sets after the change, whether the executable's
			 * file capabilities grant CAP_SETUID.
			 */
			bool have_privs;
			bool file_setuid;
			uint32_t saved;
			uint64_t cap_eff, cap_bnd;
		} id;
		struct {
			int tracer_pid, tracer_tid;
			const char *tracer_comm;
			const char *tracer_exe;	/* what ptrace-attach judges */
			uint64_t tracer_mntns;	/* its mount namespace; 0 unknown */
		} ptrace;
		struct {
			char comm[SW_COMM_LEN + 1];
			char prev[SW_COMM_LEN + 1];
			bool have_prev;
		} comm;
		struct {
			int parent_pid;
		} coredump;
		struct {
			int prev_ppid;
		} reparent;
		struct {
			uint64_t prev_mntns, prev_pidns;	/* before */
			bool have_prev_ns;
		} exec;
		struct {
			const char *tag;
			unsigned count, threshold;
			double window_s;	/* 0: no window */
			double oldest_s;	/* age of the oldest counted */
		} anomaly;
		struct {
			int64_t count;		/* -1: unknown */
			const char *reason;
		} lost;
		struct {
			unsigned added, removed, reparented, tracked;
		} resync;
		struct {
			uint32_t ack;
			uint32_t err;
		} ack;
	} u;

	/* Context: from /proc at exec, otherwise from the lineage table. */
	bool enriched;		/* /proc was read for it */
	unsigned have;		/* enum sw_have bits */
	int ppid;
	const char *comm;
	const char *exe;
	const char *cwd;
	const char *argv;	/* NUL-separated, argv_len bytes */
	size_t argv_len;
	/*
	 * Fields that hold less than the process had (enum sw_have bits:
	 * comm, exe, cwd, argv), each line saying so; argv_size is then the
	 * length of the whole command line (bytes of /proc/PID/cmdline).
	 */
	unsigned cut;
	size_t argv_size;
	bool ancestry_cut;	/* ancestors left out for the line's size */
	uint64_t ancestry_exe_cut;	/* bit i: ancestry[i].exe was cut */
	uint32_t uid, euid, gid, egid;
	const char *user;
	const char *container_id;
	const char *container_runtime;
	uint64_t mntns, pidns;	/* namespace inode numbers */
	uint64_t parent_mntns, parent_pidns;	/* when SW_HAVE_PARENT_NS */
	uint32_t parent_euid;			/* when SW_HAVE_PARENT_CREDS */
	uint64_t start_ns;	/* CLOCK_MONOTONIC start of the process */
	struct sw_net_peer net;	/* when SW_HAVE_NET */
	/*
	 * The app server (node, java) above a suspect shell, and whether it
	 * holds a listening socket (tcp or unix): read by enrich for web-shell,
	 * never written (enum sw_app_listens; 0 unknown, as in a replay).
	 */
	int app_pid;
	uint8_t app_listens;
	uint8_t unread[SW_UF__MAX];	/* enum sw_unread, by field */
	bool marked;		/* inside a --pid subtree */
	double duration_s;	/* 0 to SW_DURATION_MAX_S */
	unsigned n_ancestry;
	unsigned n_tags;

	const struct sw_start_info *start;	/* SW_EV_START */
	const struct sw_stats *stats;		/* SW_EV_STOP */

	/* Last: read only up to n_ancestry / n_tags, never cleared whole. */
	struct sw_ancestor ancestry[SW_ANCESTRY_MAX];
	const char *tags[SW_TAGS_MAX];
};

/* The length of the whole command line: argv_size, or argv_len if more. */
static inline size_t sw_event_argv_size(const struct sw_event *ev)
{
	return ev->argv_size > ev->argv_len ? ev->argv_size : ev->argv_len;
}

/* Whether the executable of ancestor i was cut (for the line's size). */
static inline bool sw_event_ancestor_cut(const struct sw_event *ev, unsigned i)
{
	return i < 64 && ev->ancestry[i].exe && ((ev->ancestry_exe_cut >> i) & 1);
}

/* Clears an event for reuse: every field but the tail arrays. */
void sw_event_reset(struct sw_event *ev, enum sw_ev_type type);
const char *sw_event_name(enum sw_ev_type type);
/* Whether lines of this type carry the process keys (pid, comm, argv...). */
bool sw_event_is_process(enum sw_ev_type type);
int sw_event_from_name(const char *name);
/* "proc_timeout", ...; NULL for SW_UNREAD_NONE or out of range. */
const char *sw_unread_name(unsigned reason);
/* The reason of a name, or SW_UNREAD_NONE. */
unsigned sw_unread_from_name(const char *name);
/* "argv", "exe", "cwd", "comm". */
const char *sw_unread_field_name(unsigned field);
/* "stdio", "pipe", "pty", "socketpair"; NULL out of range. */
const char *sw_net_via_name(unsigned via);
/* The via of a name, or -1. */
int sw_net_via_from_name(const char *name);
/* Whether any field of ev has a reason. */
bool sw_event_has_unread(const struct sw_event *ev);

#endif
