/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "lineage.h"

/* /proc start times have clock-tick granularity; allow two ticks. */
#define START_SLACK_NS 20000000ull

struct sw_lineage {
	struct sw_proc **buckets;
	unsigned nbuckets;		/* power of two */
	unsigned count;			/* entries, live and exited */
	unsigned n_exited;
	struct sw_proc *qhead, *qtail;	/* exited entries, oldest first */
	struct sw_proc *pool;		/* freed entries for reuse */
	struct sw_lineage_conf conf;
	struct sw_stats *stats;
	struct sw_users *users;
	bool sealed;
	uint32_t scan_gen;
};

struct sw_str *sw_str_new(const char *s, size_t len)
{
	struct sw_str *str;

	if (len > UINT32_MAX - 1)
		return NULL;
	str = malloc(sizeof(*str) + len + 1);
	if (!str)
		return NULL;
	str->refs = 1;
	str->len = (uint32_t)len;
	memcpy(str->s, s, len);
	str->s[len] = '\0';
	return str;
}

static struct sw_str *str_ref(struct sw_str *s)
{
	if (s)
		s->refs++;
	return s;
}

void sw_str_unref(struct sw_str *s)
{
	if (s && --s->refs == 0)
		free(s);
}

static void str_set(struct sw_str **slot, const char *s, size_t len)
{
	sw_str_unref(*slot);
	*slot = s ? sw_str_new(s, len) : NULL;
}

struct sw_lineage *sw_lineage_new(const struct sw_lineage_conf *conf,
				  struct sw_stats *stats,
				  struct sw_users *users)
{
	struct sw_lineage *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->conf = *conf;
	l->stats = stats;
	l->users = users;
	l->nbuckets = 4096;
	l->buckets = calloc(l->nbuckets, sizeof(*l->buckets));
	if (!l->buckets) {
		free(l);
		return NULL;
	}
	return l;
}

static void proc_release(struct sw_proc *p)
{
	sw_str_unref(p->exe);
	sw_str_unref(p->cwd);
	sw_str_unref(p->argv);
}

void sw_lineage_free(struct sw_lineage *l)
{
	if (!l)
		return;
	for (unsigned i = 0; i < l->nbuckets; i++) {
		struct sw_proc *p = l->buckets[i], *next;

		for (; p; p = next) {
			next = p->hnext;
			proc_release(p);
			free(p);
		}
	}
	while (l->pool) {
		struct sw_proc *next = l->pool->hnext;

		free(l->pool);
		l->pool = next;
	}
	free(l->buckets);
	free(l);
}

static unsigned bucket_of(const struct sw_lineage *l, int pid)
{
	return ((uint32_t)pid * 2654435761u) & (l->nbuckets - 1);
}

struct sw_proc *sw_lineage_find(struct sw_lineage *l, int pid)
{
	struct sw_proc *p = l->buckets[bucket_of(l, pid)];

	while (p && p->pid != pid)
		p = p->hnext;
	return p;
}

unsigned sw_lineage_count(const struct sw_lineage *l)
{
	return l->count;
}

void sw_lineage_foreach(struct sw_lineage *l,
			void (*fn)(struct sw_proc *p, void *data), void *data)
{
	for (unsigned i = 0; i < l->nbuckets; i++) {
		struct sw_proc *p = l->buckets[i], *next;

		for (; p; p = next) {
			next = p->hnext;
			fn(p, data);
		}
	}
}

static void grow(struct sw_lineage *l)
{
	unsigned n = l->nbuckets * 2;
	struct sw_proc **b = calloc(n, sizeof(*b));

	if (!b)
		return;		/* longer chains, still correct */
	for (unsigned i = 0; i < l->nbuckets; i++) {
		struct sw_proc *p = l->buckets[i], *next;

		for (; p; p = next) {
			unsigned j = ((uint32_t)p->pid * 2654435761u) & (n - 1);

			next = p->hnext;
			p->hnext = b[j];
			b[j] = p;
		}
	}
	free(l->buckets);
	l->buckets = b;
	l->nbuckets = n;
}

static void queue_unlink(struct sw_lineage *l, struct sw_proc *p)
{
	if (!p->exited)
		return;
	if (p->qprev)
		p->qprev->qnext = p->qnext;
	else
		l->qhead = p->qnext;
	if (p->qnext)
		p->qnext->qprev = p->qprev;
	else
		l->qtail = p->qprev;
	p->qprev = p->qnext = NULL;
	l->n_exited--;
}

static void remove_entry(struct sw_lineage *l, struct sw_proc *p)
{
	struct sw_proc **pp = &l->buckets[bucket_of(l, p->pid)];

	while (*pp && *pp != p)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = p->hnext;
	queue_unlink(l, p);
	proc_release(p);
	memset(p, 0, sizeof(*p));
	p->hnext = l->pool;
	l->pool = p;
	l->count--;
	l->stats->tracked = l->count;
}

static void evict_oldest(struct sw_lineage *l)
{
	if (!l->qhead)
		return;
	remove_entry(l, l->qhead);
	l->stats->evicted++;
}

static struct sw_proc *insert(struct sw_lineage *l, int pid)
{
	struct sw_proc *p;
	unsigned b;

	if (l->count >= l->conf.cap)
		evict_oldest(l);
	if (l->count >= l->conf.cap) {
		l->stats->untracked++;
		return NULL;
	}
	if (l->pool) {
		p = l->pool;
		l->pool = p->hnext;
	} else {
		p = calloc(1, sizeof(*p));
		if (!p)
			return NULL;
	}
	if (l->count >= l->nbuckets * 2)
		grow(l);
	p->pid = pid;
	b = bucket_of(l, pid);
	p->hnext = l->buckets[b];
	l->buckets[b] = p;
	l->count++;
	l->stats->tracked = l->count;
	if (l->count > l->stats->peak_tracked)
		l->stats->peak_tracked = l->count;
	return p;
}

void sw_lineage_mark_exited(struct sw_lineage *l, struct sw_proc *p,
			    uint64_t now_ns)
{
	if (p->exited)
		return;
	p->exited = true;
	p->exit_ns = now_ns;
	p->qprev = l->qtail;
	p->qnext = NULL;
	if (l->qtail)
		l->qtail->qnext = p;
	else
		l->qhead = p;
	l->qtail = p;
	l->n_exited++;
}

static void revive(struct sw_lineage *l, struct sw_proc *p)
{
	queue_unlink(l, p);
	p->exited = false;
	p->exit_ns = 0;
}

void sw_lineage_expire(struct sw_lineage *l, uint64_t now_ns)
{
	while (l->qhead && l->qhead->exit_ns + l->conf.linger_ns <= now_ns)
		evict_oldest(l);
}

static void copy_snap(struct sw_proc *p, const struct sw_proc_snap *snap)
{
	if (snap->have & SW_HAVE_COMM)
		memcpy(p->comm, snap->stat.comm, sizeof(p->comm));
	if (snap->have & SW_HAVE_PPID)
		p->ppid = snap->stat.ppid;
	if (snap->have & SW_HAVE_CREDS) {
		p->uid = snap->status.uid;
		p->euid = snap->status.euid;
		p->gid = snap->status.gid;
		p->egid = snap->status.egid;
	}
	sw_str_unref(p->exe);
	p->exe = NULL;
	if (snap->have & SW_HAVE_EXE)
		p->exe = sw_str_new(snap->exe, strlen(snap->exe));
	sw_str_unref(p->cwd);
	p->cwd = NULL;
	if (snap->have & SW_HAVE_CWD)
		p->cwd = sw_str_new(snap->cwd, strlen(snap->cwd));
	sw_str_unref(p->argv);
	p->argv = NULL;
	if (snap->have & SW_HAVE_ARGV)
		p->argv = sw_str_new(snap->argv, snap->argv_len);
	p->have = snap->have & (SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_CREDS |
				SW_HAVE_START | SW_HAVE_EXE | SW_HAVE_CWD |
				SW_HAVE_ARGV);
	if (!p->exe)
		p->have &= ~SW_HAVE_EXE;
	if (!p->cwd)
		p->have &= ~SW_HAVE_CWD;
	if (!p->argv)
		p->have &= ~SW_HAVE_ARGV;
}

int sw_lineage_seed(struct sw_lineage *l, int pid,
		    const struct sw_proc_snap *snap)
{
	struct sw_proc *p = sw_lineage_find(l, pid);
	uint64_t start = sw_procfs_ticks_to_ns(snap->stat.start_ticks);

	if (p && !p->exited && (snap->have & SW_HAVE_START) &&
	    (p->have & SW_HAVE_START) && start > p->start_ns + START_SLACK_NS) {
		remove_entry(l, p);	/* a newer process holds the pid */
		p = NULL;
	}
	if (!p) {
		p = insert(l, pid);
		if (!p)
			return -ENOMEM;
		p->seeded = true;
		if (snap->have & SW_HAVE_START)
			p->start_ns = start;
	}
	copy_snap(p, snap);
	return 0;
}

void sw_lineage_seal(struct sw_lineage *l)
{
	l->sealed = true;
}

/* Starts a child entry from its parent: a fork inherits everything. */
static void inherit(struct sw_proc *c, const struct sw_proc *parent)
{
	memcpy(c->comm, parent->comm, sizeof(c->comm));
	c->exe = str_ref(parent->exe);
	c->cwd = str_ref(parent->cwd);
	c->argv = str_ref(parent->argv);
	c->uid = parent->uid;
	c->euid = parent->euid;
	c->gid = parent->gid;
	c->egid = parent->egid;
	c->have = parent->have & (SW_HAVE_COMM | SW_HAVE_EXE | SW_HAVE_CWD |
				  SW_HAVE_ARGV | SW_HAVE_CREDS);
}

static void apply_fork(struct sw_lineage *l, struct sw_event *ev)
{
	struct sw_proc *c = sw_lineage_find(l, ev->pid);
	struct sw_proc *parent = sw_lineage_find(l, ev->u.fork.parent_pid);
	struct sw_proc from = { 0 };

	if (ev->thread)
		return;
	if (parent && !parent->exited)
		parent->forks++;
	/* Before sealing, the /proc scan may already hold this very child. */
	if (c && !c->exited && c->seeded && !l->sealed) {
		c->seeded = false;
		c->start_ns = ev->ktime_ns;
		c->ppid = ev->u.fork.parent_pid;
		return;
	}
	if (c)
		remove_entry(l, c);	/* the old generation is over */
	/* insert() may evict an exited parent: inherit from a copy. */
	if (parent)
		inherit(&from, parent);
	c = insert(l, ev->pid);
	if (c) {
		c->ppid = ev->u.fork.parent_pid;
		c->start_ns = ev->ktime_ns;
		inherit(c, &from);
		c->have |= SW_HAVE_PPID | SW_HAVE_START;
	}
	proc_release(&from);
}

/* exec: what /proc said replaces what the fork inherited. */
static void apply_exec(struct sw_lineage *l, struct sw_event *ev)
{
	struct sw_proc *p = sw_lineage_find(l, ev->pid);

	if (!p) {
		p = insert(l, ev->pid);
		if (!p)
			return;
		p->start_ns = ev->start_ns;
		p->have |= ev->have & SW_HAVE_START;
	} else if (p->exited) {
		revive(l, p);	/* exec from a non-leader thread */
	}
	if ((ev->have & SW_HAVE_PPID) && !(p->have & SW_HAVE_PPID))
		p->ppid = ev->ppid;
	p->have |= ev->have & SW_HAVE_PPID;
	/* What /proc did not give is unknown now, not the pre-exec value. */
	if (ev->have & SW_HAVE_COMM)
		snprintf(p->comm, sizeof(p->comm), "%s", ev->comm);
	if (ev->have & SW_HAVE_CREDS) {
		p->uid = ev->uid;
		p->euid = ev->euid;
		p->gid = ev->gid;
		p->egid = ev->egid;
	}
	p->have &= ~(SW_HAVE_EXE | SW_HAVE_CWD | SW_HAVE_ARGV | SW_HAVE_CREDS |
		     SW_HAVE_COMM);
	p->have |= ev->have & (SW_HAVE_EXE | SW_HAVE_CWD | SW_HAVE_ARGV |
			       SW_HAVE_CREDS | SW_HAVE_COMM);
	str_set(&p->exe, ev->exe, ev->exe ? strlen(ev->exe) : 0);
	str_set(&p->cwd, ev->cwd, ev->cwd ? strlen(ev->cwd) : 0);
	str_set(&p->argv, ev->argv, ev->argv_len);
}

static void apply_id(struct sw_proc *p, struct sw_event *ev)
{
	uint32_t *r = ev->type == SW_EV_UID ? &p->uid : &p->gid;
	uint32_t *e = ev->type == SW_EV_UID ? &p->euid : &p->egid;

	if (p->have & SW_HAVE_CREDS) {
		ev->u.id.prev_r = *r;
		ev->u.id.prev_e = *e;
		ev->u.id.have_prev = true;
	}
	if (ev->thread || ev->pid != ev->tid)
		return;
	*r = ev->u.id.r;
	*e = ev->u.id.e;
}

static void apply_update(struct sw_lineage *l, struct sw_event *ev)
{
	struct sw_proc *p = sw_lineage_find(l, ev->pid);

	if (!p)
		return;
	switch (ev->type) {
	case SW_EV_UID:
	case SW_EV_GID:
		apply_id(p, ev);
		break;
	case SW_EV_COMM:
		if (p->have & SW_HAVE_COMM) {
			memcpy(ev->u.comm.prev, p->comm, sizeof(ev->u.comm.prev));
			ev->u.comm.have_prev = true;
		}
		break;
	case SW_EV_EXIT:
		/* The kernel names the parent at exit: an orphan's new one. */
		if (!ev->thread && ev->u.exit.kernel_ppid > 0) {
			p->ppid = ev->u.exit.kernel_ppid;
			p->have |= SW_HAVE_PPID;
		}
		if (!ev->thread && !p->exited && (p->have & SW_HAVE_START) &&
		    ev->ktime_ns >= p->start_ns) {
			ev->duration_s = (double)(ev->ktime_ns - p->start_ns) / 1e9;
			ev->have |= SW_HAVE_DURATION;
		}
		break;
	default:
		break;
	}
}

static void fill_ancestry(struct sw_lineage *l, struct sw_event *ev,
			  const struct sw_proc *p)
{
	const struct sw_proc *child = p;
	unsigned n = 0;

	while (n < l->conf.ancestry && n < SW_ANCESTRY_MAX &&
	       (child->have & SW_HAVE_PPID) && child->ppid > 0 &&
	       child->ppid != child->pid) {
		const struct sw_proc *a = sw_lineage_find(l, child->ppid);

		/* A parent is never younger than its child: pid reuse. */
		if (!a || ((a->have & SW_HAVE_START) &&
			   (child->have & SW_HAVE_START) &&
			   a->start_ns > child->start_ns + START_SLACK_NS))
			break;
		ev->ancestry[n].pid = a->pid;
		ev->ancestry[n].comm = (a->have & SW_HAVE_COMM) ? a->comm : NULL;
		ev->ancestry[n].exe = a->exe ? a->exe->s : NULL;
		n++;
		child = a;
	}
	ev->n_ancestry = n;
}

static void fill_context(struct sw_lineage *l, struct sw_event *ev,
			 const struct sw_proc *p)
{
	ev->have |= p->have & (SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_EXE |
			       SW_HAVE_CWD | SW_HAVE_ARGV | SW_HAVE_CREDS |
			       SW_HAVE_START);
	ev->ppid = p->ppid;
	ev->comm = p->comm;
	ev->exe = p->exe ? p->exe->s : NULL;
	ev->cwd = p->cwd ? p->cwd->s : NULL;
	ev->argv = p->argv ? p->argv->s : NULL;
	ev->argv_len = p->argv ? p->argv->len : 0;
	ev->uid = p->uid;
	ev->euid = p->euid;
	ev->gid = p->gid;
	ev->egid = p->egid;
	ev->start_ns = p->start_ns;
	if (p->have & SW_HAVE_CREDS)
		ev->user = sw_users_name(l->users, p->euid);
	fill_ancestry(l, ev, p);
}

void sw_lineage_apply(struct sw_lineage *l, struct sw_event *ev)
{
	struct sw_proc *p;

	if (ev->type == SW_EV_FORK)
		apply_fork(l, ev);
	else if (ev->type == SW_EV_EXEC)
		apply_exec(l, ev);
	else
		apply_update(l, ev);

	p = sw_lineage_find(l, ev->pid);
	if (p) {
		fill_context(l, ev, p);
	} else if (ev->type == SW_EV_EXIT && ev->u.exit.kernel_ppid > 0) {
		ev->ppid = ev->u.exit.kernel_ppid;
		ev->have |= SW_HAVE_PPID;
	}
	if (ev->type == SW_EV_PTRACE && ev->u.ptrace.tracer_pid > 0) {
		struct sw_proc *t = sw_lineage_find(l, ev->u.ptrace.tracer_pid);

		ev->u.ptrace.tracer_comm =
			t && (t->have & SW_HAVE_COMM) ? t->comm : NULL;
	}
	if (!p)
		return;
	if (ev->type == SW_EV_COMM && !ev->thread && ev->pid == ev->tid) {
		memcpy(p->comm, ev->u.comm.comm, sizeof(p->comm));
		p->have |= SW_HAVE_COMM;
	} else if (ev->type == SW_EV_EXIT && !ev->thread) {
		sw_lineage_mark_exited(l, p, ev->ktime_ns);
	}
}

static int scan_one(struct sw_lineage *l, int procfd, int pid,
		    struct sw_proc_snap *snap, struct sw_scan_counts *c)
{
	struct sw_proc *p = sw_lineage_find(l, pid);
	bool was_live;
	int old_ppid;

	if (sw_procfs_snap(procfd, pid, snap) < 0 || !(snap->have & SW_HAVE_PPID))
		return 0;	/* gone already */
	if (snap->status.tgid && snap->status.tgid != pid)
		return 0;	/* a thread id */
	if (p && p->exited) {
		/* The same process not yet reaped, or a new one on its pid. */
		if (!(snap->have & SW_HAVE_START) ||
		    sw_procfs_ticks_to_ns(snap->stat.start_ticks) <=
			    p->start_ns + START_SLACK_NS)
			return 0;
		remove_entry(l, p);
		p = NULL;
	}
	was_live = p != NULL;
	old_ppid = p ? p->ppid : 0;
	if (sw_lineage_seed(l, pid, snap) < 0)
		return 0;	/* table full: counted as untracked */
	p = sw_lineage_find(l, pid);
	if (!p)
		return 0;
	p->scan_gen = l->scan_gen;
	if (!was_live)
		c->added++;
	else if (old_ppid != p->ppid)
		c->reparented++;
	return 0;
}

struct close_ctx {
	struct sw_lineage *l;
	uint64_t now_ns;
	unsigned removed;
};

static void close_unseen(struct sw_proc *p, void *data)
{
	struct close_ctx *c = data;

	if (!p->exited && p->scan_gen != c->l->scan_gen) {
		sw_lineage_mark_exited(c->l, p, c->now_ns);
		c->removed++;
	}
}

int sw_lineage_scan(struct sw_lineage *l, int procfd, struct sw_proc_snap *snap,
		    uint64_t now_ns, struct sw_scan_counts *ret)
{
	struct close_ctx cc = { .l = l, .now_ns = now_ns };
	struct dirent *de;
	DIR *dir;
	int fd, r = 0;

	memset(ret, 0, sizeof(*ret));
	fd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -errno;
	}
	l->scan_gen++;
	while (r == 0 && (de = readdir(dir))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end == '\0' && pid > 0 && pid <= INT32_MAX)
			r = scan_one(l, procfd, (int)pid, snap, ret);
	}
	closedir(dir);
	if (r < 0)
		return r;
	sw_lineage_foreach(l, close_unseen, &cc);
	ret->removed = cc.removed;
	return 0;
}
