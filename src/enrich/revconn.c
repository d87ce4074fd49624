/* SPDX-License-Identifier: MIT */
/*
 * A shell's descriptors and their other ends: see revconn.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "procfs.h"
#include "revconn.h"

/* Siblings looked at, at most: the newest (a pipeline's are). */
#define SIBLINGS_MAX 16

struct kept {
	int pid;
	uint64_t start_ns;	/* the process's, to tell a reused pid */
	uint64_t since_ns;
};

struct sw_revconn {
	int procfd;
	int self;		/* spawnwatch's own pid: never a holder */
	unsigned n;
	struct kept kept[SW_REVCONN_KEEP];
	struct sw_revconn_counts counts;
};

struct sw_revconn *sw_revconn_new(int procfd)
{
	struct sw_revconn *rc = calloc(1, sizeof(*rc));

	if (rc) {
		rc->procfd = procfd;
		rc->self = getpid();
	}
	return rc;
}

void sw_revconn_free(struct sw_revconn *rc)
{
	free(rc);
}

void sw_revconn_counts(const struct sw_revconn *rc, struct sw_revconn_counts *ret)
{
	*ret = rc->counts;
}

uint8_t sw_revconn_listens(struct sw_revconn *rc, int pid)
{
	int dirfd = sw_procfs_open_pid(rc->procfd, pid);
	bool yes = false;
	int r;

	if (dirfd < 0)
		return SW_APP_UNKNOWN;
	rc->counts.listens++;
	r = sw_conn_listens(dirfd, &yes);
	close(dirfd);
	if (r < 0)
		return SW_APP_UNKNOWN;
	return yes ? SW_APP_LISTENS : SW_APP_SILENT;
}

/* An output end worth following to its holder: a pipe, fifo, pty, socketpair. */
static bool followed(const struct sw_fd *f, bool inet)
{
	switch (f->kind) {
	case SW_FD_PIPE:
	case SW_FD_PTS:
		return true;
	case SW_FD_PATH:
		return f->path[0] != '\0';
	case SW_FD_SOCKET:
		return !inet;
	default:
		return false;
	}
}

/* Scans holder pid for end; 0, or -errno. */
static int scan(struct sw_revconn *rc, int pid, const struct sw_fd *end,
		struct sw_holding *h)
{
	int dirfd = sw_procfs_open_pid(rc->procfd, pid), r;

	if (dirfd < 0)
		return dirfd;
	rc->counts.holders++;
	r = sw_conn_holder(dirfd, end, h);
	close(dirfd);
	return r;
}

/*
 * Whether one of fds 1 and 2 (what the shell writes to) reaches a holder
 * of a socket connected out: the parent (any end), or a sibling holding a
 * pipe or fifo end as its own stdin, stdout or stderr.  At the exec (!all)
 * only a pty's or socketpair's end is followed, to the parent: a pipe's or
 * fifo's holders are many and its shell most often gone within a second,
 * so they are looked for at the next tick, if it still runs.  *keep: worth
 * looking at again.
 */
static bool wired(struct sw_revconn *rc, const struct sw_lineage *l, int pid,
		  int ppid, const struct sw_fd fd[3], const bool inet[3], bool all,
		  bool parent_now, struct sw_net_peer *net, bool *keep)
{
	const struct sw_proc *p = sw_lineage_lookup(l, pid);
	int sibs[SIBLINGS_MAX];
	unsigned n_sibs = 0;

	*keep = false;
	if (p && p->parent) {
		ppid = p->parent->pid;
		for (const struct sw_proc *s = p->parent->first_child;
		     all && s && n_sibs < SIBLINGS_MAX; s = s->sib_next)
			if (s != p && !s->exited && s->pid != rc->self)
				sibs[n_sibs++] = s->pid;
	}
	for (int i = 1; i <= 2; i++) {
		const struct sw_fd *end = &fd[i];
		struct sw_holding h;
		bool pipe_like = end->kind == SW_FD_PIPE || end->kind == SW_FD_PATH;

		if (!followed(end, inet[i]) || (i == 2 && sw_conn_same(&fd[1], end)))
			continue;
		*keep = true;
		if (!all && pipe_like && !parent_now)
			continue;
		if (ppid > 1 && ppid != rc->self && scan(rc, ppid, end, &h) == 0 &&
		    h.end && h.client) {
			*net = h.peer;
			net->via = end->kind == SW_FD_PTS ? SW_VIA_PTY :
				   end->kind == SW_FD_SOCKET ? SW_VIA_SOCKETPAIR :
				   SW_VIA_PIPE;
			net->holder = ppid;
			net->why = SW_NETW_PARENT |
				   (h.end_on_stdio ? SW_NETW_END_STDIO : 0) |
				   (h.client_on_stdio ? SW_NETW_SOCK_STDIO : 0);
			return true;
		}
		if (!pipe_like || !all)
			continue;
		for (unsigned k = 0; k < n_sibs; k++) {
			if (scan(rc, sibs[k], end, &h) < 0 || !h.end_on_stdio || !h.client)
				continue;
			*net = h.peer;
			net->via = SW_VIA_PIPE;
			net->holder = sibs[k];
			net->why = SW_NETW_SIBLING | SW_NETW_END_STDIO |
				   (h.client_on_stdio ? SW_NETW_SOCK_STDIO : 0);
			return true;
		}
	}
	return false;
}

static void keep(struct sw_revconn *rc, const struct sw_event *ev,
		 const struct sw_lineage *l)
{
	const struct sw_proc *p = sw_lineage_lookup(l, ev->pid);
	struct kept *k = NULL;

	for (unsigned i = 0; i < rc->n && !k; i++)
		if (rc->kept[i].pid == ev->pid)		/* an exec again */
			k = &rc->kept[i];
	/* Full: the place of one that has exited since. */
	for (unsigned i = 0; i < rc->n && !k; i++) {
		const struct sw_proc *q = sw_lineage_lookup(l, rc->kept[i].pid);

		if (!q || q->exited || q->start_ns != rc->kept[i].start_ns)
			k = &rc->kept[i];
	}
	if (!k && rc->n == SW_REVCONN_KEEP) {
		rc->counts.dropped++;
		return;
	}
	if (!k)
		k = &rc->kept[rc->n++];
	k->pid = ev->pid;
	k->start_ns = p ? p->start_ns : 0;
	k->since_ns = ev->ktime_ns;
	rc->counts.kept++;
}

/* fds 0-2 of the process at dirfd, and which are inet sockets. */
static void read_stdio(int dirfd, struct sw_fd fd[3], bool inet[3], uint64_t ino[3],
		       uint8_t cls[3], struct sw_net_peer peer[3], unsigned *n)
{
	uint8_t proto[3];

	*n = 0;
	for (int i = 0; i < 3; i++) {
		bool dup = false;

		sw_conn_fd(dirfd, i, &fd[i]);
		inet[i] = false;
		if (fd[i].kind != SW_FD_SOCKET)
			continue;
		for (unsigned j = 0; j < *n; j++)
			dup |= ino[j] == fd[i].ino;
		if (!dup) {
			proto[*n] = fd[i].proto;
			ino[(*n)++] = fd[i].ino;
		}
	}
	if (!*n)
		return;
	if (sw_conn_classify(dirfd, ino, proto, *n, cls, peer) < 0) {
		/* No table to tell inet from the rest: none followed as a pair. */
		for (int i = 0; i < 3; i++)
			inet[i] = fd[i].kind == SW_FD_SOCKET;
		*n = 0;
		return;
	}
	for (int i = 0; i < 3; i++)
		for (unsigned j = 0; j < *n; j++)
			if (fd[i].kind == SW_FD_SOCKET && ino[j] == fd[i].ino)
				inet[i] = cls[j] != SW_SOCK_NOT_INET;
}

/* The links of fds 0-2 (n of them, from 0), no more: three readlinks. */
static unsigned read_links(struct sw_revconn *rc, int pid, struct sw_fd fd[3],
			   unsigned n)
{
	unsigned sockets = 0;

	for (unsigned i = 0; i < n; i++) {
		char name[40], link[SW_FD_PATH_MAX + 64];

		fd[i].fd = (int)i;
		snprintf(name, sizeof(name), "%d/fd/%u", pid, i);
		if (sw_procfs_readlink(rc->procfd, name, link, sizeof(link)) < 0)
			link[0] = '\0';
		sw_conn_parse_link(link, &fd[i]);
		sockets += fd[i].kind == SW_FD_SOCKET;
	}
	return sockets;
}

bool sw_revconn_exec(struct sw_revconn *rc, const struct sw_lineage *l,
		     struct sw_event *ev, bool candidate, bool parent_now)
{
	struct sw_fd fd[3];
	uint64_t ino[3];
	uint8_t cls[3];
	struct sw_net_peer peer[3];
	bool inet[3] = { false, false, false }, keep_it = false, found = false;
	unsigned n = 0;

	/* Every exec gets a look at its stdin: is it a socket? */
	if (!candidate && !read_links(rc, ev->pid, fd, 1))
		return false;
	rc->counts.checked++;
	/*
	 * A socket among them: its protocol, and the tables if inet; a parent
	 * looked at now: the fdinfo of the ends.
	 */
	if (!candidate || read_links(rc, ev->pid, fd, 3) || parent_now) {
		int dirfd = sw_procfs_open_pid(rc->procfd, ev->pid);

		if (dirfd < 0)
			return false;
		read_stdio(dirfd, fd, inet, ino, cls, peer, &n);
		close(dirfd);
	}
	for (unsigned j = 0; j < n && !found; j++) {
		bool in = fd[0].kind == SW_FD_SOCKET && fd[0].ino == ino[j];
		bool out = (fd[1].kind == SW_FD_SOCKET && fd[1].ino == ino[j]) ||
			   (fd[2].kind == SW_FD_SOCKET && fd[2].ino == ino[j]);

		if (cls[j] != SW_SOCK_CLIENT || !(candidate || (in && out)))
			continue;
		ev->net = peer[j];
		ev->net.via = SW_VIA_STDIO;
		ev->net.holder = 0;
		ev->net.why = 0;
		found = true;
	}
	if (!found && candidate)
		found = wired(rc, l, ev->pid, ev->ppid, fd, inet, false, parent_now,
			      &ev->net, &keep_it);
	if (found) {
		ev->have |= SW_HAVE_NET;
		return true;
	}
	if (keep_it)
		keep(rc, ev, l);
	return false;
}

/* A kept shell now: its descriptors read again, their holders looked for. */
static bool check(struct sw_revconn *rc, const struct sw_lineage *l, int pid,
		  int ppid, struct sw_net_peer *net)
{
	struct sw_fd fd[3];
	uint64_t ino[3];
	uint8_t cls[3];
	struct sw_net_peer peer[3];
	bool inet[3], again;
	unsigned n;
	int dirfd = sw_procfs_open_pid(rc->procfd, pid);

	if (dirfd < 0)
		return false;
	read_stdio(dirfd, fd, inet, ino, cls, peer, &n);
	close(dirfd);
	return wired(rc, l, pid, ppid, fd, inet, true, true, net, &again);
}

void sw_revconn_tick(struct sw_revconn *rc, const struct sw_lineage *l,
		     uint64_t now_ns, sw_revconn_found_fn found, void *data)
{
	for (unsigned i = 0; i < rc->n;) {
		struct kept *k = &rc->kept[i];
		const struct sw_proc *p = sw_lineage_lookup(l, k->pid);
		struct sw_net_peer net;
		bool hit = false;

		if (p && !p->exited && (!k->start_ns || p->start_ns == k->start_ns) &&
		    now_ns - k->since_ns < SW_REVCONN_KEEP_NS) {
			memset(&net, 0, sizeof(net));
			hit = check(rc, l, k->pid, p->ppid, &net);
			if (!hit) {
				i++;
				continue;
			}
		}
		if (hit) {
			rc->counts.late++;
			net.why |= SW_NETW_LATE;
			found(data, k->pid, &net);
		}
		rc->kept[i] = rc->kept[--rc->n];
	}
}
