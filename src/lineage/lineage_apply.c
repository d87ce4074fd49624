/* SPDX-License-Identifier: MIT */
/*
 * Kernel events applied to the table, and each event given its context:
 * parent, name, executable, command line, credentials, ancestry.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lineage_int.h"

/* Starts a child entry from its parent: a fork inherits everything. */
static void inherit(struct sw_proc *c, const struct sw_proc *parent)
{
	memcpy(c->comm, parent->comm, sizeof(c->comm));
	c->exe = sw_str_ref(parent->exe);
	c->cwd = sw_str_ref(parent->cwd);
	c->argv = sw_str_ref(parent->argv);
	c->cut = parent->cut;
	c->argv_size = parent->argv_size;
	c->cid = sw_str_ref(parent->cid);
	c->runtime = parent->runtime;
	c->mntns = parent->mntns;
	c->pidns = parent->pidns;
	c->uid = parent->uid;
	c->euid = parent->euid;
	c->gid = parent->gid;
	c->egid = parent->egid;
	c->marked = parent->marked;
	c->have = parent->have & (SW_HAVE_COMM | SW_HAVE_EXE | SW_HAVE_CWD |
				  SW_HAVE_ARGV | SW_HAVE_CREDS | SW_HAVE_NS);
}

bool sw_lineage_fork_seeded(const struct sw_lineage *l, const struct sw_event *ev)
{
	const struct sw_proc *c;

	if (ev->type != SW_EV_FORK || ev->thread || l->sealed)
		return false;
	c = sw_lineage_lookup(l, ev->pid);
	return c && !c->exited && c->seeded;
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
	if (sw_lineage_fork_seeded(l, ev)) {
		c->seeded = false;
		c->start_ns = ev->ktime_ns;
		c->ppid = ev->u.fork.parent_pid;
		sw_lineage_link(l, c);
		return;
	}
	if (c)
		sw_lineage_remove(l, c);	/* the old generation is over */
	/* insert() may evict an exited parent: inherit from a copy. */
	if (parent)
		inherit(&from, parent);
	c = sw_lineage_insert(l, ev->pid);
	if (c) {
		c->ppid = ev->u.fork.parent_pid;
		c->start_ns = ev->ktime_ns;
		inherit(c, &from);
		c->have |= SW_HAVE_PPID | SW_HAVE_START;
		sw_lineage_link(l, c);
	}
	sw_proc_release(&from);
}

/* exec: what /proc said replaces what the fork inherited. */
static void apply_exec(struct sw_lineage *l, struct sw_event *ev)
{
	struct sw_proc *p = sw_lineage_find(l, ev->pid);

	if (!p) {
		p = sw_lineage_insert(l, ev->pid);
		if (!p)
			return;
		p->start_ns = ev->start_ns;
		p->have |= ev->have & SW_HAVE_START;
	} else if (p->exited) {
		sw_lineage_revive(l, p);	/* exec from a non-leader thread */
	}
	if ((ev->have & SW_HAVE_PPID) && !(p->have & SW_HAVE_PPID)) {
		p->ppid = ev->ppid;
		p->have |= SW_HAVE_PPID;
		sw_lineage_link(l, p);
	}
	/* What /proc did not give is unknown now, not the pre-exec value. */
	if (ev->have & SW_HAVE_COMM) {
		snprintf(p->comm, sizeof(p->comm), "%s", ev->comm);
		p->cut = (p->cut & ~(unsigned)SW_HAVE_COMM) |
			 (ev->cut & SW_HAVE_COMM);
	}
	if (ev->have & SW_HAVE_CREDS) {
		p->uid = ev->uid;
		p->euid = ev->euid;
		p->gid = ev->gid;
		p->egid = ev->egid;
	}
	if ((p->have & SW_HAVE_NS) && (ev->have & SW_HAVE_NS)) {
		ev->u.exec.prev_mntns = p->mntns;
		ev->u.exec.prev_pidns = p->pidns;
		ev->u.exec.have_prev_ns = true;
	}
	/* Credentials change by their own events; kept unless /proc said. */
	p->have &= ~(SW_HAVE_EXE | SW_HAVE_CWD | SW_HAVE_ARGV | SW_HAVE_COMM |
		     SW_HAVE_NS);
	p->have |= ev->have & (SW_HAVE_EXE | SW_HAVE_CWD | SW_HAVE_ARGV |
			       SW_HAVE_CREDS | SW_HAVE_COMM | SW_HAVE_NS);
	p->mntns = ev->mntns;
	p->pidns = ev->pidns;
	sw_str_set(&p->exe, ev->exe, ev->exe ? strlen(ev->exe) : 0);
	sw_str_set(&p->cwd, ev->cwd, ev->cwd ? strlen(ev->cwd) : 0);
	sw_proc_set_argv(p, (ev->have & SW_HAVE_ARGV) ? ev->argv : NULL,
			 ev->argv_len, ev->argv_size, ev->cut & SW_HAVE_ARGV);
	sw_str_set(&p->cid, ev->container_id,
		   ev->container_id ? strlen(ev->container_id) : 0);
	p->runtime = p->cid ? ev->container_runtime : NULL;
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

/*
 * Remembers the live children of an exiting process: each may be an
 * orphan.  probe: the exit of one of its threads, which moves only the
 * children that thread forked, and only once no other thread is left to
 * take them (the kernel hands them to a live thread first): pop_reparent
 * then reads the first child only, and the others when that one moved.
 */
static void collect_orphans(struct sw_lineage *l, const struct sw_proc *p,
			    uint64_t ktime_ns, bool probe)
{
	l->n_orphans = 0;
	l->orphan_ns = ktime_ns;
	l->orphans_probe = probe;
	for (const struct sw_proc *c = p->first_child; c; c = c->sib_next) {
		if (c->exited)
			continue;
		if (l->n_orphans == l->cap_orphans) {
			unsigned n = l->cap_orphans ? l->cap_orphans * 2 : 64;
			int *o = realloc(l->orphans, n * sizeof(*o));

			if (!o)
				return;
			l->orphans = o;
			l->cap_orphans = n;
		}
		l->orphans[l->n_orphans++] = c->pid;
	}
}

static void apply_exit(struct sw_lineage *l, struct sw_proc *p,
		       struct sw_event *ev)
{
	/*
	 * Whichever thread of a group goes last, leader or not, is the one
	 * whose exit hands the children to a reaper: the leader may have
	 * gone long before (pthread_exit, a Go or runc process whose main
	 * thread ends first) or just before the thread that called exit().
	 * While the leader lives, its own exit is still to come and tells
	 * them all: a busy process's thread exits cost no read.
	 */
	if (ev->thread) {
		if (p->exited && p->live_kids)
			collect_orphans(l, p, ev->ktime_ns, true);
		return;
	}
	/* The kernel names the parent at exit: an orphan's new one. */
	if (ev->u.exit.kernel_ppid > 0 && ev->u.exit.kernel_ppid != p->ppid) {
		p->ppid = ev->u.exit.kernel_ppid;
		p->have |= SW_HAVE_PPID;
		sw_lineage_link(l, p);
	}
	if (!p->exited && (p->have & SW_HAVE_START) && ev->ktime_ns >= p->start_ns) {
		ev->duration_s = (double)(ev->ktime_ns - p->start_ns) / 1e9;
		ev->have |= SW_HAVE_DURATION;
	}
	collect_orphans(l, p, ev->ktime_ns, false);
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
		if ((p->have & SW_HAVE_COMM) && ev->pid == ev->tid) {
			memcpy(ev->u.comm.prev, p->comm, sizeof(ev->u.comm.prev));
			ev->u.comm.have_prev = true;
		}
		break;
	case SW_EV_EXIT:
		apply_exit(l, p, ev);
		break;
	default:
		break;
	}
}

static void fill_ancestry(const struct sw_lineage *l, struct sw_event *ev,
			  const struct sw_proc *p)
{
	unsigned n = 0;

	/* Links are by identity, so a reused pid never joins the chain. */
	for (const struct sw_proc *a = p->parent;
	     a && n < l->conf.ancestry && n < SW_ANCESTRY_MAX; a = a->parent) {
		ev->ancestry[n].pid = a->pid;
		ev->ancestry[n].comm = (a->have & SW_HAVE_COMM) ? a->comm : NULL;
		ev->ancestry[n].exe = a->exe ? a->exe->s : NULL;
		n++;
	}
	ev->n_ancestry = n;
}

void sw_lineage_fill(const struct sw_lineage *l, struct sw_event *ev,
		     const struct sw_proc *p)
{
	ev->have |= p->have & (SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_EXE |
			       SW_HAVE_CWD | SW_HAVE_ARGV | SW_HAVE_CREDS |
			       SW_HAVE_START | SW_HAVE_NS);
	ev->ppid = p->ppid;
	ev->comm = p->comm;
	ev->exe = p->exe ? p->exe->s : NULL;
	ev->cwd = p->cwd ? p->cwd->s : NULL;
	/* An exec's own command line, read whole, is not the table's copy. */
	if (ev->type != SW_EV_EXEC || !(ev->have & SW_HAVE_ARGV) || !ev->argv) {
		ev->argv = p->argv ? p->argv->s : NULL;
		ev->argv_len = p->argv ? p->argv->len : 0;
		ev->argv_size = p->argv_size;
		ev->cut = (ev->cut & ~(unsigned)SW_HAVE_ARGV) |
			  (p->cut & SW_HAVE_ARGV);
	}
	/* The table's names and ancestors are whole: a recorded cut is not. */
	ev->cut = (ev->cut & SW_HAVE_ARGV) | (p->cut & SW_HAVE_COMM);
	ev->ancestry_cut = false;
	ev->ancestry_exe_cut = 0;
	ev->uid = p->uid;
	ev->euid = p->euid;
	ev->gid = p->gid;
	ev->egid = p->egid;
	ev->start_ns = p->start_ns;
	ev->marked = p->marked;
	ev->container_id = p->cid ? p->cid->s : NULL;
	ev->container_runtime = p->runtime;
	ev->mntns = p->mntns;
	ev->pidns = p->pidns;
	if (p->parent && (p->parent->have & SW_HAVE_CREDS)) {
		ev->parent_euid = p->parent->euid;
		ev->have |= SW_HAVE_PARENT_CREDS;
	}
	if (p->parent && (p->parent->have & SW_HAVE_NS)) {
		ev->parent_mntns = p->parent->mntns;
		ev->parent_pidns = p->parent->pidns;
		ev->have |= SW_HAVE_PARENT_NS;
	}
	if (p->have & SW_HAVE_CREDS)
		ev->user = sw_users_name(l->users, p->euid);
	fill_ancestry(l, ev, p);
}

void sw_lineage_apply(struct sw_lineage *l, struct sw_event *ev)
{
	struct sw_proc *p;

	l->n_orphans = 0;
	if (ev->type == SW_EV_FORK)
		apply_fork(l, ev);
	else if (ev->type == SW_EV_EXEC)
		apply_exec(l, ev);
	else
		apply_update(l, ev);

	p = sw_lineage_find(l, ev->pid);
	if (p) {
		sw_lineage_fill(l, ev, p);
	} else if (ev->type == SW_EV_EXIT && ev->u.exit.kernel_ppid > 0) {
		ev->ppid = ev->u.exit.kernel_ppid;
		ev->have |= SW_HAVE_PPID;
	}
	if (ev->type == SW_EV_PTRACE && ev->u.ptrace.tracer_pid > 0) {
		struct sw_proc *t = sw_lineage_find(l, ev->u.ptrace.tracer_pid);

		ev->u.ptrace.tracer_comm =
			t && (t->have & SW_HAVE_COMM) ? t->comm : NULL;
		/* The program as read at its exec; else what the source said. */
		if (t && (t->have & SW_HAVE_EXE) && t->exe) {
			ev->u.ptrace.tracer_exe = t->exe->s;
			ev->u.ptrace.tracer_mntns =
				(t->have & SW_HAVE_NS) ? t->mntns : 0;
		}
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

/* The orphan's new parent, from /proc: the kernel has already moved it. */
static int new_parent(struct sw_lineage *l, const struct sw_proc *c)
{
	struct sw_proc_stat st;
	int fd = sw_procfs_open_pid(l->conf.procfd, c->pid);
	int r;

	if (fd < 0)
		return -1;
	r = sw_procfs_stat(fd, &st);
	close(fd);
	if (r < 0)
		return -1;
	/* Another process on the same pid is not our orphan. */
	if ((c->have & SW_HAVE_START) &&
	    sw_procfs_ticks_to_ns(st.start_ticks) > c->start_ns + SW_START_SLACK_NS)
		return -1;
	return st.ppid;
}

int sw_lineage_pop_reparent(struct sw_lineage *l, struct sw_event *ev)
{
	while (l->n_orphans) {
		struct sw_proc *c = sw_lineage_find(l, l->orphans[--l->n_orphans]);
		int ppid;

		if (!c || c->exited)
			continue;
		ppid = new_parent(l, c);
		if (ppid < 0)
			continue;	/* gone meanwhile */
		if (ppid == c->ppid) {
			/* Not moved: after a thread's exit, nor are the others. */
			if (l->orphans_probe)
				l->n_orphans = 0;
			continue;
		}
		l->orphans_probe = false;	/* moved: read them all */
		sw_event_reset(ev, SW_EV_REPARENT);
		ev->ktime_ns = l->orphan_ns;
		ev->pid = ev->tid = c->pid;
		ev->u.reparent.prev_ppid = c->ppid;
		c->ppid = ppid;
		sw_lineage_link(l, c);
		sw_lineage_fill(l, ev, c);
		return 1;
	}
	return 0;
}
