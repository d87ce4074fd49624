/* SPDX-License-Identifier: MIT */
/*
 * The table against /proc: the seeding scan at start-up, the resync after
 * a loss, and the sweep that finds which zombies have been reaped (the
 * kernel sends no event for a reap).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lineage_int.h"

/* A string field of the snapshot: only what was read is looked at. */
static void copy_cstr(struct sw_str **slot, bool have, const char *s)
{
	sw_str_set(slot, have ? s : NULL, have ? strlen(s) : 0);
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
	copy_cstr(&p->exe, snap->have & SW_HAVE_EXE, snap->exe);
	copy_cstr(&p->cwd, snap->have & SW_HAVE_CWD, snap->cwd);
	sw_proc_set_argv(p, (snap->have & SW_HAVE_ARGV) ? snap->argv : NULL,
			 snap->argv_len, snap->argv_size,
			 snap->cut & SW_HAVE_ARGV);
	if (snap->have & SW_HAVE_COMM)
		p->cut = (p->cut & ~(unsigned)SW_HAVE_COMM) |
			 (snap->cut & SW_HAVE_COMM);
	copy_cstr(&p->cid, snap->have & SW_HAVE_CONTAINER, snap->container.id);
	p->runtime = p->cid ? snap->container.runtime : NULL;
	p->mntns = snap->mntns;
	p->pidns = snap->pidns;
	p->have = snap->have & (SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_CREDS |
				SW_HAVE_START | SW_HAVE_NS);
	p->have |= (p->exe ? SW_HAVE_EXE : 0) | (p->cwd ? SW_HAVE_CWD : 0) |
		   (p->argv ? SW_HAVE_ARGV : 0);
}

int sw_lineage_seed(struct sw_lineage *l, int pid,
		    const struct sw_proc_snap *snap)
{
	struct sw_proc *p = sw_lineage_find(l, pid);
	uint64_t start = sw_procfs_ticks_to_ns(snap->stat.start_ticks);

	if (p && !p->exited && (snap->have & SW_HAVE_START) &&
	    (p->have & SW_HAVE_START) && start > p->start_ns + SW_START_SLACK_NS) {
		sw_lineage_remove(l, p);	/* a newer process holds the pid */
		p = NULL;
	}
	if (!p) {
		p = sw_lineage_insert(l, pid);
		if (!p)
			return -ENOMEM;
		p->seeded = true;
		if (snap->have & SW_HAVE_START)
			p->start_ns = start;
	}
	copy_snap(p, snap);
	sw_lineage_link(l, p);
	return 0;
}

/*
 * In a mount and a pid namespace other than the host's: a container, as
 * at an exec (enrich.c), whatever its cgroup names.  The name its cgroup
 * gave is this snapshot's only (the buffer is read into again).
 */
static void ns_container(const struct sw_lineage *l, struct sw_proc_snap *snap)
{
	if (!(snap->have & SW_HAVE_CONTAINER) && (snap->have & SW_HAVE_NS) &&
	    sw_container_by_ns(&snap->container, snap->mntns, snap->pidns,
			       l->host.mntns, l->host.pidns))
		snap->have |= SW_HAVE_CONTAINER;
	snap->container.name[0] = '\0';
}

static int scan_one(struct sw_lineage *l, struct sw_reader *rd, int pid,
		    struct sw_scan_counts *c)
{
	struct sw_proc *p = sw_lineage_find(l, pid);
	struct sw_proc_snap *snap;
	bool was_live;
	int old_ppid;

	if (sw_reader_snap(rd, pid, true, 0, 0, &snap) < 0)
		return 0;	/* gone already */
	ns_container(l, snap);
	if (!(snap->have & SW_HAVE_PPID))
		return 0;
	if (snap->status.tgid && snap->status.tgid != pid)
		return 0;	/* a thread id */
	if (p && p->exited) {
		/* The same process not yet reaped, or a new one on its pid. */
		if (!(snap->have & SW_HAVE_START) ||
		    sw_procfs_ticks_to_ns(snap->stat.start_ticks) <=
			    p->start_ns + SW_START_SLACK_NS) {
			p->scan_gen = l->scan_gen;
			return 0;
		}
		sw_lineage_remove(l, p);
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
	if (snap->stat.state == 'Z')
		sw_lineage_mark_exited(l, p, 0);
	if (!was_live)
		c->added++;
	else if (old_ppid != p->ppid)
		c->reparented++;
	return 0;
}

struct after_scan {
	struct sw_lineage *l;
	uint64_t now_ns;
	unsigned removed;
};

/* Entries /proc no longer has are gone; children seen first get linked. */
static void after_scan_one(struct sw_proc *p, void *data)
{
	struct after_scan *a = data;

	if (p->scan_gen != a->l->scan_gen) {
		if (!p->exited)
			a->removed++;
		sw_lineage_mark_exited(a->l, p, a->now_ns);
		sw_lineage_mark_reaped(a->l, p, a->now_ns);
		return;
	}
	if (!p->parent)
		sw_lineage_link(a->l, p);
}

int sw_lineage_scan(struct sw_lineage *l, struct sw_reader *rd,
		    uint64_t now_ns, struct sw_scan_counts *ret)
{
	struct after_scan a = { .l = l, .now_ns = now_ns };
	struct dirent *de;
	DIR *dir;
	int fd;

	memset(ret, 0, sizeof(*ret));
	fd = openat(sw_reader_procfd(rd), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -errno;
	}
	l->scan_gen++;
	if (!l->host_probed) {
		sw_host_probe(sw_reader_procfd(rd), &l->host);
		l->host_probed = true;
	}
	while ((de = readdir(dir))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end == '\0' && pid > 0 && pid <= INT32_MAX)
			scan_one(l, rd, (int)pid, ret);
	}
	closedir(dir);
	sw_lineage_foreach(l, after_scan_one, &a);
	ret->removed = a.removed;
	return 0;
}

/*
 * A reaped pid no longer exists (ESRCH).  A pid reused meanwhile would
 * have shown its fork first, which ends the old entry, so a pid that still
 * exists is still this zombie.  One cheap system call per zombie.
 */
void sw_lineage_sweep(struct sw_lineage *l, uint64_t now_ns, bool all)
{
	struct sw_proc *p = all ? l->zombies.head : l->unchecked, *next;

	/* Zombies are queued by exit: the unchecked ones are the tail. */
	for (; p; p = next) {
		next = p->qnext;
		if (l->conf.reaped ? l->conf.reaped(p->pid)
				   : kill(p->pid, 0) < 0 && errno == ESRCH)
			sw_lineage_mark_reaped(l, p, now_ns);
	}
	l->unchecked = NULL;
}
